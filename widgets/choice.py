"""Single choice, and rating scales (an expert's judgement to compare with, or confidence)."""

from __future__ import annotations

import ipywidgets as W

from widgets.base import NOTE, RIGHT, WRONG, Exercise, lean, register


@register
class SingleChoiceExercise(Exercise):
    """Radio buttons, one per option; the answer is the chosen option id."""

    kind = "single"
    help = "Choose one option."

    def build(self, saved):
        ids = [o["id"] for o in self.spec["options"]]
        self._radio = lean(
            W.RadioButtons,
            options=[(o["text"], o["id"]) for o in self.spec["options"]],  # text, never HTML
            value=saved if saved in ids else None,
        )
        self._radio.observe(self._changed, names="value")
        return self._radio

    @property
    def value(self) -> str | None:
        return self._radio.value

    def summary(self, value) -> str:
        chosen = [o["text"] for o in self.spec["options"] if o["id"] == value]
        return chosen[0] if chosen else "No option was chosen."

    def feedback_items(self, value):
        key = self.spec["key"]
        options = {o["id"]: o for o in self.spec["options"]}
        if value is None:
            return [(NOTE, "Choose an option first.")]
        chosen = options[value]
        items = [
            (
                RIGHT if value == key else WRONG,
                f"{chosen['text']} {chosen.get('feedback', '')}".strip(),
            )
        ]
        if value != key:
            best = options[key]
            items.append(
                (NOTE, f"The best answer: {best['text']} {best.get('feedback', '')}".strip())
            )
        return items

    def enter(self, value) -> None:
        """Answer as a learner would: choose the option."""
        self._radio.value = value


def scale_options(scale: dict) -> list[tuple[str, int]]:
    """A rating scale's radio options: each point's number, the two ends with their words."""
    ends = {scale["min"]: scale["min_label"], scale["max"]: scale["max_label"]}
    return [
        (f"{n} ({ends[n]})" if n in ends else str(n), n)
        for n in range(scale["min"], scale["max"] + 1)
    ]


@register
class RatingExercise(Exercise):
    """A rating scale as radio buttons, each labelled with its number and the ends with words.

    With ``key`` (practice) the feedback compares the learner's rating with an expert's; without
    one (confidence before or after a module) the rating is simply recorded.
    """

    kind = "rating"
    help = "Choose one point on the scale."

    def build(self, saved):
        options = scale_options(self.spec["scale"])
        self._radio = lean(
            W.RadioButtons,
            options=options,
            value=saved if saved in [n for _, n in options] else None,
        )
        self._radio.observe(self._changed, names="value")
        return self._radio

    @property
    def value(self) -> int | None:
        return self._radio.value

    def summary(self, value) -> str:
        return (
            f"Rated {value} on a scale of {self.spec['scale']['min']} to {self.spec['scale']['max']}"
            if value
            else "Not rated"
        )

    def feedback_items(self, value):
        key = self.spec.get("key")
        if value is None:
            return [(NOTE, "Choose a rating first.")]
        if key is None:
            return [(NOTE, "Thank you: your rating is recorded.")]
        verdict = RIGHT if value == key else WRONG
        return [
            (
                verdict,
                f"You rated {value}; an experienced practitioner rated {key}. {self.spec.get('feedback', '')}".strip(),
            )
        ]

    def enter(self, value) -> None:
        """Answer as a learner would: choose the point on the scale."""
        self._radio.value = value
