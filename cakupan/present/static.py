"""Static pictures of maps and charts (PNG, and vector drawing for PDF), offline and headless.

Drawn with matplotlib's object API (``Figure`` + Agg canvas, never ``pyplot``): no global
state, so concurrent Streamlit sessions cannot draw into each other's figures, and nothing
needs a browser or a display. See ``docs/exports.md`` for why not plotly + kaleido.

Meaning is never carried by colour alone: map statuses also differ by hatching and are named,
with their counts, in the legend; chart lines differ by dash style and marker; bars carry their
value as text.

The ``draw_*`` functions draw into a given ``Axes``; the ``*_png`` functions make a picture of
exactly ``width`` x ``height`` pixels. Font sizes are given in pixels of a 1080-pixel-high
picture and scale with the picture (``height``), times ``text_scale`` for pictures placed
small on a slide.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import date
from itertools import pairwise
from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")  # before anything imports pyplot: a server has no display

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure, SubFigure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from cakupan.core import i18n
from cakupan.present import fmt, maps, palette
from cakupan.present.deck_text import text
from cakupan.present.text_fit import wrap_text

if TYPE_CHECKING:
    import geopandas as gpd

    from cakupan.present.figure_spec import FigureSpec

#: Pixels per inch of the matplotlib figure; sizes below are given in pixels at 1080 p high.
DPI = 100
STATUS_ORDER: tuple[str, ...] = ("registered", "partial", "unregistered", "no_data")
#: Hatching doubles the colour so a grey-scale print or a colour-blind reader sees the status.
HATCH: dict[str, str] = {"registered": "", "partial": "..", "unregistered": "///", "no_data": ""}
INK = "#1f2933"  # text, outlines: 14:1 on white
MUTED = "#52606d"  # secondary text: 6.4:1 on white


def px(size_px: float, height: int) -> float:
    """Points for a font ``size_px`` pixels tall on a 1080 p picture, scaled to ``height``."""
    return size_px * height / 1080 * 72 / DPI


def new_figure(width: int, height: int) -> Figure:
    """A figure of exactly ``width`` x ``height`` pixels at :data:`DPI`, on an Agg canvas."""
    fig = Figure(figsize=(width / DPI, height / DPI), dpi=DPI, facecolor="white")
    FigureCanvasAgg(fig)
    fig.set_size_inches(width / DPI, height / DPI)
    return fig


def to_png(fig: Figure) -> bytes:
    """PNG bytes without a timestamp or version stamp, so equal inputs give equal files."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def pct_label(value: float, lang: str) -> str:
    """"40%" for whole numbers, "40,5%" otherwise: axis ticks and bar ends stay short."""
    digits = 0 if abs(round(float(value), 1) - round(float(value))) < 1e-9 else 1
    return fmt.pct(value, lang, digits)


def exact_pct(value: float, lang: str) -> str:
    """A headline figure as published: "40%", "40,9%", "39,45%" (two decimals at most), so
    the big number never rounds a published 39.45 % to a 39,5 % nobody published."""
    for digits in (0, 1):
        if abs(round(value, digits) - round(value, 2)) < 1e-9:
            return fmt.pct(value, lang, digits)
    return fmt.pct(value, lang, 2)


def _status_colour(status: str) -> str:
    return palette.STATUS_COLORS[status]


def _halo(width: float) -> list:
    return [patheffects.withStroke(linewidth=width, foreground="white")]


# ------------------------------------------------------------------------------------ map

def draw_map(ax: Axes, frame: gpd.GeoDataFrame, values: pd.DataFrame, *, metric: str = "status",
             lang: str = "id", height: int = 1080, labels: bool | None = None,
             attribution: str | None = None,
             highlight: Sequence[str] = ()) -> dict[str, int]:
    """Draw regions coloured by status (or coverage %) with a worded legend.

    Parameters
    ----------
    frame
        Boundaries: ``code``, ``name``, ``geometry`` (as from ``geo.load_view``).
    values
        ``code`` (or ``region_code``), ``status`` and, for ``metric="coverage"``,
        ``coverage_pct``; regions without a row are drawn as "no data".
    labels
        Write each region's name on the map; default: only when there are at most 40 regions
        (a province view), where names are what people in the room look for.
    highlight
        Codes of the regions the slide talks about: only these are named (in this order of
        priority), each where it does not cover another name (:func:`place_labels`).

    Returns
    -------
    dict
        Regions drawn per status, as shown in the legend.
    """
    vals = values.rename(columns={"region_code": "code"})
    cols = [c for c in ("code", "status", "coverage_pct") if c in vals.columns]
    merged = frame.merge(vals[cols], on="code", how="left")
    merged["status"] = merged["status"].fillna("no_data")
    counts = {s: int((merged["status"] == s).sum()) for s in STATUS_ORDER}
    edge = dict(edgecolor=INK, linewidth=max(0.4, 0.9 * height / 1080))

    handles: list[Patch] = []
    if metric == "coverage" and "coverage_pct" in merged.columns:
        bins = palette.coverage_bins(lang)
        index = merged["coverage_pct"].map(lambda v: palette.coverage_bin(v, bins))
        known = index.notna()
        for i, b in enumerate(bins):
            part = merged[(index == i).to_numpy()]
            if len(part):
                part.plot(ax=ax, color=b.hex, **edge)
            handles.append(Patch(facecolor=b.hex, edgecolor=INK, label=b.label))
        rest = merged[~known]
        if len(rest):
            rest.plot(ax=ax, color=_status_colour("no_data"), **edge)
        handles.append(Patch(facecolor=_status_colour("no_data"), edgecolor=INK,
                             label=i18n.status_label("no_data", lang)))
    else:
        for status in STATUS_ORDER:
            part = merged[merged["status"] == status]
            if len(part):
                part.plot(ax=ax, color=_status_colour(status), hatch=HATCH[status], **edge)
            label = (f"{palette.STATUS[status].symbol} {i18n.status_label(status, lang)}"
                     f" ({fmt.number(counts[status], lang)})")
            handles.append(Patch(facecolor=_status_colour(status), edgecolor=INK,
                                 hatch=HATCH[status], label=label))

    ax.set_axis_off()
    ax.set_aspect("equal")
    # The legend sits at the figure's right edge and the map takes what is left, so larger
    # type (a picture placed small on a slide) never pushes the legend off the picture.
    fig = ax.figure
    box = ax.get_position()
    legend = fig.legend(handles=handles, loc="upper right", bbox_to_anchor=(0.99, box.y1),
                        frameon=False, fontsize=px(30, height), handlelength=2.2,
                        handleheight=1.6, labelcolor=INK, borderaxespad=0.0)
    share = legend.get_window_extent().width / fig.bbox.width
    ax.set_position((box.x0, box.y0, max(0.2, min(box.width, 0.97 - share - box.x0)),
                     box.height))
    ax.set_anchor("E")  # next to the legend, not stranded at the far left
    if attribution:
        size = px(18, height)
        lines = wrap_text(attribution, fig.bbox.width / fig.dpi * 0.97, size)
        fig.text(0.01, 0.01, "\n".join(lines), va="bottom", ha="left", color=MUTED,
                 fontsize=size)
    if highlight:
        ax.apply_aspect()  # names are placed on the map as it will be drawn
        place_labels(ax, merged, list(highlight), height)
    else:
        if labels is None:
            labels = len(merged) <= 40
        if labels:
            _label_regions(ax, merged, height)
    return counts


def _label_regions(ax: Axes, merged: gpd.GeoDataFrame, height: int) -> None:
    """Short names on a point inside each region (never a centroid in the sea)."""
    points = merged.geometry.representative_point()
    for name, point in zip(merged["name"], points, strict=True):
        short = str(name).removeprefix("Kabupaten ").removeprefix("Kota ")
        ax.annotate(short, xy=(point.x, point.y), ha="center", va="center", color=INK,
                    fontsize=px(20, height), path_effects=_halo(3))


#: Where a name may go around its region's point, in multiples of the name's height: on it,
#: then above, below, right, left, then further out with a leader line.
_LABEL_OFFSETS: tuple[tuple[float, float], ...] = (
    (0, 0), (0, 1.2), (0, -1.2), (1, 0), (-1, 0), (0, 2.4), (0, -2.4), (1.2, 1.2),
    (-1.2, 1.2), (1.2, -1.2), (-1.2, -1.2), (0, 3.6), (0, -3.6), (2, 0), (-2, 0))


#: Behind a placed name: a white box rather than a halo, which matplotlib draws as outlines
#: (the PDF would hold the name as a picture of letters, not as text a reader can search).
_LABEL_BOX = dict(boxstyle="round,pad=0.15", facecolor="white", edgecolor="none", alpha=0.85)


def place_labels(ax: Axes, merged: gpd.GeoDataFrame, codes: list[str], height: int) -> list[str]:
    """Name the regions ``codes`` (in priority order) where no two names overlap.

    Each name's box is measured by the renderer at its final size (not estimated), tried at
    :data:`_LABEL_OFFSETS` around a point inside its region, and kept at the first spot that
    overlaps no name already placed and stays inside the axes; away from its point it gets a
    leader line. A name with no free spot is left out rather than drawn over another.
    Returns the codes named, in order (the slide can say which were left out).
    """
    renderer = ax.get_figure(root=True).canvas.get_renderer()  # type: ignore[union-attr]
    frame_box = ax.get_window_extent(renderer)
    points = dict(zip(merged["code"], merged.geometry.representative_point(), strict=True))
    names = dict(zip(merged["code"], merged["name"], strict=True))
    size = px(24, height)
    placed: list = []
    named: list[str] = []
    for code in codes:
        if code not in points:
            continue
        point = points[code]
        short = str(names[code]).removeprefix("Kabupaten ").removeprefix("Kota ")
        anchor = ax.transData.transform((point.x, point.y))
        for dx, dy in _LABEL_OFFSETS:
            label = ax.annotate(short, xy=(point.x, point.y), ha="center", va="center",
                                color=INK, fontsize=size, fontweight="bold",
                                bbox=_LABEL_BOX, annotation_clip=False)
            box = label.get_window_extent(renderer)
            label.set_position((point.x, point.y))
            shift = (dx * box.width * 0.6, dy * box.height)
            if dx or dy:
                target = ax.transData.inverted().transform(
                    (anchor[0] + shift[0], anchor[1] + shift[1]))
                label.remove()
                label = ax.annotate(
                    short, xy=(point.x, point.y), xytext=tuple(target), ha="center",
                    va="center", color=INK, fontsize=size, fontweight="bold",
                    bbox=_LABEL_BOX, annotation_clip=False,
                    arrowprops=dict(arrowstyle="-", color=INK, linewidth=1.2,
                                    shrinkA=0, shrinkB=2))
            box = label.get_window_extent(renderer).expanded(1.05, 1.1)
            inside = (box.x0 >= frame_box.x0 and box.x1 <= frame_box.x1
                      and box.y0 >= frame_box.y0 and box.y1 <= frame_box.y1)
            if inside and not any(box.overlaps(other) for other in placed):
                placed.append(box)
                named.append(code)
                break
            label.remove()
    return named


def map_png(view: str, values: pd.DataFrame, *, metric: str = "status", lang: str = "id",
            width: int = 1920, height: int = 1080, title: str | None = None,
            text_scale: float = 1.0) -> bytes:
    """PNG map of one boundary view (``"national"`` or a province code ``"81"``).

    Raises ``cakupan.core.errors.GeoUnavailable`` (through ``geo``) when boundaries cannot be had.
    """
    from cakupan import geo

    return map_frame_png(geo.load_view(view), values, metric=metric, lang=lang, width=width,
                         height=height, title=title,
                         attribution=geo.byo.attribution(lang, view),
                         text_scale=text_scale)


def map_frame_png(frame: gpd.GeoDataFrame, values: pd.DataFrame, *, metric: str = "status",
                  lang: str = "id", width: int = 1920, height: int = 1080,
                  title: str | None = None, attribution: str | None = None,
                  text_scale: float = 1.0) -> bytes:
    """:func:`map_png` for boundaries already in hand (tests, or a caller with its own view)."""
    return _png(lambda ax: draw_map(ax, frame, values, metric=metric, lang=lang,
                                    height=round(height * text_scale), attribution=attribution),
                width, height, title, rect=(0.02, 0.06, 0.66, 0.82))


# ---------------------------------------------------------------------------------- trend

def _month_date(period: str) -> date:
    year, month = period.split("-")
    return date(int(year), int(month), 1)


def draw_trend(ax: Axes, points: pd.DataFrame, *, lang: str = "id", unit: str = "pct",
               height: int = 1080, breaks: Sequence[tuple[str, str, bool]] = ()) -> None:
    """Draw a series with its projection and target path.

    Parameters
    ----------
    points
        ``period`` ("YYYY-MM"), ``value``, ``line`` ("actual" | "projection" | "target") and
        ``illustrative`` (bool; illustrative data points are drawn hollow and named so).
    unit
        ``"pct"`` (coverage %) or ``"people"``; sets the axis label and tick format.
    """
    fmt_value: Callable[[float], str] = (
        (lambda v: pct_label(v, lang)) if unit == "pct" else (lambda v: fmt.number(v, lang)))
    size = px(26, height)
    handles = []
    actual = points[points["line"] == "actual"]
    if len(actual):
        x = [_month_date(p) for p in actual["period"]]
        # one line per stretch between boundary splits: never a line across a change of area
        periods = list(actual["period"])
        cuts = [0, *[i for i in range(1, len(periods)) for month, _n, split in breaks
                     if split and periods[i - 1] < month <= periods[i]], len(periods)]
        for lo, hi in pairwise(cuts):
            ax.plot(x[lo:hi], actual["value"].iloc[lo:hi], color=INK, linewidth=3, zorder=3)
        illus = actual["illustrative"].astype(bool).to_numpy()
        xs = np.array(x, dtype=object)
        # dense monthly series get small markers: 96 big rings would read as one thick rope
        mark = 12 if len(actual) <= 24 else 6
        if (~illus).any():
            ax.plot(xs[~illus], actual["value"].to_numpy()[~illus], "o", color=INK,
                    markersize=mark, zorder=4)
            handles.append(Line2D([], [], color=INK, marker="o", markersize=12, linewidth=3,
                                  label=text("chart.actual", lang)))
        if illus.any():
            ax.plot(xs[illus], actual["value"].to_numpy()[illus], "o", color=INK,
                    markerfacecolor="white", markersize=mark,
                    markeredgewidth=2.5 if mark > 6 else 1.2, zorder=4)
            handles.append(Line2D([], [], color=INK, marker="o", markerfacecolor="white",
                                  markersize=12, linewidth=3,
                                  label=text("chart.actual_illustrative", lang)))
        last = actual.iloc[-1]
        ax.annotate(fmt_value(float(last["value"])), xy=(x[-1], last["value"]),
                    xytext=(0, 14), textcoords="offset points", ha="center", va="bottom",
                    fontsize=size, color=INK, fontweight="bold", path_effects=_halo(4))
    projection = points[points["line"] == "projection"]
    if len(projection):
        ax.plot([_month_date(p) for p in projection["period"]], projection["value"],
                color=palette.STATUS_COLORS["partial"], linewidth=3, linestyle="--", zorder=2)
        handles.append(Line2D([], [], color=palette.STATUS_COLORS["partial"], linewidth=3,
                              linestyle="--", label=text("chart.projection", lang)))
    target = points[points["line"] == "target"]
    if len(target):
        ax.plot([_month_date(p) for p in target["period"]], target["value"], color=MUTED,
                linewidth=3, linestyle=":", zorder=1)
        end = target.iloc[-1]
        ax.annotate(text("chart.target_point", lang, value=fmt_value(float(end["value"]))),
                    xy=(_month_date(end["period"]), end["value"]), xytext=(0, 14),
                    textcoords="offset points", ha="right", va="bottom", fontsize=size,
                    color=INK, path_effects=_halo(4))
        handles.append(Line2D([], [], color=MUTED, linewidth=3, linestyle=":",
                              label=i18n.t("legend.target_path", lang)))
    if points.empty:
        ax.text(0.5, 0.5, i18n.t("status.no_data", lang), transform=ax.transAxes, ha="center",
                fontsize=size, color=MUTED)
        ax.set_axis_off()
        return
    for n, (month, note, _split) in enumerate(breaks):
        ax.axvline(_month_date(month), color=MUTED, linewidth=2, linestyle="--", zorder=1)
        ax.text(mdates.date2num(_month_date(month)), 0.97 - 0.1 * n, " " + note,
                transform=ax.get_xaxis_transform(),
                ha="left", va="top", fontsize=px(22, height), color=INK, wrap=True,
                bbox=_LABEL_BOX, zorder=6)  # over the line: the note is read first
    _month_ticks(ax, sorted(set(points["period"])), lang, size)
    values = points["value"].astype(float)
    top = float(values.max()) if len(values) else 1.0
    ax.set_ylim(0, max(top * 1.15, 1.0) if unit != "pct" else min(100.0, max(top * 1.2, 10.0)))
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _p: fmt_value(v)))
    ax.tick_params(labelsize=size, colors=INK)
    ax.set_ylabel(i18n.t("chart.axis.coverage", lang) if unit == "pct"
                  else text("chart.registered", lang),
                  fontsize=size, color=INK)
    ax.grid(axis="y", color="#d9dde2", linewidth=1)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if handles:
        ax.legend(handles=handles, loc="upper left", frameon=False, fontsize=size,
                  labelcolor=INK)


def _month_ticks(ax: Axes, periods: list[str], lang: str, size: float) -> None:
    """At most six month ticks, labelled in the language ("Des 2024")."""
    if not periods:
        return
    step = max(1, int(np.ceil(len(periods) / 6)))
    shown = periods[::step]
    if periods[-1] not in shown:
        # The last month always gets a tick; it replaces a neighbour too close to it.
        if len(periods) - 1 - periods.index(shown[-1]) < step * 0.6:
            shown.pop()
        shown.append(periods[-1])
    ax.set_xticks([_month_date(p) for p in shown], [fmt.month(p, lang) for p in shown])
    if len(periods) == 1:
        only = _month_date(periods[0])
        ax.set_xlim(date(only.year - 1 if only.month == 1 else only.year,
                         12 if only.month == 1 else only.month - 1, 1),
                    date(only.year + (only.month == 12), only.month % 12 + 1, 1))


def trend_png(points: pd.DataFrame, *, lang: str = "id", unit: str = "pct", width: int = 1920,
              height: int = 1080, title: str | None = None, text_scale: float = 1.0) -> bytes:
    """PNG of :func:`draw_trend`, exactly ``width`` x ``height`` pixels."""
    return _png(lambda ax: draw_trend(ax, points, lang=lang, unit=unit,
                                      height=round(height * text_scale)),
                width, height, title, rect=(0.1, 0.12, 0.86, 0.74))


# -------------------------------------------------------------------------------- ranking

def draw_ranking(ax: Axes, rows: pd.DataFrame, *, lang: str = "id", height: int = 1080,
                 target_pct: float | None = None) -> None:
    """Horizontal bars of coverage %, furthest behind on top, each with its value in words.

    ``rows``: ``name``, ``coverage_pct`` (None for unknown), ``status``.
    """
    size = px(26, height)
    if rows.empty:
        ax.text(0.5, 0.5, i18n.t("status.no_data", lang), transform=ax.transAxes, ha="center",
                fontsize=size, color=MUTED)
        ax.set_axis_off()
        return
    y = np.arange(len(rows))[::-1]
    pct = rows["coverage_pct"].astype(float).fillna(0.0).to_numpy()
    for yi, value, status in zip(y, pct, rows["status"], strict=True):
        ax.barh(yi, value, color=_status_colour(status), hatch=HATCH.get(status, ""),
                edgecolor=INK, linewidth=1, height=0.7)
        label = pct_label(value, lang)
        if status == "unregistered":
            label = f"{label} — {text('chart.unregistered_bar', lang)}"
        ax.annotate(label, xy=(value, yi), xytext=(8, 0), textcoords="offset points",
                    va="center", fontsize=size, color=INK)
    names = [str(n).removeprefix("Kabupaten ").removeprefix("Kota ") for n in rows["name"]]
    ax.set_yticks(y, names)
    right = max(100.0 if (pct > 60).any() else 60.0, float(target_pct or 0) + 10)
    ax.set_xlim(0, right)
    if target_pct is not None:
        ax.axvline(target_pct, color=MUTED, linestyle=":", linewidth=3)
        ax.annotate(text("chart.target_point", lang, value=pct_label(target_pct, lang)),
                    xy=(target_pct, 1.0), xycoords=("data", "axes fraction"), xytext=(-6, -2),
                    textcoords="offset points", va="top", ha="right", fontsize=size,
                    color=INK)
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(
        lambda v, _p: pct_label(v, lang)))
    ax.tick_params(labelsize=size, colors=INK)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def ranking_png(rows: pd.DataFrame, *, lang: str = "id", width: int = 1920, height: int = 1080,
                target_pct: float | None = None, title: str | None = None,
                text_scale: float = 1.0) -> bytes:
    """PNG of :func:`draw_ranking`, exactly ``width`` x ``height`` pixels."""
    return _png(lambda ax: draw_ranking(ax, rows, lang=lang, height=round(height * text_scale),
                                        target_pct=target_pct),
                width, height, title, rect=(0.3, 0.1, 0.62, 0.78))


# ---------------------------------------------------------------------------- shared bits

def _png(draw: Callable[[Axes], object], width: int, height: int, title: str | None,
         rect: tuple[float, float, float, float]) -> bytes:
    fig = new_figure(width, height)
    if title:
        fig.text(0.02, 0.97, title, ha="left", va="top", fontsize=px(44, height), color=INK,
                 fontweight="bold")
    else:
        left, bottom, w, h = rect
        rect = (left, bottom, w, min(h + 0.08, 0.96 - bottom))
    draw(fig.add_axes(rect))
    return to_png(fig)


# ------------------------------------------------------------------ big number and need

#: Light band of the gauge: where coverage could still go.
_BAND = "#e4e7eb"


def draw_gauge(ax: Axes, data: pd.DataFrame, *, lang: str = "id", height: int = 1080,
               unit: str = "pct", target_pct: float | None = None) -> None:
    """One big number (coverage %, or people) over a bar from 0 to 100 % with the target.

    A room reads the number first and the bar second: how far along, where the goal is, and
    the distance between them named in points on the bar (not left to colour).
    ``data``: one row, ``value`` and optionally ``caption`` (words under the number, e.g.
    "393.475 dari 973.898 pekerja").
    """
    ax.set_axis_off()
    ax.set_xlim(0, 100)
    ax.set_ylim(0, 1)
    row = data.iloc[0] if len(data) else pd.Series(dtype=object)
    value = row.get("value")
    known = value is not None and not pd.isna(value)
    big = (exact_pct(float(value), lang) if unit == "pct" else fmt.number(float(value), lang)
           ) if known else i18n.t("status.no_data", lang)
    ax.text(0, 0.98, big, ha="left", va="top", fontsize=px(150, height), fontweight="bold",
            color=INK)
    caption = row.get("caption")
    if isinstance(caption, str) and caption:
        ax.text(0, 0.60, caption, ha="left", va="top", fontsize=px(34, height), color=MUTED)
    if unit != "pct" or not known:
        return
    pct = max(0.0, min(100.0, float(value)))
    ax.barh(0.22, 100, height=0.16, color=_BAND, edgecolor=INK, linewidth=1)
    ax.barh(0.22, pct, height=0.16, color=palette.PRIMARY, edgecolor=INK, linewidth=1)
    size = px(30, height)
    for tick in (0, 50, 100):
        ax.text(tick, 0.10, pct_label(tick, lang), ha="center" if 0 < tick < 100 else (
            "left" if tick == 0 else "right"), va="top", fontsize=size, color=MUTED)
    if target_pct is not None:
        goal = max(0.0, min(100.0, float(target_pct)))
        ax.plot([goal, goal], [0.10, 0.34], color=palette.TARGET, linewidth=4)
        ax.text(goal, 0.37, text("chart.target_point", lang, value=pct_label(goal, lang)),
                ha="center", va="bottom", fontsize=size, color=INK, fontweight="bold")
        gap = goal - pct
        if gap > 0.05:  # the distance, named inside the band it spans (or under it if narrow)
            label = ax.text((pct + goal) / 2, 0.22, fmt.points(gap, lang), ha="center",
                            va="center", fontsize=size, color=INK, path_effects=_halo(4))
            renderer = ax.get_figure(root=True).canvas.get_renderer()
            span = abs(ax.transData.transform((goal, 0))[0] - ax.transData.transform((pct, 0))[0])
            if label.get_window_extent(renderer).width > span * 0.9:
                label.set_position(((pct + goal) / 2, -0.04))
                label.set_va("top")


def draw_need(ax: Axes, data: pd.DataFrame, *, lang: str = "id", height: int = 1080) -> None:
    """What it takes, as one bar: people protected now, and the people still needed.

    ``data``: one row, ``registered`` and ``gap`` (people), ``big`` (the number the slide is
    about, already in words: "142.169 orang" or "Rp21,2 miliar/tahun") and ``caption``.
    """
    ax.set_axis_off()
    row = data.iloc[0]
    ax.text(0, 0.98, str(row["big"]), ha="left", va="top", fontsize=px(120, height),
            fontweight="bold", color=INK, transform=ax.transAxes)
    caption = row.get("caption")
    if isinstance(caption, str) and caption:
        ax.text(0, 0.62, caption, ha="left", va="top", fontsize=px(34, height), color=MUTED,
                transform=ax.transAxes)
    known = maps.is_present(row.get("registered"))  # unknown is not drawn as zero
    registered, gap = (float(row["registered"]) if known else 0.0), float(row.get("gap") or 0)
    total = registered + gap
    if total <= 0:
        return
    ax.set_xlim(0, total)
    ax.set_ylim(0, 1)
    if known:
        ax.barh(0.22, registered, height=0.16, color=palette.PRIMARY, edgecolor=INK,
                linewidth=1)
    ax.barh(0.22, gap, left=registered, height=0.16, color="white", hatch="///",
            edgecolor=INK, linewidth=1)
    size = px(30, height)
    if known:
        ax.text(0, 0.10, text("chart.need_now", lang, people=fmt.number(registered, lang)),
                ha="left", va="top", fontsize=size, color=INK)
    ax.text(total, 0.10, text("chart.need_more", lang, people=fmt.number(gap, lang)),
            ha="right", va="top", fontsize=size, color=INK, fontweight="bold")


# ------------------------------------------------------------------------- slide figures

#: Where each kind of picture puts its axes, as a fraction of the picture (left, bottom, w, h).
_RECTS: dict[str, tuple[float, float, float, float]] = {
    "map": (0.02, 0.06, 0.66, 0.82), "trend": (0.1, 0.12, 0.86, 0.74),
    "ranking": (0.3, 0.1, 0.62, 0.78), "gauge": (0.03, 0.06, 0.92, 0.82),
    "need": (0.03, 0.06, 0.92, 0.82), "village_map": (0.02, 0.06, 0.66, 0.82)}


def _spec_drawing(spec: FigureSpec, lang: str, text_height: int) -> Callable[[Axes], object]:
    if spec.kind == "map":
        from cakupan import geo

        frame = geo.load_view(spec.view or "national")
        return lambda ax: draw_map(ax, frame, spec.data, metric=spec.metric, lang=lang,
                                   height=text_height,
                                   attribution=geo.byo.attribution(lang, spec.view or "national"),
                                   highlight=spec.highlight)
    if spec.kind == "village_map":  # one regency's villages (cakupan.briefing.village_slide)
        from cakupan import geo
        from cakupan.geo import villages

        frame = villages.load_village_shapes(str(spec.view))
        return lambda ax: draw_map(ax, frame, spec.data, lang=lang, height=text_height,
                                   labels=False, attribution=geo.ATTRIBUTION)
    if spec.kind == "trend":
        return lambda ax: draw_trend(ax, spec.data, lang=lang, unit=spec.unit,
                                     height=text_height, breaks=spec.breaks)
    if spec.kind == "ranking":
        return lambda ax: draw_ranking(ax, spec.data, lang=lang, height=text_height,
                                       target_pct=spec.target_pct)
    if spec.kind == "gauge":
        return lambda ax: draw_gauge(ax, spec.data, lang=lang, height=text_height,
                                     unit=spec.unit, target_pct=spec.target_pct)
    if spec.kind == "need":
        return lambda ax: draw_need(ax, spec.data, lang=lang, height=text_height)
    raise ValueError(f"unknown figure kind {spec.kind!r}; expected one of {', '.join(_RECTS)}")


def draw_spec(container: Figure | SubFigure, spec: FigureSpec, *, lang: str,
              text_height: int) -> None:
    """Draw a slide's figure into a figure, or into a part of a page (a ``SubFigure``: the PDF
    draws it there as vectors, so its words stay text a reader can search and copy).

    ``text_height`` is the height in pixels at :data:`DPI` that type sizes are relative to
    (times the text scale of a picture placed small).
    """
    draw = _spec_drawing(spec, lang, text_height)
    left, bottom, w, h = _RECTS[spec.kind]
    draw(container.add_axes((left, bottom, w, min(h + 0.08, 0.96 - bottom))))


def spec_png(spec: FigureSpec, *, lang: str, width: int = 1920, height: int = 1080,
             title: str | None = None, text_scale: float = 1.0) -> bytes:
    """PNG of a slide's figure (the picture placed in the PPTX, shown on the page)."""
    size = dict(lang=lang, width=width, height=height, title=title, text_scale=text_scale)
    if title:
        if spec.kind == "map":
            return map_png(spec.view or "national", spec.data, metric=spec.metric, **size)
        if spec.kind == "trend":
            return trend_png(spec.data, unit=spec.unit, **size)
        if spec.kind == "ranking":
            return ranking_png(spec.data, target_pct=spec.target_pct, **size)
    fig = new_figure(width, height)
    draw_spec(fig, spec, lang=lang, text_height=round(height * text_scale))
    return to_png(fig)
