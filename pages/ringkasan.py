"""Ringkasan (overview): where are we, who has not registered, are we on track, what it takes.

The numbers and their wording are the briefing's (``cakupan.briefing``), so the overview and
the projector deck can never disagree.
"""

import streamlit as st

from cakupan.present import captions, charts, fmt
from cakupan.present.state import ViewState
from ui import context, map_prime, map_view, render, target_map

# 1. View: Maluku by default (the province the sources follow most closely).
ctx = context.start("ringkasan", defaults=ViewState(region="81"),
                    controls=("region", "segment", "period"), regency_level=False)
ctx = context.open_on_published_month(ctx)  # no period in the URL: the latest published month
render.page_header(ctx, "page.ringkasan")
if ctx.period is None:
    render.empty_state(ctx)
    st.stop()

# 2. Data: the same collection the briefing uses; meanwhile the small map's boundaries load
#    (a fresh process would otherwise read them inside the map's spinner, after the rest).
priming = map_prime.start((ctx.state.region or "")[:2] or "national")
data, deck = render.briefing_for(ctx)
cover, map_slide, behind, trend, cost = deck.slides

# 3. Headline in words, then the figures behind it.
st.subheader(cover.headline)
render.headline_metrics(ctx, data)
target_pct = data.target.get("target_pct") if data.target else None
lead = data.leading  # published first: the region's latest published figure, its own month
same_month = str(lead.get("period")) == data.period
st.plotly_chart(
    charts.gauge_or_bullet(lead.get("coverage_pct"), target_pct, ctx.lang,
                           previous_pct=render.year_ago_pct(data) if same_month else None,
                           deadline=(data.target or {}).get("deadline")),
    key="bullet", config={"displayModeBar": False}, theme=None)
month = fmt.month(str(lead.get("period") or ctx.period), ctx.lang, "long")
st.caption(render.md_escape(captions.bullet_alt(
    lead.get("coverage_pct"), target_pct, (data.target or {}).get("deadline"), month,
    ctx.lang)))

# 4. Small map and the regions furthest behind / ahead.
left, right = st.columns([3, 2])
with left:
    st.markdown(f"**{map_slide.headline}**")
    map_prime.wait(priming)
    map_view.status_map(ctx, data.map_view, data.map_values, height=420, key="overview_map")
    target_map.render_talking_points(ctx, list(map_slide.talking_points), "overview-map")
with right:
    st.markdown(f"**{behind.headline}**")
    names = dict(zip(data.parts["region_code"], data.parts["name"], strict=True))
    for ahead, n, key in ((False, 8, "behind"), (True, 5, "ahead")):
        st.plotly_chart(charts.ranking_bar(data.parts, lang=ctx.lang, n=n, ahead=ahead,
                                           names=names),
                        key=key, config={"displayModeBar": False}, theme=None)
        st.caption(render.md_escape(captions.ranking_alt(data.parts, names, ahead=ahead,
                                                         lang=ctx.lang)))

# 5. What it takes.
st.markdown(f"### {ctx.t('briefing.slide.needs')}")
st.markdown(f"**{cost.headline}**")
for line in cost.bullets:
    st.markdown(f"- {render.md_escape(line)}")

# 6. Where the figures come from.
render.sources_caption(ctx, deck.sources, any(s.illustrative for s in deck.slides))
