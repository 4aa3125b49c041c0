"""Fitting words into a box, measured with the real font the pictures and files use (a
character count would overflow on "WWW" and waste space on "iii").
"""

from __future__ import annotations

from functools import lru_cache

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

FONT = "DejaVu Sans"  # ships with matplotlib: the same glyphs on every server


@lru_cache(maxsize=1)
def _measurer() -> tuple[object, float]:
    renderer = FigureCanvasAgg(Figure(dpi=72)).get_renderer()
    return renderer, 72.0 / renderer.dpi


@lru_cache(maxsize=4096)
def text_width_pt(line: str, size_pt: float, bold: bool = False) -> float:
    """Width of one line of text in points, measured with the font the exports use."""
    renderer, scale = _measurer()
    props = FontProperties(family=FONT, size=size_pt, weight="bold" if bold else "normal")
    return renderer.get_text_width_height_descent(line, props, ismath=False)[0] * scale


def wrap_text(line: str, width_in: float, size_pt: float, *, bold: bool = False,
              indent: str = "") -> list[str]:
    """Break ``line`` into lines no wider than ``width_in`` inches, measured with the real
    font (a character count would overflow on "WWW" and waste space on "iii")."""
    limit = width_in * 72.0
    lines: list[str] = []
    current = ""
    for word in line.split():
        candidate = f"{current} {word}" if current else word
        if current and text_width_pt(candidate, size_pt, bold) > limit:
            lines.append(current)
            current = indent + word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def fit_text(paragraphs: list[str], width_in: float, height_in: float, max_pt: float,
             min_pt: float, *, bold: bool = False, line_spacing: float = 1.2,
             gap_lines: float = 0.0, indent: str = "") -> tuple[float, list[list[str]]]:
    """The largest size (from ``max_pt`` down to ``min_pt``, 1 pt steps) at which the
    paragraphs, wrapped, fit the box; with their lines. ``gap_lines``: space between
    paragraphs, in lines. At ``min_pt`` the text may still overflow: a slide with too many
    words should be shortened, not printed in small type."""
    size = max_pt
    while True:
        wrapped = [wrap_text(p, width_in, size, bold=bold, indent=indent) for p in paragraphs]
        lines = sum(len(w) for w in wrapped) + gap_lines * max(0, len(paragraphs) - 1)
        if lines * size * line_spacing / 72.0 <= height_in or size <= min_pt:
            return size, wrapped
        size -= 1
