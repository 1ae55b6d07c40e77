"""The workshop's answers, in a SQLite file in the session folder or in a PostgreSQL database
that several sessions share (``workshop.db``: the tables, and the one place the two differ).

Every write is one short transaction that takes the session's write lock at its start, so two
writers queue instead of failing half-way, and an answer replaces the same participant's earlier
answer to the same prompt with one upsert. No write is lost under concurrency: each either
commits whole or raises. Every read is one consistent snapshot.

A Store holds no connection of its own (``workshop.db`` keeps one engine per database and
process), so a Store can be shared by threads and processes (the Voilà kernels of the
facilitator's and participants' pages each open the same database).

Joining goes through the store too, so its limits hold across every page: a participant's token
is issued here (``secrets``) and only a token issued here is ever taken back, and wrong codes are
counted here, per page and for the whole session, in the same transaction that decides the join.
"""

from __future__ import annotations

import json
import math
import re
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from workshop import db
from workshop.db import answers, join_failures, participants, shown, state
from workshop.prompts import AnswerError, check_answer

NEW, SHOWN, HIDDEN = "new", "shown", "hidden"  # a typed answer: unreviewed, on screen, hidden
FAILURE_WINDOW_S = 60  # wrong codes count against joining for a minute
SESSION_FAILURES = 10  # at most this many wrong codes a minute across every page of a session
PAGE_FAILURES = 5  # and this many from any one page
TOKEN_BYTES = 24  # a participant's token: 192 random bits, as 32 URL-safe characters
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{32}")


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
    """Answers, the open prompt and the session's end, in ``where``: a SQLite file's path (a
    session of its own), or a PostgreSQL URL with the session's ``schema`` (shared database)."""

    def __init__(self, where: str | Path, schema: str | None = None):
        self.url = db.url_of(where)
        db.check_place(self.url, schema)
        self.schema = schema

    @classmethod
    def create(cls, where: str | Path, prompt_list: list[dict], schema: str | None = None) -> Store:
        """Create the session's tables with its prompts (in a new schema on PostgreSQL)."""
        store = cls(where, schema)
        with db.new_session(store.engine, schema) as con:
            con.execute(
                sa.insert(db.prompts),
                [
                    {"id": p["id"], "position": n, "spec": json.dumps(p)}
                    for n, p in enumerate(prompt_list)
                ],
            )
            con.execute(sa.insert(state).values(key="started_at", value=_now()))
        return store

    @property
    def engine(self) -> sa.Engine:
        """This process's engine on the store's database."""
        return db.engine(self.url)

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """One write transaction, holding the session's write lock: committed whole when the
        block ends, rolled back on error."""
        with db.transaction(self.engine, self.schema, write=True) as con:
            yield con

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        """One read transaction: a consistent snapshot of the session."""
        with db.transaction(self.engine, self.schema, write=False) as con:
            yield con

    # -- the session -------------------------------------------------------------------------

    def prompts(self) -> list[dict]:
        """The session's prompts, in order."""
        with self._read() as con:
            specs = con.scalars(sa.select(db.prompts.c.spec).order_by(db.prompts.c.position))
            return [json.loads(spec) for spec in specs]

    def prompt(self, prompt_id: str) -> dict:
        """One prompt by id; KeyError if the session has no such prompt."""
        with self._read() as con:
            spec = _spec(con, prompt_id)
        if spec is None:
            raise KeyError(prompt_id)
        return json.loads(spec)

    def state(self) -> State:
        """The open prompt, whether the session has ended, and how many people have joined."""
        with self._read() as con:
            values = dict(con.execute(sa.select(state.c.key, state.c.value)).all())
            joined = con.scalar(sa.select(sa.func.count()).select_from(participants))
        return State(values.get("open_prompt") or None, "ended_at" in values, joined)

    def times(self) -> tuple[float, float | None]:
        """When the session started and (if it has) ended, as Unix times."""
        with self._read() as con:
            values = dict(con.execute(sa.select(state.c.key, state.c.value)).all())
        ended = values.get("ended_at")
        return float(values["started_at"]), float(ended) if ended else None

    def open_prompt(self, prompt_id: str | None) -> None:
        """Open one prompt for answers (closing any other), or close answering with None."""
        with self._write() as con:
            if prompt_id is not None and _spec(con, prompt_id) is None:
                raise KeyError(prompt_id)
            _set(con, "open_prompt", prompt_id or "")

    def mark_shown(self, prompt_id: str) -> None:
        """Record that the facilitator's page has shown the room this prompt while it was open
        (once is enough): the summary keeps only prompts the room has seen."""
        with self._write() as con:
            con.execute(
                db.insert(con, shown)
                .values(prompt_id=prompt_id, shown_at=time.time())
                .on_conflict_do_nothing(index_elements=["prompt_id"])
            )

    def shown_prompts(self) -> set[str]:
        """The ids of the prompts the facilitator's page has shown the room."""
        with self._read() as con:
            return set(con.scalars(sa.select(shown.c.prompt_id)))

    def end(self) -> None:
        """End the session: answering closes and the join code stops working, for good."""
        with self._write() as con:
            _set(con, "open_prompt", "")
            con.execute(
                db.insert(con, state)
                .values(key="ended_at", value=_now())
                .on_conflict_do_nothing(index_elements=["key"])
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
        client = str(client)  # any page id, as text (db.Text makes any text storable)
        token = refusal = None
        with self._write() as con:
            con.execute(
                sa.delete(join_failures).where(join_failures.c.failed_at <= now - FAILURE_WINDOW_S)
            )
            refusal = _too_many_tries(con, client, now)
            if refusal is None and (not code_ok or _ended(con)):
                con.execute(sa.insert(join_failures).values(client=client, failed_at=now))
                refusal = WrongCode(
                    "That code does not match this session, or the session has ended. "
                    "Check the code on the screen and try again."
                )
            if refusal is None:
                token = secrets.token_urlsafe(TOKEN_BYTES)
                con.execute(sa.insert(participants).values(token=token, joined_at=now))
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
            return _joined(con, token) and not _ended(con)

    def answer(self, prompt_id: str, token: str, value: Any) -> Any:
        """Keep a participant's answer to the open prompt, replacing their earlier one; returns
        the answer as kept. One transaction: it is all kept or, with a clear reason, not at all.

        A typed answer goes back to review ("new") when it changes, unless the facilitator hid
        it: a hidden answer stays hidden, so editing it cannot put it on screen.
        """
        with self._write() as con:
            if _ended(con):
                raise SessionClosed("This session has ended, so answers are no longer taken.")
            if not prompt_id or _value(con, "open_prompt") != prompt_id:
                raise SessionClosed(
                    "The facilitator has closed this question, so your answer was not sent."
                )
            if not _issued_shape(token) or not _joined(con, token):
                raise AnswerError("Join the session with its code first.")
            kept = check_answer(json.loads(_spec(con, prompt_id)), value)
            upsert = db.insert(con, answers).values(
                prompt_id=prompt_id,
                token=token,
                value=json.dumps(kept),
                status=NEW,
                answered_at=time.time(),
            )
            con.execute(
                upsert.on_conflict_do_update(
                    index_elements=["prompt_id", "token"],
                    set_={
                        "value": upsert.excluded.value,
                        "answered_at": upsert.excluded.answered_at,
                        "status": sa.case(
                            (answers.c.status == HIDDEN, answers.c.status), else_=NEW
                        ),
                    },
                )
            )
        return kept

    def answer_of(self, prompt_id: str, token: str) -> Any:
        """One participant's own answer to a prompt (None if they have not answered)."""
        with self._read() as con:
            value = con.scalar(
                sa.select(answers.c.value).where(
                    answers.c.prompt_id == prompt_id, answers.c.token == token
                )
            )
        return json.loads(value) if value is not None else None

    def answers(self, prompt_id: str) -> list[Answer]:
        """Every participant's latest answer to a prompt."""
        columns = (answers.c.token, answers.c.value, answers.c.status, answers.c.answered_at)
        with self._read() as con:
            rows = con.execute(sa.select(*columns).where(answers.c.prompt_id == prompt_id)).all()
        return [Answer(t, json.loads(v), s, a) for t, v, s, a in rows]

    def set_status(self, prompt_id: str, token: str, status: str) -> None:
        """Hide a typed answer (never shown or exported), or return it to review ("new")."""
        if status not in (NEW, HIDDEN):
            raise ValueError(f"status must be {NEW!r} or {HIDDEN!r}")
        with self._write() as con:
            con.execute(
                sa.update(answers)
                .where(answers.c.prompt_id == prompt_id, answers.c.token == token)
                .values(status=status)
            )

    def show_new(self, prompt_id: str) -> int:
        """Put every typed answer to a prompt that is neither on screen nor hidden on screen;
        returns how many."""
        with self._write() as con:
            return con.execute(
                sa.update(answers)
                .where(answers.c.prompt_id == prompt_id, answers.c.status == NEW)
                .values(status=SHOWN)
            ).rowcount


def _issued_shape(token: object) -> bool:
    """Whether ``token`` could be one this store issued (anything else is not looked up)."""
    return isinstance(token, str) and TOKEN_SHAPE.fullmatch(token) is not None


def _too_many_tries(con: Connection, client: str, now: float) -> TooManyTries | None:
    """TooManyTries if this page, or the session as a whole, has had its share of wrong codes
    in the last minute (older ones are already deleted), saying when the next try is allowed."""
    latest = sa.select(join_failures.c.failed_at).order_by(join_failures.c.failed_at.desc())
    mine = con.scalars(latest.where(join_failures.c.client == client).limit(PAGE_FAILURES)).all()
    everyone = con.scalars(latest.limit(SESSION_FAILURES)).all()
    for times, limit, why in (
        (everyone, SESSION_FAILURES, "Several wrong codes have been typed for this session"),
        (mine, PAGE_FAILURES, "A wrong code has been typed several times on this page"),
    ):
        if len(times) >= limit:
            wait = max(1, math.ceil(times[limit - 1] + FAILURE_WINDOW_S - now))
            return TooManyTries(
                f"{why} in the last minute, so joining is paused for a moment to keep the "
                f"session safe. Please wait {wait} second{'' if wait == 1 else 's'}, then try "
                "again. If this keeps "
                "happening, tell the facilitator.",
                wait,
            )
    return None


def _spec(con: Connection, prompt_id: str) -> str | None:
    """A prompt's spec as stored (JSON text), or None if the session has no such prompt."""
    return con.scalar(sa.select(db.prompts.c.spec).where(db.prompts.c.id == prompt_id))


def _joined(con: Connection, token: str) -> bool:
    """Whether the store issued ``token`` (the shape is checked first, by the caller)."""
    return (
        con.scalar(sa.select(participants.c.token).where(participants.c.token == token)) is not None
    )


def _set(con: Connection, key: str, value: str) -> None:
    """Set one of the session's state values, in the caller's write transaction."""
    upsert = db.insert(con, state).values(key=key, value=value)
    con.execute(
        upsert.on_conflict_do_update(index_elements=["key"], set_={"value": upsert.excluded.value})
    )


def _value(con: Connection, key: str) -> str | None:
    """One of the session's state values (None if it is not set)."""
    return con.scalar(sa.select(state.c.value).where(state.c.key == key))


def _ended(con: Connection) -> bool:
    return _value(con, "ended_at") is not None


def _now() -> str:
    return repr(time.time())
