"""What a person calls a graded item: its module's title and its exercise's title, found from the
ids the machinery keeps. nbgrader names a module's assignment by the module id and each graded
cell ``score_<exercise id>`` (scored by a hidden test) or ``rubric_<exercise id>`` (a reflection
marked against its rubric). An id the course's content does not know is shown as it is."""

from __future__ import annotations

from course_model import content

GRADE_CELL_PREFIXES = ("score_", "rubric_")


def module_title(module_id: str) -> str:
    """The module's title from its ``module.yaml``; the id itself for a module not in the course."""
    try:
        return content.load_module(module_id)["title"]
    except content.ContentError:
        return module_id


def exercise_id(item_id: str) -> str:
    """The exercise a grade cell scores (``score_sort_planets`` → ``sort_planets``); an id with
    neither prefix is taken to be an exercise id already."""
    for prefix in GRADE_CELL_PREFIXES:
        if item_id.startswith(prefix):
            return item_id.removeprefix(prefix)
    return item_id


def item_title(module_id: str, item_id: str) -> str:
    """The title of the exercise that ``item_id`` (a grade cell or exercise id) names in the
    module; the id itself when the module or the exercise is not in the course."""
    try:
        spec = content.load_exercises(module_id).get(exercise_id(item_id))
    except content.ContentError:
        spec = None
    return spec["title"] if spec and spec.get("title") else item_id


def item_order(module_id: str, item_id: str) -> tuple[int, str]:
    """A sort key putting items in the order their exercises have in the module's
    ``exercises.yaml``; items the course does not know come after, by id."""
    try:
        order = list(content.load_exercises(module_id))
    except content.ContentError:
        order = []
    found = exercise_id(item_id)
    return (order.index(found), "") if found in order else (len(order), item_id)
