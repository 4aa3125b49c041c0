"""A slide's picture described as data, so the deck (above) and the drawing code
(:mod:`cakupan.present.static`) share one type without either importing the other's logic."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class FigureSpec:
    """What picture a slide shows, as data; :mod:`cakupan.present.static` draws it.

    ``data`` columns by ``kind``: ``map``: code, name, status, coverage_pct;
    ``ranking``: name, coverage_pct, status; ``trend``: period, value, line
    ("actual" | "projection" | "target"), illustrative; ``gauge`` (one big number against
    the target): value, caption; ``need`` (people still needed): registered, gap, big,
    caption.
    """

    kind: str
    data: pd.DataFrame
    view: str | None = None  # map: "national" or a province code
    metric: str = "status"  # map: "status" or "coverage"
    unit: str = "pct"  # trend: "pct" or "people"
    target_pct: float | None = None  # ranking: a vertical target line
    alt: str = ""  # the picture in words (PPTX alt text, screen readers)
    highlight: tuple[str, ...] = ()  # map: codes to name on it, most important first
    #: trend: boundary changes the series crosses, as (month, note, split): a mark with its
    #: note, and for a split no line across it (``trend_chart.series_breaks``)
    breaks: tuple[tuple[str, str, bool], ...] = ()
