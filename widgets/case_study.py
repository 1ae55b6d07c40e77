"""A composite case study rendered for learners: notice, people, chronology and documents."""

from __future__ import annotations

from widgets.base import escape
from widgets.design import H_ITEM, H_SECTION, INSET, details_html


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{escape(line)}</p>" for line in text.splitlines() if line.strip())


def case_study_html(case: dict) -> str:
    """The whole case as HTML, every string escaped; sections fold so the page stays short."""
    people = "".join(
        f"<li><strong>{escape(p['name'])}</strong>"
        f"{', ' + escape(p['age']) if 'age' in p else ''} — {escape(p['role'])}"
        f"{'. ' + escape(p['about']) if p.get('about') else ''}</li>"
        for p in case["people"]
    )
    rows = "".join(
        f"<tr><th scope='row'>{escape(e['when'])}</th><td>{escape(e['agency'])}</td><td>{escape(e['event'])}</td></tr>"
        for e in case["chronology"]
    )
    docs = "".join(
        details_html(
            d["title"],
            f"{'<p><em>' + escape(d['author']) + '</em></p>' if d.get('author') else ''}"
            f"<blockquote>{_paragraphs(d['text'])}</blockquote>",
            "pl-doc",
        )
        for d in case["documents"]
    )
    return (
        f"<section class='pl-case' aria-label='{escape(case['title'])}'>"
        f"<h2 class='{H_SECTION}'>{escape(case['title'])}</h2>"
        + f"<p class='{INSET} pl-fictional'><strong>{escape(case['fictional_notice'])}</strong></p>"
        + f"<p>{escape(case['summary'])}</p>"
        + details_html("The people", f"<ul>{people}</ul>")
        + details_html(
            "Chronology across agencies",
            "<table class='pl-chronology'><thead><tr><th scope='col'>When</th>"
            "<th scope='col'>Agency</th><th scope='col'>What happened</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>",
        )
        + f"<h3 class='{H_ITEM}'>Documents from the file</h3>{docs}</section>"
    )
