"""Issue 4 budget: cold start to a visible map in headless Chromium (<= 4 s).

A fresh ``streamlit run`` server on the current store and boundary cache; the clock starts
when the browser asks for a shared map link and stops when MapLibre has drawn the shapes.
Needs Debian's Chromium and the ``playwright`` package (development requirements).
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

from cakupan import geo, store
from cakupan.benchmarks.registry import benchmark
from cakupan.core import settings

CHROMIUM = os.environ.get("CAKUPAN_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
#: Regions drawn on the page's map: the SVG renderer's painted paths (``ui/svg_map.js`` sets
#: ``data-drawn`` once the browser has painted them), else the fill features MapLibre has
#: rendered in a plotly map.
SHAPES = """() => { let n = 0;
  for (const m of document.querySelectorAll('.cakupan-map[data-drawn]'))
    n += Number(m.getAttribute('data-drawn'));
  if (n) return n;
  for (const gd of document.querySelectorAll('.js-plotly-plot')) {
  const sub = gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
  if (sub && sub.map.loaded()) return sub.map.queryRenderedFeatures()
      .filter(f => f.layer.type === 'fill').length; } return 0; }"""


#: Where a place (``[lon, lat]``) is on the screen in the page's SVG map (client pixels), or
#: null: Web Mercator at 1000 units per radian, the renderer's projection written out again
#: here, so a renderer that drew elsewhere would be caught by what is measured with it.
SVG_POINT = """([lon, lat]) => {
  const svg = document.querySelector('.cakupan-map[data-drawn] svg');
  if (!svg) return null;
  const p = svg.createSVGPoint();
  p.x = lon * Math.PI / 180 * 1000;
  p.y = -Math.log(Math.tan(Math.PI / 4 + lat * Math.PI / 360)) * 1000;
  const s = p.matrixTransform(svg.getScreenCTM());
  return [s.x, s.y]; }"""


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(env: dict[str, str] | None = None) -> tuple[subprocess.Popen, int, str]:
    """``streamlit run app.py`` on a free loopback port, once it answers its health check:
    the process, its port and its base URL (the caller terminates it)."""
    port = _port()
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--browser.gatherUsageStats", "false"],
        cwd=settings.PROJECT_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=1) as r:
                if r.read() == b"ok":
                    break
        except OSError:
            time.sleep(0.1)
    return server, port, base


def _measure(warm_server: bool) -> float:
    """Seconds from asking for a shared map link to MapLibre's first drawn shapes, in a
    new browser process (cold browser cache). ``warm_server``: another visitor has used the
    server before (a hosted app); otherwise this is the first request after start."""
    from playwright.sync_api import sync_playwright

    store.get_engine()  # the store exists; this measures the app, not the first seeding
    geo.build()
    server, _port_no, base = start_server()
    link = "/peta?region=81&segment=all&metric=coverage"
    try:
        with sync_playwright() as pw:
            if warm_server:  # an earlier visitor, in a browser of their own
                other = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
                page = other.new_page()
                page.goto(f"{base}{link}")
                page.wait_for_function(f"({SHAPES})() > 0", timeout=60_000, polling=100)
                other.close()
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            start = time.perf_counter()
            page.goto(f"{base}{link}")
            page.wait_for_function(f"({SHAPES})() > 0", timeout=60_000, polling=50)
            seconds = time.perf_counter() - start
            browser.close()
        return seconds
    finally:
        server.terminate()
        server.wait(10)


#: Cold timings vary by a few tenths of a second run to run: report the median of a few.
RUNS = 3


@benchmark("browser_cold_map_s", budget=4.0, unit="s", issue=4)
def browser_cold_map_s() -> float:
    """A visitor's first view of a shared map link: new browser, running server."""
    return statistics.median(_measure(warm_server=True) for _ in range(RUNS))


@benchmark("browser_first_hit_map_s", budget=4.0, unit="s", issue=4)
def browser_first_hit_map_s() -> float:
    """The very first request after the server started (app.py warms up in the background
    while the browser fetches the front end)."""
    return statistics.median(_measure(warm_server=False) for _ in range(RUNS))
