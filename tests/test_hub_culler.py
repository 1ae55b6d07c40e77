"""Nothing a learner typed is lost when their server stops under them: culled when idle by the
hub's jupyterhub-idle-culler (a 20-second timeout here; an hour by default), or stopped with the
whole hub for a restart. They log in again and find their answer where they left it. A real hub,
real Unix learners.
"""

from __future__ import annotations

import os
import subprocess
import time

import pytest
from playwright.sync_api import expect

from tests.hubs import log_in, running_hub

pytestmark = [pytest.mark.browser, pytest.mark.nbgrader]
IDLE_S = 20
ANSWER = "The school and the contact centre gave her opposite instructions. " * 2


@pytest.fixture(scope="module")
def hub():
    if os.geteuid() != 0:
        pytest.fail("the hub tests make real Unix accounts: run them as root, as CI does")
    with running_hub(extra=("--idle-timeout", str(IDLE_S))) as running:
        yield running


def _wait_until_stopped(account: str, seconds: float) -> None:
    """Wait until nothing runs as ``account`` (their server and its kernels have stopped)."""
    deadline = time.monotonic() + seconds
    while subprocess.run(["pgrep", "-u", account], capture_output=True).returncode == 0:
        assert time.monotonic() < deadline, f"{account}'s server still runs after {seconds} s"
        time.sleep(2)


def _open_assessment(page):
    page.get_by_role("link", name="Assessment: sort, spot and reflect", exact=True).click()
    page.wait_for_selector(".pl-submit-panel", timeout=120_000)
    return page.get_by_role("textbox").last


def _answer(browser, hub, account: str):
    """``account`` logs in and types ANSWER into the assessment, which saves it; their page."""
    page = log_in(browser, hub, account)
    _open_assessment(page).fill(ANSWER)
    page.get_by_text("Saved at").last.wait_for(timeout=60_000)
    return page


def _finds_the_answer(browser, hub, account: str) -> None:
    """``account`` logs in again (the hub starts a new server) and finds ANSWER in its place."""
    page = log_in(browser, hub, account)
    expect(_open_assessment(page)).to_have_value(ANSWER, timeout=60_000)
    page.context.close()


def test_a_culled_learner_logs_in_again_to_find_every_answer(hub, browser):
    a, _ = hub["names"]
    _answer(browser, hub, a).context.close()  # the learner goes away
    _wait_until_stopped(a, 10 * IDLE_S)  # the culler stops the server and its kernels
    _finds_the_answer(browser, hub, a)


def test_a_hub_restarted_mid_session_loses_nothing(hub, browser):
    _, b = hub["names"]
    page = _answer(browser, hub, b)
    hub["restart"]()  # the hub stops every learner's server with it, then starts again
    _wait_until_stopped(b, 30)
    page.context.close()
    _finds_the_answer(browser, hub, b)
