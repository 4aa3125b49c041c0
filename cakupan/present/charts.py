"""plotly figures for the dashboard and the briefing; pages only place them.

Conventions shared by every figure here:

* Text is translated (:mod:`cakupan.core.i18n`) and numbers formatted for the locale
  (:mod:`cakupan.present.fmt`) *before* they reach plotly. plotly's own number formatting only
  learns the separators (``layout.separators``); its month names are English, so month
  ticks are explicit ``tickvals`` + ``ticktext``.
* Hover text is pre-formatted with units ("40,5%", "1.356 orang") and every string that
  comes from data is HTML-escaped, because plotly renders a subset of HTML in labels.
* Published figures and illustrative ones never look alike: filled, larger markers and
  solid lines for published data; hollow markers, dashed lines and hatched bars for
  illustrative data; both named in the legend, so colour is never the only carrier.
* ``big=True`` is the projector variant: every font >= 32 px, thick lines, large markers.

Input frames follow :mod:`cakupan.analysis.metrics` (``series``, ``snapshot``, ``target_path``,
``project``): ``period`` is ``"YYYY-MM"``, ``coverage_pct`` a percentage value (40.5).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from cakupan.analysis import metrics
from cakupan.core.i18n import segment_label, t
from cakupan.present import fmt, palette
from cakupan.present.chart_style import (
    apply_style,
    empty_note,
    esc,
    is_missing,
    new_figure,
    sizes,
)
from cakupan.present.state import SEGMENTS

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

    The order is :func:`cakupan.analysis.metrics.ranking`'s (unregistered regions count as 0%,
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
    fig = new_figure()
    apply_style(fig, lang=lang, title=title, big=big, height=height)
    if ranked.empty:
        return empty_note(fig, lang, big)
    rows = ranked.to_dict("records")
    labels = [esc(_name(r, names)) for r in rows]
    values = [0.0 if is_missing(r.get("coverage_pct")) else float(r["coverage_pct"])
              for r in rows]
    illustrative = [bool(r.get("illustrative", False)) for r in rows]
    texts = []
    for r, value, ill in zip(rows, values, illustrative, strict=True):
        text = fmt.pct(value, lang)
        if r.get("status") == "unregistered":
            text = f"{text} · {t('status.unregistered', lang)}"
        if ill:
            text = t("chart.illustrative_suffix", lang, label=text)
        texts.append(esc(text))
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
                           text=esc(t("chart.target_marker", lang,
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
    fig = new_figure()
    apply_style(fig, lang=lang, title=title, big=big, height=height)
    if profile_df.empty:
        return empty_note(fig, lang, big)
    rows = profile_df.to_dict("records")
    labels = [esc(segment_label(r["segment"], lang)) if _known_segment(r["segment"])
              else esc(r["segment"]) for r in rows]

    def target_of(row: Mapping) -> float | None:
        if not is_missing(row.get("target_pct")):
            return float(row["target_pct"])
        if isinstance(target_pct, Mapping):
            value = target_pct.get(row["segment"])
            return None if value is None else float(value)
        return None if target_pct is None else float(target_pct)

    coverage, gaps, targets, texts, gap_texts, hover = [], [], [], [], [], []
    beside: list[tuple[str, float, str]] = []
    inside_min = 25.0 if big else 15.0
    for row, label in zip(rows, labels, strict=True):
        value = None if is_missing(row.get("coverage_pct")) else float(row["coverage_pct"])
        target = target_of(row)
        gap = None if value is None or target is None else max(0.0, target - value)
        coverage.append(value or 0.0)
        gaps.append(gap)  # None draws nothing, not a zero-width outline
        targets.append(target)
        text = t("status.no_data", lang) if value is None else fmt.pct(value, lang)
        if value is not None and bool(row.get("illustrative", False)):
            text = t("chart.illustrative_suffix", lang, label=text)
        if value is not None and value >= inside_min:
            texts.append(esc(text))
        else:  # too short a bar to hold its label: write it beside the bar
            texts.append("")
            beside.append((label, value or 0.0, esc(text)))
        gap_texts.append(esc(fmt.points(-gap, lang)) if gap else "")
        lines = [f"<b>{label}</b>", esc(t("tooltip.coverage", lang, value=fmt.pct(value, lang)))]
        if not is_missing(row.get("registered")):
            part = fmt.people(row["registered"], lang)
            if not is_missing(row.get("eligible")):
                part = t("unit.part_of_whole", lang, part=fmt.number(row["registered"], lang),
                         whole=fmt.people(row["eligible"], lang))
            lines.append(esc(t("tooltip.registered", lang, value=part)))
        if gap is not None:
            lines.append(esc(t("tooltip.gap", lang, value=fmt.points(gap, lang))))
        hover.append("<br>".join(lines))
    illustrative = [bool(r.get("illustrative", False)) for r in rows]

    fig.add_trace(go.Bar(
        x=coverage, y=labels, orientation="h", name=esc(t("measure.coverage", lang)),
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
            x=gaps, y=labels, orientation="h", name=esc(t("chart.gap", lang)),
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
            mode="markers", name=esc(t("measure.target", lang)),
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
    missing = is_missing(current_pct)
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
    fig = new_figure(indicator)
    apply_style(fig, lang=lang, title=heading, big=big, height=height or (320 if big else 160))
    if missing:
        fig.add_annotation(text=esc(t("status.no_data", lang)), x=0.12, y=0.5,
                           xref="paper", yref="paper", showarrow=False,
                           font={"size": s.title})
    return fig
