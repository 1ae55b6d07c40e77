"""A learner's whole journey in real Voilà and Chromium, with a real trainer in between:
home → lesson → assessment → submit → (trainer collects, autogrades, marks, releases feedback)
→ feedback in the app → CPD record saved with the reflection in it.

Set PRACTICE_LAB_SCREENSHOTS to a folder to keep screenshots of each step (`make screenshots`
refreshes the ones the README shows).
"""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from course_model import content
from practice_lab import serve
from tests import processes
from tests.fixtures_browser import free_port, shoot

pytestmark = pytest.mark.browser

MODULE = "00-welcome"
REFLECTION = (
    "What I want from this course: to name the pattern of control in my assessments, and to "
    "keep the children's experience in view. I will look after myself by booking supervision."
)
LEARNED = "How coercive control is recorded as a pattern, not a list of incidents."
COMMENT = "A clear, realistic plan. Bring one assessment to supervision to try it."


def trainer(server, *args: str) -> None:
    """Run one `practice-lab grade` step on the served workspace's course, as the trainer would."""
    env = dict(os.environ, PRACTICE_LAB_HOME=str(server["home"]))
    proc = subprocess.run(
        [sys.executable, "-m", "practice_lab.cli", "grade", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def mark_reflection(server) -> None:
    """The trainer's manual mark and comment on the reflection (what formgrader saves)."""
    course = Path(server["home"]) / "trainer"
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for notebook in gb.find_submission(MODULE, gb.students[0].id).notebooks:
            for grade in notebook.grades:
                if grade.cell.name.startswith("rubric_"):
                    grade.manual_score = grade.max_score - 1
            for comment in notebook.comments:
                if comment.cell.name.startswith("rubric_"):
                    comment.manual_comment = COMMENT
        gb.db.commit()


def graded_titles(module_id: str) -> list[str]:
    """The titles of a module's graded exercises, as its exercises.yaml gives them."""
    return [s["title"] for s in content.load_exercises(module_id).values() if s["mode"] == "graded"]


def assert_nothing_overflows_at_320px(page, selector: str) -> None:
    """At a phone's 320 px, neither the page nor any element inside ``selector`` is wider than
    its box: every line wraps, nothing is cut off or needs sideways scrolling."""
    page.set_viewport_size({"width": 320, "height": 640})
    try:
        page.wait_for_function("document.documentElement.clientWidth === 320")
        wide = page.evaluate(
            """(selector) => {
                const root = document.querySelector(selector);
                const cut = [...root.querySelectorAll("*"), root]
                    .filter((el) => el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0)
                    .map((el) => `${el.tagName}.${el.className}: ${el.scrollWidth} > ${el.clientWidth}`);
                const doc = document.documentElement;
                if (doc.scrollWidth > doc.clientWidth) cut.push(`page: ${doc.scrollWidth} > ${doc.clientWidth}`);
                return cut;
            }""",
            selector,
        )
        assert wide == [], f"too wide at 320 px: {wide}"
    finally:
        page.set_viewport_size({"width": 1200, "height": 900})


def test_learner_journey_from_home_to_feedback_and_cpd_record(page, server, tmp_path):
    url = server["url"] + "voila/render/"
    page.goto(url + "home.ipynb")
    page.wait_for_selector(".pl-card", timeout=90_000)
    page.get_by_role("textbox", name="Your name for your CPD records").fill("Alex Morgan")
    page.get_by_role("button", name="Save my name").click()
    page.get_by_text("in the name of Alex Morgan").wait_for()
    shoot(page, "1-course-home")

    page.get_by_role("link", name="How the course works and how to look after yourself").click()
    page.wait_for_selector(".pl-footer", timeout=90_000)
    footer = page.locator(".pl-footer")
    assert "Samaritans" in footer.inner_text() and "Esc twice" in footer.inner_text()
    shoot(page, "2-lesson", page.locator(".pl-module-title").first)
    page.locator(".pl-nav-bottom .pl-nav-next").click()

    page.wait_for_selector(".pl-submit-panel", timeout=90_000)
    assert "Not submitted yet" in page.locator(".pl-submit-status").inner_text()
    page.get_by_role("textbox").last.fill(REFLECTION)
    page.get_by_text("Saved at").last.wait_for()
    page.get_by_role("button", name="Submit this module to my trainer").click()
    page.get_by_text("Thank you: your trainer has your answers").wait_for(timeout=60_000)
    assert "Submitted at" in page.locator(".pl-submit-status").inner_text()
    shoot(page, "3-submitted", page.locator(".pl-submit-panel"))

    trainer(server, "collect", MODULE)
    trainer(server, "autograde", MODULE)
    mark_reflection(server)
    trainer(server, "feedback", MODULE)

    page.goto(url + "home.ipynb")
    page.wait_for_selector(".pl-card", timeout=90_000)
    card = page.get_by_role("region", name="Welcome and staying safe while learning")
    assert "Status: Feedback ready" in card.inner_text()

    card.get_by_role("link", name="Assessment: CPD and your plan for the course").click()
    page.get_by_role("button", name="Show my trainer's feedback").click()
    feedback = page.locator(".pl-trainer-feedback")
    feedback.get_by_text(COMMENT).wait_for(timeout=60_000)
    shown = feedback.inner_text()
    for title in graded_titles(MODULE):
        assert title in shown, f"{title!r} is in the feedback"
    assert REFLECTION[:40] in shown and "Score:" in shown
    for machinery in ("Test cell", "Grade cell", "score_", "CoursePage(", "In ["):
        assert machinery not in shown, f"learners never see {machinery!r}"
    shoot(page, "4-feedback", feedback)
    assert_nothing_overflows_at_320px(page, ".pl-trainer-feedback")

    page.get_by_role("link", name="Next: your CPD record for this module").first.click()
    page.wait_for_selector(".pl-cpd-form", timeout=90_000)
    page.get_by_role("textbox", name="What I learned").fill(LEARNED)
    page.get_by_text("Draft saved on this machine").wait_for()
    page.get_by_role("button", name="Save my record as Markdown and PDF").click()
    shoot(page, "5-cpd-record", page.locator(".pl-cpd-form"))
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the Markdown file").click()
    record = Path(download.value.path()).read_text(encoding="utf-8")
    assert "Alex Morgan" in record and "Welcome and staying safe" in record
    assert LEARNED.split(",")[0] in record
    assert "What I want from this course" in record, "the module reflection is in the record"
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    assert page.dialogs == []


# Every text the loading message ever shows, kept from before the page's own scripts run.
RECORD_LOADING_TEXT = """
window.plLoadingTexts = [];
new MutationObserver(function () {
  var el = document.getElementById("loading_text");
  if (el && window.plLoadingTexts.slice(-1)[0] !== el.textContent) {
    window.plLoadingTexts.push(el.textContent);
  }
}).observe(document, {childList: true, subtree: true, characterData: true});
"""


def overlap(a: dict, b: dict) -> bool:
    """True if two bounding boxes share any area."""
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def test_pages_say_they_are_loading_and_when_the_connection_is_lost(page, server):
    """The loading message is in the page before any kernel output, in plain words while every
    cell runs; when the server goes away, the page says the answers are safe and how to
    reconnect, below the quick exit at any width."""
    folder = Path(server["home"]) / "learner"
    port = free_port()
    base = f"http://127.0.0.1:{port}/voila/render/home.ipynb"
    proc = processes.start(
        serve.voila_command(folder, port),
        Path(server["home"]) / "voila-connection.log",
        processes.answers(f"http://127.0.0.1:{port}/"),
        env=serve.voila_env(),
    )
    try:
        html = urllib.request.urlopen(base, timeout=90).read().decode()
        # Voilà streams the page: the message comes before the first cell's output.
        assert "saved answers appear" in html
        assert -1 < html.index("Preparing your page…") < html.index("cell-index=")
        page.add_init_script(RECORD_LOADING_TEXT)
        page.goto(base)
        page.wait_for_selector(".pl-card", timeout=90_000)
        assert set(page.evaluate("window.plLoadingTexts")) == {"Preparing your page…"}
        lost = page.locator("#pl-connection-lost")
        assert lost.is_hidden()
    finally:
        processes.stop(proc)
    lost.wait_for(state="visible", timeout=20_000)
    assert "already saved" in lost.inner_text() and "reload this page" in lost.inner_text()
    exit_button = page.locator("#pl-quick-exit")
    for width, height in ((1200, 900), (320, 640)):
        page.set_viewport_size({"width": width, "height": height})
        page.mouse.wheel(0, 400)  # scrolled or not, the notice stays clear of the exit
        assert not overlap(lost.bounding_box(), exit_button.bounding_box()), width
        assert lost.bounding_box()["width"] > width / 2, "the notice is readable at this width"
