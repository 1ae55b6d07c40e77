"""An idle learner's server is stopped by the hub's idle culler, and nothing they typed is lost:
they log in again and find their answer where they left it. A real hub, real Unix learners,
jupyterhub-idle-culler as the hub's service (with a 20-second timeout here; an hour by default).
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


def _runs_anything(account: str) -> bool:
    return subprocess.run(["pgrep", "-u", account], capture_output=True).returncode == 0


def _open_assessment(page):
    page.get_by_role("link", name="Assessment: sort, spot and reflect").click()
    page.wait_for_selector(".pl-submit-panel", timeout=120_000)
    return page.get_by_role("textbox").last


def test_a_culled_learner_logs_in_again_to_find_every_answer(hub, browser):
    a, _ = hub["names"]
    page = log_in(browser, hub, a)
    box = _open_assessment(page)
    box.fill(ANSWER)
    page.get_by_text("Saved at").last.wait_for(timeout=60_000)
    page.context.close()  # the learner goes away
    deadline = time.monotonic() + 10 * IDLE_S
    while _runs_anything(a):  # the culler stops the server and its kernels
        assert time.monotonic() < deadline, f"{a}'s server was not culled"
        time.sleep(2)
    page = log_in(browser, hub, a)  # the hub starts a new server for them
    expect(_open_assessment(page)).to_have_value(ANSWER, timeout=60_000)
    page.context.close()
