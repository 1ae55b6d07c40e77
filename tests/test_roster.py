"""Roster import: a messy but sound CSV goes in; a bad one is refused whole, every bad line named."""

from __future__ import annotations

import subprocess
import sys

import pytest
from nbgrader.api import Gradebook, SubmittedAssignment

from grading import course_dir
from grading.roster import RosterError, import_roster, kept_roster, read_roster

pytestmark = pytest.mark.nbgrader


@pytest.fixture
def course(tmp_path):
    path = tmp_path / "trainer"
    course_dir.init(path, tmp_path / "exchange")
    return path


def db(course) -> str:
    return f"sqlite:///{course / 'gradebook.db'}"


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
    assert (course / "roster.csv").read_text().splitlines()[
        1
    ] == "sw001,Priya Natarajan,p.n@example.org,North"


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
    with Gradebook(db(course)) as gb:
        work = SubmittedAssignment(
            assignment=gb.add_assignment("01-incidents-to-patterns"), student=gb.find_student("sw1")
        )
        gb.db.add(work)
        gb.db.commit()
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
