"""The workshop store, on SQLite and on PostgreSQL alike: one locked transaction per answer,
nothing lost when many answer at once, the rules a participant meets (open prompt only, one
answer each, bounded text); WAL on SQLite, and a session file the SQLite-only store wrote."""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading

import pytest
import sqlalchemy as sa

from tests.conftest import ROOT
from workshop import db
from workshop.prompts import MAX_TEXT, AnswerError
from workshop.store import HIDDEN, NEW, SHOWN, SessionClosed, Store, WrongCode

OLD_SESSION = ROOT / "tests" / "fixtures" / "workshop-session-c6a42b1.sql"

PROMPTS = [
    {
        "id": "p1",
        "kind": "poll",
        "text": "Which?",
        "options": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}],
    },
    {"id": "p2", "kind": "reflection", "text": "What did you notice?"},
]


def new_store(tmp_path, workshop_db: str) -> Store:
    """A new session's store: a SQLite file, or a new schema on the test's PostgreSQL."""
    if workshop_db:
        return Store.create(workshop_db, PROMPTS, db.new_schema())
    return Store.create(tmp_path / "answers.db", PROMPTS)


@pytest.fixture
def store(tmp_path, workshop_db):
    s = new_store(tmp_path, workshop_db)
    s.open_prompt("p1")
    return s


def test_a_sqlite_store_is_in_wal_mode_with_a_busy_timeout(tmp_path):
    store = Store.create(tmp_path / "answers.db", PROMPTS)
    con = sqlite3.connect(tmp_path / "answers.db")
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with store.engine.connect() as con:
        assert con.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_every_answer_is_one_transaction_that_takes_the_write_lock_first(store):
    t1 = store.join("page", True)
    statements: list[str] = []

    def traced(_con, _cursor, statement, *_args):
        statements.append(statement.split(" (", 1)[0].split(" WHERE", 1)[0])

    sa.event.listen(store.engine, "before_cursor_execute", traced)
    try:
        store.answer("p1", t1, "a")
    finally:
        sa.event.remove(store.engine, "before_cursor_execute", traced)
    first = ["BEGIN IMMEDIATE"] if store.schema is None else ["BEGIN", "LOCK TABLE"]
    assert [s[: len(f)] for s, f in zip(statements, first, strict=False)] == first
    assert sum(s.startswith("BEGIN") for s in statements) == 1
    assert statements.count("COMMIT") == 1 and statements[-1] == "COMMIT"


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


def _answer_in_process(url: str, schema: str | None, page: str, text: str, barrier) -> None:
    store = Store(url, schema)
    token = store.join(page, True)
    barrier.wait()
    store.answer("p2", token, text)


def test_twenty_processes_answering_at_once_lose_nothing(tmp_path, workshop_db):
    store = new_store(tmp_path, workshop_db)
    store.open_prompt("p2")
    store.state()  # this process's engine now holds a connection its children must not use
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(20)
    where = (store.url, store.schema)
    procs = [
        ctx.Process(target=_answer_in_process, args=(*where, f"t{n}", f"answer {n}", barrier))
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


def test_sessions_sharing_a_database_see_nothing_of_each_other(postgres_server):
    one, two = (Store.create(postgres_server, PROMPTS, db.new_schema()) for _ in range(2))
    one.open_prompt("p1")
    token = one.join("page", True)
    one.answer("p1", token, "a")
    assert not two.knows(token) and two.answers("p1") == [] and two.state().participants == 0
    assert two.state().open_prompt is None
    with pytest.raises(sa.exc.ProgrammingError, match="already exists"):
        Store.create(postgres_server, PROMPTS, one.schema)  # never two sessions in one schema


def test_a_session_file_the_sqlite_only_store_wrote_still_opens_and_runs(tmp_path):
    path = tmp_path / "answers.db"
    con = sqlite3.connect(path)
    con.executescript(OLD_SESSION.read_text(encoding="utf-8"))
    con.execute("PRAGMA journal_mode=WAL")
    con.close()
    store = Store(path)
    assert [p["id"] for p in store.prompts()] == ["p1", "p2"]
    assert store.state().open_prompt == "p2" and store.state().participants == 2
    assert store.shown_prompts() == {"p1", "p2"}
    statuses = sorted((a.value, a.status) for a in store.answers("p2"))
    assert statuses == [("hidden by the facilitator", HIDDEN), ("kept on screen", SHOWN)]
    hidden = next(a.token for a in store.answers("p2") if a.status == HIDDEN)
    assert store.knows(hidden)
    store.answer("p2", hidden, "edited")
    assert store.answer_of("p2", hidden) == "edited"
    token = store.join("page 3", True)
    store.answer("p2", token, "new here")
    store.end()
    assert store.state().ended and store.times()[1] is not None


def test_text_neither_database_can_hold_is_stored_and_looked_up_alike_on_both(store):
    with pytest.raises(WrongCode):
        store.join("page\x00\ud800", False)  # a widget message can carry anything
    assert store.answer_of("p1\x00", "t\x00") is None
    with pytest.raises(KeyError):
        store.prompt("p1\x00")
    with pytest.raises(SessionClosed):
        store.answer("p1\x00", store.join("page\x00", True), "a")
