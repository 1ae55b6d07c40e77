"""Benchmark: plain serial `nbgrader autograde` vs `practice-lab grade autograde --workers 2`.

30 synthetic learners on module 02, measured side by side in one run (each grader twice,
alternating, best time kept). Prints the speed-up (target >= 1.7x on 2 cores) and the time per
notebook beside the floor: an empty notebook's execution time on this machine.
"""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from grading import course_dir, learner_exchange
from grading.autograde import autograde
from tests.conftest import answer, graded_keys

MODULE, LEARNERS, WORKERS = "02-three-planets", 30, 2


def cohort(root: Path) -> Path:
    """A course with LEARNERS collected submissions of varied quality (seeded)."""
    rng = random.Random(7)  # noqa: S311 - a seeded synthetic cohort, not security
    keys = graded_keys(MODULE)
    course, exchange = root / "trainer", root / "exchange"
    course_dir.init(course, exchange)
    course_dir.release(course, MODULE)
    for n in range(LEARNERS):
        folder = root / f"l{n:02d}"
        learner_exchange.init(folder, exchange, f"l{n:02d}")
        sort = {i: c for i, c in keys["sort_planets"].items() if rng.random() < 0.7}
        ticks = [o for o in ["o1", "o2", "o3", "o4", "o5", "o6"] if rng.random() < 0.5]
        answer(
            learner_exchange.fetch(folder, MODULE)[0],
            {"sort_planets": sort, "exploitable_contradictions": ticks},
        )
        learner_exchange.submit(folder, MODULE)
    course_dir.collect(course, MODULE)
    return course


def serial(course: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "nbgrader", "autograde", MODULE, "--force"],
        cwd=course,
        capture_output=True,
        check=True,
    )
    return time.perf_counter() - start


def parallel(course: Path) -> float:
    report = autograde(course, MODULE, workers=WORKERS)
    assert len(report.graded) == LEARNERS, report.summary(course)
    return report.seconds


def empty_notebook_floor() -> float:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("")])
    start = time.perf_counter()
    NotebookClient(nb, kernel_name="python3").execute()
    return time.perf_counter() - start


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        print(f"Setting up {LEARNERS} synthetic learners…", flush=True)
        course = cohort(Path(tmp))
        times = {"serial": [], "parallel": []}
        for _ in range(2):
            times["serial"].append(serial(course))
            times["parallel"].append(parallel(course))
        floor = min(empty_notebook_floor() for _ in range(3))
    best_serial, best_parallel = min(times["serial"]), min(times["parallel"])
    print(
        f"serial nbgrader autograde:        {best_serial:6.1f} s  ({best_serial / LEARNERS:.2f} s per notebook)"
    )
    print(
        f"practice-lab --workers {WORKERS}:        {best_parallel:6.1f} s  ({best_parallel / LEARNERS:.2f} s per notebook)"
    )
    print(f"empty notebook floor:             {floor:6.2f} s")
    print(f"speed-up: {best_serial / best_parallel:.2f}x (target >= 1.7x)")


if __name__ == "__main__":
    main()
