"""Each cohort's gradebook on the hub's PostgreSQL: a database and a database account per course.

With ``practice-lab hub --db postgresql+psycopg://…`` the hub keeps its users there, and so does
every trainer's gradebook (nbgrader's ``CourseDirectory.db_url``). A trainer's nbgrader runs as
the trainer's own Unix account, so it cannot be handed the hub's database account: that one
reaches the hub's tables and every cohort's grades. Instead, as the hub starts (as root), each
course gets a database ``practice-lab-gradebook-<course>`` owned by its own account
``practice-lab-grader-<course>``, which nobody else may connect to, and that account's URL goes
to that course's trainers' servers only (``practice_lab.hub_cohorts.PerAccount``). The accounts'
passwords are made here once and kept in the hub's state folder (root's, mode 600).

The hub's database account needs the CREATEROLE and CREATEDB privileges for this; without them
the hub does not start and says what to grant.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import sqlalchemy as sa

from course_model.files import write_text_atomically

FILE = "gradebooks.json"  # {course: password} in the hub's state folder
GRADEBOOK_ENV = "PRACTICE_LAB_GRADEBOOK_URL"  # a trainer's server: their course's gradebook
ROLE, DATABASE = "practice-lab-grader-{}", "practice-lab-gradebook-{}"


class GradebookSetupError(RuntimeError):
    """The cohorts' gradebooks cannot be made: the message says what to grant or fix."""


def is_postgres(url: str | None) -> bool:
    """Whether ``url`` (the hub's ``--db``) is a PostgreSQL database."""
    return bool(url) and sa.make_url(url).get_backend_name() == "postgresql"


def _passwords(state: Path, courses: list[str]) -> dict[str, str]:
    """Each course's gradebook password: those already made, and a new one for each other."""
    path = state / FILE
    known = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    wanted = {course: known.get(course) or secrets.token_hex(24) for course in courses}
    if wanted != {c: known.get(c) for c in courses}:
        write_text_atomically(path, json.dumps({**known, **wanted}, indent=1), mode=0o600)
    return wanted


def _can_make(con: sa.Connection) -> None:
    """GradebookSetupError unless the connected account may make accounts and databases."""
    user, super_, roles, dbs = con.exec_driver_sql(
        "SELECT rolname, rolsuper, rolcreaterole, rolcreatedb FROM pg_roles "
        "WHERE rolname = current_user"
    ).one()
    if not (super_ or (roles and dbs)):
        raise GradebookSetupError(
            f"The hub's database account {user!r} cannot make the cohorts' gradebooks: it needs "
            f'CREATEROLE and CREATEDB. As the database\'s administrator, run ALTER ROLE "{user}" '
            "CREATEROLE CREATEDB; then start the hub again."
        )


def _make(con: sa.Connection, course: str, password: str) -> None:
    """The course's account (its password set to ``password``) and its database, owned by it,
    that no other account may connect to. Makes only what is missing."""
    role, database = ROLE.format(course), DATABASE.format(course)
    if not con.exec_driver_sql("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).first():
        con.exec_driver_sql(f'CREATE ROLE "{role}" LOGIN')
    # A hex password, so it can stand in the statement (DDL takes no parameters).
    con.exec_driver_sql(f"ALTER ROLE \"{role}\" PASSWORD '{password}'")
    if not con.exec_driver_sql("SELECT 1 FROM pg_database WHERE datname = %s", (database,)).first():
        # Creating a database for another account needs membership of it (unless superuser).
        con.exec_driver_sql(f'GRANT "{role}" TO CURRENT_USER')
        con.exec_driver_sql(f'CREATE DATABASE "{database}" OWNER "{role}"')
        con.exec_driver_sql(f'REVOKE ALL ON DATABASE "{database}" FROM PUBLIC')


def ensure(hub_url: str, courses: list[str], state: Path) -> dict[str, str]:
    """Make each course's gradebook database and account on the hub's PostgreSQL server (only
    what is missing) and return ``{course: URL}``, each URL for that course's trainers alone.
    GradebookSetupError, saying what to do, if the hub's account may not make them or the
    server cannot be reached."""
    engine = sa.create_engine(hub_url, isolation_level="AUTOCOMMIT")  # CREATE DATABASE needs it
    try:
        with engine.connect() as con:
            _can_make(con)
            passwords = _passwords(state, courses)
            for course, password in passwords.items():
                _make(con, course, password)
    except sa.exc.OperationalError as exc:
        raise GradebookSetupError(
            f"The hub's database could not be reached to make the cohorts' gradebooks: "
            f"{str(exc.orig).strip()}. Check --db and that PostgreSQL is running."
        ) from None
    finally:
        engine.dispose()
    base = sa.make_url(hub_url)
    return {
        course: base.set(
            username=ROLE.format(course), password=password, database=DATABASE.format(course)
        ).render_as_string(hide_password=False)
        for course, password in passwords.items()
    }
