"""UCJ (Universal Coverage Jamsostek) categories: sangat rendah, rendah, sedang, tinggi.

The thresholds are data (``data/ucj_categories.csv``, provenance in its ``.meta.json``), not
code: no official table was found, so the file states them as an assumption (quartiles of
0-100 %) with ``basis = assumption``, and the map legend and the Sources page say so. An
official table replaces the file; nothing here changes.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

from cakupan.analysis.targets import is_na
from cakupan.core.datafile import read_checked_csv
from cakupan.core.settings import DATA_DIR

UCJ_CSV: Path = DATA_DIR / "ucj_categories.csv"
COLUMNS: tuple[str, ...] = ("category", "lower_pct", "upper_pct", "basis", "note")
#: Category codes from lowest to highest (the catalogue has ``ucj.<code>``).
CATEGORIES: tuple[str, ...] = ("sangat_rendah", "rendah", "sedang", "tinggi")
NO_DATA = "no_data"


@cache
def thresholds(path: Path = UCJ_CSV) -> pd.DataFrame:
    """The categories with numeric bounds, lowest first; refuses a file whose categories
    are not :data:`CATEGORIES` or whose bounds do not tile 0-100 without gaps."""
    frame = read_checked_csv(path, COLUMNS, missing_hint="UCJ category thresholds")
    frame = frame.assign(lower_pct=frame["lower_pct"].astype(float),
                         upper_pct=frame["upper_pct"].astype(float))
    frame = frame.sort_values("lower_pct").reset_index(drop=True)
    if tuple(frame["category"]) != CATEGORIES:
        raise ValueError(f"{path.name}: categories {list(frame['category'])}; "
                         f"expected {list(CATEGORIES)}")
    lows, highs = list(frame["lower_pct"]), list(frame["upper_pct"])
    if lows[0] != 0 or highs[-1] != 100 or lows[1:] != highs[:-1]:
        raise ValueError(f"{path.name}: bounds must run from 0 to 100 without gaps")
    return frame


def is_assumption() -> bool:
    """Whether the thresholds in use are an assumption (no official table)."""
    return bool((thresholds()["basis"] == "assumption").any())


def edges() -> tuple[float, ...]:
    """The bounds as edges: ``(0, 25, 50, 75, 100)`` for the assumed quartiles."""
    frame = thresholds()
    return (*frame["lower_pct"], float(frame["upper_pct"].iloc[-1]))


def ucj_category(pct: float | None) -> str:
    """The category of a coverage percentage: lower bound included, upper excluded (100 is
    ``tinggi``); values outside 0-100 are clamped; no figure is ``"no_data"``.

    >>> [ucj_category(v) for v in (0, 24.99, 25, 74.99, 75, 100, None)]
    ['sangat_rendah', 'sangat_rendah', 'rendah', 'sedang', 'tinggi', 'tinggi', 'no_data']
    """
    if pct is None or is_na(pct):
        return NO_DATA
    value = min(max(float(pct), 0.0), 100.0)
    cuts = edges()
    for category, upper in zip(CATEGORIES, cuts[1:], strict=True):
        if value < upper:
            return category
    return CATEGORIES[-1]
