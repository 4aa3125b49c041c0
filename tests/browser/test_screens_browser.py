"""Every map as a person sees it: on a projector, a laptop and a phone, in both languages.

What is measured is what is drawn: MapLibre's projection of the view's extent (from the
boundary files, not from the figure), the legend's box against the map's canvas, the page's
scroll width, the metric cards' text. Screenshots go to ``artifacts/screenshots/``. The full
set of pages x sizes is ``python -m cakupan bench``'s; CI runs these two maps at three sizes.
"""

from __future__ import annotations

import time

import pytest

from cakupan import geo
from cakupan.benchmarks import screens
from tests.browser.conftest import ARTIFACTS, wait_for_app
from tests.browser.test_pages_browser import rendered_shapes

pytestmark = pytest.mark.browser

SIZES = [(1920, 1080), (1024, 768), (390, 844)]
VIEWS = {"national": ("", 480), "81": ("region=81&", 11)}  # URL part, shapes at least


def settled_extent(page, bounds: list[float], timeout_s: float = 20) -> dict:
    """The measure once two readings agree (the fitting script acts within ~0.3 s)."""
    deadline, last = time.monotonic() + timeout_s, None
    while time.monotonic() < deadline:
        now = page.evaluate(screens.MAP_MEASURE, bounds) | page.evaluate(screens.PAGE_MEASURE)
        if last and all(abs(now[k] - last[k]) < 0.5 for k in ("x0", "y0", "x1", "y1", "w")):
            return now
        last = now
        time.sleep(0.4)
    raise AssertionError(f"the map kept moving: {last}")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("view", list(VIEWS))
def test_the_map_fills_its_frame_and_reads_at_every_size(app_url, browser, view: str,
                                                          size: tuple[int, int]) -> None:
    width, height = size
    lang = "en" if width == 1024 else "id"  # both languages in the artefacts
    part, shapes = VIEWS[view]
    context = browser.new_context(viewport={"width": width, "height": height},
                                  locale="id-ID", is_mobile=width < 500,
                                  has_touch=width < 500)
    page = context.new_page()
    try:
        page.goto(f"{app_url}/peta?{part}segment=all&metric=status&lang={lang}")
        wait_for_app(page)
        assert rendered_shapes(page, timeout_s=40) >= shapes
        west, south, east, north = geo.view_bounds(view)
        m = settled_extent(page, [west, south, east, north])
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"screen-{view}-{width}x{height}-{lang}.png"),
                        full_page=True)
    finally:
        context.close()
    # Every region of the view inside the frame, the view filling >= 80 % of it one way or
    # the other, the legend under the map, nothing sideways or clipped (the verdicts of
    # `bench --screens`, which runs every page at every size).
    assert screens.map_verdict(m) + screens.page_verdict(m) == [], m



@pytest.mark.parametrize("size", [(1024, 768), (390, 844)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_briefing_reads_on_a_small_projector_and_a_phone(app_url, browser,
                                                             size: tuple[int, int]) -> None:
    """One message per screen: the title whole and on screen, every control's label whole."""
    width, height = size
    context = browser.new_context(viewport={"width": width, "height": height},
                                  is_mobile=width < 500, has_touch=width < 500)
    page = context.new_page()
    try:
        page.goto(f"{app_url}/briefing?region=81&segment=all&lang=id")
        page.wait_for_selector(".st-key-slide h1", timeout=60_000)
        page.wait_for_selector(".st-key-slide-controls button", timeout=30_000)
        time.sleep(1.0)
        m = page.evaluate(screens.SLIDE_MEASURE) | page.evaluate(screens.PAGE_MEASURE)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"screen-briefing-{width}x{height}-id.png"))
    finally:
        context.close()
    assert m["title"] and m["title"].startswith("Maluku"), m
    # The message whole and on screen, no "Sebel…" on a control, nothing scrolls sideways.
    assert screens.slide_verdict(m, height) + screens.page_verdict(m) == [], m
