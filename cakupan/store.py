"""The coverage store: observations, targets, premium rates and sources, each tied to a batch.

Why batches: every figure must say where it came from, an import must be undoable, and a newer
import must replace an older figure without erasing it. So rows are never updated or deleted:
each write adds a *batch*; for every key ``(period, region_code, scope, segment, programme)``
the current figure is the one from the newest *active* batch, with published figures always
beating illustrative ones; rolling a batch back only marks it ``rolled_back``.

SQLite (a file, WAL mode so the app can read while an import writes) by default, PostgreSQL when
``CAKUPAN_DATABASE_URL`` says so; the schema is versioned (:mod:`cakupan.store_schema`).

Examples
--------
>>> engine = get_engine()                                   # doctest: +SKIP
>>> current_observations(engine, segment="non_asn", period="2018-10", province="74")  # +SKIP
"""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from cakupan import regions, settings
from cakupan import store_schema as schema
from cakupan.errors import CakupanError

SEGMENTS = ("non_asn", "aparatur_desa", "pekerja_rentan", "pu", "bpu", "jakon", "all")
PROGRAMMES = ("jkk", "jkm", "jht", "jp", "jkp", "any")
SCOPES = ("region", "pemprov")
BATCH_KINDS = ("seed_published", "seed_illustrative", "upload")
SOURCE_KINDS = ("article", "regulation", "upload", "illustrative", "reference")

#: One current figure per key.
OBS_KEY = ["period", "region_code", "scope", "segment", "programme"]
#: Columns of an observation frame, as callers pass them and as queries return them.
OBS_COLUMNS = [*OBS_KEY, "registered", "eligible", "coverage_pct", "illustrative", "source_id",
               "batch_id", "note", "quote"]
TARGET_COLUMNS = ["id", "region_code", "segment", "programme", "target_pct", "target_count",
                  "deadline", "baseline_period", "basis", "source_id", "illustrative", "note",
                  "quote"]
RATE_COLUMNS = ["programme", "segment", "rupiah_per_person_month", "valid_from", "source_id",
                "note", "quote"]
SOURCE_COLUMNS = ["id", "kind", "publisher", "title", "url", "published", "accessed", "quote",
                  "licence", "notes", "stored_copy"]

_PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_ENGINES: dict[str, Engine] = {}
_SEEDED: set[str] = set()
_LOCK = threading.RLock()


# --------------------------------------------------------------------------- engine

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
        conn.exec_driver_sql("BEGIN")

    return engine


def _create_engine(url: str) -> Engine:
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed)
    return sa.create_engine(parsed, pool_pre_ping=True)


def _ensure_meta(engine: Engine) -> None:
    """The store's identity and write counter, from which :func:`data_version` is made."""
    with engine.begin() as conn:
        schema._lock(conn)
        have = {row[0] for row in conn.execute(sa.select(schema.meta.c.key))}
        if "store_id" not in have:
            conn.execute(schema.meta.insert().values(key="store_id", value=uuid.uuid4().hex))
        if "data_seq" not in have:
            conn.execute(schema.meta.insert().values(key="data_seq", value="0"))


def get_engine(url: str | None = None, *, seed: bool = True) -> Engine:
    """The engine for ``url`` (default ``settings.database_url()``), ready to use.

    Cached per URL for the life of the process. On first use the database is created if
    needed, migrated to the current schema and (``seed=True``) loaded with the embedded default
    dataset; later calls cost a dictionary lookup.
    """
    url = url or settings.database_url()
    with _LOCK:
        engine = _ENGINES.get(url)
        if engine is None:
            engine = _create_engine(url)
            schema.migrate(engine.begin)
            _ensure_meta(engine)
            _ENGINES[url] = engine
        if seed and url not in _SEEDED:
            from cakupan import seed as seeding  # seed imports this module

            seeding.ensure_seeded(engine)
            _SEEDED.add(url)
    return engine


def clear_engines() -> None:
    """Dispose every cached engine (tests, and the benchmark of a cold start)."""
    with _LOCK:
        for engine in _ENGINES.values():
            engine.dispose()
        _ENGINES.clear()
        _SEEDED.clear()


# --------------------------------------------------------------------------- validation

def _fail(problems: list[str], what: str) -> None:
    if problems:
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise CakupanError(f"{what} refused, nothing written: " + "; ".join(problems[:5]) + more)


def _numeric(frame: pd.DataFrame, column: str, problems: list[str], *, integer: bool,
             low: float | None = 0, high: float | None = None) -> pd.Series:
    raw = frame[column]
    values = pd.to_numeric(raw, errors="coerce").astype(float)
    bad = values.isna() & raw.notna() & (raw.astype(str).str.strip() != "")
    if integer:
        bad |= values.notna() & (values != np.round(values))
    if low is not None:
        bad |= values < low
    if high is not None:
        bad |= values > high
    for i in np.flatnonzero(bad.to_numpy())[:3]:
        problems.append(f"row {i + 1}: {column} {raw.iloc[i]!r} is not a "
                        + ("whole number" if integer else "number")
                        + (f" >= {low:g}" if low is not None else "")
                        + (f" and <= {high:g}" if high is not None else ""))
    return values


def _text(series: pd.Series) -> pd.Series:
    """Strings with missing values as None (never the text 'nan')."""
    out = series.astype(object)
    return out.where(series.notna() & (series.astype(str).str.strip() != ""), None)


def _check_vocab(frame: pd.DataFrame, column: str, allowed: Sequence[str],
                 problems: list[str]) -> None:
    bad = ~frame[column].isin(allowed)
    for i in np.flatnonzero(bad.to_numpy())[:3]:
        problems.append(f"row {i + 1}: {column} {frame[column].iloc[i]!r} not in "
                        f"{list(allowed)}")


def _check_periods(frame: pd.DataFrame, column: str, problems: list[str],
                   *, nullable: bool = False) -> None:
    values = frame[column]
    ok = values.astype(str).str.match(_PERIOD)
    if nullable:
        ok |= values.isna()
    for i in np.flatnonzero(~ok.to_numpy())[:3]:
        problems.append(f"row {i + 1}: {column} {values.iloc[i]!r} is not YYYY-MM")


def _check_codes(frame: pd.DataFrame, problems: list[str]) -> None:
    codes = frame["region_code"].astype(str)
    valid = {c: regions.is_valid_code(c) for c in codes.unique()}
    bad = ~codes.map(valid).astype(bool)
    for i in np.flatnonzero(bad.to_numpy())[:3]:
        problems.append(f"row {i + 1}: region_code {codes.iloc[i]!r} is not a Kemendagri code "
                        "such as '74' or '74.05'")


def prepare_observations(observations: pd.DataFrame, *, illustrative: bool = False,
                         source_id: str | None = None) -> pd.DataFrame:
    """Check an observation frame and return it with every column of :data:`OBS_COLUMNS`.

    Defaults: ``scope`` "region", ``programme`` "any", ``illustrative`` as given, missing
    ``source_id`` = ``source_id``. The importer reports row-level errors to people before it
    gets here; this is the store's own guard, so a caller can never write a figure the app
    cannot show.

    Raises
    ------
    CakupanError
        Naming the missing columns or the first offending rows (1-based, in frame order).
    """
    required = ["period", "region_code", "segment"]
    missing = [c for c in required if c not in observations.columns]
    if missing:
        raise CakupanError(f"observations lack columns {missing}; expected {required} and "
                           f"optionally {[c for c in OBS_COLUMNS if c not in required]}")
    frame = observations.reset_index(drop=True).copy()
    defaults: dict[str, Any] = {"scope": "region", "programme": "any", "registered": None,
                                "eligible": None, "coverage_pct": None, "note": None,
                                "quote": None, "illustrative": illustrative,
                                "source_id": source_id}
    for column, value in defaults.items():
        if column not in frame.columns:
            frame[column] = value
    for column in ("period", "region_code", "scope", "segment", "programme"):
        frame[column] = frame[column].astype(str).str.strip()
    frame["source_id"] = _text(frame["source_id"]).fillna(source_id) if source_id else _text(
        frame["source_id"])

    problems: list[str] = []
    _check_periods(frame, "period", problems)
    _check_codes(frame, problems)
    _check_vocab(frame, "scope", SCOPES, problems)
    _check_vocab(frame, "segment", SEGMENTS, problems)
    _check_vocab(frame, "programme", PROGRAMMES, problems)
    pemprov_not_province = (frame["scope"] == "pemprov") & (frame["region_code"].str.len() != 2)
    for i in np.flatnonzero(pemprov_not_province.to_numpy())[:3]:
        problems.append(f"row {i + 1}: scope 'pemprov' needs a province code, got "
                        f"{frame['region_code'].iloc[i]!r}")
    frame["registered"] = _numeric(frame, "registered", problems, integer=True)
    frame["eligible"] = _numeric(frame, "eligible", problems, integer=True)
    frame["coverage_pct"] = _numeric(frame, "coverage_pct", problems, integer=False, high=100)
    no_source = frame["source_id"].isna()
    if no_source.any():
        problems.append(f"{int(no_source.sum())} rows have no source_id")
    dupes = frame.duplicated(OBS_KEY, keep=False)
    if dupes.any():
        first = frame.loc[dupes, OBS_KEY].iloc[0].to_dict()
        problems.append(f"{int(dupes.sum())} rows repeat a key {OBS_KEY}, e.g. {first}")
    _fail(problems, "observations")
    frame["illustrative"] = frame["illustrative"].astype(bool)
    frame["note"] = _text(frame["note"])
    frame["quote"] = _text(frame["quote"])
    return frame[[c for c in OBS_COLUMNS if c != "batch_id"]]


def _prepare_targets(targets: pd.DataFrame, illustrative: bool) -> pd.DataFrame:
    required = ["id", "region_code", "segment", "basis", "source_id"]
    missing = [c for c in required if c not in targets.columns]
    if missing:
        raise CakupanError(f"targets lack columns {missing}; expected {TARGET_COLUMNS}")
    frame = targets.reset_index(drop=True).copy()
    for column, value in {"programme": "any", "target_pct": None, "target_count": None,
                          "deadline": None, "baseline_period": None, "note": None,
                          "quote": None, "illustrative": illustrative}.items():
        if column not in frame.columns:
            frame[column] = value
    problems: list[str] = []
    _check_codes(frame, problems)
    _check_vocab(frame, "segment", SEGMENTS, problems)
    _check_vocab(frame, "programme", PROGRAMMES, problems)
    frame["deadline"] = _text(frame["deadline"])
    frame["baseline_period"] = _text(frame["baseline_period"])
    _check_periods(frame, "deadline", problems, nullable=True)
    _check_periods(frame, "baseline_period", problems, nullable=True)
    frame["target_pct"] = _numeric(frame, "target_pct", problems, integer=False, high=100)
    frame["target_count"] = _numeric(frame, "target_count", problems, integer=True)
    neither = frame["target_pct"].isna() & frame["target_count"].isna()
    for i in np.flatnonzero(neither.to_numpy())[:3]:
        problems.append(f"target row {i + 1}: needs target_pct or target_count")
    if frame["id"].duplicated().any():
        problems.append("target ids repeat within the batch")
    _fail(problems, "targets")
    frame["illustrative"] = frame["illustrative"].astype(bool)
    for column in ("note", "quote"):
        frame[column] = _text(frame[column])
    return frame[TARGET_COLUMNS]


def _prepare_rates(rates: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in RATE_COLUMNS[:5] if c not in rates.columns]
    if missing:
        raise CakupanError(f"premium rates lack columns {missing}; expected {RATE_COLUMNS}")
    frame = rates.reset_index(drop=True).copy()
    for column in ("note", "quote"):
        frame[column] = _text(frame[column]) if column in frame.columns else None
    problems: list[str] = []
    _check_periods(frame, "valid_from", problems)
    frame["rupiah_per_person_month"] = _numeric(frame, "rupiah_per_person_month", problems,
                                                integer=True, low=1)
    _fail(problems, "premium rates")
    return frame[RATE_COLUMNS]


def _prepare_sources(source: dict | Sequence[dict] | pd.DataFrame | None) -> list[dict]:
    if source is None:
        return []
    if isinstance(source, pd.DataFrame):
        rows = source.to_dict("records")
    elif isinstance(source, dict):
        rows = [source]
    else:
        rows = list(source)
    out = []
    for row in rows:
        if not row.get("id") or row.get("kind") not in SOURCE_KINDS:
            raise CakupanError(f"a source needs an id and a kind in {list(SOURCE_KINDS)}; "
                               f"got id={row.get('id')!r} kind={row.get('kind')!r}")
        out.append({c: _none_if_blank(row.get(c)) for c in SOURCE_COLUMNS})
    return out


def _none_if_blank(value: Any) -> Any:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, str) and not value.strip():
        return None
    return value


# --------------------------------------------------------------------------- writing

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


def write_batch(engine: Engine, observations: pd.DataFrame, *, file_name: str, sha256: str,
                imported_by: str, kind: str = "upload",
                source: dict | Sequence[dict] | pd.DataFrame | None = None,
                dry_run: bool = False, targets: pd.DataFrame | None = None,
                premium_rates: pd.DataFrame | None = None) -> str | None:
    """Write one import as one batch, all or nothing; return its id (None on ``dry_run``).

    Parameters
    ----------
    observations
        Rows in the shared schema (:data:`OBS_COLUMNS`; ``batch_id`` is assigned here).
    sha256
        Identifies the content. Writing content whose sha256 is already in an *active* batch of
        the same kind changes nothing and returns that batch's id. (A caller that applies
        options such as a default period should fold them into the hash.)
    source
        Source row(s) to insert or update with the batch. Rows without ``source_id`` cite the
        first of them, or an ``upload`` source made from the file name.
    targets, premium_rates
        Optional reference rows carried by the same batch (the published seed uses them).

    Raises
    ------
    CakupanError
        Bad rows, an unknown ``source_id``, or an unknown ``kind``; nothing is written.
    """
    if kind not in BATCH_KINDS:
        raise CakupanError(f"unknown batch kind {kind!r}; expected one of {list(BATCH_KINDS)}")
    source_rows = _prepare_sources(source)
    if not source_rows and kind == "upload" and (
            "source_id" not in observations.columns or observations["source_id"].isna().any()):
        source_rows = [{**dict.fromkeys(SOURCE_COLUMNS), "id": f"upload-{sha256[:12]}",
                        "kind": "upload", "title": file_name, "publisher": imported_by,
                        "accessed": datetime.now(UTC).strftime("%Y-%m-%d")}]
    default_source = source_rows[0]["id"] if source_rows else None
    illustrative = kind == "seed_illustrative"
    obs = prepare_observations(observations, illustrative=illustrative, source_id=default_source)
    tgt = _prepare_targets(targets, illustrative) if targets is not None else None
    rates = _prepare_rates(premium_rates) if premium_rates is not None else None
    cited = set(obs["source_id"])
    for frame in (tgt, rates):
        if frame is not None:
            cited |= set(frame["source_id"])

    if dry_run:  # read-only: the same checks, no transaction that could lock writers out
        with engine.connect() as conn:
            _check_cited(conn, cited, {r["id"] for r in source_rows})
        return None
    try:
        with engine.begin() as conn:
            _bump(conn)  # first: concurrent writers queue here, so the checks below hold
            existing = conn.execute(sa.select(schema.batches.c.id).where(
                schema.batches.c.sha256 == sha256, schema.batches.c.kind == kind,
                schema.batches.c.status == "active")).scalar()
            if existing is not None:
                raise _AlreadyImported(existing)  # rolls the counter back: nothing changed
            _upsert_sources(conn, source_rows)
            _check_cited(conn, cited, set())
            seq = (conn.execute(sa.select(sa.func.max(schema.batches.c.seq))).scalar() or 0) + 1
            batch_id = f"b{seq:05d}-{uuid.uuid4().hex[:8]}"
            conn.execute(schema.batches.insert().values(
                id=batch_id, seq=seq, file_name=file_name, sha256=sha256,
                imported_at=datetime.now(UTC).isoformat(timespec="seconds"), rows=len(obs),
                imported_by=imported_by, kind=kind, status="active"))
            obs_rows = obs.assign(batch_id=batch_id, province_code=obs["region_code"].str[:2])
            _insert_rows(conn, schema.observations, _records(
                obs_rows, ints=("registered", "eligible"), floats=("coverage_pct",),
                bools=("illustrative",)))
            if tgt is not None:
                _insert_rows(conn, schema.targets, _records(
                    tgt.assign(batch_id=batch_id), ints=("target_count",),
                    floats=("target_pct",), bools=("illustrative",)))
            if rates is not None:
                _insert_rows(conn, schema.premium_rates, _records(
                    rates.assign(batch_id=batch_id), ints=("rupiah_per_person_month",)))
    except _AlreadyImported as already:
        return already.batch_id
    return batch_id


def rollback_batch(engine: Engine, batch_id: str) -> int:
    """Withdraw a batch: its figures stop being current (older ones show again).

    Returns the number of observation rows withdrawn (0 if it was already rolled back). The
    rows stay in the database and in :func:`observation_history`.

    Raises
    ------
    CakupanError
        If there is no batch with this id.
    """
    try:
        with engine.begin() as conn:
            _bump(conn)  # first statement writes: take the write lock before reading
            status = conn.execute(sa.select(schema.batches.c.status).where(
                schema.batches.c.id == batch_id)).scalar()
            if status is None:
                raise CakupanError(f"no import batch {batch_id!r}; see list_batches()")
            if status == "rolled_back":
                raise _AlreadyImported(batch_id)  # nothing to do: undo the counter bump
            conn.execute(schema.batches.update().where(schema.batches.c.id == batch_id)
                         .values(status="rolled_back"))
            return int(conn.execute(sa.select(sa.func.count()).select_from(
                schema.observations).where(schema.observations.c.batch_id == batch_id)).scalar())
    except _AlreadyImported:
        return 0


# --------------------------------------------------------------------------- reading

def _frame(conn: Connection, query: sa.Select) -> pd.DataFrame:
    result = conn.execute(query)
    return pd.DataFrame.from_records(result.fetchall(), columns=list(result.keys()))


def _typed_observations(frame: pd.DataFrame) -> pd.DataFrame:
    for column in ("registered", "eligible"):
        frame[column] = pd.to_numeric(frame[column]).astype("Int64")
    frame["coverage_pct"] = pd.to_numeric(frame["coverage_pct"]).astype(float)
    frame["illustrative"] = frame["illustrative"].astype(bool)
    return frame


def _as_list(value: str | Iterable[str] | None) -> list[str] | None:
    if value is None:
        return None
    return [value] if isinstance(value, str) else list(value)


def current_observations(engine: Engine, *, segment: str | Iterable[str] | None = None,
                         programme: str | Iterable[str] | None = None,
                         period: str | Iterable[str] | None = None,
                         region_codes: Iterable[str] | None = None,
                         province: str | None = None) -> pd.DataFrame:
    """The current figure of every key matching the filters.

    Current = from the newest active batch for that key, a published figure always beating an
    illustrative one. ``province="74"`` selects the province's own rows and all its regencies'
    (what a province map and its total need). Returns :data:`OBS_COLUMNS` plus
    ``source_title`` and ``source_published``, sorted by key.
    """
    o, b, s = schema.observations, schema.batches, schema.sources
    conditions = [b.c.status == "active"]
    for column, value in ((o.c.segment, segment), (o.c.programme, programme),
                          (o.c.period, period), (o.c.region_code, region_codes)):
        values = _as_list(value)
        if values is not None:
            conditions.append(column == values[0] if len(values) == 1 else column.in_(values))
    if province is not None:
        conditions.append(o.c.province_code == province)
    rank = sa.func.row_number().over(
        partition_by=[o.c[k] for k in OBS_KEY],
        order_by=[o.c.illustrative.asc(), b.c.seq.desc()]).label("rank")
    inner = (sa.select(*[o.c[c] for c in OBS_COLUMNS], rank)
             .select_from(o.join(b, o.c.batch_id == b.c.id)).where(*conditions).subquery())
    query = (sa.select(*[inner.c[c] for c in OBS_COLUMNS], s.c.title.label("source_title"),
                       s.c.published.label("source_published"))
             .select_from(inner.outerjoin(s, inner.c.source_id == s.c.id))
             .where(inner.c.rank == 1)
             .order_by(*[inner.c[k] for k in OBS_KEY]))
    with engine.connect() as conn:
        return _typed_observations(_frame(conn, query))


def observation_history(engine: Engine, region_code: str, segment: str,
                        programme: str = "any") -> pd.DataFrame:
    """Every version of every figure of one region, segment and programme, with its batch.

    Rolled-back and superseded rows included; ``current`` marks the ones
    :func:`current_observations` returns. Sorted by period, then import order.
    """
    o, b = schema.observations, schema.batches
    query = (sa.select(*[o.c[c] for c in OBS_COLUMNS], b.c.seq, b.c.file_name,
                       b.c.imported_at, b.c.imported_by, b.c.kind.label("batch_kind"),
                       b.c.status.label("batch_status"))
             .select_from(o.join(b, o.c.batch_id == b.c.id))
             .where(o.c.region_code == region_code, o.c.segment == segment,
                    o.c.programme == programme)
             .order_by(o.c.period, o.c.scope, b.c.seq))
    with engine.connect() as conn:
        frame = _typed_observations(_frame(conn, query))
    active = frame[frame["batch_status"] == "active"]
    winners = (active.sort_values(["illustrative", "seq"], ascending=[True, False])
               .drop_duplicates(OBS_KEY).index)
    frame["current"] = frame.index.isin(winners)
    return frame.reset_index(drop=True)


def _latest(frame: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    frame = frame.sort_values(["illustrative", "seq"], ascending=[True, False]) \
        if "illustrative" in frame else frame.sort_values("seq", ascending=False)
    return frame.drop_duplicates(key).drop(columns="seq")


def targets(engine: Engine, *, region_code: str | None = None, segment: str | None = None,
            province: str | None = None) -> pd.DataFrame:
    """Current targets (newest active batch per target id, published over illustrative).

    ``province="81"`` returns the province's targets and its regencies'.
    """
    t, b = schema.targets, schema.batches
    query = (sa.select(*[t.c[c] for c in TARGET_COLUMNS], b.c.seq)
             .select_from(t.join(b, t.c.batch_id == b.c.id)).where(b.c.status == "active"))
    if region_code is not None:
        query = query.where(t.c.region_code == region_code)
    if segment is not None:
        query = query.where(t.c.segment == segment)
    with engine.connect() as conn:
        frame = _frame(conn, query)
    if province is not None:
        codes = frame["region_code"].astype(str)
        frame = frame[(codes == province) | codes.str.startswith(province + ".")]
    frame = _latest(frame, ["id"])
    frame["target_pct"] = pd.to_numeric(frame["target_pct"]).astype(float)
    frame["target_count"] = pd.to_numeric(frame["target_count"]).astype("Int64")
    frame["illustrative"] = frame["illustrative"].astype(bool)
    return frame.sort_values(["region_code", "segment", "id"]).reset_index(drop=True)


def premium_rates(engine: Engine) -> pd.DataFrame:
    """Current premium rates, one per (programme, segment, valid_from)."""
    r, b = schema.premium_rates, schema.batches
    query = (sa.select(*[r.c[c] for c in RATE_COLUMNS], b.c.seq)
             .select_from(r.join(b, r.c.batch_id == b.c.id)).where(b.c.status == "active"))
    with engine.connect() as conn:
        frame = _latest(_frame(conn, query), ["programme", "segment", "valid_from"])
    frame["rupiah_per_person_month"] = pd.to_numeric(
        frame["rupiah_per_person_month"]).astype("int64")
    return frame.sort_values(["segment", "programme", "valid_from"]).reset_index(drop=True)


def sources(engine: Engine) -> pd.DataFrame:
    """Every source (articles, regulations, uploaded files, the illustrative panel)."""
    with engine.connect() as conn:
        return _frame(conn, sa.select(schema.sources).order_by(schema.sources.c.id))


def periods(engine: Engine, segment: str | None = None) -> list[str]:
    """Months with at least one figure in an active batch, oldest first."""
    o, b = schema.observations, schema.batches
    query = (sa.select(o.c.period).distinct().select_from(o.join(b, o.c.batch_id == b.c.id))
             .where(b.c.status == "active").order_by(o.c.period))
    if segment is not None:
        query = query.where(o.c.segment == segment)
    with engine.connect() as conn:
        return list(conn.execute(query).scalars())


def list_batches(engine: Engine) -> pd.DataFrame:
    """All import batches, newest first (id, seq, file_name, sha256, imported_at, rows, ...)."""
    with engine.connect() as conn:
        return _frame(conn, sa.select(schema.batches).order_by(schema.batches.c.seq.desc()))


def data_version(engine: Engine) -> str:
    """A token that changes on every write: put it in cache keys so viewers see imports.

    Made of the store's random identity and its write counter, so two stores (or a store
    deleted and created again) never share a version.
    """
    with engine.connect() as conn:
        values = dict(conn.execute(sa.select(schema.meta.c.key, schema.meta.c.value).where(
            schema.meta.c.key.in_(["store_id", "data_seq"]))).all())
    return f"{values.get('store_id', '')[:8]}-{values.get('data_seq', '0')}"
