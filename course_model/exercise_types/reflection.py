"""Reflection: free text against a reflective model's prompts, marked by the trainer against the
module's rubric in formgrader."""

from __future__ import annotations

from course_model.exercise_types.base import RUBRIC, ExerciseType

DEMO_REFLECTION = (
    "What? In a recent visit one parent answered every question while the other stayed quiet. "
    "So what? I recorded the visit as calm and did not see the mother alone, so his account shaped "
    "the record. Now what? I will plan to see each parent separately, record who said what, and ask "
    "the domestic abuse worker what they know before the next review. "
)


def demo_answer(spec: dict, key, skill: float, rng) -> str:
    """A fictional reflection, longer from a stronger synthetic learner."""
    return DEMO_REFLECTION * (1 + round(skill * 2))


PROMPT = {
    "type": "object",
    "additionalProperties": False,
    "required": ["heading", "text"],
    "properties": {"heading": {"type": "string"}, "text": {"type": "string"}},
}

TYPE = ExerciseType(
    name="reflection",
    fields={
        "model": {"enum": ["driscoll", "gibbs", "kolb", "schon"]},
        "prompts": {"type": "array", "minItems": 1, "items": PROMPT},
        "min_words": {"type": "integer", "minimum": 0},
        "max_chars": {"type": "integer", "minimum": 100, "maximum": 20000},
        "rubric": {"type": "string"},
    },
    required=("model", "prompts", "min_words", "max_chars"),
    marking=RUBRIC,
    demo_answer=demo_answer,
)
