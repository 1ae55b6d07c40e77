"""Start the real `practice-lab workshop start` for a test or a benchmark, and read what it
printed (the join code and the facilitator key)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

from tests import processes
from tests.fixtures_browser import free_port

EXAMPLE = Path(__file__).resolve().parent.parent / "workshop" / "examples" / "three-planets.yaml"


def start_workshop(
    home: Path, prompts: Path = EXAMPLE, db_url: str = ""
) -> tuple[subprocess.Popen, dict]:
    """Run `workshop start` on a free port with ``home`` as the workspace (its own process
    group, so ``processes.stop`` ends Voilà and its kernels too), its answers in ``db_url``
    (``--db``) if given; returns the process and what it printed."""
    port, out = free_port(), home / "start.out"
    command = [sys.executable, "-m", "practice_lab.cli", "workshop", "start"]
    proc = processes.start(
        [*command, "--prompts", str(prompts), "--port", str(port), "--db", db_url],
        out,
        lambda: "Facilitator key:" in out.read_text(),
        env=dict(os.environ, PRACTICE_LAB_HOME=str(home)),
    )
    return proc, {
        "out": out,
        "port": port,
        "base": f"http://127.0.0.1:{port}/voila/render/",
        **printed(out.read_text()),
    }


def on_hub(hub: dict, timeout: float = 300) -> dict:
    """The workshop session the hub's service started, once it has printed its code and key in
    the hub's log (its Voilà is then up): what it printed (see :func:`printed`)."""
    log = max(hub["shared"].glob("hub-*.log"), key=lambda path: path.stat().st_mtime)
    deadline = time.monotonic() + timeout
    while "Facilitator key:" not in log.read_text(errors="replace"):
        assert time.monotonic() < deadline, f"no workshop session in {log}:\n{log.read_text()}"
        time.sleep(0.5)
    return printed(log.read_text(errors="replace"))


def printed(text: str) -> dict:
    """What `workshop start` printed in ``text`` (the last session's, if it printed several):
    the join code, the facilitator key, the session folder and the participants' address."""

    def last(pattern: str) -> str:
        return re.findall(pattern, text)[-1]

    return {
        "code": last(r"Code:\s+(\S+)"),
        "key": last(r"Facilitator key:\s+(\S+)"),
        "folder": Path(last(r"Session folder: (.+)")),
        "join_url": last(r"Address:\s+(\S+)"),
    }
