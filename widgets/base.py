"""What every exercise widget shares: its spec, its saved answer, saving on change, a status line.

Widgets save only when a person changes something, never when displayed: nbgrader re-executes
the notebook to grade it, and a widget that wrote on display would overwrite the submission.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import datetime
from typing import Any

import ipywidgets as W


def escape(text: object) -> str:
    """HTML-escape anything before it is placed in an HTML widget."""
    return html.escape(str(text), quote=True)


class Exercise:
    """One exercise built from its spec.

    Subclasses build ``self.controls`` (the parts a learner uses), implement ``value`` (the
    answer as plain JSON data) and ``summary`` (the answer as plain text, for graders), and call
    ``self._changed`` from their observers.
    """

    kind = ""

    def __init__(self, spec: dict, saved: Any, save: Callable[[str, Any], str] | None):
        self.spec = spec
        self._save = save
        self.status = W.HTML(layout=W.Layout(min_height="1.5em"))
        self.status.add_class("pl-status")
        self.controls = self.build(saved)

    def build(self, saved: Any) -> W.Widget:
        """Return the learner's controls, showing ``saved`` (None when nothing was saved)."""
        raise NotImplementedError

    @property
    def value(self) -> Any:
        """The current answer as JSON-serialisable data."""
        raise NotImplementedError

    def summary(self, value: Any) -> str:
        """The answer ``value`` as plain text for the trainer's view of an autograded notebook."""
        raise NotImplementedError

    def _changed(self, _change=None) -> None:
        if self._save is None:
            return
        stamp = self._save(self.spec["id"], self.value)
        local = datetime.fromisoformat(stamp).astimezone().strftime("%H:%M:%S")
        self.status.value = f'<span role="status" aria-live="polite">Saved at {local}</span>'

    def widget(self) -> W.Widget:
        """The whole exercise: title, prompt, the learner's controls and the save status."""
        head = W.HTML(
            f'<h3 class="pl-ex-title">{escape(self.spec["title"])}</h3>'
            f'<p class="pl-ex-prompt">{escape(self.spec["prompt"])}</p>'
        )
        points = self.spec.get("points")
        note = "Marked by your trainer" + (f" · {points:g} points" if points else "")
        box = W.VBox(
            [head, W.HTML(f'<p class="pl-ex-mode">{note}</p>'), self.controls, self.status]
        )
        box.add_class("pl-exercise")
        box.add_class(f"pl-{self.kind}")
        return box
