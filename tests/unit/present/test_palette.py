"""Colours: readable text on every fill, distinguishable under colour-vision deficiencies,
bins that break at the target, and a Streamlit theme that uses the same colours."""

from __future__ import annotations

import itertools
import math
import tomllib
from pathlib import Path

import pytest

from cakupan.present import palette
from cakupan.present.palette import (
    COVERAGE_TARGET,
    STATUS,
    STATUS_ORDER,
    contrast_ratio,
    coverage_bin,
    coverage_bins,
    coverage_colorscale,
    coverage_colour,
    luminance,
    rgb,
    text_on,
)

pytestmark = pytest.mark.unit

CONFIG = Path(__file__).resolve().parents[3] / ".streamlit" / "config.toml"

# Machado, Oliveira & Fernandes (2009), severity 1.0, applied to linear RGB.
CVD = {
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216),
                   (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413),
                     (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602),
                   (0.004733, 0.691367, 0.303900)),
}


def _linear(colour: str) -> list[float]:
    out = []
    for c in rgb(colour):
        v = c / 255
        out.append(v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4)
    return out


def _lab(linear: list[float]) -> tuple[float, float, float]:
    r, g, b = linear
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(v: float) -> float:
        return v ** (1 / 3) if v > 216 / 24389 else (24389 / 27 * v + 16) / 116

    return (116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z)))


def _delta_e(a: str, b: str, matrix: tuple | None = None) -> float:
    """CIE76 colour difference, optionally as seen with a colour-vision deficiency."""
    def seen(colour: str) -> list[float]:
        lin = _linear(colour)
        if matrix is None:
            return lin
        return [min(1.0, max(0.0, sum(m * v for m, v in zip(row, lin, strict=True))))
                for row in matrix]
    return math.dist(_lab(seen(a)), _lab(seen(b)))


# --------------------------------------------------------------------------- WCAG

def test_contrast_ratio_known_values() -> None:
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#FFFFFF", "#FFFFFF") == pytest.approx(1.0)
    # #767676 is the lightest grey that passes AA (4.5:1) on white.
    assert contrast_ratio("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("#777777", "#FFFFFF") < 4.5


def test_contrast_ratio_is_symmetric_and_accepts_tuples() -> None:
    assert contrast_ratio("#0072B2", "#FFFFFF") == contrast_ratio((255, 255, 255), (0, 114, 178))


def test_luminance_bounds() -> None:
    assert luminance("#000") == 0
    assert luminance("#FFF") == pytest.approx(1.0)


@pytest.mark.parametrize("status", STATUS_ORDER)
def test_every_status_colour_has_readable_text(status: str) -> None:
    fill = STATUS[status].hex
    assert contrast_ratio(text_on(fill), fill) >= 4.5


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_coverage_bin_has_readable_text(lang: str) -> None:
    for b in coverage_bins(lang):
        assert contrast_ratio(b.text, b.hex) >= 4.5, b


def test_text_on_picks_dark_text_on_light_fills_and_light_on_dark() -> None:
    assert text_on("#FFFF00") == palette.BLACK
    assert text_on("#000080") == palette.WHITE


def test_accent_series_and_target_colours_stand_out_on_white() -> None:
    assert contrast_ratio(palette.PRIMARY, palette.WHITE) >= 4.5  # white text on buttons
    assert contrast_ratio(palette.TEXT, palette.WHITE) >= 7
    assert contrast_ratio(palette.PROJECTION, palette.WHITE) >= 3
    for colour in palette.SERIES:
        assert contrast_ratio(colour, palette.WHITE) >= 3, colour  # WCAG 1.4.11
    assert contrast_ratio(palette.WHITE, palette.HATCH) >= 4.5  # labels on hatched bars


# --------------------------------------------------------------------------- colour vision

@pytest.mark.parametrize("vision", [None, *CVD])
def test_status_colours_stay_distinguishable(vision: str | None) -> None:
    matrix = CVD[vision] if vision else None
    for a, b in itertools.combinations(STATUS_ORDER, 2):
        assert _delta_e(STATUS[a].hex, STATUS[b].hex, matrix) >= 15, (vision, a, b)


@pytest.mark.parametrize("vision", [None, *CVD])
def test_neighbouring_coverage_bins_stay_distinguishable(vision: str | None) -> None:
    matrix = CVD[vision] if vision else None
    bins = coverage_bins()
    for left, right in itertools.pairwise(bins):
        assert _delta_e(left.hex, right.hex, matrix) >= 10, (vision, left, right)


def test_status_never_relies_on_colour_alone() -> None:
    symbols = [STATUS[s].symbol for s in STATUS_ORDER]
    patterns = [STATUS[s].pattern for s in STATUS_ORDER]
    assert len(set(symbols)) == len(symbols)
    assert len(set(patterns)) == len(patterns)
    legend = palette.status_legend("id")
    assert [label for label, _, _ in legend] == ["✓ Terdaftar", "◐ Sebagian",
                                                 "✗ Belum terdaftar", "– Tidak ada data"]


# --------------------------------------------------------------------------- coverage bins

def test_bins_cover_0_to_100_with_the_target_as_an_edge() -> None:
    bins = coverage_bins()
    assert bins[0].low == 0 and bins[-1].high == 100
    assert COVERAGE_TARGET in [b.low for b in bins]
    assert all(a.high == b.low for a, b in itertools.pairwise(bins))
    assert 5 <= len(bins) <= 6


@pytest.mark.parametrize(("lang", "expected"), [
    ("id", ["0–20%", "20–40%", "40–55%", "55–70%", "70–90%", "90–100%"]),
    ("en", ["0–20%", "20–40%", "40–55%", "55–70%", "70–90%", "90–100%"]),
])
def test_bin_labels(lang: str, expected: list[str]) -> None:
    assert [b.label for b in coverage_bins(lang)] == expected


def test_bin_labels_use_the_locale_decimal_mark() -> None:
    edges = (0, 12.5, 100)
    assert coverage_bins("id", edges)[0].label == "0–12,5%"
    assert coverage_bins("en", edges)[0].label == "0–12.5%"


def test_bins_get_darker_as_coverage_rises() -> None:
    lum = [luminance(b.hex) for b in coverage_bins()]
    assert lum == sorted(lum, reverse=True)
    assert len(set(lum)) == len(lum)


def test_no_data_grey_is_not_a_coverage_colour() -> None:
    grey = STATUS["no_data"].hex
    assert all(_delta_e(grey, b.hex) >= 15 for b in coverage_bins())


@pytest.mark.parametrize(("value", "index"), [
    (0, 0), (19.99, 0), (20, 1), (54.9, 2), (55, 3), (89.99, 4), (90, 5), (100, 5),
    (-3, 0), (130, 5), (None, None), (math.nan, None),
])
def test_coverage_bin_edges_belong_to_the_bin_above(value: float | None,
                                                     index: int | None) -> None:
    assert coverage_bin(value, coverage_bins()) == index


def test_coverage_colour_of_missing_is_the_no_data_grey() -> None:
    assert coverage_colour(None) == STATUS["no_data"].hex
    assert coverage_colour(40.0) == coverage_bins()[2].hex


def test_bins_reject_edges_that_do_not_increase() -> None:
    with pytest.raises(ValueError):
        coverage_bins(edges=(0, 50, 50, 100))


def test_bins_unpack_as_low_high_colour() -> None:
    low, high, colour = coverage_bins()[3]
    assert (low, high) == (55.0, 70.0)
    assert colour.startswith("#")


# --------------------------------------------------------------------------- plotly / pydeck

def test_stepped_status_scale_has_hard_steps_in_legend_order() -> None:
    scale = palette.status_colorscale()
    assert len(scale) == 2 * len(STATUS_ORDER)
    positions = [p for p, _ in scale]
    assert positions == sorted(positions) and positions[0] == 0 and positions[-1] == 1
    colours = [c for _, c in scale]
    assert colours[::2] == [STATUS[s].hex for s in STATUS_ORDER]
    assert colours[::2] == colours[1::2]


def test_coverage_scale_breaks_at_the_bin_edges() -> None:
    bins = coverage_bins()
    scale = coverage_colorscale(bins)
    breaks = sorted({round(p * 100, 6) for p, _ in scale})
    assert breaks == [0, 20, 40, 55, 70, 90, 100]


def test_rgb_hex_round_trip_and_pydeck_rgba() -> None:
    assert rgb("#0072B2") == (0, 114, 178)
    assert rgb("#fff") == (255, 255, 255)
    assert palette.hex_colour((0, 114, 178)) == "#0072B2"
    assert palette.rgba("#D55E00", 200) == [213, 94, 0, 200]
    assert STATUS["unregistered"].rgb == (213, 94, 0)
    with pytest.raises(ValueError):
        rgb("#12345")


def test_status_colors_mapping_matches_the_styles() -> None:
    assert {s: STATUS[s].hex for s in STATUS} == palette.STATUS_COLORS


# --------------------------------------------------------------------------- theme

def test_streamlit_theme_uses_the_palette_and_hides_errors() -> None:
    config = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    theme = config["theme"]
    assert theme["base"] == "light"
    assert theme["primaryColor"] == palette.PRIMARY
    assert theme["textColor"] == palette.TEXT
    assert contrast_ratio(theme["textColor"], theme["backgroundColor"]) >= 7
    assert contrast_ratio(theme["textColor"], theme["secondaryBackgroundColor"]) >= 7
    assert theme["chartCategoricalColors"] == list(palette.SERIES)
    assert len(theme["chartSequentialColors"]) == 10  # Streamlit ignores any other count
    seq = [luminance(c) for c in theme["chartSequentialColors"]]
    assert seq == sorted(seq, reverse=True)
    assert config["client"]["showErrorDetails"] == "none"
    assert config["client"]["toolbarMode"] == "minimal"
    assert config["browser"]["gatherUsageStats"] is False
    assert config["server"]["runOnSave"] is False


# --------------------------------------------------------------------------- sidebar chrome

def _over(colour: str, alpha: float, background: str) -> tuple[int, int, int]:
    """``colour`` at ``alpha`` opacity over ``background``, as the browser blends it."""
    return tuple(round(alpha * c + (1 - alpha) * b)
                 for c, b in zip(rgb(colour), rgb(background), strict=True))


def test_sidebar_theme_uses_the_palette() -> None:
    config = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    side = config["theme"]["sidebar"]
    assert side["primaryColor"] == palette.SIDEBAR_PRIMARY
    assert side["backgroundColor"] == palette.SIDEBAR_BACKGROUND
    assert config["theme"]["secondaryBackgroundColor"] == palette.SIDEBAR_BACKGROUND
    assert config["theme"]["backgroundColor"] == palette.BACKGROUND
    assert side["secondaryBackgroundColor"] == palette.BACKGROUND


@pytest.mark.parametrize("tint", [0.1, 0.2])  # selected; selected and hovered or focused
def test_selected_language_button_is_readable(tint: float) -> None:
    """Streamlit draws a selected segmented-control button's label in the primary colour on
    a tint of it over the sidebar (axe-core measured 4.11:1 with #0072B2)."""
    fill = _over(palette.SIDEBAR_PRIMARY, tint, palette.SIDEBAR_BACKGROUND)
    assert contrast_ratio(palette.SIDEBAR_PRIMARY, fill) >= 4.5
    assert contrast_ratio(palette.PRIMARY, _over(palette.PRIMARY, 0.1,
                                                 palette.SIDEBAR_BACKGROUND)) < 4.5  # why


def test_sidebar_accent_and_chrome_colours_meet_wcag_aa() -> None:
    assert contrast_ratio(palette.WHITE, palette.SIDEBAR_PRIMARY) >= 4.5  # a primary button
    # Captions: solid grey, readable on the sidebar and on the page (1.4.3); Streamlit's 60 %
    # text colour was 4.44:1 on the sidebar.
    assert contrast_ratio(palette.CAPTION, palette.SIDEBAR_BACKGROUND) >= 4.5
    assert contrast_ratio(palette.CAPTION, palette.BACKGROUND) >= 4.5
    assert contrast_ratio(_over(palette.TEXT, 0.6, palette.SIDEBAR_BACKGROUND),
                          palette.SIDEBAR_BACKGROUND) < 4.5  # why the caption rule exists
    # The current page's link: text on its shade (1.4.3), the shade itself a visible step.
    assert contrast_ratio(palette.TEXT, palette.CURRENT_PAGE) >= 7
    assert palette.CURRENT_PAGE != palette.SIDEBAR_BACKGROUND
    # The page links' focus ring against everything beside it (1.4.11: 3:1).
    for background in (palette.SIDEBAR_BACKGROUND, palette.CURRENT_PAGE, palette.BACKGROUND):
        assert contrast_ratio(palette.SIDEBAR_PRIMARY, background) >= 3, background


def test_sidebar_css_is_static_and_uses_the_palette() -> None:
    from ui.shell import CSS

    assert CSS.startswith("<style>") and CSS.endswith("</style>")
    assert CSS.count("<") == 2  # one style element, nothing else
    for colour in (palette.CAPTION, palette.CURRENT_PAGE, palette.TEXT, palette.SIDEBAR_PRIMARY):
        assert colour in CSS
