"""A small cohort for fast tests of the report and the exports: a course directory with a
roster and a gradebook written through nbgrader's own API (no nbgrader command runs)."""

from __future__ import annotations

import csv
import shutil

from nbgrader.api import Gradebook

from course_model import content
from course_model.answers import AnswersStore
from grading.roster import import_roster
from tests.conftest import graded_keys

MODULE = "02-three-planets"
ITEMS = {"score_sort_planets": 4, "score_exploitable_contradictions": 3}
TITLE = content.load_module(MODULE)["title"]
EXERCISE = {g: content.exercise_spec(MODULE, g.removeprefix("score_"))["title"] for g in ITEMS}


def name(n: int) -> str:
    """The ``n``-th learner's name (fictional; first names of different lengths)."""
    return f"{('Ada', 'Bartholomew', 'Cy')[n % 3]} Lee{n}"


def make_cohort(tmp_path, graded: int, absent: int = 1, names: list[str] | None = None):
    """A course directory whose roster holds ``graded + absent`` learners (teams "N team" and
    "S team") and whose gradebook holds graded submissions of MODULE from the first ``graded``;
    their scores have thirds in them (e.g. 2.6666…). Each of them sorted one message to the
    wrong planet (in the autograded answers file; the source notebooks hold the keys).
    ``names``: the learners' names on the roster, instead of :func:`name`'s."""
    course = tmp_path / "trainer"
    course.mkdir()
    db_url = f"sqlite:///{course / 'gradebook.db'}"
    ids = [f"sw{n:02d}" for n in range(graded + absent)]
    roster = tmp_path / "roster.csv"
    with roster.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["id", "name", "email", "team"])
        for n, i in enumerate(ids):
            out.writerow([i, names[n] if names else name(n), "", f"{'NS'[n % 2]} team"])
    import_roster(roster, course, db_url)
    with Gradebook(db_url) as gb:
        gb.add_assignment(MODULE)
        gb.add_notebook("assessment", MODULE)
        for cell, points in ITEMS.items():
            gb.add_grade_cell(cell, "assessment", MODULE, max_score=points, cell_type="code")
        for n, learner in enumerate(ids[:graded]):
            gb.add_submission(MODULE, learner)
            for cell, points in ITEMS.items():
                grade = gb.find_grade(cell, "assessment", MODULE, learner)
                grade.auto_score = points * ((n + len(cell)) % 4) / 3 / 1.5
        gb.db.commit()
    _answer_wrongly(course, ids[:graded])
    return course, db_url, ids


def _answer_wrongly(course, learners: list[str]) -> None:
    source = course / "source" / MODULE
    source.mkdir(parents=True)
    for page in content.load_module(MODULE)["pages"]:
        if page["kind"] == "assessment":
            shutil.copy(content.module_dir(MODULE) / page["file"], source / page["file"])
    key = graded_keys()["sort_planets"]
    first = sorted(key)[0]
    others = [c["id"] for c in content.exercise_spec(MODULE, "sort_planets")["categories"]]
    wrong = {**key, first: next(c for c in others if c != key[first])}
    for learner in learners:
        folder = course / "autograded" / learner / MODULE
        folder.mkdir(parents=True)
        AnswersStore(folder, MODULE).save("sort_planets", wrong)
