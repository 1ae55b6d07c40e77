"""Tallies of a prompt's answers, behind the rule of five.

Until ``min_answers`` people have answered a prompt, its tally holds the number of answers and
nothing else: no counts, no chart, no typed answers, not even for the facilitator (who, watching
the room, could tell whose answer just arrived). Typed answers are listed in an order unrelated
to when they arrived, different for each prompt, so neither timing nor position links a person's
answers together. The word list counts only answers on screen, and only words used in at least
two of them: a word from a single answer can identify its writer.
"""

from __future__ import annotations

import hashlib
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

from workshop.prompts import TEXT_KINDS
from workshop.store import HIDDEN, SHOWN, Answer

WORDS_SHOWN = 12
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself
    yourselves also get got make one ones us let lets it's i'm we'd we'll we're don't can't
    won't""".split()
)


@dataclass
class Tally:
    """What may be shown of one prompt's answers. Empty apart from ``total`` below threshold."""

    prompt: dict
    total: int
    min_answers: int
    counts: dict[str, int] = field(default_factory=dict)  # poll option / rating point -> n
    grid: dict[str, dict[str, int]] = field(default_factory=dict)  # sort: item -> category -> n
    review: list[Answer] = field(default_factory=list)  # typed answers, every status
    shown: list[str] = field(default_factory=list)  # typed answers on screen
    words: list[tuple[str, int]] = field(default_factory=list)  # word -> answers using it
    median: float | None = None

    @property
    def visible(self) -> bool:
        """Whether enough people have answered for anything but the number to be shown."""
        return self.total >= self.min_answers

    @property
    def not_hidden(self) -> list[str]:
        """Typed answers the facilitator has not hidden (those the summary may keep)."""
        return [a.value for a in self.review if a.status != HIDDEN]


def review_order(prompt_id: str, answer: Answer) -> str:
    """A sort key unrelated to arrival time and different for every prompt."""
    return hashlib.sha256(f"{prompt_id}:{answer.token}".encode()).hexdigest()


def word_list(texts: list[str], top: int = WORDS_SHOWN) -> list[tuple[str, int]]:
    """The words used in at least two of ``texts`` (stop words left out), most used first,
    each with the number of answers using it."""
    per_answer = Counter()
    for text in texts:
        per_answer.update({w.lower() for w in _WORD.findall(text)} - STOPWORDS)
    common = [(w, n) for w, n in per_answer.items() if n >= 2 and len(w) > 2]
    return sorted(common, key=lambda wn: (-wn[1], wn[0]))[:top]


def tally(prompt: dict, answers: list[Answer], min_answers: int) -> Tally:
    """Tally ``answers`` to ``prompt``, holding everything back below ``min_answers``."""
    result = Tally(prompt, len(answers), min_answers)
    if not result.visible:
        return result
    kind = prompt["kind"]
    if kind == "poll":
        chosen = Counter(a.value for a in answers)
        result.counts = {o["id"]: chosen[o["id"]] for o in prompt["options"]}
    elif kind == "rating":
        chosen = Counter(a.value for a in answers)
        scale = prompt["scale"]
        result.counts = {str(n): chosen[n] for n in range(scale["min"], scale["max"] + 1)}
        result.median = statistics.median(a.value for a in answers)
    elif kind == "sort":
        result.grid = {
            item["id"]: {
                c["id"]: sum(1 for a in answers if a.value.get(item["id"]) == c["id"])
                for c in prompt["categories"]
            }
            for item in prompt["items"]
        }
    elif kind in TEXT_KINDS:
        result.review = sorted(answers, key=lambda a: review_order(prompt["id"], a))
        result.shown = [a.value for a in result.review if a.status == SHOWN]
        result.words = word_list(result.shown)
    return result
