"""The CPD record page of a module: a form shaped like Social Work England's CPD record, saved as
the learner types, exported as Markdown and PDF on this machine.

The page sits in the module's folder (``cpd-record.ipynb``) and takes the module from the folder
name. Drafts and exports are kept in the learner's ``cpd-records`` folder, which is never submitted.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import ipywidgets as W
from IPython.display import display

from course_model import content, cpd, learner, progress
from course_model.text import MAX_TEXT as MAX_CHARS
from course_model.workspace import CPD_PAGE
from widgets.base import LIVE, button, escape, lean
from widgets.design import H_PAGE, H_SECTION, data_link, warning_html
from widgets.page import content_note_html, footer_html, home_link, nav_bar, wait_for_learner


def download_link(path: Path, mime: str, label: str) -> str:
    """A link that saves ``path`` through the browser (a data: URL; nothing goes to a server)."""
    return data_link(path.name, path.read_bytes(), mime, label)


class CpdForm:
    """The form for one module's CPD record, saving the draft on every change."""

    def __init__(self, learner_folder: Path, module_id: str):
        self.learner_folder = Path(learner_folder)
        self.record, problem = cpd.load_draft(self.learner_folder, module_id)
        self.problem = problem
        r = self.record
        self.fields: dict[str, W.Widget] = {
            "regulator": W.Dropdown(
                description="Registered with", options=list(cpd.REGULATORS), value=r["regulator"]
            ),
            "date": W.DatePicker(description="Date", value=_parse_date(r["date"])),
            "activity_type": W.Dropdown(
                description="Type of activity", options=cpd.ACTIVITY_TYPES, value=r["activity_type"]
            ),
            "minutes": W.BoundedIntText(
                description="Minutes", value=r["minutes"], min=0, max=6000, step=5
            ),
            "peer_date": W.Text(
                description="When",
                value=r["peer_date"],
                placeholder="e.g. team session, March",
            ),
            "include_module_reflections": W.Checkbox(
                description="Include the reflections I wrote in this module",
                value=r["include_module_reflections"],
                indent=False,
                layout=W.Layout(width="auto"),
            ),
        }
        for name, label in cpd.TEXT_FIELDS.items():
            self.fields[name] = W.Textarea(description=label, value=r[name])
        for name, control in self.fields.items():
            control.style.description_width = "initial"
            control.observe(lambda change, n=name: self._changed(n, change["new"]), "value")
        self.standard, self.peer_intro, self.note = W.HTML(), W.HTML(), W.HTML()
        self._show_regulator()
        self.fields["regulator"].observe(lambda _c: self._show_regulator(), "value")
        self.status = lean(W.HTML, LIVE)
        self.status.add_class("pl-status")
        self.export_button = button("Save my record as Markdown and PDF", kind="primary")
        self.export_button.on_click(lambda _b: self._export())
        self.links = lean(W.HTML, LIVE)

    def _changed(self, name: str, value) -> None:
        if isinstance(value, date):
            value = value.isoformat()
        elif value is None:
            value = ""
        if isinstance(value, str) and len(value) > MAX_CHARS:
            value = value[:MAX_CHARS]
            self.fields[name].value = value
        self.record[name] = value
        cpd.save_draft(self.learner_folder, self.record)
        progress.record_last_page(self.learner_folder, self.record["module"], CPD_PAGE)
        self.status.value = "<span>Draft saved on this machine. Only you can see it.</span>"

    def _show_regulator(self) -> None:
        """The standard, the peer-reflection note and the source in the chosen regulator's words."""
        chosen = cpd.regulator(self.record)
        self.standard.value = f"<p>Professional standard: {escape(chosen.standard)}</p>"
        self.peer_intro.value = f'<h2 class="{H_SECTION}">Peer reflection</h2>' + (
            "<p>Social Work England asks that at least one of your CPD records each year "
            "includes a peer reflection. A peer supports your thinking; they do not approve "
            "your learning.</p>"
            if chosen.asks_for_peer_reflection
            else "<p>Social Care Wales does not ask for a peer reflection. If you talked this "
            "module through with a colleague, you can record it here; if you leave it empty, "
            "your record leaves it out.</p>"
        )
        self.note.value = f'<p class="pl-note">{escape(chosen.note)}</p>'

    def _export(self) -> None:
        from widgets import portable

        name = learner.identity(self.learner_folder)["name"]
        in_browser = portable.enabled()  # the practice edition: nothing there typesets a PDF
        markdown, page, pdf = cpd.export(self.learner_folder, self.record, name, not in_browser)
        where = "in this browser" if in_browser else f"on this machine in {escape(markdown.parent)}"
        links = [
            download_link(markdown, "text/markdown", "Download the Markdown file"),
            *([download_link(pdf, "application/pdf", "Download the PDF")] if pdf else []),
            download_link(page, "text/html", "Download it as a web page"),
        ]
        print_note = (
            "<p>For a PDF, open the web page you downloaded and print it, choosing "
            "<strong>Save as PDF</strong> (or Microsoft Print to PDF) as the printer.</p>"
            if pdf is None
            else ""
        )
        self.links.value = (
            f"<p>Saved {where}. Download a copy to keep with your CPD evidence:</p>"
            f"<ul>{''.join(f'<li>{link}</li>' for link in links)}</ul>{print_note}"
        )

    def widget(self) -> W.Widget:
        """The form, ready to display."""
        f = self.fields
        parts = [
            W.HTML(f'<h2 class="{H_SECTION}">The activity</h2>'),
            f["regulator"],
            f["date"],
            f["activity_type"],
            f["minutes"],
            self.standard,
            W.HTML(mapping_html(self.record["module"])),
            W.HTML(f'<h2 class="{H_SECTION}">What I did and learned</h2>'),
            f["learned"],
            f["practice_change"],
            self.peer_intro,
            f["peer_who"],
            f["peer_date"],
            f["peer_discussion"],
            W.HTML(f'<h2 class="{H_SECTION}">My reflection</h2>'),
            f["reflection"],
            f["include_module_reflections"],
            self.status,
            self.export_button,
            self.links,
            self.note,
        ]
        box = W.VBox(parts)
        box.add_class("pl-cpd-form")
        return box


def mapping_html(module_id: str) -> str:
    """What the module's learning outcomes map to (PCF, the Knowledge and Skills Statements they
    reach, Social Work England's standards), as a list a reader can check the record against."""
    items = "".join(
        f"<li><strong>{escape(name)}:</strong> {escape(words)}</li>"
        for name, words in cpd.mapping(module_id)
    )
    return f'<p>This module\'s learning outcomes map to:</p><ul class="govuk-list">{items}</ul>'


def _parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def cpd_record(folder: Path | None = None) -> None:
    """Show the CPD record page for the module folder this page sits in."""
    folder = Path(folder or Path.cwd())
    module_id = folder.name
    meta = content.load_module(module_id)
    wait_for_learner()  # a preheated page reads the draft only once the learner opens it
    form = CpdForm(folder.parent, module_id)
    head = (
        f"{nav_bar([home_link()], 'top')}"
        f'<h1 class="pl-module-title {H_PAGE}">CPD record: {escape(meta["title"])}</h1>'
        f"{content_note_html(meta['content_note'])}"
        "<p>Write what this module means for your practice. The form is saved on this machine as "
        "you type; it is never sent to your trainer. Save it as Markdown and PDF to keep with your "
        "CPD evidence. Keep people anonymous: describe roles, not names.</p>"
    )
    if form.problem:
        head += warning_html(form.problem)
    display(W.HTML(head), form.widget(), W.HTML(footer_html()))
