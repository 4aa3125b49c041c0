"""What a person sees in a real browser: shared links reopen the view, the map draws one
shape per regency, the legend and the language read right. A screenshot of each page is
kept in artifacts/screenshots (git-ignored) for CI.
"""

from __future__ import annotations

import pytest

from cakupan.benchmarks.browser import SVG_POINT
from tests.browser.conftest import main_text_with, wait_for_app

pytestmark = pytest.mark.browser

# Counts the distinct choropleth shapes drawn: the SVG renderer's regions with their fill
# (its paths, one per region code), else MapLibre's rendered ones (a feature split across
# tiles appears more than once; its plotly properties, which hold its centroid, do not).
RENDERED_SHAPES = """() => {
  const svgMap = document.querySelector('.cakupan-map[data-drawn] svg');
  if (svgMap) return new Set([...svgMap.querySelectorAll('path[data-code][fill]')]
    .filter(p => p.getBBox().width > 0).map(p => p.dataset.code)).size;
  const plots = [...document.querySelectorAll('.js-plotly-plot')];
  for (const gd of plots) {
    const sub = gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
    if (!sub || !sub.map.loaded()) continue;
    const fills = sub.map.queryRenderedFeatures().filter(f => f.layer.type === 'fill');
    return new Set(fills.map(f => JSON.stringify(f.properties.ct))).size;
  }
  return -1;
}"""


def rendered_shapes(page, timeout_s: float = 20) -> int:
    """The count once two readings half a second apart agree (the map may still redraw)."""
    import time

    page.wait_for_selector(".cakupan-map[data-drawn], .js-plotly-plot",
                           timeout=timeout_s * 1000)
    deadline, last = time.monotonic() + timeout_s, None
    while time.monotonic() < deadline:
        now = page.evaluate(RENDERED_SHAPES)
        if now > 0 and now == last:
            return now
        last = now
        time.sleep(0.5)
    return last if last is not None else -1


def test_sultra_2018_link_draws_every_regency_and_names_the_unregistered(app_url, page):
    page.goto(f"{app_url}/peta?region=74&segment=non_asn&period=2018-10&metric=status")
    wait_for_app(page)
    assert rendered_shapes(page) == 17
    text = page.locator("[data-testid='stMain']").inner_text()
    assert "Sulawesi Tenggara" in text and "Okt 2018" in text
    assert "Belum terdaftar" in text  # legend and counts use words, not colour alone
    assert page.title().startswith("Peta")


def test_english_link_reopens_in_english(app_url, page):
    page.goto(f"{app_url}/tren?region=81&segment=all&lang=en")
    wait_for_app(page)
    text = main_text_with(page, "Target", "55%")
    assert "Trends & Targets" in text or "Trend" in text
    assert "Tren & Target" not in text


def test_national_map_draws_all_regencies(app_url, page):
    page.goto(f"{app_url}/peta?segment=all&metric=coverage")
    wait_for_app(page)
    assert rendered_shapes(page, timeout_s=40) == 514  # every regency, drawn as SVG


# Every page without an error, in both languages, with a screenshot: the accessibility
# test's audit (tests/browser/test_accessibility_browser.py) loads each once for all checks.


def test_clicking_a_regency_opens_its_profile(app_url, page):
    page.goto(f"{app_url}/peta?region=81&segment=all&metric=status")
    wait_for_app(page)
    assert rendered_shapes(page) == 11
    # The screen position of a point on Seram (Kabupaten Maluku Tengah, 81.01); hovering it
    # names the regency with its figures, clicking it opens its profile.
    x, y = page.evaluate(SVG_POINT, [129.5, -3.2])
    page.mouse.move(x, y)
    tip = page.locator(".cakupan-map .cm-tip")
    tip.wait_for(state="visible", timeout=10_000)
    assert tip.inner_text().startswith("Kabupaten Maluku Tengah (81.01)\n")
    page.mouse.click(x, y)
    page.wait_for_function("() => location.pathname.endsWith('/wilayah')", timeout=20_000)
    assert "region=81.01" in page.evaluate("location.search")
    # The URL changes before the profile's first run has drawn anything, and the old map's
    # title can linger meanwhile: wait for the profile's own content (its sections), then
    # read its title. A failure prints the text that was on screen instead.
    main_text_with(page, "Kabupaten Maluku Tengah", "Maluku · 81.01", timeout_s=60)
    assert page.locator("[data-testid='stMain'] h1").first.inner_text() == \
        "Kabupaten Maluku Tengah"


def test_profile_of_a_province_opens_on_its_furthest_behind_regency(app_url, page):
    """The sidebar's province choice leads to ``/wilayah?region=81``: in a real browser the
    page settles on one regency, whose code is in the address bar and whose name the reason
    line and the title share (the redirect neither loops nor leaves the page empty)."""
    import re

    page.goto(f"{app_url}/wilayah?region=81&segment=all&lang=id")
    page.wait_for_function("() => /[?&]region=81\\.\\d\\d(&|$)/.test(location.search)",
                           timeout=60_000)
    # both lines, read once both are drawn (the reason line comes first; the other
    # regencies' list a moment later: reading at the first one raced it once)
    text = main_text_with(page, "cakupan terendah di Maluku",
                          "Kabupaten/kota lain di Maluku (10)", timeout_s=60)
    wait_for_app(page)
    title = page.locator("[data-testid='stMain'] h1").first.inner_text()
    assert re.search(rf"{re.escape(title)}: cakupan terendah di Maluku \(\d+,\d%, \w+ \d{{4}}\)",
                     text), text
    code = re.search(r"region=(81\.\d\d)", page.evaluate("location.search")).group(1)
    assert f"Maluku · {code}" in text
    assert "Kabupaten/kota lain di Maluku (10)" in text


# Counts the circles MapLibre drew for the share-and-size map (a circle layer's features).
RENDERED_CIRCLES = """() => {
  for (const gd of document.querySelectorAll('.js-plotly-plot')) {
    const sub = gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
    if (!sub || !sub.map.loaded()) continue;
    return sub.map.queryRenderedFeatures().filter(f => f.layer.type === 'circle').length;
  }
  return -1;
}"""


def test_share_and_size_map_draws_circles_over_the_coverage_map(app_url, page):
    """``metric=share_size``: Maluku's 11 regencies in their coverage colours, a circle on
    each with people still unprotected, and the ranking of where to act first under it."""
    import time

    page.goto(f"{app_url}/peta?region=81&segment=all&metric=share_size&lang=en")
    wait_for_app(page)
    assert rendered_shapes(page) == 11
    deadline, circles = time.monotonic() + 20, -1
    while time.monotonic() < deadline and circles <= 0:
        circles = page.evaluate(RENDERED_CIRCLES)
        time.sleep(0.3)
    assert 1 <= circles <= 11 + 3  # one per regency with counts (+ none from the legend)
    text = main_text_with(page, "Where to act first", "Most workers still unprotected")
    assert "circle area proportional to people" in text


def test_trend_of_papua_selatan_names_its_2022_formation_on_the_chart(app_url, page):
    """The boundary change is on the chart as drawn (an annotation in the plot's SVG), and
    the line does not run across it."""
    page.goto(f"{app_url}/tren?region=93&segment=all")
    wait_for_app(page)
    page.wait_for_selector(".js-plotly-plot .annotation-text", timeout=30_000)
    notes = page.eval_on_selector_all(  # SVG text has no innerText: read textContent
        ".js-plotly-plot .annotation-text", "els => els.map(e => e.textContent)")
    assert any(n.startswith("Dibentuk Jul 2022 dari Papua (UU 14, 15, 16/2022)") for n in notes)
