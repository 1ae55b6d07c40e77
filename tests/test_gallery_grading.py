"""Every graded exercise type through real nbgrader, with exact partial-credit numbers."""

from __future__ import annotations

import pandas as pd
import pytest

from grading import course_dir, export, learner_exchange
from grading.autograde import autograde
from grading.report import build_report
from grading.roster import import_roster
from tests.conftest import answer

pytestmark = pytest.mark.nbgrader

GALLERY = "gallery"
FULL = {
    "single_graded": "o1",
    "multiselect_graded": ["visible", "judgement", "escalation", "repeat"],
    "sort_graded": {"i1": "incident", "i2": "pattern", "i3": "incident", "i4": "pattern"},
    "order_graded": ["e1", "e2", "e3", "e4"],
    "rating_graded": 5,
    "spot_graded": {"l2": "charm", "l3": "darvo", "l4": "confidential"},
    "branching_graded": ["ask_for_her", "arrange_alone_2"],
    "ecomap_graded": {
        "gran": {"ring": "close", "tie": "support"},
        "school": {"ring": "around", "tie": "stress"},
        "stepdad": {"ring": "close", "tie": "control"},
    },
    "reflection_graded": "I let the father answer for everyone.",
}
PARTIAL = {
    "single_graded": "o2",  # wrong: 0 of 1
    "multiselect_graded": ["visible", "judgement", "children"],  # 2 right, 1 wrong: 1 of 4
    "sort_graded": {"i1": "incident", "i2": "incident"},  # 1 of 4 right: 1 of 4
    "order_graded": ["e2", "e1", "e3", "e4"],  # 5 of 6 pairs: 2.5 of 3
    "rating_graded": 4,  # one step from the expert's 5 on 1-5: 1.5 of 2
    "spot_graded": {"l2": "charm", "l3": "charm", "l1": "darvo"},  # 1 + 0.5 - 0.5 of 3: 1 of 3
    "branching_graded": ["talk_to_him", "arrange_alone"],  # weights 0.25 and 1: 1.875 of 3
    # shares of 1.5: all right; right tie, place one ring off (1 + 0.25); right place only (0.5)
    "ecomap_graded": {
        "gran": {"ring": "close", "tie": "support"},
        "school": {"ring": "edge", "tie": "stress"},
        "stepdad": {"ring": "close", "tie": "support"},
    },
}
ITEMS = ["single", "multiselect", "sort", "order", "rating", "spot", "branching", "ecomap"]
EXPECTED = {
    "full": [1.0, 4.0, 4.0, 3.0, 2.0, 3.0, 3.0, 4.5],
    "partial": [0.0, 1.0, 1.0, 2.5, 1.5, 1.0, 1.875, 3.25],
    "blank": [0.0] * 8,
}


@pytest.fixture(scope="module")
def graded_gallery(tmp_path_factory):
    """The gallery released, answered by three learners (a fourth on the roster never submits)."""
    tmp_path = tmp_path_factory.mktemp("gallery")
    course, exchange = tmp_path / "trainer", tmp_path / "exchange"
    course_dir.init(course, exchange)
    course_dir.release(course, GALLERY)
    for learner_id, answers in {"full": FULL, "partial": PARTIAL, "blank": {}}.items():
        folder = tmp_path / "learners" / learner_id
        learner_exchange.init(folder, exchange, learner_id)
        answer(learner_exchange.fetch(folder, GALLERY)[0], answers, module_id=GALLERY)
        learner_exchange.submit(folder, GALLERY)
    course_dir.collect(course, GALLERY)
    autograde(course, GALLERY, workers=2)
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "id,name,email,team\nfull,A B,,x\npartial,C D,,x\nblank,E F,,y\nabsent,G H,,y\n"
    )
    import_roster(roster, course, f"sqlite:///{course / 'gradebook.db'}")
    return course


def test_every_graded_type_scores_exactly(graded_gallery):
    course = graded_gallery
    table = export.scores_table(f"sqlite:///{course / 'gradebook.db'}").set_index("learner")
    got = {
        learner_id: [row[f"{GALLERY}/score_{item}_graded"] for item in ITEMS]
        for learner_id, row in table.iterrows()
        if learner_id in EXPECTED
    }
    assert got == EXPECTED
    assert table.loc["partial", f"{GALLERY}/total"] == 12.125


def test_cohort_report_has_every_section_with_exact_statistics(graded_gallery, tmp_path):
    course = graded_gallery
    out = build_report(course, f"sqlite:///{course / 'gradebook.db'}", tmp_path / "report.html")
    page = out["html"].read_text()
    assert page.count("data:image/png;base64,") >= 3  # score distribution, facility, paths diagram
    assert (
        "<li>Exercise toolkit gallery: G H (absent; team: y)</li>" in page
    )  # who has not submitted
    stats = pd.read_csv(out["csv"])
    single = stats[(stats["kind"] == "item") & (stats["item id"] == "score_single_graded")].iloc[0]
    assert single["exercise"] == "Professional judgement and Marac"
    assert (single["learners"], single["facility"]) == (3, 0.333)
    decisions = stats[stats["kind"] == "decision"].set_index("choice")["share"]
    assert decisions["Accept his offer and talk with him in the kitchen."] == 0.5
    assert (
        "They must wait until the checklist reaches 14" in page
    )  # the misconception the partial learner chose
    assert "Ecomaps: the ties the cohort misplaced most" in page
    assert (
        "Her stepdad, who decides when she may see her gran: control, 1 of 2 chose support" in page
    )
    assert "<script" not in page
