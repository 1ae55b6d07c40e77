"""A learner's page, really served by Voilà on 127.0.0.1 and driven by headless Debian Chromium."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Page

from course_model import content
from tests.conftest import HOSTILE, MODULE, cached_copy
from tests.fixtures_browser import NEUTRAL, free_port  # noqa: F401 - re-exported for other tests
from widgets.home import count_in_words

ASSESSMENT = f"voila/render/{MODULE}/assessment.ipynb"

pytestmark = pytest.mark.browser


def row(page: Page, n: int):
    """The drop-down of statement ``n`` of the sort: its label is "Statement n. <the text>"."""
    return page.get_by_label(re.compile(rf"^Statement {n}\. "))


def open_assessment(page: Page, server) -> None:
    page.goto(server["url"] + ASSESSMENT)
    page.wait_for_selector(".pl-sort select", timeout=90_000)


def saved_answers(server, folder: str = MODULE) -> dict:
    path = Path(server["home"]) / "learner" / folder / "answers.json"
    return {k: v["value"] for k, v in json.loads(path.read_text())["answers"].items()}


def wait_for_saved(server, predicate, timeout=15.0, folder: str = MODULE) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        try:
            answers = saved_answers(server, folder)
            if predicate(answers):
                return answers
        except (FileNotFoundError, json.JSONDecodeError, KeyError):
            pass
        if time.monotonic() > deadline:
            try:
                last = saved_answers(server, folder)
            except (FileNotFoundError, json.JSONDecodeError, KeyError) as exc:
                last = repr(exc)
            raise AssertionError(f"the answers file never showed the change; it holds {last}")
        time.sleep(0.2)


def test_answers_are_saved_and_restored_after_reload(page, server):
    open_assessment(page, server)
    row(page, 1).select_option(label="Domestic abuse planet")
    row(page, 3).select_option(label="Child contact planet")
    boxes = page.locator(".pl-multiselect input[type=checkbox]")
    boxes.nth(1).check()
    boxes.nth(3).check()
    reflection = "Anonymous reflection about a family.\n" + HOSTILE
    page.locator(".pl-reflection textarea").fill(reflection)

    saved = wait_for_saved(server, lambda a: a.get("reflect_planets") == reflection)
    assert saved["sort_planets"] == {"s1": "dv", "s3": "contact"}
    assert saved["exploitable_contradictions"] == ["o2", "o4"]

    page.reload()
    page.wait_for_selector(".pl-sort select", timeout=90_000)
    assert row(page, 1).input_value() == "Domestic abuse planet"
    assert row(page, 3).input_value() == "Child contact planet"
    assert row(page, 2).input_value() == "Choose…"
    assert [boxes.nth(i).is_checked() for i in range(6)] == [False, True, False, True, False, False]
    assert page.locator(".pl-reflection textarea").input_value() == reflection
    # The hostile text sat in the page twice (typed, then restored) and never ran.
    assert page.title() != "pwned" and not page.dialogs


def test_served_pages_read_the_course_parsed_from_the_workspace_cache(page, server):
    """`serve` keeps the course's files parsed as JSON, so a page's kernel skips the YAML parser
    (a tenth of a page's own work); the copy is named by the hash of the file it came from."""
    open_assessment(page, server)
    source = content.module_dir(MODULE) / "exercises.yaml"
    cached = cached_copy(source, Path(server["home"]) / "cache" / "content")
    parsed = yaml.safe_load(source.read_text(encoding="utf-8"))
    assert json.loads(cached.read_text(encoding="utf-8")) == parsed


def test_no_code_or_key_is_visible(page, server):
    open_assessment(page, server)
    text = page.locator("body").inner_text()
    html = page.content()
    for code in ("CoursePage", "import ", "page.exercise", "grading.cells", "HIDDEN TESTS"):
        assert code not in text, code
    assert "HIDDEN TESTS" not in html and "grading.cells" not in html
    assert page.locator(".jp-InputArea-editor, .jp-CodeMirrorEditor").count() == 0
    # The trainer's nbgrader extension stays out of learner pages.
    assert '"name": "@jupyter/nbgrader"' not in html


def test_quick_exit_button_leaves_no_way_back(page, server):
    page.goto("about:blank")
    open_assessment(page, server)
    page.locator("#pl-quick-exit").click()
    page.wait_for_url(f"{NEUTRAL}**")
    page.go_back()
    assert ASSESSMENT not in page.url  # replace(): the course page is not in history


def test_escape_twice_leaves_and_template_override_is_refused(page, server):
    page.goto(server["url"] + ASSESSMENT + "?template=lab")
    page.wait_for_selector(".pl-sort select", timeout=90_000)
    assert page.locator("#pl-quick-exit").is_visible()
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.wait_for_url(f"{NEUTRAL}**")


def test_learner_pages_fetch_nothing_from_outside_this_server(page, server):
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    open_assessment(page, server)
    page.goto(server["url"] + "voila/render/gallery/gallery.ipynb")
    page.wait_for_selector(".pl-branching button", timeout=90_000)
    outside = [
        u
        for u in requests
        if not u.startswith((server["url"], "ws://127.0.0.1", "data:", "about:", "blob:"))
    ]
    assert not outside, outside


def test_course_home_lists_every_module_with_status_and_links(page, server):
    from course_model.answers import AnswersStore

    AnswersStore(Path(server["home"]) / "learner" / "04-children", "04-children").save("x", 1)
    page.goto(server["url"] + "voila/render/home.ipynb")
    page.wait_for_selector(".pl-card", timeout=90_000)
    cards = page.locator(".pl-card")
    modules = content.module_ids()
    minutes = sum(content.load_module(m)["minutes"] for m in modules)
    assert cards.count() == len(modules)
    body = page.locator("body").inner_text()
    assert f"{count_in_words(len(modules))} modules, {minutes} minutes of CPD" in body
    child = page.get_by_role("region", name="Children living with coercive control")
    own = f"{content.load_module('04-children')['minutes']} minutes"
    assert "Status: In progress" in child.inner_text() and own in child.inner_text()
    assert (
        "Status: Not started"
        in page.get_by_role("region", name="Working with the whole family").inner_text()
    )
    page.get_by_role("link", name="The Three Planet Model").click()
    page.wait_for_selector(".pl-module-title", timeout=90_000)
    assert "Three planets" in page.locator(".pl-module-title").first.inner_text()


def top(page: Page, selector: str) -> float:
    """How far down the page the first element matching ``selector`` starts."""
    return page.locator(selector).first.bounding_box()["y"]


def test_course_home_opens_with_the_title_then_the_content_note_then_the_name(page, server):
    page.goto(server["url"] + "voila/render/home.ipynb")
    page.wait_for_selector(".pl-card", timeout=90_000)
    name = ".pl-identity input"
    order = ["h1.pl-module-title", ".pl-content-note", name, ".pl-progress", ".pl-card"]
    assert [top(page, s) for s in order] == sorted(top(page, s) for s in order)
    assert "Coercive Control Practice Lab" in page.locator("h1").first.inner_text()
    note = page.locator(".pl-content-note")
    assert note.is_visible() and "pause and stop at any time" in note.inner_text()
    assert "Samaritans" in note.inner_text()
    modules = len(content.module_ids())
    assert re.search(
        rf"So far: \d+ of {modules} modules done, \d+ minutes of CPD\.", page.content()
    )


def test_continue_where_you_left_off_opens_the_page_last_worked_on(page, server):
    open_assessment(page, server)
    row(page, 2).select_option(label="Child protection planet")
    wait_for_saved(server, lambda a: a.get("sort_planets", {}).get("s2") == "cp")
    page.goto(server["url"] + "voila/render/home.ipynb")
    link = page.get_by_role("link", name=re.compile("^Continue where you left off: Three planets"))
    link.click()
    page.wait_for_selector(".pl-sort select", timeout=90_000)
    assert page.url.endswith(f"{MODULE}/assessment.ipynb")


@pytest.mark.parametrize(
    "path",
    [
        "home.ipynb",
        f"{MODULE}/01-three-planets.ipynb",
        ASSESSMENT.removeprefix("voila/render/"),
        f"{MODULE}/cpd-record.ipynb",
        "gallery/gallery.ipynb",
    ],
)
def test_every_kind_of_page_opens_with_its_content_note_and_support(page, server, path):
    page.goto(server["url"] + "voila/render/" + path)
    note = page.locator(".pl-content-note")
    note.wait_for(timeout=90_000)
    assert note.get_attribute("open") is not None, "the note is open, not folded away"
    assert "Samaritans" in note.inner_text() and "999" in note.inner_text()
    assert top(page, ".pl-content-note") < top(page, ".pl-footer")
    for first_task in (".pl-exercise", ".pl-cpd-form", ".pl-identity"):
        if page.locator(first_task).count():
            assert top(page, ".pl-content-note") < top(page, first_task), first_task
