"""Profil Wilayah: one regency or city, every segment and programme, gaps, costs, sources."""

import streamlit as st

from cakupan import briefing, regions
from cakupan.core.i18n import segment_label
from cakupan.core.policy import inpres4_quota
from cakupan.present import captions, charts, fmt, trend_chart
from cakupan.present.state import ViewState
from ui import (
    context,
    province_regencies,
    published_points,
    render,
    tables,
    target_map,
    village_view,
)

# 1. View: Kepulauan Tanimbar by default (the 2024 article's regency). A province opens on
#    its furthest-behind regency, put into the URL; Indonesia asks for a regency.
ctx = context.start("wilayah", defaults=ViewState(region="81.03"),
                    controls=("region", "period"))
region = ctx.state.region or ""
if len(region) == 2:
    province_regencies.open_furthest_behind(ctx, region)
if len(region) != 5:
    render.page_header(ctx, "page.wilayah")
    st.info(ctx.t("control.search_region"), icon=":material/search:")
    st.stop()
info = regions.get(region)

# 2. Identity: name, kind, province, villages and the Inpres 4/2022 quota.
st.title(info.name)
st.caption(f"{render.md_escape(regions.name_of(info.province_code))} · {info.code} · "
           + ctx.t("page.wilayah.intro"))
province_regencies.render(ctx, region)  # why this regency, and the province's others
cols = st.columns(3)
cols[0].metric(ctx.t("measure.villages"), fmt.number(info.villages, ctx.lang))
cols[1].metric(ctx.t("measure.inpres4_quota"),  # 100 per desa: kelurahan get no Dana Desa
               fmt.people(inpres4_quota(info.desa), ctx.lang),
               help=ctx.t("def.inpres4"))
if st.button(ctx.t("village.open"), icon=":material/map:", key="open_villages"):
    # the village view of this regency (ui/village_view.py), carrying the view along
    st.switch_page("pages/peta.py", query_params=village_view.village_link_params(ctx, region))
if ctx.period is None:
    render.empty_state(ctx)
    st.stop()
cols[2].metric(ctx.t("control.period"), fmt.month(ctx.period, ctx.lang, "long"))

# 3. Every segment: latest figure, status, gap and the yearly cost of closing it.
seg, series_by_segment, prog = context.region_profile(region, ctx.period, info.desa)
if seg.empty:
    st.info(ctx.t("msg.empty_region", region=info.name), icon=":material/info:")
    st.stop()
st.subheader(ctx.t("section.segments"))
st.plotly_chart(charts.segment_bars(seg, lang=ctx.lang, target_pct=None), key="segments",
                config={"displayModeBar": False}, theme=None)
st.caption(render.md_escape(captions.segments_alt(seg, fmt.month(ctx.period, ctx.lang, "long"),
                                                  ctx.lang)))
render.table_with_downloads(ctx, tables.profile_table(ctx, seg), f"profil-{region}")

# 4. History of each segment.
st.subheader(ctx.t("section.history"))
history = {segment_label(s, ctx.lang): frame for s, frame in series_by_segment.items()}
periods = sorted({p for frame in history.values() for p in frame["period"]})
st.plotly_chart(trend_chart.trend_figure(
    history, lang=ctx.lang, breaks=trend_chart.series_breaks(region, periods, ctx.lang)),
    key="history",
                config={"displayModeBar": False}, theme=None)
st.caption(render.md_escape(captions.history_alt(history, ctx.lang)))
target_map.render_talking_points(  # the history in words, each figure with its month
    ctx, target_map.profile_sentences(ctx, region, series_by_segment), "history")

# 5. Programmes (JKK, JKM, JHT, JP, JKP) where the sources split them.
if len(prog):
    st.subheader(ctx.t("section.programmes"))
    render.table_on_request(ctx, tables.programme_table(ctx, prog), "wilayah.programmes")

# 6. Every other published figure about the regency (2025 figures, plans, awards, figures
#    that do not add up as printed), each with its date and source: not coverage cells.
published_points.render(ctx, region, {i: briefing.citation(dict(r, id=i), ctx.lang)
                                      for i, r in context.sources().set_index("id").iterrows()})

# 7. Neighbours for comparison, and every source behind the figures.
tables.neighbours_table(ctx, region)
render.frame_sources(ctx, seg)
