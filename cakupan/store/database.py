"""Opening the database: SQLite (a file in WAL mode, so the app reads while an import writes)
by default, PostgreSQL when ``CAKUPAN_DATABASE_URL`` says so; migrated on first use.

The schema is versioned (:mod:`cakupan.store.schema`); the ``meta`` table holds the store's
random identity and write counter, from which :func:`cakupan.store.reads.data_version` is made.
"""

from __future__ import annotations

import threading
import uuid
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from cakupan.store import schema

_ENGINES: dict[str, Engine] = {}
#: Execution option that marks a transaction as a writer's (:func:`writing`).
WRITE_OPTION = "cakupan_write"
_LOCK = threading.RLock()


def _sqlite_engine(url: sa.URL) -> Engine:
    database = url.database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Take transactions out of the driver's hands so that DDL (migrations) is atomic too;
        # the "begin" hook below then opens every transaction explicitly.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")  # readers never wait for an import
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # A writer takes the write lock up front (IMMEDIATE), waiting up to the busy timeout.
        # Begun as a reader, a transaction that writes later cannot wait: SQLite refuses the
        # upgrade at once ("database is locked") when another writer got there first.
        immediate = conn.get_execution_options().get(WRITE_OPTION)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _create_engine(url: str) -> Engine:
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed)
    return sa.create_engine(parsed, pool_pre_ping=True)


def writing(engine: Engine) -> AbstractContextManager[Connection]:
    """A transaction that will write: ``with writing(engine) as conn: ...``.

    On SQLite it begins ``IMMEDIATE`` so that concurrent writers (another replica's import, a
    CLI ``users add``) queue for up to the busy timeout instead of failing at once; on
    PostgreSQL it is an ordinary transaction (row locks and the data counter serialise there).
    """
    return engine.execution_options(**{WRITE_OPTION: True}).begin()


_META_KEYS = {"store_id", "data_seq"}


def _meta_keys(conn: Connection) -> set[str]:
    return {row[0] for row in conn.execute(sa.select(schema.meta.c.key))}


def _ensure_meta(engine: Engine) -> None:
    """The store's identity and write counter, from which :func:`data_version` is made.

    Read first: the rows exist on every start but the very first, and only adding them needs
    the write lock (which a running import may hold for longer than the busy timeout).
    """
    with engine.connect() as conn:
        if _meta_keys(conn) >= _META_KEYS:
            return
    with writing(engine) as conn:
        schema._lock(conn)
        have = _meta_keys(conn)  # again, under the lock: another process may have added them
        if "store_id" not in have:
            conn.execute(schema.meta.insert().values(key="store_id", value=uuid.uuid4().hex))
        if "data_seq" not in have:
            conn.execute(schema.meta.insert().values(key="data_seq", value="0"))


def open_database(url: str) -> Engine:
    """The engine for ``url``, created, migrated and given its identity on first use.

    Cached per URL for the life of the process: later calls cost a dictionary lookup.
    Seeding is not done here but one layer up (:func:`cakupan.store.engine.get_engine`), so
    the writer that seeding uses never needs this module to know about seeding.
    """
    with _LOCK:
        engine = _ENGINES.get(url)
        if engine is None:
            engine = _create_engine(url)
            schema.migrate(lambda: writing(engine), read=engine.connect)
            _ensure_meta(engine)
            _ENGINES[url] = engine
    return engine


def dispose_all() -> None:
    """Dispose every cached engine (tests, and the benchmark of a cold start)."""
    with _LOCK:
        for engine in _ENGINES.values():
            engine.dispose()
        _ENGINES.clear()
