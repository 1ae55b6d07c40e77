"""Exports for Moodle's grade import, a council's learning records and CPD hours: exact columns
and rows for a small cohort in a real nbgrader gradebook, and no cell a spreadsheet would run."""

from __future__ import annotations

import csv
import io
import stat
from datetime import datetime

import pytest
from nbgrader.api import Gradebook

from grading import course_dir, records
from grading.export import LEFT_OUT
from grading.roster import import_roster

pytestmark = pytest.mark.nbgrader

M1, M2 = "01-incidents-to-patterns", "02-three-planets"
T1 = "From incidents to patterns: coercive control"
T2 = "Three planets: why families get contradictory messages"
HOSTILE = '=HYPERLINK("http://example.invalid","click")'
ROSTER = [
    ["id", "name", "email", "team", "ID number"],
    ["l1", "Ann Lee", "ann@example.org", "North", "E100"],
    ["l2", f"{HOSTILE} Lee", "l2@example.org", "@SUM(A1)", "=2+2"],
    ["l3", "Cy Roe", "", "South", "E300"],
]
# (learner, module): (day in March 2025, {grade cell: score}); noon UTC is that day everywhere.
GRADED = {
    ("l1", M1): (14, {"score_a": 4.5, "score_b": 3}),
    ("l1", M2): (15, {"score_c": 4, "rubric_r": None}),  # the reflection is not yet marked
    ("l2", M1): (16, {"score_a": 3, "score_b": 0}),
    ("l3", M2): (17, {"score_c": 1, "rubric_r": 2}),  # its answers file is unreadable
}
CELLS = {M1: {"score_a": 6, "score_b": 4}, M2: {"score_c": 4, "rubric_r": 2}}
LEFT = {("l3", M2)}


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    """Three learners imported through the roster import; submissions graded in the gradebook
    through nbgrader's own API (the full release-to-autograde pipeline is tests/test_nbgrader_e2e)."""
    tmp = tmp_path_factory.mktemp("records")
    course = tmp / "trainer"
    course_dir.init(course, tmp / "exchange")
    db_url = course_dir.db_url(course)
    roster = tmp / "cohort.csv"
    with roster.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(ROSTER)
    import_roster(roster, course, db_url)
    with Gradebook(db_url) as gb:
        for module, cells in CELLS.items():
            gb.add_assignment(module)
            gb.add_notebook("assessment", module)
            for cell, points in cells.items():
                gb.add_grade_cell(cell, "assessment", module, max_score=points, cell_type="code")
        for (learner, module), (day, scores) in GRADED.items():
            gb.add_submission(module, learner, timestamp=datetime(2025, 3, day, 12))
            for cell, score in scores.items():
                grade = gb.find_grade(cell, "assessment", module, learner)
                grade.auto_score, grade.needs_manual_grade = score, score is None
        gb.db.commit()
    return course, db_url


def rows_of(export: records.Export) -> list[list[str]]:
    return list(csv.reader(io.StringIO(export.data.decode("utf-8"))))


def test_moodle_file_has_the_mapping_column_then_a_column_per_module(cohort):
    export = records.moodle_grades(*cohort, left_out=LEFT)
    assert rows_of(export) == [
        ["First name", "Last name", "Email address", f"{T1} (out of 10)", f"{T2} (out of 6)"],
        ["Ann", "Lee", "ann@example.org", "7.5", "4"],
        ["'" + HOSTILE, "Lee", "l2@example.org", "3", ""],
    ]
    assert export.notes == [
        f"l3, {M2}: left out (answers unreadable); no completion or score for it",
        f"l1, {M2}: a reflection is not yet marked, so the score is without it",
        "l3 (Cy Roe): no email address on the roster; not in the file",
    ]


def test_moodle_file_by_id_number_and_never_two_rows_for_one_identifier(cohort, tmp_path):
    by_number = records.moodle_grades(*cohort, left_out=LEFT, identify_by="id_number")
    assert rows_of(by_number) == [
        ["First name", "Last name", "ID number", f"{T1} (out of 10)", f"{T2} (out of 6)"],
        ["Ann", "Lee", "E100", "7.5", "4"],
        ["Cy", "Roe", "E300", "", ""],  # left out: no grade, not a zero
    ]
    assert (
        f"l2 ({HOSTILE} Lee): the ID number '=2+2' starts like a spreadsheet formula; "
        "not in the file" in by_number.notes
    )
    shared = tmp_path / "trainer"
    course_dir.init(shared, tmp_path / "exchange")
    twins = tmp_path / "twins.csv"
    twins.write_text(
        "id,name,email,team\nl1,Ann Lee,ann@example.org,N\nl4,Di Park,ann@example.org,N\n"
    )
    import_roster(twins, shared, course_dir.db_url(shared))
    export = records.moodle_grades(shared, course_dir.db_url(shared))
    assert rows_of(export) == [["First name", "Last name", "Email address"]]
    assert export.notes == [
        f"{who}: shares the email address 'ann@example.org'; not in the file"
        for who in ("l1 (Ann Lee)", "l4 (Di Park)")
    ]
    with pytest.raises(ValueError, match="identify_by"):
        records.moodle_grades(*cohort, identify_by="username")


def test_learning_records_are_one_row_per_completed_module(cohort):
    export = records.learning_records(*cohort, left_out=LEFT)
    course_title = "Coercive Control Practice Lab"
    hostile = ["l2", "'=2+2", "l2@example.org", f"'{HOSTILE} Lee", course_title]
    ann = ["l1", "E100", "ann@example.org", "Ann Lee", course_title]
    assert rows_of(export) == [
        list(records.RECORD_COLUMNS),
        [*ann, M1, T1, "2025-03-14", "60", "7.5", "10"],
        [*ann, M2, T2, "2025-03-15", "70", "4", "6"],
        [*hostile, M1, T1, "2025-03-16", "60", "3", "10"],
    ]
    assert f"l3, {M2}: left out (answers unreadable); no completion or score for it" in (
        export.notes
    )


def test_cpd_hours_are_minutes_per_module_and_a_total_per_learner(cohort):
    rows = rows_of(records.cpd_hours(*cohort, left_out=LEFT))
    people = ["Learner", "Name", "ID number", "Email address", "Team"]
    totals = ["Total minutes", "Total hours", LEFT_OUT]
    hostile = ["l2", f"'{HOSTILE} Lee", "'=2+2", "l2@example.org", "'@SUM(A1)"]
    assert rows == [
        [*people, f"{T1} (minutes)", f"{T2} (minutes)", *totals],
        ["l1", "Ann Lee", "E100", "ann@example.org", "North", "60", "70", "130", "2.17", ""],
        [*hostile, "60", "0", "60", "1", ""],
        ["l3", "Cy Roe", "E300", "", "South", "0", "", "0", "0", M2],
    ]
    without = rows_of(records.cpd_hours(*cohort))
    assert without[0][-1] == "Total hours" and without[3][5:] == ["0", "70", "70", "1.17"]


def test_every_export_is_written_whole_and_for_the_trainer_only(cohort, tmp_path):
    for shape in records.SHAPES:
        export = records.build_export(shape, *cohort, left_out=LEFT)
        out = records.write_export(export, tmp_path / "out" / f"{shape}.csv")
        assert out.read_bytes() == export.data
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
        text = export.data.decode("utf-8")
        cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
        assert not [c for c in cells if c.startswith(("=", "+", "@", "-"))], shape
    assert not list((tmp_path / "out").glob(".*.tmp"))
    with pytest.raises(ValueError, match="unknown export"):
        records.build_export("xml", *cohort)
