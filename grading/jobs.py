"""A trainer's long steps (release, collect, autograde, feedback, the demo) run in the background.

The trainer's page starts a step and may be closed: the step runs in a process of its own
(``python -m grading.jobs``), which calls the same function as ``practice-lab grade`` and keeps
its state in ``<course>/jobs/<module>.<step>.json`` (running with its progress, then done with
its summary and per-learner problems, or failed with why). Reopening the page reads that file.

Two clicks never start the same step twice: starting takes an exclusive ``flock`` on the step's
lock file and hands it to the new process, which holds it until it ends, so a second start sees
the lock taken. A state file saying "running" whose lock nobody holds belongs to a process that
died, and reads as failed.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from course_model.files import write_json_atomically

MODULE_STEPS = ("release", "collect", "autograde", "feedback")  # each for one module
STEPS = (*MODULE_STEPS, "demo")
DEMO = "cohort"  # the demo's step runs for the whole cohort, not one module
RUNNING, DONE, FAILED = "running", "done", "failed"
PROGRESS_EVERY_S = 0.5  # how often a running step rewrites its state file


@dataclass
class Job:
    """One background step's state, as the trainer's page shows it."""

    step: str
    module: str
    state: str
    started: float
    finished: float | None = None
    done: int = 0
    total: int = 0
    summary: str = ""
    details: list[str] = field(default_factory=list)
    result: str = ""  # a file the step made for the trainer to open (the demo's report)
    explanations: bool = False  # feedback: the trainer chose to release each item's explanation


def _paths(course: Path, step: str, module: str) -> tuple[Path, Path]:
    if step not in STEPS:
        raise ValueError(f"unknown step {step!r}: one of {', '.join(STEPS)}")
    folder = course / "jobs"
    return folder / f"{module}.{step}.json", folder / f"{module}.{step}.lock"


def _try_lock(lock_path: Path) -> int | None:
    """An open descriptor holding the lock, or None if another process holds it."""
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


def status(course: Path, step: str, module: str) -> Job | None:
    """The last run of ``step`` on ``module`` (None if never run); a run whose process died
    reads as failed."""
    state_path, lock_path = _paths(course, step, module)
    try:
        job = Job(**json.loads(state_path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None
    if job.state == RUNNING and (fd := _try_lock(lock_path)) is not None:
        os.close(fd)
        job.state, job.summary = FAILED, "The step stopped unexpectedly; start it again."
    return job


def start(course: Path, step: str, module: str, explanations: bool = False) -> bool:
    """Start ``step`` on ``module`` in the background; False if it is already running.
    ``explanations``: (feedback) release each item's right answer and why, as the trainer chose."""
    state_path, lock_path = _paths(course, step, module)
    lock_path.parent.mkdir(exist_ok=True)
    fd = _try_lock(lock_path)
    if fd is None:
        return False
    try:
        job = Job(step, module, RUNNING, time.time(), explanations=explanations)
        write_json_atomically(state_path, asdict(job))
        log = (course / "jobs" / f"{module}.{step}.log").open("w", encoding="utf-8")
        with log:
            subprocess.Popen(
                [sys.executable, "-m", "grading.jobs", str(course), step, module, str(fd)],
                pass_fds=(fd,),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # outlives the page's kernel
            )
    finally:
        os.close(fd)  # the child holds its own copy of the lock until it ends
    return True


def _run(course: Path, job: Job, state_path: Path) -> tuple[str, list[str]]:
    """Run one step with the same function the command line uses; (summary, problems). Its
    progress goes into ``job`` and the state file, at most every PROGRESS_EVERY_S."""
    from grading import course_dir
    from grading.autograde import autograde

    last = 0.0

    def progress(done: int, total: int, _elapsed: float) -> None:
        nonlocal last
        job.done, job.total = done, total
        if time.monotonic() - last >= PROGRESS_EVERY_S or done == total:
            last = time.monotonic()
            write_json_atomically(state_path, asdict(job))

    if job.step == "release":
        released = course_dir.release(course, job.module)
        return (
            f"Released {job.module}." if released else f"{job.module} was already released."
        ), []
    if job.step == "demo":
        return _demo(course, job, progress)
    if job.step == "autograde":
        report = autograde(course, job.module, on_progress=progress)
        return report.summary(course / "autograded"), report.details()
    if job.step == "feedback":
        summary = course_dir.feedback(
            course, job.module, on_progress=progress, explanations=job.explanations
        )
        return summary, []
    return course_dir.collect(course, job.module, on_progress=progress), []


def _demo(course: Path, job: Job, progress) -> tuple[str, list[str]]:
    """Run a fresh demo cohort beside ``course``; one step of progress per module."""
    from grading.demo import PAGE_DEMO, run_fresh_demo

    lines: list[str] = []

    def said(line: str) -> None:
        lines.append(line)
        progress(len(lines), len(PAGE_DEMO["modules"]) + 1, 0.0)

    job.result = str(run_fresh_demo(course, say=said)["report"])
    return "The demo cohort is ready: its report is below.", lines


def main(course: str, step: str, module: str, fd: str) -> int:
    """The background process: run the step, then record done or failed (with why). It holds
    the step's lock (descriptor ``fd``, inherited from :func:`start`) until it exits."""
    course_path = Path(course)
    state_path, _ = _paths(course_path, step, module)
    job = Job(**json.loads(state_path.read_text(encoding="utf-8")))
    try:
        job.summary, job.details = _run(course_path, job, state_path)
        job.state = DONE
    except Exception as exc:  # whatever went wrong, the page must say so
        job.state, job.summary = FAILED, str(exc) or exc.__class__.__name__
    job.finished = time.time()
    write_json_atomically(state_path, asdict(job))
    with contextlib.suppress(OSError):
        os.close(int(fd))
    return 0 if job.state == DONE else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:5]))
