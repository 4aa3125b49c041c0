"""Which target and which premium rate apply to a region, a segment and a month.

Shared by the briefing, the regency profile and the outlook, so they always pick the same one.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd


def first_row(frame: pd.DataFrame) -> dict[str, Any]:
    """The frame's first row as plain values, with None where pandas has NA."""
    return {k: (None if is_na(v) else v) for k, v in frame.iloc[0].to_dict().items()}


def is_na(value: object) -> bool:
    """Missing, for a scalar; a list of sources is never missing."""
    if isinstance(value, list | tuple | np.ndarray):
        return False
    return value is None or bool(pd.isna(value))


def pick_target(targets: pd.DataFrame, region: str, segment: str,
                period: str) -> dict[str, Any] | None:
    """The target that applies at ``period``: the nearest deadline not yet passed, else one
    without a deadline, else the one that passed last."""
    if targets is None or targets.empty:
        return None
    rows = targets[(targets["region_code"].astype(str) == region)
                   & (targets["segment"] == segment)
                   & (targets.get("programme", "any") == "any")]
    if rows.empty:
        return None
    # The sort key is a column before filtering: assigning a Series to an empty frame would
    # adopt the Series' index and bring rows back.
    rows = rows.assign(_d=rows["deadline"].fillna("").astype(str))
    for subset in (rows[rows["_d"] >= period].sort_values("_d"),
                   rows[rows["_d"] == ""],
                   rows[(rows["_d"] != "") & (rows["_d"] < period)]
                   .sort_values("_d", ascending=False)):
        if len(subset):
            return first_row(subset.drop(columns="_d"))
    return None


def pick_rate(rates: pd.DataFrame, segment: str, period: str) -> dict[str, Any] | None:
    """The JKK+JKM premium of a segment valid at ``period`` (the latest ``valid_from`` not
    after it); JKK and JKM rows are added up when no combined row exists."""
    if rates is None or rates.empty:
        return None
    rows = rates[(rates["segment"] == segment) & (rates["valid_from"].astype(str) <= period)]
    combined = rows[rows["programme"] == "jkk+jkm"]
    if len(combined):
        return first_row(combined.sort_values("valid_from", ascending=False))
    parts = [rows[rows["programme"] == p].sort_values("valid_from", ascending=False)
             for p in ("jkk", "jkm")]
    if all(len(p) for p in parts):
        first = [first_row(p) for p in parts]
        return {"programme": "jkk+jkm", "segment": segment,
                "rupiah_per_person_month": sum(int(r["rupiah_per_person_month"]) for r in first),
                "valid_from": max(r["valid_from"] for r in first),
                "source_id": first[0]["source_id"], "extra_sources": [first[1]["source_id"]]}
    return None
