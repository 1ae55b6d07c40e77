"""The course's feedback document for each learner, written at release-feedback time.

A learner's page cannot read the trainer's gradebook, so the trainer's side writes what the
learner will read: for each graded item of a notebook, in the notebook's order, its score, the
trainer's comment, the learner's submitted answer and (only when the trainer chooses to release
explanations) its key. The document is embedded in nbgrader's own feedback page
(``course_model.feedback``), which nbgrader's release_feedback and fetch_feedback then carry to
that learner and nobody else.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import nbformat
from nbgrader.api import Gradebook, MissingEntry

from course_model import titles
from course_model.answers import read_answers
from course_model.feedback import VERSION, bounded, embed
from course_model.files import write_text_atomically
from grading.keys import keys_in


def graded_cells(notebook: Path) -> list[str]:
    """The grade ids of a source notebook's graded items, in the order the learner met them."""
    found = []
    for cell in nbformat.read(notebook, as_version=4).cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        if grade_id.startswith(titles.GRADE_CELL_PREFIXES):
            found.append(grade_id)
    return found


def _score(grade) -> float | None:
    """A grade's points, or None while it has neither an automatic nor a trainer's score (a
    reflection not yet marked)."""
    if grade.auto_score is None and grade.manual_score is None:
        return None
    return float(grade.score)


def feedback_document(
    gb: Gradebook, course: Path, module_id: str, learner: str, notebook: str, explanations: bool
) -> dict[str, Any] | None:
    """The feedback document for one learner's notebook, or None if nbgrader never graded it.

    Scores and comments come from the gradebook (a reflection not yet marked has score None; only
    the trainer's own comments, never nbgrader's automatic ones), answers from the submission
    nbgrader autograded, keys from the source notebook and only when ``explanations`` is True."""
    try:
        submitted = gb.find_submission_notebook(notebook, module_id, learner)
    except MissingEntry:
        return None
    source = course / "source" / module_id / f"{notebook}.ipynb"
    grades = {grade.name: grade for grade in submitted.grades}
    comments = {c.name: c.manual_comment for c in submitted.comments}
    answers, _ = read_answers(course / "autograded" / learner / module_id)
    keys = keys_in([source]) if explanations else {}
    items = []
    for grade_id in graded_cells(source):
        grade = grades.get(grade_id)
        if grade is None:
            continue
        exercise_id = titles.exercise_id(grade_id)
        answer = answers.get(exercise_id)
        item = {
            "exercise_id": exercise_id,
            "score": _score(grade),
            "points": float(grade.max_score),
            "comment": bounded(comments.get(grade_id)),
            "answer": bounded(answer) if isinstance(answer, str) else answer,
        }
        if exercise_id in keys:
            item["key"] = keys[exercise_id]
        items.append(item)
    return {
        "version": VERSION,
        "module_id": module_id,
        "notebook": notebook,
        "items": items,
    }


def write_course_feedback(course: Path, db_url: str, module_id: str, explanations: bool) -> int:
    """Embed the course's feedback document in every feedback page nbgrader generated for the
    module (``feedback/<learner>/<module>/<notebook>.html``); returns how many pages."""
    written = 0
    with Gradebook(db_url) as gb:
        for page in sorted((course / "feedback").glob(f"*/{module_id}/*.html")):
            learner = page.parent.parent.name
            doc = feedback_document(gb, course, module_id, learner, page.stem, explanations)
            if doc is None:
                continue
            text = embed(page.read_text(encoding="utf-8"), doc)
            write_text_atomically(page, text, mode=os.stat(page).st_mode & 0o777)
            written += 1
    return written
