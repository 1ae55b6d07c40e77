"""Composite cases only: no name from the source articles, no contact details, no postcodes.

The names scanned for are every person, service, organisation and place named in shared/seeds,
except the national bodies the course cites as sources (SafeLives, Ofsted, the NSPCC, the
inspectorates): a local service or place from an article could point to the real families in it.
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
# Services, organisations and places named in shared/seeds (regexes, matched case-sensitively).
SEED_PLACES_AND_SERVICES = [
    r"Rock ?[Pp]ool",
    r"Inspiring Families",
    r"Calan",
    r"One Front Door",
    r"OFD",
    r"Whole Picture Approach",
    r"Women(?:'|’)s Safety Unit",
    r"Marie Collins Foundation",
    r"IKWRO",
    r"Stop Abuse for Everyone",
    r"Welsh Women(?:'|’)s Aid",
    r"Dontlookback",
    r"Big Lottery Fund",
    r"Oxfordshire",
    r"Oxford(?! University Press|: Further Education Unit| Polytechnic)",  # publishers are not
    r"Slough",
    r"Tyneside",
    r"Hounslow",
    r"Exeter",
    r"Devon",
    r"Portsmouth",
    r"Coventry",
    r"Cardiff",
]
PATTERNS = {
    "seed name": re.compile(r"\b(" + "|".join(map(re.escape, SEED_NAMES)) + r")\b"),
    "seed service or place": re.compile(r"\b(" + "|".join(SEED_PLACES_AND_SERVICES) + r")\b"),
    "phone number": re.compile(r"(?<![\w])(?:\+44\s?|0)\d{2,4}[\s-]?\d{3}[\s-]?\d{3,4}(?![\w])"),
    "e-mail address": re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+"),
    "postcode": re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b"),
}
SKIP = {ROOT / "course" / "signposting.yaml"}
SCANNED = ("course", "widgets", "workshop", "docs", "README.md", "CONTRIBUTING.md")
FILES = sorted(
    p
    for entry in SCANNED
    for p in ([ROOT / entry] if (ROOT / entry).is_file() else (ROOT / entry).rglob("*"))
    if p.is_file()
    and p.suffix in {".yaml", ".yml", ".md", ".ipynb", ".json", ".py", ".j2", ".html", ".css"}
    and p not in SKIP
    and "__pycache__" not in p.parts
)


def test_scan_covers_the_course_and_what_shows_it():
    assert any(p.parent.name == "case_studies" for p in FILES) and any(
        p.suffix == ".ipynb" for p in FILES
    )
    assert {"course", "widgets", "workshop", "README.md"} <= {
        p.relative_to(ROOT).parts[0] for p in FILES
    }


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_identifying_detail(path):
    text = path.read_text(encoding="utf-8")
    found = [f"{kind}: {m.group(0)!r}" for kind, rx in PATTERNS.items() for m in rx.finditer(text)]
    assert not found, f"{path.relative_to(ROOT)} holds {found}"


@pytest.mark.parametrize(
    "sample",
    [
        "Call Jenny on 07700 900123",
        "mail me at a.b@example.org",
        "lives at BS1 4DJ",
        "referred to Rock Pool's programme",
        "the One Front Door pilot",
        "a family in Slough",
        "Calan DVS delivers it",
    ],
)
def test_the_scan_catches_what_it_should(sample):
    assert any(rx.search(sample) for rx in PATTERNS.values())


def test_a_publisher_named_after_a_city_is_not_a_place():
    assert not PATTERNS["seed service or place"].search("New York: Oxford University Press")
    assert PATTERNS["seed service or place"].search("we train in Oxford each year")


def test_codes_and_identifiers_are_not_phone_numbers():
    assert not PATTERNS["phone number"].search('ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"')


SEEDS = ROOT.parent / "shared" / "seeds"  # the source articles, beside the repository when present


def _seed_words() -> set[str]:
    """Every word of the source articles, case-folded (empty where they are not at hand)."""
    files = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    return {w.casefold() for f in files for w in re.findall(r"[^\W\d_][\w'’-]*", f.read_text())}


def test_the_demo_s_synthetic_learners_share_no_name_with_the_sources():
    from grading.demo import FIRST_NAMES, SURNAMES, synthetic_name

    names = [synthetic_name(n) for n in range(len(FIRST_NAMES) * len(SURNAMES))]
    assert len(set(names)) == len(names), "each learner of a large demo cohort has their own name"
    parts = {p for name in names for p in name.split()}
    assert not [p for p in parts if PATTERNS["seed name"].fullmatch(p)]
    assert not [p for p in parts if p.casefold() in _seed_words()]


def test_the_seed_words_are_read_where_the_seeds_are():
    if not SEEDS.is_dir():
        pytest.skip(f"no source articles at {SEEDS}")
    assert {"vicky", "williams"} <= _seed_words()  # a name the brief lists, and one it does not
