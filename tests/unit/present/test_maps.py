"""Map builders on a three-regency view: layers, colours by value, escaped tooltips, payloads."""

from __future__ import annotations

import copy
import json

import pandas as pd
import pytest

from cakupan.present import deck_maps, maps

pytestmark = pytest.mark.unit

EVIL = "<script>alert(1)</script> & Co"


def _square(x: float, y: float, size: float = 1.0) -> dict:
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture
def view() -> dict:
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": "81.01", "name": "Kabupaten A"},
         "geometry": _square(128, -4)},
        {"type": "Feature", "properties": {"code": "81.02", "name": EVIL},
         "geometry": _square(130, -6)},
        {"type": "Feature", "properties": {"code": "81.71", "name": "Kota C"},
         "geometry": _square(128.2, -3.7, 0.1)},
    ]}


@pytest.fixture
def points() -> pd.DataFrame:
    return pd.DataFrame({"code": ["81.01", "81.02", "81.71"], "lon": [128.5, 130.5, 128.25],
                         "lat": [-3.5, -5.5, -3.65], "area_km2": [12000.0, 12000.0, 120.0]})


COLOURS = {"registered": "#010203", "partial": "#040506", "unregistered": "#070809",
           "no_data": "#0A0B0C"}


def _spec(deck) -> dict:
    return json.loads(deck.to_json())


def _geo_layer(spec: dict) -> dict:
    return next(layer for layer in spec["layers"] if layer["@@type"] == "GeoJsonLayer")


def test_status_deck_colours_each_feature_by_status(view: dict) -> None:
    values = pd.DataFrame({"code": ["81.01", "81.02"], "status": ["registered", "unregistered"]})
    spec = _spec(deck_maps.status_deck(view, values, colours=COLOURS))
    features = _geo_layer(spec)["data"]["features"]
    assert len(features) == 3
    fills = {f["properties"]["code"]: f["properties"]["fill"] for f in features}
    assert fills == {"81.01": [1, 2, 3, 255], "81.02": [7, 8, 9, 255],
                     "81.71": [10, 11, 12, 255]}  # absent -> no_data


def test_status_deck_layers_markers_for_small_regencies_and_labels(
        view: dict, points: pd.DataFrame) -> None:
    deck = deck_maps.status_deck(view, None, points=points, labels_text={"81.71": "Kota C"},
                            marker_max_km2=1000)
    spec = _spec(deck)
    assert [layer["@@type"] for layer in spec["layers"]] == [
        "GeoJsonLayer", "ScatterplotLayer", "TextLayer"]
    markers = spec["layers"][1]["data"]
    assert [m["code"] for m in markers] == ["81.71"]
    assert spec["layers"][1]["radiusUnits"] == "pixels"
    assert spec["layers"][2]["data"][0]["label"] == "Kota C"
    assert all(layer.get("pickable") for layer in spec["layers"][:2])


def test_columns_layer_is_extruded_at_representative_points(
        view: dict, points: pd.DataFrame) -> None:
    columns = pd.DataFrame({"code": ["81.01", "81.02"], "value": [100.0, 50.0]})
    spec = _spec(deck_maps.status_deck(view, None, points=points, columns=columns))
    layer = next(x for x in spec["layers"] if x["@@type"] == "ColumnLayer")
    assert [d["value"] for d in layer["data"]] == [100.0, 50.0]
    assert spec["initialViewState"]["pitch"] > 0


def test_text_tooltip_carries_the_name_verbatim_without_markup(view: dict) -> None:
    values = pd.DataFrame({"code": ["81.02"], "status": ["partial"], "detail": ["1.234 pekerja"]})
    deck = deck_maps.status_deck(view, values, labels={"partial": "Sebagian"})
    spec = _spec(deck)
    tip = {f["properties"]["code"]: f["properties"]["tip"]
           for f in _geo_layer(spec)["data"]["features"]}["81.02"]
    assert tip == f"{EVIL} (81.02)\nSebagian\n1.234 pekerja"
    assert deck._tooltip["text"] == "{tip}" and "html" not in deck._tooltip


def test_html_tooltip_escapes_names_and_details(view: dict) -> None:
    values = pd.DataFrame({"code": ["81.02"], "status": ["partial"], "detail": ["<i>x</i>"]})
    deck = deck_maps.status_deck(view, values, tooltip_mode="html")
    tip = {f["properties"]["code"]: f["properties"]["tip"]
           for f in _geo_layer(_spec(deck))["data"]["features"]}["81.02"]
    assert "<script>" not in tip and "<i>" not in tip
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in tip
    assert "&lt;i&gt;x&lt;/i&gt;" in tip
    assert deck._tooltip["html"] == "{tip}"


def test_deck_has_no_basemap_and_compact_json(view: dict) -> None:
    deck = deck_maps.status_deck(view, None)
    text = deck.to_json()
    assert "cartocdn" not in text and "mapbox" not in text
    assert "\n" not in text  # pydeck indents by default; ours is compact
    assert _spec(deck)["mapStyle"] != "" and "mapProvider" not in _spec(deck)


def test_builders_do_not_mutate_the_cached_view(view: dict, points: pd.DataFrame) -> None:
    before = copy.deepcopy(view)
    values = pd.DataFrame({"code": ["81.01"], "status": ["registered"], "coverage_pct": [50.0]})
    deck_maps.status_deck(view, values, points=points)
    deck_maps.coverage_deck(view, values)
    maps.choropleth_figure(view, values)
    assert view == before


def test_coverage_deck_bins_percentages_and_greys_missing(view: dict) -> None:
    values = pd.DataFrame({"code": ["81.01", "81.02"], "coverage_pct": [25.0, 75.0]})
    spec = _spec(deck_maps.coverage_deck(view, values, edges=(0, 50, 100),
                                    colours=["#000000", "#FFFFFF"], no_data_colour="#777777",
                                    fmt_pct=lambda v: f"{v:.0f} persen"))
    props = {f["properties"]["code"]: f["properties"] for f in _geo_layer(spec)["data"]["features"]}
    assert props["81.01"]["fill"] == [0, 0, 0, 255]
    assert props["81.02"]["fill"] == [255, 255, 255, 255]
    assert props["81.71"]["fill"] == [119, 119, 119, 255]
    assert "25 persen" in props["81.01"]["tip"]


@pytest.mark.parametrize(("pct", "step"), [(0, 0), (19.9, 0), (20, 1), (55, 3), (100, 5),
                                           (130, 5), (None, None), (float("nan"), None)])
def test_coverage_step(pct: float | None, step: int | None) -> None:
    assert maps.coverage_step(pct, maps.DEFAULT_COVERAGE_EDGES) == step


def test_default_coverage_colours_get_darker_with_coverage() -> None:
    colours = maps.coverage_colours(5)
    lightness = [sum(maps.rgba(c)[:3]) for c in colours]
    assert lightness == sorted(lightness, reverse=True)


def _colour_at(fig, z: float) -> str:
    """The colour a stepped plotly scale gives to ``z``."""
    trace = fig.data[0]
    t = (z - trace.zmin) / (trace.zmax - trace.zmin)
    scale = trace.colorscale
    for (lo, colour), (hi, _) in zip(scale[::2], scale[1::2], strict=True):
        if lo <= t <= hi:
            return colour
    raise AssertionError(f"{z} outside the scale")


def test_choropleth_is_one_offline_trace_with_stepped_status_colours(view: dict) -> None:
    values = pd.DataFrame({"code": ["81.01", "81.02"], "status": ["registered", "partial"]})
    fig = maps.choropleth_figure(view, values, colours=COLOURS, labels={"partial": "Sebagian"})
    assert [t.type for t in fig.data].count("choroplethmap") == 1  # the geometry, once
    assert fig.data[0].type == "choroplethmap" and fig.data[0].showscale is False
    legend = [t for t in fig.data[1:]]
    assert all(t.showlegend and list(t.lon) == [None] for t in legend)  # swatches only
    assert fig.layout.map.style == "white-bg"
    assert fig.layout.separators == ",."
    trace = fig.data[0]
    assert list(trace.locations) == ["81.01", "81.02", "81.71"]
    assert [_colour_at(fig, z) for z in trace.z] == ["#010203", "#040506", "#0A0B0C"]
    assert [(t.name, t.marker.color) for t in legend] == [
        ("Terdaftar", "#010203"), ("Sebagian", "#040506"), ("Belum terdaftar", "#070809"),
        ("Tidak ada data", "#0A0B0C")]
    assert fig.layout.legend.orientation == "h" and fig.layout.legend.yanchor == "top"
    assert fig.layout.legend.y <= 0  # under the map, never over it
    assert "&lt;script&gt;" in trace.customdata[1][0]  # hover text is escaped


def test_choropleth_coverage_puts_no_data_below_the_first_edge(view: dict) -> None:
    values = pd.DataFrame({"code": ["81.01"], "coverage_pct": [60.0]})
    fig = maps.choropleth_figure(view, values, metric="coverage", edges=(0, 50, 100),
                                 colours=["#000000", "#FFFFFF"], no_data_colour="#777777")
    trace = fig.data[0]
    assert trace.z[0] == 60.0 and trace.z[1] < 0
    assert [_colour_at(fig, z) for z in trace.z] == ["#FFFFFF", "#777777", "#777777"]
    # A swatch per bin, then "no data": the legend reads as categories, not a colour bar.
    assert [(t.name, t.marker.color) for t in fig.data[1:]] == [
        ("0,0%–50,0%", "#000000"), ("50,0%–100,0%", "#FFFFFF"), ("Tidak ada data", "#777777")]
    # The extent the page's script fits the map to (west, south, east, north).
    assert fig.layout.meta[maps.FIT_KEY] == [128.0, -6.0, 131.0, -3.0]


def test_view_state_fits_wider_bounds_with_lower_zoom() -> None:
    province = maps.view_state((125.0, -9.0, 135.0, -2.0))
    national = maps.view_state((95.0, -11.0, 141.0, 6.0))
    assert national.zoom < province.zoom
    assert province.longitude == pytest.approx(130.0)


def test_payload_byte_helpers_match_serialised_sizes(view: dict) -> None:
    deck = deck_maps.status_deck(view, None)
    fig = maps.choropleth_figure(view, None)
    assert deck_maps.deck_payload_bytes(deck) == len(deck.to_json().encode())
    assert maps.figure_payload_bytes(fig) == len(fig.to_json().encode())


def test_choropleth_by_url_carries_values_but_no_geometry_and_no_names(view: dict) -> None:
    values = pd.DataFrame({"code": ["81.01", "81.02"], "status": ["registered", "partial"],
                           "detail": ["Status: ✓", "<i>x</i>\nline 2"]})
    embedded = maps.choropleth_figure(view, values)
    by_url = maps.choropleth_figure(view, values, geojson_url="/geo/81.0123456789abcdef.json")
    trace = by_url.data[0]
    assert trace.geojson == "/geo/81.0123456789abcdef.json"
    assert list(trace.locations) == ["81.01", "81.02", "81.71"]
    assert list(trace.z) == list(embedded.data[0].z)  # the same colours either way
    # The name comes from the fetched file; each region keeps one escaped hover line.
    assert "%{properties.name}" in trace.hovertemplate
    assert [list(row) for row in trace.customdata] == [
        ["Status: ✓"], ["&lt;i&gt;x&lt;/i&gt;<br>line 2"], ["Tidak ada data"]]
    assert EVIL not in by_url.to_json()
    assert "coordinates" in embedded.to_json() and "coordinates" not in by_url.to_json()


def test_the_maps_text_alternative_names_its_figures() -> None:
    from cakupan.present import mapview

    values = pd.DataFrame({"code": ["81.01", "81.03", "81.71"],
                           "status": ["registered", "partial", "no_data"],
                           "coverage_pct": [62.5, 20.3, float("nan")]})
    assert mapview.alt_text(values, metric="status", lang="id", month="Desember 2024") == (
        "Peta Desember 2024: 1 terdaftar, 1 sebagian, 0 belum terdaftar, 1 tanpa data "
        "(dari 3 kabupaten/kota).")
    assert mapview.alt_text(values, metric="coverage", lang="en", month="December 2024") == (
        "Map, December 2024: lowest coverage 20.3% (Kabupaten Kepulauan Tanimbar), highest "
        "62.5% (Kabupaten Maluku Tengah); 1 of 3 regencies and cities without data.")
    empty = values.assign(coverage_pct=float("nan"), status="no_data")
    assert "belum ada angka" in mapview.alt_text(empty, metric="coverage", lang="id",
                                                 month="Desember 2024")
