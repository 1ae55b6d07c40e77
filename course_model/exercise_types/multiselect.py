"""Multiple select: several right options, marked right minus wrong."""

from __future__ import annotations

from collections.abc import Iterable

from course_model.exercise_types.base import ExerciseType, clamp, ids, ref, text_of


def score(answer: object, key: Iterable[str], points: float, spec: dict | None = None) -> float:
    """Right minus wrong: each correct option ticked earns ``points / |key|``, each wrong option
    ticked takes the same away; the total never goes below 0.

    So ticking every box earns nothing for the guesses, and one slip costs one share.
    """
    correct = set(key)
    if not correct:
        return 0.0
    chosen = (
        {c for c in answer if isinstance(c, str)} if isinstance(answer, list | tuple) else set()
    )
    hits, slips = len(chosen & correct), len(chosen - correct)
    return clamp(points * (hits - slips) / len(correct), points)


def key_problems(spec: dict, key) -> list[str]:
    if not isinstance(key, list | tuple) or not key:
        return ["the key must list at least one correct option id"]
    return [f"unknown option {o!r}" for o in key if o not in ids(spec["options"])]


def wrong_choices(spec: dict, key, answer) -> list[str]:
    if not isinstance(answer, list):
        return []
    text = text_of(spec["options"])
    return [f"ticked: {text.get(o, o)}" for o in answer if o not in key]


def demo_answer(spec: dict, key, skill: float, rng) -> list[str]:
    return sorted(
        o["id"]
        for o in spec["options"]
        if (o["id"] in key and rng.random() < skill)
        or (o["id"] not in key and rng.random() < (1 - skill) / 2)
    )


TYPE = ExerciseType(
    name="multiselect",
    fields={
        "options": {"type": "array", "minItems": 2, "items": ref("choice")},
        "key": {"type": "array", "minItems": 1, "items": ref("id")},
    },
    required=("options",),
    score=score,
    key_problems=key_problems,
    wrong_choices=wrong_choices,
    demo_answer=demo_answer,
)
