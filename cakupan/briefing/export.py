"""The deck as a file: one entry point, so the download button, the ``brief`` command and the
benchmark produce the same bytes."""

from __future__ import annotations

from cakupan.briefing.html_deck import deck_to_html
from cakupan.briefing.model import Deck
from cakupan.briefing.pdf_file import deck_to_pdf
from cakupan.briefing.pptx_file import deck_to_pptx
from cakupan.core.errors import CakupanError

FORMATS = ("pptx", "pdf", "html")


def export(deck: Deck, fmt: str) -> bytes:
    """The deck as a file in ``fmt`` ("pptx", "pdf" or "html", the one-file offline take-away):
    the one entry point for every caller."""
    if fmt == "pptx":
        return deck_to_pptx(deck)
    if fmt == "pdf":
        return deck_to_pdf(deck)
    if fmt == "html":
        return deck_to_html(deck)
    raise CakupanError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
