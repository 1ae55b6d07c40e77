"""Order a chronology: put events in the order they happened."""

from __future__ import annotations

from itertools import combinations

from course_model.exercise_types.base import ExerciseType, clamp, ids, ref


def score(answer: object, key: list[str], points: float, spec: dict | None = None) -> float:
    """The share of pairs of events the learner puts in the right order.

    Every pair of events counts once (Kendall's tau as a proportion): the right order earns all
    the points, the exact reverse none, and swapping two neighbours in a list of n costs only
    ``1 / (n(n-1)/2)`` of them, so a mostly-right order earns most of the marks. An answer that
    is not an ordering of exactly the key's events scores 0.
    """
    if not isinstance(answer, list) or len(key) < 2 or sorted(map(str, answer)) != sorted(key):
        return 0.0
    position = {item: i for i, item in enumerate(answer)}
    pairs = list(combinations(key, 2))  # each (earlier, later) in the right order
    right = sum(1 for a, b in pairs if position[a] < position[b])
    return clamp(points * right / len(pairs), points)


def key_problems(spec: dict, key) -> list[str]:
    if not isinstance(key, list) or sorted(key) != sorted(ids(spec["items"])):
        return ["the key must list every item exactly once"]
    if [i["id"] for i in spec["items"]] == key:
        return ["items are shown in the right order already: shuffle them in the spec"]
    return []


def demo_answer(spec: dict, key, skill: float, rng) -> list[str]:
    order = list(key)
    for _ in range(round((1 - skill) * len(order))):
        i = rng.randrange(len(order) - 1)
        order[i], order[i + 1] = order[i + 1], order[i]
    return order


TYPE = ExerciseType(
    name="order",
    fields={
        "items": {
            "type": "array",
            "minItems": 3,
            "items": ref("choice"),
            "description": "in the order shown to the learner: never the right order",
        },
        "key": {"type": "array", "minItems": 3, "items": ref("id")},
    },
    required=("items",),
    score=score,
    key_problems=key_problems,
    demo_answer=demo_answer,
)
