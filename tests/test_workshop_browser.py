"""The workshop end to end: `practice-lab workshop start` on a free port, real Chromium pages for
three participants and the facilitator, and twenty more participants answering through the store
at the same time. The facilitator's page must show exactly what was sent, hostile text as text,
and lose a hidden answer from the screen. A reloaded participant's page is the same participant,
and a page guessing codes is told to wait."""

from __future__ import annotations

import re
import threading
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import HOSTILE
from tests.kernel_socket import kernel_id_in, send_code
from tests.processes import DidNotStart, stop
from tests.workshop_server import start_workshop
from workshop.session import Session
from workshop.store import PAGE_FAILURES

pytestmark = pytest.mark.browser

SIMULATED = 20
RELOADS = 3  # answer, reload, answer again: three rounds
WAIT_MS = 30_000


@pytest.fixture(scope="module")
def workshop(tmp_path_factory):
    """`practice-lab workshop start` with the example prompt set; stopped after the tests."""
    try:
        proc, info = start_workshop(tmp_path_factory.mktemp("workshop-home"))
    except DidNotStart as exc:
        pytest.fail(str(exc))
    yield {**info, "proc": proc, "session": Session.load(info["folder"])}
    stop(proc)


@pytest.fixture(scope="module")
def facilitator(browser, workshop):
    """The facilitator's page, opened with the key."""
    context = browser.new_context(viewport={"width": 1200, "height": 1000})
    page = context.new_page()
    page.goto(workshop["base"] + "facilitator.ipynb")
    page.get_by_label("Facilitator key").fill(workshop["key"])
    page.get_by_role("button", name="Open the facilitator's page").click()
    expect(page.locator(".pl-ws-count")).to_be_visible(timeout=WAIT_MS)
    yield page
    context.close()


def _participant(browser, workshop):
    page = browser.new_context(viewport={"width": 800, "height": 900}).new_page()
    page.goto(workshop["base"] + "participant.ipynb")
    page.get_by_label("Session code").fill(workshop["code"].lower())
    page.get_by_role("button", name="Join").click()
    _expect_joined(page)
    return page


def _expect_joined(page) -> None:
    expect(
        page.get_by_text("Waiting for the facilitator").or_(
            page.get_by_text("Open for answers now")
        )
    ).to_be_visible(timeout=WAIT_MS)


def _wrong_codes(store) -> int:
    """How many wrong codes the session has counted in the last minute."""
    with store.engine.connect() as con:
        return con.exec_driver_sql("SELECT COUNT(*) FROM join_failures").scalar_one()


def _open(facilitator, index: int) -> None:
    facilitator.get_by_label("Prompt").select_option(index=index)
    facilitator.get_by_role("button", name="Open for answers").click()
    expect(facilitator.get_by_text(f"Open for answers now: prompt {index + 1}.")).to_be_visible()


def _simulate(store, prompt_id: str, answers: list, start: threading.Event) -> list[Exception]:
    """Participants answering through the store API, each in its own thread, all at once."""
    errors: list[Exception] = []

    def one(value):
        try:
            token = store.join(f"simulated page {uuid.uuid4().hex}", True)
            start.wait()
            store.answer(prompt_id, token, value)
        except Exception as exc:  # reported by the caller
            errors.append(exc)

    threads = [threading.Thread(target=one, args=(v,)) for v in answers]
    for t in threads:
        t.start()
    return threads, errors


def test_the_facilitator_page_opens_only_with_its_key(browser, workshop):
    page = browser.new_context().new_page()
    page.goto(workshop["base"] + "facilitator.ipynb")
    page.get_by_label("Facilitator key").fill(workshop["code"])  # what a participant knows
    page.get_by_role("button", name="Open the facilitator's page").click()
    expect(page.get_by_text("That key does not match")).to_be_visible(timeout=WAIT_MS)
    assert page.locator(".pl-ws-count").count() == 0
    assert workshop["code"] not in page.content(), "nothing of the session is on the page"
    page.context.close()


def test_a_wrong_code_is_refused(browser, workshop):
    page = browser.new_context().new_page()
    page.goto(workshop["base"] + "participant.ipynb")
    page.get_by_label("Session code").fill("ZZZ-ZZZ")
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_text("That code does not match")).to_be_visible(timeout=WAIT_MS)
    assert page.get_by_role("button", name="Send my answer").count() == 0
    page.context.close()


def test_a_page_guessing_codes_is_told_when_to_try_again(browser, workshop):
    store = workshop["session"].store
    page = browser.new_context().new_page()
    page.goto(workshop["base"] + "participant.ipynb")
    for n in range(PAGE_FAILURES):
        counted = _wrong_codes(store)
        page.get_by_label("Session code").fill(f"ZZZZ-ZZ{n:02d}")
        page.get_by_role("button", name="Join").click()
        expect(page.get_by_text("That code does not match")).to_be_visible(timeout=WAIT_MS)
        deadline = time.monotonic() + 10
        while _wrong_codes(store) == counted and time.monotonic() < deadline:
            time.sleep(0.1)
    page.get_by_label("Session code").fill(workshop["code"])  # right, but too late from here
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_text(re.compile(r"Please wait \d+ seconds, then try again"))).to_be_visible(
        timeout=WAIT_MS
    )
    assert page.get_by_role("button", name="Send my answer").count() == 0
    page.context.close()
    _participant(browser, workshop).context.close()  # another device still gets in


def test_a_reloaded_page_is_the_same_participant_and_another_browser_another(
    browser, workshop, facilitator
):
    store = workshop["session"].store
    joined = store.state().participants
    _open(facilitator, 0)  # the rating
    page = _participant(browser, workshop)
    for n in range(RELOADS):
        page.get_by_role("radio", name=str(2 + n % 3), exact=True).check(timeout=WAIT_MS)
        page.get_by_role("button", name="Send my answer").click()
        expect(page.get_by_text("Sent — thank you")).to_be_visible(timeout=WAIT_MS)
        page.reload()
        expect(page.get_by_text("Open for answers now")).to_be_visible(timeout=WAIT_MS)
        expect(page.get_by_label("Session code")).to_be_hidden()  # no code asked for again
        expect(page.get_by_role("radio", name=str(2 + n % 3), exact=True)).to_be_checked()
    last = 2 + (RELOADS - 1) % 3
    assert [a.value for a in store.answers("p1")] == [last], "one answer: the last one sent"
    assert store.state().participants == joined + 1
    expect(facilitator.locator(".pl-ws-count")).to_have_text("1 answer", timeout=WAIT_MS)
    other = _participant(browser, workshop)  # a second browser is a second participant
    other.get_by_role("radio", name="4", exact=True).check(timeout=WAIT_MS)
    other.get_by_role("button", name="Send my answer").click()
    expect(facilitator.locator(".pl-ws-count")).to_have_text("2 answers", timeout=WAIT_MS)
    assert store.state().participants == joined + 2
    for p in (page, other):
        p.context.close()


def test_code_sent_to_a_participant_kernel_never_runs(workshop, tmp_path):
    html = urllib.request.urlopen(workshop["base"] + "participant.ipynb", timeout=120).read()
    kernel_id = kernel_id_in(html.decode())
    marker = tmp_path / "code-ran"
    ws_url = f"ws://127.0.0.1:{workshop['port']}/api/kernels/{kernel_id}/channels"
    seen = send_code(ws_url, f"open({str(marker)!r}, 'w').write('x')")
    assert "kernel_info_reply" in seen, f"the control message got no reply: {seen}"
    assert "execute_reply" not in seen and "execute_input" not in seen, seen
    assert not marker.exists()


def test_the_dashboard_counts_what_23_participants_sent_and_shows_hostile_text_as_text(
    browser, workshop, facilitator
):
    store = workshop["session"].store
    title = facilitator.title()
    people = [_participant(browser, workshop) for _ in range(3)]

    # A reflection: three typed in Chromium (two hostile), twenty through the store at once.
    _open(facilitator, 3)
    typed = [HOSTILE, "[x](http://evil) ![i](http://evil/x.png)", "Chromium answer three"]
    start = threading.Event()
    threads, errors = _simulate(
        store, "p4", [f"simulated answer {n}" for n in range(SIMULATED)], start
    )
    start.set()
    for page, text in zip(people, typed, strict=True):
        page.get_by_label("Your answer").fill(text)
        page.get_by_role("button", name="Send my answer").click()
    for page in people:
        expect(page.get_by_text("Sent — thank you")).to_be_visible(timeout=WAIT_MS)
    for t in threads:
        t.join()
    assert errors == []
    expect(facilitator.locator(".pl-ws-count")).to_have_text("23 answers", timeout=WAIT_MS)
    review = facilitator.locator(".pl-ws-review")
    expect(review.get_by_role("button", name="Hide")).to_have_count(23)
    facilitator.get_by_role("button", name="Put 23 answer(s) on screen").click()
    screen = facilitator.locator(".pl-ws-screen li")
    expect(screen).to_have_count(23)
    shown = screen.all_inner_texts()
    assert sorted(shown) == sorted(typed + [f"simulated answer {n}" for n in range(SIMULATED)])
    assert facilitator.title() == title != "pwned"
    for selector in ["img[src='x']", "a[href^='http://evil']", "img[src^='http://evil']"]:
        assert facilitator.locator(selector).count() == 0, selector
    assert "pwned" not in facilitator.evaluate(
        "[...document.scripts].map(s => s.textContent).join(' ')"
    )

    # Hiding an answer takes it off the screen, and its text off the review list.
    review.locator(".widget-hbox").filter(has_text="Chromium answer three").get_by_role(
        "button", name="Hide"
    ).click()
    expect(screen).to_have_count(22)
    expect(facilitator.locator(".pl-ws-screen")).not_to_contain_text("Chromium answer three")
    expect(review).not_to_contain_text("Chromium answer three")

    # A poll: the participants' pages follow the facilitator to it.
    _open(facilitator, 1)
    options = [
        "The domestic abuse planet",
        "The child protection planet",
        "The child contact planet",
    ]
    simulated = [f"o{n % 3 + 1}" for n in range(SIMULATED)]
    start = threading.Event()
    threads, errors = _simulate(store, "p2", simulated, start)
    start.set()
    for page, label in zip(people, options, strict=True):
        page.get_by_role("radio", name=label).check(timeout=WAIT_MS)
        page.get_by_role("button", name="Send my answer").click()
        expect(page.get_by_text("Sent — thank you")).to_be_visible(timeout=WAIT_MS)
    for t in threads:
        t.join()
    assert errors == []
    expect(facilitator.locator(".pl-ws-count")).to_have_text("23 answers", timeout=WAIT_MS)
    expected = {label: 1 + simulated.count(f"o{i}") for i, label in enumerate(options, 1)}
    rows = facilitator.locator("table.pl-ws-table tr").all_inner_texts()[1:]
    counts = {row.split("\t")[0]: int(row.split("\t")[1]) for row in rows}
    assert counts == expected
    expect(facilitator.locator(".pl-ws-chart img")).to_have_count(1)
    for page in people:
        page.context.close()


def test_ending_the_session_expires_the_code_stops_the_server_and_writes_the_summary(
    browser, workshop, facilitator
):
    facilitator.get_by_role("button", name="End session…").click()
    facilitator.get_by_role("button", name="Yes, end the session").click()
    expect(facilitator.get_by_text("The session has ended and the code")).to_be_visible()
    assert workshop["proc"].wait(timeout=60) == 0
    out = workshop["out"].read_text()
    summary, pdf = map(Path, re.search(r"Summary: (\S+) \(PDF: (\S+)\)", out).groups())
    text = summary.read_text(encoding="utf-8")
    assert "**23 answers.**" in text and "Chromium answer three" not in text
    assert pdf.read_bytes().startswith(b"%PDF")
    assert not workshop["session"].accepts_code(workshop["code"])
