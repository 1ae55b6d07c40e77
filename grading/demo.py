"""A seeded synthetic cohort run through the whole real pipeline, so a trainer can try it.

Each synthetic learner has an ability between 0.3 and 0.95; on every exercise they answer from the
key, making mistakes at a rate that matches their ability (wrong options, misplaced items, swapped
events, weaker branching choices). Then the real steps run: roster, release, fetch, submit,
collect, autograde, the simulated trainer's marks and comments on each reflection, feedback,
export and the cohort report. Every learner is fictional and labelled "Demo learner".
"""

from __future__ import annotations

import random
from pathlib import Path

from nbgrader.api import Gradebook

from course_model import content
from course_model.answers import AnswersStore
from grading import course_dir, export, learner_exchange
from grading.autograde import autograde
from grading.keys import keys_in
from grading.report import build_report
from grading.roster import import_roster

NEEDS_KEY = {"single", "multiselect", "sort", "spot", "order", "branching"}
DEMO_MODULES = (
    "00-welcome",
    "02-three-planets",
    "03-manipulating-systems",
    "07-reflective-practice",
)
REFLECTION = (
    "What? In a recent visit one parent answered every question while the other stayed quiet. "
    "So what? I recorded the visit as calm and did not see the mother alone, so his account shaped "
    "the record. Now what? I will plan to see each parent separately, record who said what, and ask "
    "the domestic abuse worker what they know before the next review. "
)


def _answer(spec: dict, key, skill: float, rng: random.Random):
    """One learner's answer to one exercise, right with probability ``skill`` part by part."""
    kind = spec["type"]
    if kind == "single":
        wrong = [o["id"] for o in spec["options"] if o["id"] != key]
        return key if rng.random() < skill or not wrong else rng.choice(wrong)
    if kind == "multiselect":
        return sorted(
            o["id"]
            for o in spec["options"]
            if (o["id"] in key and rng.random() < skill)
            or (o["id"] not in key and rng.random() < (1 - skill) / 2)
        )
    if kind in ("sort", "spot"):
        labels = [c["id"] for c in spec["categories" if kind == "sort" else "tactics"]]
        return {
            row: (cat if rng.random() < skill else rng.choice(labels)) for row, cat in key.items()
        }
    if kind == "order":
        order = list(key)
        for _ in range(round((1 - skill) * len(order))):
            i = rng.randrange(len(order) - 1)
            order[i], order[i + 1] = order[i + 1], order[i]
        return order
    if kind == "rating":
        lo, hi = spec["scale"]["min"], spec["scale"]["max"]
        target = key if key is not None else round(lo + skill * (hi - lo))
        return min(hi, max(lo, target + rng.choice([-1, 0, 0, 1])))
    if kind == "branching":
        scenes = {s["id"]: s for s in spec["scenes"]}
        path, scene = [], scenes[spec["start"]]
        while not scene.get("ending"):
            ranked = sorted(scene["choices"], key=lambda c: -key.get(c["id"], 0))
            choice = ranked[0] if rng.random() < skill else rng.choice(ranked)
            path.append(choice["id"])
            scene = scenes[choice["next"]]
        return path
    if kind == "reflection":
        return REFLECTION * (1 + round(skill * 2))
    return None


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
        key = keys.get(ex_id, spec.get("key"))
        if spec["type"] in NEEDS_KEY and key is None:
            continue
        value = _answer(spec, key, skill, rng)
        if value is not None:
            store.save(ex_id, value)


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
    roster.write_text(
        "id,name,email,team\n"
        + "".join(
            f"{i},Demo learner {n},,Team {'AB'[n % 2]}\n" for n, i in enumerate(ids, start=1)
        ),
        encoding="utf-8",
    )
    import_roster(roster, course, db_url)
    say(f"Roster: {learners} synthetic learners.")
    absent = ids[-1] if learners > 3 else None  # one learner never submits, as in real cohorts
    skill = {i: 0.3 + 0.65 * rng.random() for i in ids}
    for module_id in modules:
        course_dir.release(course, module_id)
        for learner_id in ids:
            if learner_id == absent:
                continue
            folder = root / "learners" / learner_id
            learner_exchange.init(folder, exchange, learner_id)
            target = learner_exchange.fetch(folder, module_id)
            _answer_module(target, module_id, skill[learner_id], rng)
            learner_exchange.submit(folder, module_id)
        course_dir.collect(course, module_id)
        report = autograde(course, module_id, workers=workers)
        say(report.summary(course / "autograded"))
        _mark_reflections(db_url, module_id, rng)
        course_dir.feedback(course, module_id)
    scores = export.export_scores(db_url, root / "scores.xlsx")
    written = build_report(course, db_url, root / "cohort-report.html")
    return {"report": written["html"], "statistics": written["csv"], "scores": scores}


def _mark_reflections(db_url: str, module_id: str, rng: random.Random) -> None:
    """The simulated trainer marks every reflection against the rubric's range and comments."""
    specs = content.load_exercises(module_id)
    with Gradebook(db_url) as gb:
        for spec in specs.values():
            if spec["type"] != "reflection" or spec["mode"] != "graded":
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
