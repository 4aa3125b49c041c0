"""The map of another measure than UCJ coverage: Kemnaker's 2023 active participants.

Kemnaker's "peserta aktif" counts participants (wage earners, non-wage earners, construction
workers), not coverage of workers outside ASN/TNI/Polri as BPJS's UCJ does, so it is drawn as
counts on a scale of its own, titled as Kemnaker's, and never beside a coverage colour.

Its table has 34 provinces, from before the 2022 Papua splits: its "Papua" is today's 91, 93,
94 and 95 (old extent ``91~pra2022``) and its "Papua Barat" today's 92 and 96
(``92~pra2022``). Each regency is painted with the figure of the 2023 extent it lies in
(:func:`extent_key`) and its own outline is left out, so the map reads as those 34 extents
while keeping the view's one boundary file fetched by URL (:mod:`cakupan.geo.assets`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import pairwise

import pandas as pd
import plotly.graph_objects as go

from cakupan import geo, regions
from cakupan.core.i18n import t
from cakupan.present import fmt, maps

#: The published measure and the period of the 34-province table (``store.published_measures``).
KEMNAKER_MEASURE = "kemnaker_active_participants"
KEMNAKER_PERIOD = "2023"
#: People: six steps from a quarter million to eight million (2023: 176,383 to 7,498,532).
COUNT_EDGES: tuple[float, ...] = (0, 250_000, 500_000, 1_000_000, 2_000_000, 4_000_000,
                                  8_000_000)
#: Kemnaker's membership types, in the order its table gives them.
PARTS: tuple[str, ...] = ("pu", "bpu", "jakon")


def extent_key(code: str) -> str:
    """The 2023 (34-province) extent a regency or province lies in: ``"94.01"`` ->
    ``"91~pra2022"``, ``"96"`` -> ``"92~pra2022"``, ``"81.01"`` -> ``"81"``."""
    province = str(code)[:2]
    extent = regions.old_extent_of(province)
    return extent.key if extent is not None else province


def extent_name(key: str, lang: str) -> str:
    """An extent's name: an old extent's label, else the province's name."""
    if regions.is_old_extent(key):
        extent = regions.old_extent(key)
        return extent.name if lang == "id" else extent.name_en
    return regions.name_of(key)


def kemnaker_values(measures: pd.DataFrame, codes: Iterable[str], lang: str,
                    citations: Mapping[str, str] | None = None) -> pd.DataFrame:
    """``code, value, status, extent, detail`` for each of ``codes`` from published measure
    rows (``store.published_measures(engine, KEMNAKER_MEASURE, KEMNAKER_PERIOD)``).

    ``value`` is the extent's total of active participants (NaN where the table has none,
    ``status`` then ``no_data``); ``detail`` the tooltip: the figure with its extent, the
    split by membership type, that it is another measure than UCJ, and its source.
    """
    cites = citations or {}
    rows = measures[(measures["measure"] == KEMNAKER_MEASURE)
                    & (measures["period"].astype(str) == KEMNAKER_PERIOD)]
    by_key: dict[tuple[str, str], Mapping] = {}
    for record in rows.to_dict("records"):
        by_key.setdefault((str(record["region_code"]), str(record["segment"])), record)
    out = []
    for code in codes:
        key = extent_key(code)
        total = by_key.get((key, "all"))
        name = extent_name(key, lang)
        if total is None:
            out.append((code, float("nan"), "no_data", key,
                        t("measure_map.none", lang, region=name)))
            continue
        lines = [t("measure_map.value", lang, region=name,
                   value=fmt.number(total["value"], lang))]
        parts = [t(f"measure_map.part.{p}", lang, value=fmt.number(by_key[(key, p)]["value"],
                                                                    lang))
                 for p in PARTS if (key, p) in by_key]
        if parts:
            lines.append(" · ".join(parts))
        if regions.is_old_extent(key):
            lines.append(t("measure_map.old_extent", lang, names=", ".join(
                regions.name_of(c) for c in regions.old_extent(key).successors)))
        lines.append(t("measure_map.other_measure", lang))
        source = cites.get(str(total["source_id"]), str(total["source_id"]))
        lines.append(t("tooltip.source", lang, value=source))
        out.append((code, float(total["value"]), "registered", key, "\n".join(lines)))
    return pd.DataFrame(out, columns=["code", "value", "status", "extent", "detail"])


def bin_labels(lang: str) -> list[str]:
    """"di bawah 250 rb", "250–500 rb", ... "≥ 4 jt": short, so the six swatches fit under the map
    in one or two rows (full numbers are in every tooltip)."""
    labels = t("measure_map.bins", lang).split("|")
    if len(labels) != len(COUNT_EDGES) - 1:  # a catalogue edit that broke the steps
        return [f"{fmt.number(lo, lang)}–{fmt.number(hi, lang)}"
                for lo, hi in pairwise(COUNT_EDGES)]
    return labels


def kemnaker_choropleth(view: str, values: pd.DataFrame, *, lang: str = "id",
                        height: int = 560, geojson_url: str | None = None) -> go.Figure:
    """The view's regencies painted with their 2023 extent's active participants, regency
    outlines left out (the extents are what the figures are of), on a count scale of its
    own (cividis steps: not the coverage palette, so it is not read as coverage).

    Raises :class:`cakupan.core.errors.GeoUnavailable` when the boundaries cannot be had.
    """
    geojson = geo.view_geojson(view)
    fig = maps.choropleth_figure(
        geojson, values.rename(columns={"value": "coverage_pct"}), metric="coverage",
        colours=maps.coverage_colours(len(COUNT_EDGES) - 1), edges=COUNT_EDGES,
        labels=lambda s: t("measure_map.no_figure", lang), fmt_pct=lambda v: fmt.number(v, lang),
        legend_title=t("measure_map.legend", lang), bin_labels=bin_labels(lang),
        height=height, separators=fmt.plotly_separators(lang), bounds=geo.view_bounds(view),
        geojson_url=geojson_url)
    fig.update_traces(marker_line_width=0, selector={"type": "choroplethmap"})
    return fig


def alt_text(values: pd.DataFrame, lang: str) -> str:
    """The map in one sentence: how many extents have a figure, the smallest and largest."""
    known = values.dropna(subset=["value"]).drop_duplicates("extent")
    if known.empty:
        return t("measure_map.alt_empty", lang)
    low = known.loc[known["value"].idxmin()]
    high = known.loc[known["value"].idxmax()]
    return t("measure_map.alt", lang, n=fmt.number(len(known), lang),
             low=fmt.number(low["value"], lang), low_name=extent_name(low["extent"], lang),
             high=fmt.number(high["value"], lang), high_name=extent_name(high["extent"], lang))
