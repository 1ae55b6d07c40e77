"""Sort into categories: each item placed in one category (the three planets, for example)."""

from __future__ import annotations

from collections.abc import Mapping

from course_model.exercise_types.base import ExerciseType, clamp, ids, ref, text_of


def score(answer: object, key: Mapping[str, str], points: float, spec: dict | None = None) -> float:
    """Each item placed in its category earns ``points / len(key)``.

    Items left unplaced or placed wrongly earn nothing; nothing is taken away.
    """
    if not key:
        return 0.0
    placed = answer if isinstance(answer, Mapping) else {}
    right = sum(1 for item, cat in key.items() if placed.get(item) == cat)
    return clamp(points * right / len(key), points)


def mapping_problems(rows: list[dict], labels: list[dict], key, every_row: bool) -> list[str]:
    """Why a key mapping rows to labels does not fit (shared with spot the tactic)."""
    if not isinstance(key, dict) or not key:
        return ["the key must map ids to categories"]
    reasons = [f"unknown item {i!r}" for i in key if i not in ids(rows)]
    if every_row:
        reasons += [f"item {i!r} has no category in the key" for i in sorted(ids(rows) - set(key))]
    return reasons + [f"unknown category {c!r}" for c in key.values() if c not in ids(labels)]


def misplaced(rows: list[dict], labels: list[dict], key, answer) -> list[str]:
    """Rows an answer puts under the wrong label, as "row → label" (shared with spot)."""
    if not isinstance(answer, dict):
        return []
    row_text, label = text_of(rows), text_of(labels, "label")
    return [
        f"{row_text.get(r, r)} → {label.get(c, c)}" for r, c in answer.items() if key.get(r) != c
    ]


def relabel(labels: list[dict], key, skill: float, rng) -> dict:
    """A synthetic answer to a mapping key: each row right with probability ``skill``."""
    choices = [c["id"] for c in labels]
    return {row: (cat if rng.random() < skill else rng.choice(choices)) for row, cat in key.items()}


def workshop_prompt(spec: dict) -> dict:
    """The same sort, for the room."""
    return {
        "kind": "sort",
        "categories": [{"id": c["id"], "label": c["label"]} for c in spec["categories"]],
        "items": [{"id": i["id"], "text": i["text"]} for i in spec["items"]],
    }


TYPE = ExerciseType(
    name="sort",
    fields={
        "categories": {"type": "array", "minItems": 2, "items": ref("labelled")},
        "items": {"type": "array", "minItems": 2, "items": ref("choice")},
        "key": {"type": "object", "additionalProperties": ref("id")},
    },
    required=("categories", "items"),
    score=score,
    key_problems=lambda spec, key: mapping_problems(spec["items"], spec["categories"], key, True),
    wrong_choices=lambda spec, key, a: misplaced(spec["items"], spec["categories"], key, a),
    demo_answer=lambda spec, key, skill, rng: relabel(spec["categories"], key, skill, rng),
    workshop_prompt=workshop_prompt,
)
