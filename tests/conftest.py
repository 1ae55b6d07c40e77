"""Shared fixtures: the skeleton module, its graded keys (read from the source notebook, the one
place they live) and learners who answer through the real widget classes."""

from __future__ import annotations

import hashlib
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from course_model import content, outcome_map, workspace
from grading.keys import keys_in

pytest_plugins = ["tests.fixtures_browser"]

MODULE = "02-three-planets"
ROOT = Path(__file__).resolve().parent.parent
HOSTILE = (
    '<img src=x onerror="document.title=\'pwned\'"> <script>document.title="pwned"</script> =1+1'
)


def graded_keys(module_id: str = MODULE) -> dict[str, object]:
    """Exercise id -> key, read from the hidden-test cells of the module's source notebooks."""
    folder = content.module_dir(module_id)
    return keys_in([folder / p["file"] for p in content.load_module(module_id)["pages"]])


def answer(folder: Path, answers: dict[str, object], module_id: str = MODULE) -> None:
    """Answer exercises as a learner would, by changing the widgets' controls one by one."""
    from widgets import CoursePage

    page = CoursePage(module_id, folder=folder)
    for ex_id, value in answers.items():
        page.build(ex_id).enter(value)


def cached_copy(path: Path, cache: Path | None = None) -> Path:
    """Where the content cache (this test's, or ``cache``) keeps ``path``'s data: named by the
    SHA-256 of the file's text."""
    digest = hashlib.sha256(path.read_text(encoding="utf-8").encode("utf-8")).hexdigest()
    return (cache or workspace.content_cache()) / f"{digest}.json"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch):
    """No test touches the real ~/practice-lab, and nbgrader never runs inside a test's cwd."""
    monkeypatch.setenv("PRACTICE_LAB_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    os.chdir(tmp_path)


def _clear_content_caches() -> None:
    for loader in (
        content.load_module,
        content.load_exercises,
        content.load_case_study,
        outcome_map.frameworks,
    ):
        loader.cache_clear()


@pytest.fixture
def course_copy(tmp_path, monkeypatch) -> Path:
    """A copy of the course that this test may break, used in-process (PRACTICE_LAB_COURSE)."""
    copy = tmp_path / "course"
    shutil.copytree(ROOT / "course", copy)
    monkeypatch.setenv(content.COURSE_ENV, str(copy))
    _clear_content_caches()
    yield copy
    monkeypatch.delenv(content.COURSE_ENV)
    _clear_content_caches()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A throwaway PostgreSQL server for the whole run (started on first use, about a second;
    fails saying how to install PostgreSQL if its programs are missing): its URL."""
    from practice_lab import postgres

    with postgres.temporary() as url:
        yield url


@pytest.fixture
def postgres_db(postgres_server) -> Iterator[str]:
    """A new, empty database of this test's own on the throwaway server: its URL."""
    name = f"test_{uuid.uuid4().hex[:16]}"
    admin = sa.create_engine(postgres_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as con:
        con.exec_driver_sql(f'CREATE DATABASE "{name}"')
    yield sa.make_url(postgres_server).set(database=name).render_as_string()
    with admin.connect() as con:
        con.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def workshop_db(request) -> str:
    """Where a workshop session keeps its answers, as ``workshop start --db`` takes it: ""
    (a SQLite file in the session folder) or the throwaway PostgreSQL server. A test that takes
    it runs on both."""
    return request.getfixturevalue("postgres_server") if request.param == "postgres" else ""


@pytest.fixture
def trainer_course(tmp_path) -> Path:
    """A fresh nbgrader course directory (config, exchange folder) with no gradebook yet."""
    from grading import course_dir

    path = tmp_path / "trainer"
    course_dir.init(path, tmp_path / "exchange")
    return path
