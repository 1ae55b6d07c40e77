"""Bad input on the command line and in files: a clear message, the right exit code, nothing
harmed. Each test here reproduces a failure found by trying the tools as a careless or hostile
user would (issue 17)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time

import pytest
from conftest import MODULE

from course_model.answers import AnswersStore, read_answers

# Each level repeats the one before nine times: nine levels are 9**9 (387 million) values.
BILLION_LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(97 + n)}: &{chr(97 + n)} [{', '.join([f'*{chr(96 + n)}'] * 9)}]\n" for n in range(1, 9)
)


def practice_lab(*args: str, env: dict | None = None, timeout: float = 60):
    return subprocess.run(
        [sys.executable, "-m", "practice_lab.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        check=False,
    )


def test_a_billion_laughs_file_is_refused_with_its_line_not_expanded(course_copy):
    """Before: `check` ran until killed at 6.8 GB. The timeout only guards against that hang."""
    bomb = course_copy / "case_studies" / "a-staying-together.yaml"
    bomb.write_text(BILLION_LAUGHS)
    proc = practice_lab("check", env={"PRACTICE_LAB_COURSE": str(course_copy)}, timeout=120)
    assert proc.returncode == 1
    assert f"{bomb.name}:5: expands to more than 50,000 values" in proc.stderr
    assert "write the values out" in proc.stderr


def test_a_file_that_contains_itself_is_refused(course_copy):
    path = course_copy / "signposting.yaml"
    path.write_text("services: &s\n  - name: x\n    more: *s\n")
    proc = practice_lab("check", env={"PRACTICE_LAB_COURSE": str(course_copy)})
    assert proc.returncode == 1 and "signposting.yaml:1: contains itself" in proc.stderr


def test_an_oversized_content_file_is_refused(course_copy):
    path = course_copy / "signposting.yaml"
    path.write_text("# padding\n" * 120_000)
    proc = practice_lab("check", env={"PRACTICE_LAB_COURSE": str(course_copy)})
    assert proc.returncode == 1
    assert "signposting.yaml: (whole file): larger than 1,000,000 bytes" in proc.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("--home", "{file}", "check"),
        ("grade", "--course-dir", "{file}", "init"),
        ("grade", "--course-dir", "{file}", "report"),
        ("grade", "--course-dir", "{file}/below", "init"),
        ("grade", "init", "--exchange", "{file}"),
        ("grade", "roster", "import", "{missing}"),
        ("grade", "roster", "import", "{folder}"),
        ("grade", "export", "--out", "{folder}"),
        ("grade", "report", "--out", "{missing}/report.html"),
    ],
)
def test_a_wrong_path_gets_one_line_naming_it_and_exit_2(tmp_path, args):
    """Before: a file given as --course-dir or --home gave a Python traceback."""
    a_file = tmp_path / "notes.txt"
    a_file.write_text("not a folder")
    places = {"file": a_file, "missing": tmp_path / "nowhere", "folder": tmp_path}
    proc = practice_lab(*(arg.format(**places) for arg in args))
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and str(tmp_path) in lines[0]


@pytest.mark.nbgrader
@pytest.mark.parametrize("step", ["release", "collect", "autograde", "feedback"])
def test_an_unknown_module_names_the_modules_that_exist(tmp_path, step):
    """Before: `grade autograde 99-nope` exited 0 having done nothing."""
    course = str(tmp_path / "trainer")
    assert practice_lab("grade", "--course-dir", course, "init").returncode == 0
    proc = practice_lab("grade", "--course-dir", course, step, "99-nope")
    assert proc.returncode == 1
    assert "no module called '99-nope'" in proc.stderr and MODULE in proc.stderr


SAVER = """
import sys
from course_model.answers import AnswersStore
store = AnswersStore(sys.argv[1], sys.argv[2])
n = 0
while True:
    n += 1
    store.save("reflect_planets", "x" * 200_000 + str(n))
"""


def test_temporaries_left_by_killed_saves_are_removed_when_the_page_opens(tmp_path):
    """Before: `.answers-*.tmp` files piled up (5 and 41 after two runs) and were never removed."""
    AnswersStore(tmp_path, MODULE).save("sort_planets", {"s1": "dv"})
    for _ in range(3):
        saver = subprocess.Popen([sys.executable, "-c", SAVER, str(tmp_path), MODULE])
        time.sleep(1.0)
        saver.send_signal(signal.SIGKILL)
        saver.wait()
    for _ in range(5):  # exactly what a save killed mid-write leaves
        fd, _name = tempfile.mkstemp(prefix=".answers-", suffix=".tmp", dir=tmp_path)
        os.write(fd, b'{"schema_version": 1, "answers": {"half')
        os.close(fd)
    assert len(list(tmp_path.glob(".answers-*.tmp"))) >= 5
    store = AnswersStore(tmp_path, MODULE)
    assert list(tmp_path.glob(".answers-*.tmp")) == []
    assert store.get("sort_planets") == {"s1": "dv"}
    assert read_answers(tmp_path)[1] is None
