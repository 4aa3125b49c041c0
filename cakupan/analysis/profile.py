"""One regency's profile: every segment's latest figure, its gap and what closing it costs.

Pure functions over the store's frames, so the Profil Wilayah page only lays them out.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from cakupan.analysis import metrics
from cakupan.analysis.targets import pick_rate, pick_target
from cakupan.core.policy import inpres4_quota

#: Segments shown in a profile, in reading order (``all`` last: it sums the others).
PROFILE_SEGMENTS: tuple[str, ...] = (
    "non_asn", "aparatur_desa", "pekerja_rentan", "pu", "bpu", "jakon", "all")

PROFILE_COLUMNS = ["segment", "period", "registered", "eligible", "coverage_pct", "status",
                   "illustrative", "sources", "target_pct", "target_people", "gap_people",
                   "premium", "budget_year"]


def _target(targets: pd.DataFrame, code: str, segment: str, period: str,
            desa: int) -> tuple[float | None, int | None]:
    """The regency's own target, else its province's; Inpres 4/2022 quota for pekerja rentan."""
    for scope in dict.fromkeys([code, code[:2]]):
        found = pick_target(targets, scope, segment, period)
        if found:
            pct = found.get("target_pct")
            count = found.get("target_count") if scope == code else None
            return (float(pct) if pct is not None and not pd.isna(pct) else None,
                    int(count) if count is not None and not pd.isna(count) else None)
    if segment == "pekerja_rentan":
        return None, inpres4_quota(desa)
    return None, None


def segment_profile(obs: pd.DataFrame, targets: pd.DataFrame, rates: pd.DataFrame, *,
                    code: str, period: str, desa: int) -> pd.DataFrame:
    """Latest figure up to ``period`` of each segment, with its gap and yearly cost.

    gap_people = target% x eligible - registered (or the target count - registered);
    budget_year = gap_people x premium per person per month x 12 (premium from the rates
    valid at ``period`` for that segment, JKK + JKM).
    """
    obs = obs[obs["period"].astype(str) <= period]
    rows: list[dict[str, Any]] = []
    for segment in PROFILE_SEGMENTS:
        series = metrics.series(obs, code=code, segment=segment)
        if series.empty:
            continue
        last = series.iloc[-1].to_dict()
        target_pct, target_people = _target(targets, code, segment, period, desa)
        registered = None if pd.isna(last["registered"]) else int(last["registered"])
        eligible = None if pd.isna(last["eligible"]) else int(last["eligible"])
        if target_people is None and target_pct is not None:
            gap = metrics.gap_to_target(registered, eligible, target_pct)
        elif target_people is not None and registered is not None:
            gap = max(0, target_people - registered)
        else:
            gap = None
        rate = pick_rate(rates, segment, period)
        premium = int(rate["rupiah_per_person_month"]) if rate else None
        budget = metrics.annual_budget(gap, premium) if premium is not None else None
        rows.append({
            "segment": segment, "period": last["period"], "registered": registered,
            "eligible": eligible, "coverage_pct": last["coverage_pct"],
            "status": last["status"], "illustrative": bool(last["illustrative"]),
            "sources": list(last["sources"] or []), "target_pct": target_pct,
            "target_people": target_people, "gap_people": gap, "premium": premium,
            "budget_year": budget,
        })
    return pd.DataFrame(rows, columns=PROFILE_COLUMNS)


def programme_profile(obs: pd.DataFrame, *, code: str, period: str) -> pd.DataFrame:
    """Latest programme-level figures (JKK, JKM, JHT, JP, JKP) of the region up to ``period``."""
    rows = obs[(obs["region_code"] == code) & (obs["programme"] != "any")
               & (obs["period"].astype(str) <= period)]
    if rows.empty:
        return rows
    rows = rows.sort_values("period").groupby(["segment", "programme"], as_index=False).tail(1)
    return rows[["segment", "programme", "period", "registered", "eligible", "coverage_pct",
                 "illustrative", "source_id", "note"]].reset_index(drop=True)


def neighbours(view: Any, code: str) -> list[str]:
    """Codes of the regencies sharing a border with ``code`` in a boundary GeoDataFrame."""
    if view is None or code not in set(view["code"]):
        return []
    shape = view.loc[view["code"] == code, "geometry"].iloc[0]
    touching = view[view.geometry.intersects(shape.buffer(1e-3)) & (view["code"] != code)]
    return sorted(touching["code"])
