"""Writing to the store: one import is one batch, all or nothing; a batch is never edited or
deleted, only rolled back (its figures stop being current and older ones show again).

Why batches: every figure must say where it came from, an import must be undoable, and a newer
import must replace an older figure without erasing it. For every key ``(period, region_code,
scope, segment, programme)`` the current figure is the one from the newest *active* batch,
published figures always beating illustrative ones (:mod:`cakupan.store.reads`).

Two writers: :func:`write_batch` takes one frame (uploads, the seed);
:func:`write_batch_chunks` takes a national file's figures chunk by chunk, in one transaction,
under a ``staging`` batch that becomes ``active`` in one final update, so memory stays bounded
by a chunk and a reader sees all of the file or none of it. Rows go in with PostgreSQL's
``COPY`` (psycopg 3) or one prepared ``INSERT`` executed many times on SQLite.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from cakupan.core.access import Actor, require
from cakupan.core.errors import CakupanError
from cakupan.store import schema
from cakupan.store.audit import record
from cakupan.store.checks import (
    prepare_observations,
    prepare_rates,
    prepare_sources,
    prepare_targets,
)
from cakupan.store.columns import BATCH_KINDS, SOURCE_COLUMNS
from cakupan.store.current import batch_totals, totals_around_write
from cakupan.store.database import writing
from cakupan.store.measures import prepare_measures

log = logging.getLogger(__name__)


class _AlreadyImported(Exception):
    """Raised inside a write transaction to roll it back when there is nothing to change."""

    def __init__(self, batch_id: str) -> None:
        super().__init__(batch_id)
        self.batch_id = batch_id


def _records(frame: pd.DataFrame, ints: Iterable[str] = (), floats: Iterable[str] = (),
             bools: Iterable[str] = ()) -> list[dict]:
    """Plain Python values (drivers such as psycopg do not adapt numpy scalars), None for NA."""
    columns: dict[str, list] = {}
    for column in frame.columns:
        values = frame[column]
        if column in ints:
            columns[column] = [None if pd.isna(v) else int(v) for v in values]
        elif column in floats:
            columns[column] = [None if pd.isna(v) else float(v) for v in values]
        elif column in bools:
            columns[column] = [bool(v) for v in values]
        else:
            columns[column] = [None if v is None or (isinstance(v, float) and np.isnan(v))
                               else v for v in values]
    names = list(columns)
    return [dict(zip(names, row, strict=True)) for row in zip(*columns.values(), strict=True)]


def _bump(conn: Connection) -> None:
    """Advance the write counter: the transaction's first write, so writers queue here."""
    conn.execute(schema.meta.update().where(schema.meta.c.key == "data_seq").values(
        value=sa.cast(sa.cast(schema.meta.c.value, sa.Integer) + 1, sa.Text)))


def _insert_rows(conn: Connection, table: sa.Table, rows: list[dict]) -> None:
    if rows:
        conn.execute(table.insert(), rows)


#: Columns of an observation row as the writers insert them (``id`` is the database's).
_OBS_INSERT = [c.name for c in schema.observations.columns if c.name != "id"]
_INTS, _FLOATS, _BOOLS = {"registered", "eligible"}, {"coverage_pct"}, {"illustrative"}


def _plain_column(values: pd.Series, column: str) -> list:
    """One column as plain Python values, None for NA (drivers do not adapt numpy scalars).

    Converted by NumPy in one step (``tolist`` makes Python ints, floats and bools), then
    the missing cells set to None: a loop over a million pandas scalars took 5 s here.
    """
    if column in _BOOLS:
        return values.to_numpy(dtype=bool).tolist()
    missing = values.isna().to_numpy()
    if column in _INTS or column in _FLOATS:
        numbers = np.where(missing, 0, pd.to_numeric(values).to_numpy(dtype="float64",
                                                                         na_value=np.nan))
        out = (numbers.astype(np.int64) if column in _INTS else numbers).tolist()
    else:
        out = values.to_numpy(dtype=object).tolist()
    for i in np.flatnonzero(missing).tolist():
        out[i] = None
    return out


def _insert_observations(conn: Connection, frame: pd.DataFrame) -> None:
    """Insert observation rows (every column of :data:`_OBS_INSERT`) as fast as the driver can.

    PostgreSQL: ``COPY ... FROM STDIN`` through psycopg 3 on the transaction's own connection
    (about 5 times faster than batched INSERTs here). SQLite: one prepared INSERT run over
    tuples (``executemany``), which skips SQLAlchemy's per-row dictionaries.
    """
    if frame.empty:
        return
    rows = list(zip(*(_plain_column(frame[c], c) for c in _OBS_INSERT), strict=True))
    names = ", ".join(_OBS_INSERT)
    if conn.dialect.name == "postgresql" and conn.dialect.driver == "psycopg":
        raw = conn.connection.dbapi_connection
        with raw.cursor() as cursor, cursor.copy(  # type: ignore[union-attr]
                f"COPY observations ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join("?" if conn.dialect.paramstyle == "qmark" else "%s" for _ in _OBS_INSERT)
    conn.exec_driver_sql(f"INSERT INTO observations ({names}) VALUES ({marks})", rows)


def _insert_periods(conn: Connection, batch_id: str, pairs: Iterable[tuple[str, str]]) -> None:
    """The batch's distinct (segment, period) pairs, what the month pickers read."""
    rows = [{"batch_id": batch_id, "segment": seg, "period": per}
            for seg, per in sorted(set(pairs))]
    _insert_rows(conn, schema.batch_periods, rows)


def _upsert_sources(conn: Connection, rows: list[dict]) -> None:
    if not rows:
        return
    have = set(conn.execute(sa.select(schema.sources.c.id).where(
        schema.sources.c.id.in_([r["id"] for r in rows]))).scalars())
    for row in rows:
        if row["id"] in have:
            conn.execute(schema.sources.update().where(schema.sources.c.id == row["id"])
                         .values(**{k: v for k, v in row.items() if k != "id"}))
    _insert_rows(conn, schema.sources, [r for r in rows if r["id"] not in have])


def _check_cited(conn: Connection, cited: set[str], incoming: set[str]) -> None:
    """Refuse figures that cite a source the store does not have (and the batch does not add)."""
    if not cited:
        return
    known = set(conn.execute(sa.select(schema.sources.c.id).where(
        schema.sources.c.id.in_(sorted(cited)))).scalars())
    unknown = sorted(cited - known - incoming)
    if unknown:
        raise CakupanError(f"batch refused, nothing written: unknown source ids {unknown[:5]}; "
                           "add them as sources first")


class BatchId(str):
    """A batch id, and whether this call wrote it (``created``) or found the same content
    already imported (``created`` False): two people importing one file at the same moment
    must not both be told their rows were imported."""

    created: bool = True

    def __new__(cls, value: str, created: bool = True) -> BatchId:
        made = super().__new__(cls, value)
        made.created = created
        return made


@contextmanager
def _transaction(engine: Engine, within: Connection | None) -> Iterator[Connection]:
    """An import's own transaction, or the caller's (``within``, which the caller commits)."""
    if within is None:
        with writing(engine, bulk=True) as conn:
            yield conn
    else:
        yield within


def write_batch(engine: Engine, observations: pd.DataFrame, *, file_name: str, sha256: str,
                actor: Actor | None, kind: str = "upload",
                source: dict | Sequence[dict] | pd.DataFrame | None = None,
                dry_run: bool = False, targets: pd.DataFrame | None = None,
                premium_rates: pd.DataFrame | None = None,
                measures: pd.DataFrame | None = None,
                within: Connection | None = None) -> BatchId | None:
    """Write one import as one batch, all or nothing; return its id (None on ``dry_run``).

    Parameters
    ----------
    observations
        Rows in the shared schema (:data:`OBS_COLUMNS`; ``batch_id`` is assigned here).
    sha256
        Identifies the content. Writing content whose sha256 is already in an *active* batch of
        the same kind changes nothing and returns that batch's id (``created`` False). (A
        caller that applies options such as a default period should fold them into the hash.)
    actor
        Who writes: checked here (``import`` on every province the rows touch) and recorded as
        the batch's ``imported_by`` and in the audit trail. ``None`` is anonymous: refused.
    source
        Source row(s) to insert or update with the batch. Rows without ``source_id`` cite the
        first of them, or an ``upload`` source made from the file name.
    targets, premium_rates, measures
        Optional reference rows carried by the same batch (the published seed uses them;
        ``measures`` are published figures of other measures, :mod:`cakupan.store.measures`).
    within
        A writer's transaction (:func:`~cakupan.store.database.writing`) to write in instead
        of a transaction of its own: several batches then commit together or not at all (the
        first start's seed). No savepoint: SQLite rolls a whole transaction back on a full
        disk, so the caller decides under its lock what is missing (content already imported
        then still returns that batch, but the caller's transaction has counted a write).

    Raises
    ------
    PermissionDenied
        The actor may not import rows of these provinces; nothing is written.
    CakupanError
        Bad rows, an unknown ``source_id``, or an unknown ``kind``; nothing is written.
    """
    if kind not in BATCH_KINDS:
        raise CakupanError(f"unknown batch kind {kind!r}; expected one of {list(BATCH_KINDS)}")
    provinces = _provinces_of(observations)
    if targets is not None:
        provinces |= _provinces_of(targets)
    who = require(actor, "import", provinces)
    source_rows = prepare_sources(source)
    if not source_rows and kind == "upload" and (
            "source_id" not in observations.columns or observations["source_id"].isna().any()):
        source_rows = [{**dict.fromkeys(SOURCE_COLUMNS), "id": f"upload-{sha256[:12]}",
                        "kind": "upload", "title": file_name, "publisher": None,
                        "accessed": datetime.now(UTC).strftime("%Y-%m-%d")}]
    default_source = source_rows[0]["id"] if source_rows else None
    illustrative = kind == "seed_illustrative"
    obs = prepare_observations(observations, illustrative=illustrative, source_id=default_source)
    tgt = prepare_targets(targets, illustrative) if targets is not None else None
    rates = prepare_rates(premium_rates) if premium_rates is not None else None
    meas = prepare_measures(measures) if measures is not None else None
    cited = set(obs["source_id"])
    for frame in (tgt, rates, meas):
        if frame is not None:
            cited |= set(frame["source_id"])

    if dry_run:  # read-only: the same checks, no transaction that could lock writers out
        with engine.connect() as conn:
            _check_cited(conn, cited, {r["id"] for r in source_rows})
        return None
    try:
        with _transaction(engine, within) as conn:
            _bump(conn)  # first: concurrent writers queue here, so the checks below hold
            existing = conn.execute(sa.select(schema.batches.c.id).where(
                schema.batches.c.sha256 == sha256, schema.batches.c.kind == kind,
                schema.batches.c.status == "active")).scalar()
            if existing is not None:
                raise _AlreadyImported(existing)  # rolls the counter back: nothing changed
            _upsert_sources(conn, source_rows)
            _check_cited(conn, cited, set())
            counted = kind == "upload"  # seed batches: tens of thousands of rows, no totals
            seq = (conn.execute(sa.select(sa.func.max(schema.batches.c.seq))).scalar() or 0) + 1
            before, after = (totals_around_write(conn, obs, seq=seq) if counted
                             else (None, None))
            batch_id = f"b{seq:05d}-{uuid.uuid4().hex[:8]}"
            conn.execute(schema.batches.insert().values(
                id=batch_id, seq=seq, file_name=file_name, sha256=sha256,
                imported_at=datetime.now(UTC).isoformat(timespec="seconds"), rows=len(obs),
                imported_by=who.id, kind=kind, status="active", preferred=False))
            _insert_observations(conn, obs.assign(
                batch_id=batch_id, province_code=obs["region_code"].str[:2]))
            _insert_periods(conn, batch_id, zip(obs["segment"], obs["period"], strict=True))
            if tgt is not None:
                _insert_rows(conn, schema.targets, _records(
                    tgt.assign(batch_id=batch_id), ints=("target_count",),
                    floats=("target_pct",), bools=("illustrative",)))
            if rates is not None:
                _insert_rows(conn, schema.premium_rates, _records(
                    rates.assign(batch_id=batch_id), ints=("rupiah_per_person_month",)))
            if meas is not None:
                _insert_rows(conn, schema.published_measures, _records(
                    meas.assign(batch_id=batch_id), floats=("value", "value_high"),
                    bools=("derived",)))
            record(conn, who, "import", batch_id=batch_id, file_name=file_name, sha256=sha256,
                   rows=len(obs), regions=set(obs["region_code"]), totals_before=before,
                   totals_after=after, kind=kind)
    except _AlreadyImported as already:
        return BatchId(already.batch_id, created=False)
    return BatchId(batch_id)


#: SQLite page cache (KiB) while a national file is written: its indexes on a growing
#: table then stay in memory instead of being re-read page by page (SQLite's default is
#: 2 MB); about 64 MB more resident memory in the importing process, for that transaction.
SQLITE_BULK_CACHE_KIB = 65_536


def _sqlite_cache(conn: Connection, kib: int | None) -> None:
    """Set this SQLite connection's page cache (``None``: back to the default)."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"PRAGMA cache_size = {-(kib or 2000)}")


#: Status of a batch whose rows are still being written by :func:`write_batch_chunks`;
#: readers only ever read ``active`` batches (and, being uncommitted, cannot see it anyway).
STAGING = "staging"


def write_batch_chunks(engine: Engine, chunks: Iterable[pd.DataFrame], *, file_name: str,
                       sha256: str, actor: Actor | None, source: dict,
                       on_chunk: Callable[[pd.DataFrame], None] | None = None) -> BatchId:
    """Write an upload that arrives in chunks as one batch, all or nothing; return its id.

    The whole batch is one transaction: the batch row is inserted as :data:`STAGING`, every
    chunk's rows are inserted under it (checked by :func:`prepare_observations`, scoped by
    ``actor`` on the chunk's provinces), and one final update makes it ``active``, with its
    audit row, before the commit. Any exception, from the store or raised by ``chunks``
    itself (the importer raises when a later chunk had row errors), rolls all of it back.
    Memory is one chunk at a time, whatever the file's size.

    ``on_chunk`` sees each checked chunk before it is written (the importer collects the
    conflicts with published figures there). When the same content is already in an active
    upload batch nothing is written: ``chunks`` is still read to its end (so the caller's
    check finishes) and that batch's id is returned with ``created`` False. On SQLite the
    write lock is held for the whole import, so other writers wait (up to the busy timeout).

    Raises
    ------
    PermissionDenied
        The actor may not import (a chunk's provinces); nothing is written.
    CakupanError
        Bad rows or an unknown source; nothing is written.
    """
    who = require(actor, "import")
    source_rows = prepare_sources(source)
    default_source = source_rows[0]["id"]
    try:
        with writing(engine, bulk=True) as conn:
            _bump(conn)  # first: concurrent writers queue here
            existing = conn.execute(sa.select(schema.batches.c.id).where(
                schema.batches.c.sha256 == sha256, schema.batches.c.kind == "upload",
                schema.batches.c.status == "active")).scalar()
            if existing is not None:
                raise _AlreadyImported(existing)
            _upsert_sources(conn, source_rows)
            _sqlite_cache(conn, SQLITE_BULK_CACHE_KIB)
            seq = (conn.execute(sa.select(sa.func.max(schema.batches.c.seq))).scalar() or 0) + 1
            batch_id = f"b{seq:05d}-{uuid.uuid4().hex[:8]}"
            conn.execute(schema.batches.insert().values(
                id=batch_id, seq=seq, file_name=file_name, sha256=sha256,
                imported_at=datetime.now(UTC).isoformat(timespec="seconds"), rows=0,
                imported_by=who.id, kind="upload", status=STAGING, preferred=False))
            rows, regions, pairs = 0, set(), set()
            before, after = {"registered": 0, "eligible": 0}, {"registered": 0, "eligible": 0}
            for chunk in chunks:
                if chunk.empty:
                    continue
                obs = prepare_observations(chunk, source_id=default_source)
                require(who, "import", _provinces_of(obs))
                _check_cited(conn, set(obs["source_id"]), set())
                if on_chunk is not None:
                    on_chunk(obs)
                was, now = totals_around_write(conn, obs, seq=seq)  # before it is inserted
                for total, part in ((before, was), (after, now)):
                    for column in total:
                        total[column] += part[column]
                _insert_observations(conn, obs.assign(
                    batch_id=batch_id, province_code=obs["region_code"].str[:2]))
                rows += len(obs)
                regions.update(pd.unique(obs["region_code"]).tolist())
                pairs.update(obs[["segment", "period"]].drop_duplicates()
                             .itertuples(index=False, name=None))
            _insert_periods(conn, batch_id, pairs)
            conn.execute(schema.batches.update().where(schema.batches.c.id == batch_id)
                         .values(status="active", rows=rows))
            record(conn, who, "import", batch_id=batch_id, file_name=file_name, sha256=sha256,
                   rows=rows, regions=regions, totals_before=before, totals_after=after,
                   kind="upload", chunked=True)
            _sqlite_cache(conn, None)
    except _AlreadyImported as already:
        for _ in chunks:  # let the caller's check run to its end; nothing is written
            pass
        return BatchId(already.batch_id, created=False)
    _refresh_statistics(engine)
    return BatchId(batch_id)


def _refresh_statistics(engine: Engine) -> None:
    """PostgreSQL: re-sample the observations' statistics once a national file is in, so the
    next page's plan knows the table grew by a million rows (autovacuum would, within a
    minute or so). Never fails the import that is already committed: a login that does not
    own the table only gets PostgreSQL's warning."""
    if engine.dialect.name != "postgresql":
        return
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE observations")
    except Exception:  # the data is committed; planning statistics can wait for autovacuum
        log.warning("ANALYZE observations after a national import failed", exc_info=True)


def _batch_summary(conn: Connection, batch_id: str) -> tuple[int, set[str], set[str]]:
    """Rows, region codes and provinces of a batch, counted in SQL (a batch may hold a
    million rows; bringing its keys into pandas to count them costs hundreds of MB)."""
    o = schema.observations
    rows = conn.execute(sa.select(sa.func.count()).select_from(o)
                        .where(o.c.batch_id == batch_id)).scalar() or 0
    codes = set(conn.execute(sa.select(o.c.region_code).distinct()
                             .where(o.c.batch_id == batch_id)).scalars())
    return int(rows), codes, {c[:2] for c in codes}


def _provinces_of(rows: pd.DataFrame) -> set[str]:
    """The provinces rows lie in (what decides who may change them); none without codes."""
    if "region_code" not in rows:
        return set()
    return {str(code)[:2] for code in pd.unique(rows["region_code"])}


def rollback_batch(engine: Engine, batch_id: str, *, actor: Actor | None) -> int:
    """Withdraw a batch: its figures stop being current (older ones show again).

    Returns the number of observation rows withdrawn (0 if it was already rolled back). The
    rows stay in the database and in :func:`observation_history`. The actor needs
    ``rollback`` on every province the batch touches; the rollback is audited.

    Raises
    ------
    PermissionDenied
        The actor may not roll this batch back.
    CakupanError
        If there is no batch with this id.
    """
    try:
        with writing(engine) as conn:
            _bump(conn)  # first statement writes: take the write lock before reading
            row = conn.execute(sa.select(schema.batches.c.status, schema.batches.c.file_name,
                                         schema.batches.c.sha256).where(
                schema.batches.c.id == batch_id)).first()
            if row is None:
                raise CakupanError(f"no import batch {batch_id!r}; see list_batches()")
            rows, codes, provinces = _batch_summary(conn, batch_id)
            who = require(actor, "rollback", provinces)
            if row.status == "rolled_back":
                raise _AlreadyImported(batch_id)  # nothing to do: undo the counter bump
            after, before = batch_totals(conn, batch_id)  # without it = after the rollback
            conn.execute(schema.batches.update().where(schema.batches.c.id == batch_id)
                         .values(status="rolled_back"))
            record(conn, who, "rollback", batch_id=batch_id, file_name=row.file_name,
                   sha256=row.sha256, rows=rows, regions=codes,
                   totals_before=before, totals_after=after)
            return rows
    except _AlreadyImported:
        return 0


def prefer_upload(engine: Engine, batch_id: str, *, actor: Actor | None,
                  preferred: bool = True) -> None:
    """Show an upload's figures over published ones for the same keys (``preferred``), or
    go back to the published ones. Reversible; both figures stay stored; audited.

    A branch is often the source the press quoted, so an editor of the regions may decide
    that its own file is the better figure; the default is always the published one.
    """
    with writing(engine) as conn:
        _bump(conn)
        row = conn.execute(sa.select(schema.batches.c.kind, schema.batches.c.status,
                                     schema.batches.c.file_name).where(
            schema.batches.c.id == batch_id)).first()
        if row is None:
            raise CakupanError(f"no import batch {batch_id!r}; see list_batches()")
        if row.kind != "upload":
            raise CakupanError(f"batch {batch_id} is not an upload; only uploads can be preferred")
        rows, codes, provinces = _batch_summary(conn, batch_id)
        who = require(actor, "prefer_upload", provinces)
        before = batch_totals(conn, batch_id)[1 if row.status == "active" else 0]
        conn.execute(schema.batches.update().where(schema.batches.c.id == batch_id)
                     .values(preferred=bool(preferred)))
        after = batch_totals(conn, batch_id)[1 if row.status == "active" else 0]
        record(conn, who, "prefer_upload", batch_id=batch_id, file_name=row.file_name,
               rows=rows, regions=codes, totals_before=before, totals_after=after,
               preferred=bool(preferred))
