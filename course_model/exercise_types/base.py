"""What an exercise type declares (:class:`ExerciseType`), and the helpers its modules share."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Scorer = Callable[[Any, Any, float, dict | None], float]

AUTO, RUBRIC, FORMATIVE = "auto", "rubric", "formative"
"""How a type is marked: by its scorer; by a trainer against a rubric; never (practice only)."""


class UnknownType(LookupError):
    """An exercise names a type nobody registered."""

    def __init__(self, name: str, where: str, known: list[str]):
        self.name, self.where = name, where
        at = f"{where}: " if where else ""
        super().__init__(
            f"{at}unknown exercise type {name!r}; the types are {', '.join(known)} "
            "(a new type is added with `practice-lab new exercise-type NAME`)"
        )


def _none(*_args: Any) -> list:
    return []


def _no_prompt(_spec: dict) -> dict | None:
    return None


@dataclass(frozen=True)
class ExerciseType:
    """Everything the course knows about one type of exercise.

    ``fields``/``required``: the spec's own fields as JSON Schema (besides id, type, mode, title,
    prompt and points, which every spec has). ``marking``: AUTO (``score`` marks it), RUBRIC (a
    trainer marks it in formgrader) or FORMATIVE (practice only, never marked). ``score(answer,
    key, points, spec)``: a plain float in [0, points], 0 for a malformed answer. ``key_problems
    (spec, key)``: why a key does not fit the spec. ``key_optional``: a practice item may go
    without a key. ``spec_problems(spec)``: what else makes a spec unusable. ``wrong_choices(spec,
    key, answer)``: one learner's wrong choices as readable phrases, for the cohort report.
    ``demo_answer(spec, key, skill, rng)``: a synthetic learner's answer, right part by part
    with probability ``skill``. ``workshop_prompt(spec)``: the prompt a practice item becomes
    in a team workshop, or None. ``path(spec, answer)``: for scenarios, the (scene, choice)
    steps an answer takes, which the cohort report draws. ``cohort_view(spec, key, answers)``: for
    an ecomap, each person's key and the cohort's commonest misplacement, which the report draws.
    """

    name: str
    fields: dict[str, Any]
    required: tuple[str, ...] = ()
    marking: str = AUTO
    score: Scorer | None = None
    key_problems: Callable[[dict, Any], list[str]] = _none
    key_optional: bool = False
    spec_problems: Callable[[dict], list[str]] = _none
    wrong_choices: Callable[[dict, Any, Any], list[str]] = _none
    demo_answer: Callable[[dict, Any, float, random.Random], Any] | None = None
    workshop_prompt: Callable[[dict], dict | None] = _no_prompt
    path: Callable[[dict, Any], list[tuple[str, str]]] | None = None
    cohort_view: Callable[[dict, Any, list], list[dict]] | None = None

    def schema(self) -> dict:
        """This type's spec as a JSON Schema (the shared ``$defs`` come from the base schema)."""
        common = dict.fromkeys(("id", "type", "mode", "title", "prompt", "points"), True)
        return {
            "type": "object",
            "additionalProperties": False,
            "required": list(self.required),
            "properties": {**common, **self.fields},
        }


def clamp(score: float, points: float) -> float:
    """A plain Python float in [0, points] (nbgrader misreads NumPy scalars, strings, negatives)."""
    return float(min(max(float(score), 0.0), float(points)))


def ids(entries: list[dict]) -> set[str]:
    """The ids of a list of options, items, categories…"""
    return {e["id"] for e in entries}


def ref(name: str) -> dict:
    """A reference to one of the base schema's shared definitions (id, text, choice, labelled)."""
    return {"$ref": f"#/$defs/{name}"}


def text_of(entries: list[dict], field_name: str = "text") -> dict[str, str]:
    """id -> readable text, for turning ids in an answer back into words."""
    return {e["id"]: e[field_name] for e in entries}


def without_feedback(text: str) -> str:
    """An exercise's prompt without sentences about its instant feedback (a workshop has none)."""
    sentences = re.split(r"(?<=[.?!])\s+", text.strip())
    return " ".join(s for s in sentences if "feedback" not in s.lower())
