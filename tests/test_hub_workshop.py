"""The workshop as the hub's service: `practice-lab hub` starts it, and a participant with no hub
account reaches it through the hub's proxy at /services/workshop/, joins with the session's code
and answers; the facilitator, with the key the hub's terminal printed, sees the answer counted.
Every page, script, style and socket of both pages is served under that prefix. A real hub,
proxy and Chromium; the answers in a SQLite file in the hub's state folder. (On the hub's
PostgreSQL, bench/workshop.py runs it; the store's PostgreSQL path is tested in
test_workshop_store.py.)
"""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from practice_lab import hub as hub_config
from tests.hubs import running_hub
from tests.workshop_server import EXAMPLE, on_hub

WAIT_MS = 120_000
PREFIX = "/services/workshop/"


@pytest.fixture(scope="module")
def hub():
    if os.geteuid() != 0:
        pytest.fail("the hub tests make real Unix accounts: run them as root, as CI does")
    with running_hub(extra=("--workshop", str(EXAMPLE))) as running:
        yield {**running, "workshop": on_hub(running)}


def _page(browser, failures: list[str]):
    """A new browser with no hub login, noting every request that fails or leaves the prefix."""
    page = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()

    def note(response) -> None:
        path = response.url.split("://", 1)[-1].partition("/")[2]
        if response.status >= 400 or not f"/{path}".startswith(PREFIX):
            failures.append(f"{response.status} {response.url}")

    page.on("response", note)
    return page


def test_the_hubs_postgresql_keeps_the_answers_and_its_password_stays_off_the_command_line(
    tmp_path,
):
    plan = hub_config.HubPlan(
        tmp_path / "state", tmp_path / "exchange", db_url="postgresql+psycopg://hub:s3cret@db/hub"
    )
    [service] = hub_config.workshop_service(plan)["services"]
    command = service["command"]
    assert command[command.index("--db") + 1] == "postgresql+psycopg://hub@db/hub"
    assert "s3cret" not in " ".join(command)  # it would be in session.json and `ps`
    assert service["environment"]["PGPASSWORD"] == "s3cret"
    local = hub_config.workshop_service(hub_config.HubPlan(tmp_path / "state", tmp_path / "ex"))
    assert "--db" not in local["services"][0]["command"]  # SQLite, in the session folder


@pytest.mark.browser
@pytest.mark.nbgrader
def test_a_participant_answers_through_the_hub_and_the_facilitator_sees_it(hub, browser):
    workshop, failures = hub["workshop"], []
    pages = f"{hub['url']}{PREFIX}voila/render/"
    assert workshop["join_url"] == f"{pages}participant.ipynb"  # what the room is shown
    assert workshop["folder"].is_relative_to(hub["shared"] / "state")
    assert (workshop["folder"] / "answers.db").is_file()

    facilitator = _page(browser, failures)
    facilitator.goto(f"{pages}facilitator.ipynb")
    facilitator.get_by_label("Facilitator key").fill(workshop["key"])
    facilitator.get_by_role("button", name="Open the facilitator's page").click()
    expect(facilitator.get_by_text(workshop["join_url"])).to_be_visible(timeout=WAIT_MS)
    facilitator.get_by_label("Prompt").select_option(index=1)  # the poll
    facilitator.get_by_role("button", name="Open for answers").click()
    expect(facilitator.locator(".pl-ws-count")).to_have_text("0 answers", timeout=WAIT_MS)

    participant = _page(browser, failures)
    participant.goto(workshop["join_url"])
    participant.get_by_label("Session code").fill(workshop["code"].lower())
    participant.get_by_role("button", name="Join").click()
    participant.get_by_role("radio", name="The child contact planet").check(timeout=WAIT_MS)
    participant.get_by_role("button", name="Send my answer").click()
    expect(participant.get_by_text("Sent — thank you")).to_be_visible(timeout=WAIT_MS)

    expect(facilitator.locator(".pl-ws-count")).to_have_text("1 answer", timeout=WAIT_MS)
    assert not failures, "every request stays under the service's prefix and succeeds"
    for page in (participant, facilitator):
        page.context.close()
