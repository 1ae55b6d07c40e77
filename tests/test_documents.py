"""Documents people keep, opened in the applications people open them with: a CPD record's PDF
read back by poppler (``pdftotext``, ``pdfinfo``, ``pdffonts``, ``pdftoppm``, from Debian's
poppler-utils, which `make test` installs). Every word of every field is there, however long,
the PDF is tagged for screen readers with its fonts embedded, and no ink falls off the page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image

from course_model import cpd
from tests.conftest import MODULE
from tests.pdfs import contains, is_tagged, pdf_words, poppler, words

A4_MM = (210, 297)
CLEAR_MM = {"left": 15, "right": 15, "top": 8, "bottom": 8}  # inside the 20-24 mm margins


@pytest.fixture(scope="module")
def long_record(tmp_path_factory) -> tuple[dict, Path]:
    """A CPD record with a title longer than a line and a reflection of the most a learner may
    write (20,000 characters), exported to PDF."""
    folder = tmp_path_factory.mktemp("learner")
    vocabulary = "noticed pattern control isolation professional curiosity safety plan".split()
    reflection, n = [], 0
    while len(" ".join(reflection)) < cpd.MAX_CHARS - 20:
        reflection.append(f"{vocabulary[n % len(vocabulary)]}{n}")
        n += 1
    record = cpd.blank_record(MODULE) | {
        "title": "Coercive Control Practice Lab: three planets, one family, and what each "
        "professional around the family could see, share and do differently next time",
        "learned": "How a perpetrator's pattern shows across planets; Zoë Ní Bhriain's notes.",
        "practice_change": "I will map the pattern <b>before</b> a contact report & share it.",
        "peer_who": "A senior practitioner",
        "peer_discussion": "We discussed the planets.\nSecond paragraph, after a line break.",
        "reflection": " ".join(reflection),
    }
    _, _, pdf = cpd.export(folder, record, "Zoë Ní Bhriain")
    return record, pdf


def test_the_cpd_record_pdf_holds_every_field_word_for_word(long_record):
    record, pdf = long_record
    found = pdf_words(pdf)
    assert contains(found, words(f"CPD record: {record['title']}")), "the title is cut off"
    for field in ("learned", "practice_change", "peer_who", "peer_discussion", "reflection"):
        assert contains(found, words(record[field])), f"{field} is not there word for word"
    assert contains(found, words("Zoë Ní Bhriain")) and contains(found, ["70", "minutes"])


def test_the_cpd_record_pdf_is_tagged_with_its_fonts_embedded(long_record):
    _, pdf = long_record
    info = poppler("pdfinfo", pdf)
    assert is_tagged(pdf), info
    assert re.search(r"^Title:\s+CPD record: Coercive Control Practice Lab", info, re.M), info
    fonts = poppler("pdffonts", pdf).splitlines()[2:]
    assert fonts and all(" yes " in line for line in fonts), "\n".join(fonts)


def test_no_ink_falls_outside_the_cpd_record_s_margins(long_record, tmp_path):
    _, pdf = long_record
    poppler("pdftoppm", "-r", "60", "-gray", "-png", pdf, tmp_path / "page")
    pages = sorted(tmp_path.glob("page*.png"))
    assert len(pages) > 3, "a 20,000-character reflection runs over several pages"
    for page in pages:
        image = Image.open(page).convert("L")
        per_mm = image.width / A4_MM[0]
        w, h = image.size
        strips = {
            "left": (0, 0, int(CLEAR_MM["left"] * per_mm), h),
            "right": (w - int(CLEAR_MM["right"] * per_mm), 0, w, h),
            "top": (0, 0, w, int(CLEAR_MM["top"] * per_mm)),
            "bottom": (0, h - int(CLEAR_MM["bottom"] * per_mm), w, h),
        }
        for side, box in strips.items():
            darkest = image.crop(box).getextrema()[0]
            assert darkest > 200, f"{page.name}: ink in the {side} margin"
