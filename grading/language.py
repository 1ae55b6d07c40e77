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

from practice_lab import content

MAX_TEXT = 20_000


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
