"""Roster import: a messy but sound CSV goes in; a bad one is refused whole, every bad line named."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from nbgrader.api import Gradebook, SubmittedAssignment

from grading.roster import RosterError, import_roster, kept_roster, read_roster

pytestmark = pytest.mark.nbgrader


@pytest.fixture
def course(trainer_course):
    return trainer_course


def db(course) -> str:
    return f"sqlite:///{course / 'gradebook.db'}"


def hand_in(course, learner_id: str) -> None:
    """A submission in the gradebook, as collecting a learner's work makes one."""
    with Gradebook(db(course)) as gb:
        assignment = gb.add_assignment("01-incidents-to-patterns")
        work = SubmittedAssignment(assignment=assignment, student=gb.find_student(learner_id))
        gb.db.add(work)
        gb.db.commit()


def ids_in(course) -> list[str]:
    with Gradebook(db(course)) as gb:
        return sorted(s.id for s in gb.students)


def test_messy_but_sound_roster_is_imported(course, tmp_path):
    roster = tmp_path / "cohort.csv"
    roster.write_bytes(
        "\ufeffID ; Name ; E-mail ; Team\n"
        "sw001 ; Priya Natarajan ; p.n@example.org ; North\n"
        "\n"
        "sw002;Tom O'Neill;;South\n"
        'sw003;=HYPERLINK("x");x@example.org;North\n'.encode()
    )
    assert import_roster(roster, course, db(course)).added == ["sw001", "sw002", "sw003"]
    assert ids_in(course) == ["sw001", "sw002", "sw003"]
    with Gradebook(db(course)) as gb:
        priya = gb.find_student("sw001")
        assert (priya.first_name, priya.last_name, priya.email) == (
            "Priya",
            "Natarajan",
            "p.n@example.org",
        )
    assert (course / "roster.csv").read_text().splitlines()[:2] == [
        "id,name,email,team,id_number",
        "sw001,Priya Natarajan,p.n@example.org,North,",
    ]


def test_bad_roster_names_every_bad_line_and_imports_nothing(course, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text("id,name,email,team\nkeep1,Ann Lee,,A\n")
    import_roster(good, course, db(course))
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "id,name,email,team\n"
        "ok1,Sam Reyes,sam@example.org,A\n"
        ",No Id,,A\n"
        "ok1,Again,,B\n"
        "bad/id,Slash,,A\n"
        "ok2,Bad Mail,not-an-email,B\n"
    )
    with pytest.raises(RosterError) as err:
        import_roster(bad, course, db(course))
    message = str(err.value)
    assert "bad.csv: 4 line(s) need fixing; nothing was imported" in message
    for expected in (
        "line 3: the id is empty",
        "line 4: the id 'ok1' repeats line 2",
        "line 5: the id 'bad/id' may use only",
        "line 6: 'not-an-email' is not an e-mail address",
    ):
        assert expected in message
    assert ids_in(course) == ["keep1"], "nothing from the bad file reached the gradebook"
    assert (course / "roster.csv").read_text().count("\n") == 2, "the kept roster is unchanged"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        ("id,name,team\nx,Y,Z\n", "missing column(s) email"),
        (b"id,name,email,team\nx,Caf\xe9,,A\n", "not UTF-8 text"),
    ],
)
def test_unusable_files_say_what_to_do(tmp_path, text, message):
    path = tmp_path / "r.csv"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    with pytest.raises(RosterError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_roster(path)


def import_command(course, roster) -> subprocess.CompletedProcess:
    """``practice-lab grade roster import``, as a trainer runs it."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "practice_lab.cli",
            "grade",
            "--course-dir",
            str(course),
            "roster",
            "import",
            str(roster),
        ],
        capture_output=True,
        text=True,
        check=False,
    )


def test_cli_reports_the_problem_and_fails(course, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name,email,team\n,x,,y\n")
    proc = import_command(course, bad)
    assert proc.returncode == 1 and "line 2: the id is empty" in proc.stderr


def roster_file(tmp_path, name: str, rows: str):
    path = tmp_path / name
    path.write_text("id,name,email,team\n" + rows)
    return path


def kept(course) -> dict[str, tuple]:
    return {p.id: (p.name, p.email, p.team) for p in kept_roster(course)}


def names_in_gradebook(course) -> dict[str, str]:
    with Gradebook(db(course)) as gb:
        return {s.id: f"{s.first_name} {s.last_name}".strip() for s in gb.students}


def test_a_second_import_adds_to_the_cohort_and_says_what_changed(course, tmp_path):
    first = roster_file(tmp_path, "a.csv", "sw1,Ann Lee,,North\nsw2,Bo Chan,,South\n")
    import_roster(first, course, db(course))
    second = roster_file(tmp_path, "b.csv", "sw2,Bo Chan-Li,,South\nsw3,Cy Roe,,East\n")
    result = import_roster(second, course, db(course))
    assert (result.added, result.changed, result.unchanged, result.kept) == (
        ["sw3"],
        ["sw2"],
        [],
        ["sw1"],
    )
    assert "1 added, 1 changed, 0 unchanged, 1 kept" in result.summary(second)
    assert kept(course) == {
        "sw1": ("Ann Lee", "", "North"),
        "sw2": ("Bo Chan-Li", "", "South"),
        "sw3": ("Cy Roe", "", "East"),
    }
    assert names_in_gradebook(course) == {p: n for p, (n, _, _) in kept(course).items()}


def test_replace_makes_the_file_the_whole_cohort(course, tmp_path):
    import_roster(
        roster_file(tmp_path, "a.csv", "sw1,Ann Lee,,N\nsw2,Bo Chan,,S\n"), course, db(course)
    )
    result = import_roster(
        roster_file(tmp_path, "b.csv", "sw2,Bo Chan,,S\n"), course, db(course), replace=True
    )
    assert (result.removed, result.unchanged) == (["sw1"], ["sw2"])
    assert list(kept(course)) == ids_in(course) == ["sw2"]


def test_replace_never_removes_a_learner_with_submitted_work(course, tmp_path):
    import_roster(
        roster_file(tmp_path, "a.csv", "sw1,Ann Lee,,N\nsw2,Bo Chan,,S\n"), course, db(course)
    )
    hand_in(course, "sw1")
    before = (course / "roster.csv").read_bytes()
    with pytest.raises(RosterError, match="submitted work: sw1"):
        import_roster(
            roster_file(tmp_path, "b.csv", "sw2,Bo Chan,,S\n"), course, db(course), replace=True
        )
    assert (course / "roster.csv").read_bytes() == before and ids_in(course) == ["sw1", "sw2"]


def test_learners_in_the_gradebook_alone_join_the_kept_roster(course, tmp_path):
    """nbgrader adds a learner when it collects work from an id not on the roster."""
    with Gradebook(db(course)) as gb:
        gb.add_student("late1", first_name="Dee", last_name="Okafor")
    import_roster(roster_file(tmp_path, "a.csv", "sw1,Ann Lee,,N\n"), course, db(course))
    assert kept(course) == {"late1": ("Dee Okafor", "", ""), "sw1": ("Ann Lee", "", "N")}
    assert list(kept(course)) == ids_in(course)


def test_formula_leading_names_are_inert_in_the_kept_roster_and_read_back_as_typed(
    course, tmp_path
):
    typed = ['=HYPERLINK("http://x")', "+44 trainer", "@SUM(A1)", "'=already quoted"]
    rows = "".join(f'f{n},"{t.replace(chr(34), chr(34) * 2)}",,T\n' for n, t in enumerate(typed))
    import_roster(roster_file(tmp_path, "a.csv", rows), course, db(course))
    import csv

    with (course / "roster.csv").open(encoding="utf-8") as fh:
        written = [row["name"] for row in csv.DictReader(fh)]
    assert all(name.startswith("'") for name in written)
    assert [p.name for p in kept_roster(course)] == typed


def test_cli_prints_what_the_import_changed(course, tmp_path):
    proc = import_command(course, roster_file(tmp_path, "a.csv", "sw1,Ann Lee,,N\n"))
    assert proc.returncode == 0
    assert "1 added, 0 changed, 0 unchanged" in proc.stdout


def workbook(path, rows, start_row: int = 1):
    """An .xlsx as a spreadsheet saves it: text cells stay text (even ``=...`` typed after an
    apostrophe), numbers typed as numbers are numbers."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for r, row in enumerate(rows, start=start_row):
        for c, value in enumerate(row, start=1):
            if value is not None:
                cell = sheet.cell(row=r, column=c, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"
    book.save(path)
    return path


BAD_ROWS = [
    ["ID", "Name", "Email address", "Team", "ID number"],
    ["ok1", "Sam Reyes", "sam@example.org", "A", "1001"],
    [None, "No Id", None, "A", None],
    ["ok1", "Again", None, "B", None],
    ["ok2", "Bad Mail", "not-an-email", "B", "1001"],
]


def test_xlsx_roster_with_bad_rows_gives_the_same_line_messages_as_the_csv(tmp_path):
    as_csv = tmp_path / "cohort.csv"
    as_csv.write_text("\n".join(",".join(c or "" for c in row) for row in BAD_ROWS) + "\n")
    as_xlsx = workbook(tmp_path / "cohort.xlsx", BAD_ROWS)
    messages = []
    for path in (as_csv, as_xlsx):
        with pytest.raises(RosterError) as err:
            read_roster(path)
        messages.append(str(err.value).replace(str(path), "<file>"))
    assert messages[0] == messages[1]
    assert messages[0] == (
        "<file>: 3 line(s) need fixing; nothing was imported:\n"
        "  line 3: the id is empty\n"
        "  line 4: the id 'ok1' repeats line 2\n"
        "  line 5: 'not-an-email' is not an e-mail address; the ID number '1001' repeats line 2"
    )
    shifted = workbook(tmp_path / "shifted.xlsx", BAD_ROWS, start_row=3)
    with pytest.raises(RosterError, match=r"line 5: the id is empty\n  line 6: the id 'ok1'"):
        read_roster(shifted)  # a spreadsheet row number is the line, blank rows above included


def test_a_sound_xlsx_roster_is_read_as_typed(tmp_path):
    path = workbook(
        tmp_path / "cohort.xlsx",
        [
            ["id", "name", "E-mail", "team", "Employee number"],
            ["sw001", " Priya Natarajan ", "p.n@example.org", "North", 4012345],
            [],
            ["sw002", "Tom O'Neill", None, 7, 1234.0],
            ["sw003", '=HYPERLINK("x")', None, "North", "00123"],
        ],
    )
    assert [(p.id, p.name, p.email, p.team, p.id_number) for p in read_roster(path)] == [
        ("sw001", "Priya Natarajan", "p.n@example.org", "North", "4012345"),
        ("sw002", "Tom O'Neill", "", "7", "1234"),
        ("sw003", '=HYPERLINK("x")', "", "North", "00123"),
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"id,name,email,team\n", "not an Excel workbook (.xlsx) that can be read"),
        (b"", "not an Excel workbook (.xlsx) that can be read"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504,
            "is password-protected or an old-style",
        ),
        ("zip", "not an Excel workbook (.xlsx) that can be read"),
        ("empty", "the first sheet is empty"),
    ],
)
def test_unusable_workbooks_name_the_file_and_what_to_do(tmp_path, content, message):
    path = tmp_path / "cohort.xlsx"
    if content == "empty":
        workbook(path, [])
    elif content == "zip":  # an OpenDocument or Word file is a zip too
        import zipfile

        with zipfile.ZipFile(path, "w") as z:
            z.writestr("content.xml", "<office:document/>")
    else:
        path.write_bytes(content)
    with pytest.raises(RosterError) as err:
        read_roster(path)
    assert str(err.value).startswith(f"{path}: ") and message in str(err.value)
    assert "save it as" in str(err.value) or "first sheet" in str(err.value)


def test_id_numbers_are_kept_through_imports_and_merges(course, tmp_path):
    """An ID number is optional; a file without the column leaves kept ones alone, a changed one
    counts as changed, one number for two learners is refused, a formula is inert in
    roster.csv, and old kept rosters without the column still read."""
    (course / "roster.csv").write_text("id,name,email,team\r\nold1,Ann Lee,,A\r\n")
    assert kept(course) == {"old1": ("Ann Lee", "", "A")}
    first = tmp_path / "a.csv"
    first.write_text("id,name,email,team,ID number\nsw1,Bo Chan,,N,E100\nsw2,Cy Roe,,S,=1+2\n")
    import_roster(first, course, db(course))
    assert "sw2,Cy Roe,,S,'=1+2" in (course / "roster.csv").read_text()
    numbers = {p.id: p.id_number for p in kept_roster(course)}
    assert numbers == {"old1": "", "sw1": "E100", "sw2": "=1+2"}
    without = roster_file(tmp_path, "b.csv", "sw1,Bo Chan,,N\n")
    assert import_roster(without, course, db(course)).unchanged == ["sw1"]
    changed = tmp_path / "c.csv"
    changed.write_text("id,name,email,team,idnumber\nsw1,Bo Chan,,N,E101\nsw2,Cy Roe,,S,\n")
    result = import_roster(changed, course, db(course))
    assert (result.changed, result.unchanged) == (["sw1", "sw2"], [])
    numbers = {p.id: p.id_number for p in kept_roster(course)}
    assert numbers == {"old1": "", "sw1": "E101", "sw2": ""}
    before = (course / "roster.csv").read_bytes()
    shared = tmp_path / "d.csv"
    shared.write_text("id,name,email,team,id_number\nsw3,Di Park,,S,E101\n")
    with pytest.raises(RosterError, match=r"'E101' \(sw1, sw3\)"):
        import_roster(shared, course, db(course))
    assert (course / "roster.csv").read_bytes() == before
    assert ids_in(course) == ["old1", "sw1", "sw2"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "id,name,email,team,ID number\nsw1,Bo,,N,4.01235E+11\n",
            "line 2: the ID number '4.01235E+11' was shortened by a spreadsheet",
        ),
        (
            "id,name,email,team,ID number,Employee number\nsw1,Bo,,N,1,2\n",
            "line 1: the columns 'ID number' and 'Employee number' both give the ID number",
        ),
    ],
)
def test_id_numbers_a_spreadsheet_damaged_or_gave_twice_are_refused(tmp_path, text, message):
    path = tmp_path / "r.csv"
    path.write_text(text)
    with pytest.raises(RosterError, match=re.escape(message)):
        read_roster(path)


def test_one_learner_is_added_checked_as_a_roster_line_and_removed(course):
    from grading.roster import Learner, add_learner, remove_learner

    added = add_learner(course, db(course), Learner("sw9", " Dee Okafor ", "d@example.org", "N"))
    assert added.added == ["sw9"] and kept(course)["sw9"] == ("Dee Okafor", "d@example.org", "N")
    with pytest.raises(RosterError, match="not added: the id 'bad id' may use only"):
        add_learner(course, db(course), Learner("bad id", "X", "", ""))
    assert remove_learner(course, db(course), "sw9").removed == ["sw9"]
    assert kept(course) == {} and ids_in(course) == []
    with pytest.raises(RosterError, match="no learner with the id 'sw9'"):
        remove_learner(course, db(course), "sw9")


def test_a_learner_with_submitted_work_is_never_removed(course, tmp_path):
    from grading.roster import remove_learner

    import_roster(roster_file(tmp_path, "a.csv", "sw1,Ann Lee,,N\n"), course, db(course))
    hand_in(course, "sw1")
    with pytest.raises(RosterError, match="submitted work: sw1"):
        remove_learner(course, db(course), "sw1")
    assert ids_in(course) == ["sw1"] and list(kept(course)) == ["sw1"]
