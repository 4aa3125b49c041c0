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
from tests.browser.conftest import ARTIFACTS, wait_for_app
from tests.browser.test_pages_browser import rendered_shapes

pytestmark = pytest.mark.browser

SIZES = [(1920, 1080), (1024, 768), (390, 844)]
VIEWS = {"national": ("", 480), "81": ("region=81&", 11)}  # URL part, shapes at least

MEASURE = """(b) => {
  const gd = [...document.querySelectorAll('.js-plotly-plot')]
    .find(g => g._fullLayout && g._fullLayout.map);
  const map = gd._fullLayout.map._subplot.map, canvas = map.getCanvas();
  const box = canvas.getBoundingClientRect();
  const nw = map.project([b[0], b[3]]), se = map.project([b[2], b[1]]);
  const legend = gd.querySelector('g.legend');
  const lbox = legend ? legend.getBoundingClientRect() : null;
  const clipped = [...document.querySelectorAll("[data-testid='stMetricValue'] *")]
    .filter(e => e.children.length === 0 && e.scrollWidth > e.clientWidth + 1)
    .map(e => e.textContent);
  return {w: box.width, h: box.height, x0: nw.x, y0: nw.y, x1: se.x, y1: se.y,
          canvasBottom: box.bottom, legendTop: lbox ? lbox.top : null,
          scroll: document.documentElement.scrollWidth, inner: window.innerWidth, clipped};
}"""


def settled_extent(page, bounds: list[float], timeout_s: float = 20) -> dict:
    """The measure once two readings agree (the fitting script acts within ~0.3 s)."""
    deadline, last = time.monotonic() + timeout_s, None
    while time.monotonic() < deadline:
        now = page.evaluate(MEASURE, bounds)
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
    # Every region of the view inside the frame, and the view filling it one way or the other.
    assert m["x0"] >= -1 and m["y0"] >= -1, m
    assert m["x1"] <= m["w"] + 1 and m["y1"] <= m["h"] + 1, m
    fill_w, fill_h = (m["x1"] - m["x0"]) / m["w"], (m["y1"] - m["y0"]) / m["h"]
    assert max(fill_w, fill_h) >= 0.8, (fill_w, fill_h, m)
    # The legend sits under the map, never over it; nothing scrolls sideways or is clipped.
    assert m["legendTop"] is not None and m["legendTop"] >= m["canvasBottom"] - 1, m
    assert m["scroll"] <= m["inner"] + 1, m
    assert m["clipped"] == [], m


SLIDE = """() => {
  const over = e => e.scrollWidth > e.clientWidth + 1;
  const labels = [...document.querySelectorAll(
      ".st-key-slide-controls button *, .st-key-slide-controls label *")]
    .filter(e => e.children.length === 0 && e.textContent.trim() && over(e))
    .map(e => e.textContent.trim());
  const h1 = document.querySelector(".st-key-slide h1");
  return {scroll: document.documentElement.scrollWidth, inner: window.innerWidth, labels,
          title: h1 ? h1.textContent : null, titleOver: h1 ? over(h1) : null,
          titleBottom: h1 ? h1.getBoundingClientRect().bottom : null};
}"""


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
        m = page.evaluate(SLIDE)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"screen-briefing-{width}x{height}-id.png"))
    finally:
        context.close()
    assert m["title"] and m["title"].startswith("Maluku"), m
    assert m["titleOver"] is False and m["titleBottom"] <= height, m  # the message is on screen
    assert m["labels"] == [], m  # no "Sebel…": every control's label is whole
    assert m["scroll"] <= m["inner"] + 1, m
