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
from pathlib import Path

from course_model.files import write_bytes_atomically, write_text_atomically
from course_model.text import markdown_escape
from workshop import charts, results
from workshop.prompts import KINDS, TEXT_KINDS
from workshop.session import Session

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def md_text(text: str) -> str:
    """Plain text from a file, safe inline in Markdown (see course_model.text.markdown_escape), on
    one line, without control characters."""
    return markdown_escape(" ".join(_CONTROL.sub("", str(text)).split()))


def literal_block(text: str) -> str:
    """A participant's words as a fenced code block: shown exactly as typed, never rendered.
    The fence is longer than any run of backticks inside, so the text cannot close it."""
    clean = _CONTROL.sub("", str(text))
    longest = max((len(run) for run in re.findall(r"`+", clean)), default=0)
    fence = "`" * max(3, longest + 1)
    body = "\n".join(textwrap.fill(line, 88) if line else "" for line in clean.splitlines())
    return f"{fence}text\n{body}\n{fence}"


def _table(header: list[str], rows: list[list[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return lines


def _prompt_section(n: int, prompt: dict, tally: results.Tally, out: Path) -> list[str]:
    title = f": {md_text(prompt['title'])}" if prompt.get("title") else ""
    lines = [f"## {n}. {KINDS[prompt['kind']]}{title}", "", f"> {md_text(prompt['text'])}", ""]
    if not tally.visible:
        return [
            *lines,
            f"Fewer than {tally.min_answers} people answered, so no summary is kept "
            "(the rule of five).",
            "",
        ]
    lines += [f"**{tally.total} answers.**", ""]
    png = charts.chart_png(tally)
    if png:
        name = f"prompt-{n:02d}.png"
        write_bytes_atomically(out / name, png)
        lines += [f"![{md_text(charts.alt_text(tally))}]({name})", ""]
    kind = prompt["kind"]
    if kind == "poll":
        rows = [[md_text(o["label"]), tally.counts[o["id"]]] for o in prompt["options"]]
        lines += _table(["Answer", "Number"], rows)
    elif kind == "rating":
        lines += _table(["Rating", "Number"], [[p, c] for p, c in tally.counts.items()])
        lines += ["", f"Median: {tally.median:g}"]
    elif kind == "sort":
        cats = prompt["categories"]
        rows = [
            [f"{i}. {md_text(item['text'])}", *(tally.grid[item["id"]][c["id"]] for c in cats)]
            for i, item in enumerate(prompt["items"], start=1)
        ]
        lines += _table(["Statement", *(md_text(c["label"]) for c in cats)], rows)
    elif kind in TEXT_KINDS:
        if tally.words:
            lines += [
                "Words used in two or more answers on screen: "
                + ", ".join(f"{md_text(w)} ({c})" for w, c in tally.words),
                "",
            ]
        lines += ["Answers, in no particular order:", ""]
        for text in tally.not_hidden:
            lines += [literal_block(text), ""]
    return [*lines, ""]


def export(session: Session) -> Path:
    """Write ``summary/summary.md`` and its charts for ``session``; returns the Markdown's path.

    Prompts nobody answered, and prompts the facilitator's page never showed the room, are left
    out. Exporting again replaces the earlier summary.
    """
    out = session.summary_dir
    out.mkdir(mode=0o700, exist_ok=True)
    for old in out.glob("prompt-*.png"):
        old.unlink()
    store = session.store
    started, ended = store.times()
    minutes = round(((ended or time.time()) - started) / 60)
    date = time.strftime("%d %B %Y", time.localtime(started))
    used = []
    body: list[str] = []
    shown = store.shown_prompts()
    for n, prompt in enumerate(store.prompts(), start=1):
        answers = store.answers(prompt["id"]) if prompt["id"] in shown else []
        if not answers:
            continue
        used.append(prompt)
        body += _prompt_section(n, prompt, results.tally(prompt, answers, session.min_answers), out)
    lines = [
        f"# Team reflective-practice workshop: {md_text(session.title)}",
        "",
        f"- Date: {date}",
        f"- Length: about {minutes} minutes",
        f"- Prompts: {md_text(session.source)}",
        "",
        "Answers were anonymous: no names were asked for or stored. A prompt answered by fewer "
        f"than {session.min_answers} people has no summary here, and typed answers the "
        "facilitator hid are left out.",
        "",
        *body,
        "## For your CPD record",
        "",
        "This session can be the peer reflection in your CPD record. Write it in your own "
        "words; this summary is evidence that the session took place, not a record of what you "
        "learned.",
        "",
        f"- What I did: took part in a team reflective-practice workshop on {date} (about "
        f"{minutes} minutes), discussing {len(used)} prompt(s) from {md_text(session.title)}.",
        "- What I learned:",
        "- How it will change my practice:",
        "- Who I reflected with (roles, not names):",
        "",
    ]
    path = out / "summary.md"
    write_text_atomically(path, "\n".join(lines))
    return path
