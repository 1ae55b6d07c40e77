"""The exercise-type registry: one entry per type, each declared in one module of this package
(found by listing the package: a new file is a new type).

A type's module says everything the course needs to know about it in one place: the fields of
its spec (a JSON Schema fragment), how it is marked and scored, how a key is checked, how wrong
answers read in the cohort report, how a synthetic learner answers it in the demo, and whether it
becomes a workshop prompt. Its widget registers from ``widgets/``. Every consumer iterates
:data:`TYPES` or asks :func:`get`; a type not registered is an error naming the file and the
type, never a silent skip.
"""

from __future__ import annotations

import copy
import importlib
import pkgutil

from course_model.exercise_types.base import ExerciseType, UnknownType

TYPES: dict[str, ExerciseType] = {}


def register(kind: ExerciseType) -> ExerciseType:
    """Add a type to the registry (the built-in ones below; a test may add its own)."""
    TYPES[kind.name] = kind
    return kind


def unregister(name: str) -> None:
    """Remove a type (tests that registered one clean up with this)."""
    TYPES.pop(name, None)


def get(name: str, where: str = "") -> ExerciseType:
    """The registered type called ``name``; ``UnknownType`` (saying where, and which types exist)
    for any other name."""
    try:
        return TYPES[name]
    except KeyError:
        raise UnknownType(name, where, sorted(TYPES)) from None


def exercises_schema(base: dict) -> dict:
    """The schema of an ``exercises.yaml``: ``base`` (the fields every exercise has) with each
    registered type's own fields, and the list of types, added from the registry."""
    schema = copy.deepcopy(base)
    defs = schema["$defs"]
    defs["common"]["properties"]["type"] = {"enum": sorted(TYPES)}
    for name, kind in TYPES.items():
        defs[name] = kind.schema()
        defs["exercise"]["allOf"].append(
            {"if": {"properties": {"type": {"const": name}}}, "then": {"$ref": f"#/$defs/{name}"}}
        )
    return schema


# Every module of this package but ``base`` declares one type, as ``TYPE``: adding a file adds a type.
for _info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
    if _info.name != "base":
        register(importlib.import_module(f"{__name__}.{_info.name}").TYPE)

__all__ = [
    "TYPES",
    "ExerciseType",
    "UnknownType",
    "exercises_schema",
    "get",
    "register",
    "unregister",
]
