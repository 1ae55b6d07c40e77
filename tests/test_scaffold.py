"""A contributor's path: ``practice-lab new module`` and ``new exercise-type`` write skeletons that
pass check and the tests, and check reports every broken authoring rule in one run, a line each."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from course_model import check
from practice_lab import scaffold
from tests.conftest import ROOT

NEW = "09-example"


def run_check(course: Path) -> subprocess.CompletedProcess:
    env = {"PRACTICE_LAB_COURSE": str(course), "PATH": str(Path(sys.executable).parent)}
    return subprocess.run(
        [sys.executable, "-m", "practice_lab.cli", "check"],
        env=env, capture_output=True, text=True, check=False, cwd=ROOT,
    )  # fmt: skip


def test_a_new_module_passes_check(course_copy):
    written = scaffold.new_module(NEW)
    assert {p.name for p in written} >= {"module.yaml", "exercises.yaml", "assessment.ipynb"}
    assert check.check_course() == []


def test_a_module_id_must_be_nn_slug_and_new(course_copy):
    with pytest.raises(scaffold.ScaffoldError, match="NN-slug"):
        scaffold.new_module("example")
    with pytest.raises(scaffold.ScaffoldError, match="already exists"):
        scaffold.new_module("02-three-planets")


def test_three_broken_rules_are_three_lines_in_one_run(course_copy):
    scaffold.new_module(NEW)
    folder = course_copy / "modules" / NEW
    # 1. a module with three exercises: drop the practice sort, from the spec and the page
    specs = yaml.safe_load((folder / "exercises.yaml").read_text(encoding="utf-8"))
    specs["exercises"] = [s for s in specs["exercises"] if s["id"] != "example_sort"]
    (folder / "exercises.yaml").write_text(yaml.safe_dump(specs), encoding="utf-8")
    meta = yaml.safe_load((folder / "module.yaml").read_text(encoding="utf-8"))
    meta["outcome_map"]["lo2"] = ["example_graded"]
    (folder / "module.yaml").write_text(yaml.safe_dump(meta), encoding="utf-8")
    # 2. page.exercise("typo"): the sort's cell now names an exercise that does not exist
    lesson = folder / "01-lesson.ipynb"
    lesson.write_text(
        lesson.read_text(encoding="utf-8").replace("example_sort", "typo"), encoding="utf-8"
    )
    # 3. a key for a missing exercise: a second hidden test scoring an exercise nobody wrote
    nb = json.loads((folder / "assessment.ipynb").read_text(encoding="utf-8"))
    ghost = json.loads(json.dumps(nb["cells"][3]).replace("example_graded", "ghost"))
    ghost["id"] = "ghost-cell"
    nb["cells"].insert(4, ghost)
    (folder / "assessment.ipynb").write_text(json.dumps(nb), encoding="utf-8")

    result = run_check(course_copy)
    lines = [line for line in result.stderr.splitlines() if NEW in line]
    assert result.returncode == 1
    assert len(lines) == 3, result.stderr
    assert any("3 exercises: a module needs at least 4" in line for line in lines)
    assert any("01-lesson.ipynb:" in line and "page.exercise('typo')" in line for line in lines)
    assert any("assessment.ipynb:" in line and "'ghost'" in line for line in lines)


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the packages a new exercise type lands in."""
    copy = tmp_path / "project"
    for package in ("course_model", "widgets"):
        shutil.copytree(
            ROOT / package, copy / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    (copy / "tests").mkdir()
    return copy


def test_a_new_exercise_type_is_registered_scored_and_tested_with_no_other_edit(project):
    written = scaffold.new_exercise_type("ranking", project)
    assert {p.relative_to(project).as_posix() for p in written} == {
        "course_model/exercise_types/ranking.py",
        "widgets/ranking.py",
        "tests/test_type_ranking.py",
        "widgets/page.py",
    }
    probe = (
        "from course_model import exercise_types as t; import widgets.page as p, widgets.base as b;"
        "print(t.get('ranking').score('a', 'a', 2.0, None), b.widget_class('ranking').__name__)"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe], cwd=project, capture_output=True, text=True, check=False
    )
    assert run.stdout.split() == ["2.0", "RankingExercise"], run.stderr
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_type_ranking.py"],
        cwd=project, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert tests.returncode == 0, tests.stdout + tests.stderr


def test_a_type_name_is_checked(project):
    with pytest.raises(scaffold.ScaffoldError):
        scaffold.new_exercise_type("Bad-Name", project)
    with pytest.raises(scaffold.ScaffoldError, match="already exists"):
        scaffold.new_exercise_type("single", project)
