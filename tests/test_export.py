"""Exports are data, never code: a learner's typed name cannot become a spreadsheet formula."""

from __future__ import annotations

import csv
import zipfile

import pytest
from openpyxl import load_workbook

from grading import course_dir, export, score_sheet
from grading.roster import import_roster

pytestmark = pytest.mark.nbgrader

HOSTILE_NAME = '=HYPERLINK("http://example.invalid","click")'


@pytest.fixture
def course(tmp_path):
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
    return course


def _export(course, out):
    return score_sheet.export_scores(course, f"sqlite:///{course / 'gradebook.db'}", out)


def test_csv_cells_that_look_like_formulas_are_defused(course, tmp_path):
    out = _export(course, tmp_path / "scores.csv")
    rows = list(csv.DictReader(out.open()))
    assert [r["Learner id"] for r in rows] == ["l1", "l2"]
    assert rows[0]["Last name"] == "'" + HOSTILE_NAME
    assert rows[1]["First name"].startswith("'+")
    assert [r["Team"] for r in rows] == ["A", "B"]


def test_xlsx_keeps_text_as_text(course, tmp_path):
    out = _export(course, tmp_path / "scores.xlsx")
    book = load_workbook(out)
    cells = [c for s in book for row in s.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(c.value.startswith("=HYPERLINK") for c in cells), "the name is kept exactly as typed"
    assert all(c.data_type == "s" for c in cells)
    with zipfile.ZipFile(out) as zipped:
        for sheet in ("sheet1", "sheet2"):  # the scores, and the keys
            assert "<f>" not in zipped.read(f"xl/worksheets/{sheet}.xml").decode(), (
                "no formula in the workbook"
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
