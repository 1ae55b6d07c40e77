"""The trainer's home on the hub is their dashboard: a real hub, a real trainer account and two
learners. The trainer releases a module from the page; a learner then finds it on their course
home; formgrader runs inside the trainer's own server, where no learner can reach it.
"""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from tests.conftest import MODULE
from tests.hubs import log_in, running_hub

pytestmark = [pytest.mark.browser, pytest.mark.nbgrader]


@pytest.fixture(scope="module")
def hub():
    if os.geteuid() != 0:
        pytest.fail("the hub tests make real Unix accounts: run them as root, as CI does")
    with running_hub(with_trainer=True) as running:
        yield running


def test_the_trainer_releases_from_their_dashboard_and_learners_see_the_module(hub, browser):
    (trainer,), (a, _) = hub["trainers"], hub["names"]
    page = log_in(browser, hub, trainer, home="Trainer's dashboard")
    assert f"/user/{trainer}/voila/render/home.ipynb" in page.url
    row = page.locator(".pl-tr-row", has_text=MODULE)
    row.get_by_role("button", name="Release to learners").click()
    expect(page.get_by_text(f"Released {MODULE}.")).to_be_visible(timeout=240_000)
    api = f"{hub['url']}/user/{trainer}/formgrader/api/assignments"
    grader = page.request.get(api)  # the trainer's own formgrader, on their course
    assert grader.status == 200 and MODULE in [a["name"] for a in grader.json()]
    learner = log_in(browser, hub, a)
    expect(learner.get_by_role("link", name="Assessment: sort, spot and reflect")).to_be_visible()
    peek = learner.request.get(api, max_redirects=0)
    assert peek.status != 200 or MODULE not in peek.text()  # no learner reaches formgrader
    page.context.close()
    learner.context.close()
