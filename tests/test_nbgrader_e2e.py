"""The whole grading loop on the real nbgrader commands, with three simulated learners."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import nbformat
import pytest
from nbgrader.api import Gradebook

from course_model.titles import module_title
from grading import course_dir, export, learner_exchange, score_sheet
from grading.autograde import autograde
from tests.conftest import HOSTILE, MODULE, answer, graded_keys

pytestmark = pytest.mark.nbgrader

REFLECTION = "What? A parent heard different things from police and from us. " * 20 + HOSTILE
COMMENT = "Clear analysis of the planets; name two concrete actions for his behaviour next time."


@pytest.fixture(scope="module")
def graded_course(tmp_path_factory):
    """A course released, answered by three learners, collected, autograded, marked, fed back."""
    tmp = tmp_path_factory.mktemp("e2e")
    keys = graded_keys()
    sort_key, multi_key = keys["sort_planets"], keys["exploitable_contradictions"]
    items = sorted(sort_key)
    wrong = {"dv": "cp", "cp": "contact", "contact": "dv"}
    half_sort = {
        i: (sort_key[i] if n % 2 == 0 else wrong[sort_key[i]]) for n, i in enumerate(items)
    }
    distractor = next(o for o in ["o1", "o3", "o6"] if o not in multi_key)
    learners = {
        "all-right": {
            "sort_planets": sort_key,
            "exploitable_contradictions": multi_key,
            "reflect_planets": REFLECTION,
        },
        "half-right": {
            "sort_planets": half_sort,
            "exploitable_contradictions": [*multi_key[:2], distractor],
        },
        "blank": {},
    }
    course, exchange = tmp / "trainer", tmp / "exchange"
    course_dir.init(course, exchange)
    course_dir.release(course, MODULE)
    for learner_id, answers in learners.items():
        folder = tmp / "learners" / learner_id
        learner_exchange.init(folder, exchange, learner_id)
        target = learner_exchange.fetch(folder, MODULE)[0]
        answer(target, answers)
        learner_exchange.submit(folder, MODULE)
    course_dir.collect(course, MODULE)
    autograde(course, MODULE, workers=2)
    db_url = f"sqlite:///{course / 'gradebook.db'}"
    with Gradebook(db_url) as gb:
        grade = gb.find_grade("rubric_reflect_planets", "assessment", MODULE, "all-right")
        grade.manual_score = 3
        gb.find_comment(
            "rubric_reflect_planets", "assessment", MODULE, "all-right"
        ).manual_comment = COMMENT
        gb.db.commit()
    course_dir.feedback(course, MODULE)
    return {
        "course": course,
        "exchange": exchange,
        "db_url": db_url,
        "keys": keys,
        "learners": tmp / "learners",
    }


def test_exported_scores_are_exact(graded_course, tmp_path):
    out = score_sheet.export_scores(
        graded_course["course"], graded_course["db_url"], tmp_path / "scores.csv"
    )
    table = export.scores_table(graded_course["db_url"]).set_index("learner")
    got = {
        learner_id: (
            row[f"{MODULE}/score_sort_planets"],
            row[f"{MODULE}/score_exploitable_contradictions"],
            row[f"{MODULE}/rubric_reflect_planets"],
            row[f"{MODULE}/total"],
        )
        for learner_id, row in table.iterrows()
    }
    assert got == {
        "all-right": (4.0, 3.0, 3.0, 10.0),
        "half-right": (2.0, 1.0, 0.0, 3.0),
        "blank": (0.0, 0.0, 0.0, 0.0),
    }
    heading = out.read_text(encoding="utf-8").splitlines()[0]
    assert heading.startswith("Learner id,First name,Last name,Team,")
    assert "score_" not in heading


def test_reflection_text_is_in_the_manually_graded_cell(graded_course):
    nb = nbformat.read(
        graded_course["course"] / "autograded" / "all-right" / MODULE / "assessment.ipynb", 4
    )
    shown = next(
        c
        for c in nb.cells
        if c.metadata.get("nbgrader", {}).get("grade_id") == "show_reflect_planets"
    )
    assert [o.output_type for o in shown.outputs] == ["display_data"], "not a printed stream"
    page = shown.outputs[0].data["text/html"]
    assert "What? A parent heard different things" in page and "pre-wrap" in page
    assert html.escape(HOSTILE, quote=True) in page and "<img" not in page


def test_feedback_carries_the_trainer_comment_and_no_key(graded_course):
    html = (
        graded_course["course"] / "feedback" / "all-right" / MODULE / "assessment.html"
    ).read_text()
    assert COMMENT in html
    assert "HIDDEN TESTS" not in html and "grading.cells" not in html
    assert "<img src=x onerror" not in html  # the learner's text arrives escaped
    fetched = graded_course["exchange"] / "practice-lab" / "feedback"
    assert any(fetched.rglob("*.html")), "feedback was released to the exchange"


def _released_documents(graded_course) -> list[dict]:
    """The course's feedback documents in the pages released to the exchange."""
    from course_model.feedback import embedded

    pages = (graded_course["exchange"] / "practice-lab" / "feedback").glob("*.html")
    return [embedded(page.read_text(encoding="utf-8")) for page in pages]


def test_released_feedback_carries_the_courses_document_with_no_key(graded_course):
    docs = _released_documents(graded_course)
    assert len(docs) == 3 and all(docs), "every learner's page holds the course's document"
    items = {(d["items"][2]["comment"], d["items"][2]["score"]) for d in docs}
    assert (COMMENT, 3.0) in items, "the trainer's mark and comment on the reflection"
    assert [i["exercise_id"] for i in docs[0]["items"]] == [
        "sort_planets",
        "exploitable_contradictions",
        "reflect_planets",
    ]
    assert not any("key" in item for doc in docs for item in doc["items"])


def test_explanations_carry_the_key_only_when_the_trainer_chooses(graded_course):
    from grading.course_feedback import feedback_document

    args = (graded_course["course"], MODULE, "half-right", "assessment")
    with Gradebook(graded_course["db_url"]) as gb:
        hidden = feedback_document(gb, *args, explanations=False)
        shown = feedback_document(gb, *args, explanations=True)
    keys = graded_course["keys"]
    assert all("key" not in item for item in hidden["items"])
    assert {i["exercise_id"]: i.get("key") for i in shown["items"]} == {
        "sort_planets": keys["sort_planets"],
        "exploitable_contradictions": keys["exploitable_contradictions"],
        "reflect_planets": None,
    }
    assert [i["score"] for i in shown["items"]] == [2.0, 1.0, None], "reflection not marked"


def test_no_released_file_holds_an_answer_key(graded_course):
    released = [
        p
        for p in (graded_course["exchange"] / "practice-lab" / "outbound").rglob("*")
        if p.is_file()
    ]
    released += [p for p in (graded_course["course"] / "release").rglob("*") if p.is_file()]
    assert released, "nothing was released"
    sort_key = graded_course["keys"]["sort_planets"]
    key_fragment = re.compile("|".join(rf'"{i}":\s*"{c}"' for i, c in sort_key.items()))
    for path in released:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert "HIDDEN TESTS" not in text, path
        assert "grading.cells" not in text, path
        assert not key_fragment.search(text.replace('\\"', '"')), path


def test_formgrader_opens_on_the_course(graded_course):
    """`practice-lab grade formgrade` serves nbgrader's formgrader on 127.0.0.1 behind a token."""
    import os
    import signal
    import subprocess
    import sys
    import time
    import urllib.request

    from tests.test_browser import free_port

    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "practice_lab.cli",
            "grade",
            "--course-dir",
            str(graded_course["course"]),
            "formgrade",
            "--port",
            str(port),
            "--no-browser",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    try:
        url = proc.stdout.readline().split("Formgrader: ", 1)[1].strip()
        assert url.startswith(f"http://127.0.0.1:{port}/formgrader?token=")
        deadline = time.monotonic() + 60
        while True:
            try:
                page = urllib.request.urlopen(url, timeout=5).read().decode()
                break
            except OSError:
                assert time.monotonic() < deadline, "formgrader did not answer"
                time.sleep(0.5)
        assert (
            MODULE
            in urllib.request.urlopen(
                url.replace("/formgrader?", "/formgrader/api/assignments?"), timeout=10
            )
            .read()
            .decode()
        )
        assert "formgrader" in page.lower()
        guide_url = (
            proc.stdout.readline()
            .split("Marking guide (rubrics and reusable comments): ", 1)[1]
            .strip()
        )
        guide = urllib.request.urlopen(guide_url, timeout=10).read().decode()
        assert "Seeing the planets at work" in guide and "Reusable comments" in guide
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)


def test_learner_sees_feedback_ready_and_reads_it_in_the_courses_design(graded_course):
    from practice_lab.pages import course_home  # noqa: F401 - connects nbgrader's exchange
    from widgets.home import module_status
    from widgets.submission import SubmitPanel

    folder = graded_course["learners"] / "all-right"
    assert len(learner_exchange.submissions(folder, MODULE)) == 1
    assert learner_exchange.feedback_ready(folder, MODULE)
    assert module_status(folder, MODULE) == "Feedback ready"
    assert module_status(folder, "03-manipulating-systems") == "Not started"

    panel = SubmitPanel(folder, MODULE, learner_exchange)
    assert panel.feedback_button.layout.display != "none"
    panel._show_feedback()
    shown = panel.feedback.value
    assert "<iframe" not in shown and 'class="pl-fb"' in shown
    assert html.escape(COMMENT, quote=True) in shown, "the trainer's comment is in the feedback"
    assert "3 out of 4 points" in shown and "10 out of 11 points" in shown
    # The learner's hostile reflection is text: no tag from it reaches the page.
    tags = []
    parser = HTMLParser()
    parser.handle_starttag = lambda tag, attrs: tags.append(tag)
    parser.feed(shown)
    assert "img" not in tags and "script" not in tags
    assert html.escape(HOSTILE, quote=True) in shown
    for machinery in ("Test cell", "Grade cell", "score_"):
        assert machinery not in shown
    assert (folder / MODULE / "feedback").is_dir(), "nbgrader fetch_feedback put it in place"


def test_feedback_file_name_matches_nbgraders_own_hash(graded_course):
    from nbgrader.utils import notebook_hash

    sub = next((graded_course["learners"] / "blank" / learner_exchange.CACHE_DIR).rglob("*+*+*"))
    secret = (sub / "submission_secret.txt").read_text()
    assert learner_exchange._feedback_hash(secret, "assessment") == notebook_hash(
        secret=secret, notebook_id="assessment"
    )


def test_resubmitting_keeps_every_submission_and_says_the_latest_counts(graded_course):
    from widgets.submission import SubmitPanel

    folder = graded_course["learners"] / "half-right"
    first = learner_exchange.submissions(folder, MODULE)[-1]
    panel = SubmitPanel(folder, MODULE, learner_exchange)
    panel._submit()
    times = learner_exchange.submissions(folder, MODULE)
    assert len(times) == 2 and times[-1] > first
    assert "submitted 2 times" in panel.status.value and "only the latest" in panel.status.value
    assert learner_exchange.feedback_ready(folder, MODULE), "feedback on the first submission stays"
    inbound = graded_course["exchange"] / "practice-lab" / "inbound"
    assert len(list(inbound.glob(f"half-right+{MODULE}+*"))) == 2


def _trainer(course, *args):
    import subprocess
    import sys

    return subprocess.run(
        [sys.executable, "-m", "practice_lab.cli", "grade", "--course-dir", str(course), *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_an_unreadable_submission_is_never_left_out_silently(graded_course, tmp_path):
    """Before: the report skipped a damaged answers file, changed the cohort's figures and said
    nothing; the export used its score as if it meant something."""
    import shutil

    course = tmp_path / "trainer"
    shutil.copytree(graded_course["course"], course)
    damaged = course / "autograded" / "half-right" / MODULE / "answers.json"
    damaged.write_text('{"schema_version": 1, "answers": {"sort_pla')
    report, scores = tmp_path / "report.html", tmp_path / "scores.csv"
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name,email,team\nall-right,A R,,T\nhalf-right,H R,,T\nblank,B L,,T\n")
    assert _trainer(course, "roster", "import", str(roster)).returncode == 0

    for step, out in [("report", report), ("export", scores)]:
        refused = _trainer(course, step, "--out", str(out))
        assert refused.returncode == 1, refused.stderr
        assert f"half-right, {MODULE}: {damaged}: answers.json is not valid JSON" in refused.stderr
        assert "--allow-unreadable" in refused.stderr and not out.exists()

    allowed = _trainer(course, "report", "--out", str(report), "--allow-unreadable")
    assert allowed.returncode == 0 and "1 submission(s) left out" in allowed.stderr
    page = html.unescape(report.read_text())
    assert "1 submission(s) left out" in page
    title = module_title(MODULE)
    assert f"half-right, {title}: answers.json: answers.json is not valid JSON" in page
    assert "2 learners with graded work" in page  # the damaged one is in no figure
    assert f"{title}: H R (half-right" not in page  # and is not listed as "not yet submitted"

    assert _trainer(course, "export", "--out", str(scores), "--allow-unreadable").returncode == 0
    table = export.pd.read_csv(scores).set_index("Learner id")
    assert export.pd.isna(table.loc["half-right", f"{title} · Total"])
    assert table.loc["half-right", "Left out (answers unreadable)"] == title
    assert table.loc["all-right", f"{title} · Total"] == 10.0
