"""A module page: its content note and support, its answers store, and its exercises.

While nbgrader grades (``NBGRADER_EXECUTION`` is set) the page only reads answers and prints
each one as plain text, so the trainer sees it in formgrader and nothing on disk changes.
"""

from __future__ import annotations

import os
from pathlib import Path

import ipywidgets as W
from IPython.display import display

from practice_lab import content
from widgets.answers import AnswersStore, read_answers
from widgets.audit import AuditExercise
from widgets.base import Exercise, escape
from widgets.branching import BranchingExercise
from widgets.case_study import case_study_html
from widgets.choice import RatingExercise, SingleChoiceExercise
from widgets.multiselect import MultiSelectExercise
from widgets.ordering import OrderExercise
from widgets.reflection import ReflectionExercise
from widgets.sorting import SortExercise, SpotExercise

EXERCISE_TYPES: dict[str, type[Exercise]] = {
    cls.kind: cls
    for cls in (
        SingleChoiceExercise,
        MultiSelectExercise,
        SortExercise,
        OrderExercise,
        RatingExercise,
        SpotExercise,
        BranchingExercise,
        AuditExercise,
        ReflectionExercise,
    )
}


def grading_now() -> bool:
    """True while nbgrader executes the notebook (autograde or validate)."""
    return bool(os.environ.get("NBGRADER_EXECUTION"))


def support_html() -> str:
    """The signposting list from ``course/signposting.yaml``."""
    data = content.load_signposting()
    items = "".join(
        f"<li><strong>{escape(s['name'])}</strong> {escape(s['contact'])}"
        f"{' — ' + escape(s['note']) if s.get('note') else ''}</li>"
        for s in data["services"]
    )
    return f'<p>{escape(data["intro"])}</p><ul class="pl-support">{items}</ul>'


class CoursePage:
    """The page of one module in one assignment folder (the kernel's working folder)."""

    def __init__(self, module_id: str, folder: Path | None = None):
        self.module_id = module_id
        self.meta = content.load_module(module_id)
        folder = Path(folder or Path.cwd())
        if grading_now():
            self.store = None
            self.answers, self.problem = read_answers(folder)
        else:
            self.store = AnswersStore(folder, module_id)
            self.answers, self.problem = self.store.answers, self.store.problem

    def header(self) -> None:
        """Show the module title, its content note with support, and any answers-file problem."""
        if grading_now():
            return
        note = "".join(
            f"<p>{escape(p)}</p>" for p in self.meta["content_note"].split("\n\n") if p.strip()
        )
        parts = [
            f'<h1 class="pl-module-title">{escape(self.meta["title"])}</h1>',
            '<details class="pl-content-note" open><summary>Content note and support</summary>'
            f"{note}{support_html()}</details>",
        ]
        if self.problem:
            parts.append(f'<p class="pl-problem" role="alert">{escape(self.problem)}</p>')
        display(W.HTML("".join(parts)))

    def case_study(self, case_id: str) -> None:
        """Show one of the module's composite case studies."""
        if not grading_now():
            display(W.HTML(case_study_html(content.load_case_study(case_id))))

    def figure(self, kind: str, case_id: str) -> None:
        """Draw a figure from a case study's data: ``timeline`` (agencies as lanes), ``web`` (the web
        of control), ``risk`` (assessed risk over time) or ``network`` (support before and after).
        matplotlib is imported here, only on pages that draw one."""
        if grading_now():
            return
        from widgets import figures

        case = content.load_case_study(case_id)
        draw, caption = {
            "timeline": (figures.timeline, "every event, one lane per agency"),
            "web": (figures.web_of_control, "the web of control"),
            "risk": (figures.risk_over_time, "the risk picture over time"),
            "network": (figures.support_network, "support before and after"),
        }[kind]
        display(draw(case, f"{case['title']}: {caption}"))

    def references(self) -> None:
        """Show the module's references, the sources every fact on its pages comes from."""
        if grading_now():
            return
        items = "".join(f"<li>{escape(r['citation'])}</li>" for r in self.meta["references"])
        display(W.HTML(f'<h2>References</h2><ol class="pl-references">{items}</ol>'))

    def build(self, exercise_id: str) -> Exercise:
        """The exercise built from its spec and saved answer, wired to this page's store."""
        spec = content.exercise_spec(self.module_id, exercise_id)
        save = self.store.save if self.store else None
        return EXERCISE_TYPES[spec["type"]](spec, self.answers.get(exercise_id), save)

    def exercise(self, exercise_id: str) -> None:
        """Show one exercise (or, while grading, print the saved answer as text)."""
        ex = self.build(exercise_id)
        if grading_now():
            print(f"{ex.spec['title']}\n{ex.summary(self.answers.get(exercise_id))}")
        else:
            display(ex.widget())
