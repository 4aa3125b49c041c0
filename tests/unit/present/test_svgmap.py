"""The SVG renderer's data, read off the plotly figure: the same colours, legend and tooltips
as the plotly map, as plain text, and no geometry (a month step carries values only)."""

from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go
import pytest

from cakupan.present import maps, svgmap

pytestmark = pytest.mark.unit

EVIL = "<img src=x onerror=alert(1)> & Co"
URL = "/geo/81.0123456789abcdef.json"
COLOURS = {"registered": "#010203", "partial": "#040506", "unregistered": "#070809",
           "no_data": "#0A0B0C"}


def _square(x: float, y: float) -> dict:
    return {"type": "Polygon",
            "coordinates": [[[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]]}


VIEW = {"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"code": c, "name": f"Kabupaten {c}"},
     "geometry": _square(128 + i, -4)} for i, c in enumerate(("81.01", "81.02", "81.71"))]}


def data_of(fig: go.Figure, **kw) -> dict:
    return svgmap.from_figure(fig, geojson_url=URL, height=500, label="Peta Maluku",
                              texts={"loading": "Menyiapkan peta…", "failed": "Gagal"},
                              selectable=True, **kw)


def test_status_fills_legend_and_tooltips_are_the_figures() -> None:
    values = pd.DataFrame({"code": ["81.01", "81.02"], "status": ["registered", "partial"],
                           "detail": [f"Terdaftar\n{EVIL}", "Sebagian: 40%"]})
    fig = maps.choropleth_figure(VIEW, values, colours=COLOURS, geojson_url=URL,
                                 legend_title="Status")
    data = data_of(fig)
    assert data["codes"] == ["81.01", "81.02", "81.71"]
    shown = svgmap.expand(data)
    assert [shown[c][0] for c in data["codes"]] == ["#010203", "#040506", "#0A0B0C"]
    # Plain text (the component sets it as text): lines on \n, nothing escaped twice.
    assert shown["81.01"][1] == f"Terdaftar\n{EVIL}"
    assert shown["81.02"][1] == "Sebagian: 40%"
    assert [colour for _, colour in data["legend"]] == list(COLOURS.values())
    assert data["legendTitle"] == "Status"
    assert (data["url"], data["height"], data["select"]) == (URL, 500, True)
    # Values only: no coordinates anywhere in what a rerun sends.
    assert "coordinates" not in json.dumps(data) and "128" not in json.dumps(data["lines"])


def test_coverage_bands_follow_the_stepped_scale() -> None:
    values = pd.DataFrame({"code": ["81.01", "81.02", "81.71"],
                           "coverage_pct": [5.0, 55.0, float("nan")]})
    steps = ["#111111", "#222222", "#333333", "#444444"]
    fig = maps.choropleth_figure(VIEW, values, metric="coverage", colours=steps,
                                 edges=[0, 25, 50, 75, 100], geojson_url=URL)
    fills = {code: fill for code, (fill, _tip) in svgmap.expand(data_of(fig)).items()}
    assert fills["81.01"] == "#111111" and fills["81.02"] == "#333333"
    assert fills["81.71"] == maps.hex_colour(maps.DEFAULT_STATUS_COLOURS[maps.NO_DATA])


def test_repeated_colours_and_tooltips_are_sent_once() -> None:
    values = pd.DataFrame({"code": ["81.01", "81.02", "81.71"],
                           "status": ["partial", "partial", "partial"]})
    data = data_of(maps.choropleth_figure(VIEW, values, colours=COLOURS, geojson_url=URL))
    assert data["colours"] == ["#040506"] and data["fill"] == [0, 0, 0]
    assert len(data["lines"]) == 1 and data["tip"] == [0, 0, 0]


def test_colour_at_picks_the_band_and_clamps() -> None:
    scale = maps.stepped_colorscale(["#A", "#B", "#C"])
    assert [svgmap.colour_at(scale, z, -0.5, 2.5) for z in (0, 1, 2, 9, -9)] == [
        "#A", "#B", "#C", "#C", "#A"]


def test_small_region_dots_carry_their_name_and_detail_as_text() -> None:
    fig = maps.choropleth_figure(VIEW, None, colours=COLOURS, geojson_url=URL)
    fig.add_trace(go.Scattermap(lon=[128.25], lat=[-3.65], mode="markers", showlegend=False,
                                customdata=[["Kota &lt;C&gt;", "Terdaftar<br>100%"]]))
    assert data_of(fig)["markers"] == [[128.25, -3.65, "Kota <C>", "Terdaftar\n100%"]]


def test_a_figure_without_a_choropleth_is_refused() -> None:
    with pytest.raises(ValueError, match="Choroplethmap"):
        data_of(go.Figure(go.Scatter(x=[1], y=[1])))
