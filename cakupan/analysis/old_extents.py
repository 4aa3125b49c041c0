"""Old-extent figures beside their successors: old Papua against the sum of its four.

A figure published for Papua before the 2022 splits (``91~pra2022``) is never spread over
today's four provinces, and never filed under today's Papua. Set beside the *same measure*
summed over its successors, for the same period and segment, it can still be compared; where
any successor lacks that figure the sum is left empty (a partial sum would read as a fall),
and the count of successors that have one says so.
"""

from __future__ import annotations

import pandas as pd

from cakupan import regions

COLUMNS = ["measure", "period", "segment", "unit", "value", "successors_sum",
           "successors_with", "successors", "source_id"]


def extent_for_view(code: str) -> regions.OldExtent | None:
    """The old extent a province view (or a regency's province) was part of, if any."""
    return regions.old_extent_of(code[:2]) if code else None


def beside_successors(measures: pd.DataFrame, key: str) -> pd.DataFrame:
    """One row per figure of the old extent ``key`` (``store.published_measures`` rows):
    its value, the sum of the same measure, period and segment over the extent's successors
    (only when every successor has it), and how many of them do."""
    extent = regions.old_extent(key)
    if measures.empty:
        return pd.DataFrame(columns=COLUMNS)
    own = measures[measures["region_code"] == key]
    rest = measures[measures["region_code"].isin(extent.successors)]
    rows = []
    for record in own.to_dict("records"):
        same = rest[(rest["measure"] == record["measure"]) & (rest["period"] == record["period"])
                    & (rest["segment"] == record["segment"])]
        per_region = same.groupby("region_code")["value"].first()
        complete = len(per_region) == len(extent.successors)
        rows.append({"measure": record["measure"], "period": record["period"],
                     "segment": record["segment"], "unit": record.get("unit"),
                     "value": float(record["value"]),
                     "successors_sum": float(per_region.sum()) if complete else float("nan"),
                     "successors_with": len(per_region),
                     "successors": len(extent.successors),
                     "source_id": record.get("source_id")})
    return pd.DataFrame(rows, columns=COLUMNS)
