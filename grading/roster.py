"""Import a cohort roster (id, name, e-mail, team) into the nbgrader gradebook, all or nothing.

Trainers' CSVs come from spreadsheets and LMS exports, so the reader tolerates what is harmless
(a byte-order mark, "E-mail" or "Email", semicolons or tabs, stray spaces, blank lines) and
refuses what is not: one error lists every bad line with its number, and nothing is imported
from a file that has any.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from nbgrader.api import Gradebook, Student

from course_model.files import write_text_atomically

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


def read_roster(path: Path) -> list[Learner]:
    """Read and check a roster CSV; raise RosterError naming the file and every bad line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RosterError(
            f"{path}: not UTF-8 text (byte {exc.start}); save it from your spreadsheet as 'CSV UTF-8'"
        ) from exc
    except OSError as exc:
        raise RosterError(f"{path}: cannot be read ({exc.strerror})") from exc
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader(io.StringIO(text), dialect))
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


def import_roster(path: Path, course: Path, db_url: str) -> int:
    """Add or update every learner of a checked roster in one gradebook transaction, and keep the
    cleaned roster (with teams, which nbgrader has no field for) as ``course/roster.csv``.
    Returns how many learners were imported."""
    learners = read_roster(path)
    cleaned = io.StringIO(newline="")
    writer = csv.writer(cleaned)
    writer.writerow(REQUIRED)
    writer.writerows((p.id, p.name, p.email, p.team) for p in learners)
    with Gradebook(db_url) as gb:
        try:
            for person in learners:
                first, last = person.first_last
                student = gb.db.query(Student).filter(Student.id == person.id).one_or_none()
                if student is None:
                    student = Student(id=person.id)
                    gb.db.add(student)
                student.first_name, student.last_name, student.email = (
                    first,
                    last,
                    person.email or None,
                )
            gb.db.commit()
        except Exception:
            gb.db.rollback()
            raise
    write_text_atomically(course / "roster.csv", cleaned.getvalue())
    return len(learners)
