"""Coverage metrics: pure functions over observation frames (no Streamlit, no database).

Every page and the ``query coverage`` command compute coverage, status, province totals, gaps,
pace and budgets here, so the numbers agree everywhere and the Sumber & Metodologi page can quote
one set of formulas.

Formulas
--------
- coverage % = registered / eligible x 100 when both counts are known; 0 when registered is 0;
  otherwise the reported percentage (e.g. "Maluku 40%"); otherwise unknown.
- status: ``unregistered`` if registered = 0 (or reported coverage = 0); ``registered`` if
  registered > 0 and (eligible unknown or coverage >= ``FULL_COVERAGE_PCT``); ``partial`` if
  registered > 0 and coverage < ``FULL_COVERAGE_PCT`` (or only a reported percentage between 0
  and ``FULL_COVERAGE_PCT``); ``no_data`` without an observation.
- province total = a published "region" row of the province for that key if there is one;
  otherwise the sum of its regencies' rows plus its "pemprov" row (Sultra October 2018 non-ASN:
  6,454 + 977 = 7,431); otherwise an illustrative province row.
- gap to target (people) = ceil(target % x eligible / 100) - registered, at least 0.
- pace (people/month) = (registered in the last month - registered 12 months earlier) / 12.
- months to target = ceil((target - registered) / pace).
- monthly additions needed = (target - registered) / months left until the deadline.
- annual budget (Rp) = gap people x premium per person per month x 12.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pandas as pd

from cakupan.core import vocabulary
from cakupan.core.months import month_index, months_between, period_at

#: Coverage at or above which a region counts as fully ``registered`` (status colours, rankings).
FULL_COVERAGE_PCT: float = 90.0

STATUSES = vocabulary.STATUSES

#: One observation per key; the store guarantees it, :func:`snapshot` re-checks it.
OBS_KEY: list[str] = ["period", "region_code", "scope", "segment", "programme"]

SNAPSHOT_COLUMNS: list[str] = [
    "region_code", "period", "segment", "programme", "registered", "eligible", "coverage_pct",
    "status", "illustrative", "sources", "aggregated",
]


# --------------------------------------------------------------------------- scalars

def _missing(value: object) -> bool:
    return value is None or bool(pd.isna(value))


def coverage(registered: float | None, eligible: float | None,
             reported_pct: float | None = None) -> float | None:
    """Coverage in percent (40.5 means 40.5%), or None when it cannot be known.

    Counts win over a reported percentage: ``registered / eligible x 100`` when both are known
    and eligible > 0. Zero registered is 0% whatever the denominator. Otherwise the reported
    percentage (articles often publish only "40%").

    >>> coverage(250, 1000), coverage(0, None), coverage(None, None, 40)
    (25.0, 0.0, 40.0)
    """
    if not _missing(registered):
        if not _missing(eligible) and eligible > 0:
            return float(registered) / float(eligible) * 100.0
        if registered == 0:
            return 0.0
    if not _missing(reported_pct):
        return float(reported_pct)
    return None


def status_of(registered: float | None, eligible: float | None,
              reported_pct: float | None = None) -> str:
    """``registered`` / ``partial`` / ``unregistered`` / ``no_data`` (rules in the module doc).

    A count with an unknown denominator (Konawe Selatan: 202 people) is ``registered``: the
    region has joined, and we cannot say it is short.

    >>> status_of(202, None), status_of(0, None), status_of(None, None, 40), status_of(None, None)
    ('registered', 'unregistered', 'partial', 'no_data')
    """
    if _missing(registered) and _missing(reported_pct):
        return "no_data"
    pct = coverage(registered, eligible, reported_pct)
    if not _missing(registered):
        if registered <= 0:
            return "unregistered"
        return "registered" if pct is None or pct >= FULL_COVERAGE_PCT else "partial"
    if reported_pct <= 0:
        return "unregistered"
    return "registered" if reported_pct >= FULL_COVERAGE_PCT else "partial"


def _effective(registered: pd.Series, eligible: pd.Series,
               reported: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised :func:`coverage` and :func:`status_of` (same rules, for whole frames)."""
    def floats(values: pd.Series) -> np.ndarray:
        return pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)

    return _effective_arrays(floats(registered), floats(eligible), floats(reported))


def _effective_arrays(reg: np.ndarray, elig: np.ndarray,
                      rep: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    has_reg = ~np.isnan(reg)
    by_counts = has_reg & (elig > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = reg / elig * 100.0
    pct = np.where(by_counts, ratio, np.where(has_reg & (reg == 0), 0.0, rep))
    status = np.select(
        [
            has_reg & (reg <= 0),
            has_reg & (np.isnan(pct) | (pct >= FULL_COVERAGE_PCT)),
            has_reg,
            ~np.isnan(rep) & (rep <= 0),
            ~np.isnan(rep) & (rep >= FULL_COVERAGE_PCT),
            ~np.isnan(rep),
        ],
        ["unregistered", "registered", "partial", "unregistered", "registered", "partial"],
        default="no_data",
    )
    return pct, status


def with_coverage(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of observation rows with ``coverage_pct_effective`` and ``status`` added.

    Needs ``registered`` and ``eligible``; ``coverage_pct`` (reported) is optional.
    """
    out = df.copy()
    reported = out["coverage_pct"] if "coverage_pct" in out else pd.Series(np.nan, index=out.index)
    pct, status = _effective(out["registered"], out["eligible"], reported)
    out["coverage_pct_effective"] = pct
    out["status"] = status
    return out


# --------------------------------------------------------------------------- aggregation

def _column(frame: pd.DataFrame, name: str, default: object) -> np.ndarray:
    if name not in frame.columns:
        return np.full(len(frame), default, dtype=object)
    if default is np.nan:
        return pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    return frame[name].to_numpy(dtype=object)


#: (period, region_code) -> (registered, eligible, reported %, illustrative, sources, aggregated)
_Totals = dict[tuple[str, str], tuple[float, float, float, bool, list[str], bool]]


def _totals(frame: pd.DataFrame) -> _Totals:
    """Figures per (period, region_code) from rows of one segment and programme.

    Province figures follow the aggregation rule of the module doc: a published province row
    beats the sum of regencies + pemprov, which beats an illustrative province row. Plain numpy
    and dicts rather than groupby: the map calls this on every month change, and on a few
    hundred rows pandas' per-call overhead would be most of the time.
    """
    period = _column(frame, "period", "")
    code = _column(frame, "region_code", "")
    scope = _column(frame, "scope", "region")
    reg = _column(frame, "registered", np.nan)
    elig = _column(frame, "eligible", np.nan)
    pct = _column(frame, "coverage_pct", np.nan)
    illus = np.asarray(_column(frame, "illustrative", False), dtype=bool)
    src = _column(frame, "source_id", "")

    # One row per key, published first (a safety net: the store already guarantees it).
    seen: set[tuple[str, str, str]] = set()
    direct: _Totals = {}
    sums: dict[tuple[str, str], list] = {}
    for i in np.argsort(illus, kind="stable"):
        key = (period[i], code[i], scope[i])
        if key in seen:
            continue
        seen.add(key)
        is_province = len(code[i]) <= 2
        if scope[i] == "region":
            direct[(period[i], code[i])] = (reg[i], elig[i], pct[i], bool(illus[i]), [src[i]],
                                            False)
        # a village's or district's row (PP.RR.KK[.DDDD]) is already inside its regency's
        # figure: summing it into the province would count those people twice
        below_regency = code[i].count(".") >= 2
        if ((scope[i] == "pemprov" or not is_province) and not below_regency
                and not np.isnan(reg[i])):
            acc = sums.setdefault((period[i], code[i][:2]), [0.0, 0.0, True, False, set()])
            acc[0] += reg[i]
            if np.isnan(elig[i]):
                acc[2] = False  # one unknown denominator makes the sum's denominator unknown
            else:
                acc[1] += elig[i]
            acc[3] = acc[3] or bool(illus[i])
            acc[4].add(src[i])

    out = dict(direct)
    for key, (r, e, e_known, il, sources) in sums.items():
        current = direct.get(key)
        if current is None or current[3]:  # no province row, or only an illustrative one
            out[key] = (r, e if e_known else np.nan, np.nan, il, sorted(sources), True)
    return out


def _frame_of(keys: list[tuple[str, str]], totals: _Totals, segment: str,
              programme: str) -> pd.DataFrame:
    """Rows for ``keys`` (no_data where absent), typed, with effective coverage and status."""
    empty = (np.nan, np.nan, np.nan, False, [], False)
    values = [totals.get(k, empty) for k in keys]
    reg = np.array([v[0] for v in values], dtype=float)
    elig = np.array([v[1] for v in values], dtype=float)
    reported = np.array([v[2] for v in values], dtype=float)
    pct, status = _effective_arrays(reg, elig, reported)
    return pd.DataFrame({
        "region_code": [k[1] for k in keys],
        "period": [k[0] for k in keys],
        "segment": segment,
        "programme": programme,
        "registered": pd.array(np.round(reg), dtype="Float64").astype("Int64"),
        "eligible": pd.array(np.round(elig), dtype="Float64").astype("Int64"),
        "coverage_pct": pct,
        "status": status,
        "illustrative": np.array([v[3] for v in values], dtype=bool) & (status != "no_data"),
        "sources": [list(v[4]) for v in values],
        "aggregated": np.array([v[5] for v in values], dtype=bool),
    }, columns=SNAPSHOT_COLUMNS)


def _select(obs: pd.DataFrame, segment: str, programme: str,
            period: str | None = None) -> pd.DataFrame:
    mask = (obs["segment"] == segment).to_numpy() & (obs["programme"] == programme).to_numpy()
    if period is not None:
        mask &= (obs["period"] == period).to_numpy()
    return obs[mask]


def snapshot(obs: pd.DataFrame, *, period: str, segment: str, programme: str = "any",
             codes: Iterable[str]) -> pd.DataFrame:
    """One row per requested code (regency ``PP.RR`` or province ``PP``) for one month.

    Parameters
    ----------
    obs
        Observation rows (shared schema), usually ``store.current_observations``; may hold
        other periods, segments and programmes, which are ignored.
    codes
        The codes to report, in the order wanted; codes without data get ``status="no_data"``.

    Returns
    -------
    DataFrame
        ``SNAPSHOT_COLUMNS``: registered/eligible (nullable Int64), ``coverage_pct`` (float,
        effective: from counts, else reported), status, illustrative, sources (list of source ids
        behind the figure), aggregated (True when a province figure is a sum of its regencies).
    """
    totals = _totals(_select(obs, segment, programme, period))
    return _frame_of([(period, c) for c in codes], totals, segment, programme)


def series(obs: pd.DataFrame, *, code: str, segment: str, programme: str = "any") -> pd.DataFrame:
    """Monthly figures of one region, oldest first; a province is aggregated as in :func:`snapshot`.

    Only months with data appear (a gap stays a gap rather than a made-up zero).
    """
    frame = _select(obs, segment, programme)
    region = frame["region_code"]
    if len(code) <= 2:
        frame = frame[((region == code) | region.str.startswith(code + ".")).to_numpy()]
    else:
        frame = frame[(region == code).to_numpy()]
    totals = _totals(frame)
    keys = sorted(k for k in totals if k[1] == code)
    return _frame_of(keys, totals, segment, programme)


# --------------------------------------------------------------------------- targets and pace

def gap_to_target(registered: int | None, eligible: int | None, target_pct: float) -> int | None:
    """People still to register to reach ``target_pct`` of ``eligible``; None if either is unknown.

    gap = ceil(target_pct x eligible / 100) - registered, never below 0.

    >>> gap_to_target(400, 1000, 55)
    150
    """
    if _missing(registered) or _missing(eligible):
        return None
    # round() first so 55% of 1,000 is 550, not ceil(550.0000000001) = 551.
    needed = math.ceil(round(float(target_pct) * float(eligible) / 100.0, 6))
    return max(0, needed - int(registered))


def _observed(series_df: pd.DataFrame) -> pd.DataFrame:
    frame = series_df[series_df["registered"].notna().to_numpy()].sort_values("period")
    return frame.assign(_m=[month_index(p) for p in frame["period"]])


def pace_last_12m(series_df: pd.DataFrame) -> float | None:
    """People added per month over the last 12 months of a series (may be negative).

    pace = (registered in the last month - registered 12 months earlier) / 12. When that month
    is missing, the earliest month inside the 12-month window is used, divided by its true
    distance. None when fewer than two months fall in the window: the pace is unknown.
    """
    frame = _observed(series_df)
    if len(frame) < 2:
        return None
    last_m = int(frame["_m"].iloc[-1])
    window = frame[frame["_m"] >= last_m - 12]
    if len(window) < 2:
        return None
    first = window.iloc[0]
    months = last_m - int(first["_m"])
    return (float(frame["registered"].iloc[-1]) - float(first["registered"])) / months


def months_to_target(series_df: pd.DataFrame, target_registered: int) -> int | None:
    """Months until ``target_registered`` at the last 12 months' pace.

    0 when the last figure already meets the target; None when the pace is zero, negative or
    unknown (the target would never be reached at that pace).
    """
    frame = _observed(series_df)
    if frame.empty:
        return None
    last = float(frame["registered"].iloc[-1])
    if last >= target_registered:
        return 0
    pace = pace_last_12m(series_df)
    if pace is None or pace <= 0:
        return None
    return math.ceil((target_registered - last) / pace)


def monthly_needed(registered: int, target_registered: int, period: str,
                   deadline: str) -> float | None:
    """People to add each month after ``period`` to reach the target by the end of ``deadline``.

    needed = (target - registered) / months from ``period`` to ``deadline``; 0 when the target is
    met; None when the deadline is not after ``period`` and a gap remains (no month left).

    >>> monthly_needed(400, 550, "2024-06", "2024-12")
    25.0
    """
    gap = target_registered - registered
    if gap <= 0:
        return 0.0
    months = months_between(period, deadline)
    if months <= 0:
        return None
    return gap / months


def annual_budget(gap_people: int | None, rupiah_per_person_month: int) -> int | None:
    """Rupiah per year to cover ``gap_people``: people x premium per person per month x 12.

    >>> annual_budget(1000, 16_800)
    201600000
    """
    if _missing(gap_people):
        return None
    return max(0, int(gap_people)) * int(rupiah_per_person_month) * 12


def project(series_df: pd.DataFrame, until: str) -> pd.DataFrame:
    """Straight-line projection at the last 12 months' pace, from the last observed month.

    Returns ``period, registered, projected``: the first row is the last observed month
    (``projected=False``) so a chart line starts where the data ends. Projected counts stay
    between 0 and the last known eligible. Empty when the pace is unknown.
    """
    columns = ["period", "registered", "projected"]
    frame = _observed(series_df)
    pace = pace_last_12m(series_df)
    if frame.empty or pace is None:
        return pd.DataFrame({c: [] for c in columns}).astype(
            {"period": str, "registered": "Int64", "projected": bool})
    last = frame.iloc[-1]
    start = int(last["_m"])
    steps = np.arange(0, max(0, month_index(until) - start) + 1)
    values = float(last["registered"]) + pace * steps
    eligible = frame["eligible"].dropna() if "eligible" in frame else pd.Series(dtype=float)
    upper = float(eligible.iloc[-1]) if len(eligible) else np.inf
    values = np.clip(np.round(values), 0, upper)
    return pd.DataFrame({
        "period": [period_at(start + int(k)) for k in steps],
        "registered": pd.array(values.astype("int64"), dtype="Int64"),
        "projected": steps > 0,
    })


def target_path(baseline_period: str, baseline_pct: float, target_pct: float,
                deadline: str) -> pd.DataFrame:
    """Monthly straight line from the baseline coverage to the target at the deadline.

    Returns ``period, target_pct``; a single row at the deadline when it is not after the baseline.

    >>> target_path("2024-06", 40, 55, "2024-12")["target_pct"].tolist()
    [40.0, 42.5, 45.0, 47.5, 50.0, 52.5, 55.0]
    """
    months = months_between(baseline_period, deadline)
    if months <= 0:
        return pd.DataFrame({"period": [deadline], "target_pct": [float(target_pct)]})
    steps = np.arange(months + 1)
    pct = baseline_pct + (target_pct - baseline_pct) * steps / months
    start = month_index(baseline_period)
    return pd.DataFrame({"period": [period_at(start + int(k)) for k in steps],
                         "target_pct": pct.astype(float)})


def ranking(snapshot_df: pd.DataFrame, n: int = 10, ascending: bool = True) -> pd.DataFrame:
    """The ``n`` regions furthest behind (``ascending``) or ahead by coverage %.

    Unregistered regions count as 0% even when their denominator is unknown; regions whose
    coverage cannot be known (no data, or a count without a denominator) are left out rather
    than guessed. Ties go to the larger registered count when ranking ahead, then by code.
    """
    frame = snapshot_df.copy()
    key = frame["coverage_pct"].astype(float)
    key = key.where(key.notna() | (frame["status"] != "unregistered"), 0.0)
    frame = frame.assign(_key=key)[key.notna().to_numpy()]
    frame = frame.assign(_reg=frame["registered"].astype("Float64").fillna(0))
    frame = frame.sort_values(["_key", "_reg", "region_code"],
                              ascending=[ascending, ascending, True], kind="stable")
    return frame.head(n).drop(columns=["_key", "_reg"]).reset_index(drop=True)

