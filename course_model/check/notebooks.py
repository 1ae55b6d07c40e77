"""Checks of a module's pages: each page's frame, every exercise a page shows exists, and every
graded exercise has exactly the nbgrader cell that marks it, agreeing with the spec."""

from __future__ import annotations

import ast
from pathlib import Path

from course_model import exercise_types
from course_model.check.exercises import marked_by_rubric, marked_by_scorer
from course_model.content import Problem
from course_model.rubric import rubric_markdown

SCORE_CALL = "score"
SHOW_CALL = "exercise"  # page.exercise("id")


def page_frame_problems(module_id: str, nb_path: Path, nb) -> list[Problem]:
    """Every page opens with ``page = CoursePage("<module>", "<this file>")`` and ends with
    ``page.finish()``, so every page has the same header, navigation, submit panel and support."""
    code = [(n, c.source.strip()) for n, c in enumerate(nb.cells) if c.cell_type == "code"]
    opening = f'page = CoursePage("{module_id}", "{nb_path.name}")'
    problems = []
    if not code or opening not in code[0][1]:
        problems.append(Problem(nb_path, "cells[0]", f"the first code cell must contain {opening}"))
    if not code or code[-1][1] != "page.finish()":
        where = f"cells[{code[-1][0]}]" if code else "cells"
        problems.append(
            Problem(nb_path, where, "the last code cell must be page.finish() (and nothing else)")
        )
    return problems


def title_problems(nb_path: Path, nb, kind: str) -> list[Problem]:
    """A lesson page carries its own "# " title (the page's one h1, the module's title above it
    a caption); an assessment has none (the module's title is its h1)."""
    titled = any(
        line.startswith("# ")
        for cell in nb.cells
        if cell.cell_type == "markdown"
        for line in cell.source.splitlines()
    )
    if kind == "lesson" and not titled:
        return [Problem(nb_path, "cells", 'a lesson page needs its own "# " title in Markdown')]
    if kind != "lesson" and titled:
        return [Problem(nb_path, "cells", f'an {kind} page has no "# " title: make it "## "')]
    return []


def shown_exercises(nb) -> list[tuple[int, str]]:
    """(cell index, exercise id) for every ``page.exercise("…")`` call in a page's code."""
    found = []
    for n, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == SHOW_CALL
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found.append((n, node.args[0].value))
    return found


def shown_problems(nb_path: Path, nb, specs: dict) -> list[Problem]:
    """A page that shows an exercise the module does not have would fail in front of a learner."""
    return [
        Problem(
            nb_path,
            f"cells[{n}]",
            f"page.exercise({ex_id!r}): exercises.yaml has no exercise {ex_id!r} — fix the id",
        )
        for n, ex_id in shown_exercises(nb)
        if ex_id not in specs
    ]


def marking_cell_problems(module_id: str, ex_path: Path, specs: dict, cells: dict) -> list[Problem]:
    """Every graded exercise has its marking cell, and every marking cell an exercise."""
    problems = []
    for spec in specs.values():
        if marked_by_rubric(spec):
            problems += _rubric_cell(module_id, ex_path, spec, cells)
        elif marked_by_scorer(spec):
            problems += _score_cell(ex_path, spec, cells)
    for grade_id, (nb_path, cell) in cells.items():
        prefix, _, ex_id = grade_id.partition("_")
        if prefix in ("score", "rubric") and ex_id not in specs:
            problems.append(
                Problem(
                    nb_path,
                    f"cells[{cell['index']}]",
                    f"cell {grade_id!r} marks {ex_id!r}, which exercises.yaml does not have — "
                    "fix the id or remove the cell",
                )
            )
    return problems


def _points_problems(nb_path: Path, where: str, meta: dict, spec: dict) -> list[Problem]:
    """A marking cell worth other points than its exercise."""
    if meta.get("points") == spec["points"]:
        return []
    return [
        Problem(
            nb_path,
            f"{where}.points",
            f"{meta.get('points')} differs from {spec['points']} in exercises.yaml",
        )
    ]


def _rubric_cell(module_id: str, ex_path: Path, spec: dict, cells: dict) -> list[Problem]:
    grade_id = f"rubric_{spec['id']}"
    if grade_id not in cells:
        return [
            Problem(ex_path, spec["id"], f"no manually graded task cell {grade_id!r} in a page")
        ]
    nb_path, cell = cells[grade_id]
    where, meta = f"cells[{cell['index']}]", cell["metadata"]["nbgrader"]
    problems = []
    if cell["source"].strip() != rubric_markdown(module_id, spec["rubric"]).strip():
        problems.append(
            Problem(
                nb_path,
                where,
                "differs from the rubric in module.yaml — paste the output of "
                f"`practice-lab rubric {module_id} {spec['rubric']}` into this cell",
            )
        )
    if not (meta.get("task") and meta.get("locked")):
        problems.append(Problem(nb_path, where, "rubric cell must be a locked task"))
    problems += _points_problems(nb_path, where, meta, spec)
    return problems


def _score_cell(ex_path: Path, spec: dict, cells: dict) -> list[Problem]:
    ex_id = spec["id"]
    if f"score_{ex_id}" not in cells:
        return [Problem(ex_path, ex_id, f"no hidden-test cell 'score_{ex_id}' in a page")]
    nb_path, cell = cells[f"score_{ex_id}"]
    where, meta = f"cells[{cell['index']}]", cell["metadata"]["nbgrader"]
    problems = []
    if (
        not (meta.get("grade") and meta.get("locked"))
        or "### BEGIN HIDDEN TESTS" not in cell["source"]
    ):
        problems.append(
            Problem(nb_path, where, "must be a locked, graded cell inside hidden-test markers")
        )
    problems += _points_problems(nb_path, where, meta, spec)
    try:
        call = score_call_arguments(cell["source"])
    except ValueError as exc:
        return [*problems, Problem(nb_path, where, str(exc))]
    if call.get("exercise_id") != ex_id:
        problems.append(
            Problem(nb_path, where, f"scores {call.get('exercise_id')!r}, expected {ex_id!r}")
        )
    if call.get("points") != spec["points"]:
        problems.append(Problem(nb_path, where, f"score(points=…) differs from {spec['points']}"))
    key_problems = exercise_types.get(spec["type"]).key_problems(spec, call.get("key"))
    return problems + [Problem(nb_path, f"{where}.key", r) for r in key_problems]


def score_call_arguments(source: str) -> dict:
    """Read the literal arguments of the ``score(...)`` call a hidden-test cell ends with."""
    code = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith("###"))
    try:
        tree = ast.parse(code)
    except SyntaxError as exc:
        raise ValueError(f"hidden test is not valid Python (line {exc.lineno}: {exc.msg})") from exc
    last = tree.body[-1] if tree.body else None
    if not (
        isinstance(last, ast.Expr)
        and isinstance(last.value, ast.Call)
        and getattr(last.value.func, "id", None) == SCORE_CALL
    ):
        raise ValueError(
            "hidden test must end with a call to score(...) so its value is the points"
        )
    names = ["module_id", "exercise_id"]
    args = {names[i]: ast.literal_eval(a) for i, a in enumerate(last.value.args[:2])}
    try:
        args |= {kw.arg: ast.literal_eval(kw.value) for kw in last.value.keywords}
    except ValueError as exc:
        raise ValueError(
            "score(...) arguments must be literals (strings, numbers, lists, dicts)"
        ) from exc
    return args
