"""Starting the course: the trainer's release and the learner's fetch, as `practice-lab serve`
does them on one machine and as a learner's own server on a hub does its half alone."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from course_model import content, workspace
from course_model.answers import FILE_NAME
from grading import course_dir, learner_exchange
from practice_lab import serve
from tests.conftest import MODULE, answer, graded_keys


def files(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by its path relative to it, with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def pages(module_id: str, kind: str) -> set[str]:
    """The file names of a module's pages of one kind (lesson, assessment)."""
    return {p["file"] for p in content.load_module(module_id)["pages"] if p["kind"] == kind}


@pytest.fixture(scope="module")
def first_start(tmp_path_factory) -> Path:
    """A workspace after one first `serve` preparation; returns the workspace folder."""
    home = tmp_path_factory.mktemp("first-start")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(workspace.HOME_ENV, str(home))
        serve.prepare()
    return home


def nbgraders_own_commands(root: Path, module_id: str) -> tuple[Path, Path, Path]:
    """One module released and fetched by nbgrader's commands, one command per process;
    returns (course, exchange, learner's folder)."""
    course, exchange, folder = root / "trainer", root / "exchange", root / "learner"
    course_dir.init(course, exchange)
    (course / "source" / module_id).mkdir(parents=True)
    for notebook in course_dir.assessment_notebooks(module_id):
        shutil.copy2(notebook, course / "source" / module_id / notebook.name)
    course_dir.nbgrader(course, "generate_assignment", module_id, "--force")
    course_dir.nbgrader(course, "release_assignment", module_id, "--force")
    learner_exchange.init(folder, exchange, "someone")
    course_dir.nbgrader(folder, "fetch_assignment", module_id)
    return course, exchange, folder


@pytest.mark.nbgrader
def test_first_start_releases_and_fetches_every_module_as_nbgraders_commands_do(
    first_start, tmp_path
):
    from nbgrader.api import Gradebook, get_alembic_version
    from sqlalchemy import text

    trainer, learner = first_start / "trainer", first_start / "learner"
    outbound = first_start / "exchange" / workspace.COURSE_ID / "outbound"
    for module_id in content.module_ids():
        fetched = set(files(learner / module_id))
        assert pages(module_id, "assessment") <= set(files(outbound / module_id)), module_id
        expected = pages(module_id, "assessment") | pages(module_id, "lesson")
        assert fetched == expected | {workspace.CPD_PAGE}, module_id
    with Gradebook(course_dir.db_url(trainer), workspace.COURSE_ID) as gradebook:
        assert [a.name for a in gradebook.assignments] == content.module_ids()
        stamped = gradebook.db.execute(text("SELECT version_num FROM alembic_version")).scalar()
    assert stamped == get_alembic_version()  # as nbgrader stamps a new gradebook

    course, exchange, folder = nbgraders_own_commands(tmp_path, MODULE)
    assert files(trainer / "release" / MODULE) == files(course / "release" / MODULE)
    assert files(outbound / MODULE) == files(exchange / workspace.COURSE_ID / "outbound" / MODULE)
    by_nbgrader = files(folder / MODULE)
    assert {name: files(learner / MODULE)[name] for name in by_nbgrader} == by_nbgrader


@pytest.mark.nbgrader
def test_a_second_start_keeps_the_learners_answers_and_runs_no_nbgrader(first_start, monkeypatch):
    monkeypatch.setenv(workspace.HOME_ENV, str(first_start))
    module = first_start / "learner" / MODULE
    answer(module, {"sort_planets": graded_keys()["sort_planets"]})
    saved = (module / FILE_NAME).read_bytes()

    def no_process(*args, **kwargs):
        raise AssertionError(f"a second start ran {args[0]}")

    monkeypatch.setattr(subprocess, "run", no_process)
    serve.prepare()
    assert (module / FILE_NAME).read_bytes() == saved


def test_a_module_failing_its_check_stops_the_release_and_is_named(course_copy, trainer_course):
    module_yaml = course_copy / "modules" / MODULE / "module.yaml"
    module_yaml.write_text(module_yaml.read_text().replace("minutes: ", "minutes: x", 1))
    with pytest.raises(course_dir.GradingError) as err:
        course_dir.release(trainer_course, *content.module_ids())
    assert f"{MODULE} cannot be released until these are fixed" in str(err.value)
    assert "minutes" in str(err.value)
    assert all(m not in str(err.value) for m in content.module_ids() if m != MODULE)
    assert not list((trainer_course / "source").iterdir())
    assert not (trainer_course / "released.json").exists()


@pytest.mark.nbgrader
def test_a_failing_nbgrader_step_is_named_with_what_nbgrader_said(trainer_course):
    result = subprocess.run(
        [sys.executable, "-m", "grading.release_batch", "no-such-module"],
        cwd=trainer_course,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "nbgrader generate_assignment no-such-module failed" in result.stderr
    assert "Traceback" in result.stderr


def test_a_learners_start_with_nothing_released_releases_nothing(tmp_path):
    folder = serve.prepare_learner(tmp_path / "learner", tmp_path / "exchange")
    assert (folder / workspace.HOME_PAGE).exists()
    assert pages(content.GALLERY, "lesson") <= set(files(folder / content.GALLERY))
    assert not [m for m in content.module_ids() if (folder / m).exists()]
    assert not (tmp_path / "exchange").exists()


@pytest.mark.nbgrader
def test_a_learners_start_fetches_only_what_the_trainer_released(tmp_path):
    course_dir.init(tmp_path / "trainer", tmp_path / "exchange")
    course_dir.release(tmp_path / "trainer", MODULE)
    folder = serve.prepare_learner(tmp_path / "learner", tmp_path / "exchange")
    assert [m for m in content.module_ids() if (folder / m).exists()] == [MODULE]
    assert pages(MODULE, "assessment") | pages(MODULE, "lesson") <= set(files(folder / MODULE))
