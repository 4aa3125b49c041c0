"""Tren & Target: coverage over time against the target path, with the pace it takes."""

import streamlit as st

from cakupan import regions
from cakupan.analysis import metrics
from cakupan.analysis.outlook import outlook
from cakupan.present import fmt, trend_chart
from cakupan.present.state import ViewState
from ui import context, old_extents, render, target_map, trend

# 1. View: the region, plus up to four regencies to compare (page parameter `compare`).
ctx = context.start("tren", defaults=ViewState(region="81"),
                    controls=("region", "segment", "programme"), extras=trend.COMPARE_RULE)
render.page_header(ctx, "page.tren")
region = ctx.state.region or ""
if not region:
    st.info(ctx.t("msg.empty_region", region=ctx.region_name), icon=":material/info:")
    st.stop()
compare = trend.compare_picker(ctx, region)

# 2. Data: monthly series (province rows are aggregated from their regencies).
obs = context.observations(ctx.state.segment, ctx.state.programme, region[:2])
series = {regions.name_of(c): metrics.series(obs, code=c, segment=ctx.state.segment,
                                             programme=ctx.state.programme)
          for c in [region, *compare]}
main = series[regions.name_of(region)]
if main["coverage_pct"].notna().sum() == 0 and main["registered"].notna().sum() == 0:
    render.empty_state(ctx)
    st.stop()

# 3. Target and outlook at the current pace.
target = trend.target_for(ctx, region)
view = outlook(main, target)
trend.outlook_metrics(ctx, view)

# 4. The chart: published points filled, illustrative hollow, target path, projection.
measure = "coverage_pct" if main["coverage_pct"].notna().any() else "registered"
references = trend.inpres_lines(ctx, region, measure)
fig = trend_chart.trend_figure(series, view.path if measure == "coverage_pct" else None,
                          view.projection if measure == "coverage_pct" else None,
                          lang=ctx.lang, measure=measure, deadline=view.deadline,
                          reference_lines=references,
                          title=ctx.t("chart.trend.title", region=ctx.region_name,
                                      segment=render.segment_name(ctx)),
                          # a split or rename the series crosses: marked, never a false jump
                          # (with regencies compared, whose areas it did not change: none)
                          breaks=[] if compare else trend_chart.series_breaks(
                              region, main["period"], ctx.lang))
st.plotly_chart(fig, key="trend", config={"displayModeBar": False}, theme=None)
st.caption(trend.chart_summary(ctx, main, measure, view) + "  \n"  # the chart in words
           + f"{ctx.t('legend.published_point')} · {ctx.t('legend.illustrative_point')}")
target_map.render_talking_points(ctx, target_map.trend_sentences(ctx, region, main, target),
                                 "trend")  # the same sentences as the deck's trend slide

# 5. A province the 2022 splits changed: what was published for it as it was, beside the
#    same measure over today's provinces (never spread over them).
old_extents.render_section(ctx, region)

# 6. The figures as a table, downloadable, and their sources.
table = trend.series_table(ctx, series)
render.table_with_downloads(ctx, table, "tren")
render.frame_sources(ctx, main)
if view.last_period:
    latest = "; ".join(render.citations_of(main.tail(1), ctx.lang))
    st.caption(ctx.t("msg.latest_figure", date=fmt.month(view.last_period, ctx.lang, "long"),
                     source=render.md_escape(latest)))
