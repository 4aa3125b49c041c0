"""The store's own guard: every frame is checked before it is written, so no caller (the
importer, the seed, a script) can ever store a figure the app cannot show.

The importer reports row-level errors to people before it gets here; these checks raise one
:class:`CakupanError` naming the first offending rows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from cakupan import regions
from cakupan.core.errors import CakupanError
from cakupan.store.columns import (
    OBS_COLUMNS,
    OBS_KEY,
    PROGRAMMES,
    RATE_COLUMNS,
    SCOPES,
    SEGMENTS,
    SOURCE_COLUMNS,
    SOURCE_KINDS,
    TARGET_COLUMNS,
)

_PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _fail(problems: list[str], what: str) -> None:
    if problems:
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise CakupanError(f"{what} refused, nothing written: " + "; ".join(problems[:5]) + more)


def _numeric(frame: pd.DataFrame, column: str, problems: list[str], *, integer: bool,
             low: float | None = 0, high: float | None = None) -> pd.Series:
    raw = frame[column]
    values = pd.to_numeric(raw, errors="coerce").astype(float)
    bad = values.isna() & raw.notna() & (raw.astype(str).str.strip() != "")
    if integer:
        bad |= values.notna() & (values != np.round(values))
    if low is not None:
        bad |= values < low
    if high is not None:
        bad |= values > high
    for i in np.flatnonzero(bad.to_numpy())[:3]:
        problems.append(f"row {i + 1}: {column} {raw.iloc[i]!r} is not a "
                        + ("whole number" if integer else "number")
                        + (f" >= {low:g}" if low is not None else "")
                        + (f" and <= {high:g}" if high is not None else ""))
    return values


def _text(series: pd.Series) -> pd.Series:
    """Strings with missing values as None (never the text 'nan')."""
    out = series.astype(object)
    return out.where(series.notna() & (series.astype(str).str.strip() != ""), None)


def _check_vocab(frame: pd.DataFrame, column: str, allowed: Sequence[str],
                 problems: list[str]) -> None:
    bad = ~frame[column].isin(allowed)
    for i in np.flatnonzero(bad.to_numpy())[:3]:
        problems.append(f"row {i + 1}: {column} {frame[column].iloc[i]!r} not in "
                        f"{list(allowed)}")


def _check_periods(frame: pd.DataFrame, column: str, problems: list[str],
                   *, nullable: bool = False) -> None:
    values = frame[column]
    ok = values.astype(str).str.match(_PERIOD)
    if nullable:
        ok |= values.isna()
    for i in np.flatnonzero(~ok.to_numpy())[:3]:
        problems.append(f"row {i + 1}: {column} {values.iloc[i]!r} is not YYYY-MM")


def _check_codes(frame: pd.DataFrame, problems: list[str]) -> None:
    codes = frame["region_code"].astype(str)
    # an old extent (``91~pra2022``) is a region key of its own: a figure for Papua before
    # the 2022 splits is stored against the extent it covers, never under a current code
    valid = {c: regions.is_valid_code(c) or regions.is_old_extent(c) for c in codes.unique()}
    # village (PP.RR.KK.DDDD) and district (PP.RR.KK) codes are checked against the village
    # reference, read only when such a code is present (most writes hold none)
    deeper = [c for c, ok in valid.items() if not ok and c.count(".") in (2, 3)]
    if deeper:
        from cakupan.regions import villages  # read only when needed (0.5 s)

        for c in deeper:
            valid[c] = villages.is_village_code(c) or villages.is_district_code(c)
    bad = ~codes.map(valid).astype(bool)
    for i in np.flatnonzero(bad.to_numpy())[:3]:
        problems.append(f"row {i + 1}: region_code {codes.iloc[i]!r} is not a Kemendagri code "
                        "such as '74', '74.05', '74.05.01' (district) or '74.05.01.2001' "
                        "(village), nor an old extent such as '91~pra2022'")


def prepare_observations(observations: pd.DataFrame, *, illustrative: bool = False,
                         source_id: str | None = None) -> pd.DataFrame:
    """Check an observation frame and return it with every column of :data:`OBS_COLUMNS`.

    Defaults: ``scope`` "region", ``programme`` "any", ``illustrative`` as given, missing
    ``source_id`` = ``source_id``. The importer reports row-level errors to people before it
    gets here; this is the store's own guard, so a caller can never write a figure the app
    cannot show.

    Raises
    ------
    CakupanError
        Naming the missing columns or the first offending rows (1-based, in frame order).
    """
    required = ["period", "region_code", "segment"]
    missing = [c for c in required if c not in observations.columns]
    if missing:
        raise CakupanError(f"observations lack columns {missing}; expected {required} and "
                           f"optionally {[c for c in OBS_COLUMNS if c not in required]}")
    frame = observations.reset_index(drop=True).copy()
    defaults: dict[str, Any] = {"scope": "region", "programme": "any", "registered": None,
                                "eligible": None, "coverage_pct": None, "note": None,
                                "quote": None, "illustrative": illustrative,
                                "source_id": source_id}
    for column, value in defaults.items():
        if column not in frame.columns:
            frame[column] = value
    for column in ("period", "region_code", "scope", "segment", "programme"):
        frame[column] = frame[column].astype(str).str.strip()
    frame["source_id"] = _text(frame["source_id"]).fillna(source_id) if source_id else _text(
        frame["source_id"])

    problems: list[str] = []
    _check_periods(frame, "period", problems)
    _check_codes(frame, problems)
    _check_vocab(frame, "scope", SCOPES, problems)
    _check_vocab(frame, "segment", SEGMENTS, problems)
    _check_vocab(frame, "programme", PROGRAMMES, problems)
    pemprov_not_province = (frame["scope"] == "pemprov") & (frame["region_code"].str.len() != 2)
    for i in np.flatnonzero(pemprov_not_province.to_numpy())[:3]:
        problems.append(f"row {i + 1}: scope 'pemprov' needs a province code, got "
                        f"{frame['region_code'].iloc[i]!r}")
    frame["registered"] = _numeric(frame, "registered", problems, integer=True)
    frame["eligible"] = _numeric(frame, "eligible", problems, integer=True)
    frame["coverage_pct"] = _numeric(frame, "coverage_pct", problems, integer=False, high=100)
    no_source = frame["source_id"].isna()
    if no_source.any():
        problems.append(f"{int(no_source.sum())} rows have no source_id")
    dupes = frame.duplicated(OBS_KEY, keep=False)
    if dupes.any():
        first = frame.loc[dupes, OBS_KEY].iloc[0].to_dict()
        problems.append(f"{int(dupes.sum())} rows repeat a key {OBS_KEY}, e.g. {first}")
    _fail(problems, "observations")
    frame["illustrative"] = frame["illustrative"].astype(bool)
    frame["note"] = _text(frame["note"])
    frame["quote"] = _text(frame["quote"])
    return frame[[c for c in OBS_COLUMNS if c != "batch_id"]]


def prepare_targets(targets: pd.DataFrame, illustrative: bool) -> pd.DataFrame:
    required = ["id", "region_code", "segment", "basis", "source_id"]
    missing = [c for c in required if c not in targets.columns]
    if missing:
        raise CakupanError(f"targets lack columns {missing}; expected {TARGET_COLUMNS}")
    frame = targets.reset_index(drop=True).copy()
    for column, value in {"programme": "any", "target_pct": None, "target_count": None,
                          "deadline": None, "baseline_period": None, "note": None,
                          "quote": None, "illustrative": illustrative}.items():
        if column not in frame.columns:
            frame[column] = value
    problems: list[str] = []
    _check_codes(frame, problems)
    _check_vocab(frame, "segment", SEGMENTS, problems)
    _check_vocab(frame, "programme", PROGRAMMES, problems)
    frame["deadline"] = _text(frame["deadline"])
    frame["baseline_period"] = _text(frame["baseline_period"])
    _check_periods(frame, "deadline", problems, nullable=True)
    _check_periods(frame, "baseline_period", problems, nullable=True)
    frame["target_pct"] = _numeric(frame, "target_pct", problems, integer=False, high=100)
    frame["target_count"] = _numeric(frame, "target_count", problems, integer=True)
    neither = frame["target_pct"].isna() & frame["target_count"].isna()
    for i in np.flatnonzero(neither.to_numpy())[:3]:
        problems.append(f"target row {i + 1}: needs target_pct or target_count")
    if frame["id"].duplicated().any():
        problems.append("target ids repeat within the batch")
    _fail(problems, "targets")
    frame["illustrative"] = frame["illustrative"].astype(bool)
    for column in ("note", "quote"):
        frame[column] = _text(frame[column])
    return frame[TARGET_COLUMNS]


def prepare_rates(rates: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in RATE_COLUMNS[:5] if c not in rates.columns]
    if missing:
        raise CakupanError(f"premium rates lack columns {missing}; expected {RATE_COLUMNS}")
    frame = rates.reset_index(drop=True).copy()
    for column in ("note", "quote"):
        frame[column] = _text(frame[column]) if column in frame.columns else None
    problems: list[str] = []
    _check_periods(frame, "valid_from", problems)
    frame["rupiah_per_person_month"] = _numeric(frame, "rupiah_per_person_month", problems,
                                                integer=True, low=1)
    _fail(problems, "premium rates")
    return frame[RATE_COLUMNS]


def prepare_sources(source: dict | Sequence[dict] | pd.DataFrame | None) -> list[dict]:
    if source is None:
        return []
    if isinstance(source, pd.DataFrame):
        rows = source.to_dict("records")
    elif isinstance(source, dict):
        rows = [source]
    else:
        rows = list(source)
    out = []
    for row in rows:
        if not row.get("id") or row.get("kind") not in SOURCE_KINDS:
            raise CakupanError(f"a source needs an id and a kind in {list(SOURCE_KINDS)}; "
                               f"got id={row.get('id')!r} kind={row.get('kind')!r}")
        out.append({c: _none_if_blank(row.get(c)) for c in SOURCE_COLUMNS})
    return out


def _none_if_blank(value: Any) -> Any:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, str) and not value.strip():
        return None
    return value
