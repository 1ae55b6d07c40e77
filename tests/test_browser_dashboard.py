"""The trainer's dashboard runs a cohort from a page: roster upload to released feedback, with real
Voilà, headless Chromium, real nbgrader and a real gradebook, and no command line in between.

Learners act through the learner's side of nbgrader's exchange (what their pages call); the trainer
marks a reflection on formgrader's own page, opened from the dashboard. The row's buttons are
pressed from the keyboard (focus, then Enter), as a trainer who does not use a mouse would.
"""

from __future__ import annotations

import os
import sys
import urllib.request

import pytest
from nbgrader.api import Gradebook
from playwright.sync_api import expect

from course_model.feedback import embedded
from course_model.titles import module_title
from grading import course_dir, export, formgrader, learner_exchange
from practice_lab.dashboard import EXPLAIN
from tests import processes
from tests.conftest import MODULE, answer, graded_keys
from tests.dashboard_steps import STEP_S, mark_in_formgrader, press, row
from tests.fixtures_browser import free_port, shoot

pytestmark = [pytest.mark.browser, pytest.mark.nbgrader]


@pytest.fixture
def dashboard(tmp_path):
    """`practice-lab grade dashboard` on a free port, for a fresh course directory."""
    home, port = tmp_path / "home", free_port()
    course, exchange = home / "trainer", home / "exchange"
    course_dir.init(course, exchange)
    url = f"http://127.0.0.1:{port}/voila/render/dashboard.ipynb"
    try:
        proc = processes.start(
            [sys.executable, "-m", "practice_lab.cli", "grade", "dashboard", "--port", str(port)],
            tmp_path / "dashboard.log",
            processes.answers(f"http://127.0.0.1:{port}/"),
            env=dict(os.environ, PRACTICE_LAB_HOME=str(home)),
        )
    except processes.DidNotStart as exc:
        pytest.fail(str(exc))
    yield {"url": url, "course": course, "exchange": exchange, "home": home}
    processes.stop(proc)
    formgrader.stop(course)


def _answers() -> dict[str, dict]:
    """The answers tests/test_nbgrader_e2e.py grades through the command line's functions."""
    keys = graded_keys()
    sort_key, multi_key = keys["sort_planets"], keys["exploitable_contradictions"]
    wrong = {"dv": "cp", "cp": "contact", "contact": "dv"}
    half = {
        i: (sort_key[i] if n % 2 == 0 else wrong[sort_key[i]])
        for n, i in enumerate(sorted(sort_key))
    }
    distractor = next(o for o in ["o1", "o3", "o6"] if o not in multi_key)
    return {
        "all-right": {
            "sort_planets": sort_key,
            "exploitable_contradictions": multi_key,
            "reflect_planets": "What? So what? Now what? " * 20,
        },
        "half-right": {
            "sort_planets": half,
            "exploitable_contradictions": [*multi_key[:2], distractor],
        },
        "blank": {},
    }


def test_a_cohort_runs_from_roster_to_feedback_on_the_page_alone(dashboard, browser, tmp_path):
    context = browser.new_context(viewport={"width": 1300, "height": 1000})
    page = context.new_page()
    page.goto(dashboard["url"], timeout=120_000)
    too_big = tmp_path / "not-a-roster.csv"
    too_big.write_bytes(b"x" * 2_100_000)
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Upload roster").click()
    chooser.value.set_files(str(too_big))
    expect(page.get_by_text("not-a-roster.csv is larger than 2,000,000 bytes")).to_be_visible(
        timeout=60_000
    )
    roster = tmp_path / "cohort.csv"
    roster.write_text(
        "id,name,email,team\nall-right,Ann Lee,,A\nhalf-right,Bo Chan,,A\nblank,Cy Roe,,B\n"
    )
    with page.expect_file_chooser() as chooser:  # as a trainer picks the file
        page.get_by_role("button", name="Upload roster").click()
    chooser.value.set_files(str(roster))
    expect(page.get_by_text("3 added, 0 changed, 0 unchanged")).to_be_visible(timeout=60_000)
    page.get_by_label("Id", exact=True).fill("extra")  # one learner added, then removed again
    page.get_by_label("Name", exact=True).fill("Dee Okafor")
    page.get_by_role("button", name="Add this learner").click()
    expect(page.get_by_text("Cohort updated: 1 added.")).to_be_visible(timeout=60_000)
    page.get_by_label("Learner", exact=True).select_option("extra")
    page.get_by_role("button", name="Remove this learner").click()
    expect(page.get_by_text("Cohort updated: 1 removed.")).to_be_visible(timeout=60_000)

    press(page, "Release to learners")
    expect(page.get_by_text(f"Released {MODULE}.")).to_be_visible(timeout=STEP_S)
    for learner_id, given in _answers().items():
        folder = dashboard["home"] / "learners" / learner_id
        learner_exchange.init(folder, dashboard["exchange"], learner_id)
        answer(learner_exchange.fetch(folder, MODULE)[0], given)
        learner_exchange.submit(folder, MODULE)

    press(page, "Collect submissions")
    expect(page.get_by_text("3 collected")).to_be_visible(timeout=STEP_S)
    press(page, "Autograde")
    context.close()  # the trainer closes the tab while autograde runs …
    context = browser.new_context(viewport={"width": 1300, "height": 1000})
    page = context.new_page()
    page.goto(
        dashboard["url"], timeout=120_000
    )  # … and opens the page again: the step is still there
    expect(page.get_by_text("Autograde: running")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("Autograde: 3 graded, 0 failed")).to_be_visible(timeout=STEP_S)
    shoot(page, "6-trainer-dashboard", row(page))

    press(page, "Mark reflections")
    mark_in_formgrader(page, "all-right", 3)
    guide = page.get_by_role("link", name="Open the marking guide (new tab)").get_attribute("href")
    assert "reflect_planets" in urllib.request.urlopen(guide, timeout=60).read().decode()
    db_url = course_dir.db_url(dashboard["course"])
    with Gradebook(db_url) as gb:  # read only: formgrader's page saved the mark
        assert gb.find_grade("rubric_reflect_planets", "assessment", MODULE, "all-right").score == 3
    explain = row(page).get_by_role("checkbox", name=EXPLAIN)
    expect(explain).not_to_be_checked()  # off unless the trainer chooses
    explain.check()
    press(page, "Release feedback")
    expect(
        page.get_by_text("Feedback: released to 3 of 3 learners, with explanations")
    ).to_be_visible(timeout=STEP_S)
    page.get_by_role("button", name="Build the cohort report").click()
    report = page.get_by_title("Cohort report", exact=True)  # not the demo's report
    expect(report).to_be_visible(timeout=STEP_S)
    shown = page.frame_locator('iframe[title="Cohort report"]')
    expect(shown.get_by_role("heading", name=module_title(MODULE))).to_be_visible()
    for what in [
        "the cohort report as PDF",
        "scores",
        "grades for Moodle",
        "CPD hours per learner",
    ]:
        expect(page.get_by_role("link", name=f"Download {what}")).to_be_visible(timeout=STEP_S)
    context.close()

    folder = dashboard["home"] / "learners" / "all-right"
    assert learner_exchange.feedback_ready(folder, MODULE)
    (fetched,) = learner_exchange.fetch_feedback(folder, MODULE)
    doc = embedded(fetched.read_text(encoding="utf-8"))
    assert doc["items"][0]["key"] == graded_keys()["sort_planets"], "the explanations chosen"
    totals = export.scores_table(db_url).set_index("learner")[f"{MODULE}/total"].to_dict()
    assert totals == {"all-right": 10.0, "half-right": 3.0, "blank": 0.0}  # as the CLI path gives


def test_a_trainer_learns_the_page_on_a_demo_cohort(dashboard, browser):
    context = browser.new_context(viewport={"width": 1300, "height": 1000})
    page = context.new_page()
    page.goto(dashboard["url"], timeout=120_000)
    page.get_by_role("button", name="Try it on a demo cohort").click()
    expect(page.get_by_text("Demo cohort: running")).to_be_visible(timeout=60_000)
    expect(page.get_by_title("Demo cohort report")).to_be_visible(timeout=3 * STEP_S)
    demo_report = page.frame_locator('iframe[title="Demo cohort report"]')
    expect(demo_report.get_by_text("Every learner in this report is fictional")).to_be_visible()
    with context.expect_page() as opened:
        page.get_by_role("link", name="Open the demo cohort in this dashboard (new tab)").click()
    demo = opened.value
    expect(demo.get_by_text("Every learner here is fictional")).to_be_visible(timeout=60_000)
    expect(row(demo)).to_contain_text("Feedback released to 5 of 5", timeout=60_000)
    assert not (dashboard["course"] / "roster.csv").exists()  # the real cohort is untouched
    context.close()
