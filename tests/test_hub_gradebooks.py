"""Each cohort's gradebook on the hub's PostgreSQL (``practice_lab.hub_gradebooks``): made once,
the same on every start, each course's own; and a hub whose database account may not make them
does not start, saying what to grant. The whole hub with a trainer on it: test_hub_cohorts.py."""

from __future__ import annotations

import subprocess
import sys

import pytest
import sqlalchemy as sa
from nbgrader.api import Gradebook

from practice_lab import hub_gradebooks

pytestmark = pytest.mark.postgres


def _account(server: str, name: str, privileges: str) -> str:
    """A database account ``name`` (made afresh with ``privileges``) owning a database of its
    own name: its URL."""
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as con:
        con.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        con.exec_driver_sql(f'DROP ROLE IF EXISTS "{name}"')
        con.exec_driver_sql(f'CREATE ROLE "{name}" LOGIN {privileges}')
        con.exec_driver_sql(f'CREATE DATABASE "{name}" OWNER "{name}"')
    admin.dispose()
    return sa.make_url(server).set(username=name, database=name).render_as_string(False)


def test_a_course_s_gradebook_is_made_once_and_kept_across_starts(postgres_server, tmp_path):
    hub_db = _account(postgres_server, "gradebooks-hub", "CREATEROLE CREATEDB")
    first = hub_gradebooks.ensure(hub_db, ["pilot-a"], tmp_path)
    assert hub_gradebooks.ensure(hub_db, ["pilot-a"], tmp_path) == first  # same on a restart
    assert (tmp_path / hub_gradebooks.FILE).stat().st_mode & 0o777 == 0o600
    url = sa.make_url(first["pilot-a"])
    assert (url.username, url.database) == (
        "practice-lab-grader-pilot-a",
        "practice-lab-gradebook-pilot-a",
    )
    assert url.password and url.password not in sa.make_url(hub_db).render_as_string(False)
    with Gradebook(first["pilot-a"]) as gb:  # nbgrader makes its tables as the course's account
        gb.add_student("l001")
    with Gradebook(first["pilot-a"]) as gb:
        assert [s.id for s in gb.students] == ["l001"]


def test_a_hub_whose_database_account_cannot_make_gradebooks_says_what_to_grant(
    postgres_server, tmp_path
):
    hub_db = _account(postgres_server, "plain-hub", "")
    cli = [sys.executable, "-m", "practice_lab.cli", "hub"]
    done = subprocess.run(
        [
            *cli,
            "--state",
            str(tmp_path / "state"),
            "--exchange",
            str(tmp_path / "x"),
            "--db",
            hub_db,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert 'ALTER ROLE "plain-hub" CREATEROLE CREATEDB' in done.stderr
    assert not (tmp_path / "state" / hub_gradebooks.FILE).exists()
    assert not (tmp_path / "state" / "jupyterhub_config.py").exists()  # the hub did not start
