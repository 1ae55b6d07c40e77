"""Free-text reflection with a named model's prompts, a live word count, a hard length cap, and a
gentle warning when the text seems to identify someone."""

from __future__ import annotations

import ipywidgets as W

from widgets.base import escape, lean, register
from widgets.design import INSET
from widgets.privacy import identifying_details
from widgets.text import HARD_CAP, TextExercise

__all__ = ["HARD_CAP", "ReflectionExercise", "word_count"]


def word_count(text: str) -> int:
    """Words as a reader would count them: runs of non-space characters."""
    return len(text.split())


@register
class ReflectionExercise(TextExercise):
    """A text area under the model's prompts (Gibbs, Driscoll…), saved on every change."""

    kind = "reflection"
    label = "Your reflection"
    placeholder = "Write your reflection here. Keep it anonymous: no names, places or dates."
    height = "16em"
    empty = "(no reflection was written)"

    def above(self):
        prompts = "".join(
            f"<li><strong>{escape(p['heading'])}</strong> {escape(p['text'])}</li>"
            for p in self.spec["prompts"]
        )
        return [lean(W.HTML, value=f'<ul class="pl-prompts">{prompts}</ul>')]

    def notes_html(self, text: str, cut: bool) -> str:
        words = f'<p class="govuk-body-s pl-count">{word_count(text)} words (aim for at least {self.spec["min_words"]})</p>'
        found = identifying_details(text)
        privacy = ""
        if found:
            privacy = (
                f'<p class="{INSET} pl-privacy" role="status">Please check: your text seems to include '
                f"{escape(', '.join(found))}. Reflections about real practice must not identify anyone; "
                "change or remove such details before you submit.</p>"
            )
        return words + super().notes_html(text, cut) + privacy
