"""The trend chart: coverage (or registered people) over months against the target path and a
projection, published and illustrative points drawn so they never look alike.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from cakupan import regions
from cakupan.core.i18n import t
from cakupan.present import fmt, palette
from cakupan.present.chart_style import (
    MEASURES,
    apply_style,
    empty_note,
    esc,
    is_missing,
    month_ticks,
    new_figure,
    period_x,
    sizes,
    value_text,
)
from cakupan.regions.changes import changes_for


def _hover(region: str, row: Mapping, measure: str, lang: str) -> str:
    lines = [f"<b>{esc(region)}</b>", esc(fmt.month(row["period"], lang, "long"))]
    if measure == "coverage_pct" or not is_missing(row.get("coverage_pct")):
        lines.append(esc(t("tooltip.coverage", lang, value=fmt.pct(row.get("coverage_pct"),
                                                                    lang))))
    if not is_missing(row.get("registered")):
        lines.append(esc(t("tooltip.registered", lang,
                            value=fmt.people(row.get("registered"), lang))))
    if not is_missing(row.get("eligible")):
        lines.append(esc(t("tooltip.eligible", lang,
                            value=fmt.people(row.get("eligible"), lang))))
    kind = "provenance.illustrative" if bool(row.get("illustrative", False)) \
        else "provenance.published"
    lines.append(esc(t(kind, lang)))
    sources = row.get("sources")
    if isinstance(sources, str):
        sources = [sources]
    if isinstance(sources, Sequence) and len(sources):
        lines.append(esc(t("tooltip.source", lang, value=", ".join(map(str, sources[:3])))))
    return "<br>".join(lines)


@dataclass(frozen=True)
class ChartBreak:
    """A boundary change on a chart: a mark at ``month`` with its note; ``split`` also breaks
    the line there (the area changed, so joining both sides would draw a false jump)."""

    month: str
    note: str
    split: bool


def series_breaks(code: str, periods: Sequence[str], lang: str = "id") -> list[ChartBreak]:
    """The boundary changes a series of ``code`` over ``periods`` crosses, worded in ``lang``
    (:mod:`cakupan.regions.changes`): the split that shrank a province or formed a new one,
    or a rename, with the law and the month."""
    if not len(periods):
        return []
    out = []
    for change in changes_for(code, min(periods), max(periods)):
        month = fmt.month(change.month, lang)
        if change.kind == "rename":
            key = "chart.break.rename" if change.month_known else "chart.break.rename_year"
            note = t(key, lang, old=change.old_name, law=change.law, month=month,
                     year=change.month[:4])
        else:
            extent = regions.old_extent(str(change.old_extent))
            others = [regions.name_of(c) for c in extent.successors if c != code]
            key = ("chart.break.shrank" if code == extent.key[:2]
                   else "chart.break.formed")
            note = t(key, lang, month=month, law=change.law,
                     parent=regions.name_of(extent.key[:2]), others=", ".join(others))
        out.append(ChartBreak(change.month, note, change.kind == "split"))
    return out


def _crosses(a: str, b: str, splits: Sequence[str]) -> bool:
    return any(a < month <= b for month in splits)


def _segments(frame: pd.DataFrame, measure: str, illustrative: bool,
              splits: Sequence[str] = ()) -> tuple[list, list]:
    """x/y of the line pieces between consecutive points, split by kind.

    A piece is published only when both its ends are; ``None`` breaks the line between
    pieces, so one trace carries all pieces of one kind. No piece crosses a month in
    ``splits`` (a boundary change: the two sides measure different areas).
    """
    xs: list = []
    ys: list = []
    rows = frame.to_dict("records")
    for a, b in pairwise(rows):
        if _crosses(a["period"], b["period"], splits):
            continue
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
    breaks: Sequence[ChartBreak] = (),
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
    breaks
        Boundary changes the chart's series cross (:func:`series_breaks`): a vertical mark
        with its note, and for a split no line across it in any series; so pass them for a
        chart of one region (its segments, say), not for regions the change did not touch.

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
    fig = new_figure()
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
        splits = [b.month for b in breaks if b.split]
        for illustrative, dash in ((False, "solid"), (True, "dash")):
            xs, ys = _segments(frame, measure, illustrative, splits)
            if xs:
                fig.add_trace(go.Scatter(
                    x=np.array(xs, dtype=object), y=np.array(ys, dtype=object),
                    mode="lines", name=esc(region), legendgroup=region,
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
                mode="markers", name=esc(region), legendgroup=region, showlegend=legend,
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
            x=[None], y=[None], mode="markers", name=esc(t(key, lang)),
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
            name=esc(t("legend.target_path", lang)),
            line={"color": palette.TARGET, "width": s.target_line, "dash": "dashdot"},
            text=[esc(f"{fmt.month(p, lang, 'long')}<br>"
                       f"{t('tooltip.target', lang, value=fmt.pct(v, lang))}")
                  for p, v in zip(path["period"], values, strict=True)],
            hovertemplate="%{text}<extra></extra>", meta={"role": "target", "region": None}))
        end_period, end_value = path["period"].iloc[-1], float(values.iloc[-1])
        fig.add_annotation(
            x=period_x(end_period), y=end_value, showarrow=False, xanchor="right",
            yanchor="bottom", font={"size": s.font, "color": palette.TARGET},
            text=esc(t("target.label", lang, target=fmt.pct(end_value, lang, digits=0),
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
                 pct=value_text(float(end[measure]), measure, lang))
        fig.add_trace(go.Scatter(
            x=[period_x(p) for p in proj["period"]], y=proj[measure].tolist(), mode="lines",
            name=esc(name),
            line={"color": palette.PROJECTION, "width": s.line, "dash": "dot"},
            text=[esc(f"{fmt.month(p, lang, 'long')}<br>{value_text(v, measure, lang)}")
                  for p, v in zip(proj["period"], proj[measure], strict=True)],
            hovertemplate="%{text}<extra></extra>",
            meta={"role": "projection", "region": first_name}))
    for label, value in reference_lines:
        top = max(top, float(value))
        fig.add_hline(y=float(value), line={"color": palette.TARGET, "width": s.target_line,
                                            "dash": "dash"})
        fig.add_annotation(x=0, xref="paper", y=float(value), showarrow=False,
                           xanchor="left", yanchor="bottom", text=esc(label),
                           font={"size": s.font, "color": palette.TARGET})

    for n, mark in enumerate(breaks):
        fig.add_shape(type="line", x0=period_x(mark.month), x1=period_x(mark.month), y0=0,
                      y1=1, yref="paper", name=f"break {mark.month}",
                      line={"color": palette.PROJECTION, "width": s.target_line / 2,
                            "dash": "longdash"})
        fig.add_annotation(x=period_x(mark.month), y=1 - 0.09 * n, yref="paper",
                           showarrow=False, xanchor="left", yanchor="top", xshift=4,
                           align="left", font={"size": s.font, "color": palette.TEXT},
                           bgcolor="rgba(255,255,255,0.85)", text=esc(mark.note),
                           name="break")

    if deadline is not None:
        periods.append(deadline)
        fig.add_shape(type="line", x0=period_x(deadline), x1=period_x(deadline), y0=0, y1=1,
                      yref="paper", line={"color": palette.TARGET, "width": s.target_line / 2,
                                          "dash": "dot"})
        fig.add_annotation(x=period_x(deadline), y=0, yref="paper", showarrow=False,
                           xanchor="right", yanchor="bottom", xshift=-4,
                           font={"size": s.font},
                           text=esc(t("chart.deadline", lang,
                                       month=fmt.month(deadline, lang))))

    apply_style(fig, lang=lang, title=title, big=big, height=height)
    if not periods:
        return empty_note(fig, lang, big)
    tickvals, ticktext = month_ticks(periods, lang, max_ticks=6 if big else 8)
    first, last = fmt.parse_period(min(periods)), fmt.parse_period(max(periods))
    pad = pd.Timedelta(days=20)  # keeps end markers and the deadline mark off the frame
    fig.update_xaxes(type="date", tickvals=tickvals, ticktext=ticktext, title_text=None,
                     showgrid=False, range=[str(pd.Timestamp(first) - pad),
                                            str(pd.Timestamp(last) + pad)])
    if measure == "coverage_pct":
        upper = min(100.0, max(10.0, math.ceil((top + 5) / 10) * 10))
        fig.update_yaxes(range=[0, upper], ticksuffix="%",
                         title_text=esc(t("chart.axis.coverage", lang)))
    else:
        fig.update_yaxes(range=[0, max(1.0, top * 1.1)], tickformat=",d",
                         title_text=esc(t("measure.registered", lang)))
    fig.update_layout(hovermode="closest")
    return fig
