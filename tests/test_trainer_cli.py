"""The trainer's whole pipeline through the `practice-lab grade` command line, 10 learners."""

from __future__ import annotations

import html
import subprocess
import sys

import pytest
from openpyxl import load_workbook

from course_model.titles import module_title
from grading import learner_exchange
from tests.conftest import MODULE, answer, graded_keys

pytestmark = pytest.mark.nbgrader
LEARNERS = [f"sw{n:02d}" for n in range(10)]


def grade(course, *args) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "practice_lab.cli", "grade", "--course-dir", str(course), *args]
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_every_subcommand_from_roster_to_report(tmp_path):
    course, exchange = tmp_path / "trainer", tmp_path / "exchange"
    grade(course, "init", "--exchange", str(exchange))
    roster = tmp_path / "cohort.csv"
    roster.write_text(
        "id,name,email,team\n" + "".join(f"{i},Learner {i},,T\n" for i in [*LEARNERS, "late01"])
    )
    assert "11 added, 0 changed" in grade(course, "roster", "import", str(roster)).stdout
    grade(course, "release", MODULE)
    key = graded_keys()["sort_planets"]
    items = sorted(key)
    for n, learner_id in enumerate(LEARNERS):
        folder = tmp_path / "learners" / learner_id
        learner_exchange.init(folder, exchange, learner_id)
        answer(
            learner_exchange.fetch(folder, MODULE)[0],
            {"sort_planets": {i: key[i] for i in items[: n % 9]}},
        )
        learner_exchange.submit(folder, MODULE)

    collected = grade(course, "collect", MODULE)
    assert "Collect: 10 collected, 0 unchanged" in collected.stdout
    assert "10/10 learners" in collected.stderr  # the progress bar reached the end
    graded = grade(course, "autograde", MODULE, "--workers", "2")
    assert (
        "Autograde: 10 graded, 0 failed, 0 timed out, 0 with edited read-only cells of 10"
        in graded.stdout
    )
    assert "Feedback: released to 10 of 10 learners" in grade(course, "feedback", MODULE).stdout
    grade(course, "export", "--out", str(tmp_path / "scores.xlsx"))
    report = grade(course, "report", "--out", str(tmp_path / "report.html"))
    assert "report.html" in report.stdout

    rows = list(load_workbook(tmp_path / "scores.xlsx")["Scores"].iter_rows(values_only=True))
    total = rows[0].index(f"{module_title(MODULE)} · Total")
    totals = {r[0]: r[total] for r in rows[1:]}
    assert totals == {**{x: (n % 9) / 2 for n, x in enumerate(LEARNERS)}, "late01": None}
    page = (tmp_path / "report.html").read_text()
    assert page.count("data:image/png;base64,") >= 2
    assert f"{html.escape(module_title(MODULE))}: Learner late01 (late01; team: T)" in page


def test_steps_use_the_gradebook_the_course_was_set_up_with(tmp_path):
    course, elsewhere = tmp_path / "trainer", tmp_path / "db" / "cohort.db"
    elsewhere.parent.mkdir()
    grade(course, "init", "--exchange", str(tmp_path / "ex"), "--db", f"sqlite:///{elsewhere}")
    roster = tmp_path / "r.csv"
    roster.write_text("id,name,email,team\nsw01,Ann Lee,,T\n")
    grade(course, "roster", "import", str(roster))
    grade(course, "export", "--out", str(tmp_path / "scores.csv"))
    grade(course, "report", "--out", str(tmp_path / "report.html"))
    assert elsewhere.exists() and not (course / "gradebook.db").exists()
    assert "sw01" in (tmp_path / "scores.csv").read_text()
    grade(course, "export", "--shape", "cpd", "--out", str(tmp_path / "cpd.csv"))
    assert (tmp_path / "cpd.csv").read_text().splitlines()[0].endswith("Total minutes,Total hours")
