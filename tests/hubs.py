"""A real JupyterHub for the hub tests: a cohort of two new Unix learners with one-time codes made
by `practice-lab hub accounts`, module 02 released by the trainer (root), the hub and its proxy
on free ports; everything stopped and removed afterwards. Needs root, as CI has."""

from __future__ import annotations

import csv
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import expect

from grading import course_dir
from tests import processes
from tests.conftest import MODULE
from tests.fixtures_browser import free_port

CLI = [sys.executable, "-m", "practice_lab.cli", "hub"]


def free_ports(n: int) -> int:
    """A port whose next ``n - 1`` ports are free too (the hub uses port to port+3)."""
    for _ in range(50):
        port = free_port()
        try:
            for p in range(port, port + n):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", p))
            return port
        except OSError:
            continue
    raise RuntimeError(f"no {n} free ports in a row")


def _make_accounts(
    shared: Path, state: Path, names: list[str], trainers: tuple[str, ...]
) -> dict[str, str]:
    """Accounts for ``names`` (and ``trainers``) through `practice-lab hub accounts`, as a
    training team makes them; their one-time codes."""
    roster = shared / "roster.csv"
    roster.write_text("id,name,email,team\n" + "".join(f"{n},Learner {n},,A\n" for n in names))
    codes_file = shared / "codes.csv"
    made = subprocess.run(
        [
            *(*CLI, "--state", str(state), *_as_trainers(trainers)),
            *("accounts", str(roster), "--codes", str(codes_file)),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    with codes_file.open(newline="") as f:
        return {row["account"]: row["one-time code"] for row in csv.DictReader(f)}


def _wait_until_gone(url: str, seconds: float = 60) -> None:
    """Wait until nothing answers at ``url``."""
    answers, deadline = processes.answers(url), time.monotonic() + seconds
    while answers():
        assert time.monotonic() < deadline, f"something still answers at {url}"
        time.sleep(0.5)


def _as_trainers(trainers: tuple[str, ...]) -> list[str]:
    return [arg for t in trainers for arg in ("--trainer", t)]


@contextmanager
def running_hub(
    hub_db: str | None = None,
    gradebook_db: str | None = None,
    extra: tuple[str, ...] = (),
    with_trainer: bool = False,
) -> Iterator[dict]:
    """A hub as described above (``extra``: more `practice-lab hub` options); a dict of its
    address, the learners' names and codes, the shared folder, the course and the hub's DB.
    ``with_trainer``: a trainer account too, who releases modules from their own dashboard;
    without one, root plays the trainer and module 02 is released before the hub starts."""
    shared = Path(tempfile.mkdtemp(prefix="pl-hub-", dir="/tmp"))
    shared.chmod(0o755)  # learners pass through it to the shared exchange
    state, exchange, course = shared / "state", shared / "exchange", shared / "trainer"
    exchange.mkdir()
    exchange.chmod(0o777)
    if not with_trainer:
        course_dir.init(course, exchange, db_url=gradebook_db, shared=True)
        course_dir.release(course, MODULE)
    suffix = secrets.token_hex(3)
    names = [f"pla{suffix}", f"plb{suffix}"]
    trainers = (f"plt{suffix}",) if with_trainer else ()
    port = free_ports(4)
    url = f"http://127.0.0.1:{port}"
    command = [
        *CLI,
        *("--state", str(state), "--exchange", str(exchange), "--port", str(port)),
        *(["--db", hub_db] if hub_db else []),
        *extra,
        *_as_trainers(trainers),
    ]
    procs: list = []

    def start() -> None:
        """Start the hub (again: after a restart it finds its state where it left it)."""
        if procs:
            processes.stop(procs.pop())
            _wait_until_gone(url)  # the old proxy may outlive the hub for a moment
        log = shared / f"hub-{len(list(shared.glob('hub-*.log')))}.log"
        procs.append(processes.start(command, log, processes.answers(f"{url}/hub/login")))

    try:
        codes = _make_accounts(shared, state, names, trainers)
        start()
        yield {
            **{"url": url, "names": names, "codes": codes, "shared": shared, "course": course},
            **{"trainers": trainers, "exchange": exchange, "restart": start},
            "hub_db": hub_db or f"sqlite:///{state / 'jupyterhub.sqlite'}",
        }
    except processes.DidNotStart as exc:
        raise AssertionError(str(exc)) from None
    finally:
        for proc in procs:
            processes.stop(proc)
        for name in [*names, *trainers]:
            subprocess.run(["pkill", "-KILL", "-u", name], check=False)
            subprocess.run(["userdel", "--remove", name], check=False, capture_output=True)
        shutil.rmtree(shared, ignore_errors=True)


def log_in(browser, hub, name: str, home: str = "Coercive Control Practice Lab"):
    """A browser logged in with ``name``'s one-time code, on their home page (whose heading is
    ``home``: the course home for a learner, the dashboard for a trainer)."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.goto(f"{hub['url']}/hub/login")
    page.get_by_label("Username").fill(name)
    page.get_by_label("Password").fill(hub["codes"][name])
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name=home, exact=True)).to_be_visible(timeout=180_000)
    return page
