"""`practice-lab check`: the real course passes; each kind of broken file is named with its place."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import MODULE, ROOT


def run_check(course: Path) -> subprocess.CompletedProcess:
    env = {"PRACTICE_LAB_COURSE": str(course), "PATH": str(Path(sys.executable).parent)}
    return subprocess.run(
        [sys.executable, "-m", "practice_lab.cli", "check"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )


@pytest.fixture
def course(tmp_path) -> Path:
    copy = tmp_path / "course"
    shutil.copytree(ROOT / "course", copy)
    return copy


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_course_is_valid():
    result = run_check(ROOT / "course")
    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout


BROKEN = [
    pytest.param(
        f"modules/{MODULE}/module.yaml",
        "minutes: 70",
        "minutes: seventy",
        f"modules/{MODULE}/module.yaml: minutes: 'seventy' is not of type 'integer'",
        id="wrong-type",
    ),
    pytest.param(
        "case_studies/a-staying-together.yaml",
        "people:\n",
        "people: [\n",
        "a-staying-together.yaml: column ",
        id="yaml-syntax",
    ),
    pytest.param(
        f"modules/{MODULE}/exercises.yaml",
        "type: multiselect",
        "type: multi_select",
        "exercises.yaml: exercises[1].type: 'multi_select' is not one of",
        id="nested-enum",
    ),
    pytest.param(
        f"modules/{MODULE}/exercises.yaml",
        '    mode: graded\n    title: "Where',
        '    mode: graded\n    correct: [o2]\n    title: "Where',
        "exercises.yaml: exercises[1]",
        id="graded-key-in-spec",
    ),
    pytest.param(
        f"modules/{MODULE}/assessment.ipynb",
        '\\"s8\\": \\"dv\\"',
        '\\"s9\\": \\"dv\\"',
        "assessment.ipynb: cells[3].key: unknown item 's9'",
        id="hidden-key-unknown-item",
    ),
    pytest.param(
        f"modules/{MODULE}/exercises.yaml",
        "points: 3",
        "points: 5",
        "differs from 5 in exercises.yaml",
        id="points-drift",
    ),
    pytest.param(
        f"modules/{MODULE}/module.yaml",
        "  lo2: [exploitable_contradictions]\n",
        "",
        "outcome_map.lo2: outcome is not assessed by any exercise",
        id="outcome-unassessed",
    ),
    pytest.param(
        f"modules/{MODULE}/module.yaml",
        "    points: 4\n    criteria:",
        "    points: 5\n    criteria:",
        "criteria add up to 4 points but the rubric says 5",
        id="rubric-sum",
    ),
    pytest.param(
        "gallery/exercises.yaml",
        'next: end_missed\n            feedback: "The record',
        'next: nowhere\n            feedback: "The record',
        "leads to a missing scene 'nowhere'",
        id="branch-missing-scene",
    ),
    pytest.param(
        "gallery/exercises.yaml",
        '        text: "You leave with a plan to see her safely on her own."\n        ending: true',
        '        text: "You leave with a plan to see her safely on her own."',
        "scene 'end_safe' is a dead end",
        id="branch-dead-end",
    ),
    pytest.param(
        "gallery/exercises.yaml",
        "            next: kitchen\n",
        "            next: end_missed\n",
        "scene 'kitchen' cannot be reached from the start",
        id="branch-unreachable",
    ),
    pytest.param(
        "gallery/exercises.yaml",
        "    key: [e1, e2, e3, e4]",
        "    key: [e4, e1, e3, e2]",
        "items are shown in the right order already",
        id="order-unshuffled",
    ),
    pytest.param(
        "gallery/exercises.yaml",
        "    key: {i1: incident, i2: pattern, i3: incident, i4: pattern}",
        "    key: {i1: incident, i2: pattern, i3: incident}",
        "item 'i4' has no category in the key",
        id="sort-key-incomplete",
    ),
    pytest.param(
        "gallery/exercises.yaml",
        "  - id: audit_practice\n    type: audit\n    mode: practice",
        "  - id: audit_practice\n    type: audit\n    mode: graded\n    points: 1",
        "audit is formative",
        id="audit-graded",
    ),
]


@pytest.mark.parametrize(("file", "old", "new", "message"), BROKEN)
def test_broken_file_is_named_with_place_and_reason(course, file, old, new, message):
    edit(course / file, old, new)
    result = run_check(course)
    assert result.returncode == 1
    assert message in re.sub(r"(\.yaml|\.ipynb):\d+:", r"\1:", result.stderr), result.stderr


def test_each_problem_names_the_line_it_is_on(course):
    edit(course / f"modules/{MODULE}/module.yaml", "minutes: 70", "minutes: seventy")
    meta = (course / f"modules/{MODULE}/module.yaml").read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(meta, 1) if text.startswith("minutes:"))
    assert f"module.yaml:{line}: minutes:" in run_check(course).stderr


def test_malformed_notebook_is_named(course):
    (course / "modules" / MODULE / "01-three-planets.ipynb").write_text(
        "{not json", encoding="utf-8"
    )
    result = run_check(course)
    assert result.returncode == 1
    assert "01-three-planets.ipynb: (whole file): not a readable notebook" in result.stderr


def test_rubric_cell_must_match_module_yaml(course):
    nb_path = course / "modules" / MODULE / "assessment.ipynb"
    nb = json.loads(nb_path.read_text())
    cell = next(
        c
        for c in nb["cells"]
        if c["metadata"].get("nbgrader", {}).get("grade_id") == "rubric_reflect_planets"
    )
    cell["source"] = "Marked however I feel like."
    nb_path.write_text(json.dumps(nb))
    result = run_check(course)
    assert "differs from the rubric in module.yaml" in result.stderr


def test_a_broken_module_is_never_released(course, tmp_path):
    edit(course / "modules" / MODULE / "module.yaml", "minutes: 70", "minutes: seventy")
    env = {"PRACTICE_LAB_COURSE": str(course), "PATH": str(Path(sys.executable).parent)}
    trainer = tmp_path / "trainer"
    cli = [sys.executable, "-m", "practice_lab.cli", "grade", "--course-dir", str(trainer)]
    subprocess.run(
        [*cli, "init", "--exchange", str(tmp_path / "ex")], env=env, check=True, capture_output=True
    )
    result = subprocess.run(
        [*cli, "release", MODULE], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert f"{MODULE} cannot be released until these are fixed" in result.stderr
    assert "minutes: 'seventy' is not of type 'integer'" in result.stderr
    assert not (tmp_path / "ex").glob("*/outbound/*") or not list(
        (tmp_path / "ex").rglob("*.ipynb")
    )


def test_a_lesson_without_its_own_title_is_named(course_copy):
    from course_model import check

    page = course_copy / "modules" / "02-three-planets" / "02-child-contact-planet.ipynb"
    page.write_text(
        page.read_text().replace(
            '"# The child contact planet today', '"## The child contact planet today'
        )
    )
    found = [str(p) for p in check.check_course()]
    assert any(
        "02-child-contact-planet.ipynb" in p and 'needs its own "# " title' in p for p in found
    ), found
