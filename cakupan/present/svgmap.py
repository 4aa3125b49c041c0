"""The map as the browser's own SVG: what the light renderer (``ui/svg_map.py``) is given.

Why a second renderer: on an emulated regional link (5 Mbit/s, 100 ms) the map page's
first visit spent most of its time in the browser, not on the wire: plotly.js's chunk
(1.3 MB compressed, ~2.3 s to start) and MapLibre's first frame in software WebGL (~1.4 s),
issue 11. The same choropleth drawn as SVG paths needs neither: the boundary file
(``/geo/``, fetched once, immutable) is projected and drawn by a few kilobytes of script.

The data is read off the plotly figure :func:`cakupan.present.mapview.choropleth` builds, so
colours, legend, tooltips and the small-region dots are those of one code path, and the
plotly figure stays what exports and tests without a browser use. A rerun (a month step)
sends this data only: a fill and a tooltip per region, never geometry.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go

#: Tooltip lines as plotly renders them: ``<br>`` between lines, text HTML-escaped.
_BREAK = "<br>"


def colour_at(colorscale: Sequence[Sequence[Any]], z: float, zmin: float,
              zmax: float) -> str:
    """The colour a stepped plotly scale gives ``z`` (:func:`maps.stepped_colorscale`:
    pairs of stops, one flat band each); the last band for values at or past its end."""
    span = (zmax - zmin) or 1.0
    frac = min(max((float(z) - zmin) / span, 0.0), 1.0)
    for (lo, c_lo), (hi, _c_hi) in zip(colorscale[0::2], colorscale[1::2], strict=False):
        if float(lo) <= frac < float(hi):
            return str(c_lo)
    return str(colorscale[-1][1])


def plain_text(hover: str) -> str:
    """A tooltip line of the figure as plain text (lines on ``\\n``): the component puts it
    in the page as text, never as markup."""
    return html.unescape(str(hover).replace(_BREAK, "\n"))


def _indexed(values: Sequence[str]) -> tuple[list[str], list[int]]:
    """Distinct values (first seen first) and each value's index among them: a national map's
    464 regions with nothing published share one tooltip and one grey, sent once."""
    seen: dict[str, int] = {}
    index = [seen.setdefault(v, len(seen)) for v in values]
    return list(seen), index


def expand(data: Mapping[str, Any]) -> dict[str, tuple[str, str]]:
    """Region code -> (fill, tooltip) from :func:`from_figure`'s data, as the script reads it."""
    return {code: (data["colours"][f], data["lines"][t])
            for code, f, t in zip(data["codes"], data["fill"], data["tip"], strict=True)}


def from_figure(fig: go.Figure, *, geojson_url: str, height: int, label: str,
                texts: Mapping[str, str], selectable: bool) -> dict[str, Any]:
    """The component's data: the boundary file's URL, a fill and a tooltip per region code
    (as indices into the distinct colours and lines: see :func:`expand`), the legend, the
    small-region dots, and the words it shows itself (``texts``: loading, failed).

    Raises ``ValueError`` when the figure has no choropleth trace (nothing to draw).
    """
    traces = list(fig.data)
    choro = next((t for t in traces if isinstance(t, go.Choroplethmap)), None)
    if choro is None:
        raise ValueError("the figure has no Choroplethmap trace")
    codes = [str(c) for c in choro.locations]
    scale = [list(step) for step in choro.colorscale]
    fills = [colour_at(scale, z, float(choro.zmin), float(choro.zmax)) for z in choro.z]
    slot = len(choro.customdata[0]) - 1 if len(choro.customdata) else 0
    tips = [plain_text(row[slot]) for row in choro.customdata]
    legend = [[str(t.name), str(t.marker.color)] for t in traces
              if isinstance(t, go.Scattermap) and t.showlegend]
    dots = next((t for t in traces if isinstance(t, go.Scattermap) and not t.showlegend
                 and t.lon is not None and len(t.lon)), None)
    markers = [] if dots is None else [
        [round(float(lon), 4), round(float(lat), 4), plain_text(row[0]), plain_text(row[1])]
        for lon, lat, row in zip(dots.lon, dots.lat, dots.customdata, strict=True)]
    title = fig.layout.legend.title.text if fig.layout.legend and fig.layout.legend.title \
        else ""
    colours, fill = _indexed(fills)
    lines, tip = _indexed(tips)
    return {"url": geojson_url, "codes": codes, "colours": colours, "fill": fill,
            "lines": lines, "tip": tip,
            "legend": legend, "legendTitle": str(title or ""), "markers": markers,
            "height": int(height), "label": label, "select": bool(selectable),
            "texts": dict(texts)}
