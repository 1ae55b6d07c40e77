"""Issue #25: on a shared server nobody can submit as someone else or read another learner's
submission or feedback. A trainer and two learners are real Unix users (``useradd``), and each
runs the real nbgrader commands as themselves (``runuser``); learner B attacks learner A.

Each attack test fails against nbgrader's own exchange classes. To see it, run
``EXCHANGE_UNDER_TEST=nbgrader .venv/bin/python -m pytest tests/test_exchange_users.py``: the
generated configs are then pointed back at nbgrader's defaults.
"""

from __future__ import annotations

import hashlib
import os
import pwd
import secrets
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from course_model.answers import FILE_NAME
from course_model.workspace import COURSE_ID
from practice_lab.hub import learner_paths, let_learners_reach
from tests.conftest import MODULE, answer, graded_keys

pytestmark = pytest.mark.nbgrader

BIN = Path(sys.executable).parent
UNDER_TEST = os.environ.get("EXCHANGE_UNDER_TEST", "course")  # or "nbgrader": its own classes
NBGRADER_DEFAULTS = """
c.ExchangeFactory.collect = "nbgrader.exchange.default.collect.ExchangeCollect"
c.ExchangeFactory.submit = "nbgrader.exchange.default.submit.ExchangeSubmit"
c.ExchangeFactory.release_feedback = "nbgrader.exchange.default.release_feedback.ExchangeReleaseFeedback"
"""


def run_as(user: str, *argv: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run ``argv`` as Unix user ``user`` in their home, with a clean environment whose PATH
    starts with the project's venv (nbgrader calls ``alembic`` from it)."""
    home = pwd.getpwnam(user).pw_dir
    env = [f"PATH={BIN}:/usr/bin:/bin", f"HOME={home}", "LANG=C.UTF-8"]
    env.append(f"PRACTICE_LAB_HOME={home}/practice-lab")
    proc = subprocess.run(
        ["runuser", "-u", user, "--", "env", "-i", *env, *argv],
        cwd=home,
        capture_output=True,
        text=True,
        check=False,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"{user} ran {argv[-1]!r}:\n{proc.stdout}{proc.stderr}")
    return proc


def python_as(user: str, code: str, check: bool = True) -> str:
    """Run Python ``code`` as ``user`` (Path, os and the project's grading modules imported);
    return what it printed."""
    prelude = "import os, shutil\nfrom pathlib import Path\n"
    prelude += "from grading import course_dir, learner_exchange\n"
    return run_as(user, sys.executable, "-c", prelude + code, check=check).stdout


def can_read(user: str, path: Path) -> bool:
    """Whether ``user`` can open ``path`` and read it."""
    code = f"open({str(path)!r}, 'rb').read()"
    return run_as(user, sys.executable, "-c", code, check=False).returncode == 0


@pytest.fixture(scope="module")
def users():
    """A trainer and learners A and B: new Unix users with private homes, removed afterwards."""
    if os.geteuid() != 0:
        pytest.fail(
            "these tests create Unix users (useradd, runuser): run them as root, as CI does"
        )
    suffix = secrets.token_hex(3)
    names = {role: f"cc{role}{suffix}" for role in ("trainer", "a", "b")}
    made = []
    try:
        for name in names.values():
            subprocess.run(["useradd", "-m", "-K", "HOME_MODE=0700", name], check=True)
            made.append(name)
        let_learners_reach(learner_paths())  # as `practice-lab hub` does
        if run_as(names["a"], sys.executable, "-c", "pass", check=False).returncode != 0:
            pytest.fail(
                f"{Path(sys.executable).resolve()} cannot be run by other users even after "
                "practice_lab.hub.let_learners_reach: see its log"
            )
        yield names
    finally:
        for name in made:
            subprocess.run(["userdel", "-r", name], check=False, capture_output=True)


@dataclass
class Lab:
    """A shared server: the trainer's course directory and exchange, owned by the trainer."""

    base: Path
    users: dict[str, str]

    @property
    def course(self) -> Path:
        return self.base / "trainer"

    @property
    def exchange(self) -> Path:
        return self.base / "exchange"

    @property
    def inbound(self) -> Path:
        return self.exchange / COURSE_ID / "inbound"

    def folder(self, user: str, name: str = "lab") -> Path:
        return Path(pwd.getpwnam(user).pw_dir) / name

    def learner(self, user: str, answers: dict, as_learner: str | None = None, name="lab") -> Path:
        """``user`` sets up a folder (as learner ``as_learner``, by default themselves), fetches
        the module, answers it and submits it; returns the folder."""
        folder = self.folder(user, name)
        learner_id = as_learner or user
        python_as(
            user,
            f"folder = Path({str(folder)!r})\n"
            f"learner_exchange.init(folder, Path({str(self.exchange)!r}), {learner_id!r}, True)\n"
            f"learner_exchange.fetch(folder, {MODULE!r})",
        )
        if UNDER_TEST == "nbgrader":
            with (folder / "nbgrader_config.py").open("a") as fh:
                fh.write(NBGRADER_DEFAULTS)
        answer(folder / MODULE, answers)
        subprocess.run(["chown", "-R", f"{user}:{user}", str(folder / MODULE)], check=True)
        python_as(user, f"learner_exchange.submit(Path({str(folder)!r}), {MODULE!r})")
        return folder

    def trainer(self, code: str) -> str:
        """Run ``code`` as the trainer with ``course`` set to the course directory."""
        return python_as(self.users["trainer"], f"course = Path({str(self.course)!r})\n{code}")

    def submissions_of(self, user: str) -> list[Path]:
        """The folders in inbound owned by ``user``'s account, oldest first."""
        uid = pwd.getpwnam(user).pw_uid
        found = [p for p in self.inbound.iterdir() if "+" in p.name and p.lstat().st_uid == uid]
        return sorted(found, key=lambda p: p.name.split("+")[2])

    def grade(self) -> dict[str, float]:
        """Autograde as the trainer; each learner's total."""
        from grading import export

        self.trainer(f"from grading.autograde import autograde\nautograde(course, {MODULE!r}, 1)")
        table = export.scores_table(f"sqlite:///{self.course / 'gradebook.db'}")
        return dict(zip(table["learner"], table[f"{MODULE}/total"], strict=True))


@pytest.fixture
def lab(users):
    """A course released by the trainer, in folders every user can reach, and learner A's
    genuine, fully right submission."""
    base = Path(tempfile.mkdtemp(prefix="shared-lab-"))
    base.chmod(0o755)
    lab = Lab(base, users)
    lab.course.mkdir(mode=0o700)
    lab.exchange.mkdir()
    lab.exchange.chmod(0o777)
    for path in (lab.course, lab.exchange):
        shutil.chown(path, users["trainer"], users["trainer"])
    lab.trainer(f"course_dir.init(course, Path({str(lab.exchange)!r}), shared=True)")
    if UNDER_TEST == "nbgrader":
        with (lab.course / "nbgrader_config.py").open("a") as fh:
            fh.write(NBGRADER_DEFAULTS)
    lab.trainer(f"course_dir.release(course, {MODULE!r})")
    keys = graded_keys()
    right = {k: keys[k] for k in ("sort_planets", "exploitable_contradictions")}
    lab.genuine = lab.learner(users["a"], right)
    try:
        yield lab
    finally:
        shutil.rmtree(base)
        for user in (users["a"], users["b"]):
            shutil.rmtree(Path(pwd.getpwnam(user).pw_dir) / "lab", ignore_errors=True)
            shutil.rmtree(Path(pwd.getpwnam(user).pw_dir) / "forge", ignore_errors=True)


def collected_answers(lab: Lab, learner: str) -> bytes | None:
    """The answers file collect took as ``learner``'s (None: the collected work had none)."""
    path = lab.course / "submitted" / learner / MODULE / FILE_NAME
    return path.read_bytes() if path.exists() else None


def genuine_answers(lab: Lab) -> bytes:
    """Learner A's answers file, as A saved it."""
    return (lab.genuine / MODULE / FILE_NAME).read_bytes()


def test_forged_submission_is_set_aside_and_the_genuine_one_graded(lab):
    a, b = lab.users["a"], lab.users["b"]
    lab.learner(b, {}, as_learner=a, name="forge")  # B submits a blank module named as A's,
    run_as(b, "chmod", "-R", "go-rwx", str(lab.submissions_of(b)[0]))  # locks it from the trainer
    lab.learner(b, {}, as_learner=a, name="forge")  # and submits another, the latest of all
    summary = lab.trainer(f"print(course_dir.collect(course, {MODULE!r}))")
    assert collected_answers(lab, a) == genuine_answers(lab), summary
    assert "REFUSED 2 not written by the learner named" in summary, summary
    assert summary.count(f"written by {b}, claiming to be {a}, at ") == 2, summary
    quarantine = lab.exchange / COURSE_ID / "quarantine"
    readable = lab.trainer(
        f"q = Path({str(quarantine)!r})\n"
        "print(sum(len(p.read_bytes()) > 0 for p in q.glob('*/*/*') if p.is_file()))\n"
        "[shutil.rmtree(p) for p in q.iterdir()]"
    )
    assert int(readable) >= 2, "the trainer reads what was set aside"
    assert not any(quarantine.iterdir()), "the trainer deletes what was set aside"
    assert len(list(lab.inbound.glob(".refused-*"))) == 1, "the locked one is out of sight"
    assert lab.grade()[a] == 7.0


def test_peek_another_learners_submission_is_refused(lab):
    b = lab.users["b"]
    (submission,) = lab.submissions_of(lab.users["a"])
    for path in (submission / FILE_NAME, submission / "submission_secret.txt"):
        assert not can_read(b, path), f"{b} read {path}"
    listing = run_as(b, "ls", str(submission), check=False)
    assert listing.returncode != 0, f"{b} listed {submission}"
    lab.trainer(f"course_dir.collect(course, {MODULE!r})")
    assert collected_answers(lab, lab.users["a"]) == genuine_answers(lab)


def test_file_added_to_another_learners_submission_is_not_collected(lab):
    a, b = lab.users["a"], lab.users["b"]
    (submission,) = lab.submissions_of(a)
    planted = submission / "planted.py"
    write = "import sys; open(sys.argv[1], 'w').write('print(1)')"
    tried = run_as(b, sys.executable, "-c", write, str(planted), check=False)
    assert tried.returncode != 0, f"{b} wrote into {submission}"
    # Even if the folder had been left open (an older client), collect takes only A's own files.
    planted.write_text("print(1)\n")
    shutil.chown(planted, b, b)
    summary = lab.trainer(f"print(course_dir.collect(course, {MODULE!r}))")
    assert not (lab.course / "submitted" / a / MODULE / "planted.py").exists()
    assert f"NOT copied, written by another account: from {a}'s submission: planted.py" in summary
    assert collected_answers(lab, a) == genuine_answers(lab)


def test_another_learners_feedback_cannot_be_read_by_its_path(lab):
    a, b = lab.users["a"], lab.users["b"]
    lab.trainer(f"course_dir.collect(course, {MODULE!r})")
    assert lab.grade()[a] == 7.0
    summary = lab.trainer(f"print(course_dir.feedback(course, {MODULE!r}))")
    assert "released to 1 of 1 learners" in summary, summary
    (cached,) = (lab.genuine / ".nbgrader-cache" / COURSE_ID).iterdir()
    secret = (cached / "submission_secret.txt").read_text()
    page = hashlib.md5((secret + "assessment").encode(), usedforsecurity=False).hexdigest()
    released = lab.exchange / COURSE_ID / "feedback" / f"{page}.html"
    assert not can_read(b, released), f"{b} read {a}'s feedback at {released}"
    fetched = python_as(
        a, f"print(learner_exchange.fetch_feedback(Path({str(lab.genuine)!r}), {MODULE!r}))"
    )
    assert "assessment.html" in fetched, "A fetched their own feedback"
