"""Prompt sets for a workshop, from a module of the course or from a YAML file.

A prompt is a plain dict (it is stored as JSON in the session) with an ``id`` (``p1``, ``p2``, …),
a ``kind`` and a ``text``, plus what its kind needs:

- ``poll``: ``options``, each ``{"id", "label"}``; a participant chooses one;
- ``sort``: ``categories`` (``{"id", "label"}``) and ``items`` (``{"id", "text"}``); a participant
  puts every item in a category (the three planets, for example);
- ``rating``: ``scale`` ``{"min", "max", "min_label", "max_label"}``; a participant picks a point;
- ``reflection`` and ``next-step``: a short text ("what would you do next" is ``next-step``).

From a module, the numbered prompts under its facilitator guide's "## Workshop prompts" heading
become reflection prompts, in the guide's order so the numbers match the guide. A prompt carrying
"(Rate anonymously from 1, …, to 5, …)" becomes a rating on that scale, and one that starts
"Agree one change" or "Choose one change" becomes a next-step prompt. That section is the only
copy of a module's prompts (``practice-lab check`` requires it). Then come typed prompts made from
the module's *practice* exercises: a single choice becomes a poll, a sort becomes a sort, and a
"confidence after" rating a rating (unless the guide already asks for a rating). Graded
exercises are never used: a room's aggregate of a graded item would hand its answers to anyone
who has not yet submitted.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from course_model import content, exercise_types
from course_model.content import ContentError, Problem
from course_model.exercise_types.base import without_feedback
from course_model.guides import guide_prompts

KINDS = {
    "poll": "Poll",
    "sort": "Sort",
    "rating": "Rating",
    "reflection": "Reflection",
    "next-step": "What would you do next?",
}
TEXT_KINDS = {"reflection", "next-step"}
MAX_TEXT = 2000  # characters in a participant's typed answer
MAX_PROMPT = 1500  # characters in a prompt's text from a YAML file
MAX_LABEL = 300  # characters in an option, category or item
OPTIONS = (2, 8)
CATEGORIES = (2, 6)
ITEMS = (1, 12)
SCALE_POINTS = (2, 11)

_RATE = re.compile(r"\s*\(Rate anonymously from (\d+), ([^,]+), to (\d+), ([^;)]+)[^)]*\)")
_NEXT = re.compile(r"(Agree|Choose) one change\b")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # control characters but tab and newline
_FIELDS = {
    "poll": {"type", "text", "options"},
    "sort": {"type", "text", "categories", "items"},
    "rating": {"type", "text", "scale"},
    "reflection": {"type", "text"},
    "next-step": {"type", "text"},
}


class AnswerError(ValueError):
    """An answer that does not fit its prompt; the message tells the participant what to change."""


def load(arg: str) -> dict:
    """The prompt set named on the command line: a YAML file's path, or a module id (``07`` or
    ``07-reflective-practice``). Raises ContentError saying what is wrong and where."""
    path = Path(arg)
    if path.suffix.lower() in {".yaml", ".yml"} or path.is_file():
        if not path.is_file():
            raise ContentError([Problem(path, "", "no such prompt file")])
        return from_file(path)
    matches = [m for m in content.module_ids() if m == arg or m.startswith(f"{arg}-")]
    if len(matches) != 1:
        raise ContentError(
            [
                Problem(
                    Path(arg),
                    "",
                    "neither a prompt file (.yaml) nor a module; modules: "
                    + ", ".join(content.module_ids()),
                )
            ]
        )
    return from_module(matches[0])


# ---------------------------------------------------------------------------------------------
# From a module


def _from_guide(text: str, number: int) -> dict:
    """One guide prompt as a typed prompt: a rating when it asks for one, else text."""
    source = f"facilitator guide, prompt {number}"
    rate = _RATE.search(text)
    if rate:
        lo, lo_label, hi, hi_label = rate.groups()
        return {
            "kind": "rating",
            "text": (text[: rate.start()] + text[rate.end() :]).strip(),
            "scale": {
                "min": int(lo),
                "max": int(hi),
                "min_label": lo_label.strip(),
                "max_label": hi_label.strip(),
            },
            "source": source,
        }
    kind = "next-step" if _NEXT.match(text) else "reflection"
    return {"kind": kind, "text": text, "source": source}


def _from_exercise(spec: dict, where: str) -> dict | None:
    """A practice exercise as a typed prompt (its type says how, if at all)."""
    typed = exercise_types.get(spec["type"], where).workshop_prompt(spec)
    if typed is None:
        return None
    base = {
        "title": spec["title"],
        "text": without_feedback(spec["prompt"]),
        "source": f"practice exercise {spec['id']}",
    }
    return {"kind": typed["kind"], **base, **{k: v for k, v in typed.items() if k != "kind"}}


def from_module(module_id: str) -> dict:
    """The prompt set for one module: its guide's prompts, then prompts from practice exercises."""
    numbered, source = guide_prompts(module_id)
    prompts = [_from_guide(text, n) for n, text in enumerate(numbered, start=1)]
    has_rating = any(p["kind"] == "rating" for p in prompts)
    for spec in content.load_exercises(module_id).values():
        if spec["mode"] != "practice":
            continue
        prompt = _from_exercise(spec, f"{module_id}/exercises.yaml: {spec['id']}")
        if prompt and not (prompt["kind"] == "rating" and has_rating):
            prompts.append(prompt)
    if not prompts:
        raise ContentError(
            [Problem(content.module_dir(module_id), "", "no workshop prompts for this module")]
        )
    meta = content.load_module(module_id)
    return {
        "title": f"Module {module_id[:2]}: {meta['title']}",
        "source": source or f"{module_id}/exercises.yaml",
        "prompts": _numbered_ids(prompts),
    }


def _numbered_ids(prompts: list[dict]) -> list[dict]:
    return [{"id": f"p{n}", **p} for n, p in enumerate(prompts, start=1)]


# ---------------------------------------------------------------------------------------------
# From a YAML file


def _text(value: Any, limit: int) -> str | None:
    """``value`` as a stripped, non-empty string within ``limit`` characters, or None."""
    if not isinstance(value, str) or not value.strip() or len(value.strip()) > limit:
        return None
    return value.strip()


def _labels(value: Any, bounds: tuple[int, int], what: str, fix: str) -> list[str]:
    """A list of distinct short strings, or raise ValueError saying what to fix."""
    lo, hi = bounds
    if not isinstance(value, list) or not lo <= len(value) <= hi:
        raise ValueError(f"'{what}' must be a list of {lo} to {hi} {fix}")
    labels = [_text(v, MAX_LABEL) for v in value]
    for n, label in enumerate(labels, start=1):
        if label is None:
            raise ValueError(
                f"'{what}' entry {n} must be text of 1 to {MAX_LABEL} characters (quote it)"
            )
    if len(set(labels)) != len(labels):
        raise ValueError(f"'{what}' has the same entry twice; make each one different")
    return labels  # type: ignore[return-value]


def _typed(raw: Any) -> dict:
    """One prompt from a YAML file, checked; raises ValueError saying what to fix."""
    if not isinstance(raw, dict):
        raise ValueError("must be a mapping with 'type' and 'text'")
    kind = raw.get("type")
    if kind not in KINDS:
        raise ValueError(f"'type' must be one of {', '.join(KINDS)} (found {kind!r})")
    unknown = sorted(set(map(str, raw)) - _FIELDS[kind])
    if unknown:
        raise ValueError(
            f"unknown field {unknown[0]!r} for a {kind} (allowed: {', '.join(sorted(_FIELDS[kind]))})"
        )
    text = _text(raw.get("text"), MAX_PROMPT)
    if text is None:
        raise ValueError(f"'text' must be the question, 1 to {MAX_PROMPT} characters")
    prompt: dict[str, Any] = {"kind": kind, "text": text}
    if kind == "poll":
        labels = _labels(raw.get("options"), OPTIONS, "options", "answers to choose from")
        prompt["options"] = [{"id": f"o{n}", "label": s} for n, s in enumerate(labels, 1)]
    elif kind == "sort":
        cats = _labels(raw.get("categories"), CATEGORIES, "categories", "category names")
        items = _labels(raw.get("items"), ITEMS, "items", "statements to sort")
        prompt["categories"] = [{"id": f"c{n}", "label": s} for n, s in enumerate(cats, 1)]
        prompt["items"] = [{"id": f"i{n}", "text": s} for n, s in enumerate(items, 1)]
    elif kind == "rating":
        prompt["scale"] = _scale(raw.get("scale"))
    return prompt


def _scale(raw: Any) -> dict:
    """A rating scale ``{min, max, min_label, max_label}``; raises ValueError saying what to fix."""
    if not isinstance(raw, dict) or set(raw) - {"min", "max", "min_label", "max_label"}:
        raise ValueError("'scale' must be a mapping with min, max, min_label and max_label")
    lo, hi = raw.get("min"), raw.get("max")
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (lo, hi)):
        raise ValueError("'scale' needs whole numbers for min and max, e.g. min: 1, max: 5")
    if not SCALE_POINTS[0] <= hi - lo + 1 <= SCALE_POINTS[1]:
        raise ValueError(
            f"'scale' must have {SCALE_POINTS[0]} to {SCALE_POINTS[1]} points (min below max)"
        )
    labels = [_text(raw.get(k), MAX_LABEL) for k in ("min_label", "max_label")]
    if None in labels:
        raise ValueError("'scale' needs min_label and max_label: words for each end")
    return {"min": lo, "max": hi, "min_label": labels[0], "max_label": labels[1]}


def from_file(path: Path) -> dict:
    """A prompt set from a YAML file with ``prompts:`` (and an optional ``title:``).

    Every problem is reported at once, each naming the file, the prompt's number and the fix.
    """
    data = content.read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("prompts"), list):
        raise ContentError(
            [Problem(path, "", "expected a mapping with a 'prompts' list (see README)")]
        )
    extra = sorted(set(map(str, data)) - {"title", "prompts"})
    problems = [Problem(path, "", f"unknown field {k!r} (allowed: title, prompts)") for k in extra]
    title = data.get("title", path.stem)
    if _text(title, MAX_LABEL) is None:
        problems.append(Problem(path, "title", f"must be text of 1 to {MAX_LABEL} characters"))
    if not data["prompts"]:
        problems.append(Problem(path, "prompts", "is empty: add at least one prompt"))
    prompts = []
    for n, raw in enumerate(data["prompts"], start=1):
        try:
            prompts.append(_typed(raw))
        except ValueError as exc:
            problems.append(Problem(path, f"prompt {n}", str(exc)))
    if problems:
        raise ContentError(problems)
    return {"title": str(title).strip(), "source": path.name, "prompts": _numbered_ids(prompts)}


# ---------------------------------------------------------------------------------------------
# Answers


def check_answer(prompt: dict, value: Any) -> Any:
    """``value`` as a valid answer to ``prompt`` (text stripped of control characters), or raise
    AnswerError saying, in words a participant understands, what to change."""
    kind = prompt["kind"]
    if kind == "poll":
        if not isinstance(value, str) or value not in {o["id"] for o in prompt["options"]}:
            raise AnswerError("Choose one of the answers before you send.")
        return value
    if kind == "rating":
        scale = prompt["scale"]
        if isinstance(value, bool) or not isinstance(value, int):
            raise AnswerError("Choose a point on the scale before you send.")
        if not scale["min"] <= value <= scale["max"]:
            raise AnswerError(f"Choose a point from {scale['min']} to {scale['max']}.")
        return value
    if kind == "sort":
        items = {i["id"] for i in prompt["items"]}
        cats = {c["id"] for c in prompt["categories"]}
        if not isinstance(value, dict) or set(value) != items:
            missing = len(items - set(value)) if isinstance(value, dict) else len(items)
            raise AnswerError(f"Choose a category for every statement ({missing} still to place).")
        if not all(isinstance(c, str) and c in cats for c in value.values()):
            raise AnswerError("Choose one of the listed categories for every statement.")
        return dict(value)
    if not isinstance(value, str) or not value.strip():
        raise AnswerError("Write your answer before you send.")
    text = _CONTROL.sub("", value.replace("\r\n", "\n")).strip()
    if len(text) > MAX_TEXT:
        raise AnswerError(
            f"Your answer is {len(text):,} characters; the limit is {MAX_TEXT:,}. "
            "Please shorten it and send again."
        )
    return text


def heading(prompt: dict) -> str:
    """A one-line plain-text label for a prompt, e.g. ``3 · Reflection · Take an anon…``."""
    number = prompt["id"][1:]
    words = prompt.get("title") or prompt["text"]
    short = words if len(words) <= 70 else words[:69].rstrip() + "…"
    return f"{number} · {KINDS[prompt['kind']]} · {short}"
