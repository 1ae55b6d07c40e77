"""The learner's view of their trainer's feedback, from the course's feedback document: titles,
answers in words, scores, comments; hostile text stays text; explanations only when released."""

from __future__ import annotations

import html

from course_model.feedback import embed, embedded
from tests.conftest import HOSTILE, MODULE, graded_keys
from widgets.feedback import feedback_html
from widgets.submission import _page_html

NBGRADER_PAGE = "<html><head><title>assessment</title></head><body><p>Test cell</p></body></html>"
COMMENT = "Good start. " + HOSTILE


def document(explained: bool = False) -> dict:
    """A feedback document as the trainer's side writes it for module 02."""
    keys = graded_keys()
    items = [
        {
            "exercise_id": "sort_planets",
            "score": 2.0,
            "points": 4.0,
            "comment": "",
            "answer": {"s1": "cp", "s2": "cp"},
        },
        {
            "exercise_id": "exploitable_contradictions",
            "score": 1.0,
            "points": 3.0,
            "comment": "",
            "answer": ["o2"],
        },
        {
            "exercise_id": "reflect_planets",
            "score": 3.0,
            "points": 4.0,
            "comment": COMMENT,
            "answer": "My reflection. " + HOSTILE,
        },
    ]
    if explained:
        for item in items[:2]:
            item["key"] = keys[item["exercise_id"]]
    return {"version": 1, "module_id": MODULE, "notebook": "assessment", "items": items}


def test_the_document_travels_inside_nbgraders_page_and_comes_back_whole():
    doc = document()
    page = embed(NBGRADER_PAGE, doc)
    assert embedded(page) == doc
    assert page.count("<img") == 0 and page.count("<script>") == 0, "no text opens markup"
    assert embedded(embed(page, doc)) == doc and page.count("practice-lab-feedback") == 1


def test_a_page_without_a_usable_document_has_none():
    assert embedded(NBGRADER_PAGE) is None
    broken = embed(NBGRADER_PAGE, {**document(), "module_id": "../../etc"})
    assert embedded(broken) is None
    assert embedded(embed(NBGRADER_PAGE, {**document(), "version": 99})) is None


def test_feedback_names_each_item_with_its_answer_in_words_and_its_score():
    shown = feedback_html(document())
    for title in (
        "Which planet said that?",
        "Where could Daniel hide?",
        "Your planet, your practice",
    ):
        assert html.escape(title, quote=True) in shown
    assert "2 out of 4 points" in shown and "6 out of 11 points" in shown
    assert "Child protection planet" in shown, "a category by its label"
    assert "Seeing the planets at work" in shown, "the reflection's rubric criteria"
    text = html.unescape(shown)
    for machinery in ("Test cell", "Grade cell", "score_", "sort_planets", "o2", "→ cp"):
        assert machinery not in text


def test_a_hostile_comment_and_answer_stay_text():
    shown = feedback_html(document())
    assert "<img" not in shown and "<script" not in shown
    assert html.escape(COMMENT, quote=True) in shown
    assert html.escape("My reflection. " + HOSTILE, quote=True) in shown


def test_explanations_appear_only_when_the_trainer_released_them():
    hidden = feedback_html(document())
    assert "Why" not in hidden and "✓ Right" not in hidden and "✗ Not quite" not in hidden
    shown = feedback_html(document(explained=True))
    assert "Why" in shown and "✗ Not quite" in shown and "✓ Right" in shown
    assert "You left this out, but it applies." in shown, "the words practice feedback uses"


def test_an_unmarked_reflection_says_so():
    doc = document()
    doc["items"][2]["score"] = None
    shown = feedback_html(doc)
    assert "Not marked yet (out of 4 points)" in shown and "not marked yet" in shown


def test_the_learner_sees_the_courses_view_or_nbgraders_page_when_there_is_none():
    assert 'class="pl-fb"' in _page_html(embed(NBGRADER_PAGE, document()), "Feedback")
    old = _page_html(NBGRADER_PAGE, "Feedback")
    assert "pl-feedback-frame" in old and 'class="pl-fb"' not in old


def test_a_comment_line_that_starts_with_a_criterion_goes_under_that_criterion():
    doc = document()
    doc["items"][2]["comment"] = (
        "Thank you for this.\nseeing the planets at work: You named two planets.\nAnd their gap."
        "\nAn accountable plan for practice: Say what you will ask of him."
    )
    shown = feedback_html(doc)
    first = shown.split("<li>Seeing the planets at work")[1].split("</li>")[0]
    second = shown.split("<li>An accountable plan for practice")[1].split("</li>")[0]
    assert "You named two planets.\nAnd their gap." in first, "its line and the next"
    assert "Say what you will ask of him." in second and "Thank you" not in second
    general = shown.split("Your trainer's comment")[1]
    assert "Thank you for this." in general and "named two planets" not in general
