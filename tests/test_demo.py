"""`practice-lab grade demo`: a synthetic cohort through every real step, ending in a report."""

from __future__ import annotations

import html

import pytest
from openpyxl import load_workbook

from course_model.titles import module_title
from grading.demo import run_demo, synthetic_name

pytestmark = pytest.mark.nbgrader


def test_demo_runs_the_whole_pipeline(tmp_path):
    written = run_demo(tmp_path, learners=4, modules=("04-children",), say=lambda *_: None)
    page = written["report"].read_text()
    assert page.count("data:image/png;base64,") >= 3
    assert page.count(">Synthetic cohort<") == 1  # said once, at the top
    title = module_title("04-children")
    never = f"{title}: {synthetic_name(3)} (demo004; team: Team B)"  # who never submitted
    assert html.escape(never) in page
    assert "Ecomap around Kojo, 5 as the key marks it" in page  # the demo answered the ecomap
    rows = list(load_workbook(written["scores"])["Scores"].iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["demo001", "demo002", "demo003", "demo004"]
    assert [f"{r[1]} {r[2]}" for r in rows[1:]] == [synthetic_name(n) for n in range(4)]
    totals = {r[0]: r[rows[0].index(f"{title} · Total")] for r in rows[1:]}
    assert all(totals[i] is not None and totals[i] > 0 for i in ("demo001", "demo002", "demo003"))
    assert totals["demo004"] is None  # not submitted is not zero
    feedback = list((tmp_path / "trainer" / "feedback").rglob("assessment.html"))
    assert len(feedback) == 3 and "Demo comment" in feedback[0].read_text()


def test_demo_command_is_offered():
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "practice_lab.cli", "grade", "demo", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and "--learners" in result.stdout
