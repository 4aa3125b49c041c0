"""Tren & Target pieces: regions to compare, the target that applies, the outlook figures
and the Inpres reference lines. Streamlit-only."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cakupan.analysis.targets import pick_target
from cakupan.core.policy import inpres4_quota
from cakupan.present import fmt
from ui import context
from ui.context import PageContext


def _codes_rule(value: str) -> str | None:
    from cakupan import regions

    codes = [c.strip() for c in value.split(",") if c.strip()]
    if not codes or len(codes) > 4 or not all(regions.is_valid_code(c) for c in codes):
        return None
    return ",".join(codes)


#: Page parameter ``compare``: up to four region codes, comma-separated.
COMPARE_RULE = {"compare": _codes_rule}


def compare_picker(ctx: PageContext, region: str) -> list[str]:
    """Up to four other regions of the same province to draw beside ``region``."""
    from cakupan import regions
    from cakupan.present.state import widget_key

    regs = regions.regencies(region[:2])
    options = [c for c in regs["code"] if c != region]
    names = dict(zip(regs["code"], regs["name"], strict=True))
    key = widget_key("compare")
    wanted = [c for c in (ctx.state.extra("compare") or "").split(",") if c in options]
    if ctx.reseeded or key not in st.session_state:
        st.session_state[key] = wanted
    chosen = st.multiselect(ctx.t("control.compare"), options, key=key, max_selections=4,
                            format_func=lambda c: names.get(c, c))
    context.set_extra(ctx, "compare", ",".join(chosen))
    return list(chosen)


def target_for(ctx: PageContext, region: str) -> dict | None:
    """The target that applies to the region (a regency falls back to its province's)."""
    period = ctx.period or (ctx.periods[-1] if ctx.periods else "9999-12")
    all_targets = context.targets()
    for code in dict.fromkeys([region, region[:2]]):
        found = pick_target(all_targets, code, ctx.state.segment, period)
        if found:
            return found
    return None


def outlook_metrics(ctx: PageContext, view) -> None:
    """Target, current pace, needed pace and the month the target is reached."""
    lang = ctx.lang
    cols = st.columns(4)
    if view.target_pct is None and view.target_people is None:
        cols[0].metric(ctx.t("measure.target"), fmt.MISSING)
        return
    deadline = fmt.month(view.deadline, lang, "long") if view.deadline else fmt.MISSING
    goal = (fmt.pct(view.target_pct, lang, 0) if view.target_pct is not None
            else fmt.people(view.target_people, lang))
    cols[0].metric(ctx.t("measure.target"), goal,
                   help=ctx.t("measure.deadline") + ": " + deadline)

    def pace_text(value: float | None) -> str:
        if value is None:
            return fmt.MISSING
        if view.pace_unit == "people":
            return ctx.t("unit.per_month", value=fmt.people(round(value), lang))
        return ctx.t("unit.per_month", value=fmt.points(value, lang))

    cols[1].metric(ctx.t("measure.pace_current"), pace_text(view.pace))
    cols[2].metric(ctx.t("measure.pace_needed"), pace_text(view.pace_needed),
                   help=ctx.t("def.pace_needed"))
    cols[3].metric(ctx.t("measure.target_reached"),
                   fmt.month(view.reach, lang, "long") if view.reach else fmt.MISSING,
                   help=ctx.t("def.projection"))
    if view.reach and view.deadline and view.reach > view.deadline:
        st.warning(ctx.t("msg.target_not_reached", deadline=deadline), icon=":material/schedule:")
    elif view.reach == view.last_period:
        st.success(ctx.t("msg.target_met"), icon=":material/check_circle:")
    elif view.reach:
        st.info(ctx.t("msg.target_projected", month=fmt.month(view.reach, lang, "long")),
                icon=":material/trending_up:")


def chart_summary(ctx: PageContext, series: pd.DataFrame, measure: str, view) -> str:
    """The chart's text alternative: the region's latest figure and month, and the target.

    Drawn right under the chart: what a screen reader reads for it, and what anyone reads
    whom the lines do not reach.
    """
    from ui.render import md_escape

    lang = ctx.lang
    shown = series[series[measure].notna()]
    if shown.empty:
        value, month = fmt.MISSING, fmt.MISSING
    else:
        last = shown.iloc[-1]
        value = (fmt.pct(float(last[measure]), lang) if measure == "coverage_pct"
                 else fmt.people(int(last[measure]), lang))
        month = fmt.month(str(last["period"]), lang, "long")
    label = ctx.t("measure.coverage" if measure == "coverage_pct" else "measure.registered")
    text = ctx.t("chart.trend.alt", region=md_escape(ctx.region_name), measure=label,
                 value=value, month=month)
    goal = (fmt.pct(view.target_pct, lang, 0) if view.target_pct is not None
            else fmt.people(view.target_people, lang) if view.target_people is not None
            else None)
    if goal is not None:
        deadline = fmt.month(view.deadline, lang, "long") if view.deadline else fmt.MISSING
        text += " · " + ctx.t("chart.trend.alt_target", target=goal, deadline=deadline)
    return text


def inpres_lines(ctx: PageContext, region: str, measure: str) -> list[tuple[str, float]]:
    """Reference lines of the instructions that apply to the segment (Inpres 2/2021, 4/2022)."""
    from cakupan import regions

    if ctx.state.segment == "non_asn" and measure == "coverage_pct":
        return [(ctx.t("target.inpres2"), 100.0)]
    if ctx.state.segment == "pekerja_rentan" and measure == "registered":
        quota = inpres4_quota(regions.get(region).desa)  # 100 per desa
        return [(ctx.t("target.inpres4"), float(quota))]
    return []


def series_table(ctx: PageContext, series: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Long table of the series shown, with localised headers and provenance in words."""
    from cakupan.core.i18n import status_label

    rows = []
    for name, frame in series.items():
        for rec in frame.itertuples(index=False):
            rows.append({
                ctx.t("col.region"): name,
                ctx.t("col.period"): rec.period,
                ctx.t("col.registered"): rec.registered,
                ctx.t("col.eligible"): rec.eligible,
                ctx.t("col.coverage"): (round(float(rec.coverage_pct), 1)
                                        if pd.notna(rec.coverage_pct) else None),
                ctx.t("col.status"): status_label(rec.status, ctx.lang),
                ctx.t("col.provenance"): ctx.t("provenance.illustrative" if rec.illustrative
                                               else "provenance.published"),
            })
    return pd.DataFrame(rows)
