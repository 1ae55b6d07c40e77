"""Single choice: one right option among several."""

from __future__ import annotations

from course_model.exercise_types.base import ExerciseType, clamp, ids, ref, text_of


def score(answer: object, key: str, points: float, spec: dict | None = None) -> float:
    """All the points for the right option, none otherwise."""
    return clamp(points if isinstance(answer, str) and answer == key else 0, points)


def key_problems(spec: dict, key) -> list[str]:
    return [] if key in ids(spec["options"]) else [f"{key!r} is not one of the options"]


def wrong_choices(spec: dict, key, answer) -> list[str]:
    if isinstance(answer, str) and answer != key:
        return [text_of(spec["options"]).get(answer, answer)]
    return []


def demo_answer(spec: dict, key, skill: float, rng) -> str:
    wrong = [o["id"] for o in spec["options"] if o["id"] != key]
    return key if rng.random() < skill or not wrong else rng.choice(wrong)


def workshop_prompt(spec: dict) -> dict:
    """A poll: the room chooses among the same options."""
    return {
        "kind": "poll",
        "options": [{"id": o["id"], "label": o["text"]} for o in spec["options"]],
    }


TYPE = ExerciseType(
    name="single",
    fields={"options": {"type": "array", "minItems": 2, "items": ref("choice")}, "key": ref("id")},
    required=("options",),
    score=score,
    key_problems=key_problems,
    wrong_choices=wrong_choices,
    demo_answer=demo_answer,
    workshop_prompt=workshop_prompt,
)
