"""Branching scenario: choices lead from scene to scene until an ending; the path is scored."""

from __future__ import annotations

from collections.abc import Mapping

from course_model.exercise_types.base import ExerciseType, clamp, ref


def path(spec: dict, answer) -> list[tuple[str, str]]:
    """The (scene, choice) steps of an answer, as far as it follows the scenario's links."""
    scenes = {s["id"]: s for s in spec["scenes"]}
    steps, scene_id = [], spec["start"]
    for choice_id in answer if isinstance(answer, list) else []:
        scene = scenes.get(scene_id, {})
        choice = next((c for c in scene.get("choices", []) if c["id"] == choice_id), None)
        if choice is None:
            break
        steps.append((scene_id, choice_id))
        scene_id = choice["next"]
    return steps


def score(
    answer: object, key: Mapping[str, float], points: float, spec: dict | None = None
) -> float:
    """The path taken, scored when it reaches an ending.

    The answer is the list of choice ids taken from the start. Each choice has a weight from 0
    (harmful) to 1 (best practice) in the key; the score is ``points`` times the mean weight of
    the choices on the path. A path that does not follow the scenario's links from the start to
    an ending scores 0: finish the scenario to earn the marks.
    """
    if not isinstance(answer, list) or not answer or spec is None:
        return 0.0
    steps = path(spec, answer)
    if len(steps) != len(answer):
        return 0.0
    scenes = {s["id"]: s for s in spec["scenes"]}
    last_scene, last_choice = steps[-1]
    end = next(c["next"] for c in scenes[last_scene]["choices"] if c["id"] == last_choice)
    if not scenes[end].get("ending"):
        return 0.0
    weights = [float(key.get(c, 0.0)) for c in answer]
    return clamp(points * sum(weights) / len(weights), points)


def key_problems(spec: dict, key) -> list[str]:
    if not isinstance(key, dict):
        return ["the key must map choice ids to weights"]
    choices = {c["id"] for s in spec["scenes"] for c in s.get("choices", [])}
    reasons = [f"unknown choice {c!r}" for c in key if c not in choices]
    reasons += [f"choice {c!r} has no weight" for c in sorted(choices - set(key))]
    return reasons + [
        f"weight of {c!r} must be between 0 and 1"
        for c, w in key.items()
        if not isinstance(w, int | float) or not 0 <= w <= 1
    ]


def graph_problems(spec: dict) -> list[str]:
    """What makes a scenario unplayable: links to nowhere, unreachable scenes, dead ends (a scene
    with no choices that is not an ending), and paths that can never end."""
    scenes = {s["id"]: s for s in spec["scenes"]}
    reasons = []
    if len(scenes) != len(spec["scenes"]):
        reasons.append("two scenes share an id")
    choice_ids = [c["id"] for s in spec["scenes"] for c in s.get("choices", [])]
    if len(set(choice_ids)) != len(choice_ids):
        reasons.append("two choices share an id")
    if spec["start"] not in scenes:
        return [*reasons, f"the start scene {spec['start']!r} does not exist"]
    reasons += _scene_problems(spec, scenes)
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
    return reasons + [
        f"from scene {sid!r} no path leads to an ending" for sid in sorted(reached - can_end)
    ]


def _scene_problems(spec: dict, scenes: dict) -> list[str]:
    reasons = []
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
    return reasons


def demo_answer(spec: dict, key, skill: float, rng) -> list[str]:
    scenes = {s["id"]: s for s in spec["scenes"]}
    taken, scene = [], scenes[spec["start"]]
    while not scene.get("ending"):
        ranked = sorted(scene["choices"], key=lambda c: -key.get(c["id"], 0))
        choice = ranked[0] if rng.random() < skill else rng.choice(ranked)
        taken.append(choice["id"])
        scene = scenes[choice["next"]]
    return taken


CHOICE = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "text", "next"],
    "properties": {
        "id": ref("id"),
        "text": ref("text"),
        "next": ref("id"),
        "feedback": {"type": "string"},
    },
}
SCENE = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "text"],
    "properties": {
        "id": ref("id"),
        "title": {"type": "string"},
        "text": ref("text"),
        "ending": {"type": "boolean"},
        "choices": {"type": "array", "items": CHOICE},
    },
}

TYPE = ExerciseType(
    name="branching",
    fields={
        "start": ref("id"),
        "scenes": {"type": "array", "minItems": 2, "items": SCENE},
        "key": {
            "type": "object",
            "additionalProperties": {"type": "number", "minimum": 0, "maximum": 1},
            "description": "choice id -> weight, 0 harmful to 1 best practice",
        },
    },
    required=("start", "scenes"),
    score=score,
    key_problems=key_problems,
    spec_problems=graph_problems,
    demo_answer=demo_answer,
    path=path,
)
