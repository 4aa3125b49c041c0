"""Boundary changes a time series can cross: splits (a province loses part of its area to new
provinces) and renames (same area, new name).

A chart of Papua from 2017 to 2024 crosses the July 2022 split: before it the province held
today's Papua Selatan, Papua Tengah and Papua Pegunungan too, so a line joining June and July
2022 would draw a fall that is a change of area, not of coverage. Charts break the line there
and name the change; a rename (Maluku Tenggara Barat became Kepulauan Tanimbar in 2019) only
gets its note, since the area is the same.

Provenance: splits as in :mod:`cakupan.regions.extents` (UU 14, 15, 16/2022 of 25 July 2022;
UU 29/2022 of 8 December 2022); the rename from ``data/region_aliases.csv`` ("name until 2019,
renamed Kepulauan Tanimbar by PP 2/2019"), whose month is not stated: the mark sits at
January 2019 and its note says the month is not known.
"""

from __future__ import annotations

from dataclasses import dataclass

from cakupan.regions.extents import OLD_EXTENTS


@dataclass(frozen=True)
class BoundaryChange:
    """One change: from ``month`` on, the regions in ``codes`` have their current extent or
    name; figures before it belong to the old arrangement."""

    month: str  # YYYY-MM, the first month of the new arrangement
    kind: str  # "split" (the area changed: break the line) | "rename" (the name did)
    codes: tuple[str, ...]  # current codes whose series cross it
    law: str
    old_name: str | None = None  # a rename's former name
    old_extent: str | None = None  # a split's old-extent key (``91~pra2022``)
    month_known: bool = True


def _month_after(period: str) -> str:
    year, month = (int(p) for p in period.split("-"))
    return f"{year + month // 12}-{month % 12 + 1:02d}"


CHANGES: tuple[BoundaryChange, ...] = (
    *(BoundaryChange(_month_after(e.until), "split", e.successors, e.change.split(":")[0],
                     old_extent=e.key)
      for e in OLD_EXTENTS.values()),
    BoundaryChange("2019-01", "rename", ("81.03",), "PP 2/2019",
                   old_name="Maluku Tenggara Barat", month_known=False),
)


def changes_for(code: str, first: str | None = None,
                last: str | None = None) -> list[BoundaryChange]:
    """The changes a series of ``code`` from ``first`` to ``last`` (inclusive) crosses: those
    whose month falls after ``first`` and no later than ``last`` (open ends: every change)."""
    return [c for c in CHANGES if code in c.codes
            and (first is None or c.month > first) and (last is None or c.month <= last)]
