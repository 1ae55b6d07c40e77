"""nbgrader's formgrader, where a trainer marks reflections, with the marking guide beside it.

The command line runs it in the foreground (``practice-lab grade formgrade``); the trainer's
dashboard starts it in the background once and links to it, reusing it while it still answers.
Either way it is a Jupyter server on 127.0.0.1 behind a fresh token, rooted at the course
directory, and the marking guide is written there for it to serve.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from course_model.files import write_json_atomically, write_text_atomically
from grading.marking_guide import marking_guide_html

GUIDE = "marking-guide.html"
START_TIMEOUT_S = 90


def write_marking_guide(course: Path) -> Path:
    """Write the marking guide for every module released in ``course``; returns its path."""
    source = course / "source"
    released = sorted(p.name for p in source.iterdir() if p.is_dir()) if source.exists() else []
    path = course / GUIDE
    write_text_atomically(path, marking_guide_html(released))
    return path


def urls(port: int, token: str) -> tuple[str, str]:
    """The addresses of formgrader and of the marking guide on a server at ``port``."""
    base = f"http://127.0.0.1:{port}"
    return f"{base}/formgrader?token={token}", f"{base}/files/{GUIDE}?token={token}"


def command(course: Path, port: int, token: str) -> list[str]:
    """The ``jupyter server`` command line that serves formgrader for ``course``."""
    return [
        sys.executable,
        "-m",
        "jupyter",
        "server",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        "--ServerApp.allow_root=True",  # CI and containers run as root
        f"--ServerApp.root_dir={course}",
        f"--IdentityProvider.token={token}",
    ]


def _answers(port: int, token: str) -> bool:
    try:
        url = f"http://127.0.0.1:{port}/api/status?token={token}"
        urllib.request.urlopen(url, timeout=2)
        return True
    except OSError:
        return False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_running(course: Path) -> tuple[str, str]:
    """Formgrader's and the marking guide's addresses, starting formgrader in the background if
    it is not already answering (its port and token are kept in ``jobs/formgrader.json``)."""
    write_marking_guide(course)
    state = course / "jobs" / "formgrader.json"
    try:
        known = json.loads(state.read_text(encoding="utf-8"))
        if _answers(known["port"], known["token"]):
            return urls(known["port"], known["token"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    port, token = _free_port(), secrets.token_urlsafe(24)
    state.parent.mkdir(exist_ok=True)
    with (course / "jobs" / "formgrader.log").open("w", encoding="utf-8") as log:
        proc = subprocess.Popen(
            command(course, port, token),
            cwd=course,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # outlives the page that asked for it
        )
    deadline = time.monotonic() + START_TIMEOUT_S
    while not _answers(port, token):
        if time.monotonic() > deadline:
            raise TimeoutError(
                f"formgrader did not start; see {course / 'jobs' / 'formgrader.log'}"
            )
        time.sleep(0.3)
    write_json_atomically(state, {"port": port, "token": token, "pid": proc.pid})
    return urls(port, token)


def stop(course: Path) -> bool:
    """Stop the formgrader :func:`ensure_running` started for ``course``, if it still runs."""
    state = course / "jobs" / "formgrader.json"
    try:
        pid = int(json.loads(state.read_text(encoding="utf-8"))["pid"])
        os.killpg(pid, signal.SIGTERM)  # its own session: the server and anything it started
    except (OSError, ValueError, KeyError, TypeError):
        return False
    state.unlink(missing_ok=True)
    return True
