"""The scores export as a trainer opens it: columns headed by titles (ids only on the keys sheet
and in the keys file), the roster's team kept, scores as numbers rounded to two decimals in
sized columns under a frozen heading. Fast: see tests/small_cohort.py."""

from __future__ import annotations

import csv

import pytest
from nbgrader.api import Gradebook
from openpyxl import load_workbook

from grading import score_sheet
from tests.small_cohort import EXERCISE, ITEMS, MODULE, TITLE, make_cohort, name
from tests.spreadsheets import sheets_as_shown


@pytest.fixture
def small(tmp_path):
    return make_cohort(tmp_path, graded=5)


def test_xlsx_heads_columns_by_title_keeps_ids_on_a_keys_sheet_and_keeps_teams(small, tmp_path):
    course, db_url, ids = small
    book = load_workbook(score_sheet.export_scores(course, db_url, tmp_path / "scores.xlsx"))
    scores, keys = book["Scores"], book["Keys"]
    header = [c.value for c in scores[1]]
    sort_title = f"{TITLE} · {EXERCISE['score_sort_planets']}"
    assert header[:4] == ["Learner id", "First name", "Last name", "Team"]
    assert sort_title in header and f"{TITLE} · Total" in header
    assert not [h for h in header if "score_" in h or MODULE in h], "ids stay off the headings"
    rows = {r[0]: r for r in scores.iter_rows(min_row=2, values_only=True)}
    assert [rows[i][3] for i in ids] == ["N team", "S team"] * 3
    assert rows[ids[5]][header.index(sort_title)] is None  # not submitted is not zero
    key_rows = list(keys.iter_rows(values_only=True))
    assert key_rows[0] == ("Column", "Heading", "Module id", "Exercise id", "Grade cell id")
    by_heading = {r[1]: r for r in key_rows[1:]}
    assert by_heading[sort_title][2:] == (MODULE, "sort_planets", "score_sort_planets")
    assert scores.freeze_panes == "B2"


def test_xlsx_scores_are_numbers_rounded_to_two_decimals_in_sized_columns(small, tmp_path):
    course, db_url, ids = small
    scores = load_workbook(score_sheet.export_scores(course, db_url, tmp_path / "s.xlsx"))["Scores"]
    header = [c.value for c in scores[1]]
    cells = [c for row in scores.iter_rows(min_row=2, max_row=6) for c in row[4:]]
    assert all(c.data_type == "n" and c.number_format == "0.00" for c in cells)
    assert all(round(c.value, 2) == c.value for c in cells)
    assert any(c.value == 2.67 for c in cells)  # 8/3: a third, rounded
    width = {h: scores.column_dimensions[chr(ord("A") + n)].width for n, h in enumerate(header)}
    longest_name = max(len(name(n).rpartition(" ")[0]) for n in range(len(ids)))
    assert longest_name + 2 <= width["First name"] < 20
    assert width[f"{TITLE} · Total"] == score_sheet.MAX_WIDTH  # a long heading wraps instead


def test_csv_has_one_heading_row_of_titles_and_its_ids_in_a_keys_file(small, tmp_path):
    course, db_url, _ = small
    out = score_sheet.export_scores(course, db_url, tmp_path / "scores.csv")
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert rows[0][:4] == ["Learner id", "First name", "Last name", "Team"]
    assert f"{TITLE} · {EXERCISE['score_exploitable_contradictions']}" in rows[0]
    assert not [h for h in rows[0] if "score_" in h or MODULE in h]
    assert all(r[0].startswith("sw") for r in rows[1:]), "every row after the first is a learner"
    keys = list(csv.DictReader(score_sheet.keys_path(out).open(encoding="utf-8")))
    assert [k["Heading"] for k in keys] == rows[0]
    assert {k["Grade cell id"] for k in keys} >= set(ITEMS)


NAMES = [
    "Zoë Ní Bhriain",
    "ليلى حداد",
    '=HYPERLINK("http://evil.example") Lee',
    "+44 Doe",
    "Ana Lee",
]


def test_libreoffice_shows_the_gradebook_s_scores_rounded_and_names_as_typed(tmp_path):
    """The XLSX opened in LibreOffice Calc (converted to CSV as Calc displays each cell):
    every score is the gradebook's, to two decimals; accented, right-to-left and
    formula-looking names are text, shown as typed."""
    course, db_url, ids = make_cohort(tmp_path, graded=4, names=NAMES)
    xlsx = score_sheet.export_scores(course, db_url, tmp_path / "scores.xlsx")
    shown = sheets_as_shown(xlsx, tmp_path)
    assert set(shown) == {"Scores", "Keys"}
    header, *rows = shown["Scores"]
    column = {k[1]: k[4] for k in shown["Keys"][1:]}  # heading -> grade cell id
    by_id = {row[0]: row for row in rows}
    with Gradebook(db_url) as gb:
        for learner in ids[:4]:
            for cell in ITEMS:
                expected = gb.find_grade(cell, "assessment", MODULE, learner).score
                heading = next(h for h, c in column.items() if c == cell)
                assert by_id[learner][header.index(heading)] == f"{expected:.2f}"
    names = [" ".join(by_id[i][1:3]) for i in ids]
    assert names == NAMES, "names are shown as typed, never run as formulas"
