"""Which figure is current: the one rule every reader and the writer's audit apply.

For each key ``(period, region_code, scope, segment, programme)`` among active batches:

1. a real figure beats an illustrative one;
2. an upload an editor *preferred* beats a published (cited) figure; otherwise a published
   figure beats an upload, so an upload never silently replaces what an article said;
3. among equals, the newest batch (highest ``seq``) wins.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from cakupan.store import schema
from cakupan.store.columns import OBS_COLUMNS, OBS_KEY

#: Batch kinds whose figures are published (cited) ones.
PUBLISHED_KINDS: tuple[str, ...] = ("seed_published",)


def tier(batches: sa.Table = schema.batches) -> sa.ColumnElement:
    """0 for a preferred upload, 1 for a published batch, 2 for any other (rule 2 above)."""
    return sa.case((batches.c.preferred == sa.true(), 0),
                   (batches.c.kind.in_(PUBLISHED_KINDS), 1), else_=2)


def rank_order(observations: sa.Table = schema.observations,
               batches: sa.Table = schema.batches) -> list[sa.ColumnElement]:
    """ORDER BY of the ranking window: the first row of a key is its current figure."""
    return [observations.c.illustrative.asc(), tier(batches).asc(), batches.c.seq.desc()]


def frame_of(conn: Connection, query: sa.Select) -> pd.DataFrame:
    """The query's rows as a frame, built column by column: ``DataFrame.from_records`` on
    SQLAlchemy rows inspects every row (half the time of a 100,000-row page read)."""
    result = conn.execute(query)
    keys = list(result.keys())
    rows = result.fetchall()
    if not rows or len(set(keys)) < len(keys):  # (a name twice would collapse in a dict)
        return pd.DataFrame.from_records(rows, columns=keys)
    return pd.DataFrame(dict(zip(keys, map(list, zip(*rows, strict=True)), strict=True)))


def typed_observations(frame: pd.DataFrame) -> pd.DataFrame:
    for column in ("registered", "eligible"):
        frame[column] = pd.to_numeric(frame[column]).astype("Int64")
    frame["coverage_pct"] = pd.to_numeric(frame["coverage_pct"]).astype(float)
    frame["illustrative"] = frame["illustrative"].astype(bool)
    return frame


def as_list(value: str | Iterable[str] | None) -> list[str] | None:
    if value is None:
        return None
    return [value] if isinstance(value, str) else list(value)


def current_query(*, segment: str | Iterable[str] | None = None,
                  programme: str | Iterable[str] | None = None,
                  period: str | Iterable[str] | None = None,
                  region_codes: Iterable[str] | None = None,
                  province: str | None = None,
                  extra: Iterable[sa.ColumnElement] = ()) -> sa.Select:
    """The current figure of every key matching the filters, with its source and batch kind."""
    o, b, s = schema.observations, schema.batches, schema.sources
    conditions = [b.c.status == "active"]
    for column, value in ((o.c.segment, segment), (o.c.programme, programme),
                          (o.c.period, period), (o.c.region_code, region_codes)):
        values = as_list(value)
        if values is not None:
            conditions.append(column == values[0] if len(values) == 1 else column.in_(values))
    if province is not None:
        conditions.append(o.c.province_code == province)
    rank = sa.func.row_number().over(
        partition_by=[o.c[k] for k in OBS_KEY], order_by=rank_order(o, b)).label("rank")
    inner = (sa.select(*[o.c[c] for c in OBS_COLUMNS], b.c.kind.label("batch_kind"), rank)
             .select_from(o.join(b, o.c.batch_id == b.c.id)).where(*conditions, *extra)
             .subquery())
    return (sa.select(*[inner.c[c] for c in OBS_COLUMNS], s.c.title.label("source_title"),
                      s.c.published.label("source_published"), inner.c.batch_kind)
            .select_from(inner.outerjoin(s, inner.c.source_id == s.c.id))
            .where(inner.c.rank == 1)
            .order_by(*[inner.c[k] for k in OBS_KEY]))


def current_for_keys(conn: Connection, keys: pd.DataFrame) -> pd.DataFrame:
    """Current figures of exactly the keys in ``keys`` (a frame with the :data:`OBS_KEY`
    columns), read on ``conn`` so a writer sees its own transaction."""
    if keys.empty:
        return pd.DataFrame(columns=[*OBS_COLUMNS, "source_title", "source_published",
                                     "batch_kind"])
    query = current_query(segment=sorted(set(keys["segment"])),
                          period=sorted(set(keys["period"])),
                          region_codes=sorted(set(keys["region_code"])))
    found = typed_observations(frame_of(conn, query))
    wanted = keys[OBS_KEY].drop_duplicates()
    return found.merge(wanted, on=OBS_KEY, how="inner")


def totals(frame: pd.DataFrame) -> dict[str, int]:
    """Registered and eligible people summed over a frame of figures (for the audit trail)."""
    out = {}
    for column in ("registered", "eligible"):
        values = pd.to_numeric(frame[column], errors="coerce") if column in frame else None
        out[column] = int(values.sum()) if values is not None and values.notna().any() else 0
    return out


def batch_totals(conn: Connection, batch_id: str, *, chunk_rows: int = 50_000
                 ) -> tuple[dict[str, int], dict[str, int]]:
    """Registered and eligible people over the keys ``batch_id`` has rows for: the current
    figures without the batch, and with it (whatever its status, with its ``preferred``
    flag as it is now).

    What the audit trail records around a rollback or a preferred upload. The batch's rows
    are read in chunks; for each, only the *other* versions of its keys are fetched and the
    ranking done in pandas (:func:`winners`): a national batch has a million keys, and
    ranking them in one SQL window spilled to disk (45 s on SQLite, 128 MB more memory).
    """
    o, b = schema.observations, schema.batches
    batch = conn.execute(sa.select(b.c.seq, b.c.kind, b.c.preferred)
                         .where(b.c.id == batch_id)).one()
    own_tier = 0 if batch.preferred else (1 if batch.kind in PUBLISHED_KINDS else 2)
    query = (sa.select(*[o.c[k] for k in OBS_KEY], o.c.registered, o.c.eligible,
                       o.c.illustrative)
             .where(o.c.batch_id == batch_id).order_by(o.c.id)
             .execution_options(yield_per=chunk_rows))
    without = {"registered": 0, "eligible": 0}
    with_ = {"registered": 0, "eligible": 0}
    for rows in conn.execute(query).partitions():
        own = pd.DataFrame.from_records(
            rows, columns=[*OBS_KEY, "registered", "eligible", "illustrative"]).assign(
            tier=own_tier, seq=batch.seq, batch_id=batch_id)
        own["illustrative"] = own["illustrative"].astype(bool)
        others = versions_for_keys(conn, own, without=batch_id)
        both = own if others.empty else pd.concat([others, own], ignore_index=True)
        for total, part in ((without, totals(winners(others))), (with_, totals(winners(both)))):
            for column in total:
                total[column] += part[column]
    return without, with_


def versions_for_keys(conn: Connection, keys: pd.DataFrame, *,
                      without: str | None = None) -> pd.DataFrame:
    """Every version among active batches (but batch ``without``) of the keys in ``keys`` (a
    frame with the :data:`OBS_KEY` columns), with what ranks them: ``registered``,
    ``eligible``, ``illustrative``, ``tier`` (:func:`tier`), ``seq`` and ``batch_id``.

    Read on ``conn`` (a writer sees its own transaction; a staging batch is not active).
    Narrowed in SQL by the keys' regions, segments, programmes and months, so the rows read
    are the versions of those regions, not the store.
    """
    columns = [*OBS_KEY, "registered", "eligible", "illustrative", "tier", "seq", "batch_id"]
    if keys.empty:
        return pd.DataFrame(columns=columns)
    o, b = schema.observations, schema.batches
    conditions = [b.c.status == "active"]
    if without is not None:
        conditions.append(o.c.batch_id != without)
    for column in ("segment", "programme", "period", "region_code"):
        values = sorted(set(keys[column]))
        conditions.append(o.c[column] == values[0] if len(values) == 1
                          else o.c[column].in_(values))
    query = (sa.select(*[o.c[k] for k in OBS_KEY], o.c.registered, o.c.eligible,
                       o.c.illustrative, tier(b).label("tier"), b.c.seq, o.c.batch_id)
             .select_from(o.join(b, o.c.batch_id == b.c.id)).where(*conditions))
    found = frame_of(conn, query)
    if found.empty:
        return pd.DataFrame(columns=columns)
    found["illustrative"] = found["illustrative"].astype(bool)
    return found.merge(keys[OBS_KEY].drop_duplicates(), on=OBS_KEY, how="inner")[columns]


def winners(versions: pd.DataFrame) -> pd.DataFrame:
    """The current version of each key among ``versions`` (as :func:`versions_for_keys`
    returns them): the rule of this module, in pandas, as :func:`rank_order` says it in SQL."""
    if versions.empty:
        return versions
    ordered = versions.assign(_illustrative=versions["illustrative"].astype(bool),
                              _tier=pd.to_numeric(versions["tier"]),
                              _seq=pd.to_numeric(versions["seq"]))
    ordered = ordered.sort_values(["_illustrative", "_tier", "_seq"],
                                  ascending=[True, True, False], kind="stable")
    return ordered.drop_duplicates(OBS_KEY).drop(columns=["_illustrative", "_tier", "_seq"])


def totals_around_write(conn: Connection, rows: pd.DataFrame, *, seq: int,
                        batch_tier: int = 2) -> tuple[dict[str, int], dict[str, int]]:
    """Registered and eligible people over the keys of ``rows`` (about to be written as the
    newest batch, ``seq``): the current figures before, and after the write.

    Called before the rows are inserted, one frame or one chunk at a time, so a national
    file's audit totals cost one narrowed read per chunk (a single ranking of a million keys
    in SQL spilled to disk and took 45 s on SQLite).
    """
    old = versions_for_keys(conn, rows)
    new = rows[[*OBS_KEY, "registered", "eligible", "illustrative"]].assign(
        tier=batch_tier, seq=seq, batch_id=None)
    both = new if old.empty else pd.concat([old, new], ignore_index=True)
    return totals(winners(old)), totals(winners(both))
