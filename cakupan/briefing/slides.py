"""The briefing deck: from stored figures to five slides, one message each.

A governor's meeting has ten minutes and one decision, so every slide says one thing in a
headline a room can read, backs it with a few short bullets and at most one picture, and names
its sources on the slide itself. The deck is plain data (:class:`Deck`); the page, the PPTX and
the PDF all draw the same object, so the projector and the file never disagree.

Two steps keep the logic testable without a database:

1. :func:`collect` turns observation, target, premium and source frames into a
   :class:`BriefingData` (numbers only, via :mod:`cakupan.analysis.metrics`);
2. :func:`deck_from_data` turns that into words for one language (this module).

:func:`build_deck` does both with frames read from the store.

Slides: ``coverage`` (coverage vs target, headline in words), ``map`` (status of each regency),
``behind`` (regions furthest behind), ``trend`` (trend and projection to the deadline), ``cost``
(people, months and rupiah per year: APBD for non-ASN, Dana Desa for pekerja rentan under
Inpres 4/2022).
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import pandas as pd

from cakupan.analysis import metrics
from cakupan.briefing.collect import collect_from_store
from cakupan.briefing.model import (
    APBD_SEGMENTS,
    BEHIND_ROWS,
    BOUNDARY_CITATION,
    COST_HEADLINE_ORDER,
    DANA_DESA_SEGMENTS,
    MAX_BULLETS,
    BriefingData,
    Deck,
    Slide,
)
from cakupan.briefing.wording import (
    Cites,
    deadline_text,
    name_list,
    precise_pct,
    published_when,
    short_name,
    status_counts,
    whole_pct,
)
from cakupan.core import i18n
from cakupan.core.months import month_index, months_between, period_at
from cakupan.present import fmt, maps, talking_points, trend_chart
from cakupan.present.deck_text import text
from cakupan.present.figure_spec import FigureSpec


def _slide_coverage(data: BriefingData, lang: str) -> Slide:
    # Published first: the region's own latest published figure when the month's figure is
    # only illustrative (its date in the headline), the illustrative one only when none is.
    total, target = data.leading, data.target
    cites = Cites(data)
    cites.row(total)
    pct = total.get("coverage_pct")
    when = published_when(total, lang)
    seg = text(f"segment.{data.segment}", lang)
    counts = status_counts(data)
    units = text(f"units.{data.units}", lang)
    target_pct = target.get("target_pct") if target else None
    deadline = deadline_text(target, lang)
    has_counts = total.get("registered") is not None and total.get("eligible") is not None

    if when and pct is not None:
        # "Maluku: 39,45% pada 31 Des 2024 (BPJS Ketenagakerjaan) — target 55% ...": the
        # figure as published (its decimals), its own date and who said it.
        figure = text("head.pub", lang, region=data.name, pct=precise_pct(pct, lang),
                      when=when)
        headline = figure
        if target_pct is not None and deadline:
            cites.row(target)
            gap = float(target_pct) - float(pct)
            headline = text("head.pub_short" if gap > 0 else "head.pub_met", lang,
                            figure=figure, target=whole_pct(target_pct, lang),
                            deadline=deadline, points=fmt.points(gap, lang))
    elif when and total.get("registered") is not None:
        # The regions not registered are counted in the month shown: only said beside a
        # figure of that same month.
        n_un = counts["unregistered"] if str(total.get("period")) == data.period else 0
        headline = text("head.pub_count_unreg" if n_un else "head.pub_count", lang,
                        region=data.name, registered=fmt.number(total["registered"], lang),
                        segment=seg, when=when, n=n_un, total=len(data.parts), units=units)
    elif pct is not None and target_pct is not None and deadline:
        cites.row(target)
        gap = float(target_pct) - float(pct)
        key = "head.short" if gap > 0 else "head.met"
        headline = text(key, lang, region=data.name, pct=whole_pct(pct, lang),
                        target=whole_pct(target_pct, lang), deadline=deadline,
                        points=fmt.points(gap, lang))
    elif total.get("registered") is not None:
        n_un = counts["unregistered"]
        key = "head.count_unreg" if n_un else "head.count"
        headline = text(key, lang, region=data.name, segment=seg,
                        registered=fmt.number(total["registered"], lang), n=n_un,
                        total=len(data.parts), units=units)
    elif pct is not None:
        headline = text("head.pct", lang, region=data.name, pct=whole_pct(pct, lang))
    else:
        headline = text("head.no_data", lang, region=data.name,
                        month=fmt.month(data.period, lang, style="long"))

    bullets: list[str] = []
    if total.get("registered") is not None:
        bullets.append(text("b.registered", lang, value=fmt.number(total["registered"], lang)))
    if has_counts:
        bullets.append(text("b.coverage_from_counts", lang, pct=whole_pct(pct, lang),
                            registered=fmt.number(total["registered"], lang),
                            eligible=fmt.number(total["eligible"], lang)))
    elif pct is not None:
        # a published % is quoted as published (39,45%, not 39,5%); with the head count
        # known it is the number of workers eligible that was not published
        shown = (whole_pct(pct, lang) if total.get("illustrative")
                 else fmt.pct_as_published(pct, lang))
        key = ("b.reported_no_eligible" if total.get("registered") is not None
               else "b.reported")
        bullets.append(text(key, lang, pct=shown))
    if target:
        cites.row(target)
        goal = (whole_pct(target_pct, lang) if target_pct is not None
                else fmt.people(target.get("target_count"), lang))
        bullets.append(text("b.target", lang, target=goal, deadline=deadline)
                       if deadline else text("b.target_open", lang, target=goal))
        bullets.append(i18n.t("briefing.basis", lang, basis=target.get("basis")))
    else:
        bullets.append(text("b.no_target", lang))
    if total.get("aggregated") and data.region:
        bullets.append(text("b.aggregated", lang))
    if has_counts and bullets:  # the count is under the big number: the line can wait
        bullets.append(bullets.pop(0))
    return Slide("coverage", text("slide.coverage", lang), headline, bullets,
                 _coverage_figure(total, target_pct, headline, lang),
                 cites.citations(), cites.illustrative)


def _coverage_figure(total: dict[str, Any], target_pct: float | None, headline: str,
                     lang: str) -> FigureSpec | None:
    """The first slide's picture: the figure as one big number against the target (a bar
    from 0 to 100 % with the target marked), or the head count where no % is known."""
    pct, registered, eligible = (total.get("coverage_pct"), total.get("registered"),
                                 total.get("eligible"))
    if pct is not None and not pd.isna(pct):
        caption = (text("gauge.counts", lang, registered=fmt.number(registered, lang),
                        eligible=fmt.number(eligible, lang))
                   if registered is not None and eligible is not None else "")
        data = pd.DataFrame({"value": [float(pct)], "caption": [caption]})
        return FigureSpec("gauge", data, unit="pct", target_pct=target_pct, alt=headline)
    if registered is not None and not pd.isna(registered):
        data = pd.DataFrame({"value": [float(registered)],
                             "caption": [text("gauge.people", lang)]})
        return FigureSpec("gauge", data, unit="people", alt=headline)
    return None


def _slide_map(data: BriefingData, lang: str) -> Slide:
    counts = status_counts(data)
    n = len(data.parts)
    units = text(f"units.{data.units}", lang)
    month = fmt.month(data.period, lang, style="long")
    if counts["unregistered"]:
        headline = text("map.head_unreg", lang, n=counts["unregistered"], total=n, units=units)
    elif counts["no_data"] == n:
        headline = text("map.head_none", lang, units=units, month=month)
    elif counts["no_data"]:
        headline = text("map.head_some", lang, n=n - counts["no_data"], total=n, units=units)
    elif counts["registered"] == n:
        headline = text("map.head_all", lang, total=n, units=units)
    else:
        headline = text("map.head_partial", lang, n=counts["partial"], total=n, units=units)
    bullets = [text("map.counts", lang, label=i18n.status_label(s, lang),
                    n=fmt.number(counts[s], lang))
               for s in metrics.STATUSES if counts[s]]
    highlight, lowest = _map_highlight(data)
    if len(lowest):
        bullets.append(text("map.lowest", lang, names=", ".join(
            f"{short_name(r['name'])} {whole_pct(r['coverage_pct'], lang)}"
            for _, r in lowest.iterrows())))
    cites = Cites(data)
    cites.frame(data.parts)
    cites.extra.append(BOUNDARY_CITATION)
    alt = "; ".join(bullets)
    figure = FigureSpec("map", data.map_values, view=data.map_view, metric="status", alt=alt,
                        highlight=highlight)
    return Slide("map", text("slide.map", lang), headline, bullets, figure, cites.citations(),
                 cites.illustrative)


#: Regions named on the map slide's picture: a room reads a handful of names, not all 17.
MAP_NAMES = 6


def _map_highlight(data: BriefingData) -> tuple[tuple[str, ...], pd.DataFrame]:
    """Codes to name on the map (the regions the slide talks about), and, when they are the
    furthest behind rather than the unregistered, those rows for a bullet that names them.

    Unregistered regions first (the headline counts them); where none are, the three lowest
    by coverage. Names are placed without overlaps, so some may be left off a crowded map.
    """
    parts = data.parts
    if not len(parts) or "region_code" not in parts:
        return (), parts.iloc[0:0]
    unreg = parts[parts["status"] == "unregistered"]
    if len(unreg):
        return tuple(unreg["region_code"].head(MAP_NAMES)), parts.iloc[0:0]
    lowest = metrics.ranking(parts, n=3, ascending=True)
    lowest = lowest[lowest["coverage_pct"].notna()]
    return tuple(lowest["region_code"]), lowest


def _slide_behind(data: BriefingData, lang: str) -> Slide:
    units = text(f"units.{data.units}", lang)
    ranked = metrics.ranking(data.parts, n=BEHIND_ROWS, ascending=True)
    unreg = data.parts[data.parts["status"] == "unregistered"]
    if len(unreg):
        headline = text("behind.head_unreg", lang, n=len(unreg), units=units)
        bullets = [i18n.t("briefing.unregistered_list", lang,
                          names=name_list(list(unreg["name"]), lang))]
        others = ranked[ranked["status"] != "unregistered"].head(3)
    elif len(ranked):
        first = ranked.iloc[0]
        headline = text("behind.head_lowest", lang, name=short_name(first["name"]),
                        pct=whole_pct(first["coverage_pct"], lang))
        bullets = []
        others = ranked.head(5)
    else:
        headline = text("behind.head_none", lang)
        bullets, others = [], ranked
    bullets += [text("behind.row", lang, name=short_name(r["name"]),
                     pct=whole_pct(r["coverage_pct"], lang)) for _, r in others.iterrows()]
    cites = Cites(data)
    cites.frame(ranked)
    target_pct = data.target.get("target_pct") if data.target else None
    rows = ranked[["name", "coverage_pct", "status"]].copy()
    figure = (FigureSpec("ranking", rows, target_pct=target_pct,
                         alt="; ".join(bullets)) if len(rows) else None)
    return Slide("behind", i18n.t("briefing.slide.behind", lang), headline, bullets, figure,
                 cites.citations(), cites.illustrative)


def _trend_unit(series: pd.DataFrame, target: dict[str, Any] | None) -> str:
    """Coverage % when the latest figure has one, else head counts (Sultra, October 2018:
    7,431 people with no published denominator must still end the line)."""
    if not len(series):
        return "pct"
    last = series.iloc[-1]
    wants_count = bool(target and target.get("target_pct") is None
                       and target.get("target_count") is not None)
    if wants_count or (pd.isna(last["coverage_pct"]) and not pd.isna(last["registered"])):
        return "people"
    return "pct"


def _pct_projection(series: pd.DataFrame, until: str) -> pd.DataFrame:
    """Project coverage % with :func:`metrics.project` (which works on counts): express the
    percentage in hundredths as a "count" out of 10,000, so the cap at 100% and the rounding
    rules stay those of metrics."""
    as_counts = series.assign(registered=(series["coverage_pct"] * 100).round(),
                              eligible=10_000)
    as_counts = as_counts[as_counts["registered"].notna()]
    out = metrics.project(as_counts, until)
    return out.assign(value=out["registered"].astype(float) / 100)


def _slide_trend(data: BriefingData, lang: str) -> Slide:
    series, target = data.series, data.target
    unit = _trend_unit(series, target)
    column = "coverage_pct" if unit == "pct" else "registered"
    actual = series[series[column].notna()]
    frames = [pd.DataFrame({"period": actual["period"], "value": actual[column].astype(float),
                            "line": "actual", "illustrative": actual["illustrative"]})]
    deadline = target.get("deadline") if target else None
    target_value = None
    if target:
        target_value = target.get("target_pct") if unit == "pct" else target.get("target_count")
    bullets: list[str] = []
    headline = None
    last_period = actual["period"].iloc[-1] if len(actual) else None
    last_value = float(actual[column].iloc[-1]) if len(actual) else None

    if deadline and len(actual) and target_value is not None:
        proj = (_pct_projection(actual, deadline) if unit == "pct"
                else metrics.project(actual, deadline).assign(
                    value=lambda f: f["registered"].astype(float)))
        if len(proj) > 1:
            frames.append(pd.DataFrame({"period": proj["period"], "value": proj["value"],
                                        "line": "projection", "illustrative": False}))
        base = str(target.get("baseline_period") or actual["period"].iloc[0])
        base_rows = actual[actual["period"] == base]
        base_value = float(base_rows[column].iloc[0]) if len(base_rows) else last_value
        if unit == "pct":
            path = metrics.target_path(base, base_value, float(target_value), deadline)
            frames.append(pd.DataFrame({"period": path["period"], "value": path["target_pct"],
                                        "line": "target", "illustrative": False}))
        else:
            frames.append(pd.DataFrame({"period": [base, deadline],
                                        "value": [base_value, float(target_value)],
                                        "line": "target", "illustrative": False}))
        months_left = months_between(last_period, deadline)
        deadline_text = fmt.month(deadline, lang, style="long")
        if months_left > 0:
            bullets.append(text("trend.months_left", lang,
                                months=fmt.count(months_left, "months", lang),
                                deadline=deadline_text))
        else:
            bullets.append(text("trend.deadline_passed", lang, deadline=deadline_text))
        gap = float(target_value) - last_value
        pace_series = (actual.assign(registered=actual["coverage_pct"]) if unit == "pct"
                       else actual)
        pace = metrics.pace_last_12m(pace_series)
        if unit == "people" and pace is not None:
            bullets.append(text("trend.pace", lang, value=fmt.number(pace, lang)))
        if gap > 0 and pace is not None and pace > 0:
            reach = period_at(month_index(last_period) + math.ceil(gap / pace))
            late = months_between(deadline, reach)
            headline = (text("trend.head_late", lang, month=fmt.month(reach, lang, "long"),
                             n=late) if late > 0
                        else text("trend.head_on", lang, month=fmt.month(reach, lang, "long")))
        elif gap > 0 and pace is not None:
            headline = text("trend.head_never", lang)
        elif gap > 0 and unit == "pct" and months_left > 0:
            headline = text("trend.head_points", lang, points=fmt.points(gap, lang),
                            months=fmt.count(months_left, "months", lang))
    if headline is None:
        if len(actual) == 1:
            headline = text("trend.head_single", lang)
        elif len(actual) > 1:
            show = whole_pct if unit == "pct" else fmt.number
            headline = text("trend.head_series", lang,
                            first=fmt.month(actual["period"].iloc[0], lang),
                            v0=show(float(actual[column].iloc[0]), lang),
                            last=fmt.month(last_period, lang), v1=show(last_value, lang))
        else:
            headline = text("head.no_data", lang, region=data.name,
                            month=fmt.month(data.period, lang, style="long"))
    if len(actual) == 1:
        bullets.insert(0, text("trend.point", lang, month=fmt.month(last_period, lang)))
    elif len(actual):
        bullets.insert(0, text("trend.points", lang, n=len(actual),
                               first=fmt.month(actual["period"].iloc[0], lang),
                               last=fmt.month(last_period, lang)))
    points = pd.concat([f for f in frames if len(f)], ignore_index=True) if any(
        len(f) for f in frames) else frames[0]
    cites = Cites(data)
    cites.frame(actual)
    if target:
        cites.row(target)
    breaks = tuple((b.month, b.note, b.split) for b in trend_chart.series_breaks(
        data.region, list(actual["period"]), lang)) if data.region else ()
    figure = FigureSpec("trend", points, unit=unit, alt=headline, breaks=breaks)
    return Slide("trend", text("slide.trend", lang), headline, bullets, figure,
                 cites.citations(), cites.illustrative)


def _rate_bullet(rate: dict[str, Any], lang: str) -> str:
    monthly = int(rate["rupiah_per_person_month"])
    return text("cost.apbd_unit", lang, programme=str(rate["programme"]).upper().replace("+", "+"),
                monthly=fmt.rupiah(monthly, lang), yearly=fmt.rupiah(monthly * 12, lang))


def _slide_cost(data: BriefingData, lang: str) -> Slide:
    total, target = data.total, data.target
    cites = Cites(data)
    bullets: list[str] = []
    heads: list[tuple[str, str]] = []

    def head(key: str, **values: object) -> None:
        heads.append((key, text(key, lang, **values)))

    counts = status_counts(data)
    units = text(f"units.{data.units}", lang)
    seg = text(f"segment.{data.segment}", lang)
    basis: list[str] = []

    # 1. The segment's own gap to its target, in people, months and rupiah.
    target_pct = target.get("target_pct") if target else None
    gap_people = None
    if target:
        cites.row(target)
        basis.append(str(target.get("basis")))
        if target_pct is not None:
            gap_people = metrics.gap_to_target(total.get("registered"), total.get("eligible"),
                                               float(target_pct))
        elif target.get("target_count") is not None and total.get("registered") is not None:
            gap_people = max(0, int(target["target_count"]) - int(total["registered"]))
    rate = data.rates.get(data.segment)
    if gap_people is not None:
        goal = (whole_pct(target_pct, lang) if target_pct is not None
                else fmt.number(target.get("target_count"), lang))
        bullets.append(text("cost.people", lang, people=fmt.number(gap_people, lang),
                            target=goal))
        cites.row(total)
        if target.get("deadline"):
            months = months_between(data.period, str(target["deadline"]))
            needed = metrics.monthly_needed(int(total["registered"]),
                                            int(total["registered"]) + gap_people,
                                            data.period, str(target["deadline"]))
            if months > 0 and needed is not None:
                bullets.append(text("cost.months", lang,
                                    months=fmt.count(months, "months", lang),
                                    deadline=deadline_text(target, lang),
                                    per_month=fmt.number(math.ceil(needed), lang)))
        budget = metrics.annual_budget(gap_people, int(rate["rupiah_per_person_month"])) \
            if rate else None
        if budget is not None:
            cites.row(rate)
            head("cost.head_people", people=fmt.number(gap_people, lang),
                 rupiah=fmt.rupiah_words(budget, lang))
        else:
            head("cost.head_people_only", people=fmt.number(gap_people, lang))
    elif target_pct is not None and total.get("coverage_pct") is not None and target.get(
            "deadline"):
        gap = float(target_pct) - float(total["coverage_pct"])
        months = months_between(data.period, str(target["deadline"]))
        if gap > 0 and months > 0:
            cites.row(total)
            bullets.append(text("trend.months_left", lang,
                                months=fmt.count(months, "months", lang),
                                deadline=deadline_text(target, lang)))
            head("cost.head_points", points=fmt.points(gap, lang),
                 deadline=deadline_text(target, lang))

    # 2. APBD: premiums of non-ASN staff, paid by the regional governments.
    if data.segment in (*APBD_SEGMENTS, "all") and "non_asn" in data.rates:
        non_asn_rate = data.rates["non_asn"]
        cites.row(non_asn_rate)
        if data.segment == "non_asn" and gap_people is not None and rate:
            bullets.append(text("cost.apbd", lang, people=fmt.number(gap_people, lang),
                                rupiah=fmt.rupiah_words(metrics.annual_budget(
                                    gap_people, int(rate["rupiah_per_person_month"])), lang)))
        else:
            bullets.append(_rate_bullet(non_asn_rate, lang))
        if data.segment == "non_asn" and counts["unregistered"]:
            cites.frame(data.parts[data.parts["status"] == "unregistered"])
            head("cost.head_unreg", n=counts["unregistered"], units=units, segment=seg)
        if not any("2/2021" in b for b in basis):
            basis.append(text("basis.inpres2", lang))

    # 3. Dana Desa: Inpres 4/2022, 100 pekerja rentan per desa.
    if (data.segment in (*DANA_DESA_SEGMENTS, "all") and data.desa > 0
            and "pekerja_rentan" in data.rates and data.rentan_target):
        rentan_rate = data.rates["pekerja_rentan"]
        cites.row(rentan_rate)
        registered = (data.rentan_total or {}).get("registered")
        gap = max(0, data.rentan_target - int(registered or 0))
        budget = metrics.annual_budget(gap, int(rentan_rate["rupiah_per_person_month"]))
        bullets.append(text("cost.dd", lang, rupiah=fmt.rupiah_words(budget, lang),
                            people=fmt.number(gap, lang), desa=fmt.number(data.desa, lang)))
        if registered is not None:
            cites.row(data.rentan_total)
            bullets.append(text("cost.dd_registered", lang,
                                registered=fmt.number(registered, lang),
                                month=fmt.month(data.rentan_total["period"], lang)))
        cites.add("inpres-4-2022" if "inpres-4-2022" in data.citations else None)
        head("cost.head_dd", rupiah=fmt.rupiah_words(budget, lang), people=fmt.number(gap, lang))
        if not any("4/2022" in b for b in basis):
            basis.append(text("basis.inpres4", lang))
    if data.segment in (*APBD_SEGMENTS, "all") and "inpres-2-2021" in data.citations:
        cites.add("inpres-2-2021")
    if rate and data.segment not in (*APBD_SEGMENTS, *DANA_DESA_SEGMENTS, "all"):
        cites.row(rate)
        bullets.append(text("cost.rate", lang, programme=str(rate["programme"]).upper(),
                            monthly=fmt.rupiah(int(rate["rupiah_per_person_month"]), lang)))
    if basis:
        bullets.append(i18n.t("briefing.basis", lang, basis="; ".join(dict.fromkeys(basis))))
    # The most concrete message leads: the segment's own people and rupiah, then the regencies
    # that have to act, then Dana Desa, then the points still missing.
    headline = (min(heads, key=lambda h: COST_HEADLINE_ORDER.index(h[0]))[1] if heads
                else text("cost.head_none", lang))
    figure = _need_figure(data, gap_people, rate, headline, lang)
    return Slide("cost", i18n.t("briefing.slide.needs", lang), headline, bullets, figure,
                 cites.citations(), cites.illustrative)


def _need_figure(data: BriefingData, gap_people: int | None, rate: dict[str, Any] | None,
                 headline: str, lang: str) -> FigureSpec | None:
    """The last slide's picture: the people still needed as a big number and a bar beside
    those protected now; the rupiah per year under it when a premium rate applies. Where the
    segment has no target, the Dana Desa quota (Inpres 4/2022) when that is what is known."""
    registered = data.total.get("registered")
    if gap_people is not None and registered is not None and not pd.isna(registered):
        budget = (metrics.annual_budget(gap_people, int(rate["rupiah_per_person_month"]))
                  if rate else None)
        caption = (text("need.rupiah", lang, rupiah=fmt.rupiah_words(budget, lang))
                   if budget is not None else text("need.people_only", lang))
        data_row = {"registered": int(registered), "gap": int(gap_people),
                    "big": fmt.people(gap_people, lang), "caption": caption}
        return FigureSpec("need", pd.DataFrame([data_row]), alt=headline)
    rentan = (data.rentan_total or {}).get("registered")
    if (data.rentan_target and "pekerja_rentan" in data.rates
            and data.segment in (*DANA_DESA_SEGMENTS, "all")):
        # No figure of pekerja rentan protected is not zero protected: the picture then
        # shows the quota alone, without a "protected now" part.
        have = int(rentan) if maps.is_present(rentan) else None
        gap = max(0, data.rentan_target - (have or 0))
        budget = metrics.annual_budget(gap, int(
            data.rates["pekerja_rentan"]["rupiah_per_person_month"]))
        data_row = {"registered": have, "gap": gap,
                    "big": fmt.rupiah_words(budget, lang),
                    "caption": text("need.dd", lang, people=fmt.number(gap, lang))}
        return FigureSpec("need", pd.DataFrame([data_row]), alt=headline)
    return None


def table_of(data: BriefingData, lang: str) -> pd.DataFrame:
    """The regions behind the deck as a plain table (CSV/XLSX download): numbers as numbers."""
    parts = data.parts
    return pd.DataFrame({
        "code": parts["region_code"],
        "name": parts["name"],
        "period": data.period,
        "segment": data.segment,
        "registered": parts["registered"],
        "eligible": parts["eligible"],
        "coverage_pct": parts["coverage_pct"].round(2),
        "status": [i18n.status_label(s, lang) for s in parts["status"]],
        "illustrative": parts["illustrative"],
        "sources": ["; ".join(data.citations.get(s, s) for s in lst) for lst in parts["sources"]],
    })


def few_words(slide: Slide) -> Slide:
    """At most :data:`MAX_BULLETS` lines under the headline; the rest become speaker notes,
    in order (a room reads three lines; the speaker still has everything)."""
    if len(slide.bullets) <= MAX_BULLETS:
        return slide
    return replace(slide, bullets=slide.bullets[:MAX_BULLETS],
                   notes=(*slide.bullets[MAX_BULLETS:], *slide.notes))


def with_talking_points(slides: list[Slide], data: BriefingData, lang: str) -> list[Slide]:
    """The map and trend slides carry the talking points the map and trend pages show
    (:func:`cakupan.present.talking_points.of_briefing`): one wording, two places."""
    points = tuple(talking_points.of_briefing(data, lang))
    return [replace(s, talking_points=points) if s.key in ("map", "trend") else s
            for s in slides]


def deck_from_data(data: BriefingData, lang: str = "id") -> Deck:
    """Word the numbers of :func:`collect` as five slides in ``lang``."""
    slides = [few_words(s) for s in (
        _slide_coverage(data, lang), _slide_map(data, lang), _slide_behind(data, lang),
        _slide_trend(data, lang), _slide_cost(data, lang))]
    slides = with_talking_points(slides, data, lang)
    sources = list(dict.fromkeys(c for s in slides for c in s.sources))
    title = text("deck.title", lang, segment=text(f"segment.{data.segment}", lang),
                 region=data.name, month=fmt.month(data.period, lang, style="long"))
    label = " · ".join((data.name, fmt.month(data.period, lang),
                        text(f"segment.{data.segment}", lang)))
    return Deck(title=title, region=data.region, period=data.period, lang=lang, slides=slides,
                sources=sources, segment=data.segment, table=table_of(data, lang), label=label)


def build_deck(engine: Any, *, region: str, period: str, segment: str = "all",
               lang: str = "id") -> Deck:
    """The briefing deck of a province (``"81"``) or Indonesia (``""``) for one month.

    Examples
    --------
    ``build_deck(engine, region="74", period="2018-10", segment="non_asn")`` opens with
    "Sulawesi Tenggara: 7.431 pegawai non-ASN terlindungi — 11 dari 17 kabupaten/kota belum
    mendaftar".
    """
    data = collect_from_store(engine, region=region, period=period, segment=segment,
                              lang=lang)
    return deck_from_data(data, lang)
