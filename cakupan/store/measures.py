"""The store's guard on published measures: figures that are not UCJ coverage.

Kemnaker's active participants, BPS's employed population, villages registered, award ranks:
each row is one published figure of one ``measure`` in one ``unit``. They are checked here
and written with the published seed batch, never as observations, so no page sums them with
coverage figures or anchors the illustrative panel on them.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from cakupan import regions
from cakupan.core.errors import CakupanError
from cakupan.store.columns import MEASURE_COLUMNS, MEASURE_SEGMENTS, MEASURE_UNITS, NATIONAL_KEY

#: A measure's period is only as precise as its source: a year, a month or a day.
_PERIOD = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,59}$")


def _key_ok(code: str) -> bool:
    return code == NATIONAL_KEY or regions.is_valid_code(code) or regions.is_old_extent(code)


def prepare_measures(measures: pd.DataFrame) -> pd.DataFrame:
    """Check a published-measures frame; return it with :data:`MEASURE_COLUMNS`, typed.

    Raises
    ------
    CakupanError
        Naming the missing columns or the first offending rows (1-based, in frame order).
    """
    required = ["measure", "period", "region_code", "value", "unit", "source_id"]
    missing = [c for c in required if c not in measures.columns]
    if missing:
        raise CakupanError(f"published measures lack columns {missing}; "
                           f"expected {MEASURE_COLUMNS}")
    frame = measures.reset_index(drop=True).copy()
    for column, default in (("members", None), ("segment", "all"), ("value_high", None),
                            ("derived", False),
                            ("note", None), ("quote", None)):
        if column not in frame.columns:
            frame[column] = default
    problems: list[str] = []
    for column, ok in (
            ("measure", frame["measure"].astype(str).str.match(_NAME)),
            ("period", frame["period"].astype(str).str.match(_PERIOD)),
            ("region_code", frame["region_code"].astype(str).map(_key_ok).astype(bool)),
            ("segment", frame["segment"].isin(MEASURE_SEGMENTS)),
            ("unit", frame["unit"].isin(MEASURE_UNITS)),
            ("source_id", frame["source_id"].notna() & (frame["source_id"].astype(str) != ""))):
        for i in np.flatnonzero(~ok.to_numpy())[:3]:
            problems.append(f"row {i + 1}: {column} {frame[column].iloc[i]!r} is not valid")
    for column in ("value", "value_high"):
        raw = frame[column]
        values = pd.to_numeric(raw, errors="coerce").astype(float)
        bad = values.isna() & raw.notna() & (raw.astype(str).str.strip() != "")
        if column == "value":
            bad |= values.isna()
        for i in np.flatnonzero(bad.to_numpy())[:3]:
            problems.append(f"row {i + 1}: {column} {raw.iloc[i]!r} is not a number")
        frame[column] = values
    members = frame["members"].astype(object).where(frame["members"].notna(), "")
    for i, group in enumerate(members.astype(str)):
        codes = [c for c in group.split(";") if c]
        if codes and not all(regions.is_valid_code(c) and c.startswith(
                str(frame["region_code"].iloc[i]) + ".") for c in codes):
            problems.append(f"row {i + 1}: members {group!r} are not regencies of "
                            f"{frame['region_code'].iloc[i]!r}")
    if problems:
        raise CakupanError("published measures refused, nothing written: "
                           + "; ".join(problems[:5]))
    frame["derived"] = frame["derived"].map(
        lambda v: str(v).strip().lower() in ("1", "true", "yes")).astype(bool)
    for column in ("members", "note", "quote"):
        text = frame[column].astype(object)
        frame[column] = text.where(text.notna() & (text.astype(str).str.strip() != ""), None)
    frame["period"] = frame["period"].astype(str)
    frame["region_code"] = frame["region_code"].astype(str)
    return frame[MEASURE_COLUMNS]
