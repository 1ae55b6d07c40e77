"""Exports for the systems around the course: Moodle's grade import, a council's learning
records, and a training officer's CPD hours.

Scores, completion dates and modules are read through nbgrader's own Gradebook API; names, e-mail
addresses and ID numbers from the kept roster (``roster.csv``), which holds what nbgrader has no
field for. A module counts as completed when the gradebook holds a graded submission of it. A
``(learner, module)`` in ``left_out`` (its answers file unreadable, see
:mod:`grading.submissions`) counts as neither completed nor not completed: its cells are empty
and the trainer is told. Every text cell is defused against spreadsheet formulas
(:func:`grading.export.csv_bytes`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from nbgrader.api import Gradebook

from course_model import content
from course_model.files import write_bytes_atomically
from grading.export import LEFT_OUT, csv_bytes, defuse
from grading.roster import Learner, kept_roster

COURSE_TITLE = "Coercive Control Practice Lab"
SHAPES = ("moodle", "records", "cpd")
# Moodle's "Import grades from CSV" finds a learner by one of these (its "Map to" choices
# useremail and useridnumber); the headers are those Moodle's own grade export uses.
IDENTIFY_BY = {"email": "Email address", "id_number": "ID number"}
RECORD_COLUMNS = (
    "learner_id",
    "id_number",
    "email",
    "name",
    "course_title",
    "module_id",
    "module_title",
    "completion_date",
    "cpd_minutes",
    "score",
    "max_score",
)


@dataclass(frozen=True)
class Module:
    """A module the gradebook knows, with its title and CPD minutes from ``module.yaml``."""

    id: str
    title: str
    minutes: int | None  # None: the module is not in this course's content
    max_score: float


@dataclass(frozen=True)
class Completion:
    """One graded submission: when it was submitted and what it scored."""

    submitted: datetime | None  # UTC, as nbgrader keeps it
    score: float
    needs_marking: bool  # a reflection not yet marked: the score is without it


@dataclass
class Cohort:
    """Everything the exports need, read once."""

    learners: list[Learner]
    modules: list[Module]
    done: dict[tuple[str, str], Completion]  # (learner, module)
    left_out: dict[str, list[str]]  # learner -> modules whose answers file is unreadable


@dataclass(frozen=True)
class Export:
    """An export's bytes, and what the trainer should be told about it (one line each)."""

    data: bytes
    notes: list[str] = field(default_factory=list)


def read_cohort(course: Path, db_url: str, left_out: set[tuple[str, str]] = frozenset()) -> Cohort:
    """The learners (every learner in the gradebook, with the kept roster's details), modules
    and graded submissions, in learner and module order."""
    roster = {p.id: p for p in kept_roster(course)}
    done: dict[tuple[str, str], Completion] = {}
    skipped: dict[str, list[str]] = {}
    with Gradebook(db_url) as gb:
        learners = [
            roster.get(s.id)
            or Learner(s.id, " ".join(filter(None, [s.first_name, s.last_name])), s.email or "", "")
            for s in sorted(gb.students, key=lambda s: s.id)
        ]
        assignments = sorted(gb.assignments, key=lambda a: a.name)
        modules = [_module(a.name, float(a.max_score)) for a in assignments]
        for assignment in assignments:
            for sub in assignment.submissions:
                done[(sub.student_id, assignment.name)] = Completion(
                    sub.timestamp, float(sub.score), sub.needs_manual_grade
                )
    for person in learners:  # as grading.export does: named whether or not it was graded
        for module in modules:
            if (person.id, module.id) in left_out:
                done.pop((person.id, module.id), None)
                skipped.setdefault(person.id, []).append(module.id)
    return Cohort(learners, modules, done, skipped)


def _module(module_id: str, max_score: float) -> Module:
    try:
        meta = content.load_module(module_id)
    except content.ContentError:
        return Module(module_id, module_id, None, max_score)
    return Module(module_id, meta["title"], meta.get("minutes"), max_score)


def _number(value: float) -> int | float:
    """A score or total as a spreadsheet and Moodle read it: ``7``, ``7.5``, ``7.33``."""
    rounded = round(value, 2)
    return int(rounded) if rounded.is_integer() else rounded


def _local_date(when: datetime | None) -> str:
    """The date a submission was made on this computer's clock (nbgrader keeps UTC)."""
    return when.replace(tzinfo=UTC).astimezone().date().isoformat() if when else ""


def _cohort_notes(cohort: Cohort) -> list[str]:
    notes = [
        f"{learner}, {module}: left out (answers unreadable); no completion or score for it"
        for learner, modules in cohort.left_out.items()
        for module in modules
    ]
    notes += [
        f"{learner}, {module}: a reflection is not yet marked, so the score is without it"
        for (learner, module), c in sorted(cohort.done.items())
        if c.needs_marking
    ]
    return notes


def moodle_grades(
    course: Path,
    db_url: str,
    left_out: set[tuple[str, str]] = frozenset(),
    identify_by: str = "email",
) -> Export:
    """A file for Moodle's *Import grades > CSV file*: ``First name``, ``Last name``, the column
    Moodle finds the learner by (``Email address`` or ``ID number``, as ``identify_by`` says),
    then one column per module, ``<module title> (out of <max>)``, holding the module's total.

    Moodle reads an empty grade cell as "no grade", and stops the whole import at a row whose
    learner it cannot find. A row whose identifying cell is empty would have Moodle put its
    grades on the learner of the row before, and two rows with one identifier land on one
    learner; an identifier starting like a formula is written with a leading ``'`` and would not
    be found. Such learners are left out of the file and named in the notes."""
    if identify_by not in IDENTIFY_BY:
        raise ValueError(f"identify_by must be one of {', '.join(IDENTIFY_BY)}")
    cohort = read_cohort(course, db_url, left_out)
    word = IDENTIFY_BY[identify_by].replace("Email", "email")
    counts = Counter(getattr(p, identify_by).casefold() for p in cohort.learners)
    header = ["First name", "Last name", IDENTIFY_BY[identify_by]]
    header += [f"{m.title} (out of {_number(m.max_score)})" for m in cohort.modules]
    rows, notes = [], _cohort_notes(cohort)
    for person in cohort.learners:
        value = getattr(person, identify_by)
        why = _unmappable(value, word, counts)
        if why:
            notes.append(f"{person.id} ({person.name}): {why}; not in the file")
            continue
        scores = [cohort.done.get((person.id, m.id)) for m in cohort.modules]
        rows.append([*person.first_last, value, *(_number(c.score) if c else None for c in scores)])
    return Export(csv_bytes(header, rows), notes)


def _unmappable(value: str, word: str, counts: Counter) -> str | None:
    """Why Moodle could not find the one right learner by ``value``; None when it can."""
    if not value:
        return f"no {word} on the roster"
    if counts[value.casefold()] > 1:
        return f"shares the {word} {value!r}"
    if defuse(value) != value:
        return f"the {word} {value!r} starts like a spreadsheet formula"
    return None


def learning_records(
    course: Path, db_url: str, left_out: set[tuple[str, str]] = frozenset()
) -> Export:
    """One row per learner per completed module, for a council's learning-record system: the
    columns of :data:`RECORD_COLUMNS`; the completion date is the day of the graded submission."""
    cohort = read_cohort(course, db_url, left_out)
    rows = []
    for person in cohort.learners:
        for module in cohort.modules:
            done = cohort.done.get((person.id, module.id))
            if done is None:
                continue
            rows.append(
                [
                    person.id,
                    person.id_number,
                    person.email,
                    person.name,
                    COURSE_TITLE,
                    module.id,
                    module.title,
                    _local_date(done.submitted),
                    module.minutes,
                    _number(done.score),
                    _number(module.max_score),
                ]
            )
    return Export(csv_bytes(RECORD_COLUMNS, rows), _cohort_notes(cohort) + _unknown(cohort))


def _unknown(cohort: Cohort) -> list[str]:
    return [
        f"{m.id}: not in this course's content, so its title and CPD minutes are unknown"
        for m in cohort.modules
        if m.minutes is None
    ]


def cpd_hours(course: Path, db_url: str, left_out: set[tuple[str, str]] = frozenset()) -> Export:
    """Minutes of CPD per learner: ``Learner``, ``Name``, ``ID number``, ``Email address``,
    ``Team``, then ``<module title> (minutes)`` for each module (its minutes if completed, 0 if
    not, empty if left out), ``Total minutes`` and ``Total hours``; a last column names the
    modules left out, when any are."""
    cohort = read_cohort(course, db_url, left_out)
    header = ["Learner", "Name", "ID number", "Email address", "Team"]
    header += [f"{m.title} (minutes)" for m in cohort.modules]
    header += ["Total minutes", "Total hours"] + ([LEFT_OUT] if cohort.left_out else [])
    rows = []
    for p in cohort.learners:
        skipped = cohort.left_out.get(p.id, [])
        minutes = [
            _minutes(m, (p.id, m.id) in cohort.done, m.id in skipped) for m in cohort.modules
        ]
        total = sum(v or 0 for v in minutes)
        row = [p.id, p.name, p.id_number, p.email, p.team, *minutes, total, _number(total / 60)]
        rows.append(row + (["; ".join(skipped)] if cohort.left_out else []))
    return Export(csv_bytes(header, rows), _cohort_notes(cohort) + _unknown(cohort))


def _minutes(module: Module, completed: bool, skipped: bool) -> int | None:
    """A module's CPD minutes for one learner: all of them if completed, 0 if not, and unknown
    (empty) if its submission was left out or the module is not in this course's content."""
    if skipped or (completed and module.minutes is None):
        return None
    return module.minutes if completed else 0


def build_export(
    shape: str,
    course: Path,
    db_url: str,
    left_out: set[tuple[str, str]] = frozenset(),
    identify_by: str = "email",
) -> Export:
    """The export called ``shape`` (one of :data:`SHAPES`)."""
    if shape == "moodle":
        return moodle_grades(course, db_url, left_out, identify_by)
    if shape == "records":
        return learning_records(course, db_url, left_out)
    if shape == "cpd":
        return cpd_hours(course, db_url, left_out)
    raise ValueError(f"unknown export {shape!r}; one of {', '.join(SHAPES)}")


def write_export(export: Export, out: Path) -> Path:
    """Write an export's bytes to ``out`` atomically (readable by the trainer only); returns it."""
    out.parent.mkdir(parents=True, exist_ok=True)
    write_bytes_atomically(out, export.data)
    return out
