"""What the trainer's page says about a module at each step of a real cohort's run.

One course goes through the real nbgrader pipeline once (release, learners' fetch and submit,
collect, autograde, marks in the gradebook, feedback, then a late learner: a blank reflection, a
failed autograde, a resubmission). ``grading.cohort.module_states`` is read after each step, and
each test checks what one step shows.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from nbgrader.api import Gradebook

from course_model import content
from grading import course_dir, learner_exchange
from grading.autograde import autograde
from grading.cohort import module_states
from grading.roster import import_roster
from tests.conftest import MODULE, answer

pytestmark = pytest.mark.nbgrader

REFLECTION = "What? His account shaped the record. So what? Now what? I will see her alone. " * 5


def _mark(db_url: str, learner: str, score: float) -> None:
    """Give a reflection its rubric score in the gradebook, where formgrader's score box puts it."""
    with Gradebook(db_url) as gb:
        gb.find_grade("rubric_reflect_planets", "assessment", MODULE, learner).manual_score = score
        gb.db.commit()


@pytest.fixture(scope="module")
def seen(tmp_path_factory):
    """The module's state after each step (and every module's before release), with how long
    each reading took. Roster: ash, bo, cy; ash and bo write reflections; cy submits late with no
    reflection, the autograde of cy's collected copy fails, and cy submits again."""
    tmp = tmp_path_factory.mktemp("cohort")
    course, exchange, learners = tmp / "trainer", tmp / "exchange", tmp / "learners"
    course_dir.init(course, exchange)
    found: dict = {"seconds": [], "course": course, "exchange": exchange}
    found["no roster"] = module_states(course)
    found["gradebook made by reading"] = (course / "gradebook.db").exists()
    roster = tmp / "roster.csv"
    roster.write_text("id,name,email,team\nash,Ash Li,,A\nbo,Bo Chan,,A\ncy,Cy Roe,,B\n")
    import_roster(roster, course, course_dir.db_url(course))

    def step(name: str) -> None:
        start = time.perf_counter()
        states = module_states(course)
        found["seconds"].append(time.perf_counter() - start)
        found[name] = {s.module: s for s in states}

    def submit(answers: dict[str, dict]) -> None:
        """Learners fetch, answer and submit; their nbgrader commands run side by side."""
        folders = {learner: learners / learner for learner in answers}
        for learner, folder in folders.items():
            learner_exchange.init(folder, exchange, learner)
        with ThreadPoolExecutor() as pool:
            fetched = dict(
                zip(
                    folders,
                    pool.map(learner_exchange.fetch, folders.values(), [MODULE] * len(folders)),
                    strict=True,
                )
            )
        for learner, given in answers.items():
            answer(fetched[learner][0], given)
        with ThreadPoolExecutor() as pool:
            list(pool.map(learner_exchange.submit, folders.values(), [MODULE] * len(folders)))

    step("not released")
    course_dir.release(course, MODULE)
    step("released")
    submit({learner: {"reflect_planets": f"{learner}: {REFLECTION}"} for learner in ("ash", "bo")})
    step("waiting")
    course_dir.collect(course, MODULE)
    step("collected")
    assert autograde(course, MODULE).graded == {"ash", "bo"}
    step("autograded")
    _mark(course_dir.db_url(course), "ash", 3)
    step("one marked")
    _mark(course_dir.db_url(course), "bo", 2)
    step("all marked")
    course_dir.feedback(course, MODULE)
    step("fed back")
    submit({"cy": {}})
    step("late")
    course_dir.collect(course, MODULE)
    assert autograde(course, MODULE).graded == {"ash", "bo", "cy"}
    step("late autograded")
    # nbgrader cannot read cy's collected notebook: the autograde of that submission fails.
    (course / "submitted" / "cy" / MODULE / "assessment.ipynb").write_text("{ damaged")
    with pytest.raises(course_dir.GradingError, match="error processing assignment"):
        course_dir.nbgrader(course, "autograde", MODULE, "--student", "cy", "--force")
    step("failed")
    learner_exchange.submit(learners / "cy", MODULE)
    step("resubmitted")
    return found


def _at(seen, step: str):
    return seen[step][MODULE]


def test_before_release_every_module_says_release(seen):
    states = seen["not released"]
    assert list(states) == content.module_ids()
    for module, state in states.items():
        assert state.title == content.load_module(module)["title"]
        assert not state.released and state.released_at is None
        assert state.learners == ["ash", "bo", "cy"] and state.missing == ["ash", "bo", "cy"]
        assert state.next_action == "release"
        assert state.reason == "Not released yet; 3 learners in the cohort."


def test_released_with_nobody_submitted(seen):
    state = _at(seen, "released")
    assert state.released
    assert abs(datetime.now(UTC) - state.released_at) < timedelta(minutes=10)
    assert state.waiting == state.submitted == []
    assert state.missing == ["ash", "bo", "cy"]
    assert state.next_action is None
    assert state.reason.startswith("Released ") and "0 of 3 learners have submitted" in state.reason
    others = [s for m, s in seen["released"].items() if m != MODULE]
    assert all(s.next_action == "release" for s in others), "only one module was released"


def test_two_submissions_wait_to_be_collected(seen):
    state = _at(seen, "waiting")
    assert state.waiting == ["ash", "bo"] and state.submitted == []
    assert state.missing == ["cy"]
    assert state.next_action == "collect"
    assert state.reason == (
        "2 of 3 learners have submitted; 2 are waiting to be collected. Not submitted yet: cy."
    )


def test_collected_two_of_three_names_the_missing_one(seen):
    state = _at(seen, "collected")
    assert state.waiting == [] and state.submitted == ["ash", "bo"]
    assert state.missing == ["cy"] and state.autograded == []
    assert state.next_action == "autograde"
    assert state.reason == (
        "2 of 3 learners' submissions collected; 2 to autograde. Not submitted yet: cy."
    )


def test_autograded_reflections_wait_for_marks(seen):
    state = _at(seen, "autograded")
    assert state.autograded == ["ash", "bo"] and state.failed == []
    assert state.to_mark == ["ash", "bo"] and state.marked == []
    assert state.next_action == "mark"
    assert state.reason.startswith("2 of 3 learners autograded; 0 of 2 reflections marked.")


def test_one_of_two_reflections_marked(seen):
    state = _at(seen, "one marked")
    assert state.marked == ["ash"] and state.to_mark == ["ash", "bo"]
    assert state.next_action == "mark"
    assert "1 of 2 reflections marked" in state.reason


def test_all_marked_feedback_is_next(seen):
    state = _at(seen, "all marked")
    assert state.marked == ["ash", "bo"] and state.feedback == []
    assert state.next_action == "feedback"
    assert state.reason == (
        "2 of 2 reflections marked; feedback released to 0 of 2 autograded learners. "
        "Not submitted yet: cy."
    )


def test_feedback_released_leaves_nothing_to_do(seen):
    state = _at(seen, "fed back")
    assert state.feedback == ["ash", "bo"]
    assert state.next_action is None
    assert state.reason == (
        "Feedback released to 2 of 2 autograded learners. Not submitted yet: cy."
    )


def test_a_late_submission_waits_while_feedback_stays_released(seen):
    state = _at(seen, "late")
    assert state.waiting == ["cy"] and state.missing == [] and state.feedback == ["ash", "bo"]
    assert state.next_action == "collect"
    assert state.reason == "3 of 3 learners have submitted; 1 is waiting to be collected."


def test_a_blank_reflection_needs_no_marking(seen):
    state = _at(seen, "late autograded")
    assert state.autograded == ["ash", "bo", "cy"] and state.failed == []
    assert state.to_mark == ["ash", "bo"] == state.marked, (
        "marks survive autograding everyone again"
    )
    assert state.feedback == ["ash", "bo"]
    assert state.next_action == "feedback"
    assert state.reason == (
        "2 of 2 reflections marked; feedback released to 2 of 3 autograded learners."
    )


def test_a_failed_autograde_is_named_and_not_retried_blindly(seen):
    state = _at(seen, "failed")
    assert state.failed == ["cy"] and state.autograded == ["ash", "bo"]
    assert state.submitted == ["ash", "bo", "cy"] and state.waiting == []
    assert state.next_action is None, "autograding the same submission again fails again"
    assert state.reason == (
        "Feedback released to 2 of 2 autograded learners. Autograde failed for cy: nbgrader's "
        "log (autograde.log in the course directory) says why."
    )


def test_a_resubmission_newer_than_the_collected_copy_waits(seen):
    state = _at(seen, "resubmitted")
    assert state.waiting == ["cy"] and state.failed == ["cy"]
    assert state.next_action == "collect"
    assert state.reason.startswith("3 of 3 learners have submitted; 1 is waiting to be collected.")


def test_a_new_course_directory_reads_as_unreleased_and_is_left_alone(seen):
    assert not seen["gradebook made by reading"], "reading must not create the gradebook"
    state = seen["no roster"][0]
    assert state.learners == [] and state.next_action == "release"
    assert state.reason == "Not released yet; 0 learners in the cohort."


def _files(*roots) -> dict[str, tuple[int, int]]:
    return {
        str(p): (p.stat().st_mtime_ns, p.stat().st_size) for root in roots for p in root.rglob("*")
    }


def test_reading_writes_nothing(seen):
    before = _files(seen["course"], seen["exchange"])
    module_states(seen["course"])
    assert _files(seen["course"], seen["exchange"]) == before


def test_reading_every_module_is_quick(seen):
    assert max(seen["seconds"]) < 1.0, seen["seconds"]
