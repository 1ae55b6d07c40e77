"""The trainer's feedback on a module, in the course's own design.

Renders the course's feedback document (``course_model.feedback``) that came with nbgrader's
feedback page: each graded item by its title, the learner's own answer in words, the score, the
trainer's comment (for a reflection, under each criterion of its rubric), and, only where the
trainer released it, the item's explanation in the words practice feedback uses. Everything a
person typed is escaped; long text wraps at any width.
"""

from __future__ import annotations

from typing import Any

from course_model import content
from course_model.rubric import comment_by_criterion
from widgets.base import close_all, escape, verdicts_html, widget_class
from widgets.design import H_ITEM, INSET


def _points(value: float) -> str:
    return f"{value:g} point" + ("" if value == 1 else "s")


def _in_words(spec: dict, item: dict[str, Any]) -> tuple[str, list[tuple[bool | None, str]]]:
    """The learner's answer as text, and the explanation lines when the item's key was
    released: the same ``summary`` and ``feedback_items`` as the item's own widget."""
    if "key" in item:
        spec = {**spec, "key": item["key"]}
    exercise = widget_class(spec["type"])(spec, item.get("answer"), None)
    try:
        value = exercise.value
        why = exercise.feedback_items(value) if "key" in item else []
        return exercise.summary(value), why
    finally:
        for part in (exercise.controls, exercise.status, exercise.feedback):
            close_all(part)


def _comment_html(module: dict, spec: dict, comment: str) -> str:
    """The trainer's comment; for a reflection, under each of its rubric's criteria (what the
    trainer wrote for that criterion, if anything), then whatever else they wrote."""
    rubric = module.get("rubrics", {}).get(spec.get("rubric"))
    titles = [c["title"] for c in rubric["criteria"]] if rubric else []
    placed, general = comment_by_criterion(comment, titles)
    parts = []
    if titles:
        parts.append('<p class="pl-fb-label">What your trainer looked for</p><ul>')
        for title in titles:
            said = placed.get(title)
            note = f'<p class="{INSET} pl-fb-text pl-fb-comment">{escape(said)}</p>' if said else ""
            parts.append(f"<li>{escape(title)}{note}</li>")
        parts.append("</ul>")
    if general:
        parts += [
            '<p class="pl-fb-label">Your trainer\'s comment</p>',
            f'<p class="{INSET} pl-fb-text pl-fb-comment">{escape(general)}</p>',
        ]
    return "".join(parts)


def _item_html(module: dict, spec: dict, item: dict[str, Any]) -> str:
    answer, why = _in_words(spec, item)
    if item["score"] is None:
        score = f"Not marked yet (out of {_points(item['points'])})"
    else:
        score = f"{item['score']:g} out of {_points(item['points'])}"
    parts = [
        f'<h4 class="{H_ITEM} pl-fb-title">{escape(spec["title"])}</h4>',
        f'<p class="pl-fb-score"><strong>Score:</strong> {score}</p>',
        '<p class="pl-fb-label">Your answer</p>',
        f'<p class="pl-fb-text">{escape(answer)}</p>',
        _comment_html(module, spec, item["comment"]),
    ]
    if why:
        parts += [
            '<p class="pl-fb-label">Why</p>',
            f'<div class="pl-feedback">{verdicts_html(why)}</div>',
        ]
    return f'<section class="pl-fb-item">{"".join(parts)}</section>'


def feedback_html(doc: dict[str, Any]) -> str:
    """The feedback document ``doc`` as the learner reads it: the module's total, then each
    graded item still in the module, in the order the learner answered them."""
    module = content.load_module(doc["module_id"])
    specs = content.load_exercises(doc["module_id"])
    shown = [(specs[i["exercise_id"]], i) for i in doc["items"] if i["exercise_id"] in specs]
    total = sum(i["score"] or 0 for _, i in shown)
    out_of = sum(i["points"] for _, i in shown)
    head = (
        f'<p class="govuk-body-l pl-fb-total"><strong>{escape(module["title"])}:</strong> '
        f"{total:g} out of {_points(out_of)}</p>"
    )
    if any(i["score"] is None for _, i in shown):
        head += (
            f'<p class="{INSET} pl-fb-pending">Some answers are not marked yet: this total will change '
            "when your trainer has marked them.</p>"
        )
    items = "".join(_item_html(module, spec, item) for spec, item in shown)
    return f'<div class="pl-fb">{head}{items}</div>'
