"""Streamlit render helpers shared by the pages (``render_*`` in spirit, short names here).

Everything that reaches Markdown from data goes through :func:`md_escape`; nothing here uses
``unsafe_allow_html``. Maps degrade to a one-line notice when the boundary files are missing.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

import pandas as pd
import streamlit as st

from cakupan import briefing, fmt, geo, metrics
from cakupan.errors import CakupanError, GeoUnavailable
from cakupan.i18n import segment_label
from ui import context
from ui.context import PageContext

log = logging.getLogger(__name__)

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def md_escape(text: object) -> str:
    """Escape Markdown (and the HTML-ish ``<``/``>``) so data is shown literally."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def page_header(ctx: PageContext, title_key: str) -> None:
    st.title(ctx.t(title_key))
    bits = [ctx.region_name, segment_label(ctx.state.segment, ctx.lang)]
    if ctx.period:
        bits.append(fmt.month(ctx.period, ctx.lang, "long"))
    st.caption(" · ".join(md_escape(b) for b in bits) + "  \n" + ctx.t(f"{title_key}.intro"))


def empty_state(ctx: PageContext) -> None:
    st.info(f"{ctx.t('msg.empty')} {ctx.t('msg.empty_hint')}", icon=":material/info:")


@st.cache_data(show_spinner=False, max_entries=64)
def _briefing(_version: str, region: str, period: str, segment: str, lang: str,
              url: str) -> tuple[briefing.BriefingData, briefing.Deck]:
    from cakupan import store

    engine = context._engine(url)
    obs = store.current_observations(engine, province=region or None)
    data = briefing.collect(obs, store.targets(engine), store.premium_rates(engine),
                            store.sources(engine), region=region, period=period,
                            segment=segment, lang=lang)
    return data, briefing.deck_from_data(data, lang)


def briefing_for(ctx: PageContext, region: str | None = None
                 ) -> tuple[briefing.BriefingData, briefing.Deck]:
    """The briefing's numbers and wording for the page's view (province or Indonesia)."""
    from cakupan import settings

    code = region if region is not None else (ctx.state.region or "")
    with st.spinner(ctx.t("msg.loading")):
        return _briefing(context.version(), code[:2] if code else "", ctx.period or "",
                         ctx.state.segment, ctx.lang, settings.database_url())


def year_ago_pct(data: briefing.BriefingData) -> float | None:
    """Coverage 12 months before the briefing month, if the series has it."""
    if data.series is None or data.series.empty:
        return None
    earlier = metrics.period_at(metrics.month_index(data.period) - 12)
    row = data.series[data.series["period"] == earlier]
    if row.empty or pd.isna(row["coverage_pct"].iloc[0]):
        return None
    return float(row["coverage_pct"].iloc[0])


def headline_metrics(ctx: PageContext, data: briefing.BriefingData) -> None:
    """Four figures: coverage (with change on a year), registered, unregistered regions, gap."""
    total, lang = data.total, ctx.lang
    pct = total.get("coverage_pct")
    before = year_ago_pct(data)
    delta = (fmt.points(pct - before, lang, signed=True)
             if pct is not None and before is not None else None)
    unreg = int((data.parts["status"] == "unregistered").sum())
    cols = st.columns(4)
    cols[0].metric(ctx.t("measure.coverage"), fmt.pct(pct, lang), delta,
                   help=ctx.t("measure.change_year") if delta else ctx.t("def.coverage"))
    cols[1].metric(ctx.t("measure.registered"), fmt.number(total.get("registered"), lang))
    cols[2].metric(ctx.t("measure.regions_unregistered"),
                   f"{fmt.number(unreg, lang)} / {fmt.number(len(data.parts), lang)}",
                   help=ctx.t("status.unregistered.desc"))
    target = data.target or {}
    gap = None
    if target.get("target_pct") is not None:
        gap = metrics.gap_to_target(total.get("registered"), total.get("eligible"),
                                    float(target["target_pct"]))
    cols[3].metric(ctx.t("measure.gap_people"), fmt.number(gap, lang),
                   help=ctx.t("def.gap_people"))


def status_map(ctx: PageContext, view: str, values: pd.DataFrame, *, metric: str = "status",
               height: int = 560, key: str = "map", on_select: bool = False):
    """The choropleth of one view, or the one-line notice when boundaries are missing."""
    from cakupan import maps

    try:
        with st.spinner(ctx.t("msg.loading_map")):
            fig = maps.choropleth_figure(view, values, metric=metric, lang=ctx.lang,
                                         height=height)
    except GeoUnavailable as err:
        st.info(f"{ctx.t('msg.map_unavailable')} {err}", icon=":material/map:")
        return None
    except CakupanError as err:
        st.warning(str(err))
        return None
    kwargs = {"on_select": "rerun", "selection_mode": "points"} if on_select else {}
    return st.plotly_chart(fig, key=key, config={"displayModeBar": False, "scrollZoom": True},
                           **kwargs)


def sources_caption(ctx: PageContext, citations: Sequence[str], illustrative: bool) -> None:
    if illustrative:
        st.warning(ctx.t("provenance.illustrative_notice"), icon=":material/science:")
    if citations:
        st.caption(ctx.t("briefing.sources", sources="; ".join(md_escape(c) for c in citations)))
    st.caption(md_escape(geo.ATTRIBUTION))
