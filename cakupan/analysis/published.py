"""Which *published* figure leads: the latest one of a region, or the one nearest a month.

Pages lead with what a source actually said, not with the illustrative panel: the overview's
headline, the briefing's first slides and the map's default month ask this module. A month
with no figure of its own borrows the nearest published one within a window (12 months by
default), the way Our World in Data shows "nearest year" values, and always says which date
the figure is of and how far that is from the month shown.

Only a region's *own* published row counts (scope ``region``, its own code): a sum of the few
regencies an article named would understate a province. Rows come in as a frame (usually
``store.published_observations``, or ``store.current_observations``: illustrative rows are
dropped here either way).

Ties: two figures equally far from the month (one before, one after) -> the earlier one, the
figure a reader could already have known at that month.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from cakupan import regions
from cakupan.analysis import metrics
from cakupan.core.months import month_index

#: How far (months) a map may reach for a figure when its month has none.
NEAREST_WITHIN: int = 12

#: An ISO day in a row's note ("as at 2024-12-31"): the figure's own date, when it has one.
_ISO_DAY = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")

FIGURE_COLUMNS: list[str] = [
    "region_code", "period", "as_of", "months_away", "registered", "eligible",
    "coverage_pct", "status", "source_id", "source_title",
]


@dataclass(frozen=True)
class PublishedFigure:
    """One published figure of one region, and how far its month is from the one asked.

    ``as_of`` is the figure's own date: ``YYYY-MM-DD`` when the row says the day (an
    ``as_of`` column, or an ISO day of that month in its note), else its month ``YYYY-MM``.
    ``months_away`` = figure's month - month asked (negative: earlier; 0 for "latest").
    """

    region_code: str
    segment: str
    period: str
    as_of: str
    months_away: int
    registered: int | None
    eligible: int | None
    coverage_pct: float | None
    status: str
    source_id: str
    source_title: str | None = None

    def as_total(self) -> dict[str, Any]:
        """The figure as a snapshot row (:data:`metrics.SNAPSHOT_COLUMNS` and then some), so
        code written for ``BriefingData.total`` can read it."""
        return {"region_code": self.region_code, "period": self.period,
                "segment": self.segment, "programme": "any", "registered": self.registered,
                "eligible": self.eligible, "coverage_pct": self.coverage_pct,
                "status": self.status, "illustrative": False, "sources": [self.source_id],
                "aggregated": False, "as_of": self.as_of, "months_away": self.months_away}


def _as_of(period: str, as_of: object, note: object) -> str:
    if isinstance(as_of, str) and as_of[:7] == period:
        return as_of
    if isinstance(note, str):
        for day in _ISO_DAY.findall(note):
            if day[:7] == period:
                return day
    return period


def published_rows(obs: pd.DataFrame, *, segment: str, programme: str = "any",
                   codes: Iterable[str] | None = None) -> pd.DataFrame:
    """The real (not illustrative) own-region figures of ``segment``, one per region and
    month, with effective coverage, status and ``as_of``; sorted by region then month.

    Columns: :data:`FIGURE_COLUMNS` but ``months_away``.
    """
    columns = [c for c in FIGURE_COLUMNS if c != "months_away"]
    if obs is None or obs.empty:
        return pd.DataFrame(columns=columns)
    mask = ((obs["segment"] == segment) & (obs["programme"] == programme)
            & (obs.get("scope", "region") == "region")
            & ~obs["illustrative"].astype(bool))
    if codes is not None:
        mask &= obs["region_code"].isin(list(codes))
    rows = obs[mask.to_numpy()]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    frame = metrics.with_coverage(rows)
    frame = frame[frame["status"] != "no_data"]
    notes = frame["note"] if "note" in frame else pd.Series(None, index=frame.index)
    as_of = frame["as_of"] if "as_of" in frame else pd.Series(None, index=frame.index)
    out = pd.DataFrame({
        "region_code": frame["region_code"].astype(str),
        "period": frame["period"].astype(str),
        "as_of": [_as_of(p, a, n) for p, a, n in zip(frame["period"].astype(str), as_of,
                                                     notes, strict=True)],
        "registered": frame["registered"],
        "eligible": frame["eligible"],
        "coverage_pct": frame["coverage_pct_effective"].astype(float),
        "status": frame["status"],
        "source_id": frame["source_id"].astype(str),
        "source_title": frame.get("source_title"),
    }, columns=columns)
    out = out.drop_duplicates(["region_code", "period"])
    return out.sort_values(["region_code", "period"]).reset_index(drop=True)


def _figure(row: dict[str, Any], segment: str, months_away: int) -> PublishedFigure:
    def count(value: object) -> int | None:
        return None if value is None or pd.isna(value) else int(value)

    pct = row.get("coverage_pct")
    title = row.get("source_title")
    return PublishedFigure(
        region_code=str(row["region_code"]), segment=segment, period=str(row["period"]),
        as_of=str(row["as_of"]), months_away=int(months_away),
        registered=count(row.get("registered")), eligible=count(row.get("eligible")),
        coverage_pct=None if pct is None or pd.isna(pct) else float(pct),
        status=str(row["status"]), source_id=str(row["source_id"]),
        source_title=None if title is None or pd.isna(title) else str(title))


def latest(obs: pd.DataFrame, region: str, segment: str, *, until: str | None = None,
           programme: str = "any") -> PublishedFigure | None:
    """The latest published figure of ``region`` (up to ``until`` when given), or ``None``.

    >>> latest(frame, "81", "all")  # doctest: +SKIP
    PublishedFigure(region_code='81', period='2024-12', as_of='2024-12-31', ...)
    """
    rows = published_rows(obs, segment=segment, programme=programme, codes=[region])
    if until is not None:
        rows = rows[rows["period"] <= until]
    if rows.empty:
        return None
    return _figure(rows.iloc[-1].to_dict(), segment, 0)


def latest_period(obs: pd.DataFrame, segment: str, codes: Iterable[str],
                  programme: str = "any") -> str | None:
    """The latest month in which any of ``codes`` has a published figure (a map's default
    month), or ``None`` when none has one."""
    rows = published_rows(obs, segment=segment, programme=programme, codes=codes)
    return None if rows.empty else str(rows["period"].max())


def view_codes(region: str | None) -> list[str]:
    """The codes whose published figures decide a view's opening month: a province (the
    province of a regency) and its regencies, or, for Indonesia, every province."""
    province = (region or "")[:2]
    if province:
        return [province, *regions.regencies(province)["code"]]
    return list(regions.provinces()["code"])


def opening_month(obs: pd.DataFrame, months: Iterable[str], segment: str,
                  region: str | None, programme: str = "any") -> str | None:
    """The month a view opens on without a period: the latest month with a published figure
    for it (:func:`view_codes`) when that month has data, else the last of ``months``
    (``None`` when there are none). What the map, the overview, the briefing page and
    ``brief`` without ``--period`` share."""
    months = list(months)
    found = latest_period(obs, segment, view_codes(region), programme=programme)
    if found is not None and found in months:
        return found
    return months[-1] if months else None


def nearest_by_region(obs: pd.DataFrame, codes: Iterable[str], *, segment: str, period: str,
                      within: int = NEAREST_WITHIN, programme: str = "any") -> pd.DataFrame:
    """For each of ``codes``, the published figure nearest ``period`` within ``within``
    months (ties: the earlier), or no row when it has none that close.

    Returns :data:`FIGURE_COLUMNS`, one row per code that has a figure, in ``codes`` order.
    """
    wanted = list(codes)
    rows = published_rows(obs, segment=segment, programme=programme, codes=wanted)
    if rows.empty:
        return pd.DataFrame(columns=FIGURE_COLUMNS)
    at = month_index(period)
    away = np.array([month_index(p) - at for p in rows["period"]], dtype=int)
    rows = rows.assign(months_away=away, _far=np.abs(away))
    rows = rows[rows["_far"] <= within]
    if rows.empty:
        return pd.DataFrame(columns=FIGURE_COLUMNS)
    # Nearest first; among equals the earlier (negative distance sorts first).
    rows = rows.sort_values(["region_code", "_far", "months_away"], kind="stable")
    best = rows.drop_duplicates("region_code").set_index("region_code")
    best = best.reindex([c for c in wanted if c in best.index]).reset_index()
    return best[FIGURE_COLUMNS].reset_index(drop=True)


def nearest(obs: pd.DataFrame, region: str, segment: str, period: str, *,
            within: int = NEAREST_WITHIN, programme: str = "any") -> PublishedFigure | None:
    """The published figure of ``region`` nearest ``period`` within ``within`` months."""
    found = nearest_by_region(obs, [region], segment=segment, period=period, within=within,
                              programme=programme)
    if found.empty:
        return None
    row = found.iloc[0].to_dict()
    return _figure(row, segment, int(row["months_away"]))
