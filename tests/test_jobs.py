"""A trainer's long steps run in the background: one at a time, surviving the page that started
them, and reporting their progress and result in a file any later page reads."""

from __future__ import annotations

import json
import time

import pytest

from grading import jobs
from tests.conftest import MODULE

pytestmark = pytest.mark.nbgrader


@pytest.fixture
def course(trainer_course):
    return trainer_course


def wait_for_end(course, step, module=MODULE, timeout=180) -> jobs.Job:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = jobs.status(course, step, module)
        if job and job.state != jobs.RUNNING:
            return job
        time.sleep(0.2)
    raise AssertionError(f"{step} still running after {timeout} s")


def test_a_step_runs_in_the_background_once_however_often_it_is_started(course):
    assert jobs.status(course, "release", MODULE) is None
    assert jobs.start(course, "release", MODULE) is True
    assert [jobs.start(course, "release", MODULE) for _ in range(5)] == [False] * 5
    assert jobs.status(course, "release", MODULE).state == jobs.RUNNING
    job = wait_for_end(course, "release")
    assert (job.state, job.summary) == (jobs.DONE, f"Released {MODULE}.")
    assert (course / "release" / MODULE / "assessment.ipynb").exists()
    assert jobs.start(course, "release", MODULE) is True  # once ended, it may run again
    assert wait_for_end(course, "release").summary == f"{MODULE} was already released."


def test_a_failed_step_says_why(course):
    assert jobs.start(course, "feedback", MODULE)
    job = wait_for_end(course, "feedback")
    assert job.state == jobs.FAILED and "generate_feedback" in job.summary


def test_a_step_whose_process_died_reads_as_failed(course):
    state = course / "jobs" / f"{MODULE}.collect.json"
    state.parent.mkdir()
    state.write_text(
        json.dumps({"step": "collect", "module": MODULE, "state": "running", "started": 1.0})
    )
    job = jobs.status(course, "collect", MODULE)
    assert job.state == jobs.FAILED and "start it again" in job.summary
