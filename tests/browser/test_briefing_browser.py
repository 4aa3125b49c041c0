"""What the room sees: a briefing slide at 1920 x 1080 in Debian's Chromium.

Checks the computed font sizes (headline >= 64 px, body >= 32 px) and the WCAG contrast of
each text against the background actually behind it (>= 4.5:1), that the app chrome is
hidden, and that "next" moves the slide in the URL.
"""

from __future__ import annotations

import contextlib
import re

import pytest

from tests.browser.conftest import screenshot_dir, wait_for_app

pytestmark = pytest.mark.browser

# Collects, for each part of the slide, every text element with its computed font size,
# colour and the first opaque background found walking up the tree.
STYLES_JS = """
() => {
  const rgba = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const background = el => {
    for (let node = el; node; node = node.parentElement) {
      const c = rgba(getComputedStyle(node).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const pick = selector => [...document.querySelectorAll(selector)]
    .filter(e => e.innerText.trim().length > 0)
    .map(e => ({text: e.innerText.trim().slice(0, 60),
                size: parseFloat(getComputedStyle(e).fontSize),
                color: rgba(getComputedStyle(e).color).slice(0, 3),
                background: background(e)}));
  return {
    headline: pick('.st-key-slide h1'),
    body: pick('.st-key-slide-bullets li'),
    sources: pick('.st-key-slide-sources p'),
    head: pick('.st-key-slide-head p'),
    badge: pick('.st-key-slide-badge p'),
  };
}
"""


def luminance(rgb: list[float]) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: list[float], b: list[float]) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.fixture
def projector(browser, request: pytest.FixtureRequest):
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="id-ID")
    page = context.new_page()
    yield page
    with contextlib.suppress(Exception):
        page.screenshot(path=str(screenshot_dir() / f"{request.node.name}.png"))
    context.close()


def open_slide(page, app_url: str, query: str, picture: bool = False) -> dict:
    page.goto(f"{app_url}/briefing?{query}")
    wait_for_app(page, timeout_s=60)
    page.wait_for_selector(".st-key-slide-sources p", timeout=60_000)
    if picture:  # drawn last, after the words
        page.wait_for_selector(".st-key-slide img", timeout=60_000)
    return page.evaluate(STYLES_JS)


@pytest.mark.parametrize(("query", "picture"), [
    ("region=81&period=2024-11&segment=all", True),  # slide 1: the big number's picture
    ("region=74&period=2018-10&segment=non_asn&slide=2", True),
    ("region=81&period=2024-12&segment=all&slide=4&lang=en", True),
])
def test_slide_is_readable_from_the_back_of_the_room(projector, app_url: str, query: str,
                                                     picture: bool) -> None:
    styles = open_slide(projector, app_url, query, picture)
    assert styles["headline"], "no headline on the slide"
    assert styles["body"], "no bullets on the slide"
    assert styles["sources"][0]["text"].startswith(("Sumber:", "Sources:"))
    for item in styles["headline"]:
        assert item["size"] >= 64, item
    for part in ("body", "sources", "head", "badge"):
        for item in styles[part]:
            assert item["size"] >= 32, (part, item)
    for part, items in styles.items():
        for item in items:
            ratio = contrast(item["color"], item["background"])
            assert ratio >= 4.5, (part, item, round(ratio, 2))


def test_maluku_headline_chrome_hidden_and_next_slide(projector, app_url: str) -> None:
    styles = open_slide(projector, app_url, "region=81&period=2024-11&segment=all")
    assert styles["headline"][0]["text"] == (  # the page script keeps 60 characters of it
        "Maluku: 40% pada Nov 2024 (ANTARA News Ambon) — target 55% Desember 2024: kurang 15 poin"
    )[:60]
    assert not projector.locator("[data-testid='stSidebar']").is_visible()
    assert not projector.locator("[data-testid='stHeader']").is_visible()
    # one large picture on slide 1 too (the figure against the target), its alt the headline
    projector.wait_for_selector(".st-key-slide img", timeout=60_000)
    picture = projector.locator(".st-key-slide img")
    assert picture.count() == 1 and picture.get_attribute("alt").startswith("Maluku: 40%")
    projector.get_by_role("button", name=re.compile("Berikutnya")).click()
    projector.wait_for_url(re.compile(r"slide=2"), timeout=30_000)
    wait_for_app(projector, timeout_s=60)
    map_slide = projector.locator(".st-key-slide h1").inner_text()
    assert "kabupaten/kota" in map_slide
    assert projector.locator(".st-key-slide img").count() == 1
