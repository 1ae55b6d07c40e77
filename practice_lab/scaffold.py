"""``practice-lab new``: skeletons a contributor fills in, each passing ``practice-lab check``.

``new module NN-slug`` writes a module folder (module.yaml, exercises.yaml, a lesson page, an
assessment page with its nbgrader cells, a facilitator guide) that follows every authoring rule;
every sentence in it says what to write there. ``new exercise-type NAME`` writes the type's
registry entry, its widget and its scoring tests; the type is picked up without further edits
but the one import line that registers its widget.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import yaml
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from course_model import content
from course_model.rubric import rubric_markdown

MODULE_ID = re.compile(r"^\d{2}-[a-z0-9]+(-[a-z0-9]+)*$")


class ScaffoldError(ValueError):
    """The name asked for cannot be used; the message says why and what to do."""


def _module_yaml(module_id: str, slug: str) -> dict:
    criterion = {
        "id": "analysis",
        "title": "Analysis of practice (describe what this criterion looks for)",
        "levels": [
            {"score": 0, "descriptor": "Describe what a reflection that earns nothing here does."},
            {"score": 1, "descriptor": "Describe what a reflection that earns the point does."},
        ],
    }
    return {
        "id": module_id,
        "title": f"Module {module_id[:2]}: write its title here",
        "minutes": 60,
        "summary": "Say in a few sentences what the module covers, with which case study, and why.",
        "learning_outcomes": [
            {
                "id": f"lo{n}",
                "text": f"Write measurable learning outcome {n} here (an action verb).",
                # course/frameworks.yaml numbers these: PCF 5 Knowledge, KSS 9 supervision and
                # research, Social Work England 4 CPD. Map each outcome as it is written: an
                # outcome about adults names kss_adults instead of, or as well as, kss_children.
                "frameworks": {"pcf": [5], "kss_children": [9], "swe": [4]},
            }
            for n in (1, 2, 3)
        ],
        "content_note": (
            "Say what the module's material includes (for example a fictional family's story) and "
            "that nothing is described in graphic detail. Offer the choices: pause, skip, come back "
            "later, the quick exit.\n\nSupport services are listed with this note at the top of every "
            "page."
        ),
        "key_points": [f"Write key point {n} here." for n in (1, 2, 3)],
        "references": [
            {
                "id": "source",
                "citation": "Author, A. (Year) Title of the source every fact on these pages comes from.",
            }
        ],
        "pages": [
            {"file": "01-lesson.ipynb", "title": "Write the lesson page's title", "kind": "lesson"},
            {"file": "assessment.ipynb", "title": "Assessment", "kind": "assessment"},
        ],
        "outcome_map": {
            "lo1": [f"{slug}_check"],
            "lo2": [f"{slug}_sort", f"{slug}_graded"],
            "lo3": [f"reflect_{slug}"],
        },
        "rubrics": {f"reflect_{slug}": {"points": 1, "criteria": [criterion]}},
    }


def _exercises_yaml(slug: str) -> dict:
    options = [
        {"id": "right", "text": "Write the right option.", "feedback": "Say why it is right."},
        {"id": "wrong", "text": "Write a tempting wrong option.", "feedback": "Say why it is not."},
    ]
    return {
        "exercises": [
            {
                "id": f"{slug}_check",
                "type": "single",
                "mode": "practice",
                "title": "Write the question's title",
                "prompt": "Write the question a learner answers here.",
                "options": options,
                "key": "right",
            },
            {
                "id": f"{slug}_sort",
                "type": "sort",
                "mode": "practice",
                "title": "Write the sort's title",
                "prompt": "Say what the learner sorts, and into what.",
                "categories": [
                    {"id": "one", "label": "First category"},
                    {"id": "two", "label": "Second category"},
                ],
                "items": [
                    {"id": "a", "text": "An item that belongs in the first category."},
                    {"id": "b", "text": "An item that belongs in the second category."},
                ],
                "key": {"a": "one", "b": "two"},
            },
            {
                "id": f"{slug}_graded",
                "type": "multiselect",
                "mode": "graded",
                "points": 2,
                "title": "Write the graded item's title",
                "prompt": "Write the graded question here; its key lives in the assessment's hidden test.",
                "options": [{"id": o["id"], "text": o["text"]} for o in options]
                + [{"id": "also_right", "text": "Write a second right option."}],
            },
            _reflection(slug),
        ]
    }


def _reflection(slug: str) -> dict:
    return {
        "id": f"reflect_{slug}",
        "type": "reflection",
        "mode": "graded",
        "points": 1,
        "rubric": f"reflect_{slug}",
        "title": "Write the reflection's title",
        "prompt": "Write what the learner reflects on, anonymously, from their own practice.",
        "model": "driscoll",
        "prompts": [
            {"heading": "What?", "text": "What happened?"},
            {"heading": "So what?", "text": "What did it mean?"},
            {"heading": "Now what?", "text": "What will you do differently?"},
        ],
        "min_words": 100,
        "max_chars": 6000,
    }


def _locked(cell, grade_id: str, **nbgrader):
    cell.metadata["nbgrader"] = {
        "grade": False, "grade_id": grade_id, "locked": True, "schema_version": 3,
        "solution": False, "task": False, **nbgrader,
    }  # fmt: skip
    return cell


def _opening(module_id: str, page: str) -> str:
    return f'from practice_lab.pages import CoursePage\n\npage = CoursePage("{module_id}", "{page}")\npage.header()'


def _notebook(cells) -> nbformat.NotebookNode:
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "name": "python3",
    }
    return nb


def _lesson(module_id: str, slug: str) -> nbformat.NotebookNode:
    return _notebook(
        [
            new_code_cell(_opening(module_id, "01-lesson.ipynb")),
            new_markdown_cell(
                "# Write the page's title\n\nTeach the idea here, citing the module's references."
            ),
            new_code_cell(f'page.exercise("{slug}_check")'),
            new_code_cell(f'page.exercise("{slug}_sort")'),
            new_code_cell("page.references()"),
            new_code_cell("page.finish()"),
        ]
    )


def _assessment(module_id: str, slug: str) -> nbformat.NotebookNode:
    hidden = (
        "# Right minus wrong: each correct tick earns a share, each wrong tick loses one.\n"
        "### BEGIN HIDDEN TESTS\nfrom grading.cells import score\n\n"
        f'score("{module_id}", "{slug}_graded", points=2, key=["right", "also_right"])\n'
        "### END HIDDEN TESTS"
    )
    return _notebook(
        [
            _locked(new_code_cell(_opening(module_id, "assessment.ipynb")), "setup"),
            _locked(
                new_markdown_cell("## Assessment\n\nSay what the trainer marks here."), "intro"
            ),
            _locked(new_code_cell(f'page.exercise("{slug}_graded")'), f"show_{slug}_graded"),
            _locked(new_code_cell(hidden), f"score_{slug}_graded", grade=True, points=2),
            _locked(
                new_markdown_cell(rubric_markdown(module_id, f"reflect_{slug}")),
                f"rubric_reflect_{slug}",
                task=True,
                points=1,
            ),
            _locked(new_code_cell(f'page.exercise("reflect_{slug}")'), f"show_reflect_{slug}"),
            _locked(new_code_cell("page.finish()"), "finish"),
        ]
    )


GUIDE = """# Facilitator's guide: {title}

Say how to run this module with a team: timings, what to prepare, what to watch for in the room.

## Workshop prompts

Use these in a team reflective-practice session after everyone has completed the module.

1. Write a prompt about practice that a team can discuss together.
2. Agree one change to try in practice, who will lead it, and when you will review it.
"""


def new_module(module_id: str, root: Path | None = None) -> list[Path]:
    """Write the skeleton of a module under ``root`` (the course folder); return the files."""
    if not MODULE_ID.match(module_id):
        raise ScaffoldError(f"{module_id!r}: a module id is NN-slug, e.g. 08-who-we-miss")
    root = root or content.course_root()
    folder = root / "modules" / module_id
    if folder.exists():
        raise ScaffoldError(f"{folder} already exists: choose another id")
    slug = module_id[3:].split("-")[0]
    meta = _module_yaml(module_id, slug)
    folder.mkdir(parents=True)
    files = {
        folder / "module.yaml": yaml.safe_dump(
            meta, sort_keys=False, allow_unicode=True, width=100
        ),
        folder / "exercises.yaml": yaml.safe_dump(
            _exercises_yaml(slug), sort_keys=False, allow_unicode=True, width=100
        ),
        folder / "facilitator-guide.md": GUIDE.format(title=meta["title"]),
    }
    for path, text in files.items():
        path.write_text(text, encoding="utf-8")
    content.load_module.cache_clear()
    nbformat.write(_lesson(module_id, slug), folder / "01-lesson.ipynb")
    nbformat.write(_assessment(module_id, slug), folder / "assessment.ipynb")
    return sorted(folder.iterdir())


TYPE_NAME = re.compile(r"^[a-z][a-z0-9]{2,30}$")
PROJECT = Path(__file__).resolve().parent.parent

TYPE_MODULE = '''"""{title}: describe the exercise in one line (what the learner does)."""

from __future__ import annotations

from course_model.exercise_types.base import ExerciseType, clamp, ids, ref, text_of


def score(answer: object, key: str, points: float, spec: dict | None = None) -> float:
    """State the partial-credit rule here (README's scoring table quotes it). As written: all the
    points for the option the key names, none otherwise; a malformed answer scores 0."""
    return clamp(points if isinstance(answer, str) and answer == key else 0, points)


def key_problems(spec: dict, key) -> list[str]:
    """Why a key does not fit the spec (check reports each reason)."""
    return [] if key in ids(spec["options"]) else [f"{{key!r}} is not one of the options"]


def wrong_choices(spec: dict, key, answer) -> list[str]:
    """One learner's wrong choices in words, for the cohort report's misconceptions."""
    return [text_of(spec["options"]).get(answer, answer)] if answer not in (None, key) else []


def demo_answer(spec: dict, key, skill: float, rng) -> str:
    """A synthetic learner's answer: right with probability ``skill``."""
    wrong = [o["id"] for o in spec["options"] if o["id"] != key]
    return key if rng.random() < skill or not wrong else rng.choice(wrong)


TYPE = ExerciseType(
    name="{name}",
    fields={{"options": {{"type": "array", "minItems": 2, "items": ref("choice")}}, "key": ref("id")}},
    required=("options",),
    score=score,
    key_problems=key_problems,
    wrong_choices=wrong_choices,
    demo_answer=demo_answer,
)
'''

WIDGET_MODULE = '''"""{title}: the widget learners answer a {name} exercise with."""

from __future__ import annotations

import ipywidgets as W

from widgets.base import NOTE, RIGHT, WRONG, Exercise, lean, register


@register
class {cls}(Exercise):
    """Describe the controls. Every control needs a visible label that is its accessible name,
    works by keyboard, and shows learner text as text, never HTML."""

    kind = "{name}"
    help = "Choose one option."

    def build(self, saved):
        ids = [o["id"] for o in self.spec["options"]]
        self._radio = lean(
            W.RadioButtons,
            options=[(o["text"], o["id"]) for o in self.spec["options"]],  # text, never HTML
            value=saved if saved in ids else None,
        )
        self._radio.observe(self._changed, names="value")  # after restoring: showing never saves
        return self._radio

    @property
    def value(self) -> str | None:
        return self._radio.value

    def summary(self, value) -> str:
        return next((o["text"] for o in self.spec["options"] if o["id"] == value), "(no answer)")

    def feedback_items(self, value):
        chosen = next((o for o in self.spec["options"] if o["id"] == value), None)
        if chosen is None:
            return [(NOTE, "Choose an option first.")]
        verdict = RIGHT if value == self.spec["key"] else WRONG
        return [(verdict, f"{{chosen['text']}} {{chosen.get('feedback', '')}}".strip())]

    def enter(self, value) -> None:
        """Answer as a learner would: choose the option."""
        self._radio.value = value
'''

TYPE_TESTS = '''"""The {name} exercise type: its scoring rule, exact partial credit, and malformed answers."""

from __future__ import annotations

from course_model.exercise_types import TYPES

SPEC = {{"options": [{{"id": "a", "text": "A"}}, {{"id": "b", "text": "B"}}]}}


def test_the_right_answer_earns_every_point_and_a_wrong_one_none():
    score = TYPES["{name}"].score
    assert score("a", "a", 2.0, SPEC) == 2.0
    assert score("b", "a", 2.0, SPEC) == 0.0


def test_a_malformed_answer_scores_zero_as_a_plain_float():
    for answer in (None, 3, ["a"], {{"a": 1}}):
        result = TYPES["{name}"].score(answer, "a", 2.0, SPEC)
        assert result == 0.0 and type(result) is float
'''


def new_exercise_type(name: str, project: Path = PROJECT) -> list[Path]:
    """Write a new type's registry entry, widget and tests (a working single-choice skeleton to
    change), and register its widget; return the files written or changed."""
    if not TYPE_NAME.match(name):
        raise ScaffoldError(f"{name!r}: a type name is 3-31 lower-case letters or digits")
    files = {
        project / "course_model" / "exercise_types" / f"{name}.py": TYPE_MODULE,
        project / "widgets" / f"{name}.py": WIDGET_MODULE,
        project / "tests" / f"test_type_{name}.py": TYPE_TESTS,
    }
    for path in files:
        if path.exists():
            raise ScaffoldError(f"{path} already exists: choose another name")
    title = name.capitalize()
    cls = f"{title}Exercise"
    for path, template in files.items():
        path.write_text(template.format(name=name, title=title, cls=cls), encoding="utf-8")
    page = project / "widgets" / "page.py"
    text = page.read_text(encoding="utf-8")
    line = re.search(r"^EXERCISE_WIDGETS = \((.*?)\)$", text, re.M | re.S)
    if line is None:
        raise ScaffoldError(f"{page}: the EXERCISE_WIDGETS line that registers widgets is missing")
    names = sorted({*(n.strip().strip('"') for n in line.group(1).split(",") if n.strip()), name})
    listed = "".join(f'    "{n}",\n' for n in names)
    page.write_text(
        text.replace(line.group(0), f"EXERCISE_WIDGETS = (\n{listed})"), encoding="utf-8"
    )
    return [*files, page]
