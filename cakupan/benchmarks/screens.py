"""``bench --screens``: every public page at every screen size, in both languages, looked at.

Issue 16's full set (CI runs the national and Maluku maps at three sizes, and the briefing at
two, in ``tests/browser/test_screens_browser.py``, which uses the same measurements): for each
page x size x language a fresh ``streamlit run app.py`` page in headless Chromium, a
screenshot into ``artifacts/screens/``, and what can be judged from what is drawn:

- no sideways scroll (the page's scroll width within the window);
- no metric card whose text is clipped;
- on a page with a map, the view's extent as the map projects it (the SVG renderer, or
  MapLibre in a plotly map): inside the frame and filling at least 80 % of its width or
  height; the legend below the frame;
- on the briefing, the title whole and on screen, every control's label whole.

A miss is a finding in the table (``ok`` column), not a failed command.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from cakupan import geo
from cakupan.benchmarks.browser import ARGS, CHROMIUM, SHAPES, SVG_POINT, start_server
from cakupan.core import settings

#: Projectors (1920x1080, 1280x720, 1024x768), a laptop (1366x768) and a phone (390x844).
SIZES: tuple[tuple[int, int], ...] = ((1920, 1080), (1280, 720), (1024, 768), (1366, 768),
                                      (390, 844))
LANGS = ("id", "en")
#: Public pages and the link each is opened with (CONTRACTS.md paths).
PAGES: tuple[tuple[str, str, str | None], ...] = (
    ("ringkasan", "/?region=81&segment=all", "81"),
    ("peta-national", "/peta?segment=all&metric=status", geo.NATIONAL),
    ("peta-maluku", "/peta?region=81&segment=all&metric=coverage", "81"),
    ("tren", "/tren?region=81&segment=all", None),
    ("wilayah", "/wilayah?region=81.03", None),
    ("sumber", "/sumber", None),
    ("briefing", "/briefing?region=81&segment=all", None),
)
FILL_MIN = 0.8
OUT = Path(settings.PROJECT_DIR) / "artifacts" / "screens"

#: The drawn map measured in the page: the projection of the extent ``b`` (passed in
#: from the boundary files, not read from the figure), the legend's box, the page's scroll
#: width and clipped metric texts.
MAP_MEASURE = """(b) => {
  const svgMap = document.querySelector('.cakupan-map[data-drawn]');
  if (svgMap) {  // the SVG renderer: the extent through the same projection (SVG_POINT)
    const point = """ + SVG_POINT + """;
    const box = svgMap.querySelector('svg').getBoundingClientRect();
    const nw = point([b[0], b[3]]), se = point([b[2], b[1]]);
    const lbox = svgMap.querySelector('.cm-legend').getBoundingClientRect();
    return {w: box.width, h: box.height, x0: nw[0] - box.left, y0: nw[1] - box.top,
            x1: se[0] - box.left, y1: se[1] - box.top, canvasBottom: box.bottom,
            legendTop: lbox.height ? lbox.top : null};
  }
  const gd = [...document.querySelectorAll('.js-plotly-plot')]
    .find(g => g._fullLayout && g._fullLayout.map);
  const map = gd._fullLayout.map._subplot.map, canvas = map.getCanvas();
  const box = canvas.getBoundingClientRect();
  const nw = map.project([b[0], b[3]]), se = map.project([b[2], b[1]]);
  const legend = gd.querySelector('g.legend');
  const lbox = legend ? legend.getBoundingClientRect() : null;
  return {w: box.width, h: box.height, x0: nw.x, y0: nw.y, x1: se.x, y1: se.y,
          canvasBottom: box.bottom, legendTop: lbox ? lbox.top : null};
}"""
PAGE_MEASURE = """() => {
  const clipped = [...document.querySelectorAll("[data-testid='stMetricValue'] *")]
    .filter(e => e.children.length === 0 && e.scrollWidth > e.clientWidth + 1)
    .map(e => e.textContent);
  return {scroll: document.documentElement.scrollWidth, inner: window.innerWidth, clipped};
}"""
SLIDE_MEASURE = """() => {
  const over = e => e.scrollWidth > e.clientWidth + 1;
  const labels = [...document.querySelectorAll(
      ".st-key-slide-controls button *, .st-key-slide-controls label *")]
    .filter(e => e.children.length === 0 && e.textContent.trim() && over(e))
    .map(e => e.textContent.trim());
  const h1 = document.querySelector(".st-key-slide h1");
  return {labels, title: h1 ? h1.textContent : null, titleOver: h1 ? over(h1) : null,
          titleBottom: h1 ? h1.getBoundingClientRect().bottom : null};
}"""


def map_verdict(m: dict) -> list[str]:
    """What is wrong with a measured map (empty: nothing)."""
    faults = []
    if m["x0"] < -1 or m["y0"] < -1 or m["x1"] > m["w"] + 1 or m["y1"] > m["h"] + 1:
        faults.append("extent outside the frame")
    fill = max((m["x1"] - m["x0"]) / m["w"], (m["y1"] - m["y0"]) / m["h"])
    if fill < FILL_MIN:
        faults.append(f"extent fills {fill:.0%}")
    if m.get("legendTop") is None or m["legendTop"] < m["canvasBottom"] - 1:
        faults.append("legend over the map")
    return faults


def page_verdict(m: dict) -> list[str]:
    faults = []
    if m["scroll"] > m["inner"] + 1:
        faults.append(f"scrolls sideways ({m['scroll']} > {m['inner']} px)")
    if m["clipped"]:
        faults.append(f"clipped metric {m['clipped'][0]!r}")
    return faults


def slide_verdict(m: dict, height: int) -> list[str]:
    faults = []
    if not m["title"] or m["titleOver"] or (m["titleBottom"] or 0) > height:
        faults.append("title cut or off screen")
    if m["labels"]:
        faults.append(f"control label cut {m['labels'][0]!r}")
    return faults


@dataclass
class Screen:
    page: str
    size: str
    lang: str
    seconds: float = 0.0
    faults: list[str] = field(default_factory=list)
    shot: str = ""

    @property
    def ok(self) -> bool:
        return not self.faults


def _settled(page, script: str, arg, keys: tuple[str, ...], timeout_s: float = 20) -> dict:
    deadline, last = time.monotonic() + timeout_s, None
    while time.monotonic() < deadline:
        now = page.evaluate(script, arg)
        if last and all(abs(now[k] - last[k]) < 0.5 for k in keys):
            return now
        last = now
        time.sleep(0.4)
    return last or {}


def _look(browser, base: str, name: str, link: str, view: str | None,
          size: tuple[int, int], lang: str) -> Screen:
    width, height = size
    screen = Screen(name, f"{width}x{height}", lang)
    context = browser.new_context(viewport={"width": width, "height": height},
                                  is_mobile=width < 500, has_touch=width < 500)
    page = context.new_page()
    start = time.monotonic()
    try:
        sep = "&" if "?" in link else "?"
        page.goto(f"{base}{link}{sep}lang={lang}")
        page.wait_for_selector("[data-testid='stMain'] h1", timeout=60_000)
        if view is not None:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not page.evaluate(SHAPES):
                time.sleep(0.2)
            west, south, east, north = geo.view_bounds(view)
            screen.faults += map_verdict(_settled(page, MAP_MEASURE, [west, south, east, north],
                                                  ("x0", "y0", "x1", "y1", "w")))
        else:
            time.sleep(2.0)
        if name == "briefing":
            screen.faults += slide_verdict(page.evaluate(SLIDE_MEASURE), height)
        screen.faults += page_verdict(page.evaluate(PAGE_MEASURE))
        screen.seconds = round(time.monotonic() - start, 1)
        OUT.mkdir(parents=True, exist_ok=True)
        shot = OUT / f"{name}-{width}x{height}-{lang}.png"
        page.screenshot(path=str(shot), full_page=True)
        screen.shot = str(shot.relative_to(settings.PROJECT_DIR))
    except Exception as err:  # a page that never drew is a finding of its own
        screen.faults.append(f"did not load: {type(err).__name__}")
    finally:
        context.close()
    return screen


def run() -> dict:
    """Every page x size x language; minutes (about 8 s a screen on 2 cores)."""
    from playwright.sync_api import sync_playwright

    server, _, base = start_server()
    screens: list[Screen] = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            try:
                for name, link, view in PAGES:
                    for size in SIZES:
                        for lang in LANGS:
                            screens.append(_look(browser, base, name, link, view, size, lang))
            finally:
                browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)
    return {"screens": [asdict(s) | {"ok": s.ok} for s in screens],
            "all_ok": all(s.ok for s in screens), "folder": str(OUT)}


def table(result: dict) -> str:
    rows = [f"{'page':<14} {'size':<10} {'lang':<4} {'s':>5}  ok  faults"]
    for s in result["screens"]:
        rows.append(f"{s['page']:<14} {s['size']:<10} {s['lang']:<4} {s['seconds']:>5}  "
                    f"{'✓' if s['ok'] else '✗'}   {'; '.join(s['faults'])}")
    ok = sum(s["ok"] for s in result["screens"])
    rows.append(f"{ok}/{len(result['screens'])} screens without a finding; "
                f"screenshots in {result['folder']}")
    return "\n".join(rows)
