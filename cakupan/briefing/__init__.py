"""The briefing: a governor's meeting deck of five slides, one message each, from stored
figures; the same deck on the projector page, in PPTX and in PDF.

Modules, from the bottom up (each may import only those below it; ``pyproject.toml`` checks):

- ``model``: :class:`Deck`, :class:`Slide`, :class:`BriefingData` and the deck's constants;
- ``collect``: step 1, frames to numbers (:func:`collect`, :func:`collect_from_store`);
- ``wording``: words shared by every slide (percentages, citations, lists of names);
- ``slides``: step 2, numbers to words in one language (:func:`deck_from_data`,
  :func:`build_deck`);
- ``pptx_file``, ``pdf_file``: the deck as a file; ``export``: the one entry point to them.

Callers use the package: ``from cakupan import briefing; briefing.build_deck(...)``; the public
names are re-exported below (the file writers are imported where needed: they load
python-pptx and matplotlib). May import: ``cakupan.present``, ``cakupan.analysis``,
``cakupan.store``, ``cakupan.geo``, ``cakupan.regions``, ``cakupan.core``.
"""

from cakupan.briefing.collect import (
    check_request,
    citation,
    collect,
    collect_from_store,
    metrics_segments,
)
from cakupan.briefing.model import (
    APBD_SEGMENTS,
    BEHIND_ROWS,
    BOUNDARY_CITATION,
    COST_HEADLINE_ORDER,
    DANA_DESA_SEGMENTS,
    INDONESIA,
    MAX_NAMES,
    SLIDE_KEYS,
    BriefingData,
    Deck,
    Slide,
)
from cakupan.briefing.slides import build_deck, deck_from_data, table_of
from cakupan.briefing.wording import whole_pct

__all__ = [
    "APBD_SEGMENTS", "BEHIND_ROWS", "BOUNDARY_CITATION", "COST_HEADLINE_ORDER",
    "DANA_DESA_SEGMENTS", "INDONESIA", "MAX_NAMES", "SLIDE_KEYS", "BriefingData", "Deck", "Slide",
    "build_deck", "check_request", "citation", "collect", "collect_from_store", "deck_from_data",
    "metrics_segments", "table_of", "whole_pct",
]
