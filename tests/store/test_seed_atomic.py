"""The first start's seed is all or nothing (issue 10): a store too small for it keeps none.

The real case: a SQLite store that may not grow past ``PRAGMA max_page_count`` (set on every
connection the store's engine makes), with room for the published batch and not for the
illustrative panel. Before, the published batch was committed on its own and the panel's
failed, leaving a store that every page took as seeded. On both stores, the same with the
panel's rows refused by the database itself. Once there is room, the next start seeds both.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine

from cakupan import store
from cakupan.store import schema, seed, writes

pytestmark = pytest.mark.unit


def rows(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar()
                for t in (schema.batches, schema.observations, schema.sources, schema.targets,
                          schema.audit)}


def data_seq(engine: Engine) -> str:
    with engine.connect() as conn:
        return conn.execute(sa.select(schema.meta.c.value).where(
            schema.meta.c.key == "data_seq")).scalar()


def published_only_pages(tmp_path: object) -> int:
    """Pages a store takes with the published batch alone (measured, not guessed)."""
    url = f"sqlite:///{tmp_path}/published-only.sqlite"
    engine = store.get_engine(url, seed=False)
    seed.ensure_seeded(engine, illustrative=False)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
    engine.dispose()
    return pages


def test_a_store_too_small_for_the_panel_keeps_no_seed_at_all(tmp_path: object) -> None:
    limit = published_only_pages(tmp_path) + 50  # the published batch fits, the panel not
    url = f"sqlite:///{tmp_path}/small.sqlite"
    engine = store.get_engine(url, seed=False)
    empty, seq = rows(engine), data_seq(engine)

    def cap(dbapi_conn: object, _record: object) -> None:
        dbapi_conn.execute(f"PRAGMA max_page_count = {limit}")  # type: ignore[attr-defined]

    event.listen(engine, "connect", cap)
    engine.dispose()  # every connection from now on has the cap
    with pytest.raises(sa.exc.OperationalError, match="full"):
        store.get_engine(url)  # the first start: migrate, then seed
    assert rows(engine) == empty == {"batches": 0, "observations": 0, "sources": 0,
                                     "targets": 0, "audit": 0}
    assert data_seq(engine) == seq
    assert not store.is_open(url)  # not taken for seeded: the next start tries again
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"

    event.remove(engine, "connect", cap)
    engine.dispose()
    store.get_engine(url)  # room again: the next start seeds both batches
    assert sorted(store.list_batches(engine)["kind"]) == ["seed_illustrative",
                                                           "seed_published"]
    assert store.is_open(url)
    store.clear_engines()


def test_the_panel_refused_by_the_database_leaves_no_published_batch(
        engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    real: Callable = writes._insert_observations
    calls: list[int] = []

    def second_batch_refused(conn: sa.Connection, frame: object) -> None:
        calls.append(1)
        if len(calls) == 2:  # the illustrative batch's rows: the database says no
            conn.exec_driver_sql("INSERT INTO observations (id) VALUES (NULL)")
        real(conn, frame)

    monkeypatch.setattr(writes, "_insert_observations", second_batch_refused)
    seq = data_seq(engine)
    with pytest.raises(sa.exc.IntegrityError):
        seed.ensure_seeded(engine)
    assert len(calls) == 2
    assert rows(engine) == {"batches": 0, "observations": 0, "sources": 0, "targets": 0,
                            "audit": 0}
    assert data_seq(engine) == seq

    monkeypatch.setattr(writes, "_insert_observations", real)
    added = seed.ensure_seeded(engine)
    assert added["published"] is not None and added["illustrative"] is not None
    assert seed.ensure_seeded(engine) == {"published": None, "illustrative": None}
