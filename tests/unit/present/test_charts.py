"""plotly figures: structure a page or a test can rely on, in both languages."""

from __future__ import annotations

import pandas as pd
import pytest

from cakupan.present import chart_style, charts, palette, trend_chart

pytestmark = pytest.mark.unit


def _series(pcts: list[float], illustrative: list[bool], start: str = "2018-08",
            eligible: int = 10_000) -> pd.DataFrame:
    first = pd.Period(start, freq="M")
    return pd.DataFrame({
        "period": [str(first + i) for i in range(len(pcts))],
        "coverage_pct": pcts,
        "registered": [round(p * eligible / 100) for p in pcts],
        "eligible": [eligible] * len(pcts),
        "illustrative": illustrative,
        "sources": [["antara-2018"] if not ill else [] for ill in illustrative],
    })


def _roles(fig) -> list[str]:
    return [trace.meta["role"] for trace in fig.data]


def _traces(fig, role: str, region: str | None = None) -> list:
    return [tr for tr in fig.data if tr.meta["role"] == role
            and (region is None or tr.meta["region"] == region)]


# --------------------------------------------------------------------------- trend

MALUKU = _series([30.0, 32.0, 35.0, 40.5], [False, True, True, False])
SULTRA = _series([10.0, 12.0, 15.0], [True, True, True])
TARGET = pd.DataFrame({"period": ["2018-11", "2018-12", "2019-01"],
                       "target_pct": [40.5, 47.75, 55.0]})


def test_trend_traces_per_region_and_kind() -> None:
    fig = trend_chart.trend_figure({"Maluku": MALUKU, "Sulawesi Tenggara": SULTRA}, lang="id")
    # Maluku: every piece touches an illustrative point, so dashed only; both marker kinds.
    assert [tr.meta["role"] for tr in fig.data if tr.meta["region"] == "Maluku"] == \
        ["dashed", "published", "illustrative"]
    # Sultra: illustrative only.
    assert [tr.meta["role"] for tr in fig.data if tr.meta["region"] == "Sulawesi Tenggara"] \
        == ["dashed", "illustrative"]
    assert len(_traces(fig, "key")) == 2


def test_published_and_illustrative_points_look_different() -> None:
    fig = trend_chart.trend_figure({"Maluku": MALUKU}, lang="id")
    published, = _traces(fig, "published")
    illustrative, = _traces(fig, "illustrative")
    assert published.marker.symbol == "circle"
    assert illustrative.marker.symbol == "circle-open"
    assert published.marker.size > illustrative.marker.size
    assert list(published.y) == [30.0, 40.5]
    assert list(illustrative.y) == [32.0, 35.0]
    dashed, = _traces(fig, "dashed")
    assert dashed.line.dash == "dash"


def test_solid_line_only_between_two_published_points() -> None:
    frame = _series([20.0, 22.0, 25.0], [False, False, True])
    fig = trend_chart.trend_figure({"Buru": frame}, lang="en")
    solid, = _traces(fig, "line")
    dashed, = _traces(fig, "dashed")
    assert [y for y in solid.y if y is not None] == [20.0, 22.0]
    assert [y for y in dashed.y if y is not None] == [22.0, 25.0]
    assert solid.line.dash == "solid"
    assert solid.showlegend and not dashed.showlegend  # one legend entry per region


@pytest.mark.parametrize(("lang", "separators", "october"), [
    ("id", ",.", "Okt 2018"),
    ("en", ".,", "Oct 2018"),
])
def test_trend_locale(lang: str, separators: str, october: str) -> None:
    fig = trend_chart.trend_figure({"Maluku": MALUKU}, lang=lang)
    assert fig.layout.separators == separators
    assert october in fig.layout.xaxis.ticktext
    assert len(fig.layout.xaxis.tickvals) == len(fig.layout.xaxis.ticktext)
    assert fig.layout.yaxis.ticksuffix == "%"


def test_hover_text_has_units_and_provenance_in_the_language() -> None:
    fig = trend_chart.trend_figure({"Maluku": MALUKU}, lang="id")
    published, = _traces(fig, "published")
    last = published.text[-1]
    assert "November 2018" in last
    assert "Cakupan: 40,5%" in last
    assert "Terdaftar: 4.050 orang" in last
    assert "Data terbit" in last
    assert "antara-2018" in last
    illustrative, = _traces(fig, "illustrative")
    assert "Ilustrasi" in illustrative.text[0]


def test_names_from_data_are_escaped() -> None:
    fig = trend_chart.trend_figure({"<b>Kota</b> & Co": MALUKU}, lang="en")
    published, = _traces(fig, "published")
    assert published.name == "&lt;b&gt;Kota&lt;/b&gt; &amp; Co"
    assert "<b>&lt;b&gt;Kota" in published.text[0]


def test_target_path_and_its_label() -> None:
    fig = trend_chart.trend_figure({"Maluku": MALUKU}, TARGET, lang="id")
    target, = _traces(fig, "target")
    assert target.line.dash == "dashdot"
    assert list(target.y) == [40.5, 47.75, 55.0]
    labels = [a.text for a in fig.layout.annotations]
    assert "Target 55% pada Jan 2019" in labels


def test_projection_in_counts_becomes_percent_of_the_last_eligible() -> None:
    projection = pd.DataFrame({"period": ["2018-11", "2018-12"],
                               "registered": [4050, 4300], "projected": [False, True]})
    fig = trend_chart.trend_figure({"Maluku": MALUKU}, projection=projection, lang="en")
    proj, = _traces(fig, "projection")
    eligible = MALUKU["eligible"].iloc[-1]
    assert list(proj.y) == pytest.approx([4050 * 100 / eligible, 4300 * 100 / eligible])
    assert proj.line.dash == "dot"
    assert proj.name.endswith("Dec 2018: 43.0%")


def test_projection_without_a_usable_column_is_refused() -> None:
    with pytest.raises(ValueError, match="projection"):
        trend_chart.trend_figure({"Maluku": MALUKU.drop(columns="eligible")},
                            projection=pd.DataFrame({"period": ["2018-12"],
                                                     "registered": [1]}))


def test_registered_counts_measure() -> None:
    counts = pd.DataFrame({"period": ["2018-10"], "registered": [1135],
                           "illustrative": [False]})
    fig = trend_chart.trend_figure({"Kota Kendari": counts}, measure="registered", lang="id",
                              reference_lines=[("Kuota Inpres 4/2022", 6400)])
    published, = _traces(fig, "published")
    assert list(published.y) == [1135]
    assert "1.135 orang" in published.text[0]
    assert not fig.layout.yaxis.ticksuffix
    assert fig.layout.yaxis.range[1] >= 6400
    assert "Kuota Inpres 4/2022" in [a.text for a in fig.layout.annotations]


def test_deadline_mark() -> None:
    fig = trend_chart.trend_figure({"Maluku": MALUKU}, lang="id", deadline="2024-12")
    assert "Tenggat Des 2024" in [a.text for a in fig.layout.annotations]
    assert fig.layout.shapes[0].x0 == "2024-12-01"


def test_an_empty_trend_says_so() -> None:
    fig = trend_chart.trend_figure({}, lang="en")
    assert len(fig.data) == 0
    assert fig.layout.annotations[0].text == "There is no data for this selection yet."


def test_unknown_measure_is_refused() -> None:
    with pytest.raises(ValueError, match="measure"):
        trend_chart.trend_figure({"Maluku": MALUKU}, measure="eligible")


def _font_sizes(fig) -> list[float]:
    layout = fig.layout
    sizes = [layout.font.size, layout.title.font.size, layout.legend.font.size,
             layout.hoverlabel.font.size]
    for axis in (layout.xaxis, layout.yaxis):
        if axis.tickfont.size is not None:
            sizes.append(axis.tickfont.size)
    sizes += [a.font.size for a in layout.annotations]
    for trace in fig.data:
        textfont = getattr(trace, "textfont", None)
        if textfont is not None and textfont.size is not None:
            sizes.append(textfont.size)
    return sizes


PROFILE = pd.DataFrame({
    "segment": ["non_asn", "aparatur_desa", "pekerja_rentan"],
    "coverage_pct": [40.5, 80.0, None],
    "registered": [1356, 560, None],
    "eligible": [3350, 700, None],
    "illustrative": [False, True, False],
})

SNAPSHOT = pd.DataFrame({
    "region_code": ["81.01", "81.02", "81.03", "81.04", "81.05"],
    "name": ["Maluku Tengah", "Maluku Tenggara", "Kepulauan Tanimbar", "Buru", "Kota Ambon"],
    "coverage_pct": [20.0, None, 45.5, 70.0, 61.0],
    "status": ["partial", "unregistered", "partial", "partial", "partial"],
    "registered": [100, 0, 300, 500, 600],
    "illustrative": [False, False, True, False, False],
})


@pytest.mark.parametrize("build", [
    lambda: trend_chart.trend_figure({"Maluku": MALUKU}, TARGET, lang="id", title="Maluku",
                                deadline="2019-01", big=True),
    lambda: charts.ranking_bar(SNAPSHOT, lang="id", title="Tertinggal", big=True),
    lambda: charts.segment_bars(PROFILE, lang="id", title="Profil", big=True),
    lambda: charts.gauge_or_bullet(40, 55, "id", previous_pct=35, deadline="2024-12",
                                   big=True),
])
def test_projector_variant_has_no_text_below_32px(build) -> None:
    sizes = _font_sizes(build())
    assert min(sizes) >= 32, sizes


def test_projector_variant_draws_thicker_lines_and_larger_markers() -> None:
    small = trend_chart.trend_figure({"Maluku": MALUKU}, lang="id")
    big = trend_chart.trend_figure({"Maluku": MALUKU}, lang="id", big=True)
    assert _traces(big, "dashed")[0].line.width >= 2 * _traces(small, "dashed")[0].line.width
    assert _traces(big, "published")[0].marker.size > _traces(small, "published")[0].marker.size


def test_month_ticks_pick_a_calendar_step() -> None:
    periods = ["2018-01", "2024-12"]
    vals, text = chart_style.month_ticks(periods, "id", max_ticks=8)
    assert text == [f"Jan {y}" for y in range(2018, 2025)]
    assert vals[0] == "2018-01-01"
    _, quarterly = chart_style.month_ticks(["2024-01", "2024-12"], "id", max_ticks=4)
    assert quarterly == ["Jan 2024", "Apr 2024", "Jul 2024", "Okt 2024"]
    assert chart_style.month_ticks([], "id") == ([], [])


# --------------------------------------------------------------------------- ranking

def test_ranking_puts_the_furthest_behind_on_top() -> None:
    fig = charts.ranking_bar(SNAPSHOT, lang="id", n=3)
    bars, = fig.data
    assert list(bars.y) == ["Maluku Tenggara", "Maluku Tengah", "Kepulauan Tanimbar"]
    assert list(bars.x) == [0.0, 20.0, 45.5]
    assert fig.layout.yaxis.autorange == "reversed"
    assert bars.text[0] == "0,0% · Belum terdaftar"
    assert bars.text[2] == "45,5% (ilustrasi)"
    assert list(bars.marker.pattern.shape) == ["", "", "/"]
    assert fig.layout.separators == ",."


def test_ranking_ahead_and_target_line() -> None:
    fig = charts.ranking_bar(SNAPSHOT, lang="en", n=2, ahead=True, target_pct=55)
    bars, = fig.data
    assert list(bars.y) == ["Buru", "Kota Ambon"]
    assert bars.text[0] == "70.0%"
    assert fig.layout.shapes[0].x0 == 55
    assert "Target 55%" in [a.text for a in fig.layout.annotations]


def test_ranking_labels_from_a_names_mapping() -> None:
    fig = charts.ranking_bar(SNAPSHOT.drop(columns="name"), n=1,
                             names={"81.02": "Malra"})
    assert list(fig.data[0].y) == ["Malra"]


def test_ranking_of_nothing_is_an_empty_state() -> None:
    fig = charts.ranking_bar(SNAPSHOT.iloc[0:0], lang="id")
    assert len(fig.data) == 0
    assert fig.layout.annotations[0].text == "Belum ada data untuk pilihan ini."


# --------------------------------------------------------------------------- segments

def test_segment_bars_coverage_gap_and_target() -> None:
    fig = charts.segment_bars(PROFILE, lang="id", target_pct=55)
    assert _roles(fig) == ["coverage", "gap", "target"]
    coverage, gap, target = fig.data
    assert list(coverage.y) == ["Non-ASN", "Aparatur desa", "Pekerja rentan"]
    assert list(coverage.x) == [40.5, 80.0, 0.0]
    assert list(gap.x) == pytest.approx([55 - 40.5, 0.0, None])
    assert gap.text[0] == "-14,5 poin"
    assert list(target.x) == [55, 55, 55]
    assert coverage.marker.pattern.shape[1] == "/"
    assert "Tidak ada data" in [a.text for a in fig.layout.annotations]
    assert "Terdaftar: 1.356 dari 3.350 orang" in coverage.hovertext[0]


def test_segment_bars_per_segment_targets_and_english_labels() -> None:
    frame = PROFILE.assign(target_pct=[100.0, None, None])
    fig = charts.segment_bars(frame, lang="en", target_pct={"aparatur_desa": 90})
    coverage, gap, target = fig.data
    assert list(coverage.y)[:2] == ["Non-ASN government staff", "Village officials"]
    assert list(gap.x)[:2] == pytest.approx([100 - 40.5, 90 - 80.0])
    assert list(target.x) == [100.0, 90.0]


def test_segment_bars_without_target_show_coverage_only() -> None:
    fig = charts.segment_bars(PROFILE, lang="id", target_pct=None)
    assert _roles(fig) == ["coverage"]


# --------------------------------------------------------------------------- bullet

def test_bullet_shows_value_target_and_change() -> None:
    fig = charts.gauge_or_bullet(40.0, 55.0, "id", previous_pct=35.5, deadline="2024-12")
    indicator, = fig.data
    assert indicator.value == 40.0
    assert indicator.gauge.shape == "bullet"
    assert indicator.gauge.threshold.value == 55.0
    assert indicator.delta.reference == 35.5
    assert indicator.mode == "number+gauge+delta"
    assert indicator.number.suffix == "%"
    assert "Target 55% pada Des 2024" in fig.layout.title.text
    assert fig.layout.separators == ",."


def test_bullet_without_a_figure_says_no_data() -> None:
    fig = charts.gauge_or_bullet(None, 55.0, "en")
    indicator, = fig.data
    assert indicator.mode == "gauge"
    assert "No data" in [a.text for a in fig.layout.annotations]


def test_chart_colours_come_from_the_palette() -> None:
    fig = trend_chart.trend_figure({"A": MALUKU, "B": SULTRA}, lang="id")
    first = _traces(fig, "published", "A")[0]
    second = _traces(fig, "illustrative", "B")[0]
    assert first.marker.color == palette.SERIES[0]
    assert second.marker.color == palette.SERIES[1]
