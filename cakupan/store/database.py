"""Opening the database: SQLite (a file in WAL mode, so the app reads while an import writes)
by default, PostgreSQL when ``CAKUPAN_DATABASE_URL`` says so; migrated on first use.

The schema is versioned (:mod:`cakupan.store.schema`); the ``meta`` table holds the store's
random identity and write counter, from which :func:`cakupan.store.reads.data_version` is made.

A store that cannot be used (PostgreSQL refusing, not answering within
``CAKUPAN_DB_CONNECT_TIMEOUT_S``, a connection lost mid-way, a statement past
``CAKUPAN_DB_STATEMENT_TIMEOUT_S``; a SQLite file that cannot be opened) raises
:class:`~cakupan.core.errors.StoreUnavailable` with one line for the operator, from every
engine made here: callers catch one error, never a driver's.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine, ExceptionContext

from cakupan.core import settings
from cakupan.core.errors import StoreUnavailable
from cakupan.store import schema

_ENGINES: dict[str, Engine] = {}
#: Execution option that marks a transaction as a writer's (:func:`writing`).
WRITE_OPTION = "cakupan_write"
_LOCK = threading.RLock()


def _sqlite_engine(url: sa.URL) -> Engine:
    database = url.database
    if database and database != ":memory:":
        try:
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise StoreUnavailable(f"the data store cannot be opened ({_where(url)}): its "
                                   "folder cannot be made; check CAKUPAN_DATABASE_URL") from err
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


def _ms(seconds: float) -> int:
    return max(1, round(seconds * 1000))


def _postgres_engine(url: sa.URL) -> Engine:
    """PostgreSQL with a connect timeout and a statement timeout (settings), so a server that
    accepts but never answers, or a query stuck behind a lock, ends instead of hanging.

    Both go to the server at login (libpq ``connect_timeout``, ``options=-c statement_timeout``)
    and cost nothing per query; values the URL itself sets win (its ``options`` come after).
    """
    connect_args: dict[str, Any] = {}
    if "connect_timeout" not in url.query:
        connect_args["connect_timeout"] = settings.db_connect_timeout_s()
    given = url.query.get("options", "")
    given = " ".join(given) if isinstance(given, tuple) else given
    connect_args["options"] = " ".join(
        part for part in (f"-c statement_timeout={_ms(settings.db_statement_timeout_s())}",
                          given) if part)
    return sa.create_engine(url.difference_update_query(["options"]), pool_pre_ping=True,
                            connect_args=connect_args)


#: PostgreSQL SQLSTATEs that mean the store, not the request, is the problem. (A failed
#: connection has none: libpq reports a refused port, a wrong password and a missing database
#: alike, as text only, so they share one message.)
_PG_CANCELLED = "57014"  # statement_timeout (or an operator's pg_cancel_backend)
_PG_GOING_AWAY = ("57P01", "57P02", "57P03")  # admin/crash shutdown, cannot connect now


def _where(url: sa.URL) -> str:
    """Where the store is, for the operator's message: never the password."""
    if url.get_backend_name() == "sqlite":
        return f"SQLite file {url.database}"
    return f"PostgreSQL at {url.host or 'localhost'}:{url.port or 5432}, database {url.database}"


def unavailable(ctx: ExceptionContext, url: sa.URL) -> StoreUnavailable | None:
    """The :class:`StoreUnavailable` a driver error stands for, or None for other errors.

    Decided from error classes and codes, never from message text (worded per version and
    language). Not during the pool's pre-ping: a dead pooled connection there is expected
    after a restart and the pool reconnects on its own.
    """
    if ctx.is_pre_ping:
        return None
    orig = ctx.original_exception
    where = _where(url)
    if url.get_backend_name() == "sqlite":
        name = getattr(orig, "sqlite_errorname", "") or ""
        if name == "SQLITE_CANTOPEN":
            return StoreUnavailable(f"the data store cannot be opened ({where}): check "
                                    "CAKUPAN_DATABASE_URL and that the folder is writable")
        if name.startswith("SQLITE_IOERR"):  # e.g. _SHMSIZE: a full disk leaves no room for
            # the WAL index a new reader needs, so even reading fails until space is freed
            return StoreUnavailable(f"the data store cannot be read or written ({where}): "
                                    "its disk is full or failing; free space, then try again; "
                                    "nothing was changed", "disk")
        return None
    code = getattr(orig, "sqlstate", None)
    name = type(orig).__name__
    if code == _PG_CANCELLED:
        return StoreUnavailable(
            f"the data store did not finish in time ({where}): a statement ran past its "
            "timeout (CAKUPAN_DB_STATEMENT_TIMEOUT_S; CAKUPAN_DB_IMPORT_STATEMENT_TIMEOUT_S for "
            "an import) and was cancelled; nothing was changed", "statement_timeout")
    if ctx.connection is None and name == "ConnectionTimeout":
        return StoreUnavailable(
            f"the data store did not answer within {settings.db_connect_timeout_s()} s "
            f"({where}): check that the database server is running "
            "(CAKUPAN_DB_CONNECT_TIMEOUT_S)", "timeout")
    if ctx.connection is None:  # refused, no route, login refused, server starting/stopping
        return StoreUnavailable(f"the data store cannot be reached ({where}): check that the "
                                "database server is running and the host, port, user, "
                                "password and database in CAKUPAN_DATABASE_URL")
    if ctx.is_disconnect or code in _PG_GOING_AWAY:
        return StoreUnavailable(f"the connection to the data store was lost ({where}); what "
                                "was being saved was not saved: try again when it is back",
                                "lost")
    return None


def _create_engine(url: str) -> Engine:
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = _sqlite_engine(parsed)
    elif parsed.get_backend_name() == "postgresql":
        engine = _postgres_engine(parsed)
    else:
        engine = sa.create_engine(parsed, pool_pre_ping=True)

    @event.listens_for(engine, "handle_error")
    def _on_error(ctx: ExceptionContext) -> StoreUnavailable | None:
        return unavailable(ctx, parsed)

    return engine


@contextmanager
def writing(engine: Engine, *, bulk: bool = False) -> Iterator[Connection]:
    """A transaction that will write: ``with writing(engine) as conn: ...``.

    On SQLite it begins ``IMMEDIATE`` so that concurrent writers (another replica's import, a
    CLI ``users add``) queue for up to the busy timeout instead of failing at once; on
    PostgreSQL it is an ordinary transaction (row locks and the data counter serialise there).

    ``bulk`` marks an import's transaction: on PostgreSQL its statements may run up to
    ``CAKUPAN_DB_IMPORT_STATEMENT_TIMEOUT_S`` instead of the page limit (``SET LOCAL``: it
    ends with the transaction, so the pooled connection goes back with the page limit).
    """
    with engine.execution_options(**{WRITE_OPTION: True}).begin() as conn:
        if bulk and conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SET LOCAL statement_timeout = "
                                 f"{_ms(settings.db_import_statement_timeout_s())}")
        yield conn


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
