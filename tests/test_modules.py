"""Every module is a complete unit: minutes add up to the course's promise, every outcome is
assessed, and every graded notebook grades correctly end to end on real nbgrader."""

from __future__ import annotations

import pytest

from course_model import content
from grading import course_dir, export, learner_exchange
from grading.autograde import autograde
from tests.conftest import answer, graded_keys

HALF_DAY = ("00-welcome", "01-incidents-to-patterns", "02-three-planets", "03-manipulating-systems")


def test_first_half_day_fits_150_to_240_minutes():
    present = [m for m in HALF_DAY if m in content.module_ids()]
    total = sum(content.load_module(m)["minutes"] for m in present)
    if len(present) == len(HALF_DAY):
        assert 150 <= total <= 240, total
    else:
        assert total <= 240, total


@pytest.mark.parametrize("module_id", content.module_ids())
def test_every_outcome_is_assessed_by_an_exercise(module_id):
    meta, specs = content.load_module(module_id), content.load_exercises(module_id)
    for outcome in meta["learning_outcomes"]:
        assessed = meta["outcome_map"].get(outcome["id"], [])
        assert assessed and all(e in specs for e in assessed), outcome["id"]


@pytest.mark.parametrize("module_id", content.module_ids())
def test_every_module_mixes_types_and_has_practice_feedback(module_id):
    specs = content.load_exercises(module_id).values()
    assert len(specs) >= 4 and len({s["type"] for s in specs}) >= 3
    practice = [s for s in specs if s["mode"] == "practice" and "key" in s]
    assert practice, "at least one practice item with instant feedback"
    assert any(s["type"] == "reflection" and s["mode"] == "graded" for s in specs)


def best_path(spec: dict, weights: dict) -> list[str]:
    """The path that takes the highest-weighted choice at every scene, to an ending."""
    scenes = {s["id"]: s for s in spec["scenes"]}
    path, scene = [], scenes[spec["start"]]
    while not scene.get("ending"):
        choice = max(scene["choices"], key=lambda c: weights[c["id"]])
        path.append(choice["id"])
        scene = scenes[choice["next"]]
    return path


@pytest.mark.nbgrader
@pytest.mark.parametrize("module_id", content.module_ids())
def test_graded_notebook_grades_end_to_end(module_id, tmp_path):
    specs, keys = content.load_exercises(module_id), graded_keys(module_id)
    assert set(keys) == {
        i
        for i, s in specs.items()
        if s["mode"] == "graded" and s["type"] not in ("reflection", "audit")
    }
    right, expected = {}, {}
    for ex_id, key in keys.items():
        spec = specs[ex_id]
        if spec["type"] == "branching":
            right[ex_id] = best_path(spec, key)
            weights = [key[c] for c in right[ex_id]]
            expected[ex_id] = spec["points"] * sum(weights) / len(weights)
        else:
            right[ex_id] = key
            expected[ex_id] = float(spec["points"])
    course, exchange = tmp_path / "trainer", tmp_path / "exchange"
    course_dir.init(course, exchange)
    course_dir.release(course, module_id)
    for learner_id, answers in {"right": right, "blank": {}}.items():
        folder = tmp_path / learner_id
        learner_exchange.init(folder, exchange, learner_id)
        answer(learner_exchange.fetch(folder, module_id)[0], answers, module_id=module_id)
        learner_exchange.submit(folder, module_id)
    course_dir.collect(course, module_id)
    autograde(course, module_id, workers=2)
    table = export.scores_table(f"sqlite:///{course / 'gradebook.db'}").set_index("learner")
    for ex_id, points in expected.items():
        assert table.loc["right", f"{module_id}/score_{ex_id}"] == pytest.approx(points), ex_id
        assert table.loc["blank", f"{module_id}/score_{ex_id}"] == 0.0, ex_id


def test_readme_states_the_true_course_minutes():
    from tests.conftest import ROOT

    readme = (ROOT / "README.md").read_text()
    total = sum(content.load_module(m)["minutes"] for m in content.module_ids())
    assert f"**{total} minutes" in readme
    for module_id in content.module_ids():
        meta = content.load_module(module_id)
        assert f"| {module_id[:2]} | {meta['title']} | {meta['minutes']} |" in readme, module_id
