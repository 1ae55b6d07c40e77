"""A cohort on one server: a real JupyterHub and configurable-http-proxy, real Unix accounts made
from a roster by `practice-lab hub accounts`, learners logging in through the hub's login page in
Chromium with their one-time codes. Every check goes through the hub's proxy.

Run as root (as CI does): the test makes two Unix accounts and removes them afterwards.
"""

from __future__ import annotations

import csv
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
from pathlib import Path

import pytest
from playwright.sync_api import expect

from grading import course_dir
from tests import processes
from tests.conftest import MODULE
from tests.fixtures_browser import free_port
from tests.kernel_socket import kernel_id_in, send_code

pytestmark = [pytest.mark.browser, pytest.mark.nbgrader]
CLI = [sys.executable, "-m", "practice_lab.cli", "hub"]


def _free_ports(n: int) -> int:
    """A port whose next ``n - 1`` ports are free too (the hub uses port, port+1, port+2)."""
    import socket

    for _ in range(50):
        port = free_port()
        try:
            for p in range(port, port + n):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", p))
            return port
        except OSError:
            continue
    raise RuntimeError("no three free ports in a row")


@pytest.fixture(scope="module")
def hub():
    """A hub for a cohort of two learners, module 02 released by the trainer."""
    if os.geteuid() != 0:
        pytest.fail("the hub tests make real Unix accounts: run them as root, as CI does")
    shared = Path(tempfile.mkdtemp(prefix="pl-hub-", dir="/tmp"))
    shared.chmod(0o755)  # learners pass through it to the shared exchange
    state, exchange, course = shared / "state", shared / "exchange", shared / "trainer"
    course_dir.init(course, exchange, shared=True)
    exchange.chmod(0o777)
    course_dir.release(course, MODULE)
    suffix = secrets.token_hex(3)
    names = [f"pla{suffix}", f"plb{suffix}"]
    roster = shared / "roster.csv"
    roster.write_text("id,name,email,team\n" + "".join(f"{n},Learner {n},,A\n" for n in names))
    codes_file = shared / "codes.csv"
    made = subprocess.run(
        [*CLI, "--state", str(state), "accounts", str(roster), "--codes", str(codes_file)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    with codes_file.open(newline="") as f:
        codes = {row["account"]: row["one-time code"] for row in csv.DictReader(f)}
    port = _free_ports(3)
    url = f"http://127.0.0.1:{port}"
    try:
        proc = processes.start(
            [*CLI, "--state", str(state), "--exchange", str(exchange), "--port", str(port)],
            shared / "hub.log",
            processes.answers(f"{url}/hub/login"),
        )
    except processes.DidNotStart as exc:
        pytest.fail(str(exc))
    yield {"url": url, "names": names, "codes": codes, "shared": shared, "course": course}
    processes.stop(proc)
    for name in names:
        subprocess.run(["pkill", "-KILL", "-u", name], check=False)
        subprocess.run(["userdel", "--remove", name], check=False, capture_output=True)
    shutil.rmtree(shared, ignore_errors=True)


def _log_in(browser, hub, name: str):
    """A learner's browser, logged in with their one-time code and on the course home."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.goto(f"{hub['url']}/hub/login")
    page.get_by_label("Username").fill(name)
    page.get_by_label("Password").fill(hub["codes"][name])
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1.pl-module-title")).to_have_text(
        "Coercive Control Practice Lab", timeout=180_000
    )
    return page


def test_accounts_are_private_and_codes_are_one_each(hub):
    a, b = hub["names"]
    assert len(set(hub["codes"].values())) == 2
    assert all(len(code) == 14 for code in hub["codes"].values())  # XXXX-XXXX-XXXX
    home_b = Path(f"/home/{b}")
    assert (home_b.stat().st_mode & 0o777) == 0o700
    peek = subprocess.run(["runuser", "-u", a, "--", "ls", str(home_b)], capture_output=True)
    assert peek.returncode != 0  # A cannot list B's home


def test_a_learner_logs_in_and_lands_on_the_locked_down_course_home(hub, browser):
    a, b = hub["names"]
    page = _log_in(browser, hub, a)
    assert f"/user/{a}/voila/render/home.ipynb" in page.url
    expect(page.get_by_role("link", name="The Three Planet Model").first).to_be_visible()
    base = f"{hub['url']}/user/{a}"
    for path in ("/lab", "/tree", "/terminals/websocket/1", "/api/terminals"):
        assert page.request.get(base + path).status in (403, 404), path
    assert page.request.get(f"{hub['url']}/user/{b}/api/contents").status in (403, 404)
    html = page.request.get(f"{base}/voila/render/home.ipynb").text()
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in page.context.cookies())
    xsrf = next((c["value"] for c in page.context.cookies() if c["name"] == "_xsrf"), "")
    ws = (
        f"ws://{hub['url'].removeprefix('http://')}/user/{a}/api/kernels/{kernel_id_in(html)}"
        f"/channels?_xsrf={urllib.parse.quote(xsrf)}"
    )
    marker = hub["shared"] / "ran"
    seen = send_code(ws, f"open({str(marker)!r}, 'w')", headers={"Cookie": cookies})
    assert "kernel_info_reply" in seen and "execute_reply" not in seen
    assert not marker.exists()
    identity = json.loads(
        subprocess.run(
            ["cat", f"/home/{a}/practice-lab/learner/identity.json"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    assert identity["id"] == a  # the learner submits as their own account
    page.context.close()


def test_a_learner_submits_through_the_hub_and_the_trainer_collects_it(hub, browser):
    a, _ = hub["names"]
    page = _log_in(browser, hub, a)
    page.get_by_role("link", name="Assessment: sort, spot and reflect").click()
    page.wait_for_selector(".pl-submit-panel", timeout=120_000)
    page.get_by_role("textbox").last.fill("What? So what? Now what? " * 4)
    page.get_by_text("Saved at").last.wait_for(timeout=60_000)
    page.get_by_role("button", name="Submit this module to my trainer").click()
    page.get_by_text("Thank you: your trainer has your answers").wait_for(timeout=120_000)
    page.context.close()
    summary = course_dir.collect(hub["course"], MODULE)
    assert summary.startswith("Collect: 1 collected"), summary
    answers = hub["course"] / "submitted" / a / MODULE / "answers.json"
    assert "So what?" in answers.read_text(encoding="utf-8")
