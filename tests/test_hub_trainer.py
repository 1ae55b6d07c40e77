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


def test_the_trainer_makes_accounts_from_their_dashboard_and_a_new_learner_logs_in(hub, browser):
    (trainer,), (a, _) = hub["trainers"], hub["names"]
    newcomer = f"plc{a[3:]}"  # the fixture removes every account that got a code
    roster = hub["shared"] / "new-roster.csv"
    roster.write_text(f"id,name,email,team\n{a},Ash Quinn,,A\n{newcomer},Cal Ng,,B\n")
    page = log_in(browser, hub, trainer, home="Trainer's dashboard")
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Upload roster").click()
    chooser.value.set_files(str(roster))
    expect(page.get_by_text("1 new accounts on the hub.")).to_be_visible(timeout=120_000)
    codes = page.get_by_role("table", name="One-time codes")
    expect(codes.get_by_role("row")).to_have_count(2)  # the header and the newcomer: A had one
    code = codes.get_by_role("row", name=newcomer).get_by_role("cell").nth(1).inner_text()
    expect(page.get_by_role("link", name="Download the codes (CSV)")).to_be_visible()
    learner = log_in(browser, {**hub, "codes": {newcomer: code}}, newcomer)  # no hub restart
    service = f"{hub['url']}/services/accounts/accounts"
    for headers in ({}, {"Authorization": "token forged"}):  # nobody but a trainer makes one
        refused = learner.request.post(service, data={"accounts": ["intruder"]}, headers=headers)
        assert refused.status == 403, refused.text()
    page.context.close()
    learner.context.close()
