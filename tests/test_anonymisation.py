"""Composite cases only: no name from the source articles, no contact details, no postcodes.

Support services' numbers live in one file (course/signposting.yaml), the only one skipped.
"""

from __future__ import annotations

import re

import pytest

from tests.conftest import ROOT

# Names of people in shared/seeds, as listed in the content brief's "Never" section and the seeds.
SEED_NAMES = [
    "Vicky",
    "Rachel",
    "Jack",
    "Ella",
    "Sarah",
    "Alice",
    "Adam",
    "Claire",
    "Fleur",
    "Collette",
    "Paul",
    "Jenny",
    "Jenn",
    "Lydia",
    "Jo",
    "Buechler",
    "Eaton-Harris",
    "Inverno",
    "Amans",
    "Marianne",
]
PATTERNS = {
    "seed name": re.compile(r"\b(" + "|".join(map(re.escape, SEED_NAMES)) + r")\b"),
    "phone number": re.compile(r"(?<!\d)(?:\+44\s?|0)\d{2,4}[\s-]?\d{3}[\s-]?\d{3,4}(?!\d)"),
    "e-mail address": re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+"),
    "postcode": re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b"),
}
SKIP = {ROOT / "course" / "signposting.yaml"}
FILES = sorted(
    p
    for p in (ROOT / "course").rglob("*")
    if p.is_file() and p.suffix in {".yaml", ".yml", ".md", ".ipynb", ".json"} and p not in SKIP
)


def test_scan_covers_the_course():
    assert any(p.parent.name == "case_studies" for p in FILES) and any(
        p.suffix == ".ipynb" for p in FILES
    )


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_identifying_detail(path):
    text = path.read_text(encoding="utf-8")
    found = [f"{kind}: {m.group(0)!r}" for kind, rx in PATTERNS.items() for m in rx.finditer(text)]
    assert not found, f"{path.relative_to(ROOT)} holds {found}"


@pytest.mark.parametrize(
    "sample", ["Call Jenny on 07700 900123", "mail me at a.b@example.org", "lives at BS1 4DJ"]
)
def test_the_scan_catches_what_it_should(sample):
    assert any(rx.search(sample) for rx in PATTERNS.values())
