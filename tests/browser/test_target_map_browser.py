"""In a real browser: the gap-to-target map draws every regency with a legend in words that
says whose target a regency follows, and the talking points sit under the map and the trend."""

from __future__ import annotations

import pytest

from tests.browser.conftest import wait_for_app
from tests.browser.test_pages_browser import rendered_shapes

pytestmark = pytest.mark.browser

# The legend plotly drew (SVG text): its title and one label per bin.
LEGEND = """() => {
  const gd = document.querySelector('.js-plotly-plot');
  if (!gd) return null;
  const title = gd.querySelector('.legendtitletext');
  return {title: title ? title.textContent : '',
          entries: [...gd.querySelectorAll('.legendtext')].map(e => e.textContent)};
}"""


def test_gap_map_draws_every_regency_with_its_legend_in_words(app_url, page):
    page.goto(f"{app_url}/peta?region=81&segment=all&period=2024-12&metric=gap"
              "&target=maluku-2024-all-55")
    wait_for_app(page)
    assert rendered_shapes(page) == 11
    legend = page.evaluate(LEGEND)
    assert "Selisih dari jalur target" in legend["title"]
    assert "mengikuti target provinsi" in legend["title"]
    assert legend["entries"][:4] == ["Sesuai jalur atau di depan",
                                     "Tertinggal kurang dari 5 poin", "Tertinggal 5–10 poin",
                                     "Tertinggal lebih dari 10 poin"]
    assert "target=maluku-2024-all-55" in page.url and "metric=gap" in page.url


def _below(page, block: str, chart: str) -> str:
    """The block's text, after checking it is drawn below the chart."""
    box = page.locator(block).first
    box.wait_for(timeout=20_000)
    chart_box = page.locator(chart).first.bounding_box()
    assert box.bounding_box()["y"] > chart_box["y"] + chart_box["height"] - 1
    return box.inner_text()


def test_talking_points_show_under_the_map_and_the_trend(app_url, page):
    page.goto(f"{app_url}/peta?region=81&segment=all&period=2024-12&metric=status")
    wait_for_app(page)
    text = _below(page, ".st-key-talking-points-map", ".cakupan-map[data-drawn]")
    assert text.startswith("Poin bicara")
    assert "Maluku" in text and "2024" in text and "kabupaten/kota" in text
    page.goto(f"{app_url}/tren?region=81&segment=all&lang=en")
    wait_for_app(page)
    text = _below(page, ".st-key-talking-points-trend", ".js-plotly-plot")
    assert text.startswith("Talking points")
    assert "Maluku" in text and "regencies/cities" in text
