"""Share and size together: coverage % as the colour, workers still unprotected as a circle.

A choropleth alone misleads in both directions: a small regency at 20 % looks as urgent as a
city of 200,000 unprotected workers at 45 %, and a big empty regency dominates by its area.
Drawing the share (colour, the app's stepped coverage bins) and the size (a circle whose
*area* is proportional to the people still unprotected, so a circle twice as wide is four
times as many people) answers both "where is coverage low?" and "where are the people?".
The circles' sizes are named in the legend with round numbers, and "where to act first"
ranks regions by people still unprotected, the order a branch can work through.

``unprotected = eligible - registered`` (never below 0), only where both are known.
"""

from __future__ import annotations

import html
import math

import pandas as pd
import plotly.graph_objects as go

from cakupan import geo
from cakupan.core.i18n import t
from cakupan.present import fmt, mapview, palette
from cakupan.present.chart_style import apply_style, empty_note, esc, new_figure, sizes

#: Diameter in pixels of the biggest circle (the view's largest number of people).
MAX_DIAMETER_PX = 46.0
#: Diameter below which a circle is drawn at this size anyway (still findable, still hoverable).
MIN_DIAMETER_PX = 5.0
#: Circle colour: dark and half transparent, so the coverage colour under it stays readable.
CIRCLE = "rgba(26,26,26,0.45)"
CIRCLE_LINE = "#FFFFFF"


def unprotected(snapshot: pd.DataFrame) -> pd.DataFrame:
    """``code``, ``unprotected`` (people, int), ``coverage_pct`` of every region where both
    eligible and registered are known; sorted by ``unprotected``, most first."""
    frame = snapshot.rename(columns={"region_code": "code"})
    eligible = pd.to_numeric(frame.get("eligible"), errors="coerce")
    registered = pd.to_numeric(frame.get("registered"), errors="coerce")
    gap = (eligible - registered).clip(lower=0)
    out = pd.DataFrame({"code": frame["code"].astype(str), "unprotected": gap,
                        "coverage_pct": pd.to_numeric(frame.get("coverage_pct"),
                                                      errors="coerce"),
                        "illustrative": frame.get("illustrative", False)})
    out = out[out["unprotected"].notna()].copy()
    out["unprotected"] = out["unprotected"].round().astype("int64")
    return out.sort_values(["unprotected", "code"], ascending=[False, True],
                           kind="stable").reset_index(drop=True)


def diameters(values: pd.Series, largest: float) -> list[float]:
    """Circle diameters in pixels with areas proportional to ``values`` (people)."""
    if largest <= 0:
        return [MIN_DIAMETER_PX for _ in values]
    return [max(MIN_DIAMETER_PX, MAX_DIAMETER_PX * math.sqrt(max(float(v), 0.0) / largest))
            for v in values]


def legend_sizes(largest: float) -> list[int]:
    """Up to three round numbers of people for the size legend: the largest 1-2-5 step at or
    below the biggest value, then a tenth and a hundredth of it (areas then differ 10x)."""
    if largest < 1:
        return []
    power = 10 ** math.floor(math.log10(largest))
    top = max(step * power for step in (1, 2, 5) if step * power <= largest)
    return [int(v) for v in (top, top / 10, top / 100) if v >= 1]


def share_size_map(view: str, values: pd.DataFrame, snapshot: pd.DataFrame, *,
                   lang: str = "id", height: int = 620,
                   geojson_url: str | None = None) -> go.Figure:
    """The coverage choropleth of ``view`` with a circle per region sized by the workers still
    unprotected there (hover: name, people, coverage). ``values`` as for
    :func:`mapview.choropleth`; ``snapshot`` has eligible and registered.

    Raises :class:`cakupan.core.errors.GeoUnavailable` when the boundaries cannot be had.
    """
    fig = mapview.choropleth(view, values, metric="coverage", lang=lang, height=height,
                             markers=False, geojson_url=geojson_url)
    people = unprotected(snapshot)
    points = geo.representative_points(view).merge(people, on="code", how="inner")
    names = {str(f["properties"]["code"]): f["properties"].get("name", "")
             for f in geo.view_geojson(view)["features"]}
    largest = float(people["unprotected"].max()) if len(people) else 0.0
    if len(points):
        # drawn largest first, so a small circle on top of a big one stays hoverable
        points = points.sort_values("unprotected", ascending=False, kind="stable")
        fig.add_trace(go.Scattermap(
            lon=points["lon"], lat=points["lat"], mode="markers",
            marker={"size": diameters(points["unprotected"], largest), "color": CIRCLE,
                    "sizemode": "diameter"},
            customdata=[[html.escape(names.get(c, c)), html.escape(_tip(row, lang))]
                        for c, row in zip(points["code"], points.to_dict("records"),
                                          strict=True)],
            hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<extra></extra>",
            name=t("share.legend.circles", lang), showlegend=False,
            meta={"role": "unprotected"}))
    for people_n in legend_sizes(largest):
        fig.add_trace(go.Scattermap(
            lon=[None], lat=[None], mode="markers", showlegend=True, hoverinfo="skip",
            name=t("share.legend.size", lang, people=fmt.number(people_n, lang)),
            marker={"size": diameters(pd.Series([people_n]), largest)[0], "color": CIRCLE},
            legendgroup="size", meta={"role": "size-legend"}))
    return fig


def _tip(row: dict, lang: str) -> str:
    people = t("share.tip.people", lang, people=fmt.number(row["unprotected"], lang))
    pct = row.get("coverage_pct")
    if pct is None or pd.isna(pct):
        return people
    return people + "\n" + t("share.tip.coverage", lang, pct=fmt.pct(float(pct), lang))


def act_first(snapshot: pd.DataFrame, names: dict[str, str], n: int = 10) -> pd.DataFrame:
    """"Where to act first": the ``n`` regions with the most workers still unprotected, with
    ``name``, ``unprotected``, ``coverage_pct`` and ``illustrative``; most first."""
    people = unprotected(snapshot).head(n)
    return people.assign(name=[names.get(c, c) for c in people["code"]])


def act_first_bar(rows: pd.DataFrame, *, lang: str = "id", big: bool = False,
                  height: int | None = None) -> go.Figure:
    """Horizontal bars of people still unprotected, most at the top, each labelled with its
    number and coverage % (illustrative figures hatched and named, as on every chart)."""
    s = sizes(big)
    fig = new_figure()
    apply_style(fig, lang=lang, title=None, big=big,
                height=height or max(220, 44 * len(rows) + 80))
    if rows.empty:
        return empty_note(fig, lang, big)
    labels = [esc(str(n).removeprefix("Kabupaten ").removeprefix("Kota ")) for n in rows["name"]]
    illustrative = [bool(v) for v in rows["illustrative"].fillna(False)]
    texts = []
    for value, pct, ill in zip(rows["unprotected"], rows["coverage_pct"], illustrative,
                               strict=True):
        text = fmt.number(int(value), lang)
        if pct is not None and not pd.isna(pct):
            text += f" · {fmt.pct(float(pct), lang)}"
        if ill:
            text = t("chart.illustrative_suffix", lang, label=text)
        texts.append(esc(text))
    fig.add_trace(go.Bar(
        x=[int(v) for v in rows["unprotected"]], y=labels, orientation="h", text=texts,
        textposition="outside", cliponaxis=False,
        hovertext=[f"<b>{lab}</b><br>{txt}" for lab, txt in zip(labels, texts, strict=True)],
        hovertemplate="%{hovertext}<extra></extra>",
        marker={"color": palette.PRIMARY,
                "pattern": {"shape": ["/" if ill else "" for ill in illustrative],
                            "fgcolor": palette.HATCH, "solidity": 0.4}},
        textfont={"size": s.font}, showlegend=False, meta={"role": "act-first"}))
    fig.update_xaxes(range=[0, float(rows["unprotected"].max()) * 1.45 + 1], showgrid=True,
                     title={"text": esc(t("share.axis", lang))})
    fig.update_yaxes(categoryorder="array", categoryarray=labels, autorange="reversed")
    fig.update_layout(bargap=0.25, separators=fmt.plotly_separators(lang))
    return fig


def act_first_alt(rows: pd.DataFrame, lang: str = "id") -> str:
    """The ranking in words (the caption under it, for screen readers and the projector)."""
    if rows.empty:
        return t("share.alt.none", lang)
    items = "; ".join(f"{str(n).removeprefix('Kabupaten ').removeprefix('Kota ')} "
                      f"{fmt.number(int(v), lang)}"
                      for n, v in zip(rows["name"], rows["unprotected"], strict=True))
    return t("share.alt", lang, items=items)
