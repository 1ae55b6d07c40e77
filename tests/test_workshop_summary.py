"""The session summary: what the room could see, nothing more, and participants' words kept as
literal text that no Markdown renderer turns into a link, an image or HTML."""

from __future__ import annotations

import html
import re

import mistune
import pytest

from practice_lab import cli
from tests.conftest import HOSTILE
from tests.pdfs import contains, is_tagged, pdf_words, words
from workshop import prompts, summary, ui
from workshop.facilitator import FacilitatorPage
from workshop.session import Session

INJECTIONS = [
    HOSTILE,
    "[x](http://evil)",
    "![i](http://evil/x.png)",
    "see http://evil.example/x and www.evil.example",
    "<a href='http://evil'>click</a>",
    "````\n# heading\n````",
    "[ref]: http://evil\n[ref]",
]
# The most permissive reading: raw HTML passed through, bare URLs turned into links.
RENDER = mistune.create_markdown(escape=False, plugins=["url", "table", "strikethrough"])


@pytest.fixture
def ran(tmp_path):
    """A session on module 07, each prompt shown on the facilitator's page while open: a rating
    answered by 6, a reflection by 8 (one hidden), a sort by 4 (below the threshold)."""
    s, _ = Session.create(prompts.load("07"))
    st = s.store
    tokens = [st.join(f"page {n}", True) for n in range(len(INJECTIONS) + 1)]
    for pid in ("p1", "p2", "p9"):
        st.mark_shown(pid)
    st.open_prompt("p1")
    for n, t in enumerate(tokens[:6]):
        st.answer("p1", t, 1 + n % 5)
    st.open_prompt("p2")
    for text, t in zip([*INJECTIONS, "The family in Flat 3 on Mill Road"], tokens, strict=True):
        st.answer("p2", t, text)
    st.show_new("p2")
    st.set_status("p2", tokens[-1], "hidden")
    sort = st.prompt("p9")
    st.open_prompt("p9")
    for t in tokens[:4]:
        st.answer("p9", t, {i["id"]: sort["categories"][0]["id"] for i in sort["items"]})
    st.end()
    return s


def test_participants_words_never_become_links_images_or_html(ran):
    path = summary.export(ran)
    text = path.read_text(encoding="utf-8")
    page = RENDER(text)
    assert "<a " not in page and "<script" not in page
    assert re.findall(r"<img [^>]*>", page) == [
        re.search(r'<img src="prompt-01.png"[^>]*>', page).group(0)
    ], "the only image is the rating chart"
    assert "<h1>" in page and page.count("<h1>") == 1, "no heading came from an answer"
    flat = " ".join(text.split())  # long answers are wrapped; their words are unchanged
    for literal in INJECTIONS:
        for line in literal.splitlines():
            assert " ".join(line.split()) in flat, "each answer is kept word for word"


def test_hidden_answers_and_small_groups_are_left_out(ran):
    text = summary.export(ran).read_text(encoding="utf-8")
    assert "Mill Road" not in text
    sort_section = text.split("## 9. Sort", 1)[1].split("\n## ", 1)[0]
    assert "Fewer than 5 people answered" in sort_section
    assert "|" not in sort_section and "png" not in sort_section, "no counts below five"
    assert "**6 answers.**" in text and "| 1 | 2 |" in text
    assert sorted(p.name for p in ran.summary_dir.iterdir()) == [
        "prompt-01.png",
        *sorted(summary.FILES),
    ]


def test_the_summary_pdf_opens_with_every_heading_and_every_kept_answer(ran):
    summary.export(ran)
    pdf = ran.summary_dir / "summary.pdf"
    assert is_tagged(pdf)
    found = pdf_words(pdf)
    page = (ran.summary_dir / "summary.html").read_text(encoding="utf-8")
    headings = re.findall(r"<h[12]>(.*?)</h[12]>", page)
    assert len(headings) == 5  # the title, three prompts, the CPD section
    for heading in headings:
        assert contains(found, words(html.unescape(heading))), f"{heading} missing from the PDF"
    for literal in INJECTIONS:
        assert contains(found, words(literal)), f"{literal!r} is not kept word for word"
    assert not contains(found, ["Mill", "Road"]), "a hidden answer is in the PDF"


def test_participants_words_are_text_in_the_summary_page(ran):
    summary.export(ran)
    page = (ran.summary_dir / "summary.html").read_text(encoding="utf-8")
    assert "<script" not in page and "<a " not in page
    assert re.findall(r"<img [^>]*>", page) == [
        re.search(r'<img src="prompt-01.png"[^>]*>', page)[0]
    ]


def test_the_summary_helps_a_participant_write_their_cpd_entry(ran):
    text = summary.export(ran).read_text(encoding="utf-8")
    cpd = text.split("## For your CPD record", 1)[1]
    assert "peer reflection" in cpd and "What I learned:" in cpd
    assert "discussing 3 prompt(s)" in cpd


def test_the_command_exports_a_session_folder(ran, capsys):
    assert cli.main(["workshop", "export", str(ran.folder)]) == 0
    assert str(ran.summary_dir / "summary.md") in capsys.readouterr().out
    assert cli.main(["workshop", "export", str(ran.folder.parent)]) == 2
    assert "not a workshop session folder" in capsys.readouterr().err


def test_text_from_a_prompt_file_is_escaped_for_markdown():
    shown = RENDER(summary.md_text("[x](http://e) <b>*hi*</b>\n# h"))
    assert "<a" not in shown and "<b>" not in shown and "<em>" not in shown and "<h1" not in shown
    assert "[x](http://e) &lt;b&gt;*hi*&lt;/b&gt; # h" in shown
    assert "<img" not in RENDER(summary.md_text("<img src=x onerror=alert(1)>"))


def test_a_prompt_the_facilitators_page_never_showed_is_left_out(monkeypatch):
    """The page records each prompt it has on screen while open; a prompt opened behind its back
    (the page still showing another) was never seen by the room, so the summary leaves it out."""
    monkeypatch.setattr(ui, "every", lambda *args: None)
    s, key = Session.create(prompts.load("07"))
    page = FacilitatorPage(s)
    page._key.value = key
    page.unlock()
    page._set_open("p1")  # "Open for answers" on the page, which shows p1
    tokens = [s.store.join(f"page {n}", True) for n in range(6)]
    for n, token in enumerate(tokens):
        s.store.answer("p1", token, 1 + n % 5)
    s.store.open_prompt("p3")
    page.refresh()  # still showing p1
    for token in tokens:
        s.store.answer("p3", token, "Answered, but never on the room's screen")
    text = summary.export(s).read_text(encoding="utf-8")
    assert "## 1. Rating" in text and "**6 answers.**" in text
    assert "## 3." not in text and "never on the room's screen" not in text
    assert "discussing 1 prompt(s)" in text
