"""The learner's own records: identity set once, CPD drafts that survive, exports that show typed
text literally, and pages that all open and end the same way."""

from __future__ import annotations

import json

import mistune
import nbformat
import pypdf
import pytest

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
    markdown, pdf = cpd.export(tmp_path, record, "Sam Patel")
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
    markdown, _ = cpd.export(tmp_path, record, "")
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
