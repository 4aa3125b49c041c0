"""Map figures for the app: the plotly choropleth, and what both map renderers share (colours,
values by code, tooltips); the pydeck decks are in :mod:`cakupan.present.deck_maps`.

Pure functions, no Streamlit. Each builder takes the view's GeoJSON (from
:func:`cakupan.geo.view_geojson`, never mutated here) and a DataFrame of values per regency
``code``, and returns a figure whose colours and tooltip texts are computed in Python:
renderers cannot format numbers (pydeck) and must not interpret region names as markup.

Offline by design: no basemap (tiles need the internet; projector rooms often have none),
so the boundary layer itself is the base. Palettes and labels are parameters (plain dicts,
sequences and callables), so the app can pass ``cakupan.present.palette`` / ``cakupan.core.i18n``
values and this module depends on neither.

Sizes sent to the browser (measured by ``python -m cakupan bench``) are what
``Deck.to_json()`` / ``Figure.to_json()`` return; :class:`CompactDeck` keeps the pydeck
spec compact (pydeck indents its JSON by default, which triples the bytes).
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Mapping, Sequence
from itertools import pairwise
from typing import Literal

import pandas as pd
import plotly.colors
import plotly.graph_objects as go
import pydeck as pdk

Colour = str | Sequence[int]
Labels = Mapping[str, str] | Callable[[str], str]
TooltipMode = Literal["text", "html"]

STATUSES: tuple[str, ...] = ("registered", "partial", "unregistered", "no_data")
#: Fallbacks only (Okabe–Ito, colour-blind safe); the app passes ``cakupan.present.palette``'s.
DEFAULT_STATUS_COLOURS: dict[str, str] = {
    "registered": "#009E73", "partial": "#E69F00", "unregistered": "#D55E00",
    "no_data": "#D9D9D9",
}
DEFAULT_STATUS_LABELS: dict[str, str] = {
    "registered": "Terdaftar", "partial": "Sebagian", "unregistered": "Belum terdaftar",
    "no_data": "Tidak ada data",
}
DEFAULT_COVERAGE_EDGES: tuple[float, ...] = (0, 20, 40, 55, 70, 90, 100)
NO_DATA = "no_data"
OUTLINE = (255, 255, 255)
#: Regencies smaller than this get a marker so small islands stay findable.
MARKER_MAX_KM2 = 1500.0


# ---------------------------------------------------------------------------- colours

def rgba(colour: Colour, alpha: int = 255) -> list[int]:
    """``"#RRGGBB"``, ``"rgb(r, g, b)"`` or a sequence -> ``[r, g, b, a]`` for pydeck."""
    if isinstance(colour, str):
        text = colour.strip()
        if text.startswith("#") and len(text) == 7:
            rgb = [int(text[i:i + 2], 16) for i in (1, 3, 5)]
        elif text.startswith("rgb"):
            rgb = [round(float(v)) for v in text[text.index("(") + 1:-1].split(",")[:3]]
        else:
            raise ValueError(f"colour {colour!r}: expected '#RRGGBB' or 'rgb(r, g, b)'")
    else:
        rgb = [int(v) for v in list(colour)[:3]]
    return [*rgb, alpha if isinstance(colour, str) or len(colour) < 4 else int(colour[3])]


def hex_colour(colour: Colour) -> str:
    r, g, b, _ = rgba(colour)
    return f"#{r:02X}{g:02X}{b:02X}"


def coverage_colours(n: int) -> list[str]:
    """``n`` steps of cividis, light = low and dark = high (colour-blind safe, monotone in
    lightness, readable in greyscale). The app may pass its own palette instead."""
    points = [(i + 0.5) / n for i in range(n)]
    return [hex_colour(c) for c in plotly.colors.sample_colorscale("Cividis_r", points)]


def coverage_step(pct: float | None, edges: Sequence[float]) -> int | None:
    """Index of the bin ``[edges[i], edges[i+1])`` holding ``pct`` (the top edge included)."""
    if pct is None or (isinstance(pct, float) and math.isnan(pct)):
        return None
    value = min(max(float(pct), edges[0]), edges[-1])
    for i in range(len(edges) - 1):
        if value < edges[i + 1]:
            return i
    return len(edges) - 2


def stepped_colorscale(colours: Sequence[str], bounds: Sequence[float] | None = None
                       ) -> list[list[float | str]]:
    """A plotly colour scale with hard steps (one flat band per colour).

    ``bounds`` are the band edges normalised to 0..1 (default: equal bands). One trace with
    a numeric code per category avoids ``px.choropleth``'s one-trace-per-category, each
    with its own copy of the geometry (plotly.py issue 5291).
    """
    n = len(colours)
    bounds = list(bounds) if bounds is not None else [i / n for i in range(n + 1)]
    scale: list[list[float | str]] = []
    for i, colour in enumerate(colours):
        scale.append([float(bounds[i]), colour])
        scale.append([float(bounds[i + 1]), colour])
    return scale


def label_of(labels: Labels | None, key: str, default: Mapping[str, str]) -> str:
    if labels is None:
        return default.get(key, key)
    if callable(labels):
        return labels(key)
    return labels.get(key, default.get(key, key))


def pct_id(value: float) -> str:
    """Fallback percentage format (Indonesian: decimal comma); the app passes ``fmt.pct``."""
    return f"{value:.1f}".replace(".", ",") + "%"


# ---------------------------------------------------------------------------- values

def by_code(values: pd.DataFrame | None, column: str) -> dict[str, object]:
    if values is None or values.empty or column not in values.columns:
        return {}
    if "code" not in values.columns:
        raise ValueError(f"values lack column 'code'; got {list(values.columns)}")
    return dict(zip(values["code"].astype(str), values[column], strict=True))


def is_present(value: object) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value)) \
        and value is not pd.NA


def tooltip(mode: TooltipMode, name: str, code: str, lines: Sequence[str]) -> str:
    """Tooltip body from pre-formatted strings.

    ``text``: plain text (the renderer assigns it with ``innerText``, so nothing in a name can
    become markup). ``html``: every value escaped with :func:`html.escape` before it is put
    between tags.
    """
    if mode == "html":
        body = "<br/>".join(html.escape(str(line)) for line in lines if line)
        head = f"<b>{html.escape(name)}</b> ({html.escape(code)})"
        return head + (f"<br/>{body}" if body else "")
    return "\n".join([f"{name} ({code})", *[str(line) for line in lines if line]])


# ---------------------------------------------------------------------------- plotly

def view_state(bounds: tuple[float, float, float, float], width: int = 700, height: int = 560,
               pitch: float = 0.0) -> pdk.ViewState:
    """Centre and zoom (web-mercator) that fit ``bounds`` in a ``width`` x ``height`` map.

    The width default is a Streamlit main column (~700 px); zoom keeps a small margin.
    """
    minx, miny, maxx, maxy = bounds

    def merc(lat: float) -> float:
        lat = max(min(lat, 85.0), -85.0)
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    span_x = max(maxx - minx, 1e-6) / 360.0
    span_y = max(merc(maxy) - merc(miny), 1e-6) / (2 * math.pi)
    zoom = math.log2(min(width / (512 * span_x), height / (512 * span_y)))
    centre_y = math.degrees(math.atan(math.sinh((merc(maxy) + merc(miny)) / 2)))
    return pdk.ViewState(longitude=(minx + maxx) / 2, latitude=centre_y,
                         zoom=round(zoom - 0.2, 2), pitch=pitch, bearing=0)


def bounds_of(geojson: Mapping) -> tuple[float, float, float, float]:
    xs: list[float] = []
    ys: list[float] = []

    def walk(coords: object) -> None:
        if isinstance(coords, list) and coords and isinstance(coords[0], int | float):
            xs.append(float(coords[0]))
            ys.append(float(coords[1]))
        elif isinstance(coords, list):
            for c in coords:
                walk(c)

    for feature in geojson["features"]:
        walk(feature["geometry"]["coordinates"])
    return (min(xs), min(ys), max(xs), max(ys))


#: What plotly's default template gives a map, without the ~7 KB of other trace types'
#: defaults that every figure would otherwise carry on every rerun.
MAP_TEMPLATE = go.layout.Template(
    layout={"font": {"color": "#2a3f5f"}, "hoverlabel": {"align": "left"},
            "paper_bgcolor": "white"},
    data={"choroplethmap": [{"type": "choroplethmap",
                             "colorbar": {"outlinewidth": 0, "ticks": ""}}]})


#: ``layout.meta`` key holding the view's extent ``[west, south, east, north]``: the page's
#: fitting script (``ui/map_fit.py``) fits the map to it in the frame it actually got, which
#: the server cannot know (a projector, a laptop, a phone).
FIT_KEY = "cakupan_fit"


def _map_layout(fig: go.Figure, bounds: tuple[float, float, float, float], height: int,
                separators: str, revision: str) -> None:
    vs = view_state(bounds, height=height)
    fig.update_layout(
        map={"style": "white-bg", "center": {"lon": vs.longitude, "lat": vs.latitude},
             "zoom": vs.zoom},
        margin={"l": 0, "r": 0, "t": 0, "b": 0}, height=height, separators=separators,
        meta={FIT_KEY: [round(float(b), 4) for b in bounds]},
        # The same view keeps its framing (fitted, or the reader's own pan and zoom) when a
        # rerun brings new values, e.g. a month step; another view starts afresh.
        uirevision=revision,
    )


def _legend(fig: go.Figure, entries: Sequence[tuple[str, str]], title: str) -> None:
    """Categories as labelled swatches under the map (never over it; they wrap on a phone).

    plotly draws a legend entry per trace, so each category is an empty trace that only
    shows in the legend; clicking an entry does nothing (it would hide nothing).
    """
    for label, colour in entries:
        fig.add_trace(go.Scattermap(
            lon=[None], lat=[None], mode="markers", name=label, showlegend=True,
            marker={"size": 16, "color": colour}, hoverinfo="skip"))
    fig.update_layout(legend={
        "orientation": "h", "x": 0, "xanchor": "left", "y": 0, "yanchor": "top",
        "title": {"text": title, "side": "top left"}, "font": {"size": 15},
        "itemclick": False, "itemdoubleclick": False, "bgcolor": "rgba(255,255,255,0)",
        "traceorder": "normal"})


def choropleth_figure(view_geojson: Mapping, values: pd.DataFrame | None, *,
                      metric: Literal["status", "coverage"] = "status",
                      colours: Mapping[str, Colour] | Sequence[Colour] | None = None,
                      labels: Labels | None = None,
                      edges: Sequence[float] = DEFAULT_COVERAGE_EDGES,
                      no_data_colour: Colour | None = None,
                      fmt_pct: Callable[[float], str] = pct_id,
                      bounds: tuple[float, float, float, float] | None = None,
                      height: int = 560, separators: str = ",.",
                      legend_title: str = "", geojson_url: str | None = None,
                      bin_labels: Sequence[str] | None = None) -> go.Figure:
    """A plotly ``Choroplethmap`` (tile-free ``white-bg``: it draws offline) with ONE trace.

    ``geojson_url``: the trace names its geometry by URL instead of carrying it (plotly.js
    fetches it once per page and keeps it), so the figure holds only values and is small on
    every rerun; ``view_geojson`` still gives the codes, names and (without ``bounds``) the
    extent. Without it the geometry is inside the figure (exports, offline files).

    Status is drawn as a numeric code on a stepped colour scale, coverage as the percentage
    on a stepped scale with an extra grey band below 0 for "no data", so every regency is
    drawn and the geometry is sent once. The legend is categorical either way: a labelled
    swatch per status or per bin (``bin_labels``, default from ``edges`` and ``fmt_pct``),
    under the map.
    ``values`` columns are as for :func:`status_deck` / :func:`coverage_deck`.
    """
    codes = [str(f["properties"]["code"]) for f in view_geojson["features"]]
    names = {str(f["properties"]["code"]): f["properties"].get("name", "")
             for f in view_geojson["features"]}
    detail = by_code(values, "detail")
    grey = hex_colour(no_data_colour or DEFAULT_STATUS_COLOURS[NO_DATA])
    z: list[float | int] = []
    shown: list[str] = []
    if metric == "status":
        palette = {**DEFAULT_STATUS_COLOURS, **(dict(colours) if isinstance(colours, Mapping)
                                                 else {})}
        status = by_code(values, "status")
        for code in codes:
            s = status.get(code)
            s = str(s) if is_present(s) and s in STATUSES else NO_DATA
            z.append(STATUSES.index(s))  # an int: "3", not "3.0", 514 times per rerun
            shown.append(label_of(labels, s, DEFAULT_STATUS_LABELS))
        n = len(STATUSES)
        colorscale = stepped_colorscale([hex_colour(palette[s]) for s in STATUSES])
        zmin, zmax = -0.5, n - 0.5
        legend = [(label_of(labels, s, DEFAULT_STATUS_LABELS), hex_colour(palette[s]))
                  for s in STATUSES]
    else:
        steps = (list(colours) if colours is not None and not isinstance(colours, Mapping)
                 else coverage_colours(len(edges) - 1))
        pct = by_code(values, "coverage_pct")
        width = edges[1] - edges[0]
        floor = edges[0] - width  # the grey "no data" band sits below the first edge
        for code in codes:
            value = pct.get(code)
            if is_present(value):
                v = min(max(float(value), edges[0]), edges[-1])
                z.append(v)
                shown.append(fmt_pct(float(value)))
            else:
                z.append(floor + width / 2)
                shown.append(label_of(labels, NO_DATA, DEFAULT_STATUS_LABELS))
        span = edges[-1] - floor
        bounds01 = [0.0, *[(e - floor) / span for e in edges]]
        colorscale = stepped_colorscale([grey, *[hex_colour(c) for c in steps]], bounds01)
        zmin, zmax = floor, edges[-1]
        names_of_bins = list(bin_labels) if bin_labels is not None else [
            f"{fmt_pct(float(lo))}–{fmt_pct(float(hi))}" for lo, hi in pairwise(edges)]
        legend = [*zip(names_of_bins, [hex_colour(c) for c in steps], strict=True),
                  (label_of(labels, NO_DATA, DEFAULT_STATUS_LABELS), grey)]
    # One hover line per region: its detail (which already names the status or the %), else
    # the status or % alone; escaped, since plotly reads hover text as (limited) HTML.
    lines = [html.escape(str(detail[c])).replace("\n", "<br>") if is_present(detail.get(c))
             else html.escape(shown[i]) for i, c in enumerate(codes)]
    if geojson_url:
        # The name comes from the fetched file's properties (escaped there, see
        # cakupan.geo.assets), so a month step carries no names either.
        customdata = [[line] for line in lines]
        head = "<b>%{properties.name}</b>"
    else:
        customdata = [[html.escape(names[c]), line] for c, line in zip(codes, lines,
                                                                      strict=True)]
        head = "<b>%{customdata[0]}</b>"
    fig = go.Figure(go.Choroplethmap(
        geojson=geojson_url or view_geojson, featureidkey="properties.code",
        locations=codes, z=z,
        zmin=zmin, zmax=zmax, colorscale=colorscale, customdata=customdata,
        marker={"line": {"width": 0.6, "color": "#FFFFFF"}}, showscale=False,
        hovertemplate=head + " (%{location})<br>%{customdata[" + ("0" if geojson_url else "1")
        + "]}<extra></extra>",
    ), layout={"template": MAP_TEMPLATE})
    _legend(fig, legend, legend_title)
    extent = bounds or bounds_of(view_geojson)
    _map_layout(fig, extent, height, separators, revision=f"{metric}:{codes[:1]}:{len(codes)}")
    return fig


def category_figure(view_geojson: Mapping, values: pd.DataFrame | None, *,
                    categories: Sequence[str], colours: Mapping[str, Colour],
                    labels: Labels, column: str = "category",
                    bounds: tuple[float, float, float, float] | None = None,
                    height: int = 560, separators: str = ",.", legend_title: str = "",
                    geojson_url: str | None = None, revision: str = "category") -> go.Figure:
    """A categorical ``Choroplethmap`` (one trace, geometry once) for any ordered set of
    categories, e.g. the gap to a target's path or the UCJ categories.

    ``values`` has ``code``, ``column`` (a key of ``categories``, anything else counts as
    ``no_data``) and optionally ``detail`` (the tooltip). The legend is a labelled swatch per
    category then "no data", under the map, as for :func:`choropleth_figure`.
    """
    keys = [*categories, NO_DATA]
    codes = [str(f["properties"]["code"]) for f in view_geojson["features"]]
    names = {str(f["properties"]["code"]): f["properties"].get("name", "")
             for f in view_geojson["features"]}
    category = by_code(values, column)
    detail = by_code(values, "detail")
    z: list[int] = []
    lines: list[str] = []
    for code in codes:
        key = category.get(code)
        key = str(key) if is_present(key) and key in keys else NO_DATA
        z.append(keys.index(key))
        text = detail.get(code) if is_present(detail.get(code)) else label_of(labels, key, {})
        lines.append(html.escape(str(text)).replace("\n", "<br>"))
    hexes = [hex_colour(colours[k]) for k in keys]
    if geojson_url:
        customdata = [[line] for line in lines]
        head, slot = "<b>%{properties.name}</b>", "0"
    else:
        customdata = [[html.escape(names[c]), line] for c, line in zip(codes, lines,
                                                                      strict=True)]
        head, slot = "<b>%{customdata[0]}</b>", "1"
    fig = go.Figure(go.Choroplethmap(
        geojson=geojson_url or view_geojson, featureidkey="properties.code",
        locations=codes, z=z, zmin=-0.5, zmax=len(keys) - 0.5,
        colorscale=stepped_colorscale(hexes), customdata=customdata,
        marker={"line": {"width": 0.6, "color": "#FFFFFF"}}, showscale=False,
        hovertemplate=head + " (%{location})<br>%{customdata[" + slot + "]}<extra></extra>",
    ), layout={"template": MAP_TEMPLATE})
    _legend(fig, [(label_of(labels, k, {}), h) for k, h in zip(keys, hexes, strict=True)],
            legend_title)
    _map_layout(fig, bounds or bounds_of(view_geojson), height, separators,
                revision=f"{revision}:{codes[:1]}:{len(codes)}")
    return fig


def figure_payload_bytes(fig: go.Figure) -> int:
    """Bytes of a plotly figure's JSON (what ``st.plotly_chart`` serialises)."""
    return len(fig.to_json().encode("utf-8"))
