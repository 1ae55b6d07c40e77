"""Exercise widgets, headless: they save on a person's change, never on display, and restore."""

from __future__ import annotations

import json

from tests.conftest import HOSTILE, MODULE, answer
from widgets import CoursePage
from widgets.answers import FILE_NAME
from widgets.reflection import HARD_CAP


def test_displaying_a_page_writes_nothing(tmp_path):
    page = CoursePage(MODULE, folder=tmp_path)
    page.header()
    for ex_id in ("sort_planets", "exploitable_contradictions", "reflect_planets"):
        page.exercise(ex_id)
    assert not (tmp_path / FILE_NAME).exists()


def test_each_change_is_saved_and_a_new_page_restores_it(tmp_path):
    answer(
        tmp_path,
        {
            "sort_planets": {"s2": "cp"},
            "exploitable_contradictions": ["o4"],
            "reflect_planets": HOSTILE,
        },
    )
    page = CoursePage(MODULE, folder=tmp_path)
    assert page.build("sort_planets").value == {"s2": "cp"}
    assert page.build("exploitable_contradictions").value == ["o4"]
    assert page.build("reflect_planets").value == HOSTILE


def test_status_says_when_the_answer_was_saved(tmp_path):
    ex = CoursePage(MODULE, folder=tmp_path).build("exploitable_contradictions")
    assert ex.status.value == ""
    ex._boxes["o1"].value = True
    assert "Saved at" in ex.status.value


def test_reflection_is_capped_and_the_learner_told(tmp_path):
    ex = CoursePage(MODULE, folder=tmp_path).build("reflect_planets")
    ex._area.value = "x" * (HARD_CAP + 500)
    assert len(ex.value) == HARD_CAP
    assert "was not kept" in ex._count.value
    saved = json.loads((tmp_path / FILE_NAME).read_text())["answers"]["reflect_planets"]["value"]
    assert len(saved) == HARD_CAP


def test_word_count_is_live(tmp_path):
    ex = CoursePage(MODULE, folder=tmp_path).build("reflect_planets")
    ex._area.value = "one two three"
    assert "3 words" in ex._count.value


def test_case_study_text_is_escaped(tmp_path):
    from practice_lab.content import load_case_study
    from widgets.case_study import case_study_html

    case = dict(load_case_study("a-staying-together"))
    case["summary"] = HOSTILE
    html = case_study_html(case)
    assert "<img" not in html and "<script" not in html
    assert "&lt;img src=x onerror=" in html


def test_while_grading_answers_are_printed_not_saved(tmp_path, monkeypatch, capsys):
    (tmp_path / FILE_NAME).write_text("not json")
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    page = CoursePage(MODULE, folder=tmp_path)
    page.exercise("reflect_planets")
    assert "(no reflection was written)" in capsys.readouterr().out
    assert (tmp_path / FILE_NAME).read_text() == "not json"  # evidence untouched, nothing set aside
    assert not list(tmp_path.glob("answers.corrupt-*"))


def test_corrupt_answers_are_reported_on_the_page(tmp_path):
    (tmp_path / FILE_NAME).write_text("{")
    page = CoursePage(MODULE, folder=tmp_path)
    assert "could not be read" in page.problem
