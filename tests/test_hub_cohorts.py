"""Two cohorts on one hub, as nbgrader's multiple-course setup has them: each cohort a course id
with its own learners, trainer, exchange folder, groups and gradebook. A module the spring
trainer releases reaches spring's learner and never autumn's, on the page or on disk; no
learner's server is told who else is on the hub. One real hub (run as root, as CI does) on a real
PostgreSQL, through a database account with no more than the privileges the hub needs (not a
superuser), and the checks that need none.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from nbgrader.api import Gradebook
from playwright.sync_api import expect
from traitlets.config import Config

from course_model import content
from course_model.workspace import COURSE_ID
from grading import course_dir
from practice_lab import hub, hub_cohorts, hub_gradebooks
from tests.conftest import MODULE
from tests.hubs import log_in, running_hub

SPRING, AUTUMN = "spring-2026", "autumn-2026"
ASSESSMENT = "Assessment: sort, spot and reflect"


HUB_ACCOUNT = "cohort-hub"  # the hub's database account: may make accounts and databases


@pytest.fixture(scope="module")
def cohort_hub(postgres_server):
    if os.geteuid() != 0:
        pytest.fail("the hub tests make real Unix accounts: run them as root, as CI does")
    admin = sa.create_engine(postgres_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as con:
        con.exec_driver_sql(f'CREATE ROLE "{HUB_ACCOUNT}" LOGIN CREATEROLE CREATEDB')
        con.exec_driver_sql(f'CREATE DATABASE "{HUB_ACCOUNT}" OWNER "{HUB_ACCOUNT}"')
    hub_db = sa.make_url(postgres_server).set(username=HUB_ACCOUNT, database=HUB_ACCOUNT)
    try:
        with running_hub(
            hub_db.render_as_string(False), with_trainer=True, cohorts=(SPRING, AUTUMN)
        ) as running:
            yield running
    finally:
        with admin.connect() as con:
            for course in (SPRING, AUTUMN, HUB_ACCOUNT):
                name = hub_gradebooks.DATABASE.format(course) if course != HUB_ACCOUNT else course
                con.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            for role in (*(hub_gradebooks.ROLE.format(c) for c in (SPRING, AUTUMN)), HUB_ACCOUNT):
                con.exec_driver_sql(f'DROP ROLE IF EXISTS "{role}"')
        admin.dispose()


def _server_environment(account: str) -> str:
    """The environment ``account``'s single-user server runs with (read as root from /proc)."""
    pids = subprocess.run(
        ["pgrep", "-u", account, "-f", "jupyterhub.singleuser"], capture_output=True, text=True
    ).stdout.split()
    assert pids, f"no server runs as {account}"
    return Path(f"/proc/{pids[0]}/environ").read_bytes().decode().replace("\0", "\n")


def _groups(hub_db: str) -> dict[str, set[str]]:
    """The hub's groups and their members, from its database."""
    engine = sa.create_engine(hub_db)
    with engine.connect() as con:
        rows = con.exec_driver_sql(
            "SELECT g.name, u.name FROM user_group_map m "
            "JOIN groups g ON g.id = m.group_id JOIN users u ON u.id = m.user_id"
        ).all()
    engine.dispose()
    found: dict[str, set[str]] = {}
    for group, user in rows:
        found.setdefault(group, set()).add(user)
    return found


@pytest.mark.browser
@pytest.mark.nbgrader
@pytest.mark.postgres
def test_a_module_released_to_one_cohort_reaches_only_its_learners(cohort_hub, browser):
    (trainer,), [a], [b] = cohort_hub["trainers"], *cohort_hub["cohorts"].values()
    page = log_in(browser, cohort_hub, trainer, home="Trainer's dashboard")
    release = page.locator(".pl-tr-row", has_text=MODULE).get_by_role(
        "button", name="Release to learners"
    )
    expect(release).to_be_visible(timeout=180_000)  # the page reads the cohort's state first
    release.click()
    expect(page.get_by_text(f"Released {MODULE}.")).to_be_visible(timeout=240_000)
    grader = page.request.get(f"{cohort_hub['url']}/user/{trainer}/formgrader/api/assignments")
    assert grader.status == 200 and MODULE in [m["name"] for m in grader.json()]
    page.context.close()
    exchange = cohort_hub["exchange"]
    assert (exchange / SPRING / "outbound" / MODULE).is_dir()  # nbgrader's exchange/<course>/
    assert not (exchange / AUTUMN).exists() and not (exchange / COURSE_ID).exists()

    spring = log_in(browser, cohort_hub, a)
    expect(spring.get_by_role("link", name=ASSESSMENT, exact=True)).to_be_visible()
    autumn = log_in(browser, cohort_hub, b)
    card = f"{MODULE[:2]}. {content.load_module(MODULE)['title']}"
    expect(autumn.get_by_role("heading", name=card)).to_be_visible()
    expect(autumn.get_by_role("link", name=ASSESSMENT, exact=True)).to_have_count(0)
    assert (Path(f"/home/{a}/practice-lab/learner") / MODULE).is_dir()
    assert not (Path(f"/home/{b}/practice-lab/learner") / MODULE).exists()
    environment = _server_environment(b)
    assert f"{hub_cohorts.COURSE_ENV}={AUTUMN}" in environment.splitlines()
    assert a not in environment and trainer not in environment  # nobody else's name reaches b
    assert f"{hub_gradebooks.GRADEBOOK_ENV}=" in environment.splitlines()  # no gradebook's account
    spring.context.close()
    autumn.context.close()
    groups = _groups(cohort_hub["hub_db"])
    assert groups[f"nbgrader-{SPRING}"] == {a} and groups[f"nbgrader-{AUTUMN}"] == {b}
    assert groups[f"formgrade-{SPRING}"] == {trainer} and not groups.get(f"formgrade-{AUTUMN}")


@pytest.mark.browser
@pytest.mark.nbgrader
@pytest.mark.postgres
def test_each_cohorts_gradebook_is_its_own_on_the_hubs_postgresql(cohort_hub):
    (trainer,) = cohort_hub["trainers"]
    course = Path(f"/home/{trainer}/practice-lab/trainer")  # made when the trainer logged in
    gradebook = sa.make_url(course_dir.db_url(course))
    assert gradebook.get_backend_name() == "postgresql"
    assert gradebook.username == hub_gradebooks.ROLE.format(SPRING)
    assert (course / "nbgrader_config.py").stat().st_mode & 0o077 == 0  # it holds a password
    with Gradebook(gradebook.render_as_string(False)) as gb:
        assert gb.find_assignment(MODULE).name == MODULE  # written by the trainer's release
    autumn = sa.create_engine(gradebook.set(username=hub_gradebooks.ROLE.format(AUTUMN)))
    with pytest.raises(sa.exc.OperationalError, match="permission denied for database"):
        autumn.connect()  # autumn's grader account may not open spring's gradebook
    autumn.dispose()


@pytest.mark.parametrize("bad", ["Spring", "spring_2026", "-spring", "spring-", "s" * 25, ""])
def test_a_bad_cohort_id_is_refused_with_a_clear_message(tmp_path, bad):
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name,email,team\nlearner1,Learner One,,A\n", encoding="utf-8")
    cli = [sys.executable, "-m", "practice_lab.cli", "hub", "--state", str(tmp_path / "state")]
    done = subprocess.run(
        [*cli, "accounts", str(roster), f"--cohort={bad}", "--codes", str(tmp_path / "codes.csv")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert (
        "cannot be a cohort id: use 1 to 24 lower-case letters, digits and hyphens" in done.stderr
    )
    assert not (tmp_path / "state").exists()  # refused before any account or file is made


def test_an_account_stays_in_one_cohort_and_the_record_survives(tmp_path):
    hub_cohorts.add(tmp_path, SPRING, ["learner1"], ["trainer1"])
    with pytest.raises(hub_cohorts.CohortError, match=r"learner1 \(in spring-2026\)"):
        hub_cohorts.add(tmp_path, AUTUMN, ["learner2", "learner1"], [])
    hub_cohorts.add(tmp_path, AUTUMN, ["learner2"], [])
    assert hub_cohorts.load(tmp_path) == {
        AUTUMN: {"learners": ["learner2"], "trainers": []},
        SPRING: {"learners": ["learner1"], "trainers": ["trainer1"]},
    }
    assert (tmp_path / hub_cohorts.FILE).stat().st_mode & 0o077 == 0  # the hub's (root's) alone


def test_each_cohort_has_nbgraders_groups_and_the_default_course_is_as_before(monkeypatch):
    monkeypatch.setattr(hub, "proxy_command", lambda: "configurable-http-proxy")
    one = hub.HubPlan(state=Path("/srv/state"), exchange=Path("/srv/x"), learners=["l1"])
    assert hub.groups(one) == {
        f"formgrade-{COURSE_ID}": {"users": []},
        f"nbgrader-{COURSE_ID}": {"users": ["l1"]},
    }
    one.cohorts = {
        SPRING: {"learners": ["l2"], "trainers": ["t2"]},
        AUTUMN: {"learners": ["l3"], "trainers": []},
    }
    one.learners = []
    assert hub.groups(one) == {
        f"formgrade-{SPRING}": {"users": ["t2"]},
        f"nbgrader-{SPRING}": {"users": ["l2"]},
        f"formgrade-{AUTUMN}": {"users": []},
        f"nbgrader-{AUTUMN}": {"users": ["l3"]},
    }
    config = Config()  # what JupyterHub gives its config file, which then reads as it says
    exec(hub.config_text(hub.settings(one)), {"get_config": lambda: config})  # noqa: S102
    environment = config.Spawner.environment
    assert repr(environment[hub_cohorts.COURSE_ENV]) == repr(hub_cohorts.CourseOf(str(one.state)))
    assert config.Authenticator.allowed_users == {"l2", "l3", "t2"}
    assert config.Authenticator.admin_users == set()  # an admin would reach every cohort
