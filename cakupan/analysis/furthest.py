"""Which regency of a province is furthest behind: the one a province-level profile opens on.

The regency profile (``/wilayah``) shows one regency. A link that names only a province (the
sidebar's province choice leads there) opens on the regency that most needs attention rather
than on an empty page, and lists the others from furthest behind to furthest ahead.

Rule
----
1. The month: the one asked for, else the latest month in which at least one of the
   regencies has a coverage figure for the segment (a province's regency figures may stop
   earlier than the national series, and an empty month would make every regency a tie).
2. Regencies with a figure come first, lowest coverage % first. An ``unregistered`` regency
   whose denominator is unknown counts as 0% (as in :func:`metrics.ranking`).
3. Ties on coverage: more workers still unprotected (eligible - registered) first; an unknown
   number of unprotected workers after a known one; then by code, so the choice is stable.
4. Regencies with no figure follow, by code. If none has a figure, the first by code leads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cakupan.analysis import metrics


@dataclass(frozen=True)
class Standing:
    """One regency's place in the order: its figure in the month compared (or none)."""

    code: str
    coverage_pct: float | None
    unprotected: int | None


@dataclass(frozen=True)
class Order:
    """The province's regencies from furthest behind, in the month that was compared."""

    period: str | None
    standings: tuple[Standing, ...]

    @property
    def first(self) -> Standing | None:
        """The furthest-behind regency (``None`` only when there are no regencies)."""
        return self.standings[0] if self.standings else None

    def standing(self, code: str) -> Standing | None:
        return next((s for s in self.standings if s.code == code), None)


def _sort_key(snap: pd.DataFrame) -> pd.DataFrame:
    """Coverage (unregistered without a denominator = 0%) and unprotected workers per row."""
    pct = pd.to_numeric(snap["coverage_pct"], errors="coerce").astype(float)
    pct = pct.where(pct.notna() | (snap["status"] != "unregistered"), 0.0)
    registered = pd.to_numeric(snap["registered"], errors="coerce").astype(float)
    eligible = pd.to_numeric(snap["eligible"], errors="coerce").astype(float)
    unprotected = (eligible - registered).clip(lower=0)
    return pd.DataFrame({"code": snap["region_code"].astype(str), "pct": pct,
                         "unprotected": unprotected})


def order_snapshot(snap: pd.DataFrame, period: str | None = None) -> Order:
    """Order the rows of a :func:`metrics.snapshot` frame from furthest behind (module rule).

    ``period`` is only recorded (the month the snapshot is of), for the sentence saying why.
    """
    frame = _sort_key(snap)
    known = frame["pct"].notna()
    frame = frame.assign(
        _unknown=(~known).astype(int),
        _pct=frame["pct"].fillna(0.0),
        _no_gap=frame["unprotected"].isna().astype(int),
        _gap=frame["unprotected"].fillna(0.0),
    )
    frame = frame.sort_values(["_unknown", "_pct", "_no_gap", "_gap", "code"],
                              ascending=[True, True, True, False, True], kind="stable")
    standings = tuple(
        Standing(code=row.code,
                 coverage_pct=None if np.isnan(row.pct) else float(row.pct),
                 unprotected=None if np.isnan(row.unprotected) else round(float(row.unprotected)))
        for row in frame.itertuples(index=False))
    return Order(period=period, standings=standings)


def latest_period_with_figure(obs: pd.DataFrame, codes: Sequence[str], *, segment: str,
                              programme: str = "any") -> str | None:
    """The latest month in which one of ``codes`` has a coverage figure, or ``None``."""
    if obs.empty:
        return None
    mask = ((obs["segment"] == segment) & (obs["programme"] == programme)
            & obs["region_code"].isin(list(codes)))
    if "scope" in obs:
        mask &= obs["scope"] == "region"
    rows = obs[mask.to_numpy()]
    if rows.empty:
        return None
    rows = metrics.with_coverage(rows)
    figured = rows["coverage_pct_effective"].notna() | (rows["status"] == "unregistered")
    periods = rows.loc[figured.to_numpy(), "period"]
    return str(periods.max()) if len(periods) else None


def furthest_behind(obs: pd.DataFrame, codes: Sequence[str], *, segment: str,
                    programme: str = "any", period: str | None = None) -> Order:
    """The regencies ``codes`` ordered from furthest behind in ``period`` (default: the latest
    month in which one of them has a figure); every code appears once, whatever the data."""
    codes = list(dict.fromkeys(codes))
    month = period or latest_period_with_figure(obs, codes, segment=segment,
                                                programme=programme)
    if month is None:  # no figure in any month: every regency ties, the first by code leads
        return Order(period=None, standings=tuple(Standing(c, None, None) for c in sorted(codes)))
    snap = metrics.snapshot(obs, period=month, segment=segment, programme=programme,
                            codes=codes)
    return order_snapshot(snap, month)
