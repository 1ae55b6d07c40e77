"""One scoring function per exercise type.

Pure functions of (answer, key, points) returning a plain float between 0 and ``points``. The
learner's instant feedback (practice items) and nbgrader's hidden tests (graded items) both call
these, so a learner never sees one mark in the app and another from the trainer. Answers that
are missing or not of the expected shape score 0 rather than raising: a tampered or partial
answers file must never crash a learner's autograde.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def clamp(score: float, points: float) -> float:
    """A plain Python float in [0, points] (nbgrader misreads NumPy scalars, strings, negatives)."""
    return float(min(max(float(score), 0.0), float(points)))


def score_sort(answer: object, key: Mapping[str, str], points: float) -> float:
    """Sort into categories: each item placed in its category earns ``points / len(key)``.

    Items left unplaced or placed wrongly earn nothing; nothing is taken away.
    """
    if not key:
        return 0.0
    placed = answer if isinstance(answer, Mapping) else {}
    right = sum(1 for item, cat in key.items() if placed.get(item) == cat)
    return clamp(points * right / len(key), points)


def score_multiselect(answer: object, correct: Iterable[str], points: float) -> float:
    """Multiple select, right minus wrong: each correct option ticked earns ``points / |correct|``,
    each wrong option ticked takes the same away; the total never goes below 0.

    So ticking every box earns nothing for the guesses, and one slip costs one share.
    """
    key = set(correct)
    if not key:
        return 0.0
    chosen = (
        {c for c in answer if isinstance(c, str)} if isinstance(answer, list | tuple) else set()
    )
    hits, slips = len(chosen & key), len(chosen - key)
    return clamp(points * (hits - slips) / len(key), points)
