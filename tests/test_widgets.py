"""Exercise widgets, headless: they save on a person's change, never on display, and restore."""

from __future__ import annotations

import json

import ipywidgets as W

from course_model.answers import FILE_NAME
from course_model.content import load_exercises
from tests.conftest import HOSTILE, MODULE, answer
from widgets import CoursePage
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
    assert "was not kept" in ex._notes.value
    saved = json.loads((tmp_path / FILE_NAME).read_text())["answers"]["reflect_planets"]["value"]
    assert len(saved) == HARD_CAP


def test_word_count_is_live(tmp_path):
    ex = CoursePage(MODULE, folder=tmp_path).build("reflect_planets")
    ex._area.value = "one two three"
    assert "3 words" in ex._notes.value


def test_case_study_text_is_escaped(tmp_path):
    from course_model.content import load_case_study
    from widgets.case_study import case_study_html

    case = dict(load_case_study("a-staying-together"))
    case["summary"] = HOSTILE
    html = case_study_html(case)
    assert "<img" not in html and "<script" not in html
    assert "&lt;img src=x onerror=" in html


def test_while_grading_answers_are_shown_as_wrapped_text_not_saved(tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr("widgets.page.display", shown.append)
    answer(tmp_path, {"reflect_planets": HOSTILE})
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    CoursePage(MODULE, folder=tmp_path).exercise("reflect_planets")
    (tmp_path / FILE_NAME).write_text("not json")
    CoursePage(MODULE, folder=tmp_path).exercise("reflect_planets")
    hostile, missing = (output.data for output in shown)
    assert "white-space: pre-wrap" in hostile, "formgrader wraps the reflection"
    assert "<img" not in hostile and "&lt;img src=x onerror=" in hostile
    assert "(no reflection was written)" in missing
    assert (tmp_path / FILE_NAME).read_text() == "not json"  # evidence untouched, nothing set aside
    assert not list(tmp_path.glob("answers.corrupt-*"))


def test_corrupt_answers_are_reported_on_the_page(tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr("widgets.page.display", shown.append)
    CoursePage(MODULE, folder=tmp_path).header()
    assert len(shown) == 1, "a page with sound answers shows no empty notice"
    (tmp_path / FILE_NAME).write_text("{")
    page = CoursePage(MODULE, folder=tmp_path)
    assert "could not be read" in page.problem
    page.header()
    notice = shown[-1].value
    assert 'role="alert"' in notice and "could not be read" in notice


def test_branching_back_and_start_again_are_saved(tmp_path):
    page = CoursePage("gallery", folder=tmp_path)
    ex = page.build("branching_practice")
    ex._choose("talk_to_him")
    ex._choose("arrange_alone")
    assert "You scored 1.875 of 3" in ex.feedback.value  # an ending shows the path's score at once
    ex._step_back()
    assert CoursePage("gallery", folder=tmp_path).build("branching_practice").value == [
        "talk_to_him"
    ]
    ex._start_again()
    assert CoursePage("gallery", folder=tmp_path).build("branching_practice").value == []


def test_tampered_branching_path_is_cut_where_it_leaves_the_scenario(tmp_path):
    from course_model.answers import AnswersStore

    AnswersStore(tmp_path, "gallery").save("branching_practice", ["ask_for_her", "close_case", "x"])
    assert CoursePage("gallery", folder=tmp_path).build("branching_practice").value == [
        "ask_for_her"
    ]


def test_order_moves_are_saved_in_the_new_order(tmp_path):
    ex = CoursePage("gallery", folder=tmp_path).build("order_practice")
    shown = ex.value
    ex._list.value = shown[1]
    ex._move(-1)
    assert CoursePage("gallery", folder=tmp_path).build("order_practice").value == [
        shown[1],
        shown[0],
        *shown[2:],
    ]


def test_audit_flags_phrases_and_shows_them_escaped(tmp_path):
    ex = CoursePage("gallery", folder=tmp_path).build("audit_practice")
    ex._area.value = "Mum failed to protect the children during a volatile relationship. " + HOSTILE
    assert "failed to protect" in ex._notes.value and "volatile" in ex._notes.value
    assert "<img" not in ex._notes.value


def test_graded_items_never_show_feedback_or_a_key(tmp_path):
    page = CoursePage("gallery", folder=tmp_path)
    for ex_id in ("single_graded", "sort_graded", "branching_graded"):
        ex = page.build(ex_id)
        ex.check()
        assert ex.feedback.value == "" and ex.score() is None
        assert "Check my answer" not in str(
            [w.description for w in ex.footer() if hasattr(w, "description")]
        )


def test_practice_feedback_uses_the_shared_scorer(tmp_path):
    ex = CoursePage("gallery", folder=tmp_path).build("multiselect_practice")
    for opt in ("visible", "judgement", "children"):
        ex._boxes[opt].value = True
    ex.check()
    assert "You scored 1 of 4" in ex.feedback.value
    assert (
        "✗ Not quite:" in ex.feedback.value and "✓ Right:" in ex.feedback.value
    )  # words, not colour


def test_an_exercise_brings_few_models_for_the_browser_to_build(tmp_path, monkeypatch):
    """A page's first exercise works only once the browser has built every widget model on the
    page, so each exercise keeps to one model per control: layouts and styles are shared, and a
    sort row is a single drop-down labelled with its statement (it was 6 models per row). Each
    model is sent whole when made: no update follows it before the learner does anything."""
    from ipywidgets.widgets.widget import _instances  # ipywidgets' registry of live models

    page = CoursePage(MODULE, folder=tmp_path)
    page.build("sort_planets").widget()  # the first one creates the shared models
    before = set(_instances)
    updates = []
    monkeypatch.setattr(W.Widget, "send_state", lambda w, key=None: updates.append((w, key)))
    sort = page.build("sort_planets")
    sort.widget()
    assert updates == []
    new = [_instances[k] for k in set(_instances) - before]
    rows = len(sort.spec["items"])
    # head, controls box, one drop-down per row, feedback, status, the exercise box
    assert len(new) == rows + 5, sorted(type(w).__name__ for w in new)
    labels = [d.description for d in sort._choices.values()]
    assert labels[0] == f"Statement 1. {sort.spec['items'][0]['text']}"


def test_a_branching_step_closes_the_choices_it_replaces(tmp_path):
    """Each step draws new choice buttons; the old ones are closed, so a long play-through does
    not pile up dead widgets in the kernel and the browser."""
    ex = CoursePage("gallery", folder=tmp_path).build("branching_practice")
    first = list(ex._buttons.children)
    ex._choose("talk_to_him")
    assert first and all(button.comm is None for button in first)
    assert all(button.comm is not None for button in ex._buttons.children)


def test_an_ecomap_is_answered_saved_restored_and_drawn_as_text(tmp_path):
    answer(
        tmp_path,
        {"ecomap_kojo_month2": {"lee": {"ring": "around", "tie": "control"}}},
        module_id="04-children",
    )
    page = CoursePage("04-children", folder=tmp_path)
    ex = page.build("ecomap_kojo_month2")
    assert ex.value == {"lee": {"ring": "around", "tie": "control"}}
    assert (
        "Lee, his mum&#x27;s ex-partner: in the child&#x27;s world; tie: control" in ex._map.value
    )
    assert "<svg" in ex._map.value and 'role="img"' in ex._map.value
    ex.check()
    assert "the tie is control" in ex.feedback.value


def test_with_no_exchange_connected_a_page_offers_no_submitting(tmp_path, monkeypatch):
    from widgets import exchange
    from widgets.home import module_status

    monkeypatch.setattr(exchange, "_connected", None)
    assert module_status(tmp_path, MODULE) == "Not started"
    shown = []
    monkeypatch.setattr("widgets.page.display", shown.append)
    (tmp_path / "nbgrader_config.py").write_text("")
    folder = tmp_path / MODULE
    folder.mkdir()
    CoursePage(MODULE, "assessment.ipynb", folder=folder).finish()
    assert not any("pl-submit-panel" in str(getattr(w, "_dom_classes", "")) for w in shown)


def _buttons(widget: W.Widget) -> list[W.Button]:
    found = [widget] if isinstance(widget, W.Button) else []
    for child in getattr(widget, "children", ()):
        found += _buttons(child)
    return found


def test_every_exercise_button_wears_the_design_system(tmp_path):
    """Every button of every kind of exercise (the gallery has each, practice and graded) is a
    GOV.UK Frontend button, made in one place (widgets.base.button): none keeps ipywidgets' own
    look, which the bundled stylesheet does not draw."""
    page = CoursePage("gallery", folder=tmp_path)
    buttons = [
        b for ex_id in load_exercises("gallery") for b in _buttons(page.build(ex_id).widget())
    ]
    assert len(buttons) >= 5, "the gallery's exercises have check, order and scenario buttons"
    for b in buttons:
        assert "govuk-button" in b._dom_classes, b.description
        assert b.button_style == "", b.description
    assert "govuk-button--secondary" in buttons[0]._dom_classes  # "Check my answer"


def test_a_page_ends_with_the_scotland_note_and_linked_references(tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr("widgets.page.display", shown.append)
    page = CoursePage("08-who-we-miss", folder=tmp_path)
    page.references()
    (html,) = (output.data for output in shown)
    assert "If you work in Scotland" in html
    assert "Adult Support and Protection (Scotland) Act 2007" in html
    linked = [r for r in page.meta["references"] if r.get("url") and r["url"] not in r["citation"]]
    assert linked, "module 08 has references with an address apart from their citation"
    assert f'href="{linked[0]["url"]}"' in html
    assert html.index("If you work in Scotland") < html.index("References")
