"""Colours that stay readable for colour-blind viewers and on a washed-out projector.

* **Status** (categorical) uses the Okabe-Ito palette (Okabe & Ito, "Color Universal
  Design", 2008), designed to stay distinguishable under the common colour-vision
  deficiencies: registered = bluish green, partial = orange, not registered = vermillion,
  no data = light grey. Colour is never the only carrier: every status also has a symbol,
  a bar pattern and, where space allows, its name.
* **Coverage %** (sequential) is viridis, sampled in steps (not a continuous ramp) so a
  legend can name each bin and the 55% target is a visible break. Lighter = less covered,
  darker = more, as readers of choropleths expect. Viridis is perceptually uniform, reads
  in greyscale and contains no grey, so "no data" (grey) cannot be mistaken for a value.
* **Series** colours for lines (regions compared on a trend chart) keep at least 3:1
  contrast on white (WCAG 2.1, 1.4.11 non-text contrast), which rules out Okabe-Ito's
  yellow, sky blue and orange for thin lines.

Colours are hex strings for plotly and ``(r, g, b)`` tuples for pydeck (which also accepts
``[r, g, b, a]``; see :func:`rgba`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import pairwise

from cakupan.core.i18n import status_label, t
from cakupan.present import fmt

RGB = tuple[int, int, int]
Colour = str | Sequence[int]

WHITE = "#FFFFFF"
BLACK = "#000000"
#: Body text: near-black reads softer than pure black and still gives 17:1 on white.
TEXT = "#1A1A1A"
#: Accent for buttons and links (Okabe-Ito blue): 5.2:1 against white text.
PRIMARY = "#0072B2"
#: Page background, and the sidebar's (Streamlit's secondaryBackgroundColor): the app's chrome
#: (sidebar, widgets) sits on this light grey, so its colours are checked against it.
BACKGROUND = WHITE
SIDEBAR_BACKGROUND = "#F2F4F7"
#: Accent inside the sidebar (``[theme.sidebar] primaryColor``): a darker Okabe-Ito blue. A
#: selected segmented-control button draws its label in the accent on a 10 % tint of it (20 %
#: on hover or focus) over the grey: #0072B2 gave 4.1:1 there, this gives 5.8:1 (4.9:1 on
#: hover). It also draws the focus ring of the page links.
SIDEBAR_PRIMARY = "#005A8C"
#: Captions (``st.caption``): Streamlit draws them in the text colour at 60 % opacity, 4.4:1 on
#: the sidebar grey; a solid grey instead, 5.6:1 there and 6.2:1 on white.
CAPTION = "#616161"
#: Background of the current page's link in the sidebar (its label is TEXT, bold): a shade
#: darker than the sidebar, like Streamlit's own current-page link.
CURRENT_PAGE = "#E1E5EB"
#: Stripes on illustrative bars: darker than PRIMARY, so white labels stay readable on them.
HATCH = "#00304D"
#: Target lines and reference marks.
TARGET = "#1A1A1A"
#: Region outlines on maps: visible against every fill without competing with them.
OUTLINE = "#FFFFFF"

#: Order in which statuses appear in legends, and their codes for a stepped colour scale.
STATUS_ORDER: tuple[str, ...] = ("registered", "partial", "unregistered", "no_data")


class _Fill:
    """A fill colour (``hex``) with its RGB triple and a readable text colour on it."""

    hex: str

    @property
    def rgb(self) -> RGB:
        return rgb(self.hex)

    @property
    def text(self) -> str:
        """Text colour for labels drawn on this fill."""
        return text_on(self.hex)


@dataclass(frozen=True)
class StatusStyle(_Fill):
    """How one status looks: fill colour, a symbol for text and tooltips, and a plotly
    bar pattern (``marker.pattern.shape``) for charts printed in black and white."""

    status: str
    hex: str
    symbol: str
    pattern: str


STATUS: dict[str, StatusStyle] = {
    "registered": StatusStyle("registered", "#009E73", "✓", ""),
    "partial": StatusStyle("partial", "#E69F00", "◐", "/"),
    "unregistered": StatusStyle("unregistered", "#D55E00", "✗", "x"),
    "no_data": StatusStyle("no_data", "#D9D9D9", "–", "."),
}

#: Line colours for several regions on one chart, in order of use (all >= 3:1 on white).
SERIES: tuple[str, ...] = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#7A5C00")
#: Projection lines: a neutral dark grey, dotted, so it never passes for a region's data.
PROJECTION = "#555555"

#: Bin edges of coverage % in legends: the 55% target is an edge.
COVERAGE_EDGES: tuple[float, ...] = (0, 20, 40, 55, 70, 90, 100)
COVERAGE_TARGET = 55.0


#: ``{status: hex}``, for plotly's ``color_discrete_map`` and matplotlib.
STATUS_COLORS: dict[str, str] = {code: style.hex for code, style in STATUS.items()}


def rgb(colour: Colour) -> RGB:
    """``"#0072B2"`` -> ``(0, 114, 178)``; tuples pass through."""
    if isinstance(colour, str):
        value = colour.lstrip("#")
        if len(value) == 3:
            value = "".join(c * 2 for c in value)
        if len(value) != 6:
            raise ValueError(f"colour {colour!r} is not #RRGGBB")
        return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))
    r, g, b = (int(c) for c in list(colour)[:3])
    return (r, g, b)


def rgba(colour: Colour, alpha: int = 255) -> list[int]:
    """A pydeck colour ``[r, g, b, a]``."""
    return [*rgb(colour), alpha]


def hex_colour(colour: Colour) -> str:
    """``(0, 114, 178)`` -> ``"#0072B2"``."""
    return "#{:02X}{:02X}{:02X}".format(*rgb(colour))


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: Colour) -> float:
    """WCAG 2.1 relative luminance, 0 (black) to 1 (white)."""
    r, g, b = (_linear(c) for c in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(fg: Colour, bg: Colour) -> float:
    """WCAG 2.1 contrast ratio, 1 to 21; body text needs 4.5, large text and graphics 3.

    >>> round(contrast_ratio("#000000", "#FFFFFF"), 1)
    21.0
    """
    hi, lo = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def text_on(colour: Colour, candidates: Iterable[str] = (BLACK, WHITE)) -> str:
    """The candidate text colour with the highest contrast on ``colour``."""
    return max(candidates, key=lambda c: contrast_ratio(c, colour))


def status_style(status: str) -> StatusStyle:
    """Style of a status code; unknown codes look like ``no_data``."""
    return STATUS.get(status, STATUS["no_data"])


def stepped_colorscale(colours: Sequence[str]) -> list[list[float | str]]:
    """A plotly colour scale with hard steps, one per colour, for values 0..n-1.

    One choropleth trace with a numeric code and this scale avoids plotly's one-trace-per-
    category copies of the geometry (NOTES-maps.md). Use ``zmin=-0.5, zmax=n-0.5``.
    """
    n = len(colours)
    scale: list[list[float | str]] = []
    for i, colour in enumerate(colours):
        scale.append([i / n, colour])
        scale.append([(i + 1) / n, colour])
    return scale


def status_colorscale() -> list[list[float | str]]:
    """Stepped scale for status codes numbered by :data:`STATUS_ORDER`."""
    return stepped_colorscale([STATUS[s].hex for s in STATUS_ORDER])


@dataclass(frozen=True)
class Bin(_Fill):
    """One step of the coverage legend: ``low <= value < high`` (the last bin includes
    its upper edge)."""

    low: float
    high: float
    hex: str
    label: str

    def __iter__(self) -> Iterator[float | str]:
        """Unpacks as ``(low, high, hex)`` for code that only needs edges and colour:
        ``for low, high, colour in coverage_bins(): ...``."""
        return iter((self.low, self.high, self.hex))


def _viridis(n: int) -> list[str]:
    """``n`` viridis colours from light (yellow) to dark (purple)."""
    from plotly.colors import sample_colorscale

    positions = [1 - i / (n - 1) for i in range(n)] if n > 1 else [0.5]
    return [hex_colour(_parse_plotly_rgb(c)) for c in sample_colorscale("Viridis", positions)]


def _parse_plotly_rgb(text: str) -> RGB:
    r, g, b = (round(float(v)) for v in text[text.index("(") + 1:text.index(")")].split(","))
    return (r, g, b)


def coverage_bins(lang: str = "id", edges: Sequence[float] = COVERAGE_EDGES) -> list[Bin]:
    """The steps of the coverage scale with legend labels in %: "0–20%", ..., "90–100%".

    Parameters
    ----------
    edges
        Increasing bin edges in per cent; put the target among them so it is a break.
    """
    if len(edges) < 2 or any(b <= a for a, b in pairwise(edges)):
        raise ValueError(f"edges must increase; got {list(edges)}")
    colours = _viridis(len(edges) - 1)
    bins = []
    for (low, high), colour in zip(pairwise(edges), colours, strict=True):
        label = f"{_edge(low, lang)}–{fmt.pct(high, lang, digits=_digits(high))}"
        bins.append(Bin(float(low), float(high), colour, label))
    return bins


def _digits(x: float) -> int:
    return 0 if float(x).is_integer() else 1


def _edge(x: float, lang: str) -> str:
    return fmt.number(x, lang, digits=_digits(x))


def coverage_bin(value: float | None, bins: Sequence[Bin]) -> int | None:
    """Index of the bin holding ``value`` (values outside are clamped), ``None`` if missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    for i, b in enumerate(bins):
        if value < b.high:
            return i
    return len(bins) - 1


def coverage_colour(value: float | None, bins: Sequence[Bin] | None = None) -> str:
    """Fill colour of a coverage %; grey ("no data") when missing."""
    bins = bins or coverage_bins()
    index = coverage_bin(value, bins)
    return STATUS["no_data"].hex if index is None else bins[index].hex


def coverage_colorscale(bins: Sequence[Bin]) -> list[list[float | str]]:
    """A stepped plotly scale over 0..100 whose breaks sit at the bin edges (so a colour
    bar shows the uneven 40–55 step truthfully). Use ``zmin=bins[0].low, zmax=bins[-1].high``."""
    lo, hi = bins[0].low, bins[-1].high
    scale: list[list[float | str]] = []
    for b in bins:
        scale.append([(b.low - lo) / (hi - lo), b.hex])
        scale.append([(b.high - lo) / (hi - lo), b.hex])
    return scale


def status_legend(lang: str = "id") -> list[tuple[str, str, str]]:
    """``[(symbol + name, hex, text colour), ...]`` in legend order, for a legend that
    names every colour."""
    return [(f"{STATUS[s].symbol} {status_label(s, lang)}", STATUS[s].hex, STATUS[s].text)
            for s in STATUS_ORDER]


def coverage_legend_title(lang: str = "id", target: float = COVERAGE_TARGET) -> str:
    """Legend heading that names the target break."""
    return (f"{t('legend.coverage', lang)} · "
            f"{t('legend.target', lang, target=fmt.pct(target, lang, digits=_digits(target)))}")


#: The gap to a target's path (``metric=gap``), best first, then "no path" grey. Okabe-Ito
#: blue and sky blue for on track and a little behind, orange and vermillion for further
#: behind: apart under the common colour-vision deficiencies, and every legend entry and
#: tooltip also names its bin in words.
GAP_COLOURS: dict[str, str] = {
    "on_track": "#0072B2", "behind_lt5": "#56B4E9", "behind_5_10": "#E69F00",
    "behind_gt10": "#D55E00", "no_data": STATUS["no_data"].hex,
}


def ucj_colours() -> dict[str, str]:
    """UCJ categories (sangat rendah -> tinggi) as four viridis steps, light = low, like the
    coverage scale, then the "no data" grey."""
    steps = _viridis(4)
    return {**dict(zip(("sangat_rendah", "rendah", "sedang", "tinggi"), steps, strict=True)),
            "no_data": STATUS["no_data"].hex}
