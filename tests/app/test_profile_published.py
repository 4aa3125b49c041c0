"""AppTest: the profile lists a regency's other published figures (``published_measures``)
with their own dates and sources, and says they are not coverage cells of the monthly grid."""

from __future__ import annotations

import pytest

from tests.app.test_pages import assert_clean, open_page

pytestmark = pytest.mark.app


def test_kota_kendari_profile_shows_its_2025_figure_as_published(geo_ready) -> None:
    at = open_page("wilayah", region="74.71", period="2024-12")
    assert_clean(at)
    text = " ".join(m.value for m in at.markdown)
    assert "Angka terbit lain untuk wilayah ini" in text
    captions = " ".join(c.value for c in at.caption)
    # ANTARA Sultra, 8 June 2025: 49,397 = 35.05% of 140,940 (escaped Markdown on the page)
    assert "Cakupan \\(%, di luar bulan panel\\): 35,05% \\(Semua segmen; 2025\\-06\\-08; " \
           "ANTARA Sultra" in captions
    assert "Pekerja terlindungi: 49\\.397" in captions
    assert "Potensi pekerja \\(di luar bulan panel\\): 140\\.940" in captions
