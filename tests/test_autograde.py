"""Parallel autograde: every learner graded once, a hanging notebook and a tampered one reported
by name, and the others unaffected."""

from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell

from grading import course_dir, export, learner_exchange
from grading.autograde import autograde, shares
from tests.conftest import MODULE, answer, graded_keys

pytestmark = pytest.mark.nbgrader


def test_shares_split_learners_evenly_without_empty_workers():
    assert shares(["a", "b", "c"], 2) == [["a", "c"], ["b"]]
    assert shares(["a"], 4) == [["a"]]


def test_two_workers_report_hanging_and_tampered_learners(tmp_path):
    keys = graded_keys()
    course, exchange = tmp_path / "trainer", tmp_path / "exchange"
    course_dir.init(course, exchange, timeout=5)
    course_dir.release(course, MODULE)
    for learner_id in ("ann", "bob", "cy", "dee"):
        folder = tmp_path / learner_id
        learner_exchange.init(folder, exchange, learner_id)
        answer(learner_exchange.fetch(folder, MODULE)[0], {"sort_planets": keys["sort_planets"]})
        learner_exchange.submit(folder, MODULE)
    course_dir.collect(course, MODULE)

    tampered = course / "submitted" / "bob" / MODULE / "assessment.ipynb"
    nb = nbformat.read(tampered, 4)
    cell = next(
        c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "show_sort_planets"
    )
    cell.source = 'print("I changed this read-only cell")'
    nbformat.write(nb, tampered)
    hanging = course / "submitted" / "cy" / MODULE / "assessment.ipynb"
    nb = nbformat.read(hanging, 4)
    nb.cells.append(new_code_cell("while True:\n    pass"))
    nbformat.write(nb, hanging)

    progress = []
    report = autograde(
        course, MODULE, workers=2, on_progress=lambda d, t, s: progress.append((d, t))
    )

    assert report.graded == {"ann", "bob", "cy", "dee"}
    assert report.tampered == {"bob": {"show_sort_planets"}}
    assert report.timed_out == {"cy"}
    assert not report.failed
    assert progress[-1] == (4, 4) and len(progress) == 4
    assert "4 graded, 0 failed, 1 timed out, 1 with edited read-only cells of 4" in report.summary(
        course
    )
    scores = export.scores_table(f"sqlite:///{course / 'gradebook.db'}").set_index("learner")
    assert list(scores[f"{MODULE}/score_sort_planets"]) == [
        4.0,
        4.0,
        4.0,
        4.0,
    ]  # restored cells, fair marks
