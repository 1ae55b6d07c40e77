"""A bounded text box: saved on every change, cut at its character limit with a notice, and
live notes underneath (word count, flagged phrases, privacy warnings) supplied by subclasses."""

from __future__ import annotations

import ipywidgets as W

from course_model.text import MAX_TEXT as HARD_CAP
from widgets.base import Exercise, lean


class TextExercise(Exercise):
    """Base for free-text exercises; the answer is the text itself."""

    label = "Your text"
    placeholder = ""
    height = "12em"
    default_max = 5_000
    empty = "(nothing was written)"

    def above(self) -> list[W.Widget]:
        """Widgets shown above the text box (prompts)."""
        return []

    def notes_html(self, text: str, cut: bool) -> str:
        """The live notes under the box; subclasses add to the character count."""
        notice = f" · text beyond {self.max_chars:,} characters was not kept" if cut else ""
        return f'<p class="govuk-body-s pl-count" aria-live="polite">{len(text):,} of {self.max_chars:,} characters{notice}</p>'

    def build(self, saved):
        self.max_chars = min(int(self.spec.get("max_chars", self.default_max)), HARD_CAP)
        text = saved[: self.max_chars] if isinstance(saved, str) else ""
        self._area = W.Textarea(
            value=text,
            placeholder=self.spec.get("placeholder", self.placeholder),
            description=self.label,
            layout=W.Layout(width="100%", height=self.height),
        )
        self._notes = lean(W.HTML, value=self.notes_html(text, cut=False))
        self._area.observe(self._on_text, names="value")
        return lean(W.VBox, children=[*self.above(), self._area, self._notes])

    def _on_text(self, change) -> None:
        text = change["new"]
        if len(text) > self.max_chars:
            self._area.value = text[: self.max_chars]  # fires this observer again, which saves
            self._notes.value = self.notes_html(self._area.value, cut=True)
            return
        self._notes.value = self.notes_html(text, cut=False)
        self._changed()

    @property
    def value(self) -> str:
        return self._area.value

    def summary(self, value) -> str:
        return value if isinstance(value, str) and value.strip() else self.empty

    def enter(self, value) -> None:
        """Answer as a learner would: type the text."""
        self._area.value = value
