"""What every exercise widget shares: its spec, its saved answer, saving on change, a status
line, and in practice mode a "Check my answer" button with feedback per option.

Widgets save only when a person changes something, never when displayed: nbgrader re-executes
the notebook to grade it, and a widget that wrote on display would overwrite the submission.
Feedback never relies on colour alone: every verdict is spelled out in words and a symbol.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import datetime
from typing import Any

import ipywidgets as W

from course_model import exercise_types

_SHARED: dict[type, W.Widget] = {}


def _shared(model_class: type) -> W.Widget:
    """The one instance of a layout or style model that lean controls of a page share."""
    model = _SHARED.get(model_class)
    if model is None or model.comm is None:  # None, or closed with its kernel's widgets
        model = _SHARED[model_class] = model_class()
    return model


LIVE = "pl-live"
"""The class of a widget whose text changes to tell the learner something (feedback, "Saved at"):
the template's live-regions.js makes its element a polite status region as soon as it appears,
before any text is put in it, so screen readers announce each change. Its text holds no role of
its own (a region inside a region is announced twice)."""


def lean(cls: type[W.DOMWidget], *css_classes: str, **traits: Any) -> W.DOMWidget:
    """An ipywidgets control that shares its layout and style models with every other lean one.

    Each control otherwise brings two models of its own, and the browser builds every model of
    a page before it shows any control, so a page's first exercise waits for all of them (issue
    7: sharing, with the case study and references as plain HTML output, took the heaviest
    page from 238 models to 64). Sizes and spacing therefore live in the template's CSS, by class: never change a lean
    control's ``layout`` or ``style``, which would change every lean control on the page.
    """
    traits.setdefault("layout", _shared(W.Layout))
    style = cls.class_traits().get("style")
    if style is not None:
        traits.setdefault("style", _shared(style.klass))
    if css_classes:  # set at creation: add_class afterwards sends the browser an update each
        traits["_dom_classes"] = css_classes
    return cls(**traits)


BUTTON_CLASSES = {
    "primary": ("govuk-button",),
    "secondary": ("govuk-button", "govuk-button--secondary"),
    "warning": ("govuk-button", "govuk-button--warning"),
}


def button(description: str, *css_classes: str, kind: str = "secondary", **traits: Any) -> W.Button:
    """A button in the course's design system (GOV.UK Frontend's ``govuk-button``, bundled by the
    Voilà template): ``primary`` for the one action a page is for, ``warning`` for one that
    cannot be undone, ``secondary`` for the rest. Every button of the course is made here, so
    its look is decided in one place; ipywidgets' ``button_style`` colours are not used.
    A button that is shown and hidden needs a ``layout`` of its own (see :func:`lean`)."""
    classes = (*BUTTON_CLASSES[kind], *css_classes)
    return lean(W.Button, *classes, description=description, **traits)


RIGHT, WRONG, NOTE = True, False, None
_VERDICT = {
    RIGHT: ("pl-right", "✓ Right:"),
    WRONG: ("pl-wrong", "✗ Not quite:"),
    NOTE: ("pl-note", "•"),
}


def escape(text: object) -> str:
    """HTML-escape anything before it is placed in an HTML widget."""
    return html.escape(str(text), quote=True)


def verdicts_html(items: list[tuple[bool | None, str]]) -> str:
    """Feedback lines as a list, each verdict spelled out in words and a symbol (never colour
    alone): the practice feedback, and released explanations in the trainer's feedback."""
    if not items:
        return ""
    lines = "".join(
        f'<li class="{_VERDICT[v][0]}"><strong>{_VERDICT[v][1]}</strong> {escape(text)}</li>'
        for v, text in items
    )
    return f"<ul>{lines}</ul>"


class Exercise:
    """One exercise built from its spec.

    Subclasses build the learner's controls in ``build``, give the answer as plain JSON data in
    ``value``, the answer as plain text for graders in ``summary``, and the practice feedback
    lines in ``feedback_items``; their observers call ``self._changed``.
    """

    kind = ""
    help = ""  # how to answer and how it is scored, shown to the learner above the controls

    def __init__(self, spec: dict, saved: Any, save: Callable[[str, Any], str] | None):
        self.spec = spec
        self.practice = spec["mode"] == "practice"
        self._save = save
        self.status = lean(W.HTML, "pl-status", LIVE)
        self.feedback = lean(W.HTML, "pl-feedback", LIVE)
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

    def feedback_items(self, value: Any) -> list[tuple[bool | None, str]]:
        """Practice feedback as (verdict, sentence) pairs; verdict RIGHT, WRONG or NOTE."""
        return []

    def _changed(self, _change=None) -> None:
        if self._save is None:
            return
        stamp = self._save(self.spec["id"], self.value)
        local = datetime.fromisoformat(stamp).astimezone().strftime("%H:%M:%S")
        self.status.value = f"<span>Saved at {local}</span>"

    def score(self) -> float | None:
        """Points for the current answer by the shared scoring function (None if not scored)."""
        scorer = exercise_types.get(self.kind).score
        if scorer is None or not self.practice:
            return None
        return scorer(self.value, self.spec.get("key"), self.spec.get("points", 1), self.spec)

    def check(self, _button=None) -> None:
        """Show instant feedback (practice items only): the score and why each part is right or not."""
        if not self.practice:
            return
        parts = []
        points = self.score()
        if points is not None and self.spec.get("key") is not None:
            parts.append(
                f"<p><strong>You scored {points:g} of {self.spec.get('points', 1):g}.</strong></p>"
            )
        items = verdicts_html(self.feedback_items(self.value))
        if items:
            parts.append(items)
        self.feedback.value = f"<div>{''.join(parts)}</div>"

    def footer(self) -> list[W.Widget]:
        """What sits under the controls: a check button in practice mode, feedback, save status."""
        if not self.practice or exercise_types.get(self.kind).score is None:
            return [self.feedback, self.status]
        check = button("Check my answer", tooltip="Show feedback on your answer")
        check.on_click(self.check)
        return [check, self.feedback, self.status]

    def widget(self) -> W.Widget:
        """The whole exercise: title, prompt, the learner's controls, feedback and save status."""
        points = self.spec.get("points")
        if self.practice:
            note = "Practice: instant feedback, not marked"
        else:
            note = "Marked by your trainer" + (f" · {points:g} points" if points else "")
        help_html = f'<p class="pl-help govuk-body-s">{escape(self.help)}</p>' if self.help else ""
        head = lean(
            W.HTML,
            value=f'<h3 class="pl-ex-title govuk-heading-m">{escape(self.spec["title"])}</h3>'
            f'<p class="pl-ex-prompt">{escape(self.spec["prompt"])}</p>'
            f'<p class="pl-ex-mode govuk-body-s">{note}</p>{help_html}',
        )
        self._box = lean(
            W.VBox,
            "pl-exercise",
            f"pl-{self.kind}",
            children=[head, self.controls, *self.footer()],
        )
        return self._box

    def restore(self, saved: Any) -> None:
        """Show ``saved`` in the exercise already on the page, which was built before the answers
        could be read (a preheated page): its controls are built anew and nothing is saved."""
        old, self.controls = self.controls, self.build(saved)
        self._box.children = [self.controls if c is old else c for c in self._box.children]
        close_all(old)


WIDGETS: dict[str, type[Exercise]] = {}
"""Exercise type -> the widget class learners answer it with (filled by :func:`register`)."""


def register(cls: type[Exercise]) -> type[Exercise]:
    """Class decorator: this widget answers exercises of type ``cls.kind``."""
    WIDGETS[cls.kind] = cls
    return cls


def widget_class(kind: str, where: str = "") -> type[Exercise]:
    """The widget class for a type; an error naming the type (and where it is used) if the type
    is unknown or no widget answers it."""
    exercise_types.get(kind, where)
    try:
        return WIDGETS[kind]
    except KeyError:
        at = f"{where}: " if where else ""
        raise LookupError(
            f"{at}no widget answers exercise type {kind!r}: add an Exercise subclass with "
            "@register to widgets/"
        ) from None


def close_all(widget: W.Widget) -> None:
    """Close a widget and everything inside it (not its layout and style, which lean widgets
    share), so replaced controls do not pile up in the kernel and the browser."""
    for child in getattr(widget, "children", ()):
        close_all(child)
    widget.close()
