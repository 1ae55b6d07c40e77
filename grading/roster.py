"""The cohort roster (id, name, e-mail, team, optional ID number), into the gradebook whole.

Rosters come from spreadsheets and LMS exports (CSV, or the first sheet of an ``.xlsx``): the
reader tolerates what is harmless (a byte-order mark, header spellings, semicolons or tabs, stray
spaces, blank lines) and refuses what is not, listing every bad line, importing nothing. Imports
merge by id into ``roster.csv`` in the course directory (it keeps the teams and ID numbers nbgrader
has no field for); ``replace`` makes a file the whole cohort. The gradebook and ``roster.csv``
always hold the same learners with the same details.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from dataclasses import replace as with_changes
from datetime import date, datetime, time
from pathlib import Path

from nbgrader.api import Gradebook, Student, SubmittedAssignment

from course_model.files import write_bytes_atomically
from grading.export import csv_bytes, undefuse

REQUIRED = ("id", "name", "email", "team")
OPTIONAL = ("id_number",)  # the employee / ID number of council learning records and Moodle
COLUMNS = REQUIRED + OPTIONAL
ALIASES = {
    "emailaddress": "email",
    "idnumber": "id_number",
    "employeenumber": "id_number",
    "employeeid": "id_number",
    "staffnumber": "id_number",
}
# What Excel shows, and a CSV saved from it keeps, for a long number in a General column.
SHORTENED_NUMBER = re.compile(r"^\d(\.\d+)?E\+\d+$", re.IGNORECASE)
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = (
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls, and every password-protected workbook
)
ID_OK = re.compile(
    r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
)  # learner ids become folder names in nbgrader
EMAIL_OK = re.compile(r"^[^@\s,;<>\"']+@[^@\s,;<>\"']+\.[^@\s,;<>\"']+$")
MAX_FIELD = 200


class RosterError(ValueError):
    """A roster that cannot be imported; the message lists every problem with its line."""


@dataclass(frozen=True)
class Learner:
    """One roster row, cleaned."""

    id: str
    name: str
    email: str
    team: str
    id_number: str = ""

    @property
    def first_last(self) -> tuple[str, str]:
        first, _, last = self.name.rpartition(" ")
        return (first, last) if first else (last, "")


def _header_key(cell: str) -> str:
    key = re.sub(r"[\s_-]+", "", cell.strip().lower())
    return ALIASES.get(key, key)


def read_roster(path: Path, delimiter: str | None = None) -> list[Learner]:
    """Read and check a roster (CSV, or an ``.xlsx`` workbook's first sheet); raise RosterError
    naming the file and every bad line (a workbook's row number is its line).

    A CSV's delimiter (comma, semicolon or tab) is guessed unless given; the quote is always
    ``"``, as every spreadsheet writes it (a guessed ``'`` would split names such as O'Neill)."""
    return _read(path, delimiter)[0]


def _read(path: Path, delimiter: str | None = None) -> tuple[list[Learner], set[str]]:
    """The checked learners, and which of :data:`COLUMNS` the file has."""
    rows = [(n, r) for n, r in _rows(path, delimiter) if any(c.strip() for c in r)]
    if not rows:
        raise RosterError(
            f"{path}: the file is empty; it needs a header line: {', '.join(REQUIRED)}"
        )
    header_line, header = rows[0]
    columns = _columns(path, header_line, header)
    problems: list[str] = []
    learners: list[Learner] = []
    first_seen: dict[tuple[str, str], int] = {}
    for line, row in rows[1:]:
        cells = {c: (row[i].strip() if i < len(row) else "") for c, i in columns.items()}
        cells.setdefault("id_number", "")
        why = _row_problems(cells, first_seen)
        if why:
            problems.append(f"  line {line}: {'; '.join(why)}")
            continue
        first_seen[("id", cells["id"])] = line
        if cells["id_number"]:
            first_seen[("id_number", cells["id_number"])] = line
        learners.append(Learner(**cells))
    if problems:
        raise RosterError(
            f"{path}: {len(problems)} line(s) need fixing; nothing was imported:\n"
            + "\n".join(problems)
        )
    return learners, set(columns)


def _columns(path: Path, line: int, header: list[str]) -> dict[str, int]:
    """Where each known column is in the header; RosterError if one is missing or given twice."""
    columns: dict[str, int] = {}
    for i, cell in enumerate(header):
        key = _header_key(cell)
        if key in COLUMNS and key in columns:
            raise RosterError(
                f"{path}: line {line}: the columns {header[columns[key]].strip()!r} and "
                f"{cell.strip()!r} both give the {'ID number' if key == 'id_number' else key}; "
                "keep one of them"
            )
        if key in COLUMNS:
            columns[key] = i
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise RosterError(
            f"{path}: line {line}: missing column(s) {', '.join(missing)}; "
            f"the header must name {', '.join(REQUIRED)} (found: {', '.join(c.strip() for c in header)})"
        )
    return columns


def _rows(path: Path, delimiter: str | None) -> list[tuple[int, list[str]]]:
    """Every line of the file as text cells, numbered from 1 (a workbook's row numbers)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RosterError(f"{path}: cannot be read ({exc.strerror})") from exc
    if data.startswith(OLE_MAGIC):
        raise RosterError(
            f"{path}: is password-protected or an old-style .xls workbook, which cannot be read; "
            "open it in Excel or LibreOffice, remove the password if it has one, and save it as "
            "'Excel Workbook (.xlsx)' or 'CSV UTF-8'"
        )
    if data.startswith(ZIP_MAGIC) or path.suffix.lower() in WORKBOOK_SUFFIXES:
        return _workbook_rows(path, data)
    try:
        text = data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")  # as read_text
    except UnicodeDecodeError as exc:
        raise RosterError(
            f"{path}: not UTF-8 text (byte {exc.start}); save it from your spreadsheet as 'CSV UTF-8'"
        ) from exc
    if delimiter is None:
        try:
            delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
        except csv.Error:
            delimiter = ","
    return list(enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1))


def _workbook_rows(path: Path, data: bytes) -> list[tuple[int, list[str]]]:
    """The first sheet of an ``.xlsx`` workbook as text cells, numbered by spreadsheet row."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise RosterError(
            f"{path}: not an Excel workbook (.xlsx) that can be read ({type(exc).__name__}); "
            "open it in your spreadsheet and save it as 'Excel Workbook (.xlsx)' or 'CSV UTF-8'"
        ) from exc
    try:
        sheet = book.worksheets[0] if book.worksheets else None
        if sheet is not None:
            sheet.reset_dimensions()  # some writers record a wrong size; read every row there is
        rows = sheet.iter_rows(min_row=1, min_col=1, values_only=True) if sheet else []
        cells = [(n, [_cell_text(v) for v in row]) for n, row in enumerate(rows, start=1)]
    finally:
        book.close()
    if not any(c.strip() for _, row in cells for c in row):
        raise RosterError(
            f"{path}: the first sheet is empty; put the roster on the first sheet, under a "
            f"header line: {', '.join(REQUIRED)}"
        )
    return cells


def _cell_text(value: object) -> str:
    """A workbook cell as the text a trainer sees in it (a whole number without ``.0``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime) and value.time() == time():
        return value.date().isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def _row_problems(cells: dict[str, str], first_seen: dict[tuple[str, str], int]) -> list[str]:
    """What is wrong with one roster line, given the ids and ID numbers already seen (and their
    lines)."""
    why = []
    if not cells["id"]:
        why.append("the id is empty")
    elif not ID_OK.match(cells["id"]):
        why.append(
            f"the id {cells['id']!r} may use only letters, digits, '.', '_' and '-' (at most 64)"
        )
    elif ("id", cells["id"]) in first_seen:
        why.append(f"the id {cells['id']!r} repeats line {first_seen[('id', cells['id'])]}")
    if cells["email"] and not EMAIL_OK.match(cells["email"]):
        why.append(f"{cells['email']!r} is not an e-mail address")
    number = cells["id_number"]
    if SHORTENED_NUMBER.match(number):
        why.append(
            f"the ID number {number!r} was shortened by a spreadsheet; format that column as "
            "Text, type the numbers again and save"
        )
    elif ("id_number", number) in first_seen:
        why.append(f"the ID number {number!r} repeats line {first_seen[('id_number', number)]}")
    if any(len(v) > MAX_FIELD for v in cells.values()):
        why.append(f"a field is longer than {MAX_FIELD} characters")
    if any(ch in v for v in cells.values() for ch in "\x00\r\n"):
        why.append("a field holds a control character")
    return why


@dataclass
class Imported:
    """What an import changed, by learner id."""

    added: list[str]
    changed: list[str]
    unchanged: list[str]
    kept: list[str]  # on the roster before, not in this file (merge)
    removed: list[str]  # on the roster before, not in this file (replace)

    def summary(self, path: Path) -> str:
        """One line for the trainer, e.g. ``2 added, 1 changed, 5 unchanged``."""
        counts = [
            f"{len(self.added)} added",
            f"{len(self.changed)} changed",
            f"{len(self.unchanged)} unchanged",
        ]
        if self.kept:
            counts.append(f"{len(self.kept)} kept from earlier imports (--replace removes them)")
        if self.removed:
            counts.append(f"{len(self.removed)} removed")
        return f"Roster from {path}: {', '.join(counts)}."


def kept_roster(course: Path) -> list[Learner]:
    """The roster kept in the course directory, as imported (empty before the first import)."""
    path = course / "roster.csv"
    if not path.exists():
        return []
    return [
        Learner(*(undefuse(v) for v in (p.id, p.name, p.email, p.team, p.id_number)))
        for p in read_roster(path, delimiter=",")
    ]


def _roster_bytes(learners: list[Learner]) -> bytes:
    return csv_bytes(COLUMNS, [(p.id, p.name, p.email, p.team, p.id_number) for p in learners])


def _in_gradebook(gb: Gradebook) -> dict[str, Learner]:
    return {
        s.id: Learner(s.id, " ".join(filter(None, [s.first_name, s.last_name])), s.email or "", "")
        for s in gb.students
    }


def import_roster(path: Path, course: Path, db_url: str, replace: bool = False) -> Imported:
    """Merge a checked roster into the kept one and the gradebook, in one gradebook transaction
    (learners in neither the file nor the kept roster but in the gradebook are kept on it).
    With ``replace`` the file becomes the whole cohort; a learner with submitted work is never
    removed that way (RosterError names them; nothing changes). A file with no ID-number column
    leaves the ID numbers already kept as they are; an empty cell in that column clears one."""
    file_learners, columns = _read(path)
    return _merge(course, db_url, file_learners, str(path), "id_number" in columns, replace=replace)


def add_learner(course: Path, db_url: str, person: Learner) -> Imported:
    """Add one learner (or update the one with this id), checked as a roster line is."""
    cells = {k: getattr(person, k).strip() for k in (*REQUIRED, "id_number")}
    problems = _row_problems(cells, {})
    if problems:
        raise RosterError(f"The learner was not added: {'; '.join(problems)}.")
    return _merge(course, db_url, [Learner(**cells)], "the learner's details", True)


def remove_learner(course: Path, db_url: str, learner_id: str) -> Imported:
    """Remove one learner; refused, changing nothing, if they are unknown or submitted work."""
    cohort = _cohort(course, db_url)
    if learner_id not in cohort:
        raise RosterError(f"There is no learner with the id {learner_id!r} in the cohort.")
    others = [p for i, p in cohort.items() if i != learner_id]
    return _merge(course, db_url, others, f"removing {learner_id}", True, replace=True)


def _cohort(course: Path, db_url: str) -> dict[str, Learner]:
    """The kept roster, then any learner only the gradebook knows."""
    with Gradebook(db_url) as gb:
        before = {p.id: p for p in kept_roster(course)}
        for student_id, person in _in_gradebook(gb).items():
            before.setdefault(student_id, person)
    return before


def _merge(
    course: Path,
    db_url: str,
    learners: list[Learner],
    source: str,
    with_id_numbers: bool,
    replace: bool = False,
) -> Imported:
    """Merge ``learners`` into the cohort (``replace``: make them the whole cohort) in one
    gradebook transaction, writing the kept roster with it; everything or nothing changes."""
    roster_file = course / "roster.csv"
    before_bytes = roster_file.read_bytes() if roster_file.exists() else None
    before = _cohort(course, db_url)
    incoming = {p.id: p for p in learners}
    if not with_id_numbers:
        incoming = {
            i: with_changes(p, id_number=before[i].id_number) if i in before else p
            for i, p in incoming.items()
        }
    gone = [i for i in before if i not in incoming]
    result = Imported(
        added=[i for i in incoming if i not in before],
        changed=[i for i in incoming if i in before and before[i] != incoming[i]],
        unchanged=[i for i in incoming if before.get(i) == incoming[i]],
        kept=[] if replace else gone,
        removed=gone if replace else [],
    )
    merged = list(incoming.values()) if replace else [*before.values(), *incoming.values()]
    merged = list({p.id: p for p in merged}.values())  # the newest details win
    _refuse_shared_id_numbers(source, merged)
    with Gradebook(db_url) as gb:
        try:
            _update_gradebook(gb, merged, result.removed)
            write_bytes_atomically(roster_file, _roster_bytes(merged))
            gb.db.commit()
        except BaseException:
            gb.db.rollback()
            if before_bytes is not None:
                write_bytes_atomically(roster_file, before_bytes)
            raise
    return result


def _refuse_shared_id_numbers(source: str, learners: list[Learner]) -> None:
    """RosterError if the merged cohort gives one ID number to two learners (a record system
    would put both learners' records on one person)."""
    holders: dict[str, list[str]] = {}
    for p in learners:
        if p.id_number:
            holders.setdefault(p.id_number, []).append(p.id)
    shared = [f"{n!r} ({', '.join(ids)})" for n, ids in holders.items() if len(ids) > 1]
    if shared:
        raise RosterError(
            f"{source}: these ID numbers would belong to more than one learner: {'; '.join(shared)}. "
            "Give each learner their own ID number in the file (a learner imported earlier keeps "
            "theirs until a file gives another); nothing was changed."
        )


def _update_gradebook(gb: Gradebook, learners: list[Learner], removed: list[str]) -> None:
    """Add or update ``learners`` and delete ``removed`` (refused if any has submitted work)."""
    busy = {
        sid
        for (sid,) in gb.db.query(SubmittedAssignment.student_id).filter(
            SubmittedAssignment.student_id.in_(removed)
        )
    }
    if busy:
        raise RosterError(
            f"--replace would remove learners who have submitted work: {', '.join(sorted(busy))}. "
            "Keep them in the file; nothing was changed."
        )
    for student_id in removed:
        gb.db.query(Student).filter(Student.id == student_id).delete()
    for person in learners:
        first, last = person.first_last
        student = gb.db.query(Student).filter(Student.id == person.id).one_or_none()
        if student is None:
            student = Student(id=person.id)
            gb.db.add(student)
        student.first_name, student.last_name, student.email = first, last, person.email or None
