"""What nbgrader's hidden-test cells call: the points for one graded exercise.

A hidden-test cell in a module's assessment notebook ends with
``score("02-three-planets", "sort_planets", points=4, key={...})``; the cell's value is the
learner's points. nbgrader reads that value as partial credit, so it is always a plain, clamped
float, and nothing is written to stderr (anything there scores the cell 0).
"""

from __future__ import annotations

import warnings
from pathlib import Path

from course_model import exercise_types
from course_model.answers import read_answers
from course_model.content import exercise_spec


def score(module_id: str, exercise_id: str, *, points: float, key) -> float:
    """Score one graded exercise from the answers file in the current folder (the submission).

    A missing, unreadable or tampered answer scores 0 with a note on stdout for the trainer.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        answers, problem = read_answers(Path.cwd())
        if problem:
            print(f"{problem}: this item scores 0.")
        spec = exercise_spec(module_id, exercise_id)
        value = answers.get(exercise_id)
        if value is None:
            print(f"No answer to {exercise_id!r} was saved.")
        scorer = exercise_types.get(
            spec["type"], f"{module_id}/exercises.yaml: {exercise_id}"
        ).score
        if scorer is None:
            print(f"{exercise_id!r} is not marked automatically: this cell scores 0.")
            return 0.0
        return scorer(value, key, points, spec)
