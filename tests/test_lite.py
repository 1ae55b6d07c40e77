"""The practice edition (issue 22) in a real Chromium: the static site served by Python's
http.server on 127.0.0.1, every other host blocked and recorded. Module 02's first lesson page:
each practice exercise on it is answered (found on the page, not listed here), gives feedback,
is there after a reload, goes into Download my answers, and comes back in a fresh browser with
Load my answers; a wrong file changes nothing; the CPD record saves as Markdown."""

from __future__ import annotations

import base64
import json
import zipfile
from urllib.parse import urljoin

import pytest

from tests import lite_site, processes
from tests.fixtures_browser import CHROMIUM, CHROMIUM_ARGS, free_port

pytestmark = [pytest.mark.browser, pytest.mark.lite]
READY = 300_000  # ms: a cold Pyodide start on a loaded 2-core machine; no speed is asserted here
TEXT = "I would record what he did to her and the children, and name him in the plan."


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    lite_site.build()
    port = free_port()
    log = tmp_path_factory.mktemp("lite") / "http.log"
    try:
        proc = lite_site.serve(port, log)
    except processes.DidNotStart as exc:
        pytest.fail(str(exc))
    yield {"port": port, "url": f"http://127.0.0.1:{port}/"}
    processes.stop(proc)


def test_the_modules_a_page_imports_come_with_the_browsers_bytecode(site):
    """Without it the browser compiles IPython, the course and the standard library from source
    on every page (bench/lite.py measures the difference); sources stay for tracebacks."""
    pyodide = lite_site.SITE / "static" / "pyodide"
    python = json.loads((pyodide / "pyodide-lock.json").read_text())["info"]["python"]
    tag = "cpython-" + "".join(python.split(".")[:2])
    with zipfile.ZipFile(next(pyodide.glob("practice_lab_lite-*.whl"))) as wheel:
        assert {"widgets/page.py", f"widgets/__pycache__/page.{tag}.pyc"} <= set(wheel.namelist())
    with zipfile.ZipFile(pyodide / "python_stdlib.zip") as stdlib:
        assert {"typing.py", "typing.pyc"} <= set(stdlib.namelist())


def open_page(context, url: str):
    page = context.new_page()
    page.goto(url)
    # The answers panel comes last on a lesson page: every exercise is on the page by then.
    page.locator(".pl-answers-transfer").wait_for(timeout=READY)
    return page


def answer(exercise) -> None:
    """Answer an exercise through whatever controls it has, as a learner would."""
    for group in exercise.locator(".widget-radio-box").all():
        group.locator("input[type=radio]").first.check()
    for box in exercise.locator("input[type=checkbox]").all()[:1]:
        box.check()
    for select in exercise.locator("select").all():
        options = select.locator("option").all()
        if len(options) > 1:
            select.select_option(index=len(options) - 1)
    for field in exercise.locator("textarea, input[type=text]").all():
        field.fill(TEXT)


def load(page, path) -> None:
    """Load my answers: the button opens the browser's file chooser."""
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Load my answers").click()
    chooser.value.set_files(path)


def state(exercise) -> list:
    return exercise.evaluate(
        "el => Array.from(el.querySelectorAll('input, textarea, select'))"
        ".map(i => (i.type === 'radio' || i.type === 'checkbox') ? i.checked : i.value)"
    )


def saved(page, module: str) -> dict:
    """The answers in the page's Download my answers link."""
    href = page.locator(".pl-download-answers a").get_attribute("href")
    return json.loads(base64.b64decode(href.split(",", 1)[1]))["modules"].get(module, {})


def wait_saved(page, module: str, count: int) -> None:
    page.wait_for_function(
        """([module, count]) => {
            const a = document.querySelector('.pl-download-answers a');
            if (!a) return false;
            const doc = JSON.parse(atob(a.href.split(',')[1]));
            return Object.keys(doc.modules[module] || {}).length >= count;
        }""",
        arg=[module, count],
        timeout=READY,
    )


def test_practice_edition_keeps_answers_in_the_browser_and_sends_nothing(site, browser, tmp_path):
    port, module = site["port"], lite_site.MODULE
    url = site["url"] + lite_site.first_lesson(module)
    first = browser.new_context()
    others = lite_site.block_other_hosts(first, port)
    page = open_page(first, url)
    assert page.get_by_role("button", name="Quick exit").is_visible()
    assert page.locator(".pl-content-note").is_visible()
    assert "clearing" in page.locator(".pl-where-answers-live").inner_text().lower()
    planets = page.locator(".pl-figure img").first  # drawn at build time: no matplotlib here
    assert planets.get_attribute("src").startswith("data:image/svg+xml;base64,")
    assert "Three planets" in planets.get_attribute("alt")
    assert planets.evaluate("img => img.complete && img.naturalWidth > 300"), "figure not shown"
    for link in page.locator(".pl-nav a").all():  # the course home, the next page
        target = urljoin(page.url, link.get_attribute("href"))
        assert page.request.get(target).ok, f"{link.inner_text()} leads nowhere: {target}"

    exercises = page.locator(".pl-exercise").all()
    assert exercises, "module 02's first lesson page shows no exercise"
    answered = []
    for exercise in exercises:
        if "Practice" not in exercise.locator(".pl-ex-mode").inner_text():
            continue
        answer(exercise)
        check = exercise.get_by_role("button", name="Check my answer")
        if check.count():
            check.click()
            exercise.locator(".pl-feedback li, .pl-feedback p").first.wait_for(timeout=READY)
        exercise.locator(".pl-status", has_text="Saved at").wait_for(timeout=READY)
        answered.append(exercise)
    assert answered, "no practice exercise on module 02's first lesson page"
    wait_saved(page, module, len(answered))
    before = [state(e) for e in exercises]

    page.reload()
    page.locator(".pl-answers-transfer").wait_for(timeout=READY)
    assert [state(e) for e in page.locator(".pl-exercise").all()] == before
    kept = saved(page, module)
    assert len(kept) >= len(answered)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download my answers").click()
    answers_file = tmp_path / download.value.suggested_filename
    download.value.save_as(answers_file)
    assert json.loads(answers_file.read_text())["modules"][module] == kept

    # A fresh browser (another computer): nothing there until the file is loaded.
    fresh = browser.new_context()
    others += lite_site.block_other_hosts(fresh, port)
    again = open_page(fresh, url)
    assert saved(again, module) == {}
    wrong = tmp_path / "holiday-photo.json"
    wrong.write_text('{"not": "answers"}')
    load(again, wrong)
    problem = again.locator(".pl-load-message")
    problem.get_by_text("holiday-photo.json").wait_for(timeout=READY)
    assert "Nothing you had saved has changed" in problem.inner_text()
    load(again, answers_file)
    again.locator(".pl-load-message", has_text="Loaded").wait_for(timeout=READY)
    assert [state(e) for e in again.locator(".pl-exercise").all()] == before
    again.reload()
    again.locator(".pl-answers-transfer").wait_for(timeout=READY)
    assert [state(e) for e in again.locator(".pl-exercise").all()] == before

    # The CPD record of the module, saved as Markdown in the browser.
    cpd = fresh.new_page()
    cpd.goto(site["url"] + f"voici/render/{module}/cpd-record.html")
    learned = cpd.get_by_label("What I learned")
    learned.wait_for(timeout=READY)
    learned.fill("Where each planet stands shapes what it sees.")
    cpd.locator(".pl-status", has_text="Draft saved").wait_for(timeout=READY)
    cpd.get_by_role("button", name="Save my record as Markdown and PDF").click()
    with cpd.expect_download() as record:
        cpd.get_by_role("link", name="Download the Markdown file").click()
    markdown = tmp_path / "record.md"
    record.value.save_as(markdown)
    assert "Where each planet stands shapes what it sees." in markdown.read_text()
    assert "Save as PDF" in cpd.locator(".pl-cpd-form").inner_text()

    first.close()
    fresh.close()
    assert others == [], f"requests to other hosts: {others}"


def test_at_a_plain_http_address_the_page_says_it_needs_https(site, browser):
    """A council host without TLS: the browser refuses what the pages need, so instead of a
    spinner that never ends the learner reads why, and what to ask for."""
    insecure = browser.browser_type.launch(  # a second Chromium that finds intranet.test here
        executable_path=CHROMIUM,
        headless=True,
        args=[*CHROMIUM_ARGS, "--host-resolver-rules=MAP intranet.test 127.0.0.1"],
    )
    page = insecure.new_page()
    page.goto(f"http://intranet.test:{site['port']}/" + lite_site.first_lesson())
    notice = page.get_by_role("alert").filter(has_text="cannot start at this address")
    assert notice.is_visible()
    assert "https://" in notice.inner_text()
    assert not page.locator("#loading").is_visible()
    page.goto(site["url"] + lite_site.first_lesson())  # this computer's address is secure
    assert not page.locator("#pl-needs-https").is_visible()
    insecure.close()
