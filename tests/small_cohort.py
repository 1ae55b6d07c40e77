"""A small cohort for fast tests of the report and the exports: a course directory with a
roster and a gradebook written through nbgrader's own API (no nbgrader command runs)."""

from __future__ import annotations

from nbgrader.api import Gradebook

from course_model import content
from grading.roster import import_roster

MODULE = "02-three-planets"
ITEMS = {"score_sort_planets": 4, "score_exploitable_contradictions": 3}
TITLE = content.load_module(MODULE)["title"]
EXERCISE = {g: content.exercise_spec(MODULE, g.removeprefix("score_"))["title"] for g in ITEMS}


def name(n: int) -> str:
    """The ``n``-th learner's name (fictional; first names of different lengths)."""
    return f"{('Ada', 'Bartholomew', 'Cy')[n % 3]} Lee{n}"


def make_cohort(tmp_path, graded: int, absent: int = 1):
    """A course directory whose roster holds ``graded + absent`` learners (teams North and
    South) and whose gradebook holds graded submissions of MODULE from the first ``graded``;
    their scores have thirds in them (e.g. 2.6666…)."""
    course = tmp_path / "trainer"
    course.mkdir()
    db_url = f"sqlite:///{course / 'gradebook.db'}"
    ids = [f"sw{n:02d}" for n in range(graded + absent)]
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "id,name,email,team\n"
        + "".join(f"{i},{name(n)},,{'NS'[n % 2]} team\n" for n, i in enumerate(ids))
    )
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
    return course, db_url, ids
