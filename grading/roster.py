"""Import a cohort roster (id, name, e-mail, team) into the nbgrader gradebook, all or nothing.

Trainers' CSVs come from spreadsheets and LMS exports, so the reader tolerates what is harmless
(a byte-order mark, "E-mail" or "Email", semicolons or tabs, stray spaces, blank lines) and
refuses what is not: one error lists every bad line with its number, and nothing is imported
from a file that has any. An import merges by learner id into the roster kept in the course
directory (``roster.csv``, which holds the teams nbgrader has no field for), so a second file
adds to the cohort; ``replace`` makes the file the whole cohort. Afterwards the gradebook and
``roster.csv`` hold the same learners with the same details.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from nbgrader.api import Gradebook, Student, SubmittedAssignment

from course_model.files import write_bytes_atomically, write_text_atomically
from grading.export import defuse, undefuse

REQUIRED = ("id", "name", "email", "team")
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

    @property
    def first_last(self) -> tuple[str, str]:
        first, _, last = self.name.rpartition(" ")
        return (first, last) if first else (last, "")


def _header_key(cell: str) -> str:
    return re.sub(r"[\s_-]+", "", cell.strip().lower()).replace("emailaddress", "email")


def read_roster(path: Path, delimiter: str | None = None) -> list[Learner]:
    """Read and check a roster CSV; raise RosterError naming the file and every bad line.

    The delimiter (comma, semicolon or tab) is guessed unless given; the quote is always ``"``,
    as every spreadsheet writes it (a guessed ``'`` would split names such as O'Neill)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RosterError(
            f"{path}: not UTF-8 text (byte {exc.start}); save it from your spreadsheet as 'CSV UTF-8'"
        ) from exc
    except OSError as exc:
        raise RosterError(f"{path}: cannot be read ({exc.strerror})") from exc
    if delimiter is None:
        try:
            delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
        except csv.Error:
            delimiter = ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    rows = [(n, r) for n, r in enumerate(rows, start=1) if any(c.strip() for c in r)]
    if not rows:
        raise RosterError(
            f"{path}: the file is empty; it needs a header line: {', '.join(REQUIRED)}"
        )
    header_line, header = rows[0]
    columns = {_header_key(c): i for i, c in enumerate(header)}
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise RosterError(
            f"{path}: line {header_line}: missing column(s) {', '.join(missing)}; "
            f"the header must name {', '.join(REQUIRED)} (found: {', '.join(c.strip() for c in header)})"
        )
    problems: list[str] = []
    learners: list[Learner] = []
    first_seen: dict[str, int] = {}
    for line, row in rows[1:]:
        cells = {
            c: (row[i].strip() if i < len(row) else "") for c, i in columns.items() if c in REQUIRED
        }
        why = _row_problems(cells, first_seen)
        if why:
            problems.append(f"  line {line}: {'; '.join(why)}")
            continue
        first_seen[cells["id"]] = line
        learners.append(Learner(cells["id"], cells["name"], cells["email"], cells["team"]))
    if problems:
        raise RosterError(
            f"{path}: {len(problems)} line(s) need fixing; nothing was imported:\n"
            + "\n".join(problems)
        )
    return learners


def _row_problems(cells: dict[str, str], first_seen: dict[str, int]) -> list[str]:
    """What is wrong with one roster line, given the ids already seen (and their lines)."""
    why = []
    if not cells["id"]:
        why.append("the id is empty")
    elif not ID_OK.match(cells["id"]):
        why.append(
            f"the id {cells['id']!r} may use only letters, digits, '.', '_' and '-' (at most 64)"
        )
    elif cells["id"] in first_seen:
        why.append(f"the id {cells['id']!r} repeats line {first_seen[cells['id']]}")
    if cells["email"] and not EMAIL_OK.match(cells["email"]):
        why.append(f"{cells['email']!r} is not an e-mail address")
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
        Learner(*(undefuse(v) for v in (p.id, p.name, p.email, p.team)))
        for p in read_roster(path, delimiter=",")
    ]


def _roster_text(learners: list[Learner]) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(REQUIRED)
    writer.writerows([defuse(v) for v in (p.id, p.name, p.email, p.team)] for p in learners)
    return out.getvalue()


def _in_gradebook(gb: Gradebook) -> dict[str, Learner]:
    return {
        s.id: Learner(s.id, " ".join(filter(None, [s.first_name, s.last_name])), s.email or "", "")
        for s in gb.students
    }


def import_roster(path: Path, course: Path, db_url: str, replace: bool = False) -> Imported:
    """Merge a checked roster into the kept one and the gradebook, in one gradebook transaction
    (learners in neither the file nor the kept roster but in the gradebook are kept on it).
    With ``replace`` the file becomes the whole cohort; a learner with submitted work is never
    removed that way (RosterError names them; nothing changes)."""
    incoming = {p.id: p for p in read_roster(path)}
    roster_file = course / "roster.csv"
    before_bytes = roster_file.read_bytes() if roster_file.exists() else None
    with Gradebook(db_url) as gb:
        before = {p.id: p for p in kept_roster(course)}
        for student_id, person in _in_gradebook(gb).items():
            before.setdefault(student_id, person)
        gone = [i for i in before if i not in incoming]
        result = Imported(
            added=[i for i in incoming if i not in before],
            changed=[i for i in incoming if i in before and before[i] != incoming[i]],
            unchanged=[i for i in incoming if before.get(i) == incoming[i]],
            kept=[] if replace else gone,
            removed=gone if replace else [],
        )
        merged = list(incoming.values()) if replace else [*before.values(), *incoming.values()]
        merged = list({p.id: p for p in merged}.values())  # the file's details win
        try:
            _update_gradebook(gb, merged, result.removed)
            write_text_atomically(roster_file, _roster_text(merged))
            gb.db.commit()
        except BaseException:
            gb.db.rollback()
            if before_bytes is not None:
                write_bytes_atomically(roster_file, before_bytes)
            raise
    return result


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
