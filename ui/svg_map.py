"""The light map renderer: a Streamlit component (``st.components.v2``) that draws the
choropleth as SVG from the view's ``/geo/`` file (``ui/svg_map.js``).

Used where the process serves ``/geo/`` (``streamlit run app.py``, the replicas); elsewhere
(``AppTest``, a router without the routes) the map stays the plotly figure that carries its
geometry. Why: issue 11 and :mod:`cakupan.present.svgmap`. The script is a constant file of
this project, never built from data; the data it gets is put in the page as text.
"""

from __future__ import annotations

from pathlib import Path

import plotly.graph_objects as go
import streamlit as st

from cakupan.present import svgmap

NAME = "cakupan_svg_map"
JS = (Path(__file__).with_name("svg_map.js")).read_text(encoding="utf-8")
CSS = """
.cakupan-map { position: relative; }
.cakupan-map svg { display: block; width: 100%; background: #FFFFFF; cursor: grab;
  touch-action: manipulation; }
.cakupan-map path { stroke: #FFFFFF; stroke-width: 0.6px; vector-effect: non-scaling-stroke;
  stroke-linejoin: round; }
.cakupan-map path:hover { stroke: #1A1A1A; stroke-width: 1.5px; }
.cakupan-map .cm-dot { fill: #1B1B1B; fill-opacity: 0.75; stroke: #FFFFFF;
  stroke-width: 1px; vector-effect: non-scaling-stroke; }
.cakupan-map .cm-status { padding: 0.5rem 0; color: #4A4A4A; }
.cakupan-map .cm-tip { position: absolute; z-index: 2; pointer-events: none; max-width: 22rem;
  white-space: pre-line; background: #FFFFFF; color: #1A1A1A; border: 1px solid #767676;
  border-radius: 4px; padding: 0.35rem 0.5rem; font-size: 0.9rem; line-height: 1.35;
  box-shadow: 0 1px 4px rgba(0, 0, 0, 0.2); }
.cakupan-map .cm-tip::first-line { font-weight: 700; }
.cakupan-map .cm-legend { display: flex; flex-wrap: wrap; gap: 0.3rem 1rem;
  align-items: center; padding-top: 0.4rem; font-size: 15px; color: #1A1A1A; }
.cakupan-map .cm-legend-title { flex-basis: 100%; font-weight: 600; }
.cakupan-map .cm-item { display: inline-flex; align-items: center; gap: 0.4rem; }
.cakupan-map .cm-swatch { width: 16px; height: 16px; border-radius: 3px;
  border: 1px solid #BDBDBD; }
"""

_component = st.components.v2.component(NAME, html="", css=CSS, js=JS, isolate_styles=False)


def _ignore() -> None:
    """A trigger value is only reported to Python when a callback is registered for it."""


def render(fig: go.Figure, *, key: str, geojson_url: str, height: int, label: str,
           loading: str, failed: str, selectable: bool) -> str | None:
    """Draw ``fig``'s choropleth as SVG; the code of the region clicked in this rerun, if any."""
    data = svgmap.from_figure(fig, geojson_url=geojson_url, height=height, label=label,
                              texts={"loading": loading, "failed": failed},
                              selectable=selectable)
    result = _component(data=data, key=key, on_clicked_change=_ignore)
    clicked = getattr(result, "clicked", None)
    return str(clicked) if clicked else None
