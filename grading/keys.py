"""Read graded items' keys back out of nbgrader source notebooks (the one place they live)."""

from __future__ import annotations

from pathlib import Path

import nbformat

from course_model.check import score_call_arguments


def keys_in(notebooks: list[Path]) -> dict[str, object]:
    """Exercise id -> key, from the ``score(...)`` calls of the notebooks' hidden-test cells."""
    keys = {}
    for path in notebooks:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.metadata.get("nbgrader", {}).get("grade_id", "").startswith("score_"):
                args = score_call_arguments(cell.source)
                keys[args["exercise_id"]] = args["key"]
    return keys
