"""Map page pieces: the choropleth (or its one-line notice), the 3D view, the month
timeline with play, counts per status and click-to-profile. Streamlit-only."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cakupan import briefing
from cakupan.analysis import metrics
from cakupan.core.errors import CakupanError, GeoUnavailable
from cakupan.present import fmt
from ui import context, http_assets, map_fit, svg_map
from ui.context import PageContext
from ui.render import md_escape


def status_map(ctx: PageContext, view: str, values: pd.DataFrame, *, metric: str = "status",
               height: int = 560, key: str = "map", on_select: bool = False):
    """The choropleth of one view, or the one-line notice when boundaries are missing."""
    from cakupan.present import mapview

    # The national map's values say where nothing is published (``national_values``): its
    # grey is named so in the legend, not "no data".
    no_data = ctx.t("map.pub.no_data_legend") if "basis" in values else None
    try:
        with st.spinner(ctx.t("msg.loading_map")):
            url = http_assets.geo_url(st.get_option("server.baseUrlPath"), view)
            fig = mapview.choropleth(view, values, metric=metric, lang=ctx.lang,
                                     height=height, geojson_url=url, no_data_label=no_data)
    except GeoUnavailable:
        st.info(ctx.t("msg.map_unavailable"), icon=":material/map:")
        return None
    except CakupanError as err:
        st.warning(md_escape(str(err)))  # a sentence for people; never read as Markdown
        return None
    month = fmt.month(ctx.period, ctx.lang, "long") if ctx.period else ""
    alt = mapview.alt_text(values, metric=metric, lang=ctx.lang, month=month)
    if url is not None:  # served: the light SVG renderer, no plotly.js on the page for it
        clicked = svg_map.render(fig, key=key, geojson_url=url, height=height, label=alt,
                                 loading=ctx.t("msg.loading_map"),
                                 failed=ctx.t("msg.map_load_failed"), selectable=on_select)
        event = {"selection": {"points": [{"location": clicked}]}} if clicked else None
    else:
        kwargs = {"on_select": "rerun", "selection_mode": "points"} if on_select else {}
        event = st.plotly_chart(fig, key=key, theme=None,
                                config={"displayModeBar": False, "scrollZoom": True},
                                **kwargs)
        map_fit.install()  # fitted to the frame the browser gave it, not a guessed width
    # The map's text alternative, right under it: what it shows, with its figures.
    st.caption(md_escape(alt))
    return event


def unprotected_map(ctx: PageContext, view: str, snap: pd.DataFrame,
                    values: pd.DataFrame) -> None:
    """The pydeck 3D view (columns = eligible - registered), or the no-boundaries notice."""
    from cakupan.present import mapview

    try:
        deck = mapview.unprotected_deck(view, snap, values, lang=ctx.lang)
    except GeoUnavailable:
        st.info(ctx.t("msg.map_unavailable"), icon=":material/map:")
        return
    st.pydeck_chart(deck, height=620, key="explorer3d")
    st.caption(ctx.t("legend.unprotected_columns") + " · " + ctx.t("legend.small_regions"))


def chosen_month(ctx: PageContext) -> PageContext:
    """The month the slider holds (seeded from the URL), before the slider is drawn.

    The map page draws its map first and the time slider under it, so the map's heavy
    front-end code starts loading as early as possible on a cold visit.
    """
    from cakupan.present.state import widget_key

    key = widget_key("period")
    months = list(ctx.periods)
    if ctx.state.period in months:  # a URL's month always wins
        wanted = ctx.state.period
    else:  # published first: the latest month with a published figure for the view
        found = published_month(ctx)
        wanted = found if found in months else months[-1]
    if ctx.reseeded or st.session_state.get(key) not in months:
        st.session_state[key] = wanted
    return context.update(ctx, ctx.state.replace(period=st.session_state[key]))


def published_month(ctx: PageContext) -> str | None:
    """The latest month with a published figure for the view (:func:`context.published_month`)."""
    return context.published_month(ctx.state)


def month_slider(ctx: PageContext) -> None:
    """The month slider over the months with data, with a play toggle (one step per rerun)."""
    from cakupan.present.state import widget_key

    left, right = st.columns([6, 1], vertical_alignment="bottom")
    left.select_slider(ctx.t("control.period"), options=list(ctx.periods),
                       key=widget_key("period"), format_func=lambda p: fmt.month(p, ctx.lang))
    right.toggle(ctx.t("control.play"), key=widget_key("play"))


def advance_if_playing(ctx: PageContext, pause_s: float = 1.0) -> None:
    """While "play" is on, step to the next month after a pause (wrapping to the first)."""
    import time

    from cakupan.present.state import widget_key

    if not st.session_state.get(widget_key("play")):
        return
    months = list(ctx.periods)
    at = months.index(ctx.period) if ctx.period in months else -1
    time.sleep(pause_s)
    st.session_state[widget_key("period")] = months[(at + 1) % len(months)]
    st.rerun()


def map_values(ctx: PageContext, snap: pd.DataFrame) -> pd.DataFrame:
    from cakupan.present import mapview

    cites = {i: briefing.citation(dict(r, id=i), ctx.lang)
             for i, r in context.sources().set_index("id").iterrows()}
    return mapview.map_values(snap, ctx.lang, cites)


def national_values(ctx: PageContext, snap: pd.DataFrame) -> pd.DataFrame:
    """The national map's values, published first: each province coloured by its published
    figure nearest the month (within 12 months, its own date in the tooltip), regency detail
    where a regency has a published figure of its own, illustrative only where nothing is
    published (:func:`cakupan.present.mapview.national_values`)."""
    from cakupan import regions
    from cakupan.analysis import published
    from cakupan.present import mapview

    figures = published.nearest_by_region(
        context.published(ctx.state.segment, ctx.state.programme),
        list(regions.provinces()["code"]), segment=ctx.state.segment, period=ctx.period,
        programme=ctx.state.programme)
    publishers = {str(r["id"]): next(str(r[k]) for k in ("publisher", "title", "id")
                                     if isinstance(r.get(k), str) and r[k].strip())
                  for r in context.sources().to_dict("records")}
    return mapview.national_values(snap, figures, ctx.lang, _citations(ctx), publishers)


def national_notice(ctx: PageContext, values: pd.DataFrame) -> None:
    """One sentence under the national map: provinces coloured by published figures (the
    nearest within 12 months when their dates differ from the month shown), and how many
    provinces have none."""
    from cakupan.present import mapview

    sentence = mapview.national_notice(values, ctx.lang, fmt.month(ctx.period, ctx.lang, "long"))
    if sentence:
        st.info(md_escape(sentence), icon=":material/event:")


def kemnaker_map(ctx: PageContext, view: str, codes: list[str], *, height: int = 620,
                 key: str = "explorer_kemnaker"):
    """Kemnaker's 2023 active participants (``metric=kemnaker_active``): another measure
    than UCJ, counts on the 34 provinces of 2023 (old Papua and Papua Barat as one extent
    each), with a notice saying so; or the one-line notice when boundaries are missing."""
    from cakupan.present import measureview

    values = measureview.kemnaker_values(
        context.measures(measureview.KEMNAKER_MEASURE, measureview.KEMNAKER_PERIOD), codes,
        ctx.lang, _citations(ctx))
    try:
        with st.spinner(ctx.t("msg.loading_map")):
            fig = measureview.kemnaker_choropleth(
                view, values, lang=ctx.lang, height=height,
                geojson_url=http_assets.geo_url(st.get_option("server.baseUrlPath"), view))
    except GeoUnavailable:
        st.info(ctx.t("msg.map_unavailable"), icon=":material/map:")
        return None
    event = st.plotly_chart(fig, key=key, theme=None, on_select="rerun",
                            selection_mode="points",
                            config={"displayModeBar": False, "scrollZoom": True})
    st.caption(md_escape(measureview.alt_text(values, ctx.lang)))
    st.info(ctx.t("measure_map.notice"), icon=":material/info:")
    map_fit.install()
    return event


def _citations(ctx: PageContext) -> dict[str, str]:
    return {i: briefing.citation(dict(r, id=i), ctx.lang)
            for i, r in context.sources().set_index("id").iterrows()}


def status_counts(ctx: PageContext, snap: pd.DataFrame) -> None:
    """How many regions in each status, in words and symbols (a legend that counts)."""
    from cakupan.present import mapview

    cols = st.columns(len(metrics.STATUSES))
    for col, status in zip(cols, metrics.STATUSES, strict=True):
        col.metric(mapview.status_word(status, ctx.lang),
                   fmt.number(int((snap["status"] == status).sum()), ctx.lang),
                   help=ctx.t(f"status.{status}.desc"))


def open_clicked_profile(ctx: PageContext, event) -> None:
    """A click on a regency opens its profile, carrying the view along."""
    if not event:
        return
    points = (event.get("selection") or {}).get("points") or []
    for point in points:
        code = point.get("location")
        if code and len(str(code)) == 5:
            params = ctx.state.replace(region=str(code)).to_params()
            st.switch_page("pages/wilayah.py", query_params=params)
