"""Peta (map explorer): every regency of Indonesia or of one province, by status or coverage.

Example link (CONTRACTS.md): ``/peta?region=74&segment=non_asn&period=2018-10&metric=status``
is the Sulawesi Tenggara map of October 2018 non-ASN registration.
"""

import streamlit as st

from cakupan import regions
from cakupan.present import fmt
from cakupan.present.state import ViewState
from ui import context, map_view, render, share_map, tables, target_map, village_view

# 1. View: Indonesia by default; a regency in the URL shows its province's map.
#    ``level=desa`` (a regency's villages) keeps the regency and offers a regency control.
desa = village_view.wanted()
ctx = context.start("peta", defaults=ViewState(metric="status"),
                    controls=("region", "segment", "programme", "metric"), regency_level=desa,
                    extras={**target_map.TARGET_RULE, **village_view.LEVEL_RULE})
if not ctx.periods:
    render.page_header(ctx, "page.peta")
    render.empty_state(ctx)
    st.stop()

# 2. Month: the slider's value (the slider itself sits under the map, like a timeline);
#    the header names that month.
ctx = map_view.chosen_month(ctx)
render.page_header(ctx, "page.peta")
if desa:  # the villages of one regency: a view of its own (ui/village_view.py)
    village_view.render_village_view(ctx)
    st.stop()

# 3. Values for every regency of the view in that month.
view = ctx.state.region[:2] if ctx.state.region else "national"
codes = list(regions.regencies(None if view == "national" else view)["code"])
snap = context.snapshot(ctx.period, ctx.state.segment, ctx.state.programme, codes)
#    National: published first, province by province (nearest published figure within 12
#    months; regency detail where a regency has its own; illustrative only where none is).
values = (map_view.national_values(ctx, snap) if view == "national"
          else map_view.map_values(ctx, snap))

# 4. The map; clicking a regency opens its profile. Optional 3D view (pydeck): columns of
#    workers still unprotected over the status map. Then the timeline and the counts.
#    Gap to a named target's path or UCJ category: ui/target_map.py (switcher, legend).
target = None
if st.session_state.get("columns3d"):
    map_view.unprotected_map(ctx, view, snap, values)
elif ctx.state.metric == "kemnaker_active":  # another measure: Kemnaker 2023, 34 provinces
    event = map_view.kemnaker_map(ctx, view, codes)
    st.caption(ctx.t("msg.map_click_hint"))
    map_view.open_clicked_profile(ctx, event)
elif ctx.state.metric == "share_size":  # coverage as colour, unprotected as circles
    event = share_map.render(ctx, view, values, snap)
    map_view.open_clicked_profile(ctx, event)
elif ctx.state.metric in target_map.METRICS:
    ctx, event, target = target_map.category_map(ctx, view, codes, snap)
    st.caption(ctx.t("msg.map_click_hint"))
    map_view.open_clicked_profile(ctx, event)
else:
    event = map_view.status_map(ctx, view, values, metric=ctx.state.metric, height=620,
                              key="explorer", on_select=True)
    st.caption(ctx.t("msg.map_click_hint"))
    map_view.open_clicked_profile(ctx, event)
if view == "national" and ctx.state.metric in ("status", "coverage"):
    map_view.national_notice(ctx, values)
target_map.render_talking_points(ctx, target_map.map_sentences(ctx, view, snap, target), "map")
map_view.month_slider(ctx)
map_view.status_counts(ctx, values if view == "national" else snap)
st.toggle(ctx.t("legend.unprotected_columns"), key="columns3d")

# 5. The same figures as a table, and where they come from.
table = tables.snapshot_table(ctx, snap)
render.table_with_downloads(ctx, table, f"peta-{view}-{ctx.period}")
render.frame_sources(ctx, snap)
st.caption(ctx.t("tooltip.period", value=fmt.month(ctx.period, ctx.lang, "long")))

# 6. Playing through the months: step and rerun.
map_view.advance_if_playing(ctx)
