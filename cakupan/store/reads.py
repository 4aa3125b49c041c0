"""Reading the store: the current figure of every key, the history of one, targets, premium
rates, sources, periods, batches and the data version that cache keys carry.

Current = from the newest active batch for that key, a published figure always beating an
illustrative one; the ranking is done in SQL (``row_number()``) on both SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from cakupan.store import schema
from cakupan.store.columns import (
    MEASURE_COLUMNS,
    OBS_COLUMNS,
    OBS_KEY,
    RATE_COLUMNS,
    TARGET_COLUMNS,
)
from cakupan.store.current import (
    PUBLISHED_KINDS,
    current_for_keys,
    current_query,
    frame_of,
    typed_observations,
)


def current_observations(engine: Engine, *, segment: str | Iterable[str] | None = None,
                         programme: str | Iterable[str] | None = None,
                         period: str | Iterable[str] | None = None,
                         region_codes: Iterable[str] | None = None,
                         province: str | None = None) -> pd.DataFrame:
    """The current figure of every key matching the filters (:mod:`cakupan.store.current`).

    ``province="74"`` selects the province's own rows and all its regencies' (what a province
    map and its total need). Returns :data:`OBS_COLUMNS` plus ``source_title``,
    ``source_published`` and ``batch_kind``, sorted by key.
    """
    query = current_query(segment=segment, programme=programme, period=period,
                          region_codes=region_codes, province=province)
    with engine.connect() as conn:
        return typed_observations(frame_of(conn, query))


def published_observations(engine: Engine, *, segment: str | Iterable[str] | None = None,
                           programme: str | Iterable[str] | None = "any",
                           province: str | None = None) -> pd.DataFrame:
    """The current real (not illustrative) figure of every key, every month: what the pages
    ask for "the latest published figure" and "the nearest one to this month".

    Only real rows are ranked (a real figure beats an illustrative one anyway, so the
    winners are the same), which keeps this a few hundred rows however big the panel is.
    Same columns as :func:`current_observations`.
    """
    query = current_query(segment=segment, programme=programme, province=province,
                          extra=[schema.observations.c.illustrative == sa.false()])
    with engine.connect() as conn:
        return typed_observations(frame_of(conn, query))


def observation_history(engine: Engine, region_code: str, segment: str,
                        programme: str = "any") -> pd.DataFrame:
    """Every version of every figure of one region, segment and programme, with its batch.

    Rolled-back and superseded rows included; ``current`` marks the ones
    :func:`current_observations` returns. Sorted by period, then import order.
    """
    o, b = schema.observations, schema.batches
    query = (sa.select(*[o.c[c] for c in OBS_COLUMNS], b.c.seq, b.c.file_name,
                       b.c.imported_at, b.c.imported_by, b.c.kind.label("batch_kind"),
                       b.c.status.label("batch_status"), b.c.preferred)
             .select_from(o.join(b, o.c.batch_id == b.c.id))
             .where(o.c.region_code == region_code, o.c.segment == segment,
                    o.c.programme == programme)
             .order_by(o.c.period, o.c.scope, b.c.seq))
    with engine.connect() as conn:
        frame = typed_observations(frame_of(conn, query))
    frame["preferred"] = frame["preferred"].astype(bool)
    tiers = frame["preferred"].map({True: 0, False: 2}).where(
        frame["preferred"] | ~frame["batch_kind"].isin(PUBLISHED_KINDS), 1)
    active = frame.assign(_tier=tiers)[frame["batch_status"] == "active"]
    winners = (active.sort_values(["illustrative", "_tier", "seq"],
                                  ascending=[True, True, False])
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
        frame = frame_of(conn, query)
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
        frame = _latest(frame_of(conn, query), ["programme", "segment", "valid_from"])
    frame["rupiah_per_person_month"] = pd.to_numeric(
        frame["rupiah_per_person_month"]).astype("int64")
    return frame.sort_values(["segment", "programme", "valid_from"]).reset_index(drop=True)


#: Columns :func:`published_measures` returns: the row, then its source's title, publisher,
#: URL and publication date (what a tooltip and the Sumber page show).
PUBLISHED_MEASURE_COLUMNS = [*MEASURE_COLUMNS, "source_title", "source_publisher",
                             "source_url", "source_published"]


def published_measures(engine: Engine, measure: str | Iterable[str] | None = None,
                       period: str | Iterable[str] | None = None, *,
                       region_code: str | Iterable[str] | None = None,
                       province: str | None = None) -> pd.DataFrame:
    """Published figures of measures other than UCJ coverage, with their sources.

    What it returns: one row per published figure (:data:`PUBLISHED_MEASURE_COLUMNS`) from
    the newest *active* published batch that has measures, so a rolled-back seed shows the
    previous release's. Such figures are never coverage: ``measure`` says what is counted
    (``kemnaker_active_participants``, ``bps_employed``, ``participants_per_100_employed``
    (``derived`` True: computed by us from two published figures), ``desa_registered``,
    ``paritrana_rank``, ...; the full list and their readings in ``data/README.md``), ``unit``
    in what (``people``, ``thousand_people``, ``percent``, ``villages``, ...), ``value`` the
    figure (``value_high`` the top of a published range, else NaN). Two sources for the same
    figure are two rows (``source_id`` differs); nothing is merged or chosen here.

    ``period`` is as precise as the source: ``"2023"``, ``"2025-02"`` or ``"2024-12-31"``;
    a ``period`` filter ``"2023"`` matches exactly that text, not every month of 2023.
    ``region_code`` is a Kemendagri code, an old extent such as ``"91~pra2022"`` (Papua
    before the 2022 splits: never the same as today's 91) or ``"00"`` for Indonesia; a
    figure over a group of regencies (a branch office's area) has its province here and the
    regency codes joined by ``;`` in ``members``: it is neither the province's figure nor
    any one regency's. ``province="81"`` selects the province's own rows and its regencies'.
    Sorted by measure, region, period, segment and source.
    """
    m, b, s = schema.published_measures, schema.batches, schema.sources
    newest = (sa.select(sa.func.max(b.c.seq))
              .where(b.c.status == "active", b.c.kind.in_(PUBLISHED_KINDS),
                     b.c.id.in_(sa.select(m.c.batch_id).distinct()))
              .scalar_subquery())
    query = (sa.select(*[m.c[c] for c in MEASURE_COLUMNS], s.c.title.label("source_title"),
                       s.c.publisher.label("source_publisher"), s.c.url.label("source_url"),
                       s.c.published.label("source_published"))
             .select_from(m.join(b, m.c.batch_id == b.c.id)
                          .outerjoin(s, m.c.source_id == s.c.id))
             .where(b.c.seq == newest))
    for column, wanted in (("measure", measure), ("period", period),
                           ("region_code", region_code)):
        if wanted is not None:
            values = [wanted] if isinstance(wanted, str) else list(wanted)
            query = query.where(m.c[column].in_(values))
    if province is not None:
        query = query.where(sa.or_(m.c.region_code == province,
                                   m.c.region_code.like(f"{province}.%"),
                                   m.c.region_code.like(f"{province}~%")))
    with engine.connect() as conn:
        frame = frame_of(conn, query)
    for column in PUBLISHED_MEASURE_COLUMNS:
        if column not in frame:
            frame[column] = None
    frame = frame[PUBLISHED_MEASURE_COLUMNS]
    frame["value"] = pd.to_numeric(frame["value"]).astype(float)
    frame["value_high"] = pd.to_numeric(frame["value_high"]).astype(float)
    frame["derived"] = frame["derived"].astype(bool)
    return frame.sort_values(["measure", "region_code", "period", "segment", "source_id"]
                             ).reset_index(drop=True)


def sources(engine: Engine) -> pd.DataFrame:
    """Every source (articles, regulations, uploaded files, the illustrative panel)."""
    with engine.connect() as conn:
        return frame_of(conn, sa.select(schema.sources).order_by(schema.sources.c.id))


def periods(engine: Engine, segment: str | None = None) -> list[str]:
    """Months with at least one figure in an active batch, oldest first.

    Read from ``batch_periods`` (each batch's months, written with it), not from the
    observations: every page asks this first, and a scan of a million observations for
    96 months cost more than the rest of the page.
    """
    p, b = schema.batch_periods, schema.batches
    query = (sa.select(p.c.period).distinct().select_from(p.join(b, p.c.batch_id == b.c.id))
             .where(b.c.status == "active").order_by(p.c.period))
    if segment is not None:
        query = query.where(p.c.segment == segment)
    with engine.connect() as conn:
        return list(conn.execute(query).scalars())


def list_batches(engine: Engine) -> pd.DataFrame:
    """All import batches, newest first (id, seq, file_name, sha256, imported_at, rows, ...)."""
    with engine.connect() as conn:
        return frame_of(conn, sa.select(schema.batches).order_by(schema.batches.c.seq.desc()))


def data_version(engine: Engine) -> str:
    """A token that changes on every write: put it in cache keys so viewers see imports.

    Made of the store's random identity and its write counter, so two stores (or a store
    deleted and created again) never share a version.
    """
    with engine.connect() as conn:
        values = dict(conn.execute(sa.select(schema.meta.c.key, schema.meta.c.value).where(
            schema.meta.c.key.in_(["store_id", "data_seq"]))).all())
    return f"{values.get('store_id', '')[:8]}-{values.get('data_seq', '0')}"


def published_conflicts(engine: Engine, observations: pd.DataFrame) -> pd.DataFrame:
    """Keys of ``observations`` that already have a current *published* (cited) figure.

    What review shows before an upload is written: by default the published figure stays the
    one shown (:mod:`cakupan.store.current`), and an editor may prefer the upload instead.
    Columns: the key, the published ``registered``/``eligible``/``coverage_pct`` and
    ``source_id``, and the upload's values as ``upload_registered`` etc.
    """
    columns = [*OBS_KEY, "registered", "eligible", "coverage_pct", "source_id",
               "upload_registered", "upload_eligible", "upload_coverage_pct"]
    if observations.empty:
        return pd.DataFrame(columns=columns)
    keys = observations.assign(
        scope=observations.get("scope", "region"),
        programme=observations.get("programme", "any"))
    with engine.connect() as conn:
        # Only keys some published batch has can conflict: a few hundred figures, so a
        # national file's million keys are narrowed here before any ranking is done.
        o, b = schema.observations, schema.batches
        published = frame_of(conn, sa.select(*[o.c[k] for k in OBS_KEY]).distinct()
                             .select_from(o.join(b, o.c.batch_id == b.c.id))
                             .where(b.c.kind.in_(PUBLISHED_KINDS), b.c.status == "active",
                                    o.c.illustrative == sa.false()))
        candidates = keys.merge(published, on=OBS_KEY, how="inner")
        if candidates.empty:
            return pd.DataFrame(columns=columns)
        found = current_for_keys(conn, candidates)
    found = found[found["batch_kind"].isin(PUBLISHED_KINDS) & ~found["illustrative"]]
    upload = keys[[*OBS_KEY, *(c for c in ("registered", "eligible", "coverage_pct")
                               if c in keys)]].rename(columns={
        "registered": "upload_registered", "eligible": "upload_eligible",
        "coverage_pct": "upload_coverage_pct"})
    merged = found.merge(upload, on=OBS_KEY, how="inner")
    for column in columns:
        if column not in merged:
            merged[column] = None
    return merged[columns].reset_index(drop=True)


def batch_provinces(engine: Engine) -> dict[str, list[str]]:
    """The provinces each batch's rows lie in: what decides who may roll it back."""
    o = schema.observations
    query = sa.select(o.c.batch_id, o.c.province_code).distinct()
    out: dict[str, list[str]] = {}
    with engine.connect() as conn:
        for batch_id, province in conn.execute(query):
            out.setdefault(batch_id, []).append(province)
    return {k: sorted(v) for k, v in out.items()}
