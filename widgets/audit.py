"""Language audit (formative): the learner writes a short case note and sees, as they write,
each phrase that may blame the victim or hide the perpetrator, why, and a better shape."""

from __future__ import annotations

from course_model.language import audit
from widgets.base import escape, register
from widgets.text import TextExercise


@register
class AuditExercise(TextExercise):
    kind = "audit"
    label = "Your case note"
    placeholder = "Write or paste an anonymised case note here."
    empty = "(no case note was written)"

    def notes_html(self, text: str, cut: bool) -> str:
        count = super().notes_html(text, cut)
        if not text.strip():
            return count
        flags = audit(text)
        if not flags:
            return (
                count
                + '<p role="status">No phrases flagged. Read it once more for who did what to whom.</p>'
            )
        items = "".join(
            f"<li><strong>“{escape(f.phrase)}”</strong>: {escape(f.why)} <em>Instead:</em> {escape(f.instead)}</li>"
            for f in flags
        )
        plural = "s" if len(flags) != 1 else ""
        return (
            f'{count}<p role="status">{len(flags)} phrase{plural} to look at again:</p>'
            f'<ul class="pl-flags">{items}</ul>'
        )
