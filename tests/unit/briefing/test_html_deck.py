"""The offline HTML take-away: one document, plotly.js once, nothing loaded from the web,
every deck text escaped, the illustrative mark kept, and small enough for a USB stick."""

from __future__ import annotations

import dataclasses
import html
import re

import pytest

from cakupan import briefing
from cakupan.briefing import html_deck
from cakupan.briefing.export import export
from cakupan.present.deck_text import text

#: plotly.js's own banner: present exactly once when the bundle is inlined once.
PLOTLY_MARKER = "* plotly.js v"
BUDGET = 8_000_000
EVIL = '<script>alert("x")</script>'


@pytest.fixture(scope="module")
def maluku(geo_ready) -> briefing.Deck:
    from cakupan import store

    return briefing.build_deck(store.get_engine(), region="81", period="2024-11", segment="all")


@pytest.fixture(scope="module")
def maluku_html(maluku) -> str:
    return export(maluku, "html").decode("utf-8")


def _outside_plotly(page: str) -> str:
    """The page without the inlined bundle (its source mentions CDN URLs it never loads
    here: maki icons, MathJax)."""
    return page.replace(html_deck.plotly_js(), "")


@pytest.mark.geo
def test_one_document_with_plotly_once_and_no_external_loads(maluku_html: str) -> None:
    assert maluku_html.startswith("<!DOCTYPE html>")
    assert maluku_html.count("<html") == 1 and maluku_html.count("</html>") == 1
    assert maluku_html.count(PLOTLY_MARKER) == 1
    rest = _outside_plotly(maluku_html)
    assert not re.search(r"""\bsrc\s*=\s*["']?\s*(https?:)?//""", rest, re.I)
    assert not re.search(r"""<link\b[^>]*href\s*=\s*["']?\s*(https?:)?//""", rest, re.I)
    assert "@import" not in rest and "url(" not in rest
    assert "/geo/" not in rest  # the map carries its GeoJSON; the app's route is not there
    # one interactive figure per slide: big number, map, ranking, trend, what it takes
    assert rest.count("Plotly.newPlot") == 5


@pytest.mark.geo
def test_slides_marks_and_size(maluku, maluku_html: str) -> None:
    for slide in maluku.slides:
        assert html_deck._e(slide.headline) in maluku_html
    mark = html.escape(text("illustrative", maluku.lang))
    sections = maluku_html.split("<section")[1:]
    for slide, section in zip(maluku.slides, sections, strict=False):
        assert (mark in section) == slide.illustrative, slide.key
    assert any(s.illustrative for s in maluku.slides)
    assert "Kepulauan Tanimbar" in sections[len(maluku.slides)]  # the table
    assert len(maluku_html.encode("utf-8")) <= BUDGET


@pytest.mark.geo
def test_every_text_from_the_deck_is_escaped(maluku) -> None:
    table = maluku.table.copy()
    table.loc[table.index[0], "name"] = EVIL
    table.loc[table.index[0], "sources"] = f"{EVIL} https://example.org/a?b=1&c=<x>"
    slides = [dataclasses.replace(s, headline=EVIL, bullets=[*s.bullets, EVIL],
                                  sources=[*s.sources, EVIL, "javascript:alert(1)"])
              for s in maluku.slides]
    evil = dataclasses.replace(maluku, title=EVIL, label=EVIL, slides=slides, table=table,
                               sources=[*maluku.sources, EVIL])
    page = _outside_plotly(html_deck.deck_to_html(evil).decode("utf-8"))
    assert "<script>alert" not in page
    assert html.escape(EVIL) in page
    assert 'href="javascript' not in page
    assert '<a href="https://example.org/a?b=1&amp;c=" rel="noreferrer">' in page


@pytest.mark.unit
def test_only_http_urls_become_links() -> None:
    out = html_deck.linked('BPS "x" <https://bps.go.id/a> ftp://f javascript:alert(1)')
    assert out.count("<a ") == 1
    assert 'href="https://bps.go.id/a"' in out
    assert "&lt;" in out and "&quot;x&quot;" in out
