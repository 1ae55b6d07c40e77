"""Start the real `practice-lab workshop start` for a test or a benchmark, and read what it
printed (the join code and the facilitator key)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
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
    text = out.read_text()
    return proc, {
        "out": out,
        "port": port,
        "base": f"http://127.0.0.1:{port}/voila/render/",
        "code": re.search(r"Code:\s+(\S+)", text).group(1),
        "key": re.search(r"Facilitator key:\s+(\S+)", text).group(1),
        "folder": Path(re.search(r"Session folder: (.+)", text).group(1)),
    }
