"""A learner's CPD record for one module, in the shape their regulator asks for: Social Work
England's CPD form, or Social Care Wales's CPD record.

The record holds the title, date, type of activity, minutes, the professional standard it links
to, the capabilities and standards the module's outcomes map to, what the learner learned, how it
will change their practice, a peer-reflection section (Social Work England asks for one) and
their reflection (their own words, plus the reflections they wrote in the module if they choose).
Drafts and exports live in the learner's folder under ``cpd-records/``, outside every module
folder, so a submission to the trainer never carries them: nothing leaves the machine unless the
learner saves a copy somewhere else.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from course_model import content, documents, learner, outcome_map
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
TEXT_FIELDS = {
    "learned": "What I learned",
    "practice_change": "How it will change my practice",
    "peer_who": "Who I reflected with (their role, no names needed)",
    "peer_discussion": "What we discussed and how it helped my thinking",
    "reflection": "My reflection",
}


@dataclass(frozen=True)
class Regulator:
    """What one regulator's CPD record asks for: the standard it links to, whether it asks for a
    peer reflection, and where the record's shape comes from."""

    standard: str
    asks_for_peer_reflection: bool
    note: str


REGULATORS = {
    "Social Work England": Regulator(
        standard="Social Work England professional standard 4: continuing professional development",
        asks_for_peer_reflection=True,
        note=(
            "Fields follow Social Work England's guidance on recording CPD and peer reflection "
            "(Social Work England, n.d., 'CPD: what you need to know' and 'Peer reflection'). In "
            "Scotland, record CPD as the SSSC asks."
        ),
    ),
    "Social Care Wales": Regulator(
        standard=(
            "Social Care Wales Code of Professional Practice for Social Care, 6.9: learning and "
            "development that maintains and improves my knowledge and skills"
        ),
        asks_for_peer_reflection=False,
        note=(
            "Fields follow Social Care Wales's guidance on CPD: keep a record of each piece of "
            "learning (the date, what it was, how long it took and how it contributed to your "
            "professional development), talk it through with your manager, and send it only if "
            "Social Care Wales picks you for a sample check (Social Care Wales, n.d., 'Continuing "
            "professional development (CPD)'). Since 1 April 2025, renewing your registration no "
            "longer means logging 90 hours: you confirm that your learning is up to date "
            "(Community Care, 1 April 2025, '90 hours of CPD requirement dropped for social "
            "workers in Wales')."
        ),
    ),
}


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
        "regulator": next(iter(REGULATORS)),
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
    if record["regulator"] not in REGULATORS:  # a choice the form never offered
        record["regulator"] = next(iter(REGULATORS))
    return record, None


def save_draft(learner_folder: Path, record: dict[str, Any]) -> None:
    """Save the draft atomically (text bounded) so closing the page never loses it."""
    folder = folder_for(learner_folder)
    folder.mkdir(parents=True, exist_ok=True)
    bounded = {k: v[:MAX_CHARS] if isinstance(v, str) else v for k, v in record.items()}
    with locked(folder):
        write_json_atomically(folder / f"{record['module']}.json", bounded)


def regulator(record: dict[str, Any]) -> Regulator:
    """The regulator whose shape the record takes (the learner chooses it on the form)."""
    return REGULATORS[record["regulator"]]


def mapping(module_id: str) -> list[tuple[str, str]]:
    """What the module's learning outcomes map to, one (framework, entries in words) pair per
    framework: the capabilities and standards a reader of the record can look up."""
    return outcome_map.in_words(outcome_map.module_mapping(content.load_module(module_id)))


def _sections(record: dict[str, Any], name: str, reflections: list[tuple[str, str]]):
    """The record's facts as (label, text) pairs, then its sections as (heading, [(label, text)])
    in the order the regulator's CPD form asks for them: the peer reflection only where the
    regulator asks for one or the learner wrote one."""
    facts = [
        ("Name", name or "(add your name on the course home)"),
        ("Registered with", record["regulator"]),
        ("Date", record["date"]),
        ("Type of activity", record["activity_type"]),
        ("Time spent", f"{record['minutes']} minutes"),
        ("Professional standard", regulator(record).standard),
        *mapping(record["module"]),
    ]
    texts = [
        (TEXT_FIELDS["learned"], record["learned"]),
        (TEXT_FIELDS["practice_change"], record["practice_change"]),
    ]
    peer = [
        (TEXT_FIELDS["peer_who"], record["peer_who"]),
        ("When", record["peer_date"]),
        (TEXT_FIELDS["peer_discussion"], record["peer_discussion"]),
    ]
    mine = [(TEXT_FIELDS["reflection"], record["reflection"])]
    if record["include_module_reflections"]:
        mine += [(f"From the module: {title}", text) for title, text in reflections]
    sections = [("What I did and learned", texts)]
    if regulator(record).asks_for_peer_reflection or any(text for _, text in peer):
        sections.append(("Peer reflection", peer))
    return facts, [*sections, ("My reflection", mine)]


def to_markdown(record: dict[str, Any], name: str, reflections: list[tuple[str, str]]) -> str:
    """The record as Markdown; everything the learner typed is escaped so it shows literally."""
    facts, sections = _sections(record, name, reflections)
    out = [f"# CPD record: {markdown_escape(record['title'])}", ""]
    out += [f"- **{label}:** {markdown_escape(value)}" for label, value in facts]
    for heading, items in sections:
        out += ["", f"## {heading}"]
        for label, value in items:
            out += [
                "",
                f"**{markdown_escape(label)}**",
                "",
                markdown_escape(value) or "(not written yet)",
            ]
    out += ["", f"*{regulator(record).note}*", ""]
    return "\n".join(out)


def to_html(record: dict[str, Any], name: str, reflections: list[tuple[str, str]]) -> str:
    """The record as an HTML page (``templates/cpd-record.html.j2``, everything typed escaped):
    what the PDF is typeset from."""
    facts, sections = _sections(record, name, reflections)
    return documents.html(
        "cpd-record.html.j2",
        title=record["title"],
        facts=facts,
        sections=sections,
        note=regulator(record).note,
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
