"""The briefing deck as ONE self-contained HTML file: the take-away for a USB stick.

A meeting room often has no network and no server, so the file carries everything it needs:
plotly's JavaScript once for the whole file (``plotly.offline.get_plotlyjs``), each slide's
figure as an interactive plotly chart (``include_plotlyjs=False``, the map's GeoJSON inside
the figure, never the app's ``/geo/`` URL), the regions as a table, and every source. No CDN,
no web fonts, no image URLs: nothing is loaded from anywhere.

Layout: all slides stacked, each a full-screen ``<section>`` with its own anchor (``#s1`` ...),
with CSS scroll-snap and a few lines of script for the arrow keys. Stacked rather than shown one
at a time because plotly sizes a chart from its container, and a hidden slide has none (its
map would draw at zero size until resized); because a phone reader can simply scroll; and
because with script blocked (some meeting laptops) every slide is still there to read.

The figures are the app's own plotly builders (:func:`cakupan.present.mapview.choropleth`,
:func:`cakupan.present.charts.ranking_bar`, :func:`cakupan.present.trend_chart.trend_figure`)
fed from the slide's :class:`~cakupan.present.figure_spec.FigureSpec`, the same spec the PPTX
and PDF pictures are drawn from, so the three files never disagree.

Security: every text from the deck (names, citations, headlines) is escaped with
:func:`html.escape`; plotly's hover texts are escaped by the builders. A source's URL becomes a
link only when it is http(s), and its ``href`` is escaped as well.
"""

from __future__ import annotations

import html
import re
from functools import cache

import pandas as pd
import plotly.graph_objects as go

from cakupan.briefing.model import Deck, Slide
from cakupan.present import charts, fmt, maps, mapview, trend_chart
from cakupan.present.chart_style import esc
from cakupan.present.deck_text import text
from cakupan.present.figure_spec import FigureSpec


def _words(lang: str) -> dict[str, str]:
    """Words of the file's own parts (``brief.html.*`` in the catalogue; the slides' words
    come from the deck), by their short key."""
    return {key: text(f"html.{key}", lang) for key in HTML_WORDS}


HTML_WORDS = ("table", "sources", "name", "registered", "eligible", "coverage", "status",
              "kind", "source", "illustrative_row", "published_row", "keys", "contents")
#: An http(s) URL inside a citation: it becomes a link (anything else stays plain text).
URL = re.compile(r"https?://[^\s<>\"')\];]+")
#: Height of every chart: most of a projector's screen beside the bullets, never tiny.
FIGURE_HEIGHT = "min(62vh, 720px)"
#: plotly's options: no logo link to plotly.com, charts follow the window's size.
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True, "scrollZoom": False}

# Static: no data in it. Sizes follow the screen (clamp): ~64 px headlines on a 1920 px
# projector, ~30 px on a phone; body text 32 px on the projector, 18 px on a phone.
CSS = """
*{box-sizing:border-box}
html{scroll-snap-type:y mandatory;scroll-behavior:smooth}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",Arial,
sans-serif;color:#1f2933;background:#ffffff}
section{min-height:100vh;scroll-snap-align:start;padding:clamp(12px,2.5vw,48px)
clamp(14px,3vw,64px);border-bottom:4px solid #e4e7eb;display:flex;flex-direction:column}
.head{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:center;gap:.5em;
font-size:clamp(14px,1.6vw,28px);color:#52606d}
.badge{background:#e69f00;color:#000;font-weight:700;padding:.15em .6em}
h1{font-size:clamp(26px,3.6vw,66px);line-height:1.12;margin:.3em 0 .4em 0}
h2{font-size:clamp(24px,3vw,54px);margin:.2em 0 .5em 0}
.body{display:grid;grid-template-columns:minmax(0,2fr) minmax(0,3fr);gap:clamp(12px,2vw,40px);
flex:1;align-items:start}
.body.wide{grid-template-columns:1fr}
ul{margin:0;padding-left:1.1em}
li{font-size:clamp(18px,1.9vw,34px);line-height:1.35;margin-bottom:.45em}
.figure{min-width:0}
.sources{font-size:clamp(13px,1.2vw,22px);color:#52606d;line-height:1.3;margin-top:1em}
a{color:#1a5fb4}
table{border-collapse:collapse;width:100%;font-size:clamp(14px,1.4vw,26px)}
th,td{border-bottom:1px solid #cbd2d9;padding:.3em .5em;text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}
tr.ill td{background:#fff4e0}
.scroll{overflow-x:auto}
nav{font-size:clamp(14px,1.3vw,24px)}
nav a{margin-right:1em}
@media (max-width:900px){.body{grid-template-columns:1fr}
html{scroll-snap-type:none}section{min-height:auto}}
@media print{section{break-after:page;min-height:auto}}
"""

# Static: arrow keys (and PageUp/PageDown) go to the previous/next section and say so in the
# URL's anchor, so a reload stays on the slide. Nothing from data in it.
SCRIPT = """
(function(){
  var s=[].slice.call(document.querySelectorAll('section'));
  function at(){var y=window.scrollY+window.innerHeight/3,i=0;
    s.forEach(function(e,k){if(e.offsetTop<=y)i=k;});return i;}
  function go(k){k=Math.max(0,Math.min(s.length-1,k));s[k].scrollIntoView();
    history.replaceState(null,'','#'+s[k].id);}
  document.addEventListener('keydown',function(e){
    if(e.altKey||e.ctrlKey||e.metaKey)return;
    if(e.key==='ArrowRight'||e.key==='PageDown'){go(at()+1);e.preventDefault();}
    else if(e.key==='ArrowLeft'||e.key==='PageUp'){go(at()-1);e.preventDefault();}
    else if(e.key==='Home'){go(0);e.preventDefault();}
    else if(e.key==='End'){go(s.length-1);e.preventDefault();}
  });
})();
"""


def _e(value: object) -> str:
    """Escape any text for HTML (quotes too: the same helper serves attributes)."""
    return html.escape(str(value), quote=True)


def linked(citation: str) -> str:
    """A citation as HTML: escaped text, its http(s) URLs as links with escaped ``href``."""
    out: list[str] = []
    last = 0
    for match in URL.finditer(citation):
        url = match.group(0)
        out.append(_e(citation[last:match.start()]))
        out.append(f'<a href="{_e(url)}" rel="noreferrer">{_e(url)}</a>')
        last = match.end()
    out.append(_e(citation[last:]))
    return "".join(out)


@cache
def plotly_js() -> str:
    """plotly.js as shipped with plotly.py (offline, ~4.8 MB), read once per process."""
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def _map_values(spec: FigureSpec, deck: Deck) -> pd.DataFrame:
    """The map spec's values with a tooltip per region (counts, %, status, provenance and
    source), taken from the deck's own table so the hover and the table agree."""
    table = deck.table.set_index("code") if len(deck.table) else pd.DataFrame()
    details = []
    for rec in spec.data.to_dict("records"):
        code = str(rec["code"])
        row = table.loc[code] if code in table.index else None
        full = {"status": rec.get("status"), "coverage_pct": rec.get("coverage_pct"),
                "registered": None if row is None else row["registered"],
                "eligible": None if row is None else row["eligible"],
                "illustrative": False if row is None else bool(row["illustrative"]),
                "sources": [] if row is None or not row["sources"] else [row["sources"]]}
        details.append(mapview.detail_text(full, deck.lang, {}))
    return spec.data.assign(detail=details)


def _ranking_rows(spec: FigureSpec, deck: Deck) -> pd.DataFrame:
    """The ranking spec's rows as :func:`charts.ranking_bar` wants them, in the spec's order
    (codes are the rank, so its re-ranking keeps it) and with the table's provenance."""
    rows = spec.data.reset_index(drop=True)
    illustrative = (dict(zip(deck.table["name"], deck.table["illustrative"], strict=False))
                    if len(deck.table) else {})
    return rows.assign(region_code=[f"{i:04d}" for i in range(len(rows))], registered=0,
                       illustrative=[bool(illustrative.get(n, False)) for n in rows["name"]])


def _trend(spec: FigureSpec, deck: Deck) -> go.Figure:
    """The trend spec (actual, projection, target lines) through the app's trend chart."""
    points = spec.data
    measure = "coverage_pct" if spec.unit == "pct" else "registered"
    actual = points[points["line"] == "actual"]
    series = pd.DataFrame({"period": actual["period"], measure: actual["value"],
                           "illustrative": actual["illustrative"].fillna(False).astype(bool)})
    projection = points[points["line"] == "projection"]
    target = points[points["line"] == "target"]
    target_path = (pd.DataFrame({"period": target["period"], "target_pct": target["value"]})
                   if spec.unit == "pct" and len(target) else None)
    reference = ([(text("html.target", deck.lang), float(target["value"].iloc[-1]))]
                 if spec.unit != "pct" and len(target) else [])
    deadline = str(target["period"].iloc[-1]) if len(target) else None
    return trend_chart.trend_figure(
        {deck.label.split(" · ")[0] or deck.title: series}, target_path,
        pd.DataFrame({"period": projection["period"], measure: projection["value"]})
        if len(projection) else None,
        lang=deck.lang, measure=measure, deadline=deadline, reference_lines=reference,
        big=True, breaks=[trend_chart.ChartBreak(*b) for b in spec.breaks])


def _big_number(spec: FigureSpec, deck: Deck) -> go.Figure:
    """A head count (``gauge`` in people) or what it takes (``need``) as the slide shows it:
    the number in words, its caption, and for ``need`` the bar of protected vs still needed."""
    row = spec.data.iloc[0]
    lang = deck.lang
    big = (str(row["big"]) if "big" in row else fmt.number(float(row["value"]), lang))
    fig = go.Figure()
    fig.add_annotation(text=f"<b>{esc(big)}</b>", x=0, y=1, xref="paper", yref="paper",
                       xanchor="left", yanchor="top", showarrow=False, font={"size": 64})
    caption = row.get("caption")
    if isinstance(caption, str) and caption:
        fig.add_annotation(text=esc(caption), x=0, y=0.62, xref="paper", yref="paper",
                           xanchor="left", yanchor="top", showarrow=False, font={"size": 22})
    if spec.kind == "need":
        gap = float(row["gap"])
        # No figure of people protected is not zero protected: that part is not drawn.
        now = ([(float(row["registered"]), "chart.need_now", "")]
               if maps.is_present(row.get("registered")) else [])
        for value, key, pattern in [*now, (gap, "chart.need_more", "/")]:
            name = text(key, lang, people=fmt.number(value, lang))
            fig.add_bar(x=[value], y=[""], orientation="h", name=name,
                        marker={"color": "#0072B2" if not pattern else "white",
                                "line": {"color": "#1f2933", "width": 1},
                                "pattern": {"shape": pattern}},
                        hovertemplate=esc(name) + "<extra></extra>")
        fig.update_layout(barmode="stack", legend={"orientation": "h", "y": -0.1},
                          yaxis={"domain": [0, 0.3], "visible": False},
                          xaxis={"visible": False})
    else:
        fig.update_layout(xaxis={"visible": False}, yaxis={"visible": False})
    fig.update_layout(template="none", margin={"l": 10, "r": 10, "t": 10, "b": 10},
                      plot_bgcolor="white", paper_bgcolor="white")
    return fig


def figure_of(spec: FigureSpec, deck: Deck) -> go.Figure:
    """The slide's picture as an interactive plotly figure (geometry inside for a map)."""
    if spec.kind == "map":
        fig = mapview.choropleth(spec.view or "national", _map_values(spec, deck),
                                 metric=spec.metric, lang=deck.lang, geojson_url=None)
    elif spec.kind == "village_map":  # one regency's villages, boundaries inside the file
        from cakupan.geo import villages
        from cakupan.present import villageview

        regency = str(spec.view)
        values = spec.data.assign(detail=[mapview.status_word(s, deck.lang)
                                          for s in spec.data["status"]])
        fig = villageview.village_figure(
            villageview.geojson_of(villages.village_geojson_text(regency)), values,
            lang=deck.lang, bounds=villages.village_bounds(regency),
            district_geojson=villageview.geojson_of(villages.district_geojson_text(regency)))
    elif spec.kind == "ranking":
        rows = _ranking_rows(spec, deck)
        fig = charts.ranking_bar(rows, lang=deck.lang, n=len(rows), target_pct=spec.target_pct,
                                 big=True)
    elif spec.kind == "trend":
        fig = _trend(spec, deck)
    elif spec.kind == "gauge" and spec.unit == "pct":
        fig = charts.gauge_or_bullet(float(spec.data["value"].iloc[0]), spec.target_pct,
                                     deck.lang, big=True)
    elif spec.kind in ("gauge", "need"):
        fig = _big_number(spec, deck)
    else:
        raise ValueError(f"unknown figure kind {spec.kind!r}")
    fig.update_layout(height=None, autosize=True)  # the page's CSS height, any screen
    return fig


def _figure_html(spec: FigureSpec, deck: Deck, index: int) -> str:
    fig = figure_of(spec, deck)
    div = fig.to_html(full_html=False, include_plotlyjs=False, config=PLOTLY_CONFIG,
                      div_id=f"fig{index + 1}", default_height=FIGURE_HEIGHT,
                      default_width="100%")
    return (f'<div class="figure" role="img" aria-label="{_e(spec.alt)}">{div}</div>')


def _sources_html(slide: Slide, lang: str) -> str:
    if not slide.sources:
        return f'<p class="sources">{_e(text("no_sources", lang))}</p>'
    label = text("sources", lang, list="").rstrip(": ").strip()
    items = "; ".join(linked(s) for s in slide.sources)
    return f'<p class="sources">{_e(label)}: {items}</p>'


def _slide_html(deck: Deck, slide: Slide, index: int) -> str:
    number = text("slide.of", deck.lang, i=index + 1, n=len(deck.slides))
    badge = (f'<span class="badge">{_e(text("illustrative", deck.lang))}</span>'
             if slide.illustrative else "")
    bullets = "".join(f"<li>{_e(b)}</li>" for b in slide.bullets)
    figure = _figure_html(slide.figure, deck, index) if slide.figure is not None else ""
    wide = "" if figure else " wide"
    return (f'<section id="s{index + 1}" data-key="{_e(slide.key)}">'
            f'<div class="head"><span>{_e(slide.title)} · {_e(deck.label)}</span>{badge}'
            f"<span>{_e(number)}</span></div>"
            f"<h1>{_e(slide.headline)}</h1>"
            f'<div class="body{wide}"><ul>{bullets}</ul>{figure}</div>'
            f"{_sources_html(slide, deck.lang)}</section>")


def _number(value: object, lang: str) -> str:
    return "" if pd.isna(value) else fmt.number(value, lang)


def _table_html(deck: Deck, index: int) -> str:
    """Every region behind the deck, its figures and provenance: the numbers stay readable
    where a chart cannot be (a phone, a printout, a screen reader)."""
    words = _words(deck.lang)
    any_ill = bool(len(deck.table)) and bool(deck.table["illustrative"].any())
    badge = (f'<span class="badge">{_e(text("illustrative", deck.lang))}</span>'
             if any_ill else "")
    head = "".join(f"<th>{_e(words[k])}</th>" for k in
                   ("name", "registered", "eligible", "coverage", "status", "kind", "source"))
    rows = []
    for rec in deck.table.to_dict("records"):
        ill = bool(rec["illustrative"])
        pct = "" if pd.isna(rec["coverage_pct"]) else fmt.pct(rec["coverage_pct"], deck.lang)
        rows.append(
            f'<tr{" class=ill" if ill else ""} data-code="{_e(rec["code"])}">'
            f"<td>{_e(rec['name'])}</td><td class=n>{_e(_number(rec['registered'], deck.lang))}"
            f"</td><td class=n>{_e(_number(rec['eligible'], deck.lang))}</td>"
            f"<td class=n>{_e(pct)}</td><td>{_e(rec['status'])}</td>"
            f"<td>{_e(words['illustrative_row' if ill else 'published_row'])}</td>"
            f"<td>{linked(str(rec['sources'] or ''))}</td></tr>")
    return (f'<section id="s{index + 1}" data-key="table"><div class="head">'
            f"<span>{_e(deck.label)}</span>{badge}</div><h2>{_e(words['table'])}</h2>"
            f'<div class="scroll"><table><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div></section>")


def _all_sources_html(deck: Deck, index: int) -> str:
    words = _words(deck.lang)
    items = "".join(f"<li>{linked(s)}</li>" for s in deck.sources)
    links = "".join(f'<a href="#s{i + 1}">{i + 1}. {_e(s.title)}</a>'
                    for i, s in enumerate(deck.slides))
    return (f'<section id="s{index + 1}" data-key="sources"><div class="head">'
            f"<span>{_e(deck.label)}</span></div><h2>{_e(words['sources'])}</h2>"
            f'<ul class="sources">{items}</ul>'
            f'<nav aria-label="{_e(words["contents"])}"><p>{_e(words["contents"])}: {links}</p>'
            f"<p>{_e(words['keys'])}</p></nav></section>")


def deck_to_html(deck: Deck) -> bytes:
    """The deck as one UTF-8 HTML document that works from a USB stick with no network.

    Sections: the deck's slides (one message each, illustrative badge where a figure is),
    the regions table, then all sources. plotly.js is inlined once, before the first chart.
    """
    n = len(deck.slides)
    sections = [_slide_html(deck, s, i) for i, s in enumerate(deck.slides)]
    sections.append(_table_html(deck, n))
    sections.append(_all_sources_html(deck, n + 1))
    page = (
        f'<!DOCTYPE html>\n<html lang="{_e(deck.lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="Cakupan"><title>{_e(deck.title)}</title>'
        f"<style>{CSS}</style>"
        f'<script type="text/javascript">{plotly_js()}</script></head>'
        f"<body>{''.join(sections)}<script>{SCRIPT}</script></body></html>\n")
    return page.encode("utf-8")
