"""The village view of one regency: its map (villages by status, district outlines), tooltips,
the table and the counts by district, in the language of the page.

Built on :func:`cakupan.present.maps.choropleth_figure` (one trace, stepped colours, legend in
words under the map, geometry by URL when the app serves it) so the village map reads like every
other map; district outlines are a line layer of their own file. Every figure in a tooltip says
whether it is published or illustrative and where it comes from.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from cakupan.core.i18n import t
from cakupan.present import fmt, maps, palette
from cakupan.present.mapview import status_word

DISTRICT_LINE = "#333333"
#: Villages smaller than this (km2) also get a dot: at a regency's zoom an island desa of a few
#: hectares is below a pixel (Romnus, Kepulauan Tanimbar: 0.03 km2) and could not be found.
SMALL_VILLAGE_KM2 = 1.0


def _num(value: object) -> bool:
    return value is not None and not pd.isna(value)


def village_detail(row: Mapping, lang: str, citations: Mapping[str, str]) -> str:
    """Tooltip lines of one village: kind and district, both segments, the Inpres gap, source."""
    kind = t(f"village.kind.{row['kind']}", lang)
    lines = [t("village.tip.where", lang, kind=kind, district=row["district_name"])]
    if _num(row.get("aparatur_registered")):
        value = fmt.people(row["aparatur_registered"], lang)
        if _num(row.get("aparatur_eligible")):
            value = t("village.tip.of", lang, value=value,
                      total=fmt.people(row["aparatur_eligible"], lang))
        lines.append(t("village.tip.aparatur", lang, value=value,
                       month=fmt.month(str(row["aparatur_period"]), lang)))
    if _num(row.get("rentan_registered")):
        funding = str(row.get("rentan_funding") or "")
        lines.append(t("village.tip.rentan", lang,
                       value=fmt.people(row["rentan_registered"], lang),
                       month=fmt.month(str(row["rentan_period"]), lang))
                     + (f" ({t(f'village.funding.{funding}', lang)})"
                        if funding in ("dana_desa", "apbd", "csr") else ""))
    if _num(row.get("rentan_gap")):
        lines.append(t("village.tip.gap", lang, gap=fmt.people(row["rentan_gap"], lang),
                       cost=fmt.rupiah(row["rentan_cost"], lang)))
    elif row["kind"] == "kelurahan":
        lines.append(t("village.tip.no_dana_desa", lang))
    lines.append(t("tooltip.status", lang, value=status_word(str(row["status"]), lang)))
    sources = {str(row.get(c)) for c in ("aparatur_source", "rentan_source")
               if _num(row.get(c))}
    if sources:
        illustrative = any(bool(row.get(c)) for c in ("aparatur_illustrative",
                                                      "rentan_illustrative")
                           if _num(row.get(c)))
        lines.append(t("provenance.illustrative" if illustrative else "provenance.published",
                       lang))
        lines.append(t("tooltip.source", lang,
                       value="; ".join(citations.get(s, s) for s in sorted(sources))))
    if not row.get("has_boundary"):
        lines.append(t("village.no_boundary", lang))
    return "\n".join(lines)


def village_values(table: pd.DataFrame, lang: str,
                   citations: Mapping[str, str] | None = None) -> pd.DataFrame:
    """``code, status, detail`` per village for the map."""
    records = table.to_dict("records")
    return pd.DataFrame({"code": table["code"], "status": table["status"],
                         "detail": [village_detail(r, lang, citations or {}) for r in records]})


def village_figure(village_geojson: Mapping, values: pd.DataFrame, *, lang: str,
                   bounds: tuple[float, float, float, float],
                   district_geojson: Mapping | None = None,
                   geojson_url: str | None = None, district_url: str | None = None,
                   extra_codes: Mapping[str, str] | None = None,
                   points: pd.DataFrame | None = None,
                   height: int = 620) -> go.Figure:
    """The village choropleth with district outlines on top.

    ``extra_codes``: boundary codes the reference lacks (code -> name as upstream); they are
    drawn grey with a tooltip saying so, never dropped. ``points`` (``code, lon, lat,
    area_km2``, a point inside each village): villages below :data:`SMALL_VILLAGE_KM2` get a
    dot in their status colour, with the same tooltip.
    """
    vals = values
    if extra_codes:
        vals = pd.concat([values, pd.DataFrame({
            "code": list(extra_codes), "status": "no_data",
            "detail": [t("village.not_in_reference", lang)] * len(extra_codes)})],
            ignore_index=True)
    colours = {s: palette.STATUS[s].hex for s in maps.STATUSES}
    fig = maps.choropleth_figure(
        village_geojson, vals, metric="status", colours=colours,
        labels=lambda s: status_word(s, lang), bounds=bounds, height=height,
        separators=fmt.plotly_separators(lang),
        legend_title=t("village.legend", lang), geojson_url=geojson_url)
    if points is not None and not points.empty:
        _small_village_dots(fig, points, vals, village_geojson)
    source = district_url or (dict(district_geojson) if district_geojson else None)
    if source is not None:
        fig.update_layout(map_layers=[{"sourcetype": "geojson", "source": source,
                                       "type": "line", "color": DISTRICT_LINE,
                                       "line": {"width": 1.6}, "below": ""}])
    return fig


def geojson_of(text: str) -> dict:
    return json.loads(text)


def village_rows(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The village table as shown and exported, with column names in the page's language."""
    def num(col: str) -> pd.Series:
        return table[col].astype("Float64").round().astype("Int64")

    provenance = [
        "" if not (_num(a) or _num(r)) else
        t("provenance.illustrative" if bool(a if _num(a) else r) else "provenance.published",
          lang)
        for a, r in zip(table["aparatur_illustrative"], table["rentan_illustrative"],
                        strict=True)]
    return pd.DataFrame({
        t("village.col.code", lang): table["code"],
        t("village.col.name", lang): table["name"],
        t("village.col.kind", lang): [t(f"village.kind.{k}", lang) for k in table["kind"]],
        t("village.col.district", lang): table["district_name"],
        t("village.col.status", lang): [status_word(s, lang) for s in table["status"]],
        t("village.col.aparatur", lang): num("aparatur_registered"),
        t("village.col.aparatur_eligible", lang): num("aparatur_eligible"),
        t("village.col.rentan", lang): num("rentan_registered"),
        t("village.col.funding", lang): [t(f"village.funding.{f}", lang) if f else ""
                                         for f in table["rentan_funding"]],
        t("village.col.gap", lang): table["rentan_gap"],
        t("village.col.cost", lang): table["rentan_cost"],
        t("village.col.boundary", lang): [t("village.yes", lang) if b
                                          else t("village.no_boundary", lang)
                                          for b in table["has_boundary"]],
        t("village.col.provenance", lang): provenance,
    })


def district_rows(summary: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Counts by district (the last row is the regency's total), column names translated."""
    names = [n if c else t("village.total", lang)
             for c, n in zip(summary["district_code"], summary["district_name"], strict=True)]
    return pd.DataFrame({
        t("village.col.district", lang): names,
        t("village.col.villages", lang): summary["villages"].astype(int),
        t("village.col.desa", lang): summary["desa"].astype(int),
        status_word("registered", lang): summary["registered"].astype(int),
        status_word("partial", lang): summary["partial"].astype(int),
        status_word("unregistered", lang): summary["unregistered"].astype(int),
        status_word("no_data", lang): summary["no_data"].astype(int),
        t("village.col.not_started", lang): summary["rentan_not_started"].astype(int),
        t("village.col.gap", lang): summary["rentan_gap"].astype(int),
        t("village.col.cost", lang): summary["rentan_cost"].astype(int),
    })


def _small_village_dots(fig: go.Figure, points: pd.DataFrame, values: pd.DataFrame,
                        village_geojson: Mapping) -> None:
    small = points[points["area_km2"] < SMALL_VILLAGE_KM2]
    if small.empty:
        return
    names = {f["properties"]["code"]: f["properties"].get("name", "")
             for f in village_geojson["features"]}
    status = dict(zip(values["code"], values["status"], strict=True))
    detail = dict(zip(values["code"], values["detail"], strict=True))
    fig.add_trace(go.Scattermap(
        lon=small["lon"], lat=small["lat"], mode="markers",
        marker={"size": 11, "color": [palette.STATUS[status.get(c, "no_data")].hex
                                      for c in small["code"]],
                "opacity": 0.95},
        customdata=[[html.escape(str(names.get(c, c))),
                     html.escape(str(detail.get(c, ""))).replace("\n", "<br>")]
                    for c in small["code"]],
        hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<extra></extra>",
        showlegend=False))
