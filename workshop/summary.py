"""The session summary: Markdown with a PNG chart per prompt, for the team's records and as
evidence for each participant's peer-reflection CPD entry.

It keeps what the room could have seen: only prompts the facilitator's page showed while they
were open (``Store.mark_shown``), nothing for a prompt with fewer answers than the threshold, and
no typed answer the facilitator hid. Participants' words are set in fenced code
blocks, whose content every Markdown renderer shows as literal text: a participant's text can
never become a link, an image or HTML in the summary. Everything else that came from a file
(titles, prompts, options) is escaped for Markdown.
"""

from __future__ import annotations

import re
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

from course_model import documents
from course_model.files import write_bytes_atomically, write_text_atomically
from course_model.text import markdown_escape
from workshop import charts, results
from workshop.prompts import KINDS, TEXT_KINDS
from workshop.session import Session

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _line(text: object) -> str:
    """Text from a file or a prompt on one line, without control characters."""
    return " ".join(_CONTROL.sub("", str(text)).split())


def md_text(text: str) -> str:
    """Plain text from a file, safe inline in Markdown (see course_model.text.markdown_escape), on
    one line, without control characters."""
    return markdown_escape(_line(text))


def literal_block(text: str) -> str:
    """A participant's words as a fenced code block: shown exactly as typed, never rendered.
    The fence is longer than any run of backticks inside, so the text cannot close it."""
    clean = _CONTROL.sub("", str(text))
    longest = max((len(run) for run in re.findall(r"`+", clean)), default=0)
    fence = "`" * max(3, longest + 1)
    body = "\n".join(textwrap.fill(line, 88) if line else "" for line in clean.splitlines())
    return f"{fence}text\n{body}\n{fence}"


def _table(header: list[str], rows: list[list[object]]) -> list[str]:
    lines = ["| " + " | ".join(md_text(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(md_text(c) for c in row) + " |" for row in rows]
    return lines


@dataclass
class PromptSummary:
    """What the summary keeps of one prompt, as plain text (each format escapes it its own way)."""

    number: int
    heading: str  # e.g. "Poll: Which planet?"
    text: str
    total: int
    min_answers: int
    visible: bool
    typed: bool = False  # answers people wrote, kept word for word
    chart: str | None = None  # the chart's file name beside the summary
    alt: str = ""  # the chart in words
    header: list[str] = field(default_factory=list)  # the counts as a table
    rows: list[list[str]] = field(default_factory=list)
    median: float | None = None
    words: list[tuple[str, int]] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)  # typed answers the facilitator kept


@dataclass
class Summary:
    """The whole session's summary: what every format (Markdown, HTML, PDF) is made from."""

    title: str
    date: str
    minutes: int
    source: str
    min_answers: int
    prompts: list[PromptSummary]


def _summarise(n: int, prompt: dict, tally: results.Tally, out: Path) -> PromptSummary:
    """One prompt's part of the summary; its chart is drawn into ``out``."""
    title = f": {prompt['title']}" if prompt.get("title") else ""
    kept = PromptSummary(
        number=n,
        heading=_line(f"{KINDS[prompt['kind']]}{title}"),
        text=_line(prompt["text"]),
        total=tally.total,
        min_answers=tally.min_answers,
        visible=tally.visible,
    )
    if not tally.visible:
        return kept
    png = charts.chart_png(tally)
    if png:
        kept.chart = f"prompt-{n:02d}.png"
        write_bytes_atomically(out / kept.chart, png)
        kept.alt = charts.alt_text(tally)
    kind = prompt["kind"]
    if kind == "poll":
        kept.header = ["Answer", "Number"]
        kept.rows = [[o["label"], str(tally.counts[o["id"]])] for o in prompt["options"]]
    elif kind == "rating":
        kept.header = ["Rating", "Number"]
        kept.rows = [[p, str(c)] for p, c in tally.counts.items()]
        kept.median = tally.median
    elif kind == "sort":
        cats = prompt["categories"]
        kept.header = ["Statement", *(c["label"] for c in cats)]
        kept.rows = [
            [f"{i}. {item['text']}", *(str(tally.grid[item["id"]][c["id"]]) for c in cats)]
            for i, item in enumerate(prompt["items"], start=1)
        ]
    elif kind in TEXT_KINDS:
        kept.typed = True
        kept.words = list(tally.words)
        kept.answers = [_CONTROL.sub("", str(text)) for text in tally.not_hidden]
    return kept


def _prompt_markdown(p: PromptSummary) -> list[str]:
    lines = [f"## {p.number}. {md_text(p.heading)}", "", f"> {md_text(p.text)}", ""]
    if not p.visible:
        return [
            *lines,
            f"Fewer than {p.min_answers} people answered, so no summary is kept "
            "(the rule of five).",
            "",
        ]
    lines += [f"**{p.total} answers.**", ""]
    if p.chart:
        lines += [f"![{md_text(p.alt)}]({p.chart})", ""]
    if p.rows:
        lines += _table(p.header, p.rows)
    if p.median is not None:
        lines += ["", f"Median: {p.median:g}"]
    if p.words:
        lines += [
            "Words used in two or more answers on screen: "
            + ", ".join(f"{md_text(w)} ({c})" for w, c in p.words),
            "",
        ]
    if p.typed:
        lines += ["Answers, in no particular order:", ""]
        for text in p.answers:
            lines += [literal_block(text), ""]
    return [*lines, ""]


def to_markdown(s: Summary) -> str:
    """The summary as Markdown: participants' words in fenced blocks, everything else escaped."""
    body = [line for p in s.prompts for line in _prompt_markdown(p)]
    lines = [
        f"# Team reflective-practice workshop: {md_text(s.title)}",
        "",
        f"- Date: {s.date}",
        f"- Length: about {s.minutes} minutes",
        f"- Prompts: {md_text(s.source)}",
        "",
        ABOUT.format(least=s.min_answers),
        "",
        *body,
        "## For your CPD record",
        "",
        FOR_CPD,
        "",
        f"- What I did: took part in a team reflective-practice workshop on {s.date} (about "
        f"{s.minutes} minutes), discussing {len(s.prompts)} prompt(s) from {md_text(s.title)}.",
        "- What I learned:",
        "- How it will change my practice:",
        "- Who I reflected with (roles, not names):",
        "",
    ]
    return "\n".join(lines)


def to_html(s: Summary) -> str:
    """The summary as an HTML page (``course_model/templates/workshop-summary.html.j2``, all
    escaped), charts referenced beside it: for the screen, and what the PDF is typeset from."""
    return documents.html("workshop-summary.html.j2", s=s, about=ABOUT, for_cpd=FOR_CPD)


ABOUT = (
    "Answers were anonymous: no names were asked for or stored. A prompt answered by fewer "
    "than {least} people has no summary here, and typed answers the facilitator hid are left out."
)
FOR_CPD = (
    "This session can be the peer reflection in your CPD record. Write it in your own words; "
    "this summary is evidence that the session took place, not a record of what you learned."
)
FILES = ("summary.md", "summary.html", "summary.pdf")


def export(session: Session) -> Path:
    """Write the session's summary — ``summary/summary.md``, ``summary.html`` and a tagged
    ``summary.pdf`` — and its charts; returns the Markdown's path.

    Prompts nobody answered, and prompts the facilitator's page never showed the room, are left
    out. Exporting again replaces the earlier summary.
    """
    out = session.summary_dir
    out.mkdir(mode=0o700, exist_ok=True)
    for old in out.glob("prompt-*.png"):
        old.unlink()
    store = session.store
    started, ended = store.times()
    shown = store.shown_prompts()
    prompts = []
    for n, prompt in enumerate(store.prompts(), start=1):
        answers = store.answers(prompt["id"]) if prompt["id"] in shown else []
        if answers:
            tally = results.tally(prompt, answers, session.min_answers)
            prompts.append(_summarise(n, prompt, tally, out))
    kept = Summary(
        title=session.title,
        date=time.strftime("%d %B %Y", time.localtime(started)),
        minutes=round(((ended or time.time()) - started) / 60),
        source=session.source,
        min_answers=session.min_answers,
        prompts=prompts,
    )
    page = to_html(kept)
    write_text_atomically(out / "summary.html", page)
    write_bytes_atomically(out / "summary.pdf", documents.pdf(page, base=out))
    path = out / "summary.md"
    write_text_atomically(path, to_markdown(kept))
    return path
