"""Checks of a module's exercises through the exercise-type registry: every type known and
complete, every practice key fitting its exercise, every spec usable."""

from __future__ import annotations

from pathlib import Path

from course_model import exercise_types
from course_model.content import Problem
from course_model.exercise_types.base import AUTO, FORMATIVE, RUBRIC


def registry_problems() -> list[Problem]:
    """A type marked automatically must have a scorer, or every graded item of it scores 0."""
    folder = Path(exercise_types.__file__).parent
    return [
        Problem(
            folder / f"{name}.py",
            "TYPE.score",
            f"exercise type {name!r} is marked automatically but has no scorer — give it "
            "score=… (or mark it RUBRIC or FORMATIVE)",
        )
        for name, kind in exercise_types.TYPES.items()
        if kind.marking == AUTO and kind.score is None
    ]


def spec_problems(ex_path: Path, specs: dict) -> list[Problem]:
    """What makes each exercise unusable: its type's own rules, a graded formative item, and a
    practice item whose key is missing or does not fit."""
    problems = []
    for spec in specs.values():
        kind = exercise_types.get(spec["type"], f"{ex_path}: {spec['id']}")
        where = spec["id"]
        problems += [Problem(ex_path, where, r) for r in kind.spec_problems(spec)]
        if kind.marking == FORMATIVE and spec["mode"] == "graded":
            problems.append(
                Problem(ex_path, f"{where}.mode", f"{spec['type']} is formative — use practice")
            )
        if spec["mode"] != "practice" or kind.marking != AUTO:
            continue
        if "key" not in spec:
            if not kind.key_optional:
                problems.append(
                    Problem(
                        ex_path,
                        where,
                        "a practice item needs its key for instant feedback — add key",
                    )
                )
            continue
        problems += [
            Problem(ex_path, f"{where}.key", r) for r in kind.key_problems(spec, spec["key"])
        ]
    return problems


def marked_by_rubric(spec: dict) -> bool:
    """A graded exercise that a trainer marks against a rubric (a reflection)."""
    return spec["mode"] == "graded" and exercise_types.get(spec["type"]).marking == RUBRIC


def marked_by_scorer(spec: dict) -> bool:
    """A graded exercise that nbgrader scores through a hidden-test cell."""
    return spec["mode"] == "graded" and exercise_types.get(spec["type"]).marking == AUTO
