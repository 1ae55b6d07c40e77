"""The learner's own records: identity set once, CPD drafts that survive, exports that show typed
text literally, and pages that all open and end the same way."""

from __future__ import annotations

import html
import json
import re

import mistune
import nbformat
import pypdf
import pytest
from markdown_it import MarkdownIt

from course_model import content, cpd, learner
from course_model.check.notebooks import page_frame_problems
from tests.conftest import HOSTILE, MODULE, answer

MARKDOWN_TRAPS = "[click me](http://evil.example) ![x](http://evil.example/x.png) # not a heading"


def test_learner_id_is_set_once_and_kept_when_the_environment_changes(tmp_path, monkeypatch):
    monkeypatch.setenv(learner.LEARNER_ENV, "first-id")
    assert learner.settle_identity(tmp_path) == "first-id"
    monkeypatch.setenv(learner.LEARNER_ENV, "someone-else")
    assert learner.settle_identity(tmp_path) == "first-id"
    assert learner.set_name(tmp_path, "  Sam   Patel \n") == "Sam Patel"
    assert learner.identity(tmp_path) == {"id": "first-id", "name": "Sam Patel"}
    assert len(learner.set_name(tmp_path, "x" * 5000)) == learner.MAX_NAME


def test_a_damaged_identity_file_is_named_with_what_to_do(tmp_path):
    (tmp_path / learner.IDENTITY_FILE).write_text("{not json")
    with pytest.raises(learner.IdentityError) as err:
        learner.identity(tmp_path)
    assert str(tmp_path / learner.IDENTITY_FILE) in str(err.value)
    assert "Delete it" in str(err.value)


def test_identity_form_saves_the_name_and_shows_it_escaped(tmp_path):
    from widgets.home import IdentityForm

    form = IdentityForm(tmp_path)
    form.name.value = HOSTILE
    form._save()
    assert "<img" not in form.status.value and "&lt;img" in form.status.value
    assert IdentityForm(tmp_path).name.value == " ".join(HOSTILE.split())


def test_cpd_draft_is_saved_on_every_change_and_restored(tmp_path):
    from widgets.cpd import CpdForm

    form = CpdForm(tmp_path, MODULE)
    form.fields["learned"].value = "The planets explain the contradictions."
    form.fields["minutes"].value = 45
    again = CpdForm(tmp_path, MODULE)
    assert again.fields["learned"].value == "The planets explain the contradictions."
    assert again.fields["minutes"].value == 45
    assert again.record["title"].endswith(content.load_module(MODULE)["title"])
    draft = cpd.folder_for(tmp_path) / f"{MODULE}.json"
    assert json.loads(draft.read_text())["learned"].startswith("The planets")


def test_a_corrupt_cpd_draft_is_reported_and_left_alone(tmp_path):
    folder = cpd.folder_for(tmp_path)
    folder.mkdir()
    (folder / f"{MODULE}.json").write_text("[1, 2")
    record, problem = cpd.load_draft(tmp_path, MODULE)
    assert problem and f"{MODULE}.json" in problem and "Move it elsewhere" in problem
    assert record["learned"] == "" and (folder / f"{MODULE}.json").read_text() == "[1, 2"


def test_cpd_record_is_bounded(tmp_path):
    from widgets.cpd import CpdForm

    form = CpdForm(tmp_path, MODULE)
    form.fields["reflection"].value = "a" * 30_000
    assert len(CpdForm(tmp_path, MODULE).record["reflection"]) == 20_000


def test_cpd_exports_hold_every_field_and_show_typed_text_literally(tmp_path):
    (tmp_path / MODULE).mkdir()
    answer(tmp_path / MODULE, {"reflect_planets": "My module reflection " + MARKDOWN_TRAPS})
    record = cpd.blank_record(MODULE) | {
        "learned": "Learned " + HOSTILE,
        "practice_change": "Change $x$ " + MARKDOWN_TRAPS,
        "peer_who": "A senior practitioner in my team",
        "peer_discussion": "We discussed the planets.",
        "reflection": "My own reflection.",
    }
    markdown, page, pdf = cpd.export(tmp_path, record, "Sam Patel")
    web = page.read_text(encoding="utf-8")
    assert "<img" not in web and "<script" not in web, "the web page shows typed text as text"
    assert "Learned " + HOSTILE in html.unescape(web)
    text = markdown.read_text()
    for heading in ("Date", "Type of activity", "Time spent", "Professional standard"):
        assert f"**{heading}:**" in text
    assert "Sam Patel" in text and "70 minutes" in text and "Peer reflection" in text
    assert "My module reflection" in text, "the module's reflection is included by default"
    # Rendered by a Markdown renderer that passes raw HTML through (nbconvert's mistune):
    rendered = mistune.html(text)
    for markup in ("<img", "<script", "<a ", "<h1>not"):
        assert markup not in rendered, f"typed text became {markup} in the Markdown record"
    assert "&lt;script&gt;" in rendered and "[click me](http://evil.example)" in rendered
    pages = "".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages)
    assert "Learned <img src=x" in pages, "the PDF shows typed text as it was typed"
    assert "Change $x$" in pages and "My module reflection" in pages

    record["include_module_reflections"] = False
    markdown, _, _ = cpd.export(tmp_path, record, "")
    assert "My module reflection" not in markdown.read_text()
    assert not list((tmp_path / MODULE).glob("*cpd*")), "nothing CPD goes where submit looks"


def test_every_page_must_open_with_its_coursepage_and_end_with_finish(tmp_path):
    path = content.module_dir(MODULE) / "01-three-planets.ipynb"
    nb = nbformat.read(path, as_version=4)
    assert not page_frame_problems(MODULE, path, nb)
    nb.cells = [c for c in nb.cells if c.source.strip() != "page.finish()"]
    renamed = tmp_path / "02-copy.ipynb"
    problems = page_frame_problems(MODULE, renamed, nb)
    assert {p.reason.split(" must")[0] for p in problems} == {
        "the first code cell",
        "the last code cell",
    }
    assert all(p.file == renamed for p in problems)


TYPED = [
    "I will book supervision (monthly) from 2026-12-04, e.g. with my manager.",
    "1. A numbered start\n# not a heading\n- not a list\n> not a quote\n---",
    "*stars* _underscores_ snake_case `ticks` ~~struck~~ a | b &amp; C:\\temp\\",
    MARKDOWN_TRAPS + " <http://evil.example> http://evil.example www.evil.example",
    HOSTILE,
]


# The readers a learner's record meets: CommonMark as markdown-it-py reads it (as most Markdown
# viewers do), and the most permissive reading (mistune: raw HTML passed through, bare addresses
# made links).
READERS = {
    "commonmark": MarkdownIt("commonmark").render,
    "permissive": mistune.create_markdown(escape=False, plugins=["url", "table", "strikethrough"]),
}


def rendered_field(markdown: str, label: str, reader: str) -> str:
    """The text ``reader`` shows under ``**label**`` in a record: tags must be only paragraphs
    and line breaks; entities and breaks are read back as the characters they are."""
    html_out = READERS[reader](markdown)
    found = re.search(rf"<p><strong>{re.escape(label)}</strong></p>\s*<p>(.*?)</p>", html_out, re.S)
    assert found, f"no paragraph under {label!r} in {html_out}"
    body = re.sub(r"<br ?/?>\n?", "\n", found.group(1))
    assert "<" not in body, f"typed text became markup: {body}"
    return html.unescape(body)


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("typed", TYPED)
def test_cpd_markdown_renders_exactly_what_the_learner_typed(tmp_path, typed, reader):
    record = cpd.blank_record(MODULE) | {"learned": typed}
    markdown = cpd.to_markdown(record, "Sam Patel", [])
    assert rendered_field(markdown, cpd.TEXT_FIELDS["learned"], reader) == typed


def test_cpd_markdown_reads_cleanly_as_plain_text(tmp_path):
    """Only what a Markdown reader would misread is escaped: dates, brackets and full stops in
    the learner's words and the record's own facts read as they were written."""
    record = cpd.blank_record(MODULE) | {"date": "2026-12-04", "learned": TYPED[0]}
    markdown = cpd.to_markdown(record, "Sam Patel", [])
    assert "- **Date:** 2026-12-04\n" in markdown
    assert "- **Type of activity:** Online course (interactive module)\n" in markdown
    assert f"\n{TYPED[0]}\n" in markdown
    assert "Social Work England professional standard 4: continuing" in markdown


def test_cpd_record_quotes_the_modules_reflections_and_nothing_else(tmp_path):
    (tmp_path / MODULE).mkdir()
    answer(
        tmp_path / MODULE,
        {
            "reflect_planets": "My module reflection.",
            "which_planet_contact": "contact",
            "sort_planets": {"s1": "dv"},
        },
    )
    markdown, _, pdf = cpd.export(tmp_path, cpd.blank_record(MODULE), "Sam Patel")
    text = markdown.read_text()
    pages = "".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages)
    choice = content.exercise_spec(MODULE, "which_planet_contact")["title"]
    reflection = content.exercise_spec(MODULE, "reflect_planets")["title"]
    for shown in (text, pages):
        assert choice not in shown, "a practice choice is not a reflection"
        assert f"From the module: {reflection}" in shown and "My module reflection." in shown
        assert not re.search(r"(?m)^contact$", shown), "an option id is never shown"
