"""Free-text reflection with a model's prompts, a live word count and a hard length cap."""

from __future__ import annotations

import ipywidgets as W

from widgets.base import Exercise, escape

HARD_CAP = 20_000  # characters: the most any reflection may hold, whatever a spec says


def word_count(text: str) -> int:
    """Words as a reader would count them: runs of non-space characters."""
    return len(text.split())


class ReflectionExercise(Exercise):
    """A text area under the model's prompts. Saved on every change; text past the cap is cut
    off and the learner told why."""

    kind = "reflection"

    def build(self, saved):
        self.max_chars = min(int(self.spec["max_chars"]), HARD_CAP)
        prompts = "".join(
            f"<li><strong>{escape(p['heading'])}</strong> {escape(p['text'])}</li>"
            for p in self.spec["prompts"]
        )
        text = saved[: self.max_chars] if isinstance(saved, str) else ""
        self._area = W.Textarea(
            value=text,
            placeholder="Write your reflection here. Keep it anonymous: no names, places or dates.",
            description="Your reflection",
            layout=W.Layout(width="100%", height="16em"),
            continuous_update=True,
        )
        self._count = W.HTML(self._count_text(text))
        self._area.observe(self._on_area_value, names="value")
        return W.VBox([W.HTML(f'<ul class="pl-prompts">{prompts}</ul>'), self._area, self._count])

    def _count_text(self, text: str, cut: bool = False) -> str:
        words = word_count(text)
        want = self.spec["min_words"]
        parts = [
            f"{words} words (aim for at least {want})",
            f"{len(text):,} of {self.max_chars:,} characters",
        ]
        if cut:
            parts.append(f"text beyond {self.max_chars:,} characters was not kept")
        return f'<p class="pl-count" aria-live="polite">{" · ".join(parts)}</p>'

    def _on_area_value(self, change) -> None:
        text = change["new"]
        cut = len(text) > self.max_chars
        if cut:
            self._area.value = text[
                : self.max_chars
            ]  # fires this observer again with the kept text
            self._count.value = self._count_text(self._area.value, cut=True)
            return
        self._count.value = self._count_text(text)
        self._changed()

    @property
    def value(self) -> str:
        return self._area.value

    def summary(self, value) -> str:
        return value if isinstance(value, str) and value.strip() else "(no reflection was written)"
