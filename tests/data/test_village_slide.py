"""The briefing's optional village slide: the village view's sentence, the village map drawn
for PPTX/PDF (PNG) and for the HTML deck, illustrative marked."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cakupan.briefing.village_slide import KIND, village_slide
from cakupan.present import static

pytestmark = [pytest.mark.data, pytest.mark.geo]


@pytest.fixture(scope="module")
def mirror() -> None:
    path = os.environ.get("CAKUPAN_GEO_MIRROR", "").strip()
    if not path or not (Path(path) / "db" / "kel" / "81").is_dir():
        pytest.skip("CAKUPAN_GEO_MIRROR does not hold the village files")


def test_tanimbar_slide_sentence_and_map(mirror: None) -> None:
    slide = village_slide("81.03", "2024-11", "id")
    assert slide.headline == ("80 dari 80 desa sudah mendaftarkan aparatur desanya; 80 desa "
                              "belum mulai Inpres 4/2022 — Rp1.612.800.000 per tahun dari "
                              "Dana Desa menutup kekurangannya.")
    assert slide.illustrative and slide.figure is not None and slide.figure.kind == KIND
    assert len(slide.figure.data) == 82 and slide.figure.view == "81.03"
    png = static.spec_png(slide.figure, lang="id", width=640, height=360)
    assert png.startswith(b"\x89PNG") and len(png) > 5_000


def test_english_and_a_regency_without_village_files_keeps_its_numbers(
        mirror: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAKUPAN_CACHE_DIR", str(tmp_path))
    slide = village_slide("11.01", "2024-11", "en")
    assert slide.figure is None
    assert slide.headline.startswith("0 of 260 desa have registered")
    assert any("geo villages --regency 11.01" in b for b in slide.bullets)
