"""Where the workshop's answers live: a SQLite file (the default: one laptop, nothing to set up)
or a PostgreSQL database (a cohort sharing one server), behind one set of SQLAlchemy Core tables
and one kind of transaction. Everything that differs between the two is in this module.

Transactions are begun and ended here, by statement, on connections in autocommit mode, so that
a write is exactly one transaction that holds the session's write lock from its first statement:

- SQLite: ``BEGIN IMMEDIATE`` takes the file's write lock at once, so two writers queue (up to
  ``BUSY_TIMEOUT_MS``) instead of failing half-way; WAL mode lets readers go on meanwhile.
- PostgreSQL: ``BEGIN`` then ``LOCK TABLE <session>.state IN SHARE ROW EXCLUSIVE MODE``, a lock
  only writers take (plain reads never wait for it), held until commit; ``lock_timeout`` plays
  the part of the busy timeout. Writers to one session queue just as on SQLite, which is what
  makes a read-then-write (the join limits, the open prompt check) safe under READ COMMITTED.
- Reads are one snapshot: a deferred ``BEGIN`` on SQLite, ``REPEATABLE READ, READ ONLY`` on
  PostgreSQL.

Several sessions share one PostgreSQL database, each in its own schema (``ws_`` and random
hex), so the tables and every statement are the same as in a session's own SQLite file (the
schema is put in by SQLAlchemy's ``schema_translate_map``): no statement can see another
session's rows, and a session's data is removed with one ``DROP SCHEMA … CASCADE``.
"""

from __future__ import annotations

import functools
import os
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

BUSY_TIMEOUT_MS = 15_000
SCHEMA_NAME = re.compile(r"ws_[0-9a-f]{16}")


class Text(sa.types.TypeDecorator):
    """Text as both databases can hold it: a NUL (PostgreSQL refuses it) or a lone surrogate
    (no encoding takes it), which a page's message can carry, is written as its backslash
    escape, on SQLite too, so the two store and match exactly the same."""

    impl = sa.Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        """The text to send for ``value`` (None stays None: SQL's NULL)."""
        if value is None:
            return None
        return str(value).encode("utf-8", "backslashreplace").decode().replace("\x00", "\\x00")


metadata = sa.MetaData()
prompts = sa.Table(
    "prompts",
    metadata,
    sa.Column("id", Text, primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("spec", Text, nullable=False),
)
state = sa.Table(
    "state",
    metadata,
    sa.Column("key", Text, primary_key=True),
    sa.Column("value", Text, nullable=False),
)
participants = sa.Table(
    "participants",
    metadata,
    sa.Column("token", Text, primary_key=True),
    sa.Column("joined_at", sa.Float, nullable=False),
)
answers = sa.Table(
    "answers",
    metadata,
    sa.Column("prompt_id", Text, primary_key=True),
    sa.Column("token", Text, primary_key=True),
    sa.Column("value", Text, nullable=False),
    sa.Column("status", Text, nullable=False),
    sa.Column("answered_at", sa.Float, nullable=False),
)
shown = sa.Table(
    "shown",
    metadata,
    sa.Column("prompt_id", Text, primary_key=True),
    sa.Column("shown_at", sa.Float, nullable=False),
)
join_failures = sa.Table(
    "join_failures",
    metadata,
    sa.Column("client", Text, nullable=False),
    sa.Column("failed_at", sa.Float, nullable=False),
)

_INSERT = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}
_BEGIN = {  # (dialect, write): the statement that opens the transaction
    ("sqlite", False): "BEGIN",
    ("sqlite", True): "BEGIN IMMEDIATE",
    ("postgresql", False): "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY",
    ("postgresql", True): "BEGIN",
}


def url_of(where: str | Path) -> str:
    """The database URL for ``where``: a URL (``postgresql+psycopg://…``, ``sqlite:///…``) as it
    is, or a file path, which means a SQLite file there."""
    text = str(where)
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).resolve()}"


def new_schema() -> str:
    """A fresh name for a session's schema: ``ws_`` and 64 random bits in hex, so sessions
    started on different machines against one database do not collide."""
    return f"ws_{secrets.token_hex(8)}"


def check_place(url: str, schema: str | None) -> None:
    """ValueError unless ``url`` is SQLite or PostgreSQL and ``schema`` suits it: none for a
    SQLite file (the file is the session), a session schema name for PostgreSQL (shared)."""
    backend = sa.make_url(url).get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise ValueError(f"the workshop store runs on SQLite or PostgreSQL, not {backend}")
    if (backend == "sqlite") != (schema is None):
        raise ValueError("a SQLite store has no schema; a PostgreSQL store needs its session's")
    if schema is not None and not SCHEMA_NAME.fullmatch(schema):
        raise ValueError(f"a session's schema is named ws_ and 16 hex digits, not {schema!r}")


def engine(url: str) -> Engine:
    """The engine for ``url`` in this process (a forked child gets its own, never its parent's
    connections); its connections are in autocommit mode, so ``transaction`` begins and ends
    every transaction itself."""
    return _engine(url, os.getpid())


@functools.cache
def _engine(url: str, _pid: int) -> Engine:
    if sa.make_url(url).get_backend_name() == "sqlite":
        made = sa.create_engine(
            url, isolation_level="AUTOCOMMIT", connect_args={"timeout": BUSY_TIMEOUT_MS / 1000}
        )
        sa.event.listen(made, "connect", _sqlite_busy_timeout)
        return made
    return sa.create_engine(  # a page polls from one task: one connection kept per process
        url,
        isolation_level="AUTOCOMMIT",
        pool_size=1,
        max_overflow=20,
        pool_pre_ping=True,
        connect_args={"options": f"-c lock_timeout={BUSY_TIMEOUT_MS}"},
    )


def _sqlite_busy_timeout(dbapi_connection, _record) -> None:
    dbapi_connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


def insert(con: Connection, table: sa.Table):
    """An INSERT for ``table`` in ``con``'s dialect, which can take ``on_conflict_do_…``."""
    return _INSERT[con.dialect.name](table)


@contextmanager
def transaction(
    eng: Engine, schema: str | None, write: bool, lock: bool = True
) -> Iterator[Connection]:
    """One transaction on the session in ``schema``: committed whole when the block ends,
    rolled back on error. A write holds the session's write lock from its start (``lock``:
    unless the session's tables do not exist yet)."""
    with eng.connect() as con:
        if schema is not None:
            con.execution_options(schema_translate_map={None: schema})
        con.exec_driver_sql(_BEGIN[con.dialect.name, write])
        try:
            if write and lock and con.dialect.name == "postgresql":
                # the schema's name was checked (check_place): ws_ and hex digits only
                con.exec_driver_sql(f'LOCK TABLE "{schema}".state IN SHARE ROW EXCLUSIVE MODE')
            yield con
        except BaseException:
            con.exec_driver_sql("ROLLBACK")
            raise
        con.exec_driver_sql("COMMIT")


@contextmanager
def new_session(eng: Engine, schema: str | None) -> Iterator[Connection]:
    """Create a session's tables (on PostgreSQL in a new schema, which must not exist yet: two
    sessions never share one) and yield the same transaction to fill them."""
    if schema is None:
        with eng.connect() as con:  # WAL is a property of the file from now on
            con.exec_driver_sql("PRAGMA journal_mode=WAL")
    with transaction(eng, schema, write=True, lock=False) as con:
        if schema is not None:
            con.execute(sa.schema.CreateSchema(schema))
        metadata.create_all(con)
        yield con
