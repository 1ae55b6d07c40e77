"""Exports are data, never code: a learner's typed name cannot become a spreadsheet formula."""

from __future__ import annotations

import csv
import zipfile

import pytest
from openpyxl import load_workbook

from grading import course_dir, export
from grading.roster import import_roster

pytestmark = pytest.mark.nbgrader

HOSTILE_NAME = '=HYPERLINK("http://example.invalid","click")'


@pytest.fixture
def db_url(tmp_path):
    course = tmp_path / "trainer"
    course_dir.init(course, tmp_path / "exchange")
    roster = tmp_path / "r.csv"
    with roster.open("w", newline="") as fh:
        csv.writer(fh).writerows(
            [
                ["id", "name", "email", "team"],
                ["l1", f"Ann {HOSTILE_NAME}", "", "A"],
                ["l2", "+cmd|' /C calc'!A0", "", "B"],
            ]
        )
    import_roster(roster, course, f"sqlite:///{course / 'gradebook.db'}")
    return f"sqlite:///{course / 'gradebook.db'}"


def test_csv_cells_that_look_like_formulas_are_defused(db_url, tmp_path):
    out = export.export_scores(db_url, tmp_path / "scores.csv")
    rows = list(csv.DictReader(out.open()))
    assert [r["learner"] for r in rows] == ["l1", "l2"]
    assert rows[0]["last_name"] == "'" + HOSTILE_NAME
    assert rows[1]["first_name"].startswith("'+")


def test_xlsx_keeps_text_as_text(db_url, tmp_path):
    out = export.export_scores(db_url, tmp_path / "scores.xlsx")
    sheet = load_workbook(out).active
    cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(c.value.startswith("=HYPERLINK") for c in cells), "the name is kept exactly as typed"
    assert all(c.data_type == "s" for c in cells)
    with zipfile.ZipFile(out) as book:
        assert "<f>" not in book.read("xl/worksheets/sheet1.xml").decode(), (
            "no formula in the sheet"
        )
    assert not list(tmp_path.glob(".*.tmp")), "no temporary file left behind"


def test_the_one_csv_writer_defuses_text_and_keeps_numbers_and_blanks():
    data = export.csv_bytes(
        ["name", "=header", "score"],
        [["-5 minus", "+44 7000", -2.5], ["Ann", None, float("nan")], ['say "hi"', "@x", 3]],
    )
    assert data.decode("utf-8").split("\r\n") == [
        "name,'=header,score",
        "'-5 minus,'+44 7000,-2.5",
        "Ann,,",
        '"say ""hi""",\'@x,3',
        "",
    ]
