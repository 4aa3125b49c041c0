"""The briefing deck as a PowerPoint file (16:9) that staff can edit before the meeting.

Every word is an editable text box (title placeholder, headline, bullets, sources); only maps
and charts are pictures, rendered by :mod:`cakupan.present.static` at the size they are shown. Fonts
are big enough for the back of a room: 1 pt on a 13.33-inch slide is 2 px on a 1920 px
projector, so a 28-36 pt headline is 56-72 px and 16-24 pt bullets are 32-48 px.

The file is byte-for-byte reproducible (fixed zip timestamps and document dates), so the
command line and the app's button give the same file for the same data.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from cakupan.briefing.model import Deck, Slide
from cakupan.present import static
from cakupan.present.deck_text import text
from cakupan.present.text_fit import fit_text, text_width_pt


@dataclass(frozen=True)
class Box:
    """A rectangle on the slide, in inches from the top-left corner."""

    left: float
    top: float
    width: float
    height: float


@dataclass(frozen=True)
class SlideLayout:
    """Where things go on a 16:9 slide, and how big the type is; the PDF uses the same.

    Text sizes are ranges: the largest size at which a box's text fits is used (measured
    with :func:`cakupan.text_fit.fit_text`), never below the minimum, which keeps body text at
    16 pt = 32 px on a 1920 px projector.
    """

    width: float = 40 / 3  # 13.33 in: 16:9 with the 7.5 in height, exactly (12,192,000 EMU)
    height: float = 7.5
    title: Box = Box(0.5, 0.25, 6.4, 0.5)
    badge: Box = Box(7.05, 0.2, 4.25, 0.5)
    number: Box = Box(11.4, 0.25, 1.43, 0.5)
    headline: Box = Box(0.5, 0.85, 12.33, 1.55)
    bullets_wide: Box = Box(0.5, 2.55, 12.33, 4.0)
    bullets_side: Box = Box(0.5, 2.55, 4.1, 4.0)
    figure: Box = Box(4.8, 2.45, 8.03, 4.2)
    sources: Box = Box(0.5, 6.75, 12.33, 0.6)
    title_pt: float = 18
    headline_pt: tuple[float, float] = (36, 28)
    bullet_pt: tuple[float, float] = (24, 16)
    sources_pt: float = 12
    badge_pt: float = 14
    line_spacing: float = 1.2
    #: Space between bullets, in lines.
    bullet_gap: float = 0.4
    #: Pixels per inch of the pictures: 1.5 x the 144 px/inch of a 1920 px projector.
    figure_ppi: int = 216


LAYOUT = SlideLayout()
INK = RGBColor(0x1F, 0x29, 0x33)  # 14:1 on white
MUTED = RGBColor(0x52, 0x60, 0x6D)  # 6.4:1 on white
BADGE_FILL = RGBColor(0xE6, 0x9F, 0x00)  # Okabe-Ito orange; black text on it is 9.6:1
BLACK = RGBColor(0, 0, 0)
#: Text scale of the pictures: their legends must stay legible at the size they are placed.
FIGURE_TEXT_SCALE = 1.8


def figure_png(slide: Slide, lang: str, layout: SlideLayout = LAYOUT) -> bytes | None:
    """The slide's picture at the size it occupies (shared with the PDF export)."""
    if slide.figure is None:
        return None
    box = layout.figure
    return static.spec_png(slide.figure, lang=lang, width=round(box.width * layout.figure_ppi),
                           height=round(box.height * layout.figure_ppi),
                           text_scale=FIGURE_TEXT_SCALE)


def sources_line(slide: Slide, lang: str) -> str:
    """"Sumber: A; B" as printed at the foot of a slide."""
    if not slide.sources:
        return text("no_sources", lang)
    return text("sources", lang, list="; ".join(slide.sources))


def fit_headline(slide: Slide, layout: SlideLayout = LAYOUT) -> tuple[float, list[str]]:
    """Size and lines of the headline in its box (the PDF draws the same lines)."""
    box = layout.headline
    size, (lines,) = fit_text([slide.headline], box.width, box.height, *layout.headline_pt,
                              bold=True, line_spacing=layout.line_spacing)
    return size, lines


def fit_bullets(slide: Slide, layout: SlideLayout = LAYOUT) -> tuple[float, list[list[str]]]:
    """Size and lines of the bullets in the box beside the figure, or the wide one."""
    box = layout.bullets_side if slide.figure is not None else layout.bullets_wide
    return fit_text([f"• {b}" for b in slide.bullets], box.width, box.height,
                    *layout.bullet_pt, line_spacing=layout.line_spacing,
                    gap_lines=layout.bullet_gap, indent="   ")


def running_head(deck: Deck, slide: Slide, layout: SlideLayout = LAYOUT) -> str:
    """The small line at the top of a slide: "Tren dan proyeksi · Maluku · Nov 2024 · ...",
    dropping parts from the end until it fits on one line."""
    parts = [slide.title, *(deck.label or deck.title).split(" · ")]
    limit = layout.title.width * 72.0
    while len(parts) > 1 and text_width_pt(" · ".join(parts), layout.title_pt) > limit:
        parts.pop()
    return " · ".join(parts)


def _textbox(shapes, box: Box, paragraphs: list[str], size: float, *, bold: bool = False,
             colour: RGBColor = INK, gap: float = 0.0, align=PP_ALIGN.LEFT,
             anchor=MSO_ANCHOR.TOP):
    shape = shapes.add_textbox(Inches(box.left), Inches(box.top), Inches(box.width),
                               Inches(box.height))
    frame = shape.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = anchor
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
    for i, line in enumerate(paragraphs):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        para.alignment = align
        # Exact spacing in points, as the layout measured it: a proportional 1.2 is 1.2 x the
        # font's own line height (1.16 em for DejaVu Sans), so LibreOffice laid out 16 % taller
        # lines than were fitted and slide 1's bullets ran into the sources.
        para.line_spacing = Pt(size * LAYOUT.line_spacing)
        if gap:
            para.space_after = Pt(size * LAYOUT.line_spacing * gap)
        run = para.add_run()
        run.text = line
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.color.rgb = colour
    return shape


def _add_slide(prs, deck: Deck, slide: Slide, index: int, layout: SlideLayout) -> None:
    page = prs.slides.add_slide(prs.slide_layouts[5])  # "Title Only": a real title for outline
    title = page.shapes.title
    box = layout.title
    title.left, title.top = Inches(box.left), Inches(box.top)
    title.width, title.height = Inches(box.width), Inches(box.height)
    frame = title.text_frame
    frame.word_wrap = True
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
    frame.vertical_anchor = MSO_ANCHOR.TOP
    frame.text = running_head(deck, slide)
    for para in frame.paragraphs:
        para.alignment = PP_ALIGN.LEFT
        for run in para.runs:
            run.font.size = Pt(layout.title_pt)
            run.font.color.rgb = MUTED
    _textbox(page.shapes, layout.number,
             [text("slide.of", deck.lang, i=index + 1, n=len(deck.slides))], layout.title_pt,
             colour=MUTED, align=PP_ALIGN.RIGHT)
    size, _lines = fit_headline(slide, layout)
    _textbox(page.shapes, layout.headline, [slide.headline], size, bold=True,
             anchor=MSO_ANCHOR.MIDDLE)
    size, _wrapped = fit_bullets(slide, layout)
    bullets = [f"• {b}" for b in slide.bullets]
    png = figure_png(slide, deck.lang, layout)
    if png is not None:
        _textbox(page.shapes, layout.bullets_side, bullets, size, gap=layout.bullet_gap)
        box = layout.figure
        picture = page.shapes.add_picture(io.BytesIO(png), Inches(box.left), Inches(box.top),
                                          Inches(box.width), Inches(box.height))
        picture.name = f"{slide.key} figure"
        # Alt text for screen readers: what the picture says, in words.
        picture._element.nvPicPr.cNvPr.set("descr", slide.figure.alt or slide.headline)
    else:
        _textbox(page.shapes, layout.bullets_wide, bullets, size, gap=layout.bullet_gap)
    _textbox(page.shapes, layout.sources, [sources_line(slide, deck.lang)], layout.sources_pt,
             colour=MUTED, anchor=MSO_ANCHOR.BOTTOM)
    # For the speaker (never on the slide): the talking points the map and trend pages show,
    # then what the slide leaves out.
    spoken = (*slide.talking_points, *slide.notes)
    if spoken:
        page.notes_slide.notes_text_frame.text = "\n".join(spoken)
    if slide.illustrative:
        badge = _textbox(page.shapes, layout.badge, [text("illustrative", deck.lang)],
                         layout.badge_pt, bold=True, colour=BLACK, align=PP_ALIGN.CENTER,
                         anchor=MSO_ANCHOR.MIDDLE)
        badge.fill.solid()
        badge.fill.fore_color.rgb = BADGE_FILL


def _fixed_time(deck: Deck) -> dt.datetime:
    """The document date: the first day of the briefing month (reproducible, meaningful)."""
    year, month = deck.period.split("-")
    return dt.datetime(int(year), int(month), 1)


def _reproducible_zip(data: bytes) -> bytes:
    """Rewrite the zip with fixed member timestamps (python-pptx stamps the current time)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = info.external_attr
            target.writestr(member, source.read(info.filename))
    return out.getvalue()


def deck_to_pptx(deck: Deck, layout: SlideLayout = LAYOUT) -> bytes:
    """The deck as PPTX bytes: 16:9, one slide per :class:`~cakupan.briefing.Slide`."""
    prs = Presentation()
    prs.slide_width = Emu(Inches(layout.width))
    prs.slide_height = Emu(Inches(layout.height))
    for i, slide in enumerate(deck.slides):
        _add_slide(prs, deck, slide, i, layout)
    core = prs.core_properties
    core.title = deck.title
    core.author = "Cakupan"
    core.last_modified_by = "Cakupan"
    core.language = "id-ID" if deck.lang == "id" else "en-US"
    core.created = core.modified = _fixed_time(deck)
    core.revision = 1
    buffer = io.BytesIO()
    prs.save(buffer)
    return _reproducible_zip(buffer.getvalue())
