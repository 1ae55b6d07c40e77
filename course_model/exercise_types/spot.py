"""Spot the tactic: mark the lines of a transcript that hold a tactic, and name it."""

from __future__ import annotations

from collections.abc import Mapping

from course_model.exercise_types.base import ExerciseType, clamp, ref
from course_model.exercise_types.sort import mapping_problems, misplaced, relabel


def score(answer: object, key: Mapping[str, str], points: float, spec: dict | None = None) -> float:
    """Per line in the key: a full share (``points / len(key)``) for marking it with the right
    tactic, half a share for marking it with another tactic. Each line marked that holds no
    tactic in the key takes half a share away. Never below 0.
    """
    if not key:
        return 0.0
    marked = (
        {k: v for k, v in answer.items() if isinstance(v, str)}
        if isinstance(answer, Mapping)
        else {}
    )
    earned = sum(
        1.0 if marked.get(line) == tactic else 0.5 for line, tactic in key.items() if line in marked
    )
    false_alarms = sum(0.5 for line in marked if line not in key)
    return clamp(points * (earned - false_alarms) / len(key), points)


LINE = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "speaker", "text"],
    "properties": {
        "id": ref("id"),
        "speaker": {"type": "string", "maxLength": 60},
        "text": ref("text"),
        "feedback": {"type": "string"},
    },
}

TYPE = ExerciseType(
    name="spot",
    fields={
        "tactics": {"type": "array", "minItems": 2, "items": ref("labelled")},
        "lines": {"type": "array", "minItems": 2, "items": LINE},
        "key": {"type": "object", "additionalProperties": ref("id")},
    },
    required=("tactics", "lines"),
    score=score,
    key_problems=lambda spec, key: mapping_problems(spec["lines"], spec["tactics"], key, False),
    wrong_choices=lambda spec, key, a: misplaced(spec["lines"], spec["tactics"], key, a),
    demo_answer=lambda spec, key, skill, rng: relabel(spec["tactics"], key, skill, rng),
)
