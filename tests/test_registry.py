"""One entry per exercise type: a type added to the registry alone is validated by check, scored
for nbgrader, summarised in the cohort report and answered by the demo cohort; a type that lacks
its scorer, or that nobody registered, is named by check."""

from __future__ import annotations

import dataclasses
import random
import shutil

import pytest

from course_model import check, exercise_types
from course_model.answers import AnswersStore, read_answers
from grading import report
from grading.cells import score
from grading.demo import _answer_module
from practice_lab import scaffold

MODULE = "09-example"
KEY = ["right", "also_right"]


@pytest.fixture
def dummy(course_copy):
    """A module whose graded item is of a type only this test registers ("tally": the
    multiple-select rules under another name)."""
    base = exercise_types.get("multiselect")
    kind = dataclasses.replace(base, name="tally")
    exercise_types.register(kind)
    scaffold.new_module(MODULE)
    folder = course_copy / "modules" / MODULE
    specs = folder / "exercises.yaml"
    specs.write_text(
        specs.read_text(encoding="utf-8").replace("type: multiselect", "type: tally"),
        encoding="utf-8",
    )
    yield kind
    exercise_types.unregister("tally")


def test_check_validates_a_registered_type(dummy):
    assert check.check_course() == []


def test_check_names_a_type_without_its_scorer(dummy):
    exercise_types.register(dataclasses.replace(dummy, score=None))
    problems = [str(p) for p in check.check_course()]
    assert any("'tally' is marked automatically but has no scorer" in p for p in problems)


def test_check_names_a_type_nobody_registered(dummy):
    exercise_types.unregister("tally")
    problems = [str(p) for p in check.check_course()]
    assert any(f"{MODULE}/exercises.yaml" in p and "'tally' is not one of" in p for p in problems)


def test_nbgrader_scores_it_with_its_scorer(dummy, tmp_path, monkeypatch):
    AnswersStore(tmp_path, MODULE).save("example_graded", ["right", "wrong"])
    monkeypatch.chdir(tmp_path)
    assert score(MODULE, "example_graded", points=2, key=KEY) == 0.0  # one right, one wrong
    AnswersStore(tmp_path, MODULE).save("example_graded", ["right"])
    assert score(MODULE, "example_graded", points=2, key=KEY) == 1.0


def test_the_demo_cohort_answers_it(dummy, tmp_path):
    for n, skill in enumerate((0.3, 0.9)):
        folder = tmp_path / f"learner{n}" / MODULE
        folder.mkdir(parents=True)
        _answer_module(folder, MODULE, skill, random.Random(n))  # noqa: S311 - a seeded cohort
        answers, problem = read_answers(folder)
        assert problem is None and isinstance(answers["example_graded"], list)


def test_the_report_summarises_its_wrong_answers(dummy, tmp_path, course_copy):
    trainer = tmp_path / "trainer"
    (trainer / "source" / MODULE).mkdir(parents=True)
    shutil.copy(course_copy / "modules" / MODULE / "assessment.ipynb", trainer / "source" / MODULE)
    answers = {
        "a": {"example_graded": ["right", "wrong"]},
        "b": {"example_graded": ["wrong"]},
        "c": {"example_graded": KEY},
    }
    wrong = report.misconceptions(trainer, MODULE, answers)
    assert list(wrong["wrong answer"]) == ["ticked: Write a tempting wrong option."]
    assert list(wrong["learners"]) == [2]
