"""The village view in a real browser: Kepulauan Tanimbar's link draws one shape per village
that has a boundary (all 82), with the district outlines fetched as their own file."""

from __future__ import annotations

import pytest

from tests.browser.conftest import main_text_with, wait_for_app
from tests.browser.test_pages_browser import rendered_shapes

pytestmark = pytest.mark.browser

# The district outline layer: MapLibre draws it as a 'line' layer of its own source.
DISTRICT_LINES = """() => {
  const gd = document.querySelector('.js-plotly-plot');
  const sub = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
  if (!sub || !sub.map.loaded()) return -1;
  return sub.map.queryRenderedFeatures().filter(f => f.layer.type === 'line').length;
}"""


def test_tanimbar_villages_one_shape_each(app_url, page):
    geo_files = []
    page.on("response", lambda r: geo_files.append(r.url) if "/geo/" in r.url else None)
    page.goto(f"{app_url}/peta?region=81.03&level=desa&segment=aparatur_desa&period=2024-11")
    wait_for_app(page)
    assert rendered_shapes(page, timeout_s=40) == 82
    assert page.evaluate(DISTRICT_LINES) > 0
    assert any("/geo/kel-81.03." in u for u in geo_files)
    assert any("/geo/kec-81.03." in u for u in geo_files)
    text = main_text_with(page, "80 dari 80 desa")
    assert "82 dengan batas wilayah di peta, 0 tanpa batas wilayah" in text
