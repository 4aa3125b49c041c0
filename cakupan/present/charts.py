"""plotly figures for the dashboard and the briefing; pages only place them.

Conventions shared by every figure here:

* Text is translated (:mod:`cakupan.i18n`) and numbers formatted for the locale
  (:mod:`cakupan.fmt`) *before* they reach plotly. plotly's own number formatting only
  learns the separators (``layout.separators``); its month names are English, so month
  ticks are explicit ``tickvals`` + ``ticktext``.
* Hover text is pre-formatted with units ("40,5%", "1.356 orang") and every string that
  comes from data is HTML-escaped, because plotly renders a subset of HTML in labels.
* Published figures and illustrative ones never look alike: filled, larger markers and
  solid lines for published data; hollow markers, dashed lines and hatched bars for
  illustrative data; both named in the legend, so colour is never the only carrier.
* ``big=True`` is the projector variant: every font >= 32 px, thick lines, large markers.

Input frames follow :mod:`cakupan.metrics` (``series``, ``snapshot``, ``target_path``,
``project``): ``period`` is ``"YYYY-MM"``, ``coverage_pct`` a percentage value (40.5).
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from cakupan.analysis import metrics
from cakupan.core.i18n import segment_label, t
from cakupan.core.months import month_index, period_at
from cakupan.present import fmt, palette
from cakupan.present.state import SEGMENTS

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

def _esc(value: object) -> str:
    return html.escape(str(value), quote=False)


def _missing(value: object) -> bool:
    if value is None or value is pd.NA:
        return True
    try:
        return math.isnan(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


@cache
def _template() -> go.layout.Template:
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


def _figure(*traces: go.Indicator) -> go.Figure:
    """A figure on our template (passing it at construction skips plotly's default)."""
    return go.Figure(data=list(traces), layout={"template": _template()})


def _style(fig: go.Figure, *, lang: str, title: str | None, big: bool,
           height: int | None) -> go.Figure:
    s = sizes(big)
    fig.update_layout(
        separators=fmt.plotly_separators(lang),
        font={"family": FONT_FAMILY, "size": s.font, "color": palette.TEXT},
        title={"text": _esc(title) if title else None, "font": {"size": s.title},
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


def _empty(fig: go.Figure, lang: str, big: bool) -> go.Figure:
    """A figure that says there is nothing to show instead of drawing empty axes."""
    fig.add_annotation(text=_esc(t("msg.empty", lang)), x=0.5, y=0.5, xref="paper",
                       yref="paper", showarrow=False, font={"size": sizes(big).font})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


def _value_text(value: float | None, measure: str, lang: str) -> str:
    return fmt.pct(value, lang) if measure == "coverage_pct" else fmt.people(value, lang)


# --------------------------------------------------------------------------- trend

def _hover(region: str, row: Mapping, measure: str, lang: str) -> str:
    lines = [f"<b>{_esc(region)}</b>", _esc(fmt.month(row["period"], lang, "long"))]
    if measure == "coverage_pct" or not _missing(row.get("coverage_pct")):
        lines.append(_esc(t("tooltip.coverage", lang, value=fmt.pct(row.get("coverage_pct"),
                                                                    lang))))
    if not _missing(row.get("registered")):
        lines.append(_esc(t("tooltip.registered", lang,
                            value=fmt.people(row.get("registered"), lang))))
    if not _missing(row.get("eligible")):
        lines.append(_esc(t("tooltip.eligible", lang,
                            value=fmt.people(row.get("eligible"), lang))))
    kind = "provenance.illustrative" if bool(row.get("illustrative", False)) \
        else "provenance.published"
    lines.append(_esc(t(kind, lang)))
    sources = row.get("sources")
    if isinstance(sources, str):
        sources = [sources]
    if isinstance(sources, Sequence) and len(sources):
        lines.append(_esc(t("tooltip.source", lang, value=", ".join(map(str, sources[:3])))))
    return "<br>".join(lines)


def _segments(frame: pd.DataFrame, measure: str, illustrative: bool) -> tuple[list, list]:
    """x/y of the line pieces between consecutive points, split by kind.

    A piece is published only when both its ends are; ``None`` breaks the line between
    pieces, so one trace carries all pieces of one kind.
    """
    xs: list = []
    ys: list = []
    rows = frame.to_dict("records")
    for a, b in pairwise(rows):
        either = bool(a["illustrative"]) or bool(b["illustrative"])
        if either == illustrative:
            xs += [period_x(a["period"]), period_x(b["period"]), None]
            ys += [float(a[measure]), float(b[measure]), None]
    return xs, ys


def _prepare(frame: pd.DataFrame, measure: str) -> pd.DataFrame:
    if "period" not in frame or measure not in frame:
        raise ValueError(f"a series needs columns ['period', {measure!r}]; "
                         f"got {list(frame.columns)}")
    out = frame.copy()
    out["illustrative"] = (out["illustrative"].fillna(False).astype(bool)
                           if "illustrative" in out else False)
    values = pd.to_numeric(out[measure], errors="coerce").astype(float)
    out = out.assign(**{measure: values})[values.notna().to_numpy()]
    return out.sort_values("period").reset_index(drop=True)


def _projection_values(projection: pd.DataFrame, measure: str,
                       first: pd.DataFrame | None) -> pd.DataFrame:
    """The projection in the chart's measure; counts become % with the last known eligible."""
    if measure in projection:
        return projection.assign(**{measure: pd.to_numeric(projection[measure]).astype(float)})
    if measure == "coverage_pct" and "registered" in projection and first is not None \
            and "eligible" in first:
        eligible = pd.to_numeric(first["eligible"], errors="coerce").dropna()
        if len(eligible) and float(eligible.iloc[-1]) > 0:
            pct = pd.to_numeric(projection["registered"]).astype(float) \
                * 100 / float(eligible.iloc[-1])
            return projection.assign(coverage_pct=pct)
    raise ValueError(f"the projection needs a {measure!r} column (or 'registered' with an "
                     "'eligible' column in the first series); "
                     f"got {list(projection.columns)}")


def trend_figure(
    series_by_region: Mapping[str, pd.DataFrame],
    target_path: pd.DataFrame | None = None,
    projection: pd.DataFrame | None = None,
    *,
    lang: str = "id",
    title: str | None = None,
    measure: str = "coverage_pct",
    deadline: str | None = None,
    reference_lines: Sequence[tuple[str, float]] = (),
    big: bool = False,
    height: int | None = None,
) -> go.Figure:
    """Coverage (or registered people) over time for one or more regions.

    Parameters
    ----------
    series_by_region
        Display name -> monthly frame (``metrics.series``): ``period``, the ``measure``
        column, and optionally ``illustrative``, ``registered``, ``eligible``, ``sources``.
    target_path
        ``period``, ``target_pct`` (``metrics.target_path``): drawn dash-dot with a label
        at its end. Ignored when ``measure`` is not ``coverage_pct``.
    projection
        For the first region: ``period`` and the measure, or ``registered`` counts
        (``metrics.project``), which are turned into % with that region's last eligible.
        Drawn dotted from the last observed month.
    measure
        ``"coverage_pct"`` (axis in %) or ``"registered"`` (people; e.g. Sultra 2018, where
        only counts were published).
    deadline
        ``"YYYY-MM"``: a vertical mark labelled "Tenggat Des 2024".
    reference_lines
        ``(label, value)`` horizontal lines in the measure's unit, e.g. the Inpres 4/2022
        quota of 100 vulnerable workers per village.

    Returns
    -------
    go.Figure
        Per region: a solid line over published pieces, a dashed line over pieces that
        touch an illustrative point, filled ``circle`` markers for published points and
        hollow ``circle-open`` markers for illustrative ones (each only when non-empty);
        then one legend-only entry per kind of point shown, the target path and the
        projection. Every trace's ``meta`` says ``{"role": ..., "region": ...}``.
    """
    if measure not in MEASURES:
        raise ValueError(f"measure {measure!r}; expected one of {list(MEASURES)}")
    s = sizes(big)
    fig = _figure()
    periods: list[str] = []
    kinds_shown: set[bool] = set()
    prepared = {name: _prepare(frame, measure) for name, frame in series_by_region.items()}
    top = 0.0

    for i, (region, frame) in enumerate(prepared.items()):
        colour = palette.SERIES[i % len(palette.SERIES)]
        periods += frame["period"].tolist()
        if len(frame):
            top = max(top, float(frame[measure].max()))
        legend = True
        for illustrative, dash in ((False, "solid"), (True, "dash")):
            xs, ys = _segments(frame, measure, illustrative)
            if xs:
                fig.add_trace(go.Scatter(
                    x=np.array(xs, dtype=object), y=np.array(ys, dtype=object),
                    mode="lines", name=_esc(region), legendgroup=region,
                    showlegend=legend, hoverinfo="skip",
                    line={"color": colour, "width": s.line, "dash": dash},
                    meta={"role": "dashed" if illustrative else "line", "region": region}))
                legend = False
        for illustrative in (False, True):
            part = frame[frame["illustrative"] == illustrative]
            if part.empty:
                continue
            kinds_shown.add(illustrative)
            marker = ({"symbol": "circle-open", "size": s.marker_illustrative,
                       "color": colour, "line": {"width": max(2, s.line / 2), "color": colour}}
                      if illustrative else
                      {"symbol": "circle", "size": s.marker_published, "color": colour,
                       "line": {"width": 1.5, "color": palette.WHITE}})
            fig.add_trace(go.Scatter(
                x=np.array([period_x(p) for p in part["period"]], dtype=object),
                y=part[measure].to_numpy(dtype=float),
                mode="markers", name=_esc(region), legendgroup=region, showlegend=legend,
                marker=marker,
                text=np.array([_hover(region, row, measure, lang)
                               for row in part.to_dict("records")], dtype=object),
                hovertemplate="%{text}<extra></extra>",
                meta={"role": "illustrative" if illustrative else "published",
                      "region": region}))
            legend = False

    for illustrative in sorted(kinds_shown):
        key = "legend.illustrative_point" if illustrative else "legend.published_point"
        fig.add_trace(go.Scatter(
            x=[None], y=[None], mode="markers", name=_esc(t(key, lang)),
            marker={"symbol": "circle-open" if illustrative else "circle",
                    "size": s.marker_published, "color": palette.TEXT,
                    "line": {"width": 2, "color": palette.TEXT}},
            hoverinfo="skip", meta={"role": "key", "region": None}))

    if target_path is not None and measure == "coverage_pct" and len(target_path):
        path = target_path.sort_values("period")
        values = pd.to_numeric(path["target_pct"]).astype(float)
        periods += path["period"].tolist()
        top = max(top, float(values.max()))
        fig.add_trace(go.Scatter(
            x=[period_x(p) for p in path["period"]], y=values.tolist(), mode="lines",
            name=_esc(t("legend.target_path", lang)),
            line={"color": palette.TARGET, "width": s.target_line, "dash": "dashdot"},
            text=[_esc(f"{fmt.month(p, lang, 'long')}<br>"
                       f"{t('tooltip.target', lang, value=fmt.pct(v, lang))}")
                  for p, v in zip(path["period"], values, strict=True)],
            hovertemplate="%{text}<extra></extra>", meta={"role": "target", "region": None}))
        end_period, end_value = path["period"].iloc[-1], float(values.iloc[-1])
        fig.add_annotation(
            x=period_x(end_period), y=end_value, showarrow=False, xanchor="right",
            yanchor="bottom", font={"size": s.font, "color": palette.TARGET},
            text=_esc(t("target.label", lang, target=fmt.pct(end_value, lang, digits=0),
                        deadline=fmt.month(end_period, lang))))

    if projection is not None and len(projection) and prepared:
        first_name = next(iter(prepared))
        proj = _projection_values(projection, measure, series_by_region[first_name])
        proj = proj.sort_values("period")
        periods += proj["period"].tolist()
        top = max(top, float(proj[measure].max()))
        end = proj.iloc[-1]
        # The end value sits in the legend: an annotation would cross the rising line.
        name = t("chart.projection_end", lang, month=fmt.month(end["period"], lang),
                 pct=_value_text(float(end[measure]), measure, lang))
        fig.add_trace(go.Scatter(
            x=[period_x(p) for p in proj["period"]], y=proj[measure].tolist(), mode="lines",
            name=_esc(name),
            line={"color": palette.PROJECTION, "width": s.line, "dash": "dot"},
            text=[_esc(f"{fmt.month(p, lang, 'long')}<br>{_value_text(v, measure, lang)}")
                  for p, v in zip(proj["period"], proj[measure], strict=True)],
            hovertemplate="%{text}<extra></extra>",
            meta={"role": "projection", "region": first_name}))
    for label, value in reference_lines:
        top = max(top, float(value))
        fig.add_hline(y=float(value), line={"color": palette.TARGET, "width": s.target_line,
                                            "dash": "dash"})
        fig.add_annotation(x=0, xref="paper", y=float(value), showarrow=False,
                           xanchor="left", yanchor="bottom", text=_esc(label),
                           font={"size": s.font, "color": palette.TARGET})

    if deadline is not None:
        periods.append(deadline)
        fig.add_shape(type="line", x0=period_x(deadline), x1=period_x(deadline), y0=0, y1=1,
                      yref="paper", line={"color": palette.TARGET, "width": s.target_line / 2,
                                          "dash": "dot"})
        fig.add_annotation(x=period_x(deadline), y=0, yref="paper", showarrow=False,
                           xanchor="right", yanchor="bottom", xshift=-4,
                           font={"size": s.font},
                           text=_esc(t("chart.deadline", lang,
                                       month=fmt.month(deadline, lang))))

    _style(fig, lang=lang, title=title, big=big, height=height)
    if not periods:
        return _empty(fig, lang, big)
    tickvals, ticktext = month_ticks(periods, lang, max_ticks=6 if big else 8)
    first, last = fmt.parse_period(min(periods)), fmt.parse_period(max(periods))
    pad = pd.Timedelta(days=20)  # keeps end markers and the deadline mark off the frame
    fig.update_xaxes(type="date", tickvals=tickvals, ticktext=ticktext, title_text=None,
                     showgrid=False, range=[str(pd.Timestamp(first) - pad),
                                            str(pd.Timestamp(last) + pad)])
    if measure == "coverage_pct":
        upper = min(100.0, max(10.0, math.ceil((top + 5) / 10) * 10))
        fig.update_yaxes(range=[0, upper], ticksuffix="%",
                         title_text=_esc(t("chart.axis.coverage", lang)))
    else:
        fig.update_yaxes(range=[0, max(1.0, top * 1.1)], tickformat=",d",
                         title_text=_esc(t("measure.registered", lang)))
    fig.update_layout(hovermode="closest")
    return fig


# --------------------------------------------------------------------------- ranking

def _name(row: Mapping, names: Mapping[str, str] | None) -> str:
    code = str(row.get("region_code", ""))
    if names and code in names:
        return names[code]
    if "name" in row and isinstance(row["name"], str):
        return row["name"]
    return code


def ranking_bar(
    snapshot_df: pd.DataFrame,
    *,
    lang: str = "id",
    n: int = 10,
    ahead: bool = False,
    target_pct: float | None = palette.COVERAGE_TARGET,
    names: Mapping[str, str] | None = None,
    title: str | None = None,
    big: bool = False,
    height: int | None = None,
) -> go.Figure:
    """Horizontal bars of coverage % for the regions furthest behind (or ahead).

    The order is :func:`cakupan.metrics.ranking`'s (unregistered regions count as 0%,
    regions without a knowable coverage are left out), furthest first at the top. Each bar
    is labelled with its value; illustrative figures are hatched and say so in the label.
    All bars share one accessible colour (5.2:1 on white): the ranking, the value labels
    and the target line carry the meaning.

    Parameters
    ----------
    snapshot_df
        ``metrics.snapshot`` rows: ``region_code``, ``coverage_pct``, ``status``,
        ``registered``, ``illustrative``; a ``name`` column or ``names`` gives labels.
    target_pct
        Where to draw the target line (``None`` for none).
    """
    s = sizes(big)
    ranked = metrics.ranking(snapshot_df, n=n, ascending=not ahead)
    fig = _figure()
    _style(fig, lang=lang, title=title, big=big, height=height)
    if ranked.empty:
        return _empty(fig, lang, big)
    rows = ranked.to_dict("records")
    labels = [_esc(_name(r, names)) for r in rows]
    values = [0.0 if _missing(r.get("coverage_pct")) else float(r["coverage_pct"])
              for r in rows]
    illustrative = [bool(r.get("illustrative", False)) for r in rows]
    texts = []
    for r, value, ill in zip(rows, values, illustrative, strict=True):
        text = fmt.pct(value, lang)
        if r.get("status") == "unregistered":
            text = f"{text} · {t('status.unregistered', lang)}"
        if ill:
            text = t("chart.illustrative_suffix", lang, label=text)
        texts.append(_esc(text))
    hover = [f"<b>{label}</b><br>{text}" for label, text in zip(labels, texts, strict=True)]
    fig.add_trace(go.Bar(
        x=values, y=labels, orientation="h", text=texts, textposition="outside",
        cliponaxis=False, hovertext=hover, hovertemplate="%{hovertext}<extra></extra>",
        marker={"color": palette.PRIMARY,
                "pattern": {"shape": ["/" if ill else "" for ill in illustrative],
                            "fgcolor": palette.HATCH, "solidity": 0.4}},
        textfont={"size": s.font}, showlegend=False, meta={"role": "ranking"}))
    top = max([*values, target_pct or 0.0])
    fig.update_xaxes(range=[0, min(100.0, top) * 1.3 + 5], ticksuffix="%", showgrid=True)
    fig.update_yaxes(categoryorder="array", categoryarray=labels, autorange="reversed")
    if target_pct is not None:
        fig.add_vline(x=float(target_pct), line={"color": palette.TARGET,
                                                 "width": s.target_line, "dash": "dash"})
        fig.add_annotation(x=float(target_pct), y=1, yref="paper", yanchor="bottom",
                           showarrow=False, font={"size": s.font, "color": palette.TARGET},
                           text=_esc(t("chart.target_marker", lang,
                                       target=fmt.pct(target_pct, lang, digits=0))))
    fig.update_layout(bargap=0.25, margin={"t": 2 * s.title + 30 if title else 40})
    return fig


# --------------------------------------------------------------------------- segments

def segment_bars(
    profile_df: pd.DataFrame,
    *,
    lang: str = "id",
    target_pct: float | Mapping[str, float] | None = palette.COVERAGE_TARGET,
    title: str | None = None,
    big: bool = False,
    height: int | None = None,
) -> go.Figure:
    """Coverage per segment of one region, with the gap to the target stacked on top.

    Parameters
    ----------
    profile_df
        One row per segment: ``segment`` (code), ``coverage_pct``, and optionally
        ``registered``, ``eligible``, ``illustrative``, ``target_pct`` (per-segment target,
        which wins over ``target_pct``).
    target_pct
        One target for all segments, ``{segment: target}``, or ``None`` for no gap bars.

    Returns
    -------
    go.Figure
        Trace 0: coverage bars (hatched when illustrative); trace 1: gap bars (hatched,
        vermillion); trace 2: target markers (``line-ns`` ticks) when a target applies.
        Segments without data get a zero bar labelled "Tidak ada data".
    """
    s = sizes(big)
    fig = _figure()
    _style(fig, lang=lang, title=title, big=big, height=height)
    if profile_df.empty:
        return _empty(fig, lang, big)
    rows = profile_df.to_dict("records")
    labels = [_esc(segment_label(r["segment"], lang)) if _known_segment(r["segment"])
              else _esc(r["segment"]) for r in rows]

    def target_of(row: Mapping) -> float | None:
        if not _missing(row.get("target_pct")):
            return float(row["target_pct"])
        if isinstance(target_pct, Mapping):
            value = target_pct.get(row["segment"])
            return None if value is None else float(value)
        return None if target_pct is None else float(target_pct)

    coverage, gaps, targets, texts, gap_texts, hover = [], [], [], [], [], []
    beside: list[tuple[str, float, str]] = []
    inside_min = 25.0 if big else 15.0
    for row, label in zip(rows, labels, strict=True):
        value = None if _missing(row.get("coverage_pct")) else float(row["coverage_pct"])
        target = target_of(row)
        gap = None if value is None or target is None else max(0.0, target - value)
        coverage.append(value or 0.0)
        gaps.append(gap)  # None draws nothing, not a zero-width outline
        targets.append(target)
        text = t("status.no_data", lang) if value is None else fmt.pct(value, lang)
        if value is not None and bool(row.get("illustrative", False)):
            text = t("chart.illustrative_suffix", lang, label=text)
        if value is not None and value >= inside_min:
            texts.append(_esc(text))
        else:  # too short a bar to hold its label: write it beside the bar
            texts.append("")
            beside.append((label, value or 0.0, _esc(text)))
        gap_texts.append(_esc(fmt.points(-gap, lang)) if gap else "")
        lines = [f"<b>{label}</b>", _esc(t("tooltip.coverage", lang, value=fmt.pct(value, lang)))]
        if not _missing(row.get("registered")):
            part = fmt.people(row["registered"], lang)
            if not _missing(row.get("eligible")):
                part = t("unit.part_of_whole", lang, part=fmt.number(row["registered"], lang),
                         whole=fmt.people(row["eligible"], lang))
            lines.append(_esc(t("tooltip.registered", lang, value=part)))
        if gap is not None:
            lines.append(_esc(t("tooltip.gap", lang, value=fmt.points(gap, lang))))
        hover.append("<br>".join(lines))
    illustrative = [bool(r.get("illustrative", False)) for r in rows]

    fig.add_trace(go.Bar(
        x=coverage, y=labels, orientation="h", name=_esc(t("measure.coverage", lang)),
        text=texts, textposition="inside", insidetextanchor="start",
        textfont={"size": s.font, "color": palette.text_on(palette.PRIMARY)},
        marker={"color": palette.PRIMARY,
                "pattern": {"shape": ["/" if ill else "" for ill in illustrative],
                            "fgcolor": palette.HATCH, "solidity": 0.4}},
        hovertext=hover, hovertemplate="%{hovertext}<extra></extra>",
        meta={"role": "coverage"}))
    if any(target is not None for target in targets):
        gap_colour = palette.STATUS["unregistered"].hex
        fig.add_trace(go.Bar(
            x=gaps, y=labels, orientation="h", name=_esc(t("chart.gap", lang)),
            text=gap_texts, textposition="outside", cliponaxis=False,
            textfont={"size": s.font, "color": palette.TEXT},
            marker={"color": palette.WHITE, "line": {"color": gap_colour, "width": 2},
                    "pattern": {"shape": "x", "fgcolor": gap_colour, "solidity": 0.4}},
            hovertext=hover, hovertemplate="%{hovertext}<extra></extra>",
            meta={"role": "gap"}))
        shown = [(label, target) for label, target in zip(labels, targets, strict=True)
                 if target is not None]
        fig.add_trace(go.Scatter(
            x=[target for _, target in shown], y=[label for label, _ in shown],
            mode="markers", name=_esc(t("measure.target", lang)),
            marker={"symbol": "line-ns", "size": s.marker_published * 2.5,
                    "line": {"width": s.target_line, "color": palette.TARGET}},
            hoverinfo="skip", meta={"role": "target"}))
    for label, value, text in beside:
        fig.add_annotation(x=value, y=label, text=text, showarrow=False, xanchor="left",
                           xshift=4, font={"size": s.font, "color": palette.TEXT},
                           bgcolor=palette.WHITE)
    fig.update_layout(barmode="stack", bargap=0.3)
    fig.update_xaxes(range=[0, 100], ticksuffix="%")
    fig.update_yaxes(categoryorder="array", categoryarray=labels, autorange="reversed")
    return fig


def _known_segment(code: object) -> bool:
    return code in SEGMENTS


# --------------------------------------------------------------------------- headline

def gauge_or_bullet(
    current_pct: float | None,
    target_pct: float | None,
    lang: str = "id",
    *,
    previous_pct: float | None = None,
    deadline: str | None = None,
    title: str | None = None,
    big: bool = False,
    height: int | None = None,
) -> go.Figure:
    """A bullet chart of headline coverage against the target.

    The bar is the current coverage, the black tick the target; the shaded band runs to
    the target so the gap reads at a glance. With ``previous_pct`` (a year earlier) the
    change is shown with an arrow and a sign, not colour alone.
    """
    s = sizes(big)
    heading = title or t("chart.bullet.title", lang)
    if target_pct is not None:
        target_text = fmt.pct(target_pct, lang, digits=0)
        heading += " · " + (t("target.label", lang, target=target_text,
                                 deadline=fmt.month(deadline, lang))
                            if deadline else t("chart.target_marker", lang, target=target_text))
    missing = _missing(current_pct)
    mode = "gauge" if missing else "number+gauge" + ("+delta" if previous_pct is not None
                                                      else "")
    gauge: dict = {
        "shape": "bullet",
        "axis": {"range": [0, 100], "ticksuffix": "%", "tickfont": {"size": s.tick}},
        "bar": {"color": palette.PRIMARY, "thickness": 0.5},
        "bgcolor": palette.WHITE,
        "borderwidth": 1,
        "bordercolor": palette.TEXT,
    }
    if target_pct is not None:
        gauge["steps"] = [{"range": [0, float(target_pct)], "color": "#E8E8E8"}]
        gauge["threshold"] = {"value": float(target_pct), "thickness": 0.9,
                              "line": {"color": palette.TARGET, "width": s.target_line + 2}}
    indicator = go.Indicator(
        mode=mode, value=None if missing else float(current_pct),  # type: ignore[arg-type]
        number={"suffix": "%", "valueformat": ".1f", "font": {"size": s.title * 1.5}},
        gauge=gauge, domain={"x": [0.25 if not big else 0.3, 1], "y": [0.15, 0.85]},
        meta={"role": "bullet"},
    )
    if previous_pct is not None and not missing:
        indicator.delta = {"reference": float(previous_pct), "valueformat": ".1f",
                           "suffix": " " + t("unit.points.other", lang, n="").strip(),
                           "increasing": {"color": palette.STATUS["registered"].hex,
                                          "symbol": "▲ "},
                           "decreasing": {"color": palette.STATUS["unregistered"].hex,
                                          "symbol": "▼ "},
                           "font": {"size": s.font}}
    fig = _figure(indicator)
    _style(fig, lang=lang, title=heading, big=big, height=height or (320 if big else 160))
    if missing:
        fig.add_annotation(text=_esc(t("status.no_data", lang)), x=0.12, y=0.5,
                           xref="paper", yref="paper", showarrow=False,
                           font={"size": s.title})
    return fig
