"""A seeded synthetic cohort run through the whole real pipeline, so a trainer can try it.

Each synthetic learner has an ability between 0.3 and 0.95; on every exercise they answer from the
key, making mistakes at a rate that matches their ability (wrong options, misplaced items, swapped
events, weaker branching choices). Then the real steps run: roster, release, fetch, submit,
collect, autograde, the simulated trainer's marks and comments on each reflection, feedback,
export and the cohort report. It is a synthetic cohort: every learner is fictional, named from
:data:`FIRST_NAMES` and :data:`SURNAMES` (names met across the UK, none a name from the sources
the course was written from), and the report says so.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from nbgrader.api import Gradebook

from course_model import content, exercise_types
from course_model.answers import AnswersStore
from course_model.exercise_types.base import AUTO, RUBRIC
from course_model.files import write_text_atomically
from grading import course_dir, learner_exchange, score_sheet
from grading.autograde import autograde
from grading.keys import keys_in
from grading.report import build_report
from grading.roster import import_roster

DEMO_MODULES = (
    "02-three-planets",
    "03-manipulating-systems",
    "04-children",
    "07-reflective-practice",
)


# 20 and 21 names: coprime counts, so the first 420 learners all have different full names.
FIRST_NAMES = (
    "Niamh", "Bilal", "Lowri", "Tendai", "Dominika", "Hamza", "Ceri", "Oluwaseun", "Isla",
    "Gurpreet", "Mehmet", "Fionnuala", "Jamal", "Kasia", "Rhys", "Zainab", "Efe", "Siobhan",
    "Yusuf", "Aled",
)  # fmt: skip
SURNAMES = (
    "O'Brien", "Hussain", "Davies", "Nwosu", "Mazur", "Begum", "Fraser", "Okonkwo", "Jones",
    "Sandhu", "Quinn", "Chowdhury", "MacLeod", "Szabo", "Evans", "Bhatt", "Robertson", "Novak",
    "Lewis", "Ghosh", "Thomas",
)  # fmt: skip


def synthetic_name(n: int) -> str:
    """The ``n``-th synthetic learner's name (from 0); distinct for the first 420."""
    return f"{FIRST_NAMES[n % len(FIRST_NAMES)]} {SURNAMES[n % len(SURNAMES)]}"


def demo_root(course: Path) -> Path:
    """Where the trainer's page runs its demo: a folder beside the real course directory, so
    nothing in the demo can touch the real cohort."""
    return course.parent / f"{course.name}-demo"


PAGE_DEMO = {"learners": 6, "modules": ("02-three-planets", "04-children")}  # a few minutes


def run_fresh_demo(course: Path, say=print) -> dict[str, Path]:
    """Run a small demo (PAGE_DEMO) from nothing beside ``course``, for the page's "try it"
    button; the last demo, and only it, is replaced."""
    root = demo_root(course)
    if root.exists():
        shutil.rmtree(root)
    return run_demo(root, say=say, **PAGE_DEMO)


def _answer_module(folder: Path, module_id: str, skill: float, rng: random.Random) -> None:
    specs = content.load_exercises(module_id)
    module = content.module_dir(module_id)
    keys = keys_in(
        [
            module / p["file"]
            for p in content.load_module(module_id)["pages"]
            if p["kind"] == "assessment"
        ]
    )
    store = AnswersStore(folder, module_id)
    for ex_id, spec in specs.items():
        kind = exercise_types.get(spec["type"], f"{module_id}/exercises.yaml: {ex_id}")
        key = keys.get(ex_id, spec.get("key"))
        if kind.demo_answer is None or (
            kind.marking == AUTO and key is None and not kind.key_optional
        ):
            continue  # formative only, or a practice item with nothing to answer from
        store.save(ex_id, kind.demo_answer(spec, key, skill, rng))


def run_demo(
    root: Path,
    learners: int = 10,
    seed: int = 2026,
    workers: int = 2,
    modules: tuple[str, ...] = DEMO_MODULES,
    say=print,
) -> dict[str, Path]:
    """Run the whole pipeline for a synthetic cohort under ``root``; return the report and export paths."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible synthetic cohort, not security
    course, exchange = root / "trainer", root / "exchange"
    course_dir.init(course, exchange)
    db_url = course_dir.db_url(course)
    ids = [f"demo{n:03d}" for n in range(1, learners + 1)]
    roster = root / "roster.csv"
    write_text_atomically(
        roster,
        "id,name,email,team\n"
        + "".join(f"{i},{synthetic_name(n)},,Team {'AB'[n % 2]}\n" for n, i in enumerate(ids)),
    )
    import_roster(roster, course, db_url)
    say(f"Roster: a synthetic cohort of {learners} fictional learners.")
    absent = ids[-1] if learners > 3 else None  # one learner never submits, as in real cohorts
    skill = {i: 0.3 + 0.65 * rng.random() for i in ids}
    for module_id in modules:
        course_dir.release(course, module_id)
        for learner_id in ids:
            if learner_id == absent:
                continue
            folder = root / "learners" / learner_id
            learner_exchange.init(folder, exchange, learner_id)
            target = learner_exchange.fetch(folder, module_id)[0]
            _answer_module(target, module_id, skill[learner_id], rng)
            learner_exchange.submit(folder, module_id)
        course_dir.collect(course, module_id)
        report = autograde(course, module_id, workers=workers)
        say(report.summary(course / "autograded"))
        _mark_reflections(db_url, module_id, rng)
        course_dir.feedback(course, module_id)
    scores = score_sheet.export_scores(course, db_url, root / "scores.xlsx")
    written = build_report(course, db_url, root / "cohort-report.html", synthetic=True)
    return {"report": written["html"], "statistics": written["csv"], "scores": scores}


def _mark_reflections(db_url: str, module_id: str, rng: random.Random) -> None:
    """The simulated trainer marks every reflection against the rubric's range and comments."""
    specs = content.load_exercises(module_id)
    with Gradebook(db_url) as gb:
        for spec in specs.values():
            if exercise_types.get(spec["type"]).marking != RUBRIC or spec["mode"] != "graded":
                continue
            for submission in gb.assignment_submissions(module_id):
                for nb in submission.notebooks:
                    for grade in nb.grades:
                        if grade.name == f"rubric_{spec['id']}":
                            grade.manual_score = float(rng.randint(1, int(spec["points"])))
                    for comment in nb.comments:
                        if comment.name == f"rubric_{spec['id']}":
                            comment.manual_comment = "Demo comment: clear analysis; name one concrete action for his behaviour."
        gb.db.commit()
