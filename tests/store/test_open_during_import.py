"""Opening a current store never waits for the write lock (issue 10).

A long import holds the write lock for as long as it writes: on SQLite the database's one
RESERVED lock, on PostgreSQL the row of the write counter (and, while a store is migrated or
seeded, the advisory lock). Another connection plays that import here; a ``query`` run as a
separate process, and a fresh :func:`store.get_engine` in this one, must answer while it is
held. Before, opening the store began a writer's transaction for its migration check and its
identity rows: on SQLite that waited 30 s (the busy timeout) and then failed with
"database is locked", on PostgreSQL it waited for the advisory lock without end.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from cakupan import store
from cakupan.store import schema
from tests.conftest import ROOT
from tests.store.dbs import drop_schema, isolated_url

pytestmark = pytest.mark.unit

#: Far below the 30 s SQLite busy timeout the old code waited for before it failed.
HANG_GUARD_S = 25


@pytest.fixture
def seeded_url(db_url: str) -> Iterator[str]:
    """A seeded, current store (as after the first start), no engine left open."""
    url, schema_name = isolated_url(db_url)
    store.get_engine(url)
    store.clear_engines()
    yield url
    store.clear_engines()
    drop_schema(db_url, schema_name)


class WriteLockHolder:
    """Another connection that holds the store's write lock, as a running import does."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._sqlite: sqlite3.Connection | None = None
        self._pg: sa.Connection | None = None
        self._pg_engine: sa.Engine | None = None

    def __enter__(self) -> WriteLockHolder:
        if self.url.startswith("sqlite"):
            self._sqlite = sqlite3.connect(sa.make_url(self.url).database, isolation_level=None)
            self._sqlite.execute("BEGIN IMMEDIATE")
            self._sqlite.execute("UPDATE meta SET value = value WHERE key = 'data_seq'")
        else:
            self._pg_engine = sa.create_engine(self.url)
            self._pg = self._pg_engine.connect()
            self._pg.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"),
                             {"k": schema._PG_LOCK_KEY})
            self._pg.exec_driver_sql("UPDATE meta SET value = value WHERE key = 'data_seq'")
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._sqlite is not None:
            self._sqlite.execute("ROLLBACK")
            self._sqlite.close()
        if self._pg is not None:
            self._pg.rollback()
            self._pg.close()
        if self._pg_engine is not None:
            self._pg_engine.dispose()


def test_query_answers_while_an_import_holds_the_write_lock(seeded_url: str) -> None:
    env = {**os.environ, "CAKUPAN_DATABASE_URL": seeded_url}
    with WriteLockHolder(seeded_url):
        done = subprocess.run(
            [sys.executable, "-m", "cakupan", "query", "coverage", "--region", "74.05",
             "--segment", "non_asn", "--period", "2018-10", "--json"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=HANG_GUARD_S)
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["registered"] == 202 and answer["status"] == "registered"


def test_get_engine_returns_while_an_import_holds_the_write_lock(seeded_url: str) -> None:
    def open_and_read() -> tuple[str, list]:
        engine = store.get_engine(seeded_url)  # migrate check, identity rows, seed check
        rows = store.current_observations(engine, segment="non_asn", period="2018-10",
                                          region_codes=["74.05"])
        return store.data_version(engine), rows["registered"].tolist()

    # A thread only so that a wait for the lock fails the test instead of hanging it (the
    # pool is left after the lock is released, so a waiting thread can finish).
    with ThreadPoolExecutor(1) as pool, WriteLockHolder(seeded_url):
        version, registered = pool.submit(open_and_read).result(timeout=HANG_GUARD_S)
    assert version
    assert registered == [202]
