"""Where a series is heading against its target: the numbers behind the Tren & Target page.

Pure functions over :func:`cakupan.analysis.metrics.series` frames. Percentages are projected
through the counts when both counts exist (the pace is in people per month, which is what a branch
plans with); a series that only has reported percentages is projected in points per month.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from cakupan.analysis import metrics
from cakupan.core.months import month_index, period_at


@dataclass(frozen=True)
class Outlook:
    """The target, the path to it, the projection at the current pace, and what is needed."""

    deadline: str | None
    target_pct: float | None
    target_people: int | None
    path: pd.DataFrame | None  # period, target_pct
    projection: pd.DataFrame | None  # period, coverage_pct (first row = last observed)
    pace: float | None  # per month, in ``pace_unit``
    pace_needed: float | None
    pace_unit: str  # "people" or "points"
    reach: str | None  # the month the target is reached at the current pace
    last_period: str | None


def _observed(series: pd.DataFrame) -> pd.DataFrame:
    return series[series["coverage_pct"].notna()] if len(series) else series


def outlook(series: pd.DataFrame, target: dict[str, Any] | None) -> Outlook:
    """Project ``series`` to the target's deadline and say what it takes.

    With counts: pace = people per month over the last 12 months (metrics.pace_last_12m),
    needed = (target% x eligible - registered) / months left. Without counts the same
    arithmetic runs on the percentage itself (points per month).
    """
    obs = _observed(series)
    deadline = str(target["deadline"]) if target and target.get("deadline") else None
    target_pct = (float(target["target_pct"]) if target and target.get("target_pct") is not None
                  and not pd.isna(target.get("target_pct")) else None)
    empty = Outlook(deadline, target_pct, None, None, None, None, None, "people", None, None)
    if obs.empty:
        return empty
    last = obs.iloc[-1]
    last_period = str(last["period"])
    counts = obs[obs["registered"].notna() & obs["eligible"].notna()]
    use_counts = len(counts) == len(obs) and len(obs) > 0
    if use_counts:
        frame = obs.assign(registered=obs["registered"].astype(float),
                           eligible=obs["eligible"].astype(float))
        unit = "people"
    else:  # percentages only: treat points as the "count" out of 100
        frame = obs.assign(registered=obs["coverage_pct"].astype(float), eligible=100.0)
        unit = "points"
    pace = metrics.pace_last_12m(frame)
    eligible_last = float(frame["eligible"].iloc[-1])
    registered_last = float(frame["registered"].iloc[-1])

    path = projection = None
    target_people = needed = None
    reach = None
    goal: float | None = None
    count = target.get("target_count") if target else None
    if target_pct is not None:
        goal = round(target_pct * eligible_last / 100, 6)  # no 55.00000000000001 people
        target_people = math.ceil(goal) if unit == "people" else None
    elif count is not None and not pd.isna(count) and unit == "people":
        # A count target (Inpres 4/2022: 100 pekerja rentan per desa): plan in people.
        goal = float(count)
        target_people = int(count)
    if goal is not None:
        if deadline and target_pct is not None:
            base = str(target.get("baseline_period") or obs["period"].iloc[0])
            base_rows = obs[obs["period"] == base]
            base_pct = float((base_rows if len(base_rows) else obs.tail(1))["coverage_pct"].iloc[0])
            path = metrics.target_path(base, base_pct, target_pct, deadline)
            proj = metrics.project(frame, max(deadline, last_period))
            if len(proj) > 1:
                projection = pd.DataFrame({
                    "period": proj["period"],
                    "coverage_pct": proj["registered"].astype(float) / eligible_last * 100})
        if deadline:
            needed = metrics.monthly_needed(registered_last, goal, last_period, deadline)
        months = metrics.months_to_target(frame, goal)
        if months is not None:
            reach = period_at(month_index(last_period) + months)
    return Outlook(deadline, target_pct, target_people, path, projection, pace, needed, unit,
                   reach, last_period)
