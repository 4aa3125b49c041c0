"""Reading the store: the current figure of every key, the history of one, targets, premium
rates, sources, periods, batches and the data version that cache keys carry.

Current = from the newest active batch for that key, a published figure always beating an
illustrative one; the ranking is done in SQL (``row_number()``) on both SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from cakupan.store import schema
from cakupan.store.columns import OBS_COLUMNS, OBS_KEY, RATE_COLUMNS, TARGET_COLUMNS


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
