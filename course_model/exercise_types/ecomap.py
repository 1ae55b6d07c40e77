"""Ecomap: the learner places the people and services around a child of a case study (close to
the child, in the child's world, or at its edge) and marks each tie as support, stress or
control. Scored against the case's key with partial credit; the cohort report draws the key with
the cohort's most common misplacements."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from course_model.exercise_types.base import ExerciseType, clamp, ids, ref

RINGS = {"close": "Close to the child", "around": "In the child's world", "edge": "At the edge"}
TIES = {"support": "Support", "stress": "Stress", "control": "Control"}
TIE_SHARE, RING_SHARE = 2 / 3, 1 / 3  # of each person's share of the points


def _placed(answer) -> dict[str, dict]:
    """The well-formed part of an answer: person id -> {ring?, tie?} with known values."""
    if not isinstance(answer, Mapping):
        return {}
    out = {}
    for person, mark in answer.items():
        if isinstance(mark, Mapping):
            out[person] = {
                part: mark[part]
                for part, known in (("ring", RINGS), ("tie", TIES))
                if isinstance(mark.get(part), str) and mark[part] in known
            }
    return out


def score(
    answer: object, key: Mapping[str, Mapping], points: float, spec: dict | None = None
) -> float:
    """Each person in the key earns an equal share of the points: two thirds of it for the right
    tie (support, stress or control) and one third for the right ring; a ring one step away earns
    half of that third. Nothing is taken away; a malformed answer scores 0."""
    if not key:
        return 0.0
    placed, order = _placed(answer), list(RINGS)
    earned = 0.0
    for person, right in key.items():
        mark = placed.get(person, {})
        earned += TIE_SHARE if mark.get("tie") == right["tie"] else 0.0
        if mark.get("ring") in RINGS:
            steps = abs(order.index(mark["ring"]) - order.index(right["ring"]))
            earned += RING_SHARE if steps == 0 else RING_SHARE / 2 if steps == 1 else 0.0
    return clamp(points * earned / len(key), points)


def key_problems(spec: dict, key) -> list[str]:
    if not isinstance(key, dict) or not key:
        return ["the key must give every person a ring and a tie"]
    people = ids(spec["people"])
    reasons = [f"unknown person {p!r}" for p in key if p not in people]
    reasons += [f"person {p!r} has no ring and tie in the key" for p in sorted(people - set(key))]
    for person, mark in key.items():
        if (
            not isinstance(mark, dict)
            or mark.get("ring") not in RINGS
            or mark.get("tie") not in TIES
        ):
            reasons.append(
                f"{person!r} needs ring: one of {', '.join(RINGS)} and tie: one of {', '.join(TIES)}"
            )
    return reasons


def misplacements(spec: dict, key, answer) -> list[tuple[str, str, str]]:
    """(person id, "ring" or "tie", what was chosen) for each mark that differs from the key."""
    placed = _placed(answer)
    return [
        (person, part, placed[person][part])
        for person, right in (key or {}).items()
        for part in ("ring", "tie")
        if part in placed.get(person, {}) and placed[person][part] != right[part]
    ]


def wrong_choices(spec: dict, key, answer) -> list[str]:
    label = {p["id"]: p["label"] for p in spec["people"]}
    names = {"ring": RINGS, "tie": TIES}
    return [
        f"{label.get(p, p)}: {names[part][v]}" for p, part, v in misplacements(spec, key, answer)
    ]


def cohort_view(spec: dict, key, answers: list) -> list[dict]:
    """Per person, for the report's drawing: the key's ring and tie, how many learners marked the
    person, and the most common wrong tie with how many chose it."""
    marked = Counter(p for a in answers for p in _placed(a))
    wrong = {p: Counter() for p in ids(spec["people"])}
    for a in answers:
        for person, part, chosen in misplacements(spec, key, a):
            if part == "tie":
                wrong[person][chosen] += 1
    return [
        {
            "label": person["label"],
            **key[person["id"]],
            "marked": marked[person["id"]],
            "wrong": wrong[person["id"]].most_common(1)[0] if wrong[person["id"]] else None,
        }
        for person in spec["people"]
        if person["id"] in key
    ]


def demo_answer(spec: dict, key, skill: float, rng) -> dict:
    return {
        person: {
            "ring": right["ring"] if rng.random() < skill else rng.choice(list(RINGS)),
            "tie": right["tie"] if rng.random() < skill else rng.choice(list(TIES)),
        }
        for person, right in key.items()
    }


def workshop_prompt(spec: dict) -> dict:
    """For the room: sort the people by the tie each has with the child."""
    return {
        "kind": "sort",
        "categories": [{"id": t, "label": label} for t, label in TIES.items()],
        "items": [{"id": p["id"], "text": p["label"]} for p in spec["people"]],
    }


PERSON = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "label"],
    "properties": {
        "id": ref("id"),
        "label": {"type": "string", "minLength": 2, "maxLength": 80},
        "feedback": {"type": "string"},
    },
}
MARK = {
    "type": "object",
    "additionalProperties": False,
    "required": ["ring", "tie"],
    "properties": {"ring": {"enum": list(RINGS)}, "tie": {"enum": list(TIES)}},
}

TYPE = ExerciseType(
    name="ecomap",
    fields={
        "centre": {"type": "string", "minLength": 2, "maxLength": 60, "description": "the child"},
        "case": {"type": "string", "description": "the case study the people come from"},
        "people": {"type": "array", "minItems": 3, "maxItems": 12, "items": PERSON},
        "key": {"type": "object", "additionalProperties": MARK},
    },
    required=("centre", "people"),
    score=score,
    key_problems=key_problems,
    wrong_choices=wrong_choices,
    demo_answer=demo_answer,
    workshop_prompt=workshop_prompt,
    cohort_view=cohort_view,
)
