"""Each chart's text alternative: one sentence with its headline figures, under the chart.

A reader who cannot see the chart (a screen reader, a projector photo in a report, a slow
phone still loading plotly) gets what it shows. Pure functions over the same frames the
charts are drawn from, so the sentence and the picture cannot disagree.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from cakupan.analysis import metrics
from cakupan.core.i18n import segment_label, t
from cakupan.present import fmt


def bullet_alt(coverage_pct: float | None, target_pct: float | None, deadline: str | None,
               month: str, lang: str) -> str:
    """The coverage-against-target bullet: the figure, its month, and the target."""
    if coverage_pct is None or pd.isna(coverage_pct):
        return t("chart.bullet.alt_none", lang, month=month)
    text = t("chart.bullet.alt", lang, value=fmt.pct(coverage_pct, lang), month=month)
    if target_pct is not None and not pd.isna(target_pct):
        when = fmt.month(deadline, lang, "long") if deadline else "—"
        text += " " + t("chart.bullet.alt_target", lang, target=fmt.pct(target_pct, lang, 0),
                        deadline=when)
    return text


def ranking_alt(snapshot: pd.DataFrame, names: Mapping[str, str], *, ahead: bool,
                lang: str) -> str:
    """The ranking bars: the region at the top of the ranking and its figure."""
    top = metrics.ranking(snapshot, n=1, ascending=not ahead)
    if top.empty:
        return t("chart.ranking.alt_none", lang)
    row = top.iloc[0]
    value = row["coverage_pct"] if pd.notna(row["coverage_pct"]) else 0.0
    code = str(row["region_code"])
    return t("chart.ahead.alt" if ahead else "chart.behind.alt", lang,
             name=names.get(code, code), value=fmt.pct(float(value), lang))


def segments_alt(profile: pd.DataFrame, month: str, lang: str) -> str:
    """Coverage per segment: the lowest and the highest segment."""
    known = profile.dropna(subset=["coverage_pct"])
    if known.empty:
        return t("chart.segments.alt_none", lang, month=month)
    low = known.loc[known["coverage_pct"].astype(float).idxmin()]
    high = known.loc[known["coverage_pct"].astype(float).idxmax()]
    return t("chart.segments.alt", lang, month=month,
             low=segment_label(str(low["segment"]), lang),
             low_value=fmt.pct(float(low["coverage_pct"]), lang),
             high=segment_label(str(high["segment"]), lang),
             high_value=fmt.pct(float(high["coverage_pct"]), lang))


def history_alt(series: Mapping[str, pd.DataFrame], lang: str, limit: int = 3) -> str:
    """The history lines: each line's latest figure and its month (the first ``limit``)."""
    items = []
    for label, frame in list(series.items())[:limit]:
        known = frame.dropna(subset=["coverage_pct"]).sort_values("period")
        if known.empty:
            continue
        last = known.iloc[-1]
        items.append(f"{label} {fmt.pct(float(last['coverage_pct']), lang)} "
                     f"({fmt.month(str(last['period']), lang)})")
    if not items:
        return t("chart.history.alt_none", lang)
    return t("chart.history.alt", lang, items="; ".join(items))
