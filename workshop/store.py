"""The workshop's answers: one SQLite database in the session folder.

SQLite runs in WAL mode (readers never block the writer), every write is one short transaction
started with ``BEGIN IMMEDIATE`` (it takes the write lock at once, so two writers queue on
``busy_timeout`` instead of failing half-way), and an answer replaces the same participant's
earlier answer to the same prompt with one upsert. No write is lost under concurrency: each
either commits whole or raises.

Written so that PostgreSQL can replace SQLite: the SQL is plain (``CREATE TABLE``, ``INSERT …
ON CONFLICT … DO UPDATE``, ``SELECT``, ``UPDATE``; no SQLite-only functions), and everything
SQLite-specific sits in ``_connect`` (the file, WAL, ``busy_timeout``) and ``_write`` (``BEGIN
IMMEDIATE``). A PostgreSQL store would open a connection from a URL there, use plain ``BEGIN`` and
``%s`` placeholders, and keep every method as it is.

Each call opens its own connection, so a Store can be shared by threads and processes (the
Voilà kernels of the facilitator's and participants' pages each open the same file).

Joining goes through the store too, so its limits hold across every page: a participant's token
is issued here (``secrets``) and only a token issued here is ever taken back, and wrong codes are
counted here, per page and for the whole session, in the same transaction that decides the join.
"""

from __future__ import annotations

import json
import math
import re
import secrets
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workshop.prompts import AnswerError, check_answer

BUSY_TIMEOUT_MS = 15_000
NEW, SHOWN, HIDDEN = "new", "shown", "hidden"  # a typed answer: unreviewed, on screen, hidden
FAILURE_WINDOW_S = 60  # wrong codes count against joining for a minute
SESSION_FAILURES = 10  # at most this many wrong codes a minute across every page of a session
PAGE_FAILURES = 5  # and this many from any one page
TOKEN_BYTES = 24  # a participant's token: 192 random bits, as 32 URL-safe characters
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{32}")

SCHEMA = [
    "CREATE TABLE IF NOT EXISTS prompts ("
    " id TEXT PRIMARY KEY, position INTEGER NOT NULL, spec TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS participants (token TEXT PRIMARY KEY, joined_at REAL NOT NULL)",
    "CREATE TABLE IF NOT EXISTS answers ("
    " prompt_id TEXT NOT NULL, token TEXT NOT NULL, value TEXT NOT NULL,"
    " status TEXT NOT NULL, answered_at REAL NOT NULL, PRIMARY KEY (prompt_id, token))",
    "CREATE TABLE IF NOT EXISTS shown (prompt_id TEXT PRIMARY KEY, shown_at REAL NOT NULL)",
    "CREATE TABLE IF NOT EXISTS join_failures (client TEXT NOT NULL, failed_at REAL NOT NULL)",
]


class SessionClosed(AnswerError):
    """The session has ended, or the prompt is no longer open: the answer was not kept."""


class WrongCode(AnswerError):
    """The typed code is not this session's (or the session has ended): nobody joined."""


class TooManyTries(AnswerError):
    """Too many wrong codes lately: the code was not even checked. ``wait_s``: when to retry."""

    def __init__(self, message: str, wait_s: int):
        super().__init__(message)
        self.wait_s = wait_s


@dataclass(frozen=True)
class Answer:
    """One participant's latest answer to one prompt. ``token`` is a random id, never a name."""

    token: str
    value: Any
    status: str
    answered_at: float


@dataclass(frozen=True)
class State:
    """What every page polls: the open prompt, whether the session has ended, and who joined."""

    open_prompt: str | None
    ended: bool
    participants: int


class Store:
    """Answers, the open prompt and the session's end, in ``path`` (a SQLite file)."""

    def __init__(self, path: Path):
        self.path = Path(path)

    @classmethod
    def create(cls, path: Path, prompts: list[dict]) -> Store:
        """Create the database with its prompts; WAL mode is a property of the file from now on."""
        store = cls(path)
        with closing(store._connect()) as con:
            con.execute("PRAGMA journal_mode=WAL")
            for statement in SCHEMA:
                con.execute(statement)
        with store._write() as con:
            con.executemany(
                "INSERT INTO prompts (id, position, spec) VALUES (?, ?, ?)",
                [(p["id"], n, json.dumps(p)) for n, p in enumerate(prompts)],
            )
            con.execute("INSERT INTO state (key, value) VALUES ('started_at', ?)", (_now(),))
        return store

    def _connect(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        con.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        return con

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed whole when the block ends, rolled back on error."""
        with closing(self._connect()) as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """One read transaction: a consistent snapshot of the database."""
        with closing(self._connect()) as con:
            con.execute("BEGIN")
            try:
                yield con
            finally:
                con.execute("COMMIT")

    # -- the session -------------------------------------------------------------------------

    def prompts(self) -> list[dict]:
        """The session's prompts, in order."""
        with self._read() as con:
            rows = con.execute("SELECT spec FROM prompts ORDER BY position").fetchall()
        return [json.loads(spec) for (spec,) in rows]

    def prompt(self, prompt_id: str) -> dict:
        """One prompt by id; KeyError if the session has no such prompt."""
        with self._read() as con:
            row = con.execute("SELECT spec FROM prompts WHERE id = ?", (prompt_id,)).fetchone()
        if row is None:
            raise KeyError(prompt_id)
        return json.loads(row[0])

    def state(self) -> State:
        """The open prompt, whether the session has ended, and how many people have joined."""
        with self._read() as con:
            values = dict(con.execute("SELECT key, value FROM state").fetchall())
            (joined,) = con.execute("SELECT COUNT(*) FROM participants").fetchone()
        return State(values.get("open_prompt") or None, "ended_at" in values, joined)

    def times(self) -> tuple[float, float | None]:
        """When the session started and (if it has) ended, as Unix times."""
        with self._read() as con:
            values = dict(con.execute("SELECT key, value FROM state").fetchall())
        ended = values.get("ended_at")
        return float(values["started_at"]), float(ended) if ended else None

    def _set(self, con: sqlite3.Connection, key: str, value: str) -> None:
        con.execute(
            "INSERT INTO state (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def open_prompt(self, prompt_id: str | None) -> None:
        """Open one prompt for answers (closing any other), or close answering with None."""
        with self._write() as con:
            if (
                prompt_id is not None
                and not con.execute("SELECT 1 FROM prompts WHERE id = ?", (prompt_id,)).fetchone()
            ):
                raise KeyError(prompt_id)
            self._set(con, "open_prompt", prompt_id or "")

    def mark_shown(self, prompt_id: str) -> None:
        """Record that the facilitator's page has shown the room this prompt while it was open
        (once is enough): the summary keeps only prompts the room has seen."""
        with self._write() as con:
            con.execute(
                "INSERT INTO shown (prompt_id, shown_at) VALUES (?, ?)"
                " ON CONFLICT (prompt_id) DO NOTHING",
                (prompt_id, time.time()),
            )

    def shown_prompts(self) -> set[str]:
        """The ids of the prompts the facilitator's page has shown the room."""
        with self._read() as con:
            return {pid for (pid,) in con.execute("SELECT prompt_id FROM shown").fetchall()}

    def end(self) -> None:
        """End the session: answering closes and the join code stops working, for good."""
        with self._write() as con:
            self._set(con, "open_prompt", "")
            con.execute(
                "INSERT INTO state (key, value) VALUES ('ended_at', ?)"
                " ON CONFLICT (key) DO NOTHING",
                (_now(),),
            )

    # -- participants and answers ------------------------------------------------------------

    def join(self, client: str, code_ok: bool) -> str:
        """Let in someone who typed a code on the page ``client`` (``code_ok``: whether it was
        this session's); returns their token, issued here from ``secrets`` and never a name.

        Wrong codes are limited to PAGE_FAILURES a minute from one page and SESSION_FAILURES a
        minute in all: past either, the code is not looked at and TooManyTries says how long to
        wait. The count and the decision are one transaction, so pages racing each other cannot
        get past the limit. A wrong code, or any code once the session has ended, is WrongCode.
        """
        now = time.time()
        client = str(client).encode("utf-8", "backslashreplace").decode()  # storable text
        token = refusal = None
        with self._write() as con:
            con.execute("DELETE FROM join_failures WHERE failed_at <= ?", (now - FAILURE_WINDOW_S,))
            refusal = _too_many_tries(con, client, now)
            if refusal is None and (not code_ok or _ended(con)):
                con.execute(
                    "INSERT INTO join_failures (client, failed_at) VALUES (?, ?)", (client, now)
                )
                refusal = WrongCode(
                    "That code does not match this session, or the session has ended. "
                    "Check the code on the screen and try again."
                )
            if refusal is None:
                token = secrets.token_urlsafe(TOKEN_BYTES)
                con.execute(
                    "INSERT INTO participants (token, joined_at) VALUES (?, ?)", (token, now)
                )
        if refusal is not None:  # raised after the commit: the wrong code is counted
            raise refusal
        return token

    def knows(self, token: object) -> bool:
        """Whether ``token`` was issued by this store and the session is still running: what a
        page asks of a token a browser brings back. Anything else (forged, from another session,
        malformed) is simply not known: it is never trusted."""
        if not _issued_shape(token):
            return False
        with self._read() as con:
            known = con.execute("SELECT 1 FROM participants WHERE token = ?", (token,)).fetchone()
            return known is not None and not _ended(con)

    def answer(self, prompt_id: str, token: str, value: Any) -> Any:
        """Keep a participant's answer to the open prompt, replacing their earlier one; returns
        the answer as kept. One transaction: it is all kept or, with a clear reason, not at all.

        A typed answer goes back to review ("new") when it changes, unless the facilitator hid
        it: a hidden answer stays hidden, so editing it cannot put it on screen.
        """
        with self._write() as con:
            if _ended(con):
                raise SessionClosed("This session has ended, so answers are no longer taken.")
            row = con.execute("SELECT value FROM state WHERE key = 'open_prompt'").fetchone()
            if not row or not row[0] or row[0] != prompt_id:
                raise SessionClosed(
                    "The facilitator has closed this question, so your answer was not sent."
                )
            if (
                not _issued_shape(token)
                or not con.execute(
                    "SELECT 1 FROM participants WHERE token = ?", (token,)
                ).fetchone()
            ):
                raise AnswerError("Join the session with its code first.")
            (spec,) = con.execute("SELECT spec FROM prompts WHERE id = ?", (prompt_id,)).fetchone()
            kept = check_answer(json.loads(spec), value)
            con.execute(
                "INSERT INTO answers (prompt_id, token, value, status, answered_at)"
                " VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (prompt_id, token) DO UPDATE SET value = excluded.value,"
                " answered_at = excluded.answered_at,"
                " status = CASE WHEN answers.status = ? THEN answers.status ELSE ? END",
                (prompt_id, token, json.dumps(kept), NEW, time.time(), HIDDEN, NEW),
            )
        return kept

    def answer_of(self, prompt_id: str, token: str) -> Any:
        """One participant's own answer to a prompt (None if they have not answered)."""
        with self._read() as con:
            row = con.execute(
                "SELECT value FROM answers WHERE prompt_id = ? AND token = ?", (prompt_id, token)
            ).fetchone()
        return json.loads(row[0]) if row else None

    def answers(self, prompt_id: str) -> list[Answer]:
        """Every participant's latest answer to a prompt."""
        with self._read() as con:
            rows = con.execute(
                "SELECT token, value, status, answered_at FROM answers WHERE prompt_id = ?",
                (prompt_id,),
            ).fetchall()
        return [Answer(t, json.loads(v), s, a) for t, v, s, a in rows]

    def set_status(self, prompt_id: str, token: str, status: str) -> None:
        """Hide a typed answer (never shown or exported), or return it to review ("new")."""
        if status not in (NEW, HIDDEN):
            raise ValueError(f"status must be {NEW!r} or {HIDDEN!r}")
        with self._write() as con:
            con.execute(
                "UPDATE answers SET status = ? WHERE prompt_id = ? AND token = ?",
                (status, prompt_id, token),
            )

    def show_new(self, prompt_id: str) -> int:
        """Put every typed answer to a prompt that is neither on screen nor hidden on screen;
        returns how many."""
        with self._write() as con:
            cursor = con.execute(
                "UPDATE answers SET status = ? WHERE prompt_id = ? AND status = ?",
                (SHOWN, prompt_id, NEW),
            )
            return cursor.rowcount


def _issued_shape(token: object) -> bool:
    """Whether ``token`` could be one this store issued (anything else is not looked up)."""
    return isinstance(token, str) and TOKEN_SHAPE.fullmatch(token) is not None


def _too_many_tries(con: sqlite3.Connection, client: str, now: float) -> TooManyTries | None:
    """TooManyTries if this page, or the session as a whole, has had its share of wrong codes
    in the last minute (older ones are already deleted), saying when the next try is allowed."""
    mine = con.execute(
        "SELECT failed_at FROM join_failures WHERE client = ? ORDER BY failed_at DESC LIMIT ?",
        (client, PAGE_FAILURES),
    ).fetchall()
    everyone = con.execute(
        "SELECT failed_at FROM join_failures ORDER BY failed_at DESC LIMIT ?", (SESSION_FAILURES,)
    ).fetchall()
    for rows, limit, why in (
        (everyone, SESSION_FAILURES, "Several wrong codes have been typed for this session"),
        (mine, PAGE_FAILURES, "A wrong code has been typed several times on this page"),
    ):
        if len(rows) >= limit:
            wait = max(1, math.ceil(rows[limit - 1][0] + FAILURE_WINDOW_S - now))
            return TooManyTries(
                f"{why} in the last minute, so joining is paused for a moment to keep the "
                f"session safe. Please wait {wait} second{'' if wait == 1 else 's'}, then try "
                "again. If this keeps "
                "happening, tell the facilitator.",
                wait,
            )
    return None


def _ended(con: sqlite3.Connection) -> bool:
    return con.execute("SELECT 1 FROM state WHERE key = 'ended_at'").fetchone() is not None


def _now() -> str:
    return repr(time.time())
