"""Autograde a cohort in parallel worker processes, with progress and a per-learner report.

Each worker is ONE long-lived ``nbgrader autograde`` process that grades a share of the learners
(nbgrader's ``student_id_exclude`` leaves out everyone else), so start-up (about 2.3 s here) is
paid once per worker, not once per learner. Workers write to the same gradebook; SQLite's
locking serialises their short writes. While they run, their logs are read line by line to
report progress, learners whose notebook failed or timed out, and learners whose read-only
cells were edited.
"""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

STARTED = re.compile(r"Creating/updating student with ID '([^']+)'")
FINISHED = re.compile(r"Setting destination file permissions")
CHANGED = re.compile(r"Attribute '(?:checksum|source)' for cell (\S+) has changed")
TIMEOUT = re.compile(r"CellTimeoutError|Cell execution timed out|Timeout waiting for")
FAILED = re.compile(r"There was an error processing assignment '[^']+' for student '([^']+)'")


@dataclass
class AutogradeReport:
    """What happened to each learner in one autograde run."""

    learners: list[str]
    graded: set[str] = field(default_factory=set)
    failed: dict[str, str] = field(default_factory=dict)
    timed_out: set[str] = field(default_factory=set)
    tampered: dict[str, set[str]] = field(default_factory=dict)
    seconds: float = 0.0

    def summary(self, where: Path) -> str:
        """The one-line summary a trainer reads at the end."""
        parts = [
            f"{len(self.graded)} graded",
            f"{len(self.failed)} failed",
            f"{len(self.timed_out)} timed out",
        ]
        parts.append(f"{len(self.tampered)} with edited read-only cells")
        return f"Autograde: {', '.join(parts)} of {len(self.learners)} in {self.seconds:.0f} s; results in {where}"

    def details(self) -> list[str]:
        """One line per learner who needs the trainer's attention."""
        lines = [f"  {who}: grading failed ({why})" for who, why in sorted(self.failed.items())]
        lines += [
            f"  {who}: a cell ran past the time limit and scored 0"
            for who in sorted(self.timed_out)
        ]
        lines += [
            f"  {who}: read-only cells were edited ({', '.join(sorted(cells))}); nbgrader restored them before grading"
            for who, cells in sorted(self.tampered.items())
        ]
        return lines


def submitted(course: Path, module_id: str) -> list[str]:
    """Learners with a collected submission of this module."""
    return sorted(
        p.parent.name for p in (course / "submitted").glob(f"*/{module_id}") if p.is_dir()
    )


def shares(learners: list[str], workers: int) -> list[list[str]]:
    """Split learners into at most ``workers`` non-empty shares of near-equal size."""
    workers = max(1, min(workers, len(learners)))
    return [learners[i::workers] for i in range(workers)]


def _watch(
    stream, log, report: AutogradeReport, lock: threading.Lock, tick: Callable[[], None]
) -> None:
    """Copy one worker's output to the course's autograde.log, noting what happens to whom."""
    current = None
    for line in stream:
        with lock:
            log.write(line)
            if m := STARTED.search(line):
                current = m.group(1)
            elif current and FINISHED.search(line):
                report.graded.add(current)
                tick()
            elif current and (m := CHANGED.search(line)) and not m.group(1).startswith("score_"):
                # Hidden-test cells always differ from their released copy; other locked cells must not.
                report.tampered.setdefault(current, set()).add(m.group(1))
            elif current and TIMEOUT.search(line):
                report.timed_out.add(current)
            elif m := FAILED.search(line):
                report.failed[m.group(1)] = "see nbgrader's log in the course directory"


def autograde(
    course: Path,
    module_id: str,
    workers: int = 1,
    on_progress: Callable[[int, int, float], None] | None = None,
) -> AutogradeReport:
    """Autograde every collected submission of a module with ``workers`` parallel nbgrader processes.

    ``on_progress(done, total, elapsed_seconds)`` is called as each learner finishes.
    """
    learners = submitted(course, module_id)
    report = AutogradeReport(learners)
    if not learners:
        return report
    start, lock = time.monotonic(), threading.Lock()

    def tick() -> None:
        if on_progress:
            on_progress(len(report.graded), len(learners), time.monotonic() - start)

    log = (course / "autograde.log").open("w", encoding="utf-8")
    procs, watchers = [], []
    for share in shares(learners, workers):
        others = ",".join(x for x in learners if x not in share)
        cmd = [sys.executable, "-m", "nbgrader", "autograde", module_id, "--force"]
        if others:
            cmd.append(f"--CourseDirectory.student_id_exclude={others}")
        proc = subprocess.Popen(
            cmd, cwd=course, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        procs.append(proc)
        watcher = threading.Thread(
            target=_watch, args=(proc.stdout, log, report, lock, tick), daemon=True
        )
        watcher.start()
        watchers.append(watcher)
    for proc, watcher in zip(procs, watchers, strict=True):
        proc.wait()
        watcher.join()
    log.close()
    report.graded -= set(report.failed)
    report.seconds = time.monotonic() - start
    return report
