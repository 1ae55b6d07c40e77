"""A module page: its content note and support, its answers store, and its exercises.

While nbgrader grades (``NBGRADER_EXECUTION`` is set) the page only reads answers and shows
each one as escaped, wrapping text (an HTML output, not a printed stream, so formgrader shows a
reflection as readable paragraphs), and nothing on disk changes.

The case study and the references are plain HTML outputs, not widgets: Voilà streams them
with the page, and the browser has no widget model to build for them before the exercises can
be used. What holds a link (the header and the foot, with the page navigation) stays an HTML
widget: JupyterLab's output renderer, which draws plain outputs, takes over clicks on relative
links, and they would go nowhere.
"""

from __future__ import annotations

import importlib
import json
import os
from pathlib import Path

import ipywidgets as W
from IPython.display import HTML, display

from course_model import content, progress
from course_model.answers import AnswersStore, read_answers
from course_model.workspace import CPD_PAGE, HOME_PAGE
from widgets import exchange, portable
from widgets.base import Exercise, escape, lean, widget_class
from widgets.case_study import case_study_html
from widgets.design import H_PAGE, H_SECTION, LIST, details_html, warning_html

# The modules of exercise widgets: each registers its classes (widgets.base.register) on import.
EXERCISE_WIDGETS = (
    "audit",
    "branching",
    "choice",
    "ecomap",
    "multiselect",
    "ordering",
    "reflection",
    "sorting",
)
for _name in EXERCISE_WIDGETS:
    importlib.import_module(f"widgets.{_name}")


def grading_now() -> bool:
    """True while nbgrader executes the notebook (autograde or validate)."""
    return bool(os.environ.get("NBGRADER_EXECUTION"))


def preheated() -> bool:
    """True in a kernel Voilà started ahead of any request (``--preheat_kernel``): its notebook
    runs before a learner opens the page. False under plain Voilà, nbclient, nbgrader, Jupyter."""
    return os.environ.get("VOILA_PREHEAT") == "True"


def wait_for_learner() -> None:
    """In a preheated kernel, block until a learner opens the page; return at once elsewhere.

    Call it as late as possible, to build as much of the page as possible before a learner asks
    for it (Voilà then sends everything built so far at once), and before reading anything a
    learner may have changed since the kernel started (answers, progress, CPD entries), so the
    page never shows stale state.
    Mirrors ``voila.utils.wait_for_request()`` (Voilà 0.5): importing ``voila`` costs a kernel
    1.6 s and 43 MB (jupyter_server, jsonschema), a plain websockets client 1 MB. The request's
    details (``QUERY_STRING``, ``SCRIPT_NAME``…) land in ``os.environ`` as Voilà does it.
    """
    if not preheated():
        return
    from websockets.sync.client import connect

    env = os.environ.get
    base = env("VOILA_WS_BASE_URL") or env("VOILA_SERVER_URL") or "/"
    url = (
        f"{env('VOILA_WS_PROTOCOL', 'ws')}://{env('VOILA_APP_IP', '127.0.0.1')}:"
        f"{env('VOILA_APP_PORT', '8866')}{base}voila/query/{env('VOILA_KERNEL_ID')}"
    )
    with connect(url, open_timeout=5, proxy=None) as ws:
        os.environ.update(json.loads(ws.recv()))
    # Voilà sends the request once: a second wait in this kernel would block for ever.
    os.environ["VOILA_PREHEAT"] = "False"


def support_html() -> str:
    """The signposting list from ``course/signposting.yaml``."""
    data = content.load_signposting()
    items = "".join(
        f"<li><strong>{escape(s['name'])}</strong> {escape(s['contact'])}"
        f"{' — ' + escape(s['note']) if s.get('note') else ''}</li>"
        for s in data["services"]
    )
    return f'<p>{escape(data["intro"])}</p><ul class="{LIST} pl-support">{items}</ul>'


def answer_html(title: str, answer: str) -> str:
    """An answer as the trainer reads it in formgrader and nbgrader's feedback: the item's title,
    then the learner's text escaped, in the page's font, its lines kept and wrapped to the width."""
    return (
        f"<p><strong>{escape(title)}</strong></p>"
        '<div style="white-space: pre-wrap; overflow-wrap: anywhere; font-family: inherit; '
        f'max-width: 45em; line-height: 1.5">{escape(answer)}</div>'
    )


def home_link() -> str:
    """The link back to the course home, the same on every page."""
    return (
        f'<a class="pl-nav-home" href="{portable.page_href("../" + HOME_PAGE)}">← Course home</a>'
    )


def nav_bar(links: list[str], where: str) -> str:
    """A row of page links (already HTML), the same look on every page; ``where``: top, bottom."""
    return (
        f'<nav class="pl-nav pl-nav-{where}" aria-label="Course pages ({where})">'
        f"{' · '.join(links)}</nav>"
    )


def content_note_html(note: str) -> str:
    """A content note (paragraphs split by blank lines) with the support services, open at the
    top of every kind of page, so what is ahead, the choices and support come before any of it."""
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in note.split("\n\n") if p.strip())
    return details_html(
        "Content note and support", paragraphs + support_html(), "pl-content-note", is_open=True
    )


def footer_html() -> str:
    """The foot of every page: where to find support, and the quick exit reminder."""
    return (
        '<footer class="pl-footer" aria-label="Support">'
        f'<h2 class="{H_SECTION}">If this brings things up for you</h2>'
        f"{support_html()}<p>Leave this site quickly at any time with the Quick exit button "
        "or by pressing Esc twice.</p></footer>"
    )


class CoursePage:
    """The page of one module in one assignment folder (the kernel's working folder)."""

    def __init__(self, module_id: str, page: str | None = None, folder: Path | None = None):
        self.module_id = module_id
        self.page_file = page
        self.meta = content.load_module(module_id)
        self.folder = Path(folder or Path.cwd())
        self.store: AnswersStore | None = None
        self.answers: dict = {}
        self.problem: str | None = None
        # Where a problem with the answers file shows: made only where one may show, as every
        # widget is a model the browser builds before the page can be used.
        self.notice: W.HTML | None = lean(W.HTML, "pl-answers-notice") if preheated() else None
        self._shown: list[Exercise] = []
        self.transfer = None  # the practice edition's Download and Load my answers (finish())
        # A preheated kernel runs the page before any learner asks for it: everything is built
        # then, and the answers are read (and shown) only in finish(), once the learner is here.
        if not preheated():
            self._read_answers()

    def _read_answers(self) -> None:
        if grading_now():
            self.answers, self.problem = read_answers(self.folder)
        else:
            self.store = AnswersStore(self.folder, self.module_id)
            self.answers, self.problem = self.store.answers, self.store.problem
        if self.problem and self.notice is not None:
            self.notice.value = self._problem_html()

    def _problem_html(self) -> str:
        return warning_html(self.problem)

    def _save(self, exercise_id: str, value) -> str:
        # Only a learner changes an answer, and the store is open by the time one is here.
        saved_at = self.store.save(exercise_id, value)
        if self.page_file:  # the answer is safe on disk before the course home hears of it
            progress.record_last_page(self.folder.parent, self.module_id, self.page_file)
        if self.transfer is not None:
            self.transfer.refresh()
        return saved_at

    def _show_loaded(self, loaded: dict[str, dict]) -> None:
        """Show answers just loaded from a file in this page's exercises (nothing is saved)."""
        mine = loaded.get(self.module_id, {})
        for ex in self._shown:
            if ex.spec["id"] in mine:
                ex.restore(mine[ex.spec["id"]])

    def header(self) -> None:
        """Show the module title, its content note with support, and any answers-file problem."""
        if grading_now():
            return
        # One h1 a page: a lesson has its own "# " title (practice-lab check holds every lesson
        # to it), so the module's title above it is a caption.
        lesson = any(
            p["file"] == self.page_file and p["kind"] == "lesson" for p in self.meta["pages"]
        )
        tag, size = ("p", "govuk-caption-l") if lesson else ("h1", H_PAGE)
        title = f'<{tag} class="pl-module-title {size}">{escape(self.meta["title"])}</{tag}>'
        display(
            lean(
                W.HTML,
                value=self.navigation("top") + title + content_note_html(self.meta["content_note"]),
            )
        )
        if self.notice is None and self.problem:
            self.notice = lean(W.HTML, "pl-answers-notice", value=self._problem_html())
        if self.notice is not None:
            display(self.notice)

    def _pages(self) -> list[dict]:
        """The module's pages a learner has (the folder may hold fewer than module.yaml lists)."""
        return [p for p in self.meta["pages"] if (self.folder / p["file"]).exists()]

    def navigation(self, where: str) -> str:
        """Links back to the course home and on to the next page (after the last page: the
        module's CPD record), the same on every page; ``where`` is "top" or "bottom"."""
        pages = self._pages()
        files = [p["file"] for p in pages]
        here = files.index(self.page_file) if self.page_file in files else None
        links = [home_link()]
        if here is not None:
            links.append(f"<span>Page {here + 1} of {len(pages)}</span>")
            if here + 1 < len(pages):
                nxt = pages[here + 1]
                target, label = nxt["file"], f"Next: {nxt['title']}"
            else:
                target, label = CPD_PAGE, "Next: your CPD record for this module"
            if (self.folder / target).exists():
                links.append(
                    f'<a class="pl-nav-next" href="{portable.page_href(target)}">{escape(label)} →</a>'
                )
        return nav_bar(links, where)

    def finish(self) -> None:
        """End the page: on an assessment, submitting and feedback; then the navigation and the
        support services, so every page ends the same way."""
        if grading_now():
            return
        if self.store is None:  # preheated: the learner has just arrived
            wait_for_learner()
            self._read_answers()
            for ex in self._shown:
                if ex.spec["id"] in self.answers:
                    ex.restore(self.answers[ex.spec["id"]])
        page = next((p for p in self.meta["pages"] if p["file"] == self.page_file), None)
        connected = exchange.current()
        if (
            connected
            and page
            and page["kind"] == "assessment"
            and self.folder.parent.joinpath("nbgrader_config.py").exists()
        ):
            from widgets.submission import SubmitPanel

            display(SubmitPanel(self.folder.parent, self.module_id, connected).widget())
        if portable.enabled():
            self.transfer = portable.AnswersTransfer(self.folder.parent, self._show_loaded)
            display(self.transfer.widget())
        display(lean(W.HTML, value=self.navigation("bottom") + footer_html()))

    def support(self) -> None:
        """Show the support services in the page's body (module 00 teaches where support is)."""
        if not grading_now():
            display(HTML(f'<div class="pl-support-list">{support_html()}</div>'))

    def case_study(self, case_id: str) -> None:
        """Show one of the module's composite case studies."""
        if not grading_now():
            display(HTML(case_study_html(content.load_case_study(case_id))))

    def figure(self, kind: str, case_id: str) -> None:
        """Draw a figure from a case study's data: ``timeline`` (agencies as lanes), ``web`` (the web
        of control), ``risk`` (assessed risk over time) or ``network`` (support before and after),
        shown from the figure cache: matplotlib is imported only if the figure is not there yet."""
        if grading_now():
            return
        from widgets import figures

        display(figures.described_case_figure(kind, content.load_case_study(case_id)))

    def references(self) -> None:
        """Show where the law differs in Scotland (the module's note, for learners there), then
        the module's references, the sources every fact on its pages comes from, each linked
        where it has an address."""
        if grading_now():
            return
        items = "".join(f"<li>{_reference_html(r)}</li>" for r in self.meta["references"])
        scotland = self.meta.get("scotland_note")
        display(
            HTML(
                (
                    details_html("If you work in Scotland", f"<p>{escape(scotland)}</p>")
                    if scotland
                    else ""
                )
                + f'<h2 class="{H_SECTION}">References</h2>'
                f'<ol class="govuk-list govuk-list--number pl-references">{items}</ol>'
            )
        )

    def build(self, exercise_id: str) -> Exercise:
        """The exercise built from its spec and saved answer, wired to this page's store."""
        spec = content.exercise_spec(self.module_id, exercise_id)
        save = None if grading_now() else self._save
        cls = widget_class(spec["type"], f"{self.module_id}/exercises.yaml: {exercise_id}")
        return cls(spec, self.answers.get(exercise_id), save)

    def exercise(self, exercise_id: str) -> None:
        """Show one exercise (or, while grading, the saved answer as wrapped text)."""
        ex = self.build(exercise_id)
        if grading_now():
            display(HTML(answer_html(ex.spec["title"], ex.summary(self.answers.get(exercise_id)))))
        else:
            display(ex.widget())
            self._shown.append(ex)


def _reference_html(reference: dict) -> str:
    """A reference's citation, and its address as a link when the module gives one."""
    citation = escape(reference["citation"])
    url = reference.get("url")
    if not url or url in reference["citation"]:
        return citation
    return f'{citation} <a class="govuk-link" href="{escape(url)}">{escape(url)}</a>'
