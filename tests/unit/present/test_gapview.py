"""The gap and UCJ map pieces: one categorical trace, legend in words, tooltips with the pace."""

from __future__ import annotations

import pandas as pd

from cakupan.analysis import target_gap
from cakupan.present import gapview, maps, palette

GEOJSON = {"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"code": c, "name": n},
     "geometry": {"type": "Polygon", "coordinates": [[[x, 0], [x + 1, 0], [x + 1, 1], [x, 0]]]}}
    for x, (c, n) in enumerate([("81.01", "Maluku Tengah"), ("81.02", "<b>Tual</b>"),
                                ("81.03", "Tanimbar")])]}


def test_category_figure_is_one_trace_with_a_legend_entry_per_bin_in_words() -> None:
    values = pd.DataFrame({"code": ["81.01", "81.02", "81.03"],
                           "category": ["on_track", "behind_gt10", "bogus"],
                           "detail": ["a", "<script>x</script>", None]})
    fig = maps.category_figure(GEOJSON, values, categories=target_gap.GAP_CATEGORIES,
                               colours=palette.GAP_COLOURS,
                               labels=lambda k: gapview.gap_word(k, "id"),
                               legend_title="Judul")
    trace, *legend = fig.data
    assert trace.type == "choroplethmap"
    assert list(trace.z) == [0, 3, 4]  # unknown category counts as no data
    assert [t.name for t in legend] == [
        "Sesuai jalur atau di depan", "Tertinggal kurang dari 5 poin", "Tertinggal 5–10 poin",
        "Tertinggal lebih dari 10 poin", "Tanpa jalur (tidak ada angka atau target)"]
    assert [t.marker.color for t in legend] == [
        palette.GAP_COLOURS[k] for k in (*target_gap.GAP_CATEGORIES, "no_data")]
    assert fig.layout.legend.title.text == "Judul"
    cells = [row[-1] for row in trace.customdata]
    assert cells[1] == "&lt;script&gt;x&lt;/script&gt;"  # data never becomes markup
    assert trace.customdata[1][0] == "&lt;b&gt;Tual&lt;/b&gt;"


def _gap_row(**over) -> dict:
    row = {"code": "81.01", "coverage_pct": 39.45, "base_period": "2024-12", "base_pct": 39.45,
           "path_pct": 39.45, "gap_pts": 0.0, "needed_pts": 24.43 / 12, "months_left": 12,
           "category": "on_track", "target_id": "t", "target_pct": 63.88,
           "deadline": "2025-12", "inherited": "province"}
    return row | over


def test_the_tooltip_says_how_many_points_a_month_it_takes_and_whose_target() -> None:
    detail = gapview.gap_detail(_gap_row(), "id", "2024-12")
    assert detail.splitlines()[0] == "Sesuai jalur atau di depan"
    assert "Mengikuti target provinsi: 63,88% (Des 2025)" in detail
    assert detail.splitlines()[-1] == "perlu +2 poin per bulan"
    en = gapview.gap_detail(_gap_row(needed_pts=0.0), "en", "2024-12")
    assert en.splitlines()[-1] == "target already met"


def test_the_legend_title_counts_regencies_following_the_province_target() -> None:
    gaps = pd.DataFrame([_gap_row(), _gap_row(code="81.02"), _gap_row(inherited="own")])
    title = gapview.gap_legend_title(gaps, "Target X", "id")
    assert title == ("Selisih dari jalur target: Target X · 2 kabupaten/kota tanpa target "
                     "sendiri mengikuti target provinsi")
    assert "target provinsi" not in gapview.gap_legend_title(gaps.iloc[2:], "Target X", "id")


def test_ucj_labels_carry_their_thresholds_and_the_assumption() -> None:
    assert gapview.ucj_label("sangat_rendah", "id") == "Sangat rendah (0–25%)"
    assert gapview.ucj_label("tinggi", "en") == "High (75–100%)"
    assert gapview.ucj_legend_title("id").endswith("ambang batas asumsi, bukan resmi")
    assert "asumsi" in gapview.ucj_sources_note("id")
