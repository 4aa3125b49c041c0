"""The village view of the map page (``/peta?region=PP.RR&level=desa``): one regency's desa
and kelurahan by status, district outlines, counts and the Inpres 4/2022 gap by district, the
table and its downloads. Streamlit-only; the figures come from :mod:`cakupan.analysis.villages`
and the pictures from :mod:`cakupan.present.villageview`."""

from __future__ import annotations

import logging

import pandas as pd
import streamlit as st

from cakupan import briefing
from cakupan.core.errors import GeoUnavailable, StoreUnavailable
from cakupan.present import fmt
from ui import context, http_assets, map_fit, render
from ui.context import PageContext
from ui.render import md_escape

log = logging.getLogger(__name__)

#: The segment whose status colours the villages: pekerja rentan when the page asks for it,
#: else aparatur desa (the other segment counted per village).
VILLAGE_SEGMENTS = ("aparatur_desa", "pekerja_rentan")


def _level(value: str) -> str | None:
    return "desa" if value.strip().lower() == "desa" else None


#: The map page's own parameter: ``level=desa`` shows a regency's villages.
LEVEL_RULE = {"level": _level}


def wanted() -> bool:
    """Whether the URL asks for the village level (read before the page's controls, which
    must then offer a regency)."""
    return st.query_params.get("level", "").strip().lower() == "desa"


def village_segment(ctx: PageContext) -> str:
    return ctx.state.segment if ctx.state.segment in VILLAGE_SEGMENTS else "aparatur_desa"


@st.cache_data(show_spinner=False, max_entries=32)
def _table(data_version: str, regency: str, period: str | None, segment: str,
           with_boundary: tuple[str, ...] | None) -> pd.DataFrame:
    from cakupan.analysis import villages

    rows = pd.concat([context.observations(s, "any", regency[:2]) for s in VILLAGE_SEGMENTS],
                     ignore_index=True)
    rows = rows[rows["region_code"].astype(str).str.len() == 13]
    return villages.village_table(regency, period, rows,
                                  None if with_boundary is None else set(with_boundary),
                                  segment=segment)


@st.cache_data(show_spinner=False, max_entries=32)
def _published_counts(data_version: str, regency: str, url: str) -> pd.DataFrame:
    """Published counts *of villages* for the regency (``unit == "villages"``): articles
    name how many desa registered, never which, so they are stored at regency level."""
    from cakupan import store

    frame = store.published_measures(context._engine(url), region_code=regency)
    return frame[frame["unit"] == "villages"].sort_values("period").reset_index(drop=True)


def render_published_counts(ctx: PageContext, regency: str, cites: dict[str, str]) -> None:
    """One line per published count of villages, with its date as printed and source."""
    from cakupan.core import settings

    try:
        frame = _published_counts(context.version(), regency, settings.database_url())
    except StoreUnavailable:
        raise  # the router's guard says so in one line
    except Exception:  # a store without published measures yet: the view works without
        log.warning("published village counts of %s unavailable", regency, exc_info=True)
        return
    if frame.empty:
        return
    from cakupan.core.i18n import catalogue

    def label(measure: str) -> str:
        key = f"village.measure.{measure}"
        return ctx.t(key) if key in catalogue(ctx.lang) else measure.replace("_", " ")

    lines = [ctx.t("village.published_line", measure=label(str(r["measure"])),
                   value=fmt.number(r["value"], ctx.lang), period=str(r["period"]),
                   source=cites.get(str(r["source_id"]), str(r["source_id"])))
             for r in frame.to_dict("records")]
    st.markdown("**" + md_escape(ctx.t("village.published_head")) + "**")
    st.caption("  \n".join(md_escape(line) for line in lines))


def _boundaries(ctx: PageContext, regency: str) -> dict | None:
    """The build report of the regency's village boundaries, or ``None`` (with the one-line
    notice shown) when they cannot be had here."""
    from cakupan.geo import villages as vgeo

    if not vgeo.available(regency):
        return None
    try:
        with st.spinner(ctx.t("msg.loading_map")):
            return vgeo.village_report(regency)
    except GeoUnavailable:
        return None


def render_village_view(ctx: PageContext) -> None:
    """Everything under the page header for one regency's villages."""
    from cakupan.analysis import villages
    from cakupan.geo import villages as vgeo
    from cakupan.present import villageview

    regency = str(ctx.state.region or "")
    if len(regency) != 5:
        st.info(ctx.t("village.choose_regency"), icon=":material/location_on:")
        return
    if st.button(ctx.t("village.back"), icon=":material/arrow_back:"):
        st.switch_page("pages/peta.py", query_params=ctx.state.replace(
            region=regency[:2]).with_extras(level=None).to_params())
    segment = village_segment(ctx)
    report = _boundaries(ctx, regency)
    drawn = None
    if report is not None:
        drawn = tuple(sorted(set(vgeo.load_village_shapes(regency)["code"])))
    table = _table(context.version(), regency, ctx.period, segment, drawn)
    cites = {i: briefing.citation(dict(r, id=i), ctx.lang)
             for i, r in context.sources().set_index("id").iterrows()}
    st.subheader(ctx.t("village.title", segment=ctx.t(f"segment.{segment}")))

    # 1. The map, or one line saying how to get the files.
    if report is None:
        st.info(ctx.t("village.unavailable", regency=regency), icon=":material/map:")
    else:
        base = st.get_option("server.baseUrlPath")
        serving = http_assets.serving()
        extra = {e["code"]: e["name"] for e in report["not_in_reference"]}
        fig = villageview.village_figure(
            villageview.geojson_of(vgeo.village_geojson_text(regency)),
            villageview.village_values(table, ctx.lang, cites), lang=ctx.lang,
            bounds=vgeo.village_bounds(regency),
            district_geojson=villageview.geojson_of(vgeo.district_geojson_text(regency)),
            geojson_url=(http_assets.village_geo_url(base, "kel", regency) if serving else None),
            district_url=(http_assets.village_geo_url(base, "kec", regency) if serving
                          else None),
            extra_codes=extra,
            points=vgeo.load_village_shapes(regency)[["code", "lon", "lat", "area_km2"]])
        st.plotly_chart(fig, key="villages", theme=None,
                        config={"displayModeBar": False, "scrollZoom": True})
        map_fit.install()
        st.caption(ctx.t("village.boundary_counts",
                         total=fmt.number(report["reference"], ctx.lang),
                         drawn=fmt.number(report["with_boundary"], ctx.lang),
                         missing=fmt.number(len(report["without_boundary"]), ctx.lang)))
        if extra:
            st.caption(ctx.t("village.extra_codes", n=fmt.number(len(extra), ctx.lang),
                             codes=md_escape(", ".join(sorted(extra)))))
    if ctx.periods:  # the same timeline as the regency map: each village's latest figure
        from ui import map_view  # up to the month shown

        map_view.month_slider(ctx)

    # 2. In words: villages per status, and what closing the Inpres 4/2022 gap costs.
    totals = villages.regency_totals(table)
    st.markdown(md_escape(ctx.t(
        "village.summary", registered=fmt.number(totals["aparatur_registered_desa"], ctx.lang),
        desa=fmt.number(totals["desa"], ctx.lang),
        not_started=fmt.number(totals["rentan_not_started_desa"], ctx.lang),
        cost=fmt.rupiah(totals["rentan_cost"], ctx.lang))))
    cols = st.columns(4)
    for col, status in zip(cols, ("registered", "partial", "unregistered", "no_data"),
                           strict=True):
        col.metric(villageview.status_word(status, ctx.lang),
                   fmt.number(int((table["status"] == status).sum()), ctx.lang))
    st.caption(ctx.t("village.rate_note"))
    render_published_counts(ctx, regency, cites)

    # 3. By district, then village by village (CSV/XLSX).
    st.markdown("**" + md_escape(ctx.t("village.by_district")) + "**")
    st.dataframe(villageview.district_rows(villages.district_summary(table), ctx.lang),
                 hide_index=True, width="stretch")
    render.table_with_downloads(ctx, villageview.village_rows(table, ctx.lang),
                                f"desa-{regency}-{ctx.period or 'latest'}", key="villages")
    illustrative = bool(table[["aparatur_illustrative", "rentan_illustrative"]]
                        .eq(True).any().any())
    sources = sorted({s for c in ("aparatur_source", "rentan_source")
                      for s in table[c].dropna().astype(str)})
    render.sources_caption(ctx, [cites.get(s, s) for s in sources], illustrative)


def village_link_params(ctx: PageContext, regency: str) -> dict[str, str]:
    """Query parameters of the village view of ``regency``, carrying the view along."""
    return ctx.state.replace(region=regency).with_extras(level="desa").to_params()
