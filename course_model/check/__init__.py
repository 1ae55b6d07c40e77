"""``practice-lab check``: every content file valid, and the checks a schema cannot express.

Beyond each file's schema: ids match folders, outcomes map to real exercises, pages exist and
are readable notebooks, rubrics add up, and every graded exercise has exactly one nbgrader
hidden-test cell whose key names real items and whose points agree with the spec.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat

from course_model import content
from course_model.check.language import language_problems
from course_model.content import ContentError, Problem
from course_model.rubric import rubric_markdown

SCORE_CALL = "score"


def check_course() -> list[Problem]:
    """Validate the whole course; an empty list means every file is usable."""
    problems: list[Problem] = []
    root = content.course_root()
    for path in sorted((root / "case_studies").glob("*.yaml")):
        problems += _guard(lambda p=path: _check_case_study(p))
    for module_id in [*content.module_ids(), content.GALLERY]:
        problems += _guard(lambda m=module_id: _check_module(m))
    problems += _guard(lambda: _check_language_patterns(root / "language_patterns.yaml"))
    if not problems:  # the audit needs sound patterns and readable files
        problems += language_problems(root)
    return problems


def _check_language_patterns(path: Path) -> list[Problem]:
    data = content.load_checked(path, "language_patterns.schema.json")
    sources = {s["id"] for s in data["sources"]}
    problems = _duplicates(path, "patterns", [p["id"] for p in data["patterns"]])
    for i, p in enumerate(data["patterns"]):
        where = f"patterns[{i}]"
        if p["source"] not in sources:
            problems.append(Problem(path, f"{where}.source", f"no source with id {p['source']!r}"))
        try:
            rx = re.compile(rf"\b(?:{p['pattern']})\b", re.I)
        except re.error as exc:
            problems.append(
                Problem(path, f"{where}.pattern", f"not a valid regular expression ({exc})")
            )
            continue
        if not rx.search(p["example"]):
            problems.append(
                Problem(path, f"{where}.example", "the pattern does not match its own example")
            )
    return problems


def _check_workshop_prompts(module_id: str) -> list[Problem]:
    from course_model.guides import guide_prompts

    if guide_prompts(module_id)[0]:
        return []
    guide = content.module_dir(module_id) / "facilitator-guide.md"
    return [
        Problem(
            guide,
            "## Workshop prompts",
            "no numbered workshop prompts: add the section, the one place a module's team-session "
            "prompts are written (the workshop reads them from it)",
        )
    ]


def check_module(module_id: str) -> list[Problem]:
    """Everything wrong with one module (and the case studies it uses); empty when releasable."""
    return _guard(lambda: _check_module(module_id))


def _guard(check) -> list[Problem]:
    try:
        return check()
    except ContentError as exc:
        return exc.problems


def _check_case_study(path: Path) -> list[Problem]:
    data = content.load_checked(path, "case_study.schema.json")
    problems = []
    if data["id"] != path.stem:
        problems.append(
            Problem(path, "id", f"{data['id']!r} does not match the file name {path.stem!r}")
        )
    problems += _duplicates(path, "people", [p["id"] for p in data["people"]])
    problems += _duplicates(path, "documents", [d["id"] for d in data["documents"]])
    return problems


def _duplicates(path: Path, where: str, ids: list[str]) -> list[Problem]:
    seen, dupes = set(), []
    for i in ids:
        if i in seen:
            dupes.append(i)
        seen.add(i)
    return [Problem(path, where, f"id {d!r} is used more than once") for d in dupes]


def _check_module(module_id: str) -> list[Problem]:
    folder = content.module_dir(module_id)
    meta_path, ex_path = folder / "module.yaml", folder / "exercises.yaml"
    problems: list[Problem] = []
    meta = content.load_checked(meta_path, "module.schema.json")
    specs = {
        s["id"]: s for s in content.load_checked(ex_path, "exercises.schema.json")["exercises"]
    }
    if meta["id"] != module_id:
        problems.append(
            Problem(meta_path, "id", f"{meta['id']!r} does not match the folder {module_id!r}")
        )
    problems += _duplicates(ex_path, "exercises", [s for s in specs])

    outcome_ids = [lo["id"] for lo in meta["learning_outcomes"]]
    for lo in outcome_ids:
        if lo not in meta["outcome_map"]:
            problems.append(
                Problem(meta_path, f"outcome_map.{lo}", "outcome is not assessed by any exercise")
            )
    for lo, ex_ids in meta["outcome_map"].items():
        if lo not in outcome_ids:
            problems.append(
                Problem(meta_path, f"outcome_map.{lo}", "no learning outcome has this id")
            )
        for ex in ex_ids:
            if ex not in specs:
                problems.append(
                    Problem(meta_path, f"outcome_map.{lo}", f"no exercise with id {ex!r}")
                )
    for case_id in meta.get("case_studies", []):
        case_path = content.course_root() / "case_studies" / f"{case_id}.yaml"
        if not case_path.is_file():
            problems.append(Problem(meta_path, "case_studies", f"no case study called {case_id!r}"))
        else:
            problems += _guard(lambda p=case_path: _check_case_study(p))

    problems += _check_rubrics(meta_path, ex_path, meta, specs)
    problems += _check_practice_keys(ex_path, specs)
    if module_id != content.GALLERY:
        problems += _check_workshop_prompts(module_id)

    cells_by_id: dict[str, tuple[Path, dict]] = {}
    for i, page in enumerate(meta["pages"]):
        nb_path = folder / page["file"]
        if not nb_path.is_file():
            problems.append(
                Problem(meta_path, f"pages[{i}].file", f"{page['file']} does not exist")
            )
            continue
        try:
            nb = nbformat.read(nb_path, as_version=4)
        except Exception as exc:  # nbformat raises several unrelated types for broken files
            problems.append(
                Problem(nb_path, "", f"not a readable notebook ({exc}); restore it from git")
            )
            continue
        problems += _check_page_frame(module_id, nb_path, nb)
        for n, cell in enumerate(nb.cells):
            grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            if grade_id:
                cells_by_id[grade_id] = (nb_path, cell | {"index": n})
    for spec in specs.values():
        if spec["mode"] == "graded" and spec["type"] != "audit":
            problems += _check_graded_cell(module_id, ex_path, spec, cells_by_id)
    return problems


def _check_page_frame(module_id: str, nb_path: Path, nb) -> list[Problem]:
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


def _check_rubrics(meta_path: Path, ex_path: Path, meta: dict, specs: dict) -> list[Problem]:
    problems = []
    rubrics = meta.get("rubrics", {})
    for rid, rubric in rubrics.items():
        top = sum(max(level["score"] for level in c["levels"]) for c in rubric["criteria"])
        if abs(top - rubric["points"]) > 1e-9:
            problems.append(
                Problem(
                    meta_path,
                    f"rubrics.{rid}",
                    f"criteria add up to {top:g} points but the rubric says {rubric['points']:g}",
                )
            )
    for spec in specs.values():
        rid = spec.get("rubric")
        if spec["type"] == "reflection" and spec["mode"] == "graded" and not rid:
            problems.append(Problem(ex_path, spec["id"], "a graded reflection needs a rubric"))
        if rid and rid not in rubrics:
            problems.append(
                Problem(ex_path, f"{spec['id']}.rubric", f"module.yaml has no rubric {rid!r}")
            )
        elif rid and rubrics[rid]["points"] != spec.get("points"):
            problems.append(
                Problem(
                    ex_path,
                    f"{spec['id']}.points",
                    f"differs from rubric {rid!r} ({rubrics[rid]['points']:g} points)",
                )
            )
    return problems


UNSCORED = {"reflection", "audit"}  # marked by a person, or formative only
KEY_OPTIONAL = {"rating"}  # a confidence rating has no right answer


def _check_practice_keys(ex_path: Path, specs: dict) -> list[Problem]:
    problems = []
    for spec in specs.values():
        if spec["type"] == "branching":
            problems += [Problem(ex_path, f"{spec['id']}.scenes", r) for r in graph_problems(spec)]
        if spec["type"] == "audit" and spec["mode"] == "graded":
            problems.append(
                Problem(
                    ex_path, f"{spec['id']}.mode", "the language audit is formative: use practice"
                )
            )
        if spec["mode"] != "practice" or spec["type"] in UNSCORED:
            continue
        if "key" not in spec:
            if spec["type"] not in KEY_OPTIONAL:
                problems.append(
                    Problem(
                        ex_path, spec["id"], "a practice item needs its key for instant feedback"
                    )
                )
            continue
        problems += [
            Problem(ex_path, f"{spec['id']}.key", r) for r in key_problems(spec, spec["key"])
        ]
    return problems


def _ids(entries: list[dict]) -> set[str]:
    return {e["id"] for e in entries}


def key_problems(spec: dict, key) -> list[str]:
    """Reasons a key does not fit its exercise (unknown ids, items left out, wrong shape)."""
    kind = spec["type"]
    if kind == "single":
        return [] if key in _ids(spec["options"]) else [f"{key!r} is not one of the options"]
    if kind == "multiselect":
        if not isinstance(key, list | tuple) or not key:
            return ["the key must list at least one correct option id"]
        return [f"unknown option {o!r}" for o in key if o not in _ids(spec["options"])]
    if kind in ("sort", "spot"):
        targets, cats = (
            (spec["items"], spec["categories"])
            if kind == "sort"
            else (spec["lines"], spec["tactics"])
        )
        if not isinstance(key, dict) or not key:
            return ["the key must map ids to categories"]
        reasons = [f"unknown item {i!r}" for i in key if i not in _ids(targets)]
        if kind == "sort":
            reasons += [
                f"item {i!r} has no category in the key" for i in sorted(_ids(targets) - set(key))
            ]
        reasons += [f"unknown category {c!r}" for c in key.values() if c not in _ids(cats)]
        return reasons
    if kind == "order":
        if not isinstance(key, list) or sorted(key) != sorted(_ids(spec["items"])):
            return ["the key must list every item exactly once"]
        shown = [i["id"] for i in spec["items"]]
        return (
            ["items are shown in the right order already: shuffle them in the spec"]
            if shown == key
            else []
        )
    if kind == "rating":
        scale = spec["scale"]
        return (
            []
            if isinstance(key, int) and scale["min"] <= key <= scale["max"]
            else ["the key is off the scale"]
        )
    if kind == "branching":
        if not isinstance(key, dict):
            return ["the key must map choice ids to weights"]
        choices = {c["id"] for s in spec["scenes"] for c in s.get("choices", [])}
        reasons = [f"unknown choice {c!r}" for c in key if c not in choices]
        reasons += [f"choice {c!r} has no weight" for c in sorted(choices - set(key))]
        reasons += [
            f"weight of {c!r} must be between 0 and 1"
            for c, w in key.items()
            if not isinstance(w, int | float) or not 0 <= w <= 1
        ]
        return reasons
    return []


def graph_problems(spec: dict) -> list[str]:
    """What makes a branching scenario unplayable: links to nowhere, unreachable scenes, dead
    ends (a scene with no choices that is not an ending), and paths that can never end."""
    scenes = {s["id"]: s for s in spec["scenes"]}
    reasons = []
    if len(scenes) != len(spec["scenes"]):
        reasons.append("two scenes share an id")
    choice_ids = [c["id"] for s in spec["scenes"] for c in s.get("choices", [])]
    if len(set(choice_ids)) != len(choice_ids):
        reasons.append("two choices share an id")
    if spec["start"] not in scenes:
        return [*reasons, f"the start scene {spec['start']!r} does not exist"]
    for s in spec["scenes"]:
        for c in s.get("choices", []):
            if c["next"] not in scenes:
                reasons.append(
                    f"choice {c['id']!r} in scene {s['id']!r} leads to a missing scene {c['next']!r}"
                )
        if s.get("ending") and s.get("choices"):
            reasons.append(f"ending {s['id']!r} must not offer choices")
        if not s.get("ending") and not s.get("choices"):
            reasons.append(
                f"scene {s['id']!r} is a dead end: give it choices or mark it as an ending"
            )
    if not any(s.get("ending") for s in spec["scenes"]):
        reasons.append("the scenario has no ending")
    edges = {
        sid: [c["next"] for c in s.get("choices", []) if c["next"] in scenes]
        for sid, s in scenes.items()
    }
    reached, todo = set(), [spec["start"]]
    while todo:
        sid = todo.pop()
        if sid not in reached:
            reached.add(sid)
            todo += edges[sid]
    reasons += [
        f"scene {sid!r} cannot be reached from the start" for sid in scenes if sid not in reached
    ]
    can_end = {sid for sid, s in scenes.items() if s.get("ending")}
    changed = True
    while changed:
        grown = {sid for sid, nexts in edges.items() if any(n in can_end for n in nexts)} | can_end
        changed, can_end = grown != can_end, grown
    reasons += [
        f"from scene {sid!r} no path leads to an ending" for sid in sorted(reached - can_end)
    ]
    return reasons


def _check_graded_cell(module_id: str, ex_path: Path, spec: dict, cells: dict) -> list[Problem]:
    ex_id = spec["id"]
    if spec["type"] == "reflection":
        grade_id = f"rubric_{ex_id}"
        found = cells.get(grade_id)
        if not found:
            return [Problem(ex_path, ex_id, f"no manually graded task cell {grade_id!r} in a page")]
        nb_path, cell = found
        meta = cell["metadata"]["nbgrader"]
        problems = []
        if cell["source"].strip() != rubric_markdown(module_id, spec["rubric"]).strip():
            problems.append(
                Problem(
                    nb_path,
                    f"cells[{cell['index']}]",
                    "differs from the rubric in module.yaml; paste the output of "
                    f"`practice-lab rubric {module_id} {spec['rubric']}` into this cell",
                )
            )
        if not (meta.get("task") and meta.get("locked")):
            problems.append(
                Problem(nb_path, f"cells[{cell['index']}]", "rubric cell must be a locked task")
            )
        if meta.get("points") != spec["points"]:
            problems.append(
                Problem(
                    nb_path,
                    f"cells[{cell['index']}].points",
                    f"{meta.get('points')} differs from {spec['points']} in exercises.yaml",
                )
            )
        return problems

    grade_id = f"score_{ex_id}"
    found = cells.get(grade_id)
    if not found:
        return [
            Problem(
                ex_path, ex_id, f"no hidden-test cell {grade_id!r} holds this graded item's key"
            )
        ]
    nb_path, cell = found
    where = f"cells[{cell['index']}]"
    meta = cell["metadata"]["nbgrader"]
    problems = []
    if (
        not (meta.get("grade") and meta.get("locked"))
        or "### BEGIN HIDDEN TESTS" not in cell["source"]
    ):
        problems.append(
            Problem(nb_path, where, "must be a locked, graded cell inside hidden-test markers")
        )
    if meta.get("points") != spec["points"]:
        problems.append(
            Problem(
                nb_path,
                f"{where}.points",
                f"{meta.get('points')} differs from {spec['points']} in exercises.yaml",
            )
        )
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
    problems += [Problem(nb_path, f"{where}.key", r) for r in key_problems(spec, call.get("key"))]
    return problems


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
