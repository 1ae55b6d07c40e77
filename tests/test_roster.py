"""Roster import: a messy but sound CSV goes in; a bad one is refused whole, every bad line named."""

from __future__ import annotations

import subprocess
import sys

import pytest
from nbgrader.api import Gradebook

from grading import course_dir
from grading.roster import RosterError, import_roster, read_roster

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
    assert import_roster(roster, course, db(course)) == 3
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


def test_cli_reports_the_problem_and_fails(course, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name,email,team\n,x,,y\n")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "practice_lab.cli",
            "grade",
            "--course-dir",
            str(course),
            "roster",
            "import",
            str(bad),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1 and "line 2: the id is empty" in proc.stderr
