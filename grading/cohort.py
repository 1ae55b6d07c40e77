"""Where each module stands for this cohort, and what the trainer should do next.

The trainer's dashboard asks every few seconds, so every fact is read again where nbgrader itself
keeps it; nothing is cached and nothing is written (the gradebook is opened read-only):

- released: ``<exchange>/<course id>/outbound/<module>``, the folder ``fetch_assignment`` copies;
  its time is that folder's status-change time, set as ``release_assignment`` copied it and set
  its permissions.
- waiting: ``<exchange>/<course id>/inbound/<learner>+<module>+<timestamp>+<random>`` folders
  (read as nbgrader's collect reads them) newer than the learner's collected copy.
- submitted: ``<course>/submitted/<learner>/<module>`` (what collect copied), with the
  submission's ``timestamp.txt``.
- autograded: ``<course>/autograded/<learner>/<module>`` holding every notebook of
  ``source/<module>`` and the collected copy's ``timestamp.txt`` (a run under way has copied the
  other files but not yet written the notebooks).
- failed: a collected submission whose gradebook ``submitted_assignment`` row has its timestamp
  (autograde reached it) but which has no autograded folder: nbgrader removes the folder of a
  submission it could not grade.
- marked: the gradebook's ``grade`` rows without an ``auto_score`` are the manually graded cells
  (the reflections' rubric cells); each needs a ``manual_score``. A reflection left blank scores 0
  with nothing to read, so it needs no marking: its ``answers.json`` holds no text for the exercise
  the cell ``rubric_<exercise id>`` names.
- feedback: ``<course>/feedback/<learner>/<module>`` generated for the collected submission (the
  same ``timestamp.txt``) with every page released to ``<exchange>/<course id>/feedback/`` under
  nbgrader's ``notebook_hash`` of the submission's secret, no older than the generated page.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from nbgrader.utils import notebook_hash, parse_utc
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Engine, make_url

from course_model import content
from course_model.answers import read_answers
from grading import course_dir
from grading.roster import kept_roster

RUBRIC_PREFIX = "rubric_"  # a reflection's manually graded cell is rubric_<exercise id>
NAMED = 5  # learners a reason names before it counts the rest
STUDENTS_SQL = text("SELECT id FROM student")
ATTEMPTS_SQL = text("""
SELECT a.name, s.student_id, s.timestamp
FROM submitted_assignment s JOIN assignment a ON s.assignment_id = a.id
""")
MANUAL_SQL = text("""
SELECT a.name, s.student_id, bc.name, g.manual_score
FROM grade g
JOIN submitted_notebook sn ON g.notebook_id = sn.id
JOIN submitted_assignment s ON sn.assignment_id = s.id
JOIN assignment a ON s.assignment_id = a.id
JOIN base_cell bc ON g.cell_id = bc.id
WHERE g.auto_score IS NULL
""")


@dataclass
class ModuleState:
    """One module's state for this cohort, as the trainer's page shows it; lists hold learner ids,
    sorted. ``next_action`` is one of release, collect, autograde, mark, feedback (or None: nothing
    to do now) and ``reason`` says why in plain words."""

    module: str
    title: str
    released: bool = False
    released_at: datetime | None = None  # UTC
    learners: list[str] = field(default_factory=list)  # roster, gradebook, anyone who submitted
    waiting: list[str] = field(default_factory=list)  # in the exchange, newer than collected
    submitted: list[str] = field(default_factory=list)  # collected
    missing: list[str] = field(default_factory=list)  # no submission at all
    autograded: list[str] = field(default_factory=list)  # the collected submission, graded
    failed: list[str] = field(default_factory=list)  # autograde failed on it
    to_mark: list[str] = field(default_factory=list)  # autograded, with a reflection to mark
    marked: list[str] = field(default_factory=list)  # of to_mark: every such cell has a score
    feedback: list[str] = field(default_factory=list)  # released on the collected submission
    next_action: str | None = None
    reason: str = ""


@dataclass
class _Cohort:
    """What the whole course directory, exchange and gradebook hold, read once per call."""

    course: Path
    exchange: Path  # <exchange root>/<course id>
    learners: set[str]
    inbound: dict[tuple[str, str], datetime]  # newest per (module, learner)
    folders: dict[str, dict[tuple[str, str], Path]]  # per step, (module, learner) -> folder
    attempts: dict[tuple[str, str], datetime]  # what autograde last reached
    manual: dict[tuple[str, str], list[tuple[str, float | None]]]  # (cell, manual score)


def module_states(course: Path) -> list[ModuleState]:
    """Every module of the course (in course order) with its state for the cohort and the next
    action, read afresh from the course directory, the exchange and the gradebook, so that the
    trainer's page always shows what nbgrader would act on."""
    config = course_dir.read_config(course)
    steps = ("submitted", "autograded", "feedback")
    attempts, manual, students = _gradebook(course, course_dir.db_url(course))
    exchange = Path(config.Exchange.root) / config.CourseDirectory.course_id
    cohort = _Cohort(
        course=course,
        exchange=exchange,
        learners={p.id for p in kept_roster(course)} | students,
        inbound=_inbound(exchange / "inbound"),
        folders={step: _step_folders(course / step) for step in steps},
        attempts=attempts,
        manual=manual,
    )
    states = []
    for module in content.module_ids():
        state = _module_state(cohort, module)
        state.next_action, state.reason = _advise(state)
        states.append(state)
    return states


def _read_only_engine(course: Path, url: str) -> Engine | None:
    """An engine on the gradebook that cannot write to it; None while there is no gradebook
    file (a database on a server may exist before nbgrader has made its tables)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url)  # nothing here ever commits
    path = Path(parsed.database or "")
    path = path if path.is_absolute() else course / path  # nbgrader runs in the course directory
    if not path.is_file():
        return None  # opening it would create it
    return create_engine(f"sqlite:///file:{quote(str(path))}?mode=ro&uri=true")


def _gradebook(
    course: Path, url: str
) -> tuple[
    dict[tuple[str, str], datetime], dict[tuple[str, str], list[tuple[str, float | None]]], set[str]
]:
    """From the gradebook: when autograde last reached each (module, learner), their manually
    graded cells with any manual score, and every learner it knows."""
    attempts: dict[tuple[str, str], datetime] = {}
    manual: dict[tuple[str, str], list[tuple[str, float | None]]] = {}
    engine = _read_only_engine(course, url)
    if engine is None:
        return attempts, manual, set()
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("student"):
                return attempts, manual, set()  # a new database nbgrader has not written yet
            students = {sid for (sid,) in conn.execute(STUDENTS_SQL)}
            for module, learner, stamp in conn.execute(ATTEMPTS_SQL):
                if (when := _when(stamp)) is not None:
                    attempts[module, learner] = when
            for module, learner, cell, score in conn.execute(MANUAL_SQL):
                manual.setdefault((module, learner), []).append((cell, score))
    finally:
        engine.dispose()
    return attempts, manual, students


def _when(value) -> datetime | None:
    """An nbgrader timestamp (``timestamp.txt``, a submission's name, the gradebook) as naive UTC,
    as nbgrader's ``parse_utc`` reads it, or None if it is not one. Its default format is read
    without dateutil, which otherwise takes most of a refresh's time for a large cohort."""
    try:
        when = datetime.fromisoformat(str(value).removesuffix(" UTC"))
        return when if when.tzinfo is None else parse_utc(value)
    except ValueError:
        pass
    try:
        return parse_utc(value)
    except (ValueError, OverflowError):
        return None


def _subfolders(folder: Path) -> list[os.DirEntry]:
    try:
        return [e for e in os.scandir(folder) if e.is_dir()]
    except (FileNotFoundError, NotADirectoryError):
        return []


def _step_folders(root: Path) -> dict[tuple[str, str], Path]:
    """Every ``<root>/<learner>/<module>`` folder, by (module, learner)."""
    return {
        (module.name, learner.name): Path(module.path)
        for learner in _subfolders(root)
        for module in _subfolders(Path(learner.path))
    }


def _inbound(folder: Path) -> dict[tuple[str, str], datetime]:
    """The newest submission in the exchange's inbound folder per (module, learner); each folder
    is named and split as nbgrader's submit and collect do (learner+module+timestamp+random)."""
    newest: dict[tuple[str, str], datetime] = {}
    for entry in _subfolders(folder):
        parts = entry.name.rsplit("+", 3)
        if len(parts) < 3:
            continue  # not a submission
        when = _when(parts[2])
        if when is None:
            continue  # collect would refuse it too
        key = (parts[1], parts[0])
        if key not in newest or when > newest[key]:
            newest[key] = when
    return newest


def _stamp(folder: Path | None) -> str | None:
    """A submission copy's ``timestamp.txt`` as written at submit (None if there is none)."""
    if folder is None:
        return None
    try:
        return (folder / "timestamp.txt").read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def _released_at(outbound: Path) -> datetime | None:
    try:
        return datetime.fromtimestamp(outbound.stat().st_ctime, tz=UTC)
    except OSError:
        return None


def _module_state(cohort: _Cohort, module: str) -> ModuleState:
    """Sort every learner of the cohort into the module's steps."""
    released_at = _released_at(cohort.exchange / "outbound" / module)
    state = ModuleState(
        module, content.load_module(module)["title"], bool(released_at), released_at
    )
    notebooks = [p.name for p in (cohort.course / "source" / module).glob("*.ipynb")]
    here = {
        learner for (m, learner) in [*cohort.inbound, *cohort.folders["submitted"]] if m == module
    }
    state.learners = sorted(cohort.learners | here)
    for learner in state.learners:
        key = (module, learner)
        stamp = _stamp(cohort.folders["submitted"].get(key))
        collected = _when(stamp) if stamp else None
        newest = cohort.inbound.get(key)
        if newest is not None and (collected is None or newest > collected):
            state.waiting.append(learner)
        if key not in cohort.folders["submitted"]:
            if newest is None:
                state.missing.append(learner)
            continue
        state.submitted.append(learner)
        graded = cohort.folders["autograded"].get(key)
        if graded is None and collected is not None and cohort.attempts.get(key) == collected:
            state.failed.append(learner)
        if graded is None or _stamp(graded) != stamp:
            continue
        if not all((graded / name).is_file() for name in notebooks):
            continue  # autograde is writing it now
        state.autograded.append(learner)
        scores = [s for cell, s in cohort.manual.get(key, []) if _written(graded, cell)]
        if scores:
            state.to_mark.append(learner)
            if all(s is not None for s in scores):
                state.marked.append(learner)
        if _feedback_released(cohort.folders["feedback"].get(key), stamp, cohort.exchange):
            state.feedback.append(learner)
    return state


def _written(graded: Path, cell: str) -> bool:
    """Whether a manually graded cell has something to mark: a rubric cell's reflection left blank
    (or never answered) has not; any other such cell, or an unreadable answers file, has."""
    if not cell.startswith(RUBRIC_PREFIX):
        return True
    answers, problem = read_answers(graded)
    if problem:
        return True  # the trainer must look at it
    given = answers.get(cell.removeprefix(RUBRIC_PREFIX))
    return bool(given.strip() if isinstance(given, str) else given)


def _feedback_released(folder: Path | None, stamp: str | None, exchange: Path) -> bool:
    """Whether feedback generated for this submission is in the exchange, every page released
    after it was generated: named as nbgrader's release_feedback names it."""
    if folder is None or stamp is None or _stamp(folder) != stamp:
        return False
    try:
        secret = (folder / "submission_secret.txt").read_text(encoding="utf-8")
    except OSError:
        return False
    pages = list(folder.glob("*.html"))
    for page in pages:
        released = (
            exchange / "feedback" / f"{notebook_hash(secret=secret, notebook_id=page.stem)}.html"
        )
        try:
            if released.stat().st_mtime < page.stat().st_mtime:
                return False
        except OSError:
            return False
    return bool(pages)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _names(learners: list[str]) -> str:
    shown = ", ".join(learners[:NAMED])
    more = len(learners) - NAMED
    return f"{shown} and {more} more" if more > 0 else shown


def _advise(s: ModuleState) -> tuple[str | None, str]:
    """The next action for a module and the sentence a trainer reads about it: release, then
    collect what waits, autograde what was collected, mark written reflections, release feedback."""
    n = len(s.learners)
    if not s.released:
        return "release", f"Not released yet; {_count(n, 'learner')} in the cohort."
    tail = f" Not submitted yet: {_names(s.missing)}." if s.missing else ""
    if s.failed:
        tail += (
            f" Autograde failed for {_names(s.failed)}: nbgrader's log (autograde.log in the "
            "course directory) says why."
        )
    if s.waiting:
        waiting = f"{len(s.waiting)} {'is' if len(s.waiting) == 1 else 'are'} waiting"
        handed_in = n - len(s.missing)
        return (
            "collect",
            f"{handed_in} of {n} learners have submitted; {waiting} to be collected.{tail}",
        )
    if not s.submitted:
        when = f" {s.released_at.day} {s.released_at:%b %Y, %H:%M} UTC" if s.released_at else ""
        if not n:
            return None, f"Released{when}; no learners yet: import the roster."
        return None, f"Released{when}; 0 of {n} learners have submitted."
    collected = f"{len(s.submitted)} of {n} learners' submissions collected"
    to_grade = [x for x in s.submitted if x not in s.autograded and x not in s.failed]
    if to_grade:
        return "autograde", f"{collected}; {len(to_grade)} to autograde.{tail}"
    if not s.autograded:
        return None, f"{collected}.{tail}"
    progress = f"{len(s.autograded)} of {n} learners autograded"
    if s.to_mark:
        progress = f"{len(s.marked)} of {_count(len(s.to_mark), 'reflection')} marked"
    if len(s.marked) < len(s.to_mark):
        return "mark", f"{len(s.autograded)} of {n} learners autograded; {progress}.{tail}"
    sent = f"released to {len(s.feedback)} of {len(s.autograded)} autograded learners"
    if len(s.feedback) < len(s.autograded):
        return "feedback", f"{progress}; feedback {sent}.{tail}"
    return None, f"Feedback {sent}.{tail}"
