"""Map figures for the app: pydeck decks and a plotly choropleth, from a view and values.

Pure functions, no Streamlit. Each builder takes the view's GeoJSON (from
:func:`cakupan.geo.view_geojson`, never mutated here) and a DataFrame of values per regency
``code``, and returns a figure whose colours and tooltip texts are computed in Python:
renderers cannot format numbers (pydeck) and must not interpret region names as markup.

Offline by design: no basemap (tiles need the internet; projector rooms often have none),
so the boundary layer itself is the base. Palettes and labels are parameters (plain dicts,
sequences and callables), so the app can pass ``cakupan.palette`` / ``cakupan.i18n``
values and this module depends on neither.

Sizes sent to the browser (measured by ``python -m cakupan bench``) are what
``Deck.to_json()`` / ``Figure.to_json()`` return; :class:`CompactDeck` keeps the pydeck
spec compact (pydeck indents its JSON by default, which triples the bytes).
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Literal

import pandas as pd
import plotly.colors
import plotly.graph_objects as go
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

Colour = str | Sequence[int]
Labels = Mapping[str, str] | Callable[[str], str]
TooltipMode = Literal["text", "html"]

STATUSES: tuple[str, ...] = ("registered", "partial", "unregistered", "no_data")
#: Fallbacks only (Okabe–Ito, colour-blind safe); the app passes ``cakupan.palette``'s.
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


def _label(labels: Labels | None, key: str, default: Mapping[str, str]) -> str:
    if labels is None:
        return default.get(key, key)
    if callable(labels):
        return labels(key)
    return labels.get(key, default.get(key, key))


def _pct_id(value: float) -> str:
    """Fallback percentage format (Indonesian: decimal comma); the app passes ``fmt.pct``."""
    return f"{value:.1f}".replace(".", ",") + "%"


# ---------------------------------------------------------------------------- values

def _by_code(values: pd.DataFrame | None, column: str) -> dict[str, object]:
    if values is None or values.empty or column not in values.columns:
        return {}
    if "code" not in values.columns:
        raise ValueError(f"values lack column 'code'; got {list(values.columns)}")
    return dict(zip(values["code"].astype(str), values[column], strict=True))


def _present(value: object) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value)) \
        and value is not pd.NA


def _tip(mode: TooltipMode, name: str, code: str, lines: Sequence[str]) -> str:
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


# ---------------------------------------------------------------------------- pydeck

class CompactDeck(pdk.Deck):
    """A ``pydeck.Deck`` whose ``to_json`` is compact.

    Streamlit sends ``deck.to_json()`` to the browser; pydeck's own serialiser indents by two
    spaces, which for a boundary layer is mostly whitespace.
    """

    def to_json(self) -> str:
        return json.dumps(self, sort_keys=True, default=default_serialize,
                          separators=(",", ":"), ensure_ascii=False)


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


def _bounds_of(geojson: Mapping) -> tuple[float, float, float, float]:
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


def _deck(geojson: Mapping, fills: Mapping[str, list[int]], tips: Mapping[str, str], *,
          mode: TooltipMode, points: pd.DataFrame | None, marker_max_km2: float,
          labels_text: Mapping[str, str] | None, columns: pd.DataFrame | None,
          column_radius_m: float, bounds: tuple[float, float, float, float] | None,
          height: int, layer_id: str) -> CompactDeck:
    features = []
    for feature in geojson["features"]:
        props = feature["properties"]
        code = str(props["code"])
        features.append({
            "type": "Feature",
            "geometry": feature["geometry"],  # shared, not copied: it is only serialised
            "properties": {"code": code, "name": props.get("name", ""),
                           "fill": fills[code], "tip": tips[code]},
        })
    layers: list[pdk.Layer] = [pdk.Layer(
        "GeoJsonLayer", id=layer_id,
        data={"type": "FeatureCollection", "features": features},
        pickable=True, stroked=True, filled=True,
        get_fill_color="properties.fill", get_line_color=list(OUTLINE),
        line_width_units="'pixels'", get_line_width=0.6, line_width_min_pixels=0.5,
        auto_highlight=True, highlight_color=[0, 0, 0, 60],
    )]
    names = {str(f["properties"]["code"]): f["properties"].get("name", "")
             for f in geojson["features"]}
    if points is not None and not points.empty:
        small = points[(points["area_km2"] < marker_max_km2) & points["code"].isin(fills)]
        if not small.empty:
            layers.append(pdk.Layer(
                "ScatterplotLayer", id=f"{layer_id}-markers",
                data=[{"code": c, "name": names.get(c, ""), "position": [float(x), float(y)],
                       "fill": fills[c], "tip": tips[c]}
                      for c, x, y in zip(small["code"], small["lon"], small["lat"], strict=True)],
                get_position="position", get_fill_color="fill", get_line_color=[40, 40, 40],
                stroked=True, line_width_min_pixels=1, radius_units="'pixels'", get_radius=5,
                pickable=True,
            ))
        if columns is not None and not columns.empty:
            values = _by_code(columns, "value")
            top = max((float(v) for v in values.values() if _present(v)), default=0.0)
            data = [{"code": c, "position": [float(x), float(y)], "value": float(values[c]),
                     "tip": tips.get(c, c)}
                    for c, x, y in zip(points["code"], points["lon"], points["lat"], strict=True)
                    if c in values and _present(values[c])]
            if data and top > 0:
                layers.append(pdk.Layer(
                    "ColumnLayer", id=f"{layer_id}-columns", data=data,
                    get_position="position", get_elevation="value",
                    # the tallest column is ~300 km high: readable at national and province zoom
                    elevation_scale=300_000 / top, radius=column_radius_m, disk_resolution=12,
                    extruded=True, get_fill_color=[40, 40, 40, 160], pickable=True,
                ))
        if labels_text:
            data = [{"position": [float(x), float(y)], "label": str(labels_text[c])}
                    for c, x, y in zip(points["code"], points["lon"], points["lat"], strict=True)
                    if c in labels_text]
            layers.append(pdk.Layer(
                "TextLayer", id=f"{layer_id}-labels", data=data, get_position="position",
                get_text="label", get_size=11, size_units="'pixels'", get_color=[20, 20, 20, 230],
                get_alignment_baseline="'bottom'", get_pixel_offset=[0, -6],
                character_set="'auto'", pickable=False,
            ))
    pitch = 40.0 if columns is not None and not columns.empty else 0.0
    tooltip = {"html": "{tip}"} if mode == "html" else {"text": "{tip}"}
    tooltip["style"] = {"fontSize": "13px", "whiteSpace": "pre-line", "maxWidth": "280px"}
    return CompactDeck(
        layers=layers,
        initial_view_state=view_state(bounds or _bounds_of(geojson), height=height, pitch=pitch),
        # No basemap: no provider, and pydeck's own "default style" sentinel left in place.
        # ``map_style=None`` would make Streamlit fetch its theme's Carto basemap (internet).
        map_provider=None, tooltip=tooltip, height=height,
    )


def status_deck(view_geojson: Mapping, values: pd.DataFrame | None, *,
                colours: Mapping[str, Colour] | None = None, labels: Labels | None = None,
                points: pd.DataFrame | None = None, marker_max_km2: float = MARKER_MAX_KM2,
                labels_text: Mapping[str, str] | None = None,
                columns: pd.DataFrame | None = None, column_radius_m: float = 6000.0,
                bounds: tuple[float, float, float, float] | None = None, height: int = 560,
                tooltip_mode: TooltipMode = "text") -> CompactDeck:
    """A pydeck map coloured by registration status.

    Parameters
    ----------
    view_geojson
        The view's FeatureCollection (properties ``code``, ``name``).
    values
        ``code``, ``status`` (one of :data:`STATUSES`) and optionally ``detail``: a
        pre-formatted string (lines separated by ``\\n``) for the tooltip, e.g. the count and
        the source. Regencies absent from ``values`` are shown as ``no_data``.
    colours, labels
        Status -> colour, and status -> label (dict or callable, e.g. ``i18n.status_label``).
    points
        :func:`cakupan.geo.representative_points` of the view: adds a marker for every
        regency smaller than ``marker_max_km2`` (small islands stay findable), a label layer
        when ``labels_text`` maps codes to text, and extruded columns from ``columns``
        (``code``, ``value``, e.g. workers still unprotected).
    tooltip_mode
        ``"text"`` (default; Streamlit and pydeck set it with ``innerText``) or ``"html"``
        (values escaped with :func:`html.escape`; note that Streamlit ≥ 1.67 escapes HTML
        tooltip values again itself).
    """
    colours = {**DEFAULT_STATUS_COLOURS, **(colours or {})}
    status = _by_code(values, "status")
    detail = _by_code(values, "detail")
    fills: dict[str, list[int]] = {}
    tips: dict[str, str] = {}
    for feature in view_geojson["features"]:
        code = str(feature["properties"]["code"])
        s = status.get(code)
        s = str(s) if _present(s) and s in colours else NO_DATA
        fills[code] = rgba(colours[s])
        extra = detail.get(code)
        tips[code] = _tip(tooltip_mode, feature["properties"].get("name", ""), code,
                          [_label(labels, s, DEFAULT_STATUS_LABELS),
                           str(extra) if _present(extra) else ""])
    return _deck(view_geojson, fills, tips, mode=tooltip_mode, points=points,
                 marker_max_km2=marker_max_km2, labels_text=labels_text, columns=columns,
                 column_radius_m=column_radius_m, bounds=bounds, height=height,
                 layer_id="status")


def coverage_deck(view_geojson: Mapping, values: pd.DataFrame | None, *,
                  edges: Sequence[float] = DEFAULT_COVERAGE_EDGES,
                  colours: Sequence[Colour] | None = None, no_data_colour: Colour | None = None,
                  fmt_pct: Callable[[float], str] = _pct_id, labels: Labels | None = None,
                  points: pd.DataFrame | None = None, marker_max_km2: float = MARKER_MAX_KM2,
                  labels_text: Mapping[str, str] | None = None,
                  columns: pd.DataFrame | None = None, column_radius_m: float = 6000.0,
                  bounds: tuple[float, float, float, float] | None = None, height: int = 560,
                  tooltip_mode: TooltipMode = "text") -> CompactDeck:
    """A pydeck map coloured by coverage % in steps (``edges``), grey where there is no data.

    ``values`` has ``code``, ``coverage_pct`` (0–100) and optionally ``detail`` (pre-formatted
    text). ``colours`` has one colour per bin (default: cividis steps); ``fmt_pct`` formats
    the percentage for the tooltip (pass ``fmt.pct`` bound to the language).
    """
    colours = list(colours) if colours is not None else coverage_colours(len(edges) - 1)
    if len(colours) != len(edges) - 1:
        raise ValueError(f"{len(edges) - 1} bins need as many colours, got {len(colours)}")
    grey = no_data_colour or DEFAULT_STATUS_COLOURS[NO_DATA]
    pct = _by_code(values, "coverage_pct")
    detail = _by_code(values, "detail")
    fills: dict[str, list[int]] = {}
    tips: dict[str, str] = {}
    for feature in view_geojson["features"]:
        code = str(feature["properties"]["code"])
        value = pct.get(code)
        step = coverage_step(float(value), edges) if _present(value) else None
        fills[code] = rgba(grey if step is None else colours[step])
        first = fmt_pct(float(value)) if step is not None else _label(
            labels, NO_DATA, DEFAULT_STATUS_LABELS)
        extra = detail.get(code)
        tips[code] = _tip(tooltip_mode, feature["properties"].get("name", ""), code,
                          [first, str(extra) if _present(extra) else ""])
    return _deck(view_geojson, fills, tips, mode=tooltip_mode, points=points,
                 marker_max_km2=marker_max_km2, labels_text=labels_text, columns=columns,
                 column_radius_m=column_radius_m, bounds=bounds, height=height,
                 layer_id="coverage")


# ---------------------------------------------------------------------------- plotly

def _map_layout(fig: go.Figure, bounds: tuple[float, float, float, float], height: int,
                separators: str) -> None:
    vs = view_state(bounds, height=height)
    fig.update_layout(
        map={"style": "white-bg", "center": {"lon": vs.longitude, "lat": vs.latitude},
             "zoom": vs.zoom},
        margin={"l": 0, "r": 0, "t": 0, "b": 0}, height=height, separators=separators,
    )


def choropleth_figure(view_geojson: Mapping, values: pd.DataFrame | None, *,
                      metric: Literal["status", "coverage"] = "status",
                      colours: Mapping[str, Colour] | Sequence[Colour] | None = None,
                      labels: Labels | None = None,
                      edges: Sequence[float] = DEFAULT_COVERAGE_EDGES,
                      no_data_colour: Colour | None = None,
                      fmt_pct: Callable[[float], str] = _pct_id,
                      bounds: tuple[float, float, float, float] | None = None,
                      height: int = 560, separators: str = ",.",
                      legend_title: str = "") -> go.Figure:
    """A plotly ``Choroplethmap`` (tile-free ``white-bg``: it draws offline) with ONE trace.

    Status is drawn as a numeric code on a stepped colour scale whose colour bar names the
    statuses; coverage as the percentage on a stepped scale with an extra grey band below 0
    for "no data", so every regency is drawn and the geometry is sent once.
    ``values`` columns are as for :func:`status_deck` / :func:`coverage_deck`.
    """
    codes = [str(f["properties"]["code"]) for f in view_geojson["features"]]
    names = {str(f["properties"]["code"]): f["properties"].get("name", "")
             for f in view_geojson["features"]}
    detail = _by_code(values, "detail")
    grey = hex_colour(no_data_colour or DEFAULT_STATUS_COLOURS[NO_DATA])
    z: list[float] = []
    shown: list[str] = []
    if metric == "status":
        palette = {**DEFAULT_STATUS_COLOURS, **(dict(colours) if isinstance(colours, Mapping)
                                                 else {})}
        status = _by_code(values, "status")
        for code in codes:
            s = status.get(code)
            s = str(s) if _present(s) and s in STATUSES else NO_DATA
            z.append(float(STATUSES.index(s)))
            shown.append(_label(labels, s, DEFAULT_STATUS_LABELS))
        n = len(STATUSES)
        colorscale = stepped_colorscale([hex_colour(palette[s]) for s in STATUSES])
        zmin, zmax = -0.5, n - 0.5
        colorbar = {"tickvals": list(range(n)),
                    "ticktext": [_label(labels, s, DEFAULT_STATUS_LABELS) for s in STATUSES]}
    else:
        steps = (list(colours) if colours is not None and not isinstance(colours, Mapping)
                 else coverage_colours(len(edges) - 1))
        pct = _by_code(values, "coverage_pct")
        width = edges[1] - edges[0]
        floor = edges[0] - width  # the grey "no data" band sits below the first edge
        for code in codes:
            value = pct.get(code)
            if _present(value):
                v = min(max(float(value), edges[0]), edges[-1])
                z.append(v)
                shown.append(fmt_pct(float(value)))
            else:
                z.append(floor + width / 2)
                shown.append(_label(labels, NO_DATA, DEFAULT_STATUS_LABELS))
        span = edges[-1] - floor
        bounds01 = [0.0, *[(e - floor) / span for e in edges]]
        colorscale = stepped_colorscale([grey, *[hex_colour(c) for c in steps]], bounds01)
        zmin, zmax = floor, edges[-1]
        colorbar = {"tickvals": [floor + width / 2, *edges],
                    "ticktext": [_label(labels, NO_DATA, DEFAULT_STATUS_LABELS),
                                 *[fmt_pct(float(e)).replace(",0%", "%") for e in edges]]}
    customdata = [[html.escape(names[c]), html.escape(shown[i]),
                   html.escape(str(detail[c])).replace("\n", "<br>")
                   if _present(detail.get(c)) else ""]
                  for i, c in enumerate(codes)]
    fig = go.Figure(go.Choroplethmap(
        geojson=view_geojson, featureidkey="properties.code", locations=codes, z=z,
        zmin=zmin, zmax=zmax, colorscale=colorscale, customdata=customdata,
        marker={"line": {"width": 0.6, "color": "#FFFFFF"}},
        colorbar={**colorbar, "title": {"text": legend_title}, "thickness": 14},
        hovertemplate="<b>%{customdata[0]}</b> (%{location})<br>%{customdata[1]}"
                      "<br>%{customdata[2]}<extra></extra>",
    ))
    _map_layout(fig, bounds or _bounds_of(view_geojson), height, separators)
    return fig


def deck_payload_bytes(deck: pdk.Deck) -> int:
    """Bytes of the spec Streamlit sends for a deck (``st.pydeck_chart`` uses ``to_json``)."""
    return len(deck.to_json().encode("utf-8"))


def figure_payload_bytes(fig: go.Figure) -> int:
    """Bytes of a plotly figure's JSON (what ``st.plotly_chart`` serialises)."""
    return len(fig.to_json().encode("utf-8"))
