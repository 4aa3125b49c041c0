"""The share-and-size map (``metric=share_size``) and "where to act first" under it.

Streamlit glue only: the figures come from :mod:`cakupan.present.shareview`.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cakupan import regions
from cakupan.core.errors import GeoUnavailable
from ui import http_assets, map_fit
from ui.context import PageContext
from ui.render import md_escape


def render(ctx: PageContext, view: str, values: pd.DataFrame, snap: pd.DataFrame):
    """The map (coverage colour, unprotected circles), its caption, then the ranking of
    regions by workers still unprotected; returns the map's selection event."""
    from cakupan.present import shareview

    event = None
    try:
        with st.spinner(ctx.t("msg.loading_map")):
            fig = shareview.share_size_map(
                view, values, snap, lang=ctx.lang, height=620,
                geojson_url=http_assets.geo_url(st.get_option("server.baseUrlPath"), view))
        event = st.plotly_chart(fig, key="explorer-share", theme=None,
                                on_select="rerun", selection_mode="points",
                                config={"displayModeBar": False, "scrollZoom": True})
        map_fit.install()
    except GeoUnavailable:
        st.info(ctx.t("msg.map_unavailable"), icon=":material/map:")
    st.caption(ctx.t("share.caption"))
    names = dict(zip(regions.load_regions()["code"], regions.load_regions()["name"],
                     strict=True))
    rows = shareview.act_first(snap, names)
    st.subheader(ctx.t("share.title"), anchor=False)
    st.plotly_chart(shareview.act_first_bar(rows, lang=ctx.lang), key="act-first", theme=None,
                    config={"displayModeBar": False})
    st.caption(md_escape(shareview.act_first_alt(rows, ctx.lang)))
    return event
