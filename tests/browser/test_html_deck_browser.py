"""The offline HTML deck in Debian's Chromium with the network off.

Opened from ``file://``: every slide, the ranking and trend charts and the table, and no
request leaves the file. Served by a plain local web server (still no network): the map
draws its regencies and hovering one shows its figure. The map does not draw from
``file://`` in Chromium: MapLibre's worker, started from a ``blob:`` URL, gets the file's
opaque (``null``) origin and the style never loads (it does with
``--allow-file-access-from-files``); README, "Offline HTML deck", says so.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from cakupan.benchmarks.browser import SHAPES

pytestmark = pytest.mark.browser

#: Plotly SVG charts drawn (bars or lines), by figure: every chart but the map.
SVG_CHARTS = """() => [...document.querySelectorAll('.js-plotly-plot')]
  .filter(gd => !(gd._fullLayout && gd._fullLayout.map))
  .map(gd => gd.querySelectorAll('.plot path, .plot rect, .trace path').length)"""


@pytest.fixture
def deck_file(geo_ready, tmp_path: Path) -> Path:
    from cakupan import briefing, store
    from cakupan.briefing.export import export

    deck = briefing.build_deck(store.get_engine(), region="81", period="2024-11")
    path = tmp_path / "maluku.html"
    path.write_bytes(export(deck, "html"))
    return path


@contextlib.contextmanager
def offline_context(browser, allowed: str) -> Iterator[tuple[object, list[str]]]:
    """A browser context with the network off; only URLs starting with ``allowed`` load."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    context.set_offline(allowed.startswith("file://"))
    outside: list[str] = []

    def guard(route) -> None:
        if route.request.url.startswith((allowed, "blob:")):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    try:
        yield context, outside
    finally:
        context.close()


@contextlib.contextmanager
def local_server(folder: Path) -> Iterator[str]:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_from_a_file_every_slide_chart_and_table_shows_without_a_request(browser,
                                                                        deck_file) -> None:
    with offline_context(browser, "file://") as (context, outside):
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda err: errors.append(str(err)))
        page.goto(deck_file.as_uri())
        page.wait_for_function(f"({SVG_CHARTS})().length >= 2 && "
                               f"({SVG_CHARTS})().every(n => n > 0)", timeout=30_000)
        assert page.locator("section[id^=s]").count() >= 5  # every slide
        table = page.locator("section[data-key=table] tbody").inner_text()
        assert "Kepulauan Tanimbar" in table and "%" in table
    assert outside == [] and errors == []


def test_served_locally_the_map_draws_and_its_tooltip_shows_a_figure(browser,
                                                                    deck_file) -> None:
    with local_server(deck_file.parent) as base, \
            offline_context(browser, base) as (context, outside):
        page = context.new_page()
        page.goto(base + deck_file.name)
        page.keyboard.press("ArrowRight")  # to the map slide (#s2)
        page.wait_for_function(f"({SHAPES})() > 0", timeout=30_000, polling=100)
        assert page.evaluate(f"({SHAPES})()") >= 11  # Maluku's 11 regencies
        canvas = page.locator("#fig2 canvas").first
        # Hover a grid of points until a regency's tooltip shows its coverage; on a loaded
        # machine MapLibre answers a hover late, so each point gets a moment and the grid
        # is walked again until a deadline.
        shown, deadline = "", time.monotonic() + 30
        points = [(fx / 10, fy / 10) for fy in range(2, 9) for fx in range(1, 10)]
        while "%" not in shown and time.monotonic() < deadline:
            canvas.scroll_into_view_if_needed()  # the slide's scroll-snap may still move it
            box = canvas.bounding_box()
            assert box is not None
            for fx, fy in points:
                page.mouse.move(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)
                page.wait_for_timeout(150)
                shown = page.evaluate(
                    "() => [...document.querySelectorAll('#fig2 .hoverlayer')]"
                    ".map(e => e.textContent).join(' ')")
                if "%" in shown:
                    break
        assert "%" in shown, "no tooltip with a coverage figure under the mouse"
    assert outside == []
