"""Support services: every number the content brief lists, kept in one data file and shown with
the content note at the top of every page of every module, and in module 00's own list."""

from __future__ import annotations

import json

import pytest

from course_model import content
from tests.conftest import ROOT
from widgets import CoursePage
from widgets.page import support_html

# As content-brief.md gives them ("Signposting"), checked against it by hand: a change to a number
# must change both the brief and course/signposting.yaml.
BRIEF_NUMBERS = {
    "999": "emergency",
    "0808 2000 247": "National Domestic Abuse Helpline",
    "0808 80 10 800": "Wales, Live Fear Free",
    "0800 027 1234": "Scotland's Domestic Abuse and Forced Marriage Helpline",
    "0808 801 0327": "Men's Advice Line",
    "0800 999 5428": "Galop",
    "0800 5999 247": "Karma Nirvana",
    "0808 802 4040": "Respect Phoneline",
    "116 123": "Samaritans",
    "0808 800 5000": "NSPCC helpline",
    "0800 1111": "Childline",
}


def test_the_data_file_holds_every_number_in_the_brief():
    contacts = {s["contact"] for s in content.load_signposting()["services"]}
    missing = {n: who for n, who in BRIEF_NUMBERS.items() if n not in contacts}
    assert not missing, f"course/signposting.yaml lacks {missing}"
    assert "55" in support_html() and "supervision" in support_html()


@pytest.mark.parametrize("module_id", content.module_ids())
def test_every_module_content_note_shows_every_number(module_id, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr("widgets.page.display", shown.append)
    CoursePage(module_id, folder=tmp_path).header()
    note = shown[0].value.split("pl-content-note", 1)[1]
    missing = [n for n in BRIEF_NUMBERS if n not in note]
    assert not missing, f"{module_id}'s content note lacks {missing}"


def test_module_00_lists_the_services_in_its_own_words_and_in_full():
    nb = json.loads(
        (ROOT / "course/modules/00-welcome/01-welcome.ipynb").read_text(encoding="utf-8")
    )
    sources = ["".join(c["source"]) for c in nb["cells"]]
    at = next(i for i, s in enumerate(sources) if s.startswith("## Where to get support"))
    assert sources[at + 1] == "page.support()"
