"""Start the real `practice-lab workshop start` for a test or a benchmark, and read what it
printed (the join code and the facilitator key)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.fixtures_browser import free_port

EXAMPLE = Path(__file__).resolve().parent.parent / "workshop" / "examples" / "three-planets.yaml"


class WorkshopDidNotStart(RuntimeError):
    """`workshop start` exited or printed no key in time; the message holds its output."""


def start_workshop(home: Path, prompts: Path = EXAMPLE) -> tuple[subprocess.Popen, dict]:
    """Run `workshop start` on a free port with ``home`` as the workspace (its own process
    group, so ``stop`` ends Voilà and its kernels too); returns the process and its details."""
    port, out = free_port(), home / "start.out"
    command = [sys.executable, "-m", "practice_lab.cli", "workshop", "start"]
    with open(out, "w") as log:
        proc = subprocess.Popen(
            [*command, "--prompts", str(prompts), "--port", str(port)],
            env=dict(os.environ, PRACTICE_LAB_HOME=str(home)),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + 180
    while "Facilitator key:" not in out.read_text():
        if proc.poll() is not None or time.monotonic() > deadline:
            stop(proc, grace=0)
            raise WorkshopDidNotStart(f"workshop start did not start:\n{out.read_text()}")
        time.sleep(0.3)
    text = out.read_text()
    return proc, {
        "out": out,
        "port": port,
        "base": f"http://127.0.0.1:{port}/voila/render/",
        "code": re.search(r"Code:\s+(\S+)", text).group(1),
        "key": re.search(r"Facilitator key:\s+(\S+)", text).group(1),
        "folder": Path(re.search(r"Session folder: (.+)", text).group(1)),
    }


def stop(proc: subprocess.Popen, grace: float = 30) -> None:
    """End the session (SIGTERM, as Ctrl+C would) and, after ``grace`` seconds, kill what is left."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM if grace else signal.SIGKILL)
    try:
        proc.wait(timeout=grace or 10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
