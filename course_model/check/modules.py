"""Checks of one module: its files valid, its outcomes assessed, its rubrics adding up, the
authoring rules every module of the course follows, and its pages."""

from __future__ import annotations

from pathlib import Path

import nbformat

from course_model import content, exercise_types, outcome_map
from course_model.check.exercises import marked_by_rubric, spec_problems
from course_model.check.files import case_study_problems, duplicates
from course_model.check.notebooks import (
    marking_cell_problems,
    page_frame_problems,
    shown_problems,
    title_problems,
)
from course_model.content import ContentError, Problem
from course_model.guides import guide_prompts

MIN_EXERCISES = 4
MIN_TYPES = 3


def guard(check) -> list[Problem]:
    """Run a check; a file that cannot be read or validated becomes its problems."""
    try:
        return check()
    except ContentError as exc:
        return exc.problems


def module_problems(module_id: str) -> list[Problem]:
    """Everything wrong with one module; empty when it can be released."""
    folder = content.module_dir(module_id)
    meta_path, ex_path = folder / "module.yaml", folder / "exercises.yaml"
    meta = content.load_checked(meta_path, "module.schema.json")
    specs = {
        s["id"]: s for s in content.load_checked(ex_path, "exercises.schema.json")["exercises"]
    }
    problems = []
    if meta["id"] != module_id:
        problems.append(
            Problem(meta_path, "id", f"{meta['id']!r} does not match the folder {module_id!r}")
        )
    problems += duplicates(ex_path, "exercises", list(specs))
    problems += _outcome_problems(meta_path, meta, specs)
    for case_id in meta.get("case_studies", []):
        case_path = content.course_root() / "case_studies" / f"{case_id}.yaml"
        if case_path.is_file():
            problems += guard(lambda p=case_path: case_study_problems(p))
        else:
            problems.append(Problem(meta_path, "case_studies", f"no case study called {case_id!r}"))
    problems += _rubric_problems(meta_path, ex_path, meta, specs)
    problems += spec_problems(ex_path, specs)
    if module_id != content.GALLERY:
        problems += authoring_problems(meta_path, ex_path, meta, specs)
        problems += workshop_prompt_problems(module_id)
    return problems + _page_problems(module_id, folder, meta_path, meta, specs)


def authoring_rules() -> str:
    """The rules every course module follows, in words (CONTRIBUTING and `new module` cite them)."""
    return (
        f"at least {MIN_EXERCISES} exercises of at least {MIN_TYPES} types, a practice item with "
        "instant feedback, and a graded reflection marked against a rubric"
    )


def authoring_problems(meta_path: Path, ex_path: Path, meta: dict, specs: dict) -> list[Problem]:
    """The course's authoring rules for a module (the gallery, a showcase, is exempt)."""
    problems = outcome_map.problems(meta_path, meta)
    if len(specs) < MIN_EXERCISES:
        problems.append(
            Problem(
                ex_path,
                "exercises",
                f"{len(specs)} exercises: a module needs at least {MIN_EXERCISES} — add practice items",
            )
        )
    kinds = {s["type"] for s in specs.values()}
    if len(kinds) < MIN_TYPES:
        problems.append(
            Problem(
                ex_path,
                "exercises",
                f"{len(kinds)} exercise types ({', '.join(sorted(kinds))}): a module needs at least "
                f"{MIN_TYPES} — vary them (types: {', '.join(sorted(exercise_types.TYPES))})",
            )
        )
    if not any(s["mode"] == "practice" and "key" in s for s in specs.values()):
        problems.append(
            Problem(
                ex_path, "exercises", "no practice item with instant feedback — add one with a key"
            )
        )
    if not any(marked_by_rubric(s) for s in specs.values()):
        problems.append(
            Problem(
                ex_path,
                "exercises",
                "no graded reflection — add one with a rubric in module.yaml (see CONTRIBUTING.md)",
            )
        )
    if not any(p["kind"] == "assessment" for p in meta["pages"]):
        problems.append(Problem(meta_path, "pages", "no assessment page — add assessment.ipynb"))
    return problems


def workshop_prompt_problems(module_id: str) -> list[Problem]:
    """A module's team-session prompts are written once, in its facilitator guide."""
    if guide_prompts(module_id)[0]:
        return []
    guide = content.module_dir(module_id) / "facilitator-guide.md"
    return [
        Problem(
            guide,
            "## Workshop prompts",
            "no numbered workshop prompts — add the section, the one place a module's team-session "
            "prompts are written (the workshop reads them from it)",
        )
    ]


def _outcome_problems(meta_path: Path, meta: dict, specs: dict) -> list[Problem]:
    outcome_ids = [lo["id"] for lo in meta["learning_outcomes"]]
    problems = [
        Problem(meta_path, f"outcome_map.{lo}", "outcome is not assessed by any exercise — map one")
        for lo in outcome_ids
        if lo not in meta["outcome_map"]
    ]
    for lo, ex_ids in meta["outcome_map"].items():
        if lo not in outcome_ids:
            problems.append(
                Problem(meta_path, f"outcome_map.{lo}", "no learning outcome has this id")
            )
        problems += [
            Problem(meta_path, f"outcome_map.{lo}", f"no exercise with id {ex!r}")
            for ex in ex_ids
            if ex not in specs
        ]
    return problems


def _rubric_problems(meta_path: Path, ex_path: Path, meta: dict, specs: dict) -> list[Problem]:
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
        if marked_by_rubric(spec) and not rid:
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


def _page_problems(
    module_id: str, folder: Path, meta_path: Path, meta: dict, specs: dict
) -> list[Problem]:
    problems: list[Problem] = []
    cells: dict[str, tuple[Path, dict]] = {}
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
                Problem(nb_path, "", f"not a readable notebook ({exc}) — restore it from git")
            )
            continue
        problems += page_frame_problems(module_id, nb_path, nb)
        problems += title_problems(nb_path, nb, page["kind"])
        problems += shown_problems(nb_path, nb, specs)
        for n, cell in enumerate(nb.cells):
            grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            if grade_id:
                cells[grade_id] = (nb_path, cell | {"index": n})
    return problems + marking_cell_problems(module_id, folder / "exercises.yaml", specs, cells)
