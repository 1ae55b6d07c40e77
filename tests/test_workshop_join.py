"""Joining a workshop: one participant per device across reloads (a token the store issues, kept
by the browser, taken back only if this session issued it), one answer each per prompt, and
wrong codes limited per page and for the whole session, with odds of guessing a live code that
README states."""

from __future__ import annotations

import re
import threading
from types import SimpleNamespace

import pytest

from tests.conftest import ROOT
from workshop import participant, prompts, session, store, ui
from workshop.participant import COOKIE, ParticipantPage, presented_token
from workshop.results import tally
from workshop.session import Session
from workshop.store import PAGE_FAILURES, SESSION_FAILURES, TooManyTries, WrongCode

HOURS = 8


@pytest.fixture
def live(monkeypatch, workshop_db):
    """A session on module 07 with its rating open (on SQLite, then on PostgreSQL); pages never
    start their polling loop."""
    monkeypatch.setattr(ui, "every", lambda *args: None)
    monkeypatch.setattr(participant, "WRONG_CODE_PAUSE_S", 0)
    s, _ = Session.create(prompts.load("07"), db_url=workshop_db)
    s.store.open_prompt("p1")
    return s


def _page(s: Session, cookie: str = "") -> ParticipantPage:
    """A participant's page as the kernel of a request with this Cookie header builds it."""
    return ParticipantPage(s, presented_token(cookie))


def _visible(widget) -> bool:
    return widget.layout.display != "none"


def _kept_token(page: ParticipantPage) -> str:
    """The token the page handed to the browser's script to keep."""
    return page._keep.value.split('data-token="')[1].split('"')[0]


def test_a_reloaded_page_bringing_back_its_token_is_the_same_participant(live):
    first = _page(live)
    assert _visible(first._join_box) and not _visible(first._answer_box)
    first._code.value = session.grouped(live.code)
    first.join()
    token = _kept_token(first)
    first.refresh()  # the polling loop's first step: shows the open rating
    first.read_value = lambda: 1
    first.send()
    for n in range(8):  # eight reloads, each answering again
        again = _page(live, f'_xsrf=2|ab|cd; prefs={{"a": 1}}; {COOKIE}={token}')
        assert not _visible(again._join_box), "no code asked for again"
        assert _visible(again._answer_box) and again.token == token
        again.refresh()
        again.read_value = lambda n=n: n % 5 + 1
        again.send()
    answers = live.store.answers("p1")
    assert [a.value for a in answers] == [3], "one answer: the latest (8 % 5) replaced the rest"
    assert live.store.state().participants == 1
    assert tally(live.store.prompt("p1"), answers, live.min_answers).total == 1


def test_a_forged_stale_or_foreign_token_is_ignored_and_the_code_asked_for(live):
    other, _ = Session.create(prompts.load("07"))
    foreign = other.store.join("page", True)
    mine = live.store.join("page", True)
    for cookie in [
        f"{COOKIE}={'A' * 32}",  # the right shape, never issued
        f"{COOKIE}={foreign}",  # issued by another session
        f'{COOKIE}="{mine}\' OR 1=1"',
        f"{COOKIE}=;;;{COOKIE}",
        "\x00garbage=\udcff",
    ]:
        page = _page(live, cookie)
        assert _visible(page._join_box) and not page.joined and page.token is None, cookie
    live.store.end()
    assert not _page(live, f"{COOKIE}={mine}").joined, "a token ends with its session"
    assert live.store.state().participants == 1


def test_two_devices_are_two_participants(live):
    tokens = {live.join(live.code, f"page {n}") for n in range(2)}
    for t in tokens:
        live.store.answer("p1", t, 3)
    assert len(tokens) == 2 and len(live.store.answers("p1")) == 2


def test_a_page_says_when_to_try_again_after_too_many_wrong_codes(live):
    page = _page(live)
    for _ in range(PAGE_FAILURES):
        page._code.value = "WRNG-CODE"
        page.join()
        assert "does not match" in page._join_msg.value
    page._code.value = live.code  # right, but no longer looked at from this page
    page.join()
    assert not page.joined
    assert "wrong code has been typed several times on this page" in page._join_msg.value
    assert re.search(r"Please wait \d+ seconds, then try again", page._join_msg.value)
    fresh = _page(live)
    fresh._code.value = live.code
    fresh.join()
    assert fresh.joined, "one page's wrong codes do not lock out the room"


def test_wrong_codes_are_limited_for_the_whole_session_then_allowed_again(live, monkeypatch):
    clock = SimpleNamespace(now=1_000_000.0)
    monkeypatch.setattr(store.time, "time", lambda: clock.now)
    for n in range(SESSION_FAILURES):  # each from a new page, as a script opening pages would
        clock.now += 1
        with pytest.raises(WrongCode):
            live.join("WRNG-CODE", f"page {n}")
    with pytest.raises(TooManyTries, match="typed for this session") as refused:
        live.join(live.code, "a new page")  # the right code is not even looked at
    assert refused.value.wait_s == 51 and "wait 51 seconds" in str(refused.value)
    clock.now += 51
    assert live.store.knows(live.join(live.code, "a new page"))


def test_pages_racing_each_other_get_no_more_guesses_than_the_limit(live):
    outcomes: list[str] = []
    start = threading.Barrier(30)

    def guess(n: int) -> None:
        start.wait()
        try:
            live.join(f"GUESS{n:03d}", f"page {n}")
        except store.AnswerError as exc:
            outcomes.append(type(exc).__name__)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("WrongCode") == SESSION_FAILURES
    assert outcomes.count("TooManyTries") == 30 - SESSION_FAILURES


def test_guessing_a_live_code_in_an_eight_hour_session_is_improbable_and_readme_says_so():
    guesses = SESSION_FAILURES * 60 * HOURS
    odds = guesses / len(session.ALPHABET) ** session.CODE_LENGTH
    assert odds < 1e-8
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert f"{guesses:,} guesses" in readme
    assert f"1 in {round(1 / odds / 1e6)} million" in readme
