"""The workshop store: WAL, one transaction per answer, nothing lost when many answer at once,
and the rules a participant meets (open prompt only, one answer each, bounded text)."""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading

import pytest

from workshop.prompts import MAX_TEXT, AnswerError
from workshop.store import HIDDEN, NEW, SHOWN, SessionClosed, Store, WrongCode

PROMPTS = [
    {
        "id": "p1",
        "kind": "poll",
        "text": "Which?",
        "options": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}],
    },
    {"id": "p2", "kind": "reflection", "text": "What did you notice?"},
]


@pytest.fixture
def store(tmp_path):
    s = Store.create(tmp_path / "answers.db", PROMPTS)
    s.open_prompt("p1")
    return s


def test_the_database_is_in_wal_mode_with_a_busy_timeout(store):
    con = sqlite3.connect(store.path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store._connect().execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_every_answer_is_one_immediate_transaction(store, monkeypatch):
    t1 = store.join("page", True)
    statements: list[str] = []
    connect = store._connect

    def traced():
        con = connect()
        con.set_trace_callback(statements.append)
        return con

    monkeypatch.setattr(store, "_connect", traced)
    store.answer("p1", t1, "a")
    assert statements.count("BEGIN IMMEDIATE") == 1
    assert statements.count("COMMIT") == 1
    assert statements.index("BEGIN IMMEDIATE") == 0 and statements[-1] == "COMMIT"


def _answer_in_thread(store: Store, n: int, barrier: threading.Barrier, errors: list):
    try:
        token = store.join(f"page {n}", True)
        barrier.wait()
        for _ in range(3):  # answering again replaces, never adds
            store.answer("p1", token, "a" if n % 2 == 0 else "b")
    except Exception as exc:  # reported by the test below
        errors.append(exc)


def test_twenty_threads_answering_at_once_lose_nothing(store):
    barrier = threading.Barrier(20)
    errors: list = []
    threads = [
        threading.Thread(target=_answer_in_thread, args=(store, n, barrier, errors))
        for n in range(20)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    answers = store.answers("p1")
    assert len(answers) == 20
    assert sorted(a.value for a in answers).count("a") == 10
    assert store.state().participants == 20


def _answer_in_process(path, page: str, text: str, barrier) -> None:
    store = Store(path)
    token = store.join(page, True)
    barrier.wait()
    store.answer("p2", token, text)


def test_twenty_processes_answering_at_once_lose_nothing(tmp_path):
    store = Store.create(tmp_path / "answers.db", PROMPTS)
    store.open_prompt("p2")
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(20)
    procs = [
        ctx.Process(target=_answer_in_process, args=(store.path, f"t{n}", f"answer {n}", barrier))
        for n in range(20)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0] * 20
    assert sorted(a.value for a in store.answers("p2")) == sorted(f"answer {n}" for n in range(20))


def test_answers_go_only_to_the_open_prompt_and_stop_when_the_session_ends(store):
    t1 = store.join("page", True)
    with pytest.raises(SessionClosed, match="closed this question"):
        store.answer("p2", t1, "too late")
    store.open_prompt(None)
    with pytest.raises(SessionClosed):
        store.answer("p1", t1, "a")
    store.open_prompt("p1")
    store.end()
    with pytest.raises(SessionClosed, match="ended"):
        store.answer("p1", t1, "a")
    with pytest.raises(WrongCode, match="ended"):
        store.join("page", True)
    assert store.answers("p1") == [] and store.state().ended


def test_only_participants_who_joined_can_answer(store):
    with pytest.raises(AnswerError, match="Join"):
        store.answer("p1", "stranger", "a")


def test_answers_are_checked_and_bounded_in_the_store(store):
    t1 = store.join("page", True)
    with pytest.raises(AnswerError, match="Choose one"):
        store.answer("p1", t1, "not-an-option")
    store.open_prompt("p2")
    with pytest.raises(AnswerError, match=f"limit is {MAX_TEXT:,}"):
        store.answer("p2", t1, "x" * (MAX_TEXT + 1))
    assert store.answers("p2") == []
    assert store.answer("p2", t1, "  fine\x00 text \r\n") == "fine text"


def test_a_hidden_answer_stays_hidden_when_its_writer_edits_it(store):
    store.open_prompt("p2")
    t1, t2 = store.join("page 1", True), store.join("page 2", True)
    for token in (t1, t2):
        store.answer("p2", token, f"first from {token}")
    assert store.show_new("p2") == 2
    store.set_status("p2", t1, HIDDEN)
    store.answer("p2", t1, "edited")
    store.answer("p2", t2, "edited too")
    status = {a.token: a.status for a in store.answers("p2")}
    assert status == {t1: HIDDEN, t2: NEW}  # a changed answer is reviewed again
    assert SHOWN not in status.values()
