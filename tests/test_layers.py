"""Layers point one way. The bottom (``course_model``) knows the course as data and nothing of
screens, servers or nbgrader; ``widgets`` (what the learner sees) and ``grading`` (nbgrader and
cohort analytics) stand side by side on it and never import each other; ``workshop`` stands on
those; the commands and servers (``practice_lab``) sit alone at the top. Every import, at any
depth of a file, is read with ``ast``."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

LAYER = {"course_model": 0, "widgets": 1, "grading": 1, "workshop": 2, "practice_lab": 3}
# What the bottom must never reach for: screens, servers, notebooks' runners, nbgrader.
NOT_IN_THE_BOTTOM = {"ipywidgets", "IPython", "voila", "jupyter_server", "tornado", "nbgrader"}


def imported(tree: ast.AST) -> list[tuple[str, int]]:
    """(top-level package, line) for every import in a parsed file."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name.split(".")[0], node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append((node.module.split(".")[0], node.lineno))
    return found


def violations(package: str, path: Path, source: str) -> list[str]:
    """Each import in ``source`` (a file of ``package``) that points up or sideways."""
    here = LAYER[package]
    out = []
    for target, line in imported(ast.parse(source, filename=str(path))):
        where = f"{path.relative_to(ROOT) if path.is_absolute() else path}:{line}"
        if target in LAYER and target != package and LAYER[target] >= here:
            side = "sideways" if LAYER[target] == here else "up"
            out.append(f"{where}: {package} imports {target} ({side})")
        if here == 0 and target in NOT_IN_THE_BOTTOM:
            out.append(f"{where}: the course model imports {target}")
    return out


FILES = [(pkg, p) for pkg in LAYER for p in sorted((ROOT / pkg).rglob("*.py"))]


@pytest.mark.parametrize(("package", "path"), FILES, ids=lambda v: str(v)[-60:])
def test_every_import_points_down(package, path):
    problems = violations(package, path, path.read_text(encoding="utf-8"))
    assert not problems, "\n".join(problems)


def test_every_package_is_in_a_layer():
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")} - {"tests", "bench"}
    assert packages == set(LAYER), f"packages without a layer: {packages - set(LAYER)}"


@pytest.mark.parametrize(
    ("package", "source", "expected"),
    [
        ("course_model", "from widgets.base import escape\n", "course_model imports widgets (up)"),
        ("widgets", "def f():\n    from grading import report\n", "imports grading (sideways)"),
        ("grading", "import workshop.store\n", "grading imports workshop (up)"),
        ("course_model", "import ipywidgets\n", "the course model imports ipywidgets"),
    ],
)
def test_an_upward_or_sideways_import_is_named_with_file_and_line(package, source, expected):
    [problem] = violations(package, Path(f"{package}/example.py"), source)
    assert expected in problem and f"{package}/example.py:" in problem


def test_downward_imports_pass():
    assert not violations("workshop", Path("workshop/x.py"), "from widgets.base import escape\n")
    assert not violations("practice_lab", Path("practice_lab/x.py"), "import grading\n")
