"""The briefing deck as a PowerPoint file (16:9) that staff can edit before the meeting.

Every word is an editable text box (title placeholder, headline, bullets, sources); only maps
and charts are pictures, rendered by :mod:`cakupan.static` at the size they are shown. Fonts
are big enough for the back of a room: 1 pt on a 13.33-inch slide is 2 px on a 1920 px
projector, so the 34 pt headline is 68 px and 20 pt bullets are 40 px.

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

from cakupan import static
from cakupan.briefing import Deck, Slide
from cakupan.briefing_text import text


@dataclass(frozen=True)
class Box:
    """A rectangle on the slide, in inches from the top-left corner."""

    left: float
    top: float
    width: float
    height: float


@dataclass(frozen=True)
class SlideLayout:
    """Where things go on a 16:9 slide; the PDF export uses the same boxes and sizes."""

    width: float = 13.333
    height: float = 7.5
    title: Box = Box(0.5, 0.25, 10.3, 0.55)
    number: Box = Box(11.0, 0.25, 1.83, 0.55)
    badge: Box = Box(8.4, 0.9, 4.43, 0.5)
    headline: Box = Box(0.5, 0.85, 12.33, 1.6)
    bullets_wide: Box = Box(0.5, 2.55, 12.33, 3.9)
    bullets_side: Box = Box(0.5, 2.55, 4.6, 3.9)
    figure: Box = Box(5.25, 2.45, 7.58, 4.1)
    sources: Box = Box(0.5, 6.7, 12.33, 0.6)
    title_pt: float = 20
    headline_pt: float = 34
    bullet_pt: float = 20
    bullet_wide_pt: float = 24
    sources_pt: float = 12
    badge_pt: float = 16
    #: Pixels per inch of the pictures: 1.5 x the 144 px/inch of a 1920 px projector.
    figure_ppi: int = 216


LAYOUT = SlideLayout()
INK = RGBColor(0x1F, 0x29, 0x33)  # 14:1 on white
MUTED = RGBColor(0x52, 0x60, 0x6D)  # 6.4:1 on white
BADGE_FILL = RGBColor(0xE6, 0x9F, 0x00)  # Okabe-Ito orange; black text on it is 9.6:1
BLACK = RGBColor(0, 0, 0)
#: Text scale of the pictures: their legends must stay legible at the size they are placed.
FIGURE_TEXT_SCALE = 1.35


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


def _textbox(shapes, box: Box, paragraphs: list[str], size: float, *, bold: bool = False,
             colour: RGBColor = INK, bullet: bool = False, align=PP_ALIGN.LEFT,
             anchor=MSO_ANCHOR.TOP):
    shape = shapes.add_textbox(Inches(box.left), Inches(box.top), Inches(box.width),
                               Inches(box.height))
    frame = shape.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = anchor
    for i, line in enumerate(paragraphs):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        para.alignment = align
        run = para.add_run()
        run.text = f"• {line}" if bullet else line
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.color.rgb = colour
        if bullet:
            para.space_after = Pt(size * 0.5)
    return shape


def _add_slide(prs, deck: Deck, slide: Slide, index: int, layout: SlideLayout) -> None:
    page = prs.slides.add_slide(prs.slide_layouts[5])  # "Title Only": a real title for outline
    title = page.shapes.title
    box = layout.title
    title.left, title.top = Inches(box.left), Inches(box.top)
    title.width, title.height = Inches(box.width), Inches(box.height)
    title.text_frame.word_wrap = True
    title.text_frame.text = f"{slide.title} · {deck.title}"
    for para in title.text_frame.paragraphs:
        para.alignment = PP_ALIGN.LEFT
        for run in para.runs:
            run.font.size = Pt(layout.title_pt)
            run.font.color.rgb = MUTED
    _textbox(page.shapes, layout.number,
             [text("slide.of", deck.lang, i=index + 1, n=len(deck.slides))], layout.title_pt,
             colour=MUTED, align=PP_ALIGN.RIGHT)
    _textbox(page.shapes, layout.headline, [slide.headline], layout.headline_pt, bold=True,
             anchor=MSO_ANCHOR.MIDDLE)
    png = figure_png(slide, deck.lang, layout)
    if png is not None:
        _textbox(page.shapes, layout.bullets_side, slide.bullets, layout.bullet_pt, bullet=True)
        box = layout.figure
        picture = page.shapes.add_picture(io.BytesIO(png), Inches(box.left), Inches(box.top),
                                          Inches(box.width), Inches(box.height))
        picture.name = f"{slide.key} figure"
        # Alt text for screen readers: what the picture says, in words.
        picture._element.nvPicPr.cNvPr.set("descr", slide.figure.alt or slide.headline)
    else:
        _textbox(page.shapes, layout.bullets_wide, slide.bullets, layout.bullet_wide_pt,
                 bullet=True)
    _textbox(page.shapes, layout.sources, [sources_line(slide, deck.lang)], layout.sources_pt,
             colour=MUTED, anchor=MSO_ANCHOR.BOTTOM)
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
