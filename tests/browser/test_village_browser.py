"""The village view in a real browser: Kepulauan Tanimbar's link draws one shape per village
that has a boundary (all 82), with the district outlines fetched as their own file."""

from __future__ import annotations

import json
import time

import pytest

from tests.browser.conftest import main_text_with, wait_for_app
from tests.browser.test_pages_browser import rendered_shapes

pytestmark = pytest.mark.browser

_SUB = """const gd = document.querySelector('.js-plotly-plot');
  const sub = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;"""
# Centroids (plotly's ``ct``) of the fill shapes MapLibre drew, and how many outline features.
DRAWN = f"""() => {{ {_SUB}
  if (!sub || !sub.map.loaded()) return null;
  const feats = sub.map.queryRenderedFeatures();
  return {{fills: [...new Set(feats.filter(f => f.layer.type === 'fill')
                                .map(f => JSON.stringify(f.properties.ct)))],
          lines: feats.filter(f => f.layer.type === 'line').length}};
}}"""
# Every village in the figure with its centroid, as plotly computed it.
IN_FIGURE = "() => document.querySelector('.js-plotly-plot').calcdata[0].map(c => [c.loc, c.ct])"


def _drawn(page) -> dict:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        found = page.evaluate(DRAWN)
        if found is not None:
            return found
        time.sleep(0.3)
    raise AssertionError("the village map never finished loading")


def test_tanimbar_villages_one_shape_each(app_url, page):
    geo_files: list[str] = []
    page.on("response", lambda r: geo_files.append(r.url) if "/geo/" in r.url else None)
    page.goto(f"{app_url}/peta?region=81.03&level=desa&segment=aparatur_desa&period=2024-11")
    wait_for_app(page)
    fitted = rendered_shapes(page, timeout_s=40)
    villages = page.evaluate(IN_FIGURE)
    assert len(villages) == 82 and len({code for code, _ in villages}) == 82
    drawn = _drawn(page)
    assert drawn["lines"] > 0  # the district outlines
    assert fitted == len(drawn["fills"]) >= 80
    # A village smaller than a pixel at the regency's zoom (Romnus, 0.03 km2) is drawn once
    # the map is zoomed to it: every one of the 82 gets its own shape.
    seen = set(drawn["fills"])
    for code, ct in villages:
        key = json.dumps(ct, separators=(",", ":"))
        if key in seen:
            continue
        page.evaluate(f"""() => {{ {_SUB}
          sub.map.jumpTo({{center: {json.dumps(ct)}, zoom: 14}}); }}""")
        deadline = time.monotonic() + 10
        while key not in seen and time.monotonic() < deadline:
            time.sleep(0.4)
            seen |= set((page.evaluate(DRAWN) or {"fills": []})["fills"])
        assert key in seen, f"village {code} has no shape on the map"
    assert any("/geo/kel-81.03." in u for u in geo_files)
    assert any("/geo/kec-81.03." in u for u in geo_files)
    text = main_text_with(page, "80 dari 80 desa")
    assert "82 dengan batas wilayah di peta, 0 tanpa batas wilayah" in text
