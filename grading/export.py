"""The gradebook as a table for machines (one row per learner, a column per item and per module
total, named by ids), and the one CSV writer every export uses.

Read through nbgrader's own Gradebook API; :mod:`grading.score_sheet` turns the table into the
file a trainer downloads, headed by titles. Text cells that a spreadsheet would run as a formula
(starting ``=``, ``+``, ``-``, ``@``, tab or carriage return) are prefixed with ``'`` so that a
learner's name can never become code in the trainer's spreadsheet.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Sequence

import pandas as pd
from nbgrader.api import Gradebook, MissingEntry

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def defuse(value: object) -> object:
    """Make a text cell inert in spreadsheets; numbers pass through unchanged. Text that already
    starts with ``'`` before a formula character gets one more, so :func:`undefuse` gives back
    exactly what was typed."""
    if isinstance(value, str) and value.removeprefix("'").startswith(FORMULA_START):
        return "'" + value
    return value


def undefuse(text: str) -> str:
    """The text as typed, from a cell that :func:`defuse` made inert."""
    defused = text.startswith("'") and text[1:].removeprefix("'").startswith(FORMULA_START)
    return text[1:] if defused else text


def csv_bytes(header: Sequence[object], rows: Iterable[Sequence[object]]) -> bytes:
    """A CSV file (UTF-8, commas, ``"`` quotes, CRLF lines, as spreadsheets write it) with every
    text cell :func:`defuse`d; ``None`` and NaN are empty cells, numbers are written as numbers.
    The one way this project writes a CSV that a trainer may open in a spreadsheet."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    for row in [header, *rows]:
        writer.writerow(["" if _blank(v) else defuse(v) for v in row])
    return out.getvalue().encode("utf-8")


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


LEFT_OUT = "left out (answers unreadable)"


def scores_table(db_url: str, left_out: set[tuple[str, str]] = frozenset()) -> pd.DataFrame:
    """Scores as a table: learner id, names, then ``<module>/<item>`` and ``<module>/total`` columns.

    A learner with no submission of a module has empty cells for it, not zeros, so "not
    submitted" and "scored 0" stay distinguishable. A ``(learner, module)`` in ``left_out`` (its
    answers file unreadable) has empty cells too, and the module is named in a last column.
    """
    rows: dict[str, dict] = {}
    with Gradebook(db_url) as gb:
        for student in gb.students:
            rows[student.id] = {
                "learner": student.id,
                "first_name": student.first_name or "",
                "last_name": student.last_name or "",
            }
        for assignment in gb.assignments:
            for student_id, row in rows.items():
                if (student_id, assignment.name) in left_out:
                    row[LEFT_OUT] = "; ".join(filter(None, [row.get(LEFT_OUT), assignment.name]))
                    continue
                try:
                    submission = gb.find_submission(assignment.name, student_id)
                except MissingEntry:
                    continue
                for nb in submission.notebooks:
                    for grade in sorted(nb.grades, key=lambda g: g.name):
                        row[f"{assignment.name}/{grade.name}"] = float(grade.score)
                row[f"{assignment.name}/total"] = float(submission.score)
    table = pd.DataFrame(list(rows.values()))
    if table.empty:
        return pd.DataFrame(columns=["learner", "first_name", "last_name"])
    return table.sort_values("learner").reset_index(drop=True)
