"""How far each region is ahead of or behind the straight path to a named target.

The map metric "Selisih dari jalur target" (``metric=gap&target=<id>``) colours every region
by the points between its coverage in the month shown and where a straight line from its
*base figure* to the target would have it that month. Pure functions over frames (no
Streamlit, no store), so the rules below are tested without a database:

* **Base figure**: the region's figure at the target's ``baseline_period``; when it has
  none there, its first figure in the target's year (the deadline's year). Without either
  the region has no path (no category).
* **Series**: a target belongs to a series, the rows that share its ``basis``, ``segment``
  and ``deadline`` (e.g. "Target BPJAMSOSTEK Maluku 2024" for a province and any of its
  regencies). A region follows its own row of the series; a regency without one follows its
  province's row (``inherited="province"``), and any region without either follows the
  series' national row (``inherited="national"``). The map's legend and tooltips say so.
* **Bins** (behind = path - coverage, in points): ``on_track`` (behind <= 0), ``behind_lt5``
  (0 < behind < 5), ``behind_5_10`` (5 <= behind <= 10), ``behind_gt10`` (behind > 10).
* **Needed**: points per month from the month shown to reach the target at its deadline,
  ``(target - coverage) / months left``; 0 once met, ``None`` when no month is left.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from cakupan.analysis import metrics
from cakupan.analysis.targets import first_row, is_na
from cakupan.core.months import month_index, months_between

#: Gap categories in legend order (best first), then "no path".
GAP_CATEGORIES: tuple[str, ...] = ("on_track", "behind_lt5", "behind_5_10", "behind_gt10")
NO_PATH = "no_data"
#: Edges of the bins in points behind the path (see the module docstring for the boundaries).
GAP_EDGES: tuple[float, float, float] = (0.0, 5.0, 10.0)
#: Region codes a national target may carry (CONTRACTS: no ``region`` means Indonesia).
NATIONAL_CODES: frozenset[str] = frozenset({"", "00", "ID", "IDN"})
#: Gaps are rounded to this many decimals before binning, so 55 - 50 is exactly 5 behind.
_DIGITS = 6

GAP_COLUMNS: list[str] = [
    "code", "coverage_pct", "base_period", "base_pct", "path_pct", "gap_pts", "needed_pts",
    "months_left", "category", "target_id", "target_pct", "deadline", "inherited",
]


def gap_category(gap_pts: float | None) -> str:
    """The bin of a gap (coverage - path, in points; negative = behind).

    >>> [gap_category(g) for g in (0.0, -4.99, -5.0, -10.0, -10.01, None)]
    ['on_track', 'behind_lt5', 'behind_5_10', 'behind_5_10', 'behind_gt10', 'no_data']
    """
    if gap_pts is None or is_na(gap_pts):
        return NO_PATH
    behind = round(-float(gap_pts), _DIGITS)
    if behind <= GAP_EDGES[0]:
        return "on_track"
    if behind < GAP_EDGES[1]:
        return "behind_lt5"
    if behind <= GAP_EDGES[2]:
        return "behind_5_10"
    return "behind_gt10"


def is_path_target(row: dict[str, Any] | pd.Series) -> bool:
    """A target a path can be drawn to: a percentage with a deadline."""
    return not is_na(row.get("target_pct")) and bool(str(row.get("deadline") or "").strip()) \
        and not is_na(row.get("deadline"))


def _codes(frame: pd.DataFrame) -> pd.Series:
    return frame["region_code"].fillna("").astype(str)


def view_targets(targets: pd.DataFrame, view: str, segment: str) -> pd.DataFrame:
    """The path targets a map of ``view`` (``"national"`` or a province code) can switch
    between for ``segment``: national rows, the province's rows and its regencies' (every
    province's on the national map), nearest deadline first, then by id. Whatever a data
    file adds (RPJMN, RKP, an RPJMD) is listed without code changes."""
    if targets is None or targets.empty:
        return pd.DataFrame(columns=getattr(targets, "columns", []))
    rows = targets[(targets["segment"] == segment)
                   & (targets.get("programme", "any") == "any")]
    keep = pd.Series([is_path_target(r) for r in rows.to_dict("records")], index=rows.index,
                     dtype=bool)
    rows = rows[keep]
    codes = _codes(rows)
    if view != "national":
        keep = codes.isin(NATIONAL_CODES) | (codes == view) | codes.str.startswith(view + ".")
        rows = rows[keep.to_numpy()]
    return rows.assign(_d=rows["deadline"].astype(str)).sort_values(
        ["_d", "id"]).drop(columns="_d").reset_index(drop=True)


def series_of(targets: pd.DataFrame, target_id: str) -> pd.DataFrame:
    """Every row of the chosen target's series (same basis, segment and deadline), one per
    region: the chosen row for its own region (a source may state two targets for one
    deadline, e.g. Maluku's 63.88 % and "target akhir" 72.74 % for 2025), the first by id
    for any other region."""
    chosen = targets[targets["id"] == target_id]
    if chosen.empty:
        return chosen
    row = chosen.iloc[0]
    same = ((targets["basis"].fillna("") == (row["basis"] if not is_na(row["basis"]) else ""))
            & (targets["segment"] == row["segment"])
            & (targets["deadline"].fillna("").astype(str) == str(row["deadline"])))
    rows = targets[same.to_numpy()]
    rows = rows.assign(_first=(rows["id"] != target_id), _code=_codes(rows)).sort_values(
        ["_first", "id"])
    return rows.drop_duplicates("_code").drop(columns=["_first", "_code"])


def target_for(series: pd.DataFrame, code: str) -> tuple[dict[str, Any] | None, str | None]:
    """The series' row that applies to ``code`` and how: ``"own"``, ``"province"`` (a regency
    following its province) or ``"national"``; ``(None, None)`` when none applies."""
    if series is None or series.empty:
        return None, None
    codes = _codes(series)
    own = series[(codes == code).to_numpy()]
    if len(own):
        return first_row(own), "own"
    if len(code) > 2:
        prov = series[(codes == code[:2]).to_numpy()]
        if len(prov):
            return first_row(prov), "province"
    national = series[codes.isin(NATIONAL_CODES).to_numpy()]
    if len(national):
        return first_row(national), "national"
    return None, None


def path_value(base_period: str, base_pct: float, target_pct: float, deadline: str,
               period: str) -> float | None:
    """Where the straight path from the base to the target stands in ``period``: ``None``
    before the base month, the target itself from the deadline on.

    >>> path_value("2024-06", 40, 55, "2024-12", "2024-08")
    45.0
    """
    if month_index(period) < month_index(base_period):
        return None
    months = months_between(base_period, deadline)
    if months <= 0 or month_index(period) >= month_index(deadline):
        return float(target_pct)
    done = months_between(base_period, period)
    return float(base_pct) + (float(target_pct) - float(base_pct)) * done / months


def needed_per_month(coverage_pct: float, target_pct: float, period: str,
                     deadline: str) -> float | None:
    """Points to add each month from ``period`` to reach ``target_pct`` at ``deadline``.

    >>> needed_per_month(39.45, 63.88, "2024-12", "2025-12")
    2.0358333333333336
    """
    gap = float(target_pct) - float(coverage_pct)
    if round(gap, _DIGITS) <= 0:
        return 0.0
    months = months_between(period, deadline)
    return gap / months if months > 0 else None


def _known(snap: pd.DataFrame) -> dict[str, float]:
    snap = snap[snap["coverage_pct"].notna()]
    return dict(zip(snap["region_code"].astype(str), snap["coverage_pct"].astype(float),
                    strict=True))


def base_figures(obs: pd.DataFrame, codes: Sequence[str], target: dict[str, Any], *,
                 segment: str, programme: str = "any") -> dict[str, tuple[str, float]]:
    """Each code's base figure for ``target``: ``code -> (period, coverage %)``.

    The figure at the baseline period; for codes without one, the first month of the
    target's year in which they have a figure. Codes with neither are left out.
    """
    found: dict[str, tuple[str, float]] = {}
    baseline = str(target.get("baseline_period") or "")
    wanted = list(dict.fromkeys(str(c) for c in codes))
    if baseline:
        snap = metrics.snapshot(obs, period=baseline, segment=segment, programme=programme,
                                codes=wanted)
        found.update({c: (baseline, v) for c, v in _known(snap).items()})
    year = str(target["deadline"])[:4]
    months = sorted(p for p in obs["period"].astype(str).unique() if p.startswith(year))
    for period in months:
        missing = [c for c in wanted if c not in found]
        if not missing:
            break
        snap = metrics.snapshot(obs, period=period, segment=segment, programme=programme,
                                codes=missing)
        found.update({c: (period, v) for c, v in _known(snap).items()})
    return found


def gap_frame(obs: pd.DataFrame, targets: pd.DataFrame, target_id: str, *,
              codes: Iterable[str], period: str, segment: str,
              programme: str = "any") -> pd.DataFrame:
    """One row per code: its coverage in ``period``, the path, the gap, its category, the
    points needed per month and which row of the chosen target's series it follows.

    ``obs``: observation rows (``store.current_observations``) covering the base months and
    ``period``. Columns: :data:`GAP_COLUMNS`. Codes without a target, a base figure or a
    figure in ``period`` get category ``"no_data"``.
    """
    codes = [str(c) for c in codes]
    series = series_of(targets, target_id)
    applies = {c: target_for(series, c) for c in codes}
    now = _known(metrics.snapshot(obs, period=period, segment=segment, programme=programme,
                                  codes=codes))
    rows: list[dict[str, Any]] = []
    by_target: dict[str, list[str]] = {}
    for code, (row, _how) in applies.items():
        if row is not None:
            by_target.setdefault(str(row["id"]), []).append(code)
    bases: dict[str, tuple[str, float]] = {}
    for members in by_target.values():
        row = applies[members[0]][0]
        bases.update(base_figures(obs, members, row, segment=segment, programme=programme))
    for code in codes:
        row, how = applies[code]
        out: dict[str, Any] = dict.fromkeys(GAP_COLUMNS)
        out.update(code=code, coverage_pct=now.get(code), category=NO_PATH, inherited=how)
        if row is not None:
            out.update(target_id=row["id"], target_pct=float(row["target_pct"]),
                       deadline=str(row["deadline"]))
            deadline = str(row["deadline"])
            base = bases.get(code)
            if base is not None:
                out.update(base_period=base[0], base_pct=base[1])
                path = path_value(base[0], base[1], float(row["target_pct"]), deadline, period)
                out["path_pct"] = path
                out["months_left"] = max(0, months_between(period, deadline))
                pct = now.get(code)
                if path is not None and pct is not None:
                    gap = round(pct - path, _DIGITS)
                    out.update(gap_pts=gap, category=gap_category(gap),
                               needed_pts=needed_per_month(pct, float(row["target_pct"]),
                                                           period, deadline))
        rows.append(out)
    return pd.DataFrame(rows, columns=GAP_COLUMNS)
