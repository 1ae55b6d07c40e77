"""A cohort on one server: a real JupyterHub and configurable-http-proxy, real Unix accounts made
from a roster by `practice-lab hub accounts`, learners logging in through the hub's login page in
Chromium with their one-time codes. Every check goes through the hub's proxy.

Run as root (as CI does): the test makes two Unix accounts and removes them afterwards.
"""

from __future__ import annotations

import json
import os
import subprocess
import urllib.parse
from pathlib import Path

import pytest
from nbgrader.api import Gradebook
from playwright.sync_api import expect

from grading import course_dir
from tests.conftest import MODULE
from tests.hubs import log_in, running_hub
from tests.kernel_socket import kernel_id_in, send_code

pytestmark = [pytest.mark.browser, pytest.mark.nbgrader]


def _databases(request, names: list[str]) -> list[str | None]:
    """For the PostgreSQL run, a new database on the throwaway server for each name; else Nones
    (the hub's and the gradebook's SQLite files)."""
    if request.param != "postgres":
        return [None] * len(names)
    import sqlalchemy as sa

    server = request.getfixturevalue("postgres_server")
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as con:
        for name in names:
            con.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            con.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return [sa.make_url(server).set(database=n).render_as_string(False) for n in names]


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def hub(request):
    """A hub for a cohort of two learners, module 02 released by the trainer; the hub's database
    and the gradebook on SQLite, then on PostgreSQL."""
    if os.geteuid() != 0:
        pytest.fail("the hub tests make real Unix accounts: run them as root, as CI does")
    hub_db, gradebook_db = _databases(request, ["hub", "gradebook"])
    with running_hub(hub_db, gradebook_db) as running:
        yield running


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
    page = log_in(browser, hub, a)
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
    page = log_in(browser, hub, a)
    page.get_by_role("link", name="Assessment: sort, spot and reflect", exact=True).click()
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


def test_the_hub_and_the_gradebook_keep_the_cohort_in_their_databases(hub):
    import sqlalchemy as sa

    engine = sa.create_engine(hub["hub_db"])
    with engine.connect() as con:
        users = {row[0] for row in con.exec_driver_sql("SELECT name FROM users")}
    engine.dispose()
    assert hub["names"][0] in users  # logged in earlier in this module
    gradebook = course_dir.db_url(hub["course"])
    assert gradebook.startswith("postgresql") == hub["hub_db"].startswith("postgresql")
    with Gradebook(gradebook) as gb:
        assert gb.find_assignment(MODULE).name == MODULE  # recorded when the trainer released it
