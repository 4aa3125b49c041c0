"""What every plotly chart shares: sizes for the screen and the projector, month ticks in the
reader's language, a light template of our own, escaping, and the "nothing to show" note.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import pandas as pd
import plotly.graph_objects as go

from cakupan.core.i18n import t
from cakupan.core.months import month_index, period_at
from cakupan.present import fmt, palette

FONT_FAMILY = "Source Sans Pro, Noto Sans, Arial, sans-serif"

MEASURES = ("coverage_pct", "registered")


@dataclass(frozen=True)
class Sizes:
    """Font sizes (px), line widths and marker sizes of one variant."""

    font: int
    title: int
    tick: int
    line: float
    marker_published: int
    marker_illustrative: int
    target_line: float


NORMAL = Sizes(font=14, title=18, tick=13, line=2.5, marker_published=10,
               marker_illustrative=8, target_line=2)
#: Readable from the back of a room at 1920x1080 (issue 5: body text >= 32 px).
BIG = Sizes(font=32, title=44, tick=32, line=6, marker_published=22,
            marker_illustrative=18, target_line=5)


def sizes(big: bool) -> Sizes:
    return BIG if big else NORMAL


# --------------------------------------------------------------------------- months

def period_x(period: str) -> str:
    """The x value of a month on a date axis: its first day ("2018-10" -> "2018-10-01")."""
    fmt.parse_period(period)
    return f"{period}-01"


def month_ticks(periods: Iterable[str], lang: str = "id",
                max_ticks: int = 8) -> tuple[list[str], list[str]]:
    """Tick positions and locale month labels spanning ``periods``.

    The step is the smallest of 1, 2, 3, 6, 12, 24 or 60 months that keeps at most
    ``max_ticks`` ticks, aligned on the calendar (quarters start in January, yearly ticks
    fall on January) so labels do not drift as data is added.

    >>> month_ticks(["2018-09", "2018-11"], "id")[1]
    ['Sep 2018', 'Okt 2018', 'Nov 2018']
    """
    indices = [month_index(p) for p in periods]
    if not indices:
        return [], []
    lo, hi = min(indices), max(indices)
    for step in (1, 2, 3, 6, 12, 24, 60):
        first = -(-lo // step) * step
        ticks = list(range(first, hi + 1, step))
        if len(ticks) <= max_ticks:
            break
    if not ticks:  # a span shorter than one step: label its first month
        ticks = [lo]
    shown = [period_at(i) for i in ticks]
    return [period_x(p) for p in shown], [fmt.month(p, lang) for p in shown]


# --------------------------------------------------------------------------- shared layout

def esc(value: object) -> str:
    return html.escape(str(value), quote=False)


def is_missing(value: object) -> bool:
    if value is None or value is pd.NA:
        return True
    try:
        return math.isnan(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


@cache
def template() -> go.layout.Template:
    """A small light template of our own.

    plotly's named templates ("plotly_white") are deep-copied into every figure, which cost
    about 20 ms a chart here; this one holds only what the charts rely on.
    """
    grid = {"gridcolor": "#E6E6E6", "linecolor": "#8C8C8C", "zerolinecolor": "#BFBFBF",
            "ticks": "", "automargin": True}
    return go.layout.Template(layout={
        "paper_bgcolor": palette.WHITE, "plot_bgcolor": palette.WHITE,
        "colorway": list(palette.SERIES), "xaxis": grid, "yaxis": grid,
        "hoverlabel": {"bgcolor": palette.WHITE, "bordercolor": palette.TEXT},
    })


def new_figure(*traces: go.Indicator) -> go.Figure:
    """A figure on our template (passing it at construction skips plotly's default)."""
    return go.Figure(data=list(traces), layout={"template": template()})


def apply_style(fig: go.Figure, *, lang: str, title: str | None, big: bool,
           height: int | None) -> go.Figure:
    s = sizes(big)
    fig.update_layout(
        separators=fmt.plotly_separators(lang),
        font={"family": FONT_FAMILY, "size": s.font, "color": palette.TEXT},
        title={"text": esc(title) if title else None, "font": {"size": s.title},
               "x": 0, "xanchor": "left"},
        legend={"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0,
                "font": {"size": s.font}, "traceorder": "normal"},
        hoverlabel={"font": {"size": s.font, "family": FONT_FAMILY}},
        margin={"l": 10, "r": 30 if not big else 60, "t": 2 * s.title + 10 if title else 20,
                "b": 10},
        height=height,
    )
    fig.update_xaxes(tickfont={"size": s.tick}, title_font={"size": s.font})
    fig.update_yaxes(tickfont={"size": s.tick}, title_font={"size": s.font})
    return fig


def empty_note(fig: go.Figure, lang: str, big: bool) -> go.Figure:
    """A figure that says there is nothing to show instead of drawing empty axes."""
    fig.add_annotation(text=esc(t("msg.empty", lang)), x=0.5, y=0.5, xref="paper",
                       yref="paper", showarrow=False, font={"size": sizes(big).font})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


def value_text(value: float | None, measure: str, lang: str) -> str:
    return fmt.pct(value, lang) if measure == "coverage_pct" else fmt.people(value, lang)
