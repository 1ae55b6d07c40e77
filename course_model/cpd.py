"""A learner's CPD record for one module, in the shape Social Work England's CPD form asks for.

The record holds the title, date, type of activity, minutes, the professional standard it links
to, what the learner learned, how it will change their practice, a peer-reflection section and
their reflection (their own words, plus the reflections they wrote in the module if they choose).
Drafts and exports live in the learner's folder under ``cpd-records/``, outside every module
folder, so a submission to the trainer never carries them: nothing leaves the machine unless the
learner saves a copy somewhere else.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from course_model import content, documents, learner
from course_model.files import locked, write_bytes_atomically, write_json_atomically
from course_model.text import MAX_TEXT as MAX_CHARS
from course_model.text import markdown_escape

FOLDER = "cpd-records"
ACTIVITY_TYPES = [
    "Online course (interactive module)",
    "Reflective practice workshop",
    "Peer reflection",
    "Supervision",
    "Reading and research",
    "Other",
]
STANDARD = "Social Work England professional standard 4: continuing professional development"
TEXT_FIELDS = {
    "learned": "What I learned",
    "practice_change": "How it will change my practice",
    "peer_who": "Who I reflected with (their role, no names needed)",
    "peer_discussion": "What we discussed and how it helped my thinking",
    "reflection": "My reflection",
}
SOURCE_NOTE = (
    "Fields follow Social Work England's guidance on recording CPD and peer reflection "
    "(Social Work England, n.d., 'CPD: what you need to know' and 'Peer reflection'). In "
    "Scotland and Wales, record CPD as the SSSC or Social Care Wales asks."
)


def folder_for(learner_folder: Path) -> Path:
    """Where a learner's CPD drafts and exports live."""
    return Path(learner_folder) / FOLDER


def blank_record(module_id: str) -> dict[str, Any]:
    """A new record for a module: title, today's date, the activity type and the module's minutes
    filled in; every text field empty."""
    meta = content.load_module(module_id)
    return {
        "module": module_id,
        "title": f"Coercive Control Practice Lab: {meta['title']}",
        "date": date.today().isoformat(),
        "activity_type": ACTIVITY_TYPES[0],
        "minutes": meta["minutes"],
        "peer_date": "",
        "include_module_reflections": True,
        **{name: "" for name in TEXT_FIELDS},
    }


def load_draft(learner_folder: Path, module_id: str) -> tuple[dict[str, Any], str | None]:
    """The learner's saved draft for a module merged over a blank record, and a sentence saying
    what was wrong if the draft file could not be used (the file is then left untouched)."""
    record = blank_record(module_id)
    path = folder_for(learner_folder) / f"{module_id}.json"
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return record, None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return record, (
            f"Your CPD draft {path} could not be read ({exc.__class__.__name__}); this form starts "
            "empty and saving will replace that file. Move it elsewhere first if you want to keep it."
        )
    if not isinstance(saved, dict):
        return record, f"Your CPD draft {path} is not a record; saving will replace it."
    for key, value in saved.items():
        if key in record and isinstance(value, type(record[key])):
            record[key] = value[:MAX_CHARS] if isinstance(value, str) else value
    return record, None


def save_draft(learner_folder: Path, record: dict[str, Any]) -> None:
    """Save the draft atomically (text bounded) so closing the page never loses it."""
    folder = folder_for(learner_folder)
    folder.mkdir(parents=True, exist_ok=True)
    bounded = {k: v[:MAX_CHARS] if isinstance(v, str) else v for k, v in record.items()}
    with locked(folder):
        write_json_atomically(folder / f"{record['module']}.json", bounded)


def _sections(record: dict[str, Any], name: str, reflections: list[tuple[str, str]]):
    """The record as (heading, text) pairs, in the order the CPD form asks for them."""
    facts = [
        ("Name", name or "(add your name on the course home)"),
        ("Date", record["date"]),
        ("Type of activity", record["activity_type"]),
        ("Time spent", f"{record['minutes']} minutes"),
        ("Professional standard", STANDARD),
    ]
    texts = [(TEXT_FIELDS["learned"], record["learned"])]
    texts.append((TEXT_FIELDS["practice_change"], record["practice_change"]))
    peer = [
        (TEXT_FIELDS["peer_who"], record["peer_who"]),
        ("When", record["peer_date"]),
        (TEXT_FIELDS["peer_discussion"], record["peer_discussion"]),
    ]
    mine = [(TEXT_FIELDS["reflection"], record["reflection"])]
    if record["include_module_reflections"]:
        mine += [(f"From the module: {title}", text) for title, text in reflections]
    return facts, texts, peer, mine


def to_markdown(record: dict[str, Any], name: str, reflections: list[tuple[str, str]]) -> str:
    """The record as Markdown; everything the learner typed is escaped so it shows literally."""
    facts, texts, peer, mine = _sections(record, name, reflections)
    out = [f"# CPD record: {markdown_escape(record['title'])}", ""]
    out += [f"- **{label}:** {markdown_escape(value)}" for label, value in facts]
    for heading, items in (("What I did and learned", texts), ("Peer reflection", peer)):
        out += ["", f"## {heading}"]
        for label, value in items:
            out += ["", f"**{label}**", "", markdown_escape(value) or "(not written yet)"]
    out += ["", "## My reflection"]
    for label, value in mine:
        out += [
            "",
            f"**{markdown_escape(label)}**",
            "",
            markdown_escape(value) or "(not written yet)",
        ]
    out += ["", f"*{SOURCE_NOTE}*", ""]
    return "\n".join(out)


def to_html(record: dict[str, Any], name: str, reflections: list[tuple[str, str]]) -> str:
    """The record as an HTML page (``templates/cpd-record.html.j2``, everything typed escaped):
    what the PDF is typeset from."""
    facts, texts, peer, mine = _sections(record, name, reflections)
    sections = [("What I did and learned", texts), ("Peer reflection", peer)]
    return documents.html(
        "cpd-record.html.j2",
        title=record["title"],
        facts=facts,
        sections=[*sections, ("My reflection", mine)],
        note=SOURCE_NOTE,
    )


def export(
    learner_folder: Path, record: dict[str, Any], name: str, with_pdf: bool = True
) -> tuple[Path, Path, Path | None]:
    """Write the record beside the drafts as Markdown, as a web page and (``with_pdf``) as a PDF
    typeset from that page; returns the three paths (no PDF: None, as in the browser, where
    nothing can typeset one and the learner prints the web page to PDF)."""
    reflections = learner.written_answers(learner_folder, record["module"], kinds=("reflection",))
    folder = folder_for(learner_folder)
    folder.mkdir(parents=True, exist_ok=True)
    stem = folder / f"{record['module']}-cpd-record"
    markdown, page, pdf = (stem.with_suffix(s) for s in (".md", ".html", ".pdf"))
    write_bytes_atomically(markdown, to_markdown(record, name, reflections).encode("utf-8"))
    html_page = to_html(record, name, reflections)
    write_bytes_atomically(page, html_page.encode("utf-8"))
    if not with_pdf:
        return markdown, page, None
    write_bytes_atomically(pdf, documents.pdf(html_page))
    return markdown, page, pdf
