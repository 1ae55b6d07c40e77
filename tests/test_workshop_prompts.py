"""Prompt sets: every module's facilitator guide yields its prompts; YAML files are checked with
messages that name the file, the prompt and the fix."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from course_model import content
from course_model.content import ContentError
from workshop import prompts
from workshop.prompts import AnswerError, check_answer

MODULES = content.module_ids()


def _guide_numbers(module_id: str) -> int:
    text = (content.module_dir(module_id) / "facilitator-guide.md").read_text(encoding="utf-8")
    section = text.split("## Workshop prompts", 1)
    if len(section) == 1:
        return 0
    body = section[1].split("\n## ", 1)[0]
    return len(re.findall(r"^\d+\. ", body, re.M))


@pytest.mark.parametrize("module_id", MODULES)
def test_every_module_has_a_prompt_set_with_its_guide_prompts_first(module_id):
    prompt_set = prompts.load(module_id[:2])
    items = prompt_set["prompts"]
    assert [p["id"] for p in items] == [f"p{n}" for n in range(1, len(items) + 1)]
    in_guide = _guide_numbers(module_id)
    if in_guide:
        assert len(items) >= in_guide
        assert all(
            p["source"] == f"facilitator guide, prompt {n}"
            for n, p in enumerate(items[:in_guide], 1)
        )
    for p in items:
        assert p["kind"] in prompts.KINDS and p["text"].strip()


def test_quotes_around_a_whole_guide_prompt_are_removed_and_inner_quotes_kept():
    assert prompts.load("00")["prompts"][0]["text"].startswith("Think of a time a piece of work")
    assert prompts.load("06")["prompts"][6]["text"].startswith('"Whole family": what')


def test_module_07_opens_with_the_guide_s_anonymous_confidence_rating():
    first, *rest = prompts.load("07-reflective-practice")["prompts"]
    assert first["kind"] == "rating"
    assert first["scale"] == {
        "min": 1,
        "max": 5,
        "min_label": "not at all confident",
        "max_label": "very confident",
    }
    assert "Rate anonymously" not in first["text"]
    assert rest[6]["kind"] == "next-step" and rest[6]["text"].startswith("Agree one change")
    assert sum(p["kind"] == "rating" for p in rest) == 0, "one rating: the guide's own"


def test_module_02_takes_its_prompts_from_its_guide_and_polls_the_three_planets():
    prompt_set = prompts.load("02")
    assert prompt_set["source"] == "02-three-planets/facilitator-guide.md, Workshop prompts"
    assert prompt_set["prompts"][0]["text"].startswith("Which planet does our team live on")
    poll = next(p for p in prompt_set["prompts"] if p["kind"] == "poll")
    assert [o["label"] for o in poll["options"]] == [
        "The domestic abuse planet",
        "The child protection planet",
        "The child contact planet",
    ]


@pytest.mark.parametrize("module_id", MODULES)
def test_graded_exercises_never_become_prompts(module_id):
    graded = {
        s["title"] for s in content.load_exercises(module_id).values() if s["mode"] == "graded"
    }
    used = {p.get("title") for p in prompts.load(module_id)["prompts"]}
    assert not graded & used


def test_exercise_prompts_drop_sentences_about_instant_feedback():
    sort = next(p for p in prompts.load("00")["prompts"] if p["kind"] == "sort")
    assert "feedback" not in sort["text"].lower()
    assert len(sort["items"]) == 9 and len(sort["categories"]) == 3


def test_an_unknown_module_or_missing_file_is_named():
    with pytest.raises(ContentError, match="neither a prompt file"):
        prompts.load("99")
    with pytest.raises(ContentError, match="no such prompt file"):
        prompts.load("missing.yaml")


GOOD = """
title: "Three planets warm-up"
prompts:
  - type: poll
    text: "Which planet does our team live on?"
    options: [Domestic abuse, Child protection, Child contact]
  - type: sort
    text: "Which planet's message is this?"
    categories: [Domestic abuse, Child protection, Child contact]
    items: ["Your safety comes first.", "Please make them available for contact."]
  - type: rating
    text: "How confident are you?"
    scale: {min: 1, max: 5, min_label: not at all, max_label: very}
  - type: reflection
    text: "What did you notice?"
  - type: next-step
    text: "What will you do next?"
"""


def test_a_yaml_file_gives_every_prompt_type(tmp_path):
    path = tmp_path / "set.yaml"
    path.write_text(GOOD, encoding="utf-8")
    prompt_set = prompts.load(str(path))
    assert prompt_set["title"] == "Three planets warm-up"
    kinds = [p["kind"] for p in prompt_set["prompts"]]
    assert kinds == ["poll", "sort", "rating", "reflection", "next-step"]
    sort = prompt_set["prompts"][1]
    assert check_answer(sort, {"i1": "c1", "i2": "c3"}) == {"i1": "c1", "i2": "c3"}
    with pytest.raises(AnswerError, match="1 still to place"):
        check_answer(sort, {"i1": "c1"})


@pytest.mark.parametrize(
    ("body", "where", "fix"),
    [
        ("- type: poll\n  text: Which?\n  options: [Only one]", "prompt 1", "2 to 8"),
        (
            "- type: reflection\n  text: ok\n- type: quiz\n  text: Which?",
            "prompt 2",
            "'type' must be one of",
        ),
        ("- type: poll\n  text: Which?\n  optons: [a, b]", "prompt 1", "unknown field 'optons'"),
        (
            "- type: rating\n  text: How?\n  scale: {min: 5, max: 1, min_label: a, max_label: b}",
            "prompt 1",
            "min below max",
        ),
        (
            "- type: sort\n  text: Sort\n  categories: [A, A]\n  items: [x]",
            "prompt 1",
            "same entry twice",
        ),
        ("- type: reflection", "prompt 1", "'text' must be the question"),
    ],
)
def test_a_malformed_prompt_file_names_the_file_the_prompt_and_the_fix(tmp_path, body, where, fix):
    path = tmp_path / "team-session.yaml"
    path.write_text("prompts:\n" + re.sub(r"^", "  ", body, flags=re.M), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        prompts.load(str(path))
    message = str(caught.value)
    assert "team-session.yaml" in message and f": {where}: " in message and fix in message


def test_a_file_that_is_not_yaml_says_where(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("prompts:\n  - type: poll\n    text: [unclosed\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"broken\.yaml:\d+: column \d+: not valid YAML"):
        prompts.load(str(path))


def test_an_example_prompt_file_ships_and_loads():
    example = Path(prompts.__file__).parent / "examples" / "three-planets.yaml"
    kinds = {p["kind"] for p in prompts.load(str(example))["prompts"]}
    assert kinds == set(prompts.KINDS)


def test_the_readme_s_example_prompt_file_loads(tmp_path):
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Running a workshop", 1)[1]
    example = re.search(r"```yaml\n(.*?)```", section, re.S).group(1)
    path = tmp_path / "readme.yaml"
    path.write_text(example, encoding="utf-8")
    kinds = [p["kind"] for p in prompts.load(str(path))["prompts"]]
    assert sorted(kinds) == sorted(prompts.KINDS)


@pytest.mark.parametrize("module_id", content.module_ids())
def test_each_module_prompt_set_is_its_guide_section_word_for_word(module_id):
    numbered, source = prompts.guide_prompts(module_id)
    guide = (content.module_dir(module_id) / "facilitator-guide.md").read_text(encoding="utf-8")
    assert numbered and source.startswith(f"{module_id}/facilitator-guide.md")
    workshop = prompts.from_module(module_id)["prompts"]
    for text, prompt in zip(numbered, workshop, strict=False):
        assert prompt["text"] in text or text.startswith(prompt["text"][:60])
        assert text[:60] in guide.replace("\n   ", " ")
    assert not list(content.course_root().rglob("prompt-sets.md")), "one copy, in the guides"


def test_check_names_a_guide_without_workshop_prompts(tmp_path, monkeypatch):
    from course_model.check.modules import workshop_prompt_problems

    guide = (content.module_dir("04-children") / "facilitator-guide.md").read_text(encoding="utf-8")
    (tmp_path / "facilitator-guide.md").write_text(guide.split("## Workshop prompts")[0])
    monkeypatch.setattr(content, "module_dir", lambda module_id: tmp_path)
    [problem] = workshop_prompt_problems("04-children")
    assert problem.file == tmp_path / "facilitator-guide.md"
    assert "Workshop prompts" in problem.where
