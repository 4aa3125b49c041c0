"""The deck as plain data: slides, the deck, and the numbers behind it.

The page, the PPTX and the PDF all draw the same :class:`Deck`, so the projector and the file
never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from cakupan.present.figure_spec import FigureSpec

SLIDE_KEYS: tuple[str, ...] = ("coverage", "map", "behind", "trend", "cost")
#: ``region`` value meaning the whole country (the URL has no ``region`` parameter then).
INDONESIA = ""
#: Rows shown on the "furthest behind" slide: all 11 unregistered Sultra regencies fit.
BEHIND_ROWS = 12
#: Lines of text a slide shows under its headline; the rest become speaker notes.
MAX_BULLETS = 3
#: Names listed in one bullet before "and N more".
MAX_NAMES = 12
#: Credit for the boundary files, shown on map slides (their MIT licence asks for it).
BOUNDARY_CITATION = "Batas wilayah: cahyadsn/wilayah_boundaries (MIT)"
#: Segments whose premiums a regional government pays from its APBD / villages from Dana Desa.
APBD_SEGMENTS = ("non_asn",)
DANA_DESA_SEGMENTS = ("pekerja_rentan",)
#: Which message leads the "what it takes" slide when several apply (most concrete first).
COST_HEADLINE_ORDER = ("cost.head_people", "cost.head_people_only", "cost.head_unreg",
                       "cost.head_dd", "cost.head_points")


@dataclass(frozen=True)
class Slide:
    """One message: a headline, a few bullets, at most one figure, its own sources."""

    key: str
    title: str
    headline: str
    bullets: list[str]
    figure: FigureSpec | None
    sources: list[str]  # formatted citations shown on the slide
    illustrative: bool  # any figure on the slide is illustrative: the slide says so
    #: What the speaker may add: bullets beyond :data:`MAX_BULLETS`, kept as speaker notes
    #: (PPTX notes, the HTML deck's table) so a slide shows few words and loses none.
    notes: tuple[str, ...] = ()
    #: Two or three plain sentences from the figures (map and trend slides), worded by
    #: :mod:`cakupan.present.talking_points`, the same function the map and trend pages use.
    talking_points: tuple[str, ...] = ()


@dataclass(frozen=True)
class Deck:
    """A briefing for one region (province code, or ``""`` for Indonesia) and month."""

    title: str
    region: str
    period: str
    lang: str
    slides: list[Slide]
    sources: list[str]  # every citation of every slide, in order of first use
    segment: str = "all"
    table: pd.DataFrame = field(default_factory=pd.DataFrame)  # the regions behind the deck
    label: str = ""  # short running head: "Maluku · Nov 2024 · semua pekerja"


@dataclass(frozen=True)
class BriefingData:
    """The numbers behind a deck, before any wording (the output of :func:`collect`)."""

    region: str
    name: str
    period: str
    segment: str
    total: dict[str, Any]  # one snapshot row (metrics.SNAPSHOT_COLUMNS)
    parts: pd.DataFrame  # snapshot of the regencies (or provinces for Indonesia) + ``name``
    units: str  # "regency" | "province": what ``parts`` holds
    map_view: str
    map_values: pd.DataFrame  # code, name, status, coverage_pct for every region of the view
    series: pd.DataFrame  # metrics.series up to ``period``
    target: dict[str, Any] | None
    rates: dict[str, dict[str, Any]]  # segment -> premium row valid at ``period``
    rentan_total: dict[str, Any] | None  # latest pekerja_rentan figure up to ``period``
    rentan_target: int | None  # Inpres 4/2022 quota (100 per desa)
    non_asn_target: dict[str, Any] | None
    desa: int
    citations: dict[str, str]  # source id -> citation as shown on a slide
    illustrative_sources: frozenset[str] = frozenset()
    #: The figure the deck leads with (first slide, the overview's headline): ``total`` when
    #: it is a real figure, else the region's latest published figure up to ``period`` when
    #: there is one (``analysis.published``), else ``total`` (illustrative, marked so).
    #: Holds ``as_of`` (the figure's own date) and ``source_name`` when it is published.
    lead: dict[str, Any] | None = None

    @property
    def leading(self) -> dict[str, Any]:
        """:attr:`lead`, or :attr:`total` for data made without one."""
        return self.lead if self.lead is not None else self.total
