"""Rating scale: a point on a labelled scale (an expert's judgement, or the learner's confidence)."""

from __future__ import annotations

from course_model.exercise_types.base import ExerciseType, clamp


def score(answer: object, key: int | None, points: float, spec: dict | None = None) -> float:
    """With an expert rating as the key: all the points for the same rating, and each step away
    on the scale costs ``points / (max - min)``. With no key (e.g. confidence), answering earns
    the points.
    """
    scale = (spec or {}).get("scale", {"min": 1, "max": 5})
    lo, hi = scale["min"], scale["max"]
    if not isinstance(answer, int) or isinstance(answer, bool) or not lo <= answer <= hi:
        return 0.0
    if key is None:
        return clamp(points, points)
    return clamp(points * (1 - abs(answer - key) / (hi - lo)), points)


def key_problems(spec: dict, key) -> list[str]:
    scale = spec["scale"]
    if isinstance(key, int) and scale["min"] <= key <= scale["max"]:
        return []
    return ["the key is off the scale"]


def demo_answer(spec: dict, key, skill: float, rng) -> int:
    lo, hi = spec["scale"]["min"], spec["scale"]["max"]
    target = key if key is not None else round(lo + skill * (hi - lo))
    return min(hi, max(lo, target + rng.choice([-1, 0, 0, 1])))


def workshop_prompt(spec: dict) -> dict | None:
    """The closing confidence rating, for the room; other ratings stay in the module."""
    if spec.get("purpose") != "confidence_after":
        return None
    return {"kind": "rating", "scale": dict(spec["scale"])}


SCALE = {
    "type": "object",
    "additionalProperties": False,
    "required": ["min", "max", "min_label", "max_label"],
    "properties": {
        "min": {"type": "integer"},
        "max": {"type": "integer"},
        "min_label": {"type": "string"},
        "max_label": {"type": "string"},
    },
}

TYPE = ExerciseType(
    name="rating",
    fields={
        "scale": SCALE,
        "purpose": {"enum": ["judgement", "confidence_before", "confidence_after"]},
        "feedback": {"type": "string", "description": "practice mode: the expert's reasoning"},
        "key": {"type": "integer"},
    },
    required=("scale",),
    score=score,
    key_problems=key_problems,
    key_optional=True,  # a confidence rating has no right answer
    demo_answer=demo_answer,
    workshop_prompt=workshop_prompt,
)
