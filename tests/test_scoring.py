"""Scoring rules: exact partial credit, and values nbgrader reads correctly (plain, clamped floats)."""

from __future__ import annotations

import pytest

from course_model.exercise_types import TYPES
from course_model.exercise_types.base import clamp

score_single, score_multiselect, score_sort, score_order, score_rating, score_spot = (
    TYPES[name].score for name in ("single", "multiselect", "sort", "order", "rating", "spot")
)
score_branching = TYPES["branching"].score

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


def test_single_choice():
    assert score_single("o1", "o1", 2) == 2.0
    assert score_single("o2", "o1", 2) == 0.0
    assert score_single(None, "o1", 2) == 0.0


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (["a", "b", "c", "d"], 6.0),
        (["b", "a", "c", "d"], 5.0),  # one neighbour swap costs one pair of six
        (["d", "c", "b", "a"], 0.0),  # reversed
        (["a", "c", "b", "d"], 5.0),
        (["a", "b", "c"], 0.0),  # not every event placed
        (["a", "b", "c", "c"], 0.0),  # duplicate
        ("abcd", 0.0),
    ],
)
def test_order_rewards_mostly_right_orders(answer, expected):
    assert score_order(answer, ["a", "b", "c", "d"], points=6) == expected


@pytest.mark.parametrize(
    ("answer", "expected"), [(5, 4.0), (4, 3.0), (1, 0.0), (0, 0.0), (True, 0.0), ("5", 0.0)]
)
def test_rating_against_an_expert(answer, expected):
    assert score_rating(answer, 5, points=4, spec={"scale": {"min": 1, "max": 5}}) == expected


def test_rating_without_a_key_credits_an_answer():
    spec = {"scale": {"min": 1, "max": 5}}
    assert score_rating(3, None, 1, spec) == 1.0 and score_rating(None, None, 1, spec) == 0.0


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ({"l2": "charm", "l3": "darvo", "l4": "confidential"}, 3.0),
        ({"l2": "charm", "l3": "charm"}, 1.5),  # one right, one half-right, one missed
        ({"l2": "charm", "l1": "darvo"}, 0.5),  # one right, one false alarm
        ({"l1": "darvo"}, 0.0),  # never below zero
        ({}, 0.0),
    ],
)
def test_spot_the_tactic(answer, expected):
    assert (
        score_spot(answer, {"l2": "charm", "l3": "darvo", "l4": "confidential"}, points=3)
        == expected
    )


SCENARIO = {
    "start": "a",
    "scenes": [
        {
            "id": "a",
            "text": "t",
            "choices": [
                {"id": "good", "text": "t", "next": "b"},
                {"id": "poor", "text": "t", "next": "b"},
            ],
        },
        {
            "id": "b",
            "text": "t",
            "choices": [
                {"id": "best", "text": "t", "next": "end"},
                {"id": "worst", "text": "t", "next": "end"},
            ],
        },
        {"id": "end", "text": "t", "ending": True},
    ],
}
WEIGHTS = {"good": 1, "poor": 0.5, "best": 1, "worst": 0}


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (["good", "best"], 4.0),
        (["poor", "best"], 3.0),
        (["good", "worst"], 2.0),
        (["good"], 0.0),  # stopped before an ending
        (["best", "good"], 0.0),  # does not follow the links
        ([], 0.0),
    ],
)
def test_branching_scores_the_path_to_an_ending(path, expected):
    assert score_branching(path, WEIGHTS, 4, SCENARIO) == expected


ECOMAP_KEY = {
    "mum": {"ring": "close", "tie": "support"},
    "dad": {"ring": "around", "tie": "stress"},
    "lee": {"ring": "around", "tie": "control"},
}


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (ECOMAP_KEY, 3.0),
        ({"mum": {"ring": "close", "tie": "support"}}, 1.0),  # one person of three, all right
        ({"lee": {"ring": "around", "tie": "stress"}}, 1 / 3),  # right place, wrong tie
        ({"lee": {"ring": "edge", "tie": "control"}}, 2 / 3 + 1 / 6),  # right tie, one ring off
        ({"mum": {"ring": "edge", "tie": "support"}}, 2 / 3),  # right tie, two rings off
        ({"mum": {"ring": "nowhere", "tie": "love"}}, 0.0),  # values it does not know
        ({"mum": "support"}, 0.0),  # tampered: not a mark
        (None, 0.0),
    ],
)
def test_ecomap_partial_credit(answer, expected):
    got = TYPES["ecomap"].score(answer, ECOMAP_KEY, 3)
    assert got == pytest.approx(expected) and type(got) is float
