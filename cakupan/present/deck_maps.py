"""pydeck maps: the status and coverage decks (offline, no basemap) and the compact deck spec.

pydeck cannot format numbers, so fills and tooltip texts come from :mod:`cakupan.present.maps`,
computed in Python; :class:`CompactDeck` keeps the spec compact (pydeck indents its JSON by
default, which triples the bytes).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence

import pandas as pd
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

from cakupan.present.maps import (
    DEFAULT_COVERAGE_EDGES,
    DEFAULT_STATUS_COLOURS,
    DEFAULT_STATUS_LABELS,
    MARKER_MAX_KM2,
    NO_DATA,
    OUTLINE,
    Colour,
    Labels,
    TooltipMode,
    bounds_of,
    by_code,
    coverage_colours,
    coverage_step,
    is_present,
    label_of,
    pct_id,
    rgba,
    tooltip,
    view_state,
)


class CompactDeck(pdk.Deck):
    """A ``pydeck.Deck`` whose ``to_json`` is compact.

    Streamlit sends ``deck.to_json()`` to the browser; pydeck's own serialiser indents by two
    spaces, which for a boundary layer is mostly whitespace.
    """

    def to_json(self) -> str:
        return json.dumps(self, sort_keys=True, default=default_serialize,
                          separators=(",", ":"), ensure_ascii=False)


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
            values = by_code(columns, "value")
            top = max((float(v) for v in values.values() if is_present(v)), default=0.0)
            data = [{"code": c, "position": [float(x), float(y)], "value": float(values[c]),
                     "tip": tips.get(c, c)}
                    for c, x, y in zip(points["code"], points["lon"], points["lat"], strict=True)
                    if c in values and is_present(values[c])]
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
        initial_view_state=view_state(bounds or bounds_of(geojson), height=height, pitch=pitch),
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
    status = by_code(values, "status")
    detail = by_code(values, "detail")
    fills: dict[str, list[int]] = {}
    tips: dict[str, str] = {}
    for feature in view_geojson["features"]:
        code = str(feature["properties"]["code"])
        s = status.get(code)
        s = str(s) if is_present(s) and s in colours else NO_DATA
        fills[code] = rgba(colours[s])
        extra = detail.get(code)
        tips[code] = tooltip(tooltip_mode, feature["properties"].get("name", ""), code,
                          [label_of(labels, s, DEFAULT_STATUS_LABELS),
                           str(extra) if is_present(extra) else ""])
    return _deck(view_geojson, fills, tips, mode=tooltip_mode, points=points,
                 marker_max_km2=marker_max_km2, labels_text=labels_text, columns=columns,
                 column_radius_m=column_radius_m, bounds=bounds, height=height,
                 layer_id="status")


def coverage_deck(view_geojson: Mapping, values: pd.DataFrame | None, *,
                  edges: Sequence[float] = DEFAULT_COVERAGE_EDGES,
                  colours: Sequence[Colour] | None = None, no_data_colour: Colour | None = None,
                  fmt_pct: Callable[[float], str] = pct_id, labels: Labels | None = None,
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
    pct = by_code(values, "coverage_pct")
    detail = by_code(values, "detail")
    fills: dict[str, list[int]] = {}
    tips: dict[str, str] = {}
    for feature in view_geojson["features"]:
        code = str(feature["properties"]["code"])
        value = pct.get(code)
        step = coverage_step(float(value), edges) if is_present(value) else None
        fills[code] = rgba(grey if step is None else colours[step])
        first = fmt_pct(float(value)) if step is not None else label_of(
            labels, NO_DATA, DEFAULT_STATUS_LABELS)
        extra = detail.get(code)
        tips[code] = tooltip(tooltip_mode, feature["properties"].get("name", ""), code,
                          [first, str(extra) if is_present(extra) else ""])
    return _deck(view_geojson, fills, tips, mode=tooltip_mode, points=points,
                 marker_max_km2=marker_max_km2, labels_text=labels_text, columns=columns,
                 column_radius_m=column_radius_m, bounds=bounds, height=height,
                 layer_id="coverage")




def deck_payload_bytes(deck: pdk.Deck) -> int:
    """Bytes of the spec Streamlit sends for a deck (``st.pydeck_chart`` uses ``to_json``)."""
    return len(deck.to_json().encode("utf-8"))
