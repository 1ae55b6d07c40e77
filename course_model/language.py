"""The language audit: flag phrases in a case note that blame the victim, hide the perpetrator,
make abuse mutual or one-off, or treat children as bystanders.

Patterns, reasons and better phrasings are data (``course/language_patterns.yaml``, each with
its source); ``practice-lab check`` validates them and checks every pattern matches its own
example. Formative only: nothing here is scored.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from course_model import content
from course_model.text import MAX_TEXT


@dataclass(frozen=True)
class Flag:
    """One flagged phrase: where it is, and what to think about instead."""

    phrase: str
    start: int
    pattern_id: str
    category: str
    why: str
    instead: str


@functools.cache
def patterns() -> list[tuple[re.Pattern, dict]]:
    """The compiled patterns, in file order (validated by `practice-lab check`)."""
    data = content.read_yaml(content.course_root() / "language_patterns.yaml")
    return [(re.compile(rf"\b(?:{p['pattern']})\b", re.I), p) for p in data["patterns"]]


def audit(text: str) -> list[Flag]:
    """Every flagged phrase in ``text`` (first 20,000 characters), in reading order."""
    flags = [
        Flag(m.group(0), m.start(), p["id"], p["category"], p["why"], p["instead"])
        for rx, p in patterns()
        for m in rx.finditer(text[:MAX_TEXT])
    ]
    return sorted(flags, key=lambda f: (f.start, f.pattern_id))


# A quotation: “…”, "…" or '…' within one paragraph. A single quote opens only after a space,
# a bracket or the start, and closes only before a non-letter, so apostrophes (Leila's) never do.
_QUOTED = re.compile(r"“[^”\n]*”|\"[^\"\n]*\"|(?<![\w’'])'[^'\n]*?'(?!\w)")


def unquoted(text: str) -> list[Flag]:
    """The flags in ``text`` that stand outside quotation marks: the course's own voice.

    Inside quotes a phrase is cited from a record or named to be questioned, which is how the
    course teaches the audit; outside them it is the course speaking, and must not mislead."""
    spans = [m.span() for m in _QUOTED.finditer(text[:MAX_TEXT])]
    return [f for f in audit(text) if not any(a <= f.start < b for a, b in spans)]
