"""Share and size together: the people still unprotected, circle areas, the size legend."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from cakupan.present import shareview

pytestmark = pytest.mark.unit


def snap(*rows: tuple) -> pd.DataFrame:
    """Rows of (code, registered, eligible, coverage_pct[, illustrative])."""
    return pd.DataFrame([{"region_code": r[0], "registered": r[1], "eligible": r[2],
                          "coverage_pct": r[3], "illustrative": r[4] if len(r) > 4 else False}
                         for r in rows])


def test_unprotected_is_eligible_minus_registered_most_first_and_only_where_known() -> None:
    got = shareview.unprotected(snap(("81.01", 6000, 31000, 19.35), ("81.02", 500, 400, 100.0),
                                     ("81.03", 10, None, None), ("81.04", 100, 90100, 0.1)))
    assert got["code"].tolist() == ["81.04", "81.01", "81.02"]
    assert got["unprotected"].tolist() == [90000, 25000, 0]  # more registered than eligible: 0


def test_circle_areas_are_proportional_to_people() -> None:
    d = shareview.diameters(pd.Series([90000, 22500, 0]), 90000)
    assert d[0] == shareview.MAX_DIAMETER_PX
    assert (d[1] / d[0]) ** 2 == pytest.approx(22500 / 90000)  # a quarter of the people
    assert d[2] == shareview.MIN_DIAMETER_PX


@pytest.mark.parametrize(("largest", "expected"), [
    (90000, [50000, 5000, 500]), (25000, [20000, 2000, 200]), (1000, [1000, 100, 10]),
    (7, [5]), (0, [])])
def test_size_legend_uses_round_numbers_at_or_below_the_largest(largest, expected) -> None:
    assert shareview.legend_sizes(largest) == expected


def test_where_to_act_first_ranks_by_people_and_says_so_in_words() -> None:
    rows = shareview.act_first(
        snap(("81.01", 6000, 31000, 19.35, True), ("81.71", 90000, 120000, 75.0)),
        {"81.01": "Kabupaten Maluku Tengah", "81.71": "Kota Ambon"})
    assert rows["name"].tolist() == ["Kota Ambon", "Kabupaten Maluku Tengah"]
    fig = shareview.act_first_bar(rows, lang="id")
    bar = fig.data[0]
    assert list(bar.x) == [30000, 25000] and list(bar.y) == ["Ambon", "Maluku Tengah"]
    assert bar.text[0] == "30.000 · 75,0%"
    assert "ilustrasi" in bar.text[1].lower() and bar.marker.pattern.shape[1] == "/"
    assert shareview.act_first_alt(rows, "en") == (
        "Most workers still unprotected: Ambon 30,000; Maluku Tengah 25,000.")
    empty = shareview.act_first(snap(("81.01", 1, None, None)), {})
    assert empty.empty and shareview.act_first_bar(empty).layout.annotations


@pytest.mark.geo
def test_the_map_draws_coverage_and_one_circle_per_region_with_people(geo_ready) -> None:
    from cakupan import regions
    from cakupan.present import mapview

    codes = list(regions.regencies("81")["code"])
    frame = snap(*[(c, 1000 * (i + 1), 10000 * (i + 1), 10.0) for i, c in enumerate(codes)])
    values = mapview.map_values(frame.assign(status="partial", sources=[[]] * len(frame)),
                                "id", {})
    fig = shareview.share_size_map("81", values, frame, lang="id",
                                   geojson_url="/geo/81.x.json")
    circles = [tr for tr in fig.data if (tr.meta or {}).get("role") == "unprotected"]
    assert len(circles) == 1 and len(circles[0].lon) == len(codes) == 11
    sizes = list(circles[0].marker.size)
    assert max(sizes) == shareview.MAX_DIAMETER_PX
    assert math.isclose((min(sizes) / max(sizes)) ** 2, 9000 / 99000, rel_tol=1e-9)
    legend = [tr.name for tr in fig.data if (tr.meta or {}).get("role") == "size-legend"]
    assert legend == ["○ 50.000 belum terlindungi", "○ 5.000 belum terlindungi",
                      "○ 500 belum terlindungi"]
    assert fig.data[0].type == "choroplethmap" and fig.data[0].geojson == "/geo/81.x.json"
