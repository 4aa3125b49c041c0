"""The app's maps: boundaries (:mod:`geo`) + values + the palette and words of the language.

:mod:`cakupan.present.maps` knows nothing of languages or palettes; this module passes it the
project's (``cakupan.present.palette``, ``cakupan.core.i18n``, ``cakupan.present.fmt``) so every
page draws the same map the same way. Tooltips are pre-formatted strings with units, status,
provenance (published or illustrative) and source. Why plotly's ``Choroplethmap`` (and not
pydeck) for the choropleth: measured in ``bench`` it sends the geometry once in one trace, it
draws offline on ``white-bg``, it supports click selection in Streamlit, and a browser test can
count the shapes MapLibre actually rendered.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from cakupan import geo, regions
from cakupan.core.i18n import status_label, t
from cakupan.present import deck_maps, fmt, maps, palette

#: Regencies smaller than this (km2) also get a dot, so small islands stay findable.
SMALL_KM2 = maps.MARKER_MAX_KM2


def status_word(status: str, lang: str) -> str:
    """Symbol + name ("✗ Belum terdaftar"): colour is never the only carrier of meaning."""
    return f"{palette.STATUS[status].symbol} {status_label(status, lang)}"


def _line(key: str, lang: str, value: str) -> str:
    return t(key, lang, value=value)


def detail_text(row: Mapping, lang: str, citations: Mapping[str, str]) -> str:
    """The tooltip lines of one region: counts with units, coverage, provenance, source."""
    if row.get("status") == "no_data" and all(pd.isna(row.get(k)) for k in
                                              ("registered", "eligible", "coverage_pct")):
        # Most of the national map: one short line, not "Status: – …" 464 times per rerun.
        return status_word("no_data", lang)
    lines = []
    if pd.notna(row.get("registered")):
        lines.append(_line("tooltip.registered", lang, fmt.people(row["registered"], lang)))
    if pd.notna(row.get("eligible")):
        lines.append(_line("tooltip.eligible", lang, fmt.people(row["eligible"], lang)))
    if pd.notna(row.get("coverage_pct")):
        lines.append(_line("tooltip.coverage", lang, fmt.pct(row["coverage_pct"], lang)))
    lines.append(_line("tooltip.status", lang, status_word(str(row.get("status")), lang)))
    if row.get("status") != "no_data":
        lines.append(t("provenance.illustrative" if row.get("illustrative")
                       else "provenance.published", lang))
        ids = list(row.get("sources") or [])
        if ids:
            lines.append(_line("tooltip.source", lang,
                               "; ".join(citations.get(i, i) for i in ids[:2])))
    return "\n".join(lines)


def map_values(snapshot: pd.DataFrame, lang: str,
               citations: Mapping[str, str] | None = None) -> pd.DataFrame:
    """``code, status, coverage_pct, detail`` from a :func:`metrics.snapshot` frame."""
    frame = snapshot.rename(columns={"region_code": "code"})
    details = [detail_text(rec, lang, citations or {})
               for rec in frame.to_dict("records")]
    return pd.DataFrame({"code": frame["code"], "status": frame["status"],
                         "coverage_pct": frame["coverage_pct"], "detail": details})


def figure_date(as_of: str, lang: str) -> str:
    """A published figure's own date for people: "31 Des 2024", or its month "Nov 2024"."""
    as_of = str(as_of)
    return fmt.date(as_of, lang) if len(as_of) == 10 else fmt.month(as_of[:7], lang)


def _province_lines(fig: Mapping, name: str, lang: str, publishers: Mapping[str, str]
                    ) -> list[str]:
    """Two short tooltip lines of a province's published figure painted over one of its
    regencies: the figure with its own date, then "published", who, and "nearest within 12
    months" when its month is not the one shown. Short, since all of a province's regencies
    carry them and a month step resends them (issue 11's 50 KB budget per step)."""
    value = (fmt.pct_as_published(fig["coverage_pct"], lang)
             if pd.notna(fig.get("coverage_pct"))
             else fmt.people(fig.get("registered"), lang))
    source = publishers.get(str(fig.get("source_id")), str(fig.get("source_id") or ""))
    nearest = int(fig.get("months_away") or 0) != 0
    return [t("map.pub.province", lang, province=name, value=value,
              date=figure_date(fig["as_of"], lang)),
            t("map.pub.nearest" if nearest else "map.pub.source", lang, source=source)]


def national_values(snapshot: pd.DataFrame, province_figures: pd.DataFrame, lang: str,
                    citations: Mapping[str, str] | None = None,
                    publishers: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The national map's values: published first, province by province.

    Each regency shows, in this order: its own published figure of the month (regency
    detail where regency data exists); else its province's published figure nearest the
    month (``province_figures``: :func:`cakupan.analysis.published.nearest_by_region` of
    the province codes), painted over the province with that figure's own date; else its
    own illustrative figure (marked so); else a line saying the province has no published
    figure. ``citations``: source id -> citation (a regency's own figure); ``publishers``:
    source id -> who published it (a province's, kept short). Columns: ``code, status,
    coverage_pct, detail, basis`` (``regency`` /
    ``province`` / ``illustrative`` / ``none``) and ``months_away`` (province figures).
    """
    cites = citations or {}
    frame = snapshot.rename(columns={"region_code": "code"})
    by_province = {str(r["region_code"]): r for r in province_figures.to_dict("records")}
    rows = []
    for rec in frame.to_dict("records"):
        code = str(rec["code"])
        own = rec.get("status") != "no_data"
        fig = by_province.get(code[:2])
        if own and not rec.get("illustrative"):
            rows.append((code, rec["status"], rec.get("coverage_pct"),
                         detail_text(rec, lang, cites), "regency", 0))
        elif fig is not None:
            name = regions.name_of(code[:2])
            rows.append((code, fig["status"], fig.get("coverage_pct"),
                         "\n".join(_province_lines(fig, name, lang, publishers or cites)),
                         "province",
                         int(fig.get("months_away") or 0)))
        elif own:  # illustrative, marked so, under the line saying nothing is published
            none = t("map.pub.none", lang, province=regions.name_of(code[:2]))
            rows.append((code, rec["status"], rec.get("coverage_pct"),
                         none + "\n" + detail_text(rec, lang, cites), "illustrative", 0))
        else:
            # The legend's words (a short line: 464 regencies carry it on every month step).
            rows.append((code, "no_data", float("nan"), t("map.pub.no_data_legend", lang),
                         "none", 0))
    out = pd.DataFrame(rows, columns=["code", "status", "coverage_pct", "detail", "basis",
                                      "months_away"])
    out["coverage_pct"] = pd.to_numeric(out["coverage_pct"], errors="coerce").astype(float)
    return out


def national_notice(values: pd.DataFrame, lang: str, month: str) -> str | None:
    """The sentence under the national map when it borrows figures from other months
    ("nearest published figure within 12 months"), with how many provinces have none."""
    if "basis" not in values:
        return None
    provinces = values.assign(p=values["code"].astype(str).str[:2]).groupby("p")
    painted = provinces["basis"].apply(lambda b: (b == "province").any())
    borrowed = provinces["months_away"].apply(lambda m: (m != 0).any())
    none = provinces["basis"].apply(lambda b: not b.isin(["province", "regency"]).any())
    if not painted.any() and not none.any():
        return None
    key = "map.pub.notice_nearest" if bool((painted & borrowed).any()) else "map.pub.notice"
    return t(key, lang, month=month, n=fmt.number(int(painted.sum()), lang),
             none=fmt.number(int(none.sum()), lang), total=fmt.number(len(painted), lang))


def alt_text(values: pd.DataFrame, *, metric: str, lang: str, month: str) -> str:
    """The map in one sentence with its figures (its text alternative, under the map):
    counts per status, or the lowest and highest coverage and where."""
    total = len(values)
    status = values["status"].astype(str)
    no_data = int((status == "no_data").sum())
    if metric == "status":
        counts = {s: fmt.number(int((status == s).sum()), lang)
                  for s in ("registered", "partial", "unregistered", "no_data")}
        return t("map.alt.status", lang, month=month, total=fmt.number(total, lang), **counts)
    pct = values.dropna(subset=["coverage_pct"])
    if pct.empty:
        return t("map.alt.empty", lang, month=month, total=fmt.number(total, lang))
    low = pct.loc[pct["coverage_pct"].astype(float).idxmin()]
    high = pct.loc[pct["coverage_pct"].astype(float).idxmax()]
    return t("map.alt.coverage", lang, month=month, total=fmt.number(total, lang),
             no_data=fmt.number(no_data, lang),
             low=fmt.pct(float(low["coverage_pct"]), lang),
             low_name=regions.name_of(str(low["code"])),
             high=fmt.pct(float(high["coverage_pct"]), lang),
             high_name=regions.name_of(str(high["code"])))


def choropleth(view: str, values: pd.DataFrame, *, metric: str = "status", lang: str = "id",
               height: int = 560, markers: bool = True,
               geojson_url: str | None = None, no_data_label: str | None = None) -> go.Figure:
    """The map of one view (``"national"`` or a province code) by status or coverage %.

    ``geojson_url``: where the browser fetches the view's boundaries (the app's ``/geo/``
    file, :mod:`cakupan.geo.assets`); without it the figure carries them.
    Raises :class:`cakupan.core.errors.GeoUnavailable` when the boundaries cannot be had.
    """
    geojson = geo.view_geojson(view)

    def word(status: str) -> str:  # the national map's grey says "nothing published"
        return no_data_label if status == "no_data" and no_data_label else status_word(
            status, lang)

    def name(status: str) -> str:
        return no_data_label if status == "no_data" and no_data_label else status_label(
            status, lang)

    common = {"height": height, "separators": fmt.plotly_separators(lang),
              "bounds": geo.view_bounds(view), "geojson_url": geojson_url}
    if metric == "status":
        fig = maps.choropleth_figure(
            geojson, values, metric="status", colours=palette.STATUS_COLORS,
            labels=word, legend_title=t("legend.status", lang),
            **common)
    else:
        bins = palette.coverage_bins(lang)
        fig = maps.choropleth_figure(
            geojson, values, metric="coverage", colours=[b.hex for b in bins],
            edges=palette.COVERAGE_EDGES, labels=name,
            fmt_pct=lambda v: fmt.pct(v, lang, 0), legend_title=t("metric.coverage", lang),
            bin_labels=[b.label for b in bins], **common)
    if markers and view != "national":  # national: dots would bury Java's cities
        _add_small_region_markers(fig, view, values, lang)
    return fig


def _add_small_region_markers(fig: go.Figure, view: str, values: pd.DataFrame,
                              lang: str) -> None:
    """Dots on regencies too small to see at this zoom (archipelagos: Maluku, NTT)."""
    points = geo.representative_points(view)
    small = points[points["area_km2"] < SMALL_KM2]
    if small.empty:
        return
    names = {f["properties"]["code"]: f["properties"].get("name", "")
             for f in geo.view_geojson(view)["features"]}
    detail = dict(zip(values["code"], values.get("detail", values["status"]), strict=True))
    fig.add_trace(go.Scattermap(
        lon=small["lon"], lat=small["lat"], mode="markers",
        marker={"size": 9, "color": "#1B1B1B", "opacity": 0.75},
        customdata=[[html.escape(names.get(c, c)),
                     html.escape(str(detail.get(c, ""))).replace("\n", "<br>")]
                    for c in small["code"]],
        hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<extra></extra>",
        name=t("legend.small_regions", lang), showlegend=False))


def unprotected_deck(view: str, snapshot: pd.DataFrame, values: pd.DataFrame, *,
                     lang: str = "id", height: int = 620):
    """pydeck 3D view: the status map with a column per regency for workers still unprotected
    (eligible - registered). pydeck serves better here than plotly: extruded columns over a
    choropleth, no basemap (offline), and a cheaper rebuild per month (see ``bench``)."""
    frame = snapshot.rename(columns={"region_code": "code"})
    gap = (frame["eligible"].astype("Float64") - frame["registered"].astype("Float64")).clip(
        lower=0)
    columns = pd.DataFrame({"code": frame["code"], "value": gap}).dropna()
    return deck_maps.status_deck(
        geo.view_geojson(view), values, colours=palette.STATUS_COLORS,
        labels=lambda s: status_word(s, lang), points=geo.representative_points(view),
        columns=columns, height=height)
