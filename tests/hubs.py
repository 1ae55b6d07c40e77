"""A real JupyterHub for the hub tests: a cohort of two new Unix learners with one-time codes made
by `practice-lab hub accounts`, module 02 released by the trainer (root), the hub and its proxy
on free ports; everything stopped and removed afterwards. Needs root, as CI has."""

from __future__ import annotations

import csv
import re
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

from course_model.workspace import COURSE_ID
from grading import course_dir
from practice_lab import hub_accounts
from tests import processes
from tests.conftest import MODULE
from tests.fixtures_browser import free_port

CLI = [sys.executable, "-m", "practice_lab.cli", "hub"]
TRAINER_CODE = re.compile(r"Trainer (\S+): log in as \S+ with the one-time code (\S+) ")


def free_ports(n: int) -> int:
    """A port whose next ``n - 1`` ports are free too (the hub uses port to port+4)."""
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
    shared: Path, state: Path, names: list[str], trainers: tuple[str, ...], cohort: str = ""
) -> dict[str, str]:
    """Accounts for ``names`` (and ``trainers``) through `practice-lab hub accounts`, as a
    training team makes them (in ``cohort``, if named); their one-time codes."""
    roster = shared / f"roster{cohort}.csv"
    roster.write_text("id,name,email,team\n" + "".join(f"{n},Learner {n},,A\n" for n in names))
    codes_file = shared / f"codes{cohort}.csv"
    in_cohort = ["--cohort", cohort, *_as_trainers(trainers)] if cohort else []
    made = subprocess.run(
        [
            *(*CLI, "--state", str(state), *([] if cohort else _as_trainers(trainers))),
            *("accounts", str(roster), "--codes", str(codes_file), *in_cohort),
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
    cohorts: tuple[str, ...] = (),
    learners: int = 2,
    modules: tuple[str, ...] = (MODULE,),
) -> Iterator[dict]:
    """A hub as described above (``extra``: more `practice-lab hub` options); a dict of its
    address, the learners' names and codes, the shared folder, the course, the hub's DB and the
    running hub's process (``process()``: it changes on a restart).
    ``with_trainer``: a trainer account too, who releases modules from their own dashboard;
    without one, root plays the trainer and releases ``modules`` before the hub starts.
    ``cohorts``: course ids, the learners shared out between them (the trainer in the first),
    made with `practice-lab hub accounts --cohort`; the dict's ``cohorts`` maps each to its
    learners. ``learners``: how many learners' accounts (the benchmark makes a cohort's worth)."""
    shared = Path(tempfile.mkdtemp(prefix="pl-hub-", dir="/tmp"))
    shared.chmod(0o755)  # learners pass through it to the shared exchange
    state, exchange, course = shared / "state", shared / "exchange", shared / "trainer"
    exchange.mkdir()
    exchange.chmod(0o777)
    if not with_trainer:
        course_id = cohorts[0] if cohorts else COURSE_ID
        course_dir.init(course, exchange, db_url=gradebook_db, shared=True, course_id=course_id)
        course_dir.release(course, *modules)
    suffix = secrets.token_hex(3)
    count = max(learners, len(cohorts))
    names = [f"pl{chr(ord('a') + i % 26)}{i // 26 or ''}{suffix}" for i in range(count)]
    trainers = (f"plt{suffix}",) if with_trainer else ()
    members = {cohort: names[i :: len(cohorts)] for i, cohort in enumerate(cohorts)}
    port = free_ports(5)  # the hub, its API, the proxy's API, accounts, workshop
    url = f"http://127.0.0.1:{port}"
    command = [
        *CLI,
        *("--state", str(state), "--exchange", str(exchange), "--port", str(port)),
        *(["--db", hub_db] if hub_db else []),
        *extra,
        *([] if cohorts else _as_trainers(trainers)),  # a cohort's trainers are in its record
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
        codes = {}
        for i, (cohort, people) in enumerate((members or {"": names}).items()):
            in_record = trainers if cohorts and i == 0 else ()  # a cohort's trainers: its record
            codes |= _make_accounts(shared, state, people, in_record, cohort)
        start()  # makes the --trainer's account and prints their one-time code, as `make hub` does
        codes |= dict(TRAINER_CODE.findall((shared / "hub-0.log").read_text()))
        assert set(trainers) <= set(codes), "no one-time code for the trainer"
        yield {
            "cohorts": members,
            **{"url": url, "names": names, "codes": codes, "shared": shared, "course": course},
            **{"trainers": trainers, "exchange": exchange, "restart": start},
            "process": lambda: procs[-1],
            "hub_db": hub_db or f"sqlite:///{state / 'jupyterhub.sqlite'}",
        }
    except processes.DidNotStart as exc:
        raise AssertionError(str(exc)) from None
    finally:
        for proc in procs:
            processes.stop(proc)
        for name in {*names, *trainers, *hub_accounts.accounts(state / hub_accounts.PASSWORDS)}:
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
