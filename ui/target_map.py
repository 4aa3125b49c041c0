"""The map by gap to a named target's path (``metric=gap&target=<id>``) and by UCJ category
(``metric=ucj_category``), and the talking points under maps and trends. Streamlit-only; the
figures and words come from :mod:`cakupan.present.gapview` and
:mod:`cakupan.present.talking_points`."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from cakupan.core.errors import GeoUnavailable
from cakupan.present import fmt
from ui import context, http_assets, map_fit
from ui.context import PageContext
from ui.render import md_escape

#: The metrics this module draws (the others are :func:`ui.map_view.status_map`'s).
METRICS: tuple[str, ...] = ("gap", "ucj_category")


def _target_rule(value: str) -> str | None:
    """Page parameter ``target``: the id of a stored target (any; the page then checks that
    it has a path for the view and falls back to the first that does)."""
    ids = set(context.targets()["id"].astype(str))
    return value if value in ids else None


#: Page parameters of the map page: ``target``.
TARGET_RULE = {"target": _target_rule}


def _citations(ctx: PageContext) -> dict[str, str]:
    from cakupan import briefing

    return {i: briefing.citation(dict(r, id=i), ctx.lang)
            for i, r in context.sources().set_index("id").iterrows()}


def choose_target(ctx: PageContext, view: str) -> tuple[PageContext, dict[str, Any] | None]:
    """The target switcher over every path target of the view (whatever targets.csv holds:
    branch, RPJMN, RKP, RPJMD), seeded from the URL's ``target``; the choice goes back into
    the URL. ``None`` when the view has no such target."""
    from cakupan.analysis import target_gap
    from cakupan.present import gapview
    from cakupan.present.state import widget_key

    options = target_gap.view_targets(context.targets(), view, ctx.state.segment)
    if options.empty:
        st.info(ctx.t("gap.none"), icon=":material/flag:")
        return ctx, None
    rows = {str(r["id"]): r for r in options.to_dict("records")}
    ids = list(rows)
    key = widget_key("target")
    wanted = ctx.state.extra("target")
    wanted = wanted if wanted in rows else ids[0]
    if ctx.reseeded or st.session_state.get(key) not in rows:
        st.session_state[key] = wanted
    chosen = st.selectbox(ctx.t("control.target"), ids, key=key,
                          format_func=lambda i: gapview.target_label(rows[i], ctx.lang))
    return context.set_extra(ctx, "target", chosen), rows[chosen]


def category_map(ctx: PageContext, view: str, codes: list[str], snap: pd.DataFrame, *,
                 height: int = 620, key: str = "explorer"
                 ) -> tuple[PageContext, Any, dict[str, Any] | None]:
    """The gap or UCJ map of one view with its legend and text alternative.

    Returns the context (the URL now names the target), the selection event (click a regency
    to open its profile) and the chosen target (``None`` for UCJ or when there is none).
    """
    from cakupan.analysis import target_gap
    from cakupan.present import gapview

    lang, metric = ctx.lang, ctx.state.metric
    month = fmt.month(ctx.period, lang, "long") if ctx.period else ""
    target = None
    if metric == "gap":
        ctx, target = choose_target(ctx, view)
        if target is None:
            return ctx, None, None
        obs = context.observations(ctx.state.segment, ctx.state.programme,
                                   None if view == "national" else view)
        gaps = target_gap.gap_frame(obs, context.targets(), str(target["id"]), codes=codes,
                                    period=ctx.period, segment=ctx.state.segment,
                                    programme=ctx.state.programme)
        label = gapview.target_label(target, lang)
        values = gapview.gap_values(gaps, lang, ctx.period)
        title = gapview.gap_legend_title(gaps, label, lang)
        alt = gapview.gap_alt_text(gaps, label, lang, month)
    else:
        values = gapview.ucj_values(snap, lang, _citations(ctx))
        title = gapview.ucj_legend_title(lang)
        alt = gapview.ucj_alt_text(values, lang, month)
    try:
        with st.spinner(ctx.t("msg.loading_map")):
            fig = gapview.category_map(
                view, values, metric=metric, lang=lang, legend_title=title, height=height,
                geojson_url=http_assets.geo_url(st.get_option("server.baseUrlPath"), view))
    except GeoUnavailable:
        st.info(ctx.t("msg.map_unavailable"), icon=":material/map:")
        return ctx, None, target
    event = st.plotly_chart(fig, key=key, theme=None, on_select="rerun",
                            selection_mode="points",
                            config={"displayModeBar": False, "scrollZoom": True})
    st.caption(md_escape(alt))  # the map's text alternative, right under it
    map_fit.install()
    return ctx, event, target


def render_talking_points(ctx: PageContext, sentences: list[str], key: str) -> None:
    """Two or three sentences under a map or a trend, in the reader's language."""
    if not sentences:
        return
    with st.container(key=f"talking-points-{key}", border=True):
        st.markdown(f"**{md_escape(ctx.t('talk.heading'))}**  \n"
                    + "  \n".join(md_escape(s) for s in sentences))


def map_sentences(ctx: PageContext, view: str, snap: pd.DataFrame,
                  target: dict[str, Any] | None = None) -> list[str]:
    """The map's talking points: the briefing's own (the deck's map slide says the same),
    with the gap map's chosen target; for a programme other than "any", which the briefing
    does not cover, from the map's own figures."""
    from cakupan import regions
    from cakupan.present import talking_points

    if not ctx.period:
        return []
    region = "" if view == "national" else view
    if ctx.state.programme == "any":
        data, _deck = context.briefing_data(region, ctx.period, ctx.state.segment, ctx.lang)
        return talking_points.of_briefing(data, ctx.lang, target=target)
    from cakupan.analysis.targets import pick_target

    total_code = region or None
    total = (context.snapshot(ctx.period, ctx.state.segment, ctx.state.programme,
                              [region]).iloc[0].to_dict() if total_code else None)
    parts = snap.assign(name=snap["region_code"].map(regions.name_of))
    target = target or (pick_target(context.targets(), region, ctx.state.segment, ctx.period)
                        if region else None)
    return talking_points.sentences(ctx.region_name if region else
                                    ctx.t("region.indonesia"), total, target, parts,
                                    units="regency", period=ctx.period, lang=ctx.lang)


def trend_sentences(ctx: PageContext, region: str, series: pd.DataFrame,
                    target: dict[str, Any] | None) -> list[str]:
    """The trend's talking points: a province's are the briefing's (the deck's trend slide
    says the same); a regency's from its own latest figure and target."""
    from cakupan import regions
    from cakupan.present import talking_points

    observed = series[series["coverage_pct"].notna() | series["registered"].notna()]
    if observed.empty:
        return []
    if len(region) == 2 and ctx.state.programme == "any" and ctx.period:
        data, _deck = context.briefing_data(region, ctx.period, ctx.state.segment, ctx.lang)
        return talking_points.of_briefing(data, ctx.lang)
    last = observed.iloc[-1].to_dict()
    return talking_points.sentences(regions.name_of(region), last, target, None,
                                    units="regency", period=str(last["period"]),
                                    lang=ctx.lang)


def profile_sentences(ctx: PageContext, region: str,
                      series_by_segment: dict[str, pd.DataFrame]) -> list[str]:
    """The regency profile's history in words: the view's segment (else the first with
    figures), its latest figure with its month and what its target takes (its own target,
    else its province's)."""
    from cakupan import regions
    from cakupan.analysis.targets import pick_target
    from cakupan.core.i18n import segment_label
    from cakupan.present import talking_points

    segments = [s for s, f in series_by_segment.items()
                if (f["coverage_pct"].notna() | f["registered"].notna()).any()]
    if not segments:
        return []
    segment = ctx.state.segment if ctx.state.segment in segments else segments[0]
    frame = series_by_segment[segment]
    last = frame[frame["coverage_pct"].notna() | frame["registered"].notna()].iloc[-1]
    period = str(last["period"])
    target = next((found for code in dict.fromkeys([region, region[:2]])
                   if (found := pick_target(context.targets(), code, segment, period))), None)
    name = f"{regions.name_of(region)} ({segment_label(segment, ctx.lang)})"
    return talking_points.sentences(name, last.to_dict(), target, None, units="regency",
                                    period=period, lang=ctx.lang)
