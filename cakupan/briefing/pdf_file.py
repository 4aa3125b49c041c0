"""The briefing deck as PDF: one 16:9 page per slide, laid out like the PPTX.

matplotlib's PDF backend is used rather than reportlab: it is already a dependency (for the
pictures), it draws the pictures as vectors in their boxes (the same drawing code as the
PPTX's pictures), and it writes real, searchable text (TrueType fonts, ``pdf.fonttype`` 42).
Pages reuse the boxes and font sizes of :data:`cakupan.briefing.pptx_file.LAYOUT`, so the two
files look alike.

Creation dates are left out, so equal decks give equal files (the command line and the app's
button agree byte for byte).
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from cakupan.briefing.model import Deck, Slide
from cakupan.briefing.pptx_file import (
    FIGURE_TEXT_SCALE,
    LAYOUT,
    Box,
    SlideLayout,
    fit_bullets,
    fit_headline,
    running_head,
    sources_line,
)
from cakupan.present import static, text_fit
from cakupan.present.deck_text import text

INK = "#1f2933"
MUTED = "#52606d"
BADGE_FILL = "#e69f00"


def _x(box: Box, layout: SlideLayout, right: bool = False) -> float:
    return (box.left + (box.width if right else 0)) / layout.width


def _y(inches_from_top: float, layout: SlideLayout) -> float:
    return 1 - inches_from_top / layout.height


def _lines(fig: Figure, box: Box, lines: list[str], size: float, layout: SlideLayout, *,
           top: float | None = None, bold: bool = False, colour: str = INK,
           gaps: list[int] | None = None) -> None:
    """Draw lines down from ``top`` (default: the box's top); ``gaps`` lists the line
    indexes before which a paragraph gap (``layout.bullet_gap`` lines) is added."""
    step = size * layout.line_spacing / 72.0  # inches per line
    y = box.top if top is None else top
    for i, line in enumerate(lines):
        if gaps and i in gaps:
            y += step * layout.bullet_gap
        fig.text(_x(box, layout), _y(y, layout), line, fontsize=size,
                 fontweight="bold" if bold else "normal", color=colour, va="top", ha="left",
                 family=text_fit.FONT)
        y += step


def _figure(fig: Figure, slide: Slide, lang: str, layout: SlideLayout) -> None:
    """The slide's picture drawn as vectors in its box: the same drawing as the PPTX's
    picture, at the same type size, but its names, numbers and legend stay text (searchable,
    sharp on any projector, and checkable: tests read their boxes with ``pdftotext``)."""
    box = layout.figure
    part = fig.add_subfigure(fig.add_gridspec(1, 1)[0])
    part.bbox_relative.p0 = (box.left / layout.width, _y(box.top + box.height, layout))
    part.bbox_relative.p1 = ((box.left + box.width) / layout.width, _y(box.top, layout))
    part.set_facecolor("none")
    static.draw_spec(part, slide.figure, lang=lang,
                     text_height=round(box.height * static.DPI * FIGURE_TEXT_SCALE))


def _page(deck: Deck, slide: Slide, index: int, layout: SlideLayout) -> Figure:
    fig = Figure(figsize=(layout.width, layout.height), dpi=layout.figure_ppi,
                 facecolor="white")
    FigureCanvasAgg(fig)
    _lines(fig, layout.title, [running_head(deck, slide, layout)], layout.title_pt, layout,
           colour=MUTED)
    fig.text(_x(layout.number, layout, right=True), _y(layout.number.top, layout),
             text("slide.of", deck.lang, i=index + 1, n=len(deck.slides)),
             fontsize=layout.title_pt, color=MUTED, ha="right", va="top", family=text_fit.FONT)

    size, lines = fit_headline(slide, layout)
    box = layout.headline
    used = len(lines) * size * layout.line_spacing / 72.0
    _lines(fig, box, lines, size, layout, top=box.top + max(0.0, (box.height - used) / 2),
           bold=True)

    size, wrapped = fit_bullets(slide, layout)
    flat = [line for para in wrapped for line in para]
    gaps = [sum(len(p) for p in wrapped[:i]) for i in range(1, len(wrapped))]
    if slide.figure is not None:
        _lines(fig, layout.bullets_side, flat, size, layout, gaps=gaps)
        _figure(fig, slide, deck.lang, layout)
    else:
        _lines(fig, layout.bullets_wide, flat, size, layout, gaps=gaps)

    box = layout.sources
    source_lines = text_fit.wrap_text(sources_line(slide, deck.lang), box.width,
                                    layout.sources_pt)
    step = layout.sources_pt * layout.line_spacing / 72.0
    _lines(fig, box, source_lines, layout.sources_pt, layout,
           top=box.top + box.height - step * len(source_lines), colour=MUTED)
    if slide.illustrative:
        badge = layout.badge
        fig.text(_x(badge, layout) + badge.width / layout.width / 2,
                 _y(badge.top + badge.height / 2, layout), text("illustrative", deck.lang),
                 fontsize=layout.badge_pt, fontweight="bold", color="black", ha="center",
                 va="center", family=text_fit.FONT,
                 bbox=dict(boxstyle="square,pad=0.4", facecolor=BADGE_FILL, edgecolor="none"))
    return fig


def deck_to_pdf(deck: Deck, layout: SlideLayout = LAYOUT) -> bytes:
    """The deck as PDF bytes: one page of ``layout.width`` x ``layout.height`` inches per slide."""
    buffer = io.BytesIO()
    metadata = {"Title": deck.title, "Author": "Cakupan", "Creator": "Cakupan",
                "CreationDate": None, "ModDate": None}
    with matplotlib.rc_context({"pdf.fonttype": 42, "pdf.compression": 6}), \
            PdfPages(buffer, metadata=metadata) as pdf:
        for i, slide in enumerate(deck.slides):
            pdf.savefig(_page(deck, slide, i, layout))
    return buffer.getvalue()
