"""The course home: the course's title and content note, the learner's name, how far they have
got (modules done, minutes of CPD, a link back to the page they last worked on), then every
module with its minutes, outcomes, status and links to its pages.

Status is read from the learner's own folder: "Not started" (no answers yet), "In progress"
(answers saved), "Submitted" (nbgrader holds a submission) and "Feedback ready" (the trainer has
released feedback on it). Everything shown is escaped.
"""

from __future__ import annotations

from pathlib import Path

import ipywidgets as W
from IPython.display import HTML, display

from course_model import content, learner, progress
from course_model.answers import FILE_NAME
from course_model.workspace import CPD_PAGE
from widgets import exchange, portable
from widgets.base import LIVE, button, escape, lean
from widgets.cpd import mapping_html
from widgets.design import H_SECTION, warning_html
from widgets.page import content_note_html, footer_html, wait_for_learner


def module_status(learner_folder: Path, module_id: str) -> str:
    """Where this learner is with a module, from their folder and the course exchange."""
    connected = exchange.current()
    if connected and connected.submissions(learner_folder, module_id):
        if connected.feedback_ready(learner_folder, module_id):
            return "Feedback ready"
        return "Submitted"
    if (learner_folder / module_id / FILE_NAME).exists():
        return "In progress"
    return "Not started"


NUMBERS = "One Two Three Four Five Six Seven Eight Nine Ten Eleven Twelve".split()


def count_in_words(n: int) -> str:
    """A count as a sentence starts it: "Eight" (figures past twelve)."""
    return NUMBERS[n - 1] if 0 < n <= len(NUMBERS) else str(n)


SUBMITTED = ("Submitted", "Feedback ready")
TITLE = "Coercive Control Practice Lab"


def head_html() -> str:
    """The top of the course home: the course's title, then its content note with the learner's
    choices and support, before anything else (the learner's name comes after)."""
    return f'<h1 class="pl-module-title govuk-heading-xl">{TITLE}</h1>' + content_note_html(
        content.load_course()["content_note"]
    )


def progress_html(learner_folder: Path, done: list[str], modules: int) -> str:
    """One line on how far the learner has got (modules done, see :mod:`course_model.progress`,
    and the minutes of CPD they add up to), and a link back to the page last worked on."""
    count, minutes = progress.cpd_so_far(done)
    line = (
        f'<p class="pl-progress">So far: {count} of {modules} modules done, '
        f"{minutes} minutes of CPD.</p>"
    )
    last = progress.last_page(learner_folder)
    if last is None:
        return line
    module_id, page_file = last
    title = content.load_module(module_id)["title"]
    return line + (
        f'<p class="pl-continue"><a href="{portable.page_href(f"{module_id}/{page_file}")}">Continue where '
        f"you left off: {escape(title)}, {escape(progress.page_title(module_id, page_file))} →"
        "</a></p>"
    )


def home_html(learner_folder: Path) -> str:
    """The course home below the learner's name as HTML: how far they have got, then one card
    per module, in course order."""
    total = 0
    cards = []
    done = []
    for module_id in content.module_ids():
        meta = content.load_module(module_id)
        total += meta["minutes"]
        status = module_status(learner_folder, module_id)
        if status in SUBMITTED or progress.all_answered(learner_folder, module_id):
            done.append(module_id)
        links = "".join(
            f'<li><a href="{portable.page_href(module_id + "/" + page["file"])}">{escape(page["title"])}</a></li>'
            for page in [*meta["pages"], {"file": CPD_PAGE, "title": "My CPD record"}]
            if (learner_folder / module_id / page["file"]).exists()
        )
        outcomes = "".join(f"<li>{escape(o['text'])}</li>" for o in meta["learning_outcomes"])
        cards.append(
            f'<section class="pl-card" aria-label="{escape(meta["title"])}">'
            f"<h2 class='{H_SECTION}'>{escape(module_id[:2])}. {escape(meta['title'])}</h2>"
            f'<p><strong>{meta["minutes"]} minutes</strong> · <span class="pl-state">Status: {escape(status)}</span></p>'
            f"<details><summary>What you will be able to do</summary><ul>{outcomes}</ul>"
            f"{mapping_html(module_id)}</details>"
            f'<ul class="govuk-list pl-pages">{links}</ul></section>'
        )
    gallery = (
        f' The <a href="{portable.page_href("gallery/gallery.ipynb")}">gallery</a> shows every kind of exercise.'
        if (learner_folder / "gallery").is_dir()
        else ""
    )
    where = "in this browser" if portable.enabled() else "on this machine"
    intro = (
        f"<p>{count_in_words(len(cards))} modules, {total} minutes of CPD in all. Start with module 00. Your answers are saved as "
        f"you go, {where}.{gallery}</p>"
    )
    return progress_html(learner_folder, done, len(cards)) + intro + "".join(cards)


class IdentityForm:
    """The learner's name for their CPD records: asked once, kept in their folder, changeable."""

    def __init__(self, learner_folder: Path):
        self.folder = Path(learner_folder)
        self.problem = ""
        try:
            me = learner.identity(self.folder)
        except learner.IdentityError as exc:
            me, self.problem = {"id": "", "name": ""}, str(exc)
        self.name = W.Text(
            value=me["name"],
            description="Your name for your CPD records",
            placeholder="e.g. Sam Patel, social worker",
            style={"description_width": "initial"},
            layout=W.Layout(width="32em"),
        )
        self.save = button("Save my name")
        self.status = lean(W.HTML, LIVE, value=self._said(me["name"]))
        self.save.on_click(lambda _b: self._save())

    def _said(self, name: str) -> str:
        if self.problem:
            return warning_html(self.problem)
        if not name:
            return (
                "<p>Add your name once; it goes on your CPD records and stays on this machine.</p>"
            )
        return f"<p>Your CPD records will be in the name of {escape(name)}.</p>"

    def _save(self) -> None:
        try:
            self.name.value = learner.set_name(self.folder, self.name.value)
        except learner.IdentityError as exc:
            self.problem = str(exc)
        self.status.value = self._said(self.name.value)

    def widget(self) -> W.Widget:
        """The form, ready to display."""
        box = W.VBox([W.HBox([self.name, self.save]), self.status])
        box.add_class("pl-identity")
        return box


def course_home(folder: Path | None = None) -> None:
    """Show the course home for the learner folder this page sits in."""
    folder = Path(folder or Path.cwd())
    display(HTML(head_html()))  # the same for every learner: shown before one arrives
    wait_for_learner()  # a preheated page reads progress only once the learner opens it
    display(IdentityForm(folder).widget(), W.HTML(home_html(folder) + footer_html()))
