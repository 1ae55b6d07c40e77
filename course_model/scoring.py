"""One scoring function per exercise type.

Each is a pure function ``score_<type>(answer, key, points, spec=None)`` returning a plain float
between 0 and ``points``. The learner's instant feedback (practice items) and nbgrader's hidden
tests (graded items) both call these through :data:`SCORERS`, so a learner never sees one mark in
the app and another from the trainer. Answers that are missing or not of the expected shape score
0 rather than raising: a tampered or partial answers file must never crash a learner's autograde.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from itertools import combinations


def clamp(score: float, points: float) -> float:
    """A plain Python float in [0, points] (nbgrader misreads NumPy scalars, strings, negatives)."""
    return float(min(max(float(score), 0.0), float(points)))


def score_single(answer: object, key: str, points: float, spec: dict | None = None) -> float:
    """Single choice: all the points for the right option, none otherwise."""
    return clamp(points if isinstance(answer, str) and answer == key else 0, points)


def score_multiselect(
    answer: object, key: Iterable[str], points: float, spec: dict | None = None
) -> float:
    """Multiple select, right minus wrong: each correct option ticked earns ``points / |key|``,
    each wrong option ticked takes the same away; the total never goes below 0.

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


def score_sort(
    answer: object, key: Mapping[str, str], points: float, spec: dict | None = None
) -> float:
    """Sort into categories: each item placed in its category earns ``points / len(key)``.

    Items left unplaced or placed wrongly earn nothing; nothing is taken away.
    """
    if not key:
        return 0.0
    placed = answer if isinstance(answer, Mapping) else {}
    right = sum(1 for item, cat in key.items() if placed.get(item) == cat)
    return clamp(points * right / len(key), points)


def score_order(answer: object, key: list[str], points: float, spec: dict | None = None) -> float:
    """Order a chronology: the share of pairs of events the learner puts in the right order.

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


def score_rating(answer: object, key: int | None, points: float, spec: dict | None = None) -> float:
    """Rating scale. With an expert rating as the key: all the points for the same rating, and
    each step away on the scale costs ``points / (max - min)``. With no key (e.g. confidence),
    answering earns the points.
    """
    scale = (spec or {}).get("scale", {"min": 1, "max": 5})
    lo, hi = scale["min"], scale["max"]
    if not isinstance(answer, int) or isinstance(answer, bool) or not lo <= answer <= hi:
        return 0.0
    if key is None:
        return clamp(points, points)
    return clamp(points * (1 - abs(answer - key) / (hi - lo)), points)


def score_spot(
    answer: object, key: Mapping[str, str], points: float, spec: dict | None = None
) -> float:
    """Spot the tactic. Per line in the key: a full share (``points / len(key)``) for marking it
    with the right tactic, half a share for marking it with another tactic. Each line marked
    that holds no tactic in the key takes half a share away. Never below 0.
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


def score_branching(
    answer: object, key: Mapping[str, float], points: float, spec: dict | None = None
) -> float:
    """Branching scenario: the path taken, scored when it reaches an ending.

    The answer is the list of choice ids taken from the start. Each choice has a weight from 0
    (harmful) to 1 (best practice) in the key; the score is ``points`` times the mean weight of
    the choices on the path. A path that does not follow the scenario's links from the start to
    an ending scores 0: finish the scenario to earn the marks.
    """
    if not isinstance(answer, list) or not answer or spec is None:
        return 0.0
    scenes = {s["id"]: s for s in spec["scenes"]}
    scene = scenes[spec["start"]]
    for choice_id in answer:
        choice = next((c for c in scene.get("choices", []) if c["id"] == choice_id), None)
        if choice is None:
            return 0.0
        scene = scenes[choice["next"]]
    if not scene.get("ending"):
        return 0.0
    weights = [float(key.get(c, 0.0)) for c in answer]
    return clamp(points * sum(weights) / len(weights), points)


SCORERS: dict[str, Callable[..., float]] = {
    "single": score_single,
    "multiselect": score_multiselect,
    "sort": score_sort,
    "order": score_order,
    "rating": score_rating,
    "spot": score_spot,
    "branching": score_branching,
}
"""Exercise type -> scoring function. Types absent here (reflection, audit) are not auto-scored."""
