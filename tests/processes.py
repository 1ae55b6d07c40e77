"""Start a server for a test or a benchmark, wait until it is ready, and stop all it started.

Each server runs in its own process group, so stopping it also stops Voilà's kernels.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path


class DidNotStart(RuntimeError):
    """The server exited or was not ready in time; the message holds its log."""


def start(
    command: list[str],
    log: Path,
    ready: Callable[[], bool],
    env: dict[str, str] | None = None,
    timeout: float = 180,
) -> subprocess.Popen:
    """Run ``command`` with its output in ``log`` until ``ready()`` is true; on failure stop it and
    raise DidNotStart with the log."""
    with open(log, "w") as out:
        proc = subprocess.Popen(
            command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    deadline = time.monotonic() + timeout
    while not ready():
        if proc.poll() is not None or time.monotonic() > deadline:
            stop(proc, grace=0)
            raise DidNotStart(f"{' '.join(command[:4])} … did not start:\n{log.read_text()}")
        time.sleep(0.3)
    return proc


def answers(url: str) -> Callable[[], bool]:
    """A readiness check: ``url`` answers an HTTP request."""

    def check() -> bool:
        try:
            urllib.request.urlopen(url, timeout=2)
            return True
        except OSError:
            return False

    return check


def stop(proc: subprocess.Popen, grace: float = 20) -> None:
    """Stop the server's whole process group: SIGTERM (as Ctrl+C would end a session), then
    SIGKILL for what is left after ``grace`` seconds (at once when ``grace`` is 0)."""
    try:  # the group, even if its leader has exited: its kernels may still be running
        os.killpg(proc.pid, signal.SIGTERM if grace else signal.SIGKILL)
        proc.wait(timeout=grace or 10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    except ProcessLookupError:
        pass
