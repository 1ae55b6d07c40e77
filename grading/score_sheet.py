"""The scores file a trainer downloads (XLSX or CSV): a row per learner with their id, names and
team (from the kept roster), then a column per graded item and per module total, each headed by
what a person calls it: the module's title, then the exercise's title.

The ids a script needs (to match a column to nbgrader's gradebook or to the course's files) stay
out of the headings. An XLSX holds them on a second sheet, "Keys"; a CSV gets a second file beside
it, ``<name>-keys.csv``, with the same rows. A CSV keeps a single heading row because spreadsheets,
Moodle and pandas all read every row after the first as a learner: a second heading row of ids
would be sorted, filtered and counted as one.

Scores are numbers rounded to two decimals (the XLSX shows two, as a number format, not text);
an empty cell is "not submitted", never 0. Text is never a formula (:func:`grading.export.defuse`).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from course_model.files import write_bytes_atomically
from course_model.titles import exercise_id, item_order, item_title, module_title
from grading.export import LEFT_OUT, csv_bytes, scores_table
from grading.roster import kept_roster

LEARNER_COLUMNS = {
    "learner": "Learner id",
    "first_name": "First name",
    "last_name": "Last name",
    "team": "Team",
    LEFT_OUT: LEFT_OUT.capitalize(),
}
TOTAL = "total"  # scores_table's name for a module's total
KEYS_HEADER = ("Column", "Heading", "Module id", "Exercise id", "Grade cell id")
SCORE_FORMAT = "0.00"
MAX_WIDTH = 30  # characters; a longer heading wraps within its column


@dataclass(frozen=True)
class Column:
    """One column of the scores sheet: its heading and the ids behind it (empty for the
    learner's own columns)."""

    title: str
    module_id: str = ""
    item_id: str = ""  # a grade cell (score_… or rubric_…) or "total"


def score_sheet(
    course: Path, db_url: str, left_out: set[tuple[str, str]] = frozenset()
) -> tuple[list[Column], list[list]]:
    """The sheet's columns and rows, as :func:`grading.export.scores_table` reads the gradebook
    (``left_out`` as there) with each learner's team added from the kept roster."""
    table = scores_table(db_url, left_out)
    teams = {p.id: p.team for p in kept_roster(course)}
    table.insert(3, "team", [teams.get(i, "") for i in table["learner"]])
    if LEFT_OUT in table:  # the modules left out, by title
        table[LEFT_OUT] = [
            "; ".join(map(module_title, v.split("; "))) if isinstance(v, str) else v
            for v in table[LEFT_OUT]
        ]
    table = table[sorted(table.columns, key=_place)]
    columns = [_column(name) for name in table.columns]
    return columns, [[_cell(v) for v in row] for row in table.itertuples(index=False)]


def _place(name: str) -> tuple:
    """Where a column goes: the learner's own first, then each module's items in course order,
    its total last; the left-out note at the end."""
    if name in LEARNER_COLUMNS:
        return (name == LEFT_OUT, "")
    module_id, item_id = name.split("/", 1)
    return (False, module_id, item_id == TOTAL, item_order(module_id, item_id))


def _column(name: str) -> Column:
    if name in LEARNER_COLUMNS:
        return Column(LEARNER_COLUMNS[name])
    module_id, item_id = name.split("/", 1)
    what = "Total" if item_id == TOTAL else item_title(module_id, item_id)
    return Column(f"{module_title(module_id)} · {what}", module_id, item_id)


def _cell(value: object) -> object:
    """A cell as written: blank for no value, a score rounded to two decimals."""
    if isinstance(value, float):
        return None if pd.isna(value) else round(value, 2)
    return value


def keys_rows(columns: list[Column]) -> list[list[str]]:
    """For each column: its letter, heading, module id, exercise id and grade cell id."""
    from openpyxl.utils import get_column_letter

    return [
        [
            get_column_letter(n),
            c.title,
            c.module_id,
            "" if c.item_id in ("", TOTAL) else exercise_id(c.item_id),
            "" if c.item_id == TOTAL else c.item_id,
        ]
        for n, c in enumerate(columns, start=1)
    ]


def keys_path(out: Path) -> Path:
    """Where a CSV export's keys go: ``scores.csv`` → ``scores-keys.csv``."""
    return out.with_name(f"{out.stem}-keys.csv")


def export_scores(
    course: Path, db_url: str, out: Path, left_out: set[tuple[str, str]] = frozenset()
) -> Path:
    """Write the scores sheet to ``out``: an XLSX workbook (a "Scores" and a "Keys" sheet) for
    an ``.xlsx`` path, otherwise a CSV with its keys in :func:`keys_path`. Each file is written
    to a temporary file and renamed, so a failed export leaves no half-written file. Returns
    ``out``."""
    columns, rows = score_sheet(course, db_url, left_out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".xlsx":
        write_bytes_atomically(out, _xlsx_bytes(columns, rows))
    else:
        write_bytes_atomically(keys_path(out), csv_bytes(KEYS_HEADER, keys_rows(columns)))
        write_bytes_atomically(out, csv_bytes([c.title for c in columns], rows))
    return out


def _xlsx_bytes(columns: list[Column], rows: list[list]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    _fill(book.active, "Scores", [c.title for c in columns], rows)
    _fill(book.create_sheet(), "Keys", list(KEYS_HEADER), keys_rows(columns))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _fill(sheet, title: str, header: list[str], rows: list[list]) -> None:
    """One sheet: a bold, wrapped and frozen heading row; text kept as text (openpyxl would
    store "=..." as a formula), scores with two decimals, columns as wide as their content."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet.title = title
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for cells in sheet.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"
            elif isinstance(cell.value, float):
                cell.number_format = SCORE_FORMAT
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for n, cells in enumerate(sheet.iter_cols(), start=1):
        longest = max(len(_shown(c.value)) for c in cells)
        sheet.column_dimensions[get_column_letter(n)].width = min(longest + 2, MAX_WIDTH)
    sheet.freeze_panes = "B2"


def _shown(value: object) -> str:
    """The text a cell shows, for sizing its column."""
    if value is None:
        return ""
    return f"{value:.2f}" if isinstance(value, float) else str(value)
