"""The course home: every module with its minutes, outcomes, status and links to its pages.

Status is read from the learner's own folder: "Not started" (no answers yet), "In progress"
(answers saved), "Submitted" (a submission is in the course exchange). Everything shown is escaped.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import ipywidgets as W
from IPython.display import display

from grading.course_dir import read_config
from practice_lab import content
from widgets.answers import FILE_NAME
from widgets.base import escape


def module_status(learner_folder: Path, module_id: str) -> str:
    """Where this learner is with a module, from their folder and the course exchange."""
    if (learner_folder / "nbgrader_config.py").exists():
        config = read_config(learner_folder)
        inbound = Path(config.Exchange.root) / config.CourseDirectory.course_id / "inbound"
        if any(inbound.glob(f"{config.CourseDirectory.student_id}+{module_id}+*")):
            return "Submitted"
    if (learner_folder / module_id / FILE_NAME).exists():
        return "In progress"
    return "Not started"


def home_html(learner_folder: Path) -> str:
    """The course home as HTML: one card per module, in course order."""
    total = 0
    cards = []
    for module_id in content.module_ids():
        meta = content.load_module(module_id)
        total += meta["minutes"]
        status = module_status(learner_folder, module_id)
        links = "".join(
            f'<li><a href="{quote(module_id)}/{quote(page["file"])}">{escape(page["title"])}</a></li>'
            for page in meta["pages"]
            if (learner_folder / module_id / page["file"]).exists()
        )
        outcomes = "".join(f"<li>{escape(o['text'])}</li>" for o in meta["learning_outcomes"])
        cards.append(
            f'<section class="pl-card" aria-label="{escape(meta["title"])}">'
            f"<h2>{escape(module_id[:2])}. {escape(meta['title'])}</h2>"
            f'<p><strong>{meta["minutes"]} minutes</strong> · <span class="pl-state">Status: {escape(status)}</span></p>'
            f"<details><summary>What you will be able to do</summary><ul>{outcomes}</ul></details>"
            f'<ul class="pl-pages">{links}</ul></section>'
        )
    head = (
        '<h1 class="pl-module-title">Coercive Control Practice Lab</h1>'
        f"<p>Eight modules, {total} minutes of CPD in all. Start with module 00. Your answers are saved as "
        'you go, on this machine. The <a href="gallery/gallery.ipynb">gallery</a> shows every kind of exercise.</p>'
    )
    return head + "".join(cards)


def course_home(folder: Path | None = None) -> None:
    """Show the course home for the learner folder this page sits in."""
    display(W.HTML(home_html(Path(folder or Path.cwd()))))
