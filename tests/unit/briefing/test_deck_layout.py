"""The deck checked the way a person would: on the rendered files, not on the layout's estimate.

Both decks a focus province's office asks for (Maluku, Sulawesi Tenggara) are rendered to PDF
by the deck itself and, for the PPTX, by LibreOffice Impress (what staff open it in); the text
boxes are read back with ``pdftotext -bbox-layout`` (poppler). On every page: no text leaves
the page, no two lines of text overlap (a map's names included: the PDF draws its pictures as
vectors, so their words are text too), nothing but the sources sits in the footer band, and the
slide shows at most three bullets. ``text_fit``'s width estimate is never consulted here.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest

from cakupan import briefing, store
from cakupan.briefing.export import export
from cakupan.briefing.model import MAX_BULLETS
from cakupan.briefing.pptx_file import LAYOUT
from tests.conftest import require

pytestmark = [pytest.mark.geo, pytest.mark.usefixtures("geo_ready")]

NS = "{http://www.w3.org/1999/xhtml}"
#: Points per inch: pdftotext reports page coordinates in points.
PT = 72.0
#: Two boxes closer than this (points) are not counted as overlapping: fonts' line boxes
#: include the ascent and descent, and neighbours in one paragraph touch.
SLACK = 1.0
#: Share of the smaller line's height two lines may have in common (see Line.overlaps).
SHARED_HEIGHT = 0.25
DECKS = [("81", "id"), ("74", "id"), ("81", "en"), ("74", "en")]
#: Each deck's month: its latest published figure (Maluku 39.45 % on 2024-12-31, Sultra 42 %
#: in Dec 2023), fixed because other tests import files into the same session store.
MONTHS = {"81": "2024-12", "74": "2023-12", "91": "2024-12"}


@dataclass(frozen=True)
class Line:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Line) -> bool:
        """Boxes that share more than a sliver: a line box is the font's full height (about
        1.3 em for DejaVu Sans) while lines of a paragraph are 1.2 em apart, so neighbours
        share 0.1 em; text drawn over text shares far more."""
        shared_y = min(self.y1, other.y1) - max(self.y0, other.y0)
        return (min(self.x1, other.x1) - max(self.x0, other.x0) > SLACK
                and shared_y > SHARED_HEIGHT * min(self.y1 - self.y0, other.y1 - other.y0))


def _tool(name: str) -> str:
    path = shutil.which(name)
    require("CAKUPAN_REQUIRE_TOOLS", path is not None, f"{name} is not installed")
    return str(path)


def pages_of(pdf: Path) -> list[tuple[float, float, list[Line]]]:
    """Every page's size and its lines of text, as ``pdftotext -bbox-layout`` reads them."""
    out = subprocess.run([_tool("pdftotext"), "-bbox-layout", str(pdf), "-"], check=True,
                         capture_output=True, timeout=60).stdout
    root = ET.fromstring(out)
    pages = []
    for page in root.iter(f"{NS}page"):
        lines = [Line(" ".join(w.text or "" for w in line.iter(f"{NS}word")),
                      *(float(line.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")))
                 for line in page.iter(f"{NS}line")]
        pages.append((float(page.get("width")), float(page.get("height")), lines))
    return pages


def deck_for(region: str, lang: str) -> briefing.Deck:
    return briefing.build_deck(store.get_engine(), region=region, period=MONTHS[region],
                               lang=lang)


def check_page(width: float, height: float, lines: list[Line], *, where: str,
               sources_word: str) -> None:
    assert lines, f"{where}: no text at all"
    for line in lines:
        assert line.x0 >= -SLACK and line.x1 <= width + SLACK, f"{where}: {line} off the page"
        assert line.y0 >= -SLACK and line.y1 <= height + SLACK, f"{where}: {line} off the page"
    clashes = [(a.text, b.text) for i, a in enumerate(lines) for b in lines[i + 1:]
               if a.overlaps(b)]
    assert not clashes, f"{where}: overlapping text {clashes[:5]}"
    # The footer band holds the sources and nothing else; the sources start there.
    footer_top = LAYOUT.sources.top * PT * height / (LAYOUT.height * PT)
    first_source = next(i for i, line in enumerate(lines) if line.text.startswith(sources_word))
    body = [line for i, line in enumerate(lines) if i < first_source]
    intruders = [line.text for line in body if line.y1 > footer_top + SLACK]
    assert not intruders, f"{where}: body text in the sources' band: {intruders}"
    bullets = [line for line in lines if line.text.startswith("•")]
    assert len(bullets) <= MAX_BULLETS, f"{where}: {len(bullets)} bullets"


@pytest.fixture(scope="module")
def decks() -> dict[tuple[str, str], briefing.Deck]:
    return {(r, lang): deck_for(r, lang) for r, lang in DECKS}


@pytest.mark.parametrize(("region", "lang"), DECKS)
def test_every_pdf_page_keeps_its_text_apart_and_on_the_page(decks, tmp_path: Path,
                                                             region: str, lang: str) -> None:
    deck = decks[(region, lang)]
    pdf = tmp_path / "deck.pdf"
    pdf.write_bytes(export(deck, "pdf"))
    pages = pages_of(pdf)
    assert len(pages) == len(deck.slides)
    word = "Sumber" if lang == "id" else "Sources"
    for i, (width, height, lines) in enumerate(pages):
        check_page(width, height, lines, where=f"{region}/{lang} slide {i + 1}",
                   sources_word=word)


@pytest.mark.parametrize(("region", "lang"), DECKS[:2])
def test_the_map_slide_names_the_regions_it_talks_about(decks, tmp_path: Path, region: str,
                                                        lang: str) -> None:
    """The names on the map are the highlighted regions (lowest or unregistered), as text
    on the page, and at least the first of them is there (it is placed first)."""
    deck = decks[(region, lang)]
    index = next(i for i, s in enumerate(deck.slides) if s.key == "map")
    spec = deck.slides[index].figure
    assert spec is not None and spec.highlight
    names = dict(zip(spec.data["code"], spec.data["name"], strict=True))
    pdf = tmp_path / "deck.pdf"
    pdf.write_bytes(export(deck, "pdf"))
    width, _, lines = pages_of(pdf)[index]
    left = LAYOUT.figure.left / LAYOUT.width * width  # the picture's words, not the bullets'
    text = " ".join(line.text for line in lines if line.x0 >= left)
    first = names[spec.highlight[0]].removeprefix("Kabupaten ").removeprefix("Kota ")
    assert first in text
    every_region = {n.removeprefix("Kabupaten ").removeprefix("Kota ") for n in names.values()}
    named = {n for n in every_region if n in text}
    assert len(named) < len(every_region), "every region named: the map is a wall of words"


def test_pptx_opened_in_libreoffice_keeps_its_text_apart(decks, tmp_path: Path) -> None:
    """As staff open the PPTX: LibreOffice Impress lays the text boxes out with its own
    fonts; the converted PDF is checked page by page like the deck's own PDF."""
    soffice = _tool("soffice")
    for region in ("81", "74"):
        pptx = tmp_path / f"deck-{region}.pptx"
        pptx.write_bytes(export(decks[(region, "id")], "pptx"))
        profile = tmp_path / "lo-profile"
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(tmp_path), str(pptx)],
                       check=True, capture_output=True, timeout=180,
                       env={**os.environ, "HOME": str(tmp_path)})
        pages = pages_of(tmp_path / f"deck-{region}.pdf")
        assert len(pages) == len(decks[(region, "id")].slides)
        for i, (width, height, lines) in enumerate(pages):
            check_page(width, height, lines, where=f"LibreOffice {region} slide {i + 1}",
                       sources_word="Sumber")


def test_every_slide_of_a_focus_province_has_a_picture_and_at_most_three_bullets(
        decks) -> None:
    for (region, lang), deck in decks.items():
        for slide in deck.slides:
            assert slide.figure is not None, f"{region}/{lang} {slide.key}: no picture"
            assert len(slide.bullets) <= MAX_BULLETS
        kinds = [s.figure.kind for s in deck.slides]
        assert kinds[0] == "gauge" and "map" in kinds


def test_bullets_beyond_three_become_speaker_notes_in_order() -> None:
    from cakupan.briefing.model import Slide
    from cakupan.briefing.slides import few_words

    slide = Slide("cost", "t", "h", ["a", "b", "c", "d", "e"], None, [], False)
    cut = few_words(slide)
    assert cut.bullets == ["a", "b", "c"] and cut.notes == ("d", "e")
    assert few_words(cut) == cut
    short = Slide("map", "t", "h", ["a"], None, [], False)
    assert few_words(short) is short


def test_the_trend_slide_of_papua_marks_the_2022_split_without_clashing(tmp_path: Path) -> None:
    """The deck's trend crosses July 2022 for Papua: the mark and its note are on the page
    (as text), and they overlap nothing."""
    deck = deck_for("91", "id")
    index = next(i for i, s in enumerate(deck.slides) if s.key == "trend")
    spec = deck.slides[index].figure
    assert [(m, split) for m, _n, split in spec.breaks] == [("2022-07", True)]
    pdf = tmp_path / "papua.pdf"
    pdf.write_bytes(export(deck, "pdf"))
    width, height, lines = pages_of(pdf)[index]
    assert "Pemekaran Jul 2022" in " ".join(line.text for line in lines)
    check_page(width, height, lines, where="91 trend", sources_word="Sumber")
