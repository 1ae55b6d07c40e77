"""Answers kept in the learner's browser (the practice edition, ``make lite``): a plain-words note
on where they live, **Download my answers** (one JSON file) and **Load my answers**, so a learner
can keep them or carry on on another computer.

The pages there save answers as the served course does, into files that Pyodide keeps in the
browser's own storage for the site; this panel moves them in and out of it. A loaded file is
checked whole (size, kind, version) before anything is saved, so a wrong file changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import ipywidgets as W

from course_model import answers, content
from widgets.base import BUTTON_CLASSES, escape, lean
from widgets.design import H_SECTION, INSET, data_link, warning_html

FILE_NAME = "practice-lab-answers.json"
NOTE = (
    "Your answers are kept in this web browser, on this computer, for this site only. Nothing "
    "is sent anywhere. Clearing this browser's history or site data for this site deletes them, "
    "and so can a shared or locked-down computer when you sign out. To keep your answers, or to "
    "carry on on another computer, use Download my answers, then Load my answers there."
)

_enabled = False


def enable() -> None:
    """Show the panel on every lesson page in this process (the practice edition does)."""
    global _enabled
    _enabled = True


def enabled() -> bool:
    return _enabled


def page_href(path: str) -> str:
    """The address of a course page (a notebook's path relative to the linking page): the
    notebook itself where Voilà serves it; in the practice edition, where Voici has rendered each
    notebook to a web page beside it, that page."""
    href = quote(path)
    if _enabled and href.endswith(".ipynb"):
        return href.removesuffix(".ipynb") + ".html"
    return href


class AnswersTransfer:
    """The panel for the learner's folder (each module's answers in a folder of its own);
    ``on_loaded`` receives the answers loaded, by module, to show them on the page."""

    def __init__(self, learner_folder: Path, on_loaded: Callable[[dict[str, dict]], None]):
        self.folder = Path(learner_folder)
        self.on_loaded = on_loaded
        self.link = lean(W.HTML, "pl-download-answers")
        self.upload = W.FileUpload(accept=".json,application/json", multiple=False)
        self.upload.description = "Load my answers"
        for css_class in (*BUTTON_CLASSES["secondary"], "pl-load-answers"):
            self.upload.add_class(css_class)
        self.message = lean(W.HTML, "pl-load-message")
        self.upload.observe(self._load, "value")
        self.refresh()

    def refresh(self) -> None:
        """Put every saved answer into the download link (after each save, and on opening)."""
        data = answers.bundle(self.folder, content.module_ids())
        self.link.value = data_link(FILE_NAME, data, "application/json", "Download my answers")

    def _load(self, change) -> None:
        if not change["new"]:
            return
        upload = change["new"][0]
        name = str(upload.get("name") or "the file")
        if upload.get("size", 0) > answers.MAX_BUNDLE_BYTES:
            modules, problem = {}, f"{name} is too large to be an answers file"
        else:
            modules, problem = answers.read_bundle(
                bytes(upload["content"]), name, content.module_ids()
            )
        self.upload.value = ()
        if problem:
            self.message.value = warning_html(
                f"{problem}. Nothing you had saved has changed. Choose the file you saved with "
                f"Download my answers (its name starts {FILE_NAME.removesuffix('.json')})."
            )
            return
        loaded = {m: a for m, a in modules.items() if (self.folder / m).is_dir()}
        for module_id, given in loaded.items():
            answers.merge_in(self.folder / module_id, module_id, given)
        self.refresh()
        self.on_loaded(loaded)
        count = sum(len(a) for a in loaded.values())
        self.message.value = (
            f'<p role="status">Loaded {count} answers for {len(loaded)} modules from '
            f"{escape(name)}. They are saved in this browser now.</p>"
        )

    def widget(self) -> W.Widget:
        head = lean(
            W.HTML,
            value=f'<h2 class="{H_SECTION}">Your answers in this browser</h2>'
            f'<div class="{INSET} pl-where-answers-live"><p>{escape(NOTE)}</p></div>',
        )
        return lean(
            W.VBox, "pl-answers-transfer", children=[head, self.link, self.upload, self.message]
        )
