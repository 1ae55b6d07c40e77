"""Ecomap: place the people and services around a child and mark each tie.

Each person has two native drop-downs, named by the person ("Bethan, his mum: place", "…: tie"),
so keyboard and screen-reader users answer as everyone else does. As the learner answers, the
map is drawn under the controls (an SVG whose text alternative lists every tie in words). The
answer maps person id to ``{"ring": …, "tie": …}`` for what the learner has marked.
"""

from __future__ import annotations

import math

import ipywidgets as W

from course_model.exercise_types.ecomap import RINGS, TIES
from widgets.base import NOTE, RIGHT, WRONG, Exercise, escape, lean, register

UNSET = ""
RADIUS = {"close": 70, "around": 120, "edge": 165}
STROKE = {  # colour, width, dash: told apart by line style as well as colour
    "support": ("#2f6b2f", 4, ""),
    "stress": ("#8a5a00", 2, "8 5"),
    "control": ("#7a0019", 4, "2 4"),
}


def ecomap_svg(centre: str, people: list[dict], marks: dict[str, dict]) -> str:
    """The map as SVG: the child in the middle, three rings, each marked person on their ring
    joined to the child by a line styled by the tie. Every label is escaped text."""
    size, mid = 380, 190
    parts = [
        f'<circle cx="{mid}" cy="{mid}" r="{r}" fill="none" stroke="#c8c8c8"/>'
        for r in RADIUS.values()
    ]
    placed = [p for p in people if marks.get(p["id"], {}).get("ring")]
    for n, person in enumerate(placed):
        mark = marks[person["id"]]
        angle = -math.pi / 2 + 2 * math.pi * n / len(placed)
        x = mid + RADIUS[mark["ring"]] * math.cos(angle)
        y = mid + RADIUS[mark["ring"]] * math.sin(angle)
        if mark.get("tie"):
            colour, width, dash = STROKE[mark["tie"]]
            parts.append(
                f'<line x1="{mid}" y1="{mid}" x2="{x:.0f}" y2="{y:.0f}" stroke="{colour}" '
                f'stroke-width="{width}" stroke-dasharray="{dash}"/>'
            )
        parts.append(f'<circle cx="{x:.0f}" cy="{y:.0f}" r="6" fill="#1d4f91"/>')
        parts.append(
            f'<text x="{x:.0f}" y="{y - 10:.0f}" text-anchor="middle" font-size="11">'
            f"{escape(person['label'][:28])}</text>"
        )
    parts.append(f'<circle cx="{mid}" cy="{mid}" r="26" fill="#1d4f91"/>')
    parts.append(
        f'<text x="{mid}" y="{mid + 4}" text-anchor="middle" font-size="12" fill="white">'
        f"{escape(centre[:14])}</text>"
    )
    return (
        f'<svg viewBox="0 0 {size} {size}" width="100%" style="max-width:{size}px" role="img" '
        f'aria-label="Ecomap around {escape(centre)}: described in the list below">'
        + "".join(parts)
        + "</svg>"
    )


def ties_in_words(centre: str, people: list[dict], marks: dict[str, dict]) -> str:
    """The map's text alternative: one line per marked person."""
    lines = [
        f"<li>{escape(p['label'])}: {escape(RINGS.get(marks[p['id']].get('ring'), 'not placed').lower())}; "
        f"tie: {escape(TIES.get(marks[p['id']].get('tie'), 'not marked').lower())}</li>"
        for p in people
        if marks.get(p["id"])
    ]
    if not lines:
        return f"<p>Nobody is placed around {escape(centre)} yet.</p>"
    return f'<ul class="pl-ecomap-words">{"".join(lines)}</ul>'


@register
class EcomapExercise(Exercise):
    """Two drop-downs per person (place, tie) and the map they draw."""

    kind = "ecomap"
    help = (
        "For each person or service, choose where they are in the child's world and whether "
        "the tie is support, stress or control. The right tie earns two thirds of that person's "
        "share of the points, the right place one third (half of it one ring away)."
    )

    def build(self, saved):
        saved = saved if isinstance(saved, dict) else {}
        self._rings, self._ties, rows = {}, {}, []
        for person in self.spec["people"]:
            mark = saved.get(person["id"]) if isinstance(saved.get(person["id"]), dict) else {}
            self._rings[person["id"]] = self._dropdown(
                f"{person['label']}: place", RINGS, mark.get("ring")
            )
            self._ties[person["id"]] = self._dropdown(
                f"{person['label']}: tie", TIES, mark.get("tie")
            )
            rows.append(
                lean(
                    W.HBox,
                    "pl-ecomap-row",
                    children=[self._rings[person["id"]], self._ties[person["id"]]],
                )
            )
        self._map = lean(W.HTML, "pl-ecomap", value=self._drawing())
        for dropdown in (*self._rings.values(), *self._ties.values()):
            dropdown.observe(self._redraw, names="value")
            dropdown.observe(self._changed, names="value")
        return lean(W.VBox, children=[*rows, self._map])

    @staticmethod
    def _dropdown(name: str, choices: dict[str, str], value) -> W.Dropdown:
        return lean(
            W.Dropdown,
            "pl-row",
            options=[("Choose…", UNSET), *((label, k) for k, label in choices.items())],
            value=value if value in choices else UNSET,
            description=name,  # the visible label is the accessible name
        )

    def _drawing(self) -> str:
        marks = self.value
        return ecomap_svg(self.spec["centre"], self.spec["people"], marks) + ties_in_words(
            self.spec["centre"], self.spec["people"], marks
        )

    def _redraw(self, _change=None) -> None:
        self._map.value = self._drawing()

    @property
    def value(self) -> dict[str, dict]:
        out = {}
        for person in self.spec["people"]:
            pid = person["id"]
            mark = {
                part: d.value
                for part, d in (("ring", self._rings[pid]), ("tie", self._ties[pid]))
                if d.value != UNSET
            }
            if mark:
                out[pid] = mark
        return out

    def summary(self, value) -> str:
        marks = value if isinstance(value, dict) else {}
        return "\n".join(
            f"{p['label']}: {RINGS.get((marks.get(p['id']) or {}).get('ring'), 'not placed')}; "
            f"tie: {TIES.get((marks.get(p['id']) or {}).get('tie'), 'not marked')}"
            for p in self.spec["people"]
        )

    def feedback_items(self, value):
        key, items = self.spec.get("key", {}), []
        if not value:
            return [(NOTE, "Place at least one person first.")]
        for person in self.spec["people"]:
            right, given = key.get(person["id"]), value.get(person["id"], {})
            if right is None:
                continue
            verdict = RIGHT if given.get("tie") == right["tie"] else WRONG
            text = f"{person['label']}: the tie is {TIES[right['tie']].lower()}"
            if given.get("tie") and given["tie"] != right["tie"]:
                text += f" (you chose {TIES[given['tie']].lower()})"
            text += f"; {RINGS[right['ring']].lower()}."
            items.append((verdict, f"{text} {person.get('feedback', '')}".strip()))
        return items

    def enter(self, value) -> None:
        """Answer as a learner would: choose the place, then the tie, person by person."""
        for person, mark in value.items():
            if "ring" in mark:
                self._rings[person].value = mark["ring"]
            if "tie" in mark:
                self._ties[person].value = mark["tie"]
