"""Scoring rules: exact partial credit, and values nbgrader reads correctly (plain, clamped floats)."""

from __future__ import annotations

import pytest

from grading.scoring import clamp, score_multiselect, score_sort

KEY = {"s1": "dv", "s2": "cp", "s3": "contact", "s4": "cp"}


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (KEY, 4.0),
        ({"s1": "dv", "s2": "cp"}, 2.0),  # two placed right, two left unplaced
        ({"s1": "cp", "s2": "dv", "s3": "dv", "s4": "dv"}, 0.0),
        ({"s1": "dv", "s2": "contact", "s3": "contact", "s4": "dv"}, 2.0),
        ({}, 0.0),
        (None, 0.0),
        ("dv", 0.0),  # tampered: not a mapping
        ({"s1": ["dv"], "zz": "dv"}, 0.0),
    ],
)
def test_sort_partial_credit(answer, expected):
    assert score_sort(answer, KEY, points=4) == expected


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (["o2", "o4", "o5"], 3.0),
        (["o2", "o4"], 2.0),
        (["o2", "o4", "o1"], 1.0),  # right minus wrong
        (["o1", "o2", "o3", "o4", "o5", "o6"], 0.0),  # ticking everything earns nothing
        (["o1", "o3"], 0.0),  # never below zero
        ([], 0.0),
        ("o2", 0.0),
        ([["o2"], 7, "o4"], 1.0),  # junk entries ignored, the real tick counts
    ],
)
def test_multiselect_right_minus_wrong(answer, expected):
    assert score_multiselect(answer, ["o2", "o4", "o5"], points=3) == expected


def test_scores_are_plain_floats_for_nbgrader():
    import numpy as np

    for value in (
        score_sort(KEY, KEY, 4),
        score_multiselect(["o2"], ["o2"], 3),
        clamp(np.float64(0.5), 1),
    ):
        assert (
            type(value) is float
        )  # a NumPy scalar would print as np.float64(..) and earn full marks


def test_clamp_keeps_scores_within_the_points():
    assert clamp(5, 4) == 4.0 and clamp(-1, 4) == 0.0 and clamp(2.5, 4) == 2.5
