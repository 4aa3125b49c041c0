"""Accessibility checked by a real engine: axe-core (WCAG 2.1 A and AA rules) finds nothing on
any public page, in either language; keyboard focus is visible; every chart and map has a
text alternative naming its headline figure.

The engine is the ``axe.min.js`` that the PyPI wheel ``axe-playwright-python`` bundles (no npm,
no network); only that file is used: it is injected into the page and ``axe.run`` is called
here, so the test states exactly which rules run. Each page is loaded once per language and
every check reads that one load (:func:`audit`).
"""

from __future__ import annotations

import contextlib
import importlib.util
import time
from pathlib import Path

import pytest

from cakupan.core.i18n import t
from cakupan.present.palette import contrast_ratio
from tests.browser.conftest import screenshot_dir, wait_for_app
from tests.conftest import require
from ui.shell import PAGES

pytestmark = pytest.mark.browser

#: The public pages (Kelola Data needs a sign-in) with the brief's view; ``region=81`` opens
#: Profil Wilayah on Maluku's furthest-behind regency, with its charts.
VIEWS: dict[str, str] = {key: f"/{PAGES[key][1]}?region=81" for key in PAGES if key != "kelola"}
LANGS = ("id", "en")
CASES = [(view, lang) for view in VIEWS for lang in LANGS]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary || ''})),
  }));
}"""

# Charts are drawn after the script run ends: wait until every SVG map has painted, every
# plotly chart has its SVG and every plotly map (MapLibre) has loaded its style and shapes.
CHARTS_DRAWN = """() => [...document.querySelectorAll('.cakupan-map')]
  .every(m => m.hasAttribute('data-drawn'))
  && [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].every(el => {
  const gd = el.querySelector('.js-plotly-plot');
  if (!gd || !gd._fullLayout) return false;
  const sub = gd._fullLayout.map && gd._fullLayout.map._subplot;
  return !sub || (sub.map.loaded() && sub.map.areTilesLoaded());
})"""

# For each chart (plotly, pydeck) and picture: what stands in for it in words. A chart's text
# alternative is a caption drawn right after it (the next element that shows anything); a
# picture's is its alt text.
TEXT_ALTERNATIVES = """() => {
  const shown = el => el.getBoundingClientRect().height > 0 && el.innerText.trim() !== '';
  const out = [];
  const charts = [...document.querySelectorAll(
    '[data-testid="stPlotlyChart"], [data-testid="stDeckGlJsonChart"], '
    + '[data-testid="stBidiComponentRegular"]')]
    .filter(c => c.dataset.testid !== 'stBidiComponentRegular'
            || c.querySelector('.cakupan-map'));
  for (const chart of charts) {
    const box = chart.closest('[data-testid="stElementContainer"]') || chart;
    let next = box.nextElementSibling;
    while (next && !shown(next)) next = next.nextElementSibling;
    // the caption itself, not one inside the next block (a table's row count is no summary)
    const caption = next && next.dataset.testid === 'stElementContainer'
      && next.querySelector('[data-testid="stCaptionContainer"]');
    const title = chart.querySelector('.gtitle');
    out.push({kind: chart.dataset.testid, title: title ? title.textContent : '',
              text: caption ? caption.innerText.trim() : ''});
  }
  for (const img of document.querySelectorAll('[data-testid="stMain"] img')) {
    out.push({kind: 'img', title: img.src.slice(0, 60), text: (img.alt || '').trim()});
  }
  return out;
}"""

# The sidebar's subtitle (a caption): its colour with every ancestor's opacity, and the
# sidebar's background. axe leaves it "incomplete" (background not determined), so the
# contrast is computed here.
SUBTITLE_COLOURS = """() => {
  const p = document.querySelector(
    '[data-testid="stSidebar"] [data-testid="stCaptionContainer"] p');
  if (!p) return null;
  let alpha = 1;
  for (let el = p; el; el = el.parentElement) alpha *= parseFloat(getComputedStyle(el).opacity);
  const side = document.querySelector('[data-testid="stSidebar"]');
  return {text: p.innerText, color: getComputedStyle(p).color, alpha,
          background: getComputedStyle(side).backgroundColor};
}"""

FOCUSED = """() => {
  const el = document.activeElement;
  const s = getComputedStyle(el);
  const select = el.closest('[data-testid="stSelectbox"]');
  return {tag: el.tagName, testid: el.dataset.testid || '', text: el.innerText || '',
          label: el.getAttribute('aria-label') || '',
          sidebar: !!el.closest('[data-testid="stSidebar"]'),
          outline: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth) || 0,
          shadow: s.boxShadow,
          control: select ? getComputedStyle(el.parentElement).borderColor : null};
}"""
# A select box's text input shows focus on the box around it (its border takes the accent).
SELECT_BORDERS = """() => Object.fromEntries(
  [...document.querySelectorAll('[data-testid="stSidebar"] [data-testid="stSelectbox"] input')]
    .map(i => [i.getAttribute('aria-label'), getComputedStyle(i.parentElement).borderColor]))"""


def _axe_script() -> Path:
    spec = importlib.util.find_spec("axe_playwright_python")
    path = (Path(next(iter(spec.submodule_search_locations))) / "axe.min.js" if spec
            and spec.submodule_search_locations else None)
    require("CAKUPAN_REQUIRE_BROWSER", path is not None and path.exists(),
            "axe-core not found: pip install -r requirements-dev.txt (axe-playwright-python)")
    return path


@pytest.fixture(scope="module")
def audit(browser, app_url):
    """``audit(view, lang)``: load the view once, wait for its charts, and return what axe
    found, the text alternatives and the subtitle's colours. Cached for the module."""
    axe = _axe_script()
    done: dict[tuple[str, str], dict] = {}

    def run(view: str, lang: str) -> dict:
        if (view, lang) in done:
            return done[(view, lang)]
        context = browser.new_context(viewport={"width": 1600, "height": 1000},
                                      locale="id-ID")
        try:
            pg = context.new_page()
            pg.goto(f"{app_url}{VIEWS[view]}&lang={lang}")
            wait_for_app(pg, timeout_s=60)
            pg.wait_for_function(CHARTS_DRAWN, timeout=60_000, polling=250)
            time.sleep(0.5)  # the last frame of a chart's transition
            pg.add_script_tag(path=str(axe))
            # The generic error box is the router's st.error for a page that failed.
            failed = pg.locator("[data-testid='stException']").count() + pg.get_by_text(
                t("msg.error_generic", lang)).count()
            result = {"failed": failed, "violations": pg.evaluate(AXE_RUN, WCAG_TAGS),
                      "alternatives": pg.evaluate(TEXT_ALTERNATIVES),
                      "subtitle": pg.evaluate(SUBTITLE_COLOURS)}
            with contextlib.suppress(Exception):  # a CI artefact, never a failure
                pg.screenshot(path=str(screenshot_dir() / f"a11y-{view}-{lang}.png"),
                              full_page=True)
        finally:
            context.close()
        done[(view, lang)] = result
        return result

    return run


def describe(violations: list[dict], nodes: int = 3) -> str:
    """One block per violation: id, impact, rule, then the first targets and why they fail."""
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes): {v['help']}")
        for node in v["nodes"][:nodes]:
            summary = " ".join(node["summary"].split())
            lines.append(f"    {' >> '.join(node['target'])}\n      {summary}")
    return "\n".join(lines)


@pytest.mark.parametrize(("view", "lang"), CASES)
def test_axe_finds_no_wcag21_aa_violations(audit, view, lang):
    assert audit(view, lang)["failed"] == 0, f"{VIEWS[view]}&lang={lang} shows an error"
    found = audit(view, lang)["violations"]
    assert not found, f"axe-core on {VIEWS[view]}&lang={lang}:\n{describe(found)}"


def _rgba(css: str) -> tuple[float, float, float, float]:
    inside = css[css.index("(") + 1:css.index(")")].replace("/", ",")
    parts = [float(p) for p in inside.replace(",", " ").split()]
    return (*parts[:3], parts[3] if len(parts) > 3 else 1.0)


@pytest.mark.parametrize(("view", "lang"), [c for c in CASES if c[0] != "briefing"])
def test_sidebar_subtitle_is_readable(audit, view, lang):
    """axe cannot tell the subtitle's background (it reports it "incomplete"), so blend its
    colour with its opacity over the sidebar and check 4.5:1 here."""
    seen = audit(view, lang)["subtitle"]
    assert seen, "no caption under the app's name in the sidebar"
    r, g, b, a = _rgba(seen["color"])
    br, bg, bb, _ = _rgba(seen["background"])
    alpha = a * seen["alpha"]
    blended = tuple(round(alpha * c + (1 - alpha) * d) for c, d in
                    zip((r, g, b), (br, bg, bb), strict=True))
    ratio = contrast_ratio(blended, (round(br), round(bg), round(bb)))
    assert ratio >= 4.5, f"subtitle {seen['text']!r}: {ratio:.2f}:1 ({seen})"


#: Pages whose charts still lack a caption with their headline figure, owned by other work
#: (strict: the mark must go once the caption is there). Caption after each st.plotly_chart.
CAPTIONS_PENDING: dict[str, str] = {}  # a view whose charts still lack a caption: why


@pytest.mark.parametrize(("view", "lang"), [
    pytest.param(v, lang, marks=pytest.mark.xfail(
        strict=True, reason=f"caption pending in {CAPTIONS_PENDING[v]}"))
    if v in CAPTIONS_PENDING else (v, lang) for v, lang in CASES])
def test_every_chart_and_picture_has_a_text_alternative(audit, view, lang):
    missing = [a for a in audit(view, lang)["alternatives"]
               if not any(ch.isdigit() for ch in a["text"])]
    assert not missing, (f"{VIEWS[view]}&lang={lang}: no caption naming a figure right after "
                         f"these charts (or no alt text on these pictures): {missing}")


def _focus_visible(seen: dict, borders: dict[str, str]) -> bool:
    if seen["control"] is not None:  # a select's text box: the box's border lights up
        return seen["control"] != borders.get(seen["label"])
    ring = seen["outline"] != "none" and seen["outlineWidth"] > 0
    return ring or seen["shadow"] not in ("", "none")


def test_keyboard_focus_is_visible_up_to_the_first_page_link(app_url, page):
    """Tab from the top of the page: every stop (skip link, language buttons, selects) shows
    where the focus is, through to the sidebar's first page link."""
    page.goto(f"{app_url}/tren?region=81&lang=id")
    wait_for_app(page, timeout_s=60)
    borders = page.evaluate(SELECT_BORDERS)
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    stops = []
    for _ in range(30):
        page.keyboard.press("Tab")
        seen = page.evaluate(FOCUSED)
        stops.append(seen)
        if seen["testid"] == "stPageLink-NavLink":
            break
    else:
        pytest.fail(f"30 Tabs never reached a page link: {[s['tag'] for s in stops]}")
    assert any(s["tag"] == "BUTTON" and s["sidebar"] for s in stops), stops
    hidden = [s for s in stops if not _focus_visible(s, borders)]
    assert not hidden, f"focus not visible on: {hidden}"
