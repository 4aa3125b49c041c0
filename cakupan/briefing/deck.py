"""The briefing deck: from stored figures to five slides, one message each.

A governor's meeting has ten minutes and one decision, so every slide says one thing in a
headline a room can read, backs it with a few short bullets and at most one picture, and names
its sources on the slide itself. The deck is plain data (:class:`Deck`); the page, the PPTX and
the PDF all draw the same object, so the projector and the file never disagree.

Two steps keep the logic testable without a database:

1. :func:`collect` turns observation, target, premium and source frames into a
   :class:`BriefingData` (numbers only, via :mod:`cakupan.metrics`);
2. :func:`deck_from_data` turns that into words for one language (via :mod:`cakupan.fmt`).

:func:`build_deck` does both with frames read from the store.

Slides: ``coverage`` (coverage vs target, headline in words), ``map`` (status of each regency),
``behind`` (regions furthest behind), ``trend`` (trend and projection to the deadline), ``cost``
(people, months and rupiah per year: APBD for non-ASN, Dana Desa for pekerja rentan under
Inpres 4/2022).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from cakupan import regions
from cakupan.analysis import metrics
from cakupan.core import i18n
from cakupan.core.errors import CakupanError
from cakupan.core.months import month_index, months_between, period_at
from cakupan.core.policy import inpres4_quota
from cakupan.present import fmt
from cakupan.present.deck_text import text

SLIDE_KEYS: tuple[str, ...] = ("coverage", "map", "behind", "trend", "cost")
#: ``region`` value meaning the whole country (the URL has no ``region`` parameter then).
INDONESIA = ""
#: Rows shown on the "furthest behind" slide: all 11 unregistered Sultra regencies fit.
BEHIND_ROWS = 12
#: Names listed in one bullet before "and N more".
MAX_NAMES = 12
#: Credit for the boundary files, shown on map slides (their MIT licence asks for it).
BOUNDARY_CITATION = "Batas wilayah: cahyadsn/wilayah_boundaries (MIT)"
#: Segments whose premiums a regional government pays from its APBD / villages from Dana Desa.
APBD_SEGMENTS = ("non_asn",)
DANA_DESA_SEGMENTS = ("pekerja_rentan",)
#: Which message leads the "what it takes" slide when several apply (most concrete first).
COST_HEADLINE_ORDER = ("cost.head_people", "cost.head_people_only", "cost.head_unreg",
                       "cost.head_dd", "cost.head_points")


@dataclass(frozen=True)
class FigureSpec:
    """What picture a slide shows, as data; :mod:`cakupan.static` draws it.

    ``data`` columns by ``kind``: ``map``: code, name, status, coverage_pct;
    ``ranking``: name, coverage_pct, status; ``trend``: period, value, line
    ("actual" | "projection" | "target"), illustrative.
    """

    kind: str
    data: pd.DataFrame
    view: str | None = None  # map: "national" or a province code
    metric: str = "status"  # map: "status" or "coverage"
    unit: str = "pct"  # trend: "pct" or "people"
    target_pct: float | None = None  # ranking: a vertical target line
    alt: str = ""  # the picture in words (PPTX alt text, screen readers)


@dataclass(frozen=True)
class Slide:
    """One message: a headline, a few bullets, at most one figure, its own sources."""

    key: str
    title: str
    headline: str
    bullets: list[str]
    figure: FigureSpec | None
    sources: list[str]  # formatted citations shown on the slide
    illustrative: bool  # any figure on the slide is illustrative: the slide says so


@dataclass(frozen=True)
class Deck:
    """A briefing for one region (province code, or ``""`` for Indonesia) and month."""

    title: str
    region: str
    period: str
    lang: str
    slides: list[Slide]
    sources: list[str]  # every citation of every slide, in order of first use
    segment: str = "all"
    table: pd.DataFrame = field(default_factory=pd.DataFrame)  # the regions behind the deck
    label: str = ""  # short running head: "Maluku · Nov 2024 · semua pekerja"


@dataclass(frozen=True)
class BriefingData:
    """The numbers behind a deck, before any wording (the output of :func:`collect`)."""

    region: str
    name: str
    period: str
    segment: str
    total: dict[str, Any]  # one snapshot row (metrics.SNAPSHOT_COLUMNS)
    parts: pd.DataFrame  # snapshot of the regencies (or provinces for Indonesia) + ``name``
    units: str  # "regency" | "province": what ``parts`` holds
    map_view: str
    map_values: pd.DataFrame  # code, name, status, coverage_pct for every region of the view
    series: pd.DataFrame  # metrics.series up to ``period``
    target: dict[str, Any] | None
    rates: dict[str, dict[str, Any]]  # segment -> premium row valid at ``period``
    rentan_total: dict[str, Any] | None  # latest pekerja_rentan figure up to ``period``
    rentan_target: int | None  # Inpres 4/2022 quota (100 per desa)
    non_asn_target: dict[str, Any] | None
    desa: int
    citations: dict[str, str]  # source id -> citation as shown on a slide
    illustrative_sources: frozenset[str] = frozenset()


# ------------------------------------------------------------------------------ collect

def check_request(region: str | None, period: str, segment: str, lang: str) -> str:
    """Refuse what no deck can be made for, with a message that says what was expected."""
    region = (region or "").strip()
    if region and not regions.is_province_code(region):
        raise CakupanError(f"briefings are made for a province (code PP, e.g. '81') or for "
                           f"Indonesia (no region); got {region!r}")
    try:
        fmt.parse_period(period)
    except ValueError as err:
        raise CakupanError(f"period {period!r}: expected YYYY-MM, e.g. 2024-11") from err
    if segment not in (*metrics_segments(),):
        raise CakupanError(f"unknown segment {segment!r}; expected one of "
                           f"{', '.join(metrics_segments())}")
    if lang not in i18n.LANGS:
        raise CakupanError(f"unknown language {lang!r}; expected one of {', '.join(i18n.LANGS)}")
    return region


def metrics_segments() -> tuple[str, ...]:
    """The segment vocabulary of CONTRACTS.md."""
    return ("non_asn", "aparatur_desa", "pekerja_rentan", "pu", "bpu", "jakon", "all")


def _row(frame: pd.DataFrame) -> dict[str, Any]:
    return {k: (None if _na(v) else v) for k, v in frame.iloc[0].to_dict().items()}


def _na(value: object) -> bool:
    if isinstance(value, list | tuple | np.ndarray):
        return False
    return value is None or bool(pd.isna(value))


def _national_total(obs: pd.DataFrame, period: str, segment: str) -> dict[str, Any]:
    """Indonesia = the sum of the provinces with a figure; coverage only if every one has a
    denominator (a partial sum would overstate it)."""
    provs = metrics.snapshot(obs, period=period, segment=segment,
                             codes=list(regions.provinces()["code"]))
    known = provs[provs["status"] != "no_data"]
    if known.empty:
        return {"region_code": INDONESIA, "registered": None, "eligible": None,
                "coverage_pct": None, "status": "no_data", "illustrative": False,
                "sources": [], "aggregated": True}
    registered = known["registered"].dropna()
    reg = int(registered.sum()) if len(registered) else None
    elig = int(known["eligible"].sum()) if known["eligible"].notna().all() else None
    sources = sorted({s for lst in known["sources"] for s in lst})
    return {"region_code": INDONESIA, "registered": reg, "eligible": elig,
            "coverage_pct": metrics.coverage(reg, elig), "status": metrics.status_of(reg, elig),
            "illustrative": bool(known["illustrative"].any()), "sources": sources,
            "aggregated": True}


def _series(obs: pd.DataFrame, region: str, segment: str) -> pd.DataFrame:
    if region:
        return metrics.series(obs, code=region, segment=segment)
    periods = sorted(set(obs.loc[obs["segment"] == segment, "period"]))
    rows = [dict(_national_total(obs, p, segment), period=p) for p in periods]
    frame = pd.DataFrame(rows, columns=[*metrics.SNAPSHOT_COLUMNS])
    return frame[frame["status"] != "no_data"].reset_index(drop=True)


def pick_target(targets: pd.DataFrame, region: str, segment: str,
                period: str) -> dict[str, Any] | None:
    """The target that applies at ``period``: the nearest deadline not yet passed, else one
    without a deadline, else the one that passed last."""
    if targets is None or targets.empty:
        return None
    rows = targets[(targets["region_code"].astype(str) == region)
                   & (targets["segment"] == segment)
                   & (targets.get("programme", "any") == "any")]
    if rows.empty:
        return None
    # The sort key is a column before filtering: assigning a Series to an empty frame would
    # adopt the Series' index and bring rows back.
    rows = rows.assign(_d=rows["deadline"].fillna("").astype(str))
    for subset in (rows[rows["_d"] >= period].sort_values("_d"),
                   rows[rows["_d"] == ""],
                   rows[(rows["_d"] != "") & (rows["_d"] < period)]
                   .sort_values("_d", ascending=False)):
        if len(subset):
            return _row(subset.drop(columns="_d"))
    return None


def pick_rate(rates: pd.DataFrame, segment: str, period: str) -> dict[str, Any] | None:
    """The JKK+JKM premium of a segment valid at ``period`` (the latest ``valid_from`` not
    after it); JKK and JKM rows are added up when no combined row exists."""
    if rates is None or rates.empty:
        return None
    rows = rates[(rates["segment"] == segment) & (rates["valid_from"].astype(str) <= period)]
    combined = rows[rows["programme"] == "jkk+jkm"]
    if len(combined):
        return _row(combined.sort_values("valid_from", ascending=False))
    parts = [rows[rows["programme"] == p].sort_values("valid_from", ascending=False)
             for p in ("jkk", "jkm")]
    if all(len(p) for p in parts):
        first = [_row(p) for p in parts]
        return {"programme": "jkk+jkm", "segment": segment,
                "rupiah_per_person_month": sum(int(r["rupiah_per_person_month"]) for r in first),
                "valid_from": max(r["valid_from"] for r in first),
                "source_id": first[0]["source_id"], "extra_sources": [first[1]["source_id"]]}
    return None


def citation(source: dict[str, Any], lang: str = "id") -> str:
    """A short citation for a slide: "Zonasultra.com, Okt 2018", "Instruksi Presiden Nomor 4
    Tahun 2022" (a regulation is known by its number, an article by its outlet and date)."""
    kind = str(source.get("kind") or "")
    if kind == "illustrative":
        return text("cite.illustrative", lang)
    if kind in ("regulation", "reference"):
        return str(source.get("title") or source.get("id")).split(" tentang ")[0]
    published = "" if _na(source.get("published")) else str(source["published"])
    when = published
    if len(published) == 10:
        when = fmt.date(published, lang)
    elif len(published) == 7:
        when = fmt.month(published, lang)
    who = next(str(source[k]) for k in ("publisher", "title", "id") if not _na(source.get(k)))
    return f"{who}, {when}" if when else who


def collect(obs: pd.DataFrame, targets: pd.DataFrame, rates: pd.DataFrame,
            sources: pd.DataFrame, *, region: str, period: str, segment: str,
            lang: str = "id") -> BriefingData:
    """The numbers for a deck from plain frames (the store's, or a test's).

    Only observations up to ``period`` are used: a briefing "as of" a month cannot know the
    months after it.
    """
    region = check_request(region, period, segment, lang)
    obs = obs[obs["period"].astype(str) <= period]
    if region:
        name = regions.get(region).name
        desa = regions.get(region).desa
        part_codes = list(regions.regencies(region)["code"])
        units = "regency"
        total = _row(metrics.snapshot(obs, period=period, segment=segment, codes=[region]))
    else:
        name = i18n.t("region.indonesia", lang)
        desa = int(regions.provinces()["desa"].sum())
        part_codes = list(regions.provinces()["code"])
        units = "province"
        total = _national_total(obs, period, segment)
    names = regions.load_regions().set_index("code")["name"]
    parts = metrics.snapshot(obs, period=period, segment=segment, codes=part_codes)
    parts.insert(1, "name", parts["region_code"].map(names))
    if region:
        map_values = parts
    else:
        map_values = metrics.snapshot(obs, period=period, segment=segment,
                                      codes=list(regions.regencies()["code"]))
        map_values.insert(1, "name", map_values["region_code"].map(names))
    map_values = map_values.rename(columns={"region_code": "code"})[
        ["code", "name", "status", "coverage_pct"]]

    rentan = _series(obs, region, "pekerja_rentan")
    rentan_total = _row(rentan.tail(1)) if len(rentan) else None
    quota = pick_target(targets, region, "pekerja_rentan", period)
    rentan_target = (int(quota["target_count"]) if quota and quota.get("target_count")
                     else inpres4_quota(desa))

    src = sources.set_index("id") if sources is not None and len(sources) else pd.DataFrame()
    citations = {sid: citation(dict(row, id=sid), lang) for sid, row in src.iterrows()}
    illus = frozenset(src.index[src["kind"] == "illustrative"]) if len(src) else frozenset()
    return BriefingData(
        region=region, name=name, period=period, segment=segment, total=total, parts=parts,
        units=units, map_view=region or "national", map_values=map_values,
        series=_series(obs, region, segment), target=pick_target(targets, region, segment, period),
        rates={s: r for s in (segment, *APBD_SEGMENTS, *DANA_DESA_SEGMENTS)
               if (r := pick_rate(rates, s, period)) is not None},
        rentan_total=rentan_total, rentan_target=rentan_target,
        non_asn_target=pick_target(targets, region, "non_asn", period), desa=desa,
        citations=citations, illustrative_sources=illus,
    )


def collect_from_store(engine: Any, *, region: str, period: str, segment: str = "all",
                       lang: str = "id") -> BriefingData:
    """:func:`collect` on the store's current figures (what the deck and the overview show)."""
    from cakupan import store

    region = check_request(region, period, segment, lang)
    obs = store.current_observations(engine, province=region or None)
    return collect(obs, store.targets(engine), store.premium_rates(engine),
                   store.sources(engine), region=region, period=period, segment=segment,
                   lang=lang)


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


# ------------------------------------------------------------------------------ wording

def whole_pct(value: float | None, lang: str) -> str:
    """"40%" for a whole percentage, "40,5%" otherwise: headlines should not say "40,0%"."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return fmt.MISSING
    digits = 0 if abs(round(float(value), 1) - round(float(value))) < 1e-9 else 1
    return fmt.pct(value, lang, digits)


class _Cites:
    """Collects citations for one slide (and remembers whether any is illustrative)."""

    def __init__(self, data: BriefingData) -> None:
        self.data = data
        self.ids: list[str] = []
        self.extra: list[str] = []
        self.illustrative = False

    def add(self, ids: object, illustrative: bool = False) -> None:
        if isinstance(ids, str):
            ids = [ids]
        for sid in ids or []:
            if sid and sid not in self.ids:
                self.ids.append(str(sid))
            if sid in self.data.illustrative_sources:
                self.illustrative = True
        self.illustrative = self.illustrative or bool(illustrative)

    def row(self, row: dict[str, Any] | None) -> None:
        if row:
            self.add(row.get("sources") or row.get("source_id"),
                     bool(row.get("illustrative")))
            self.add(row.get("extra_sources"))

    def frame(self, frame: pd.DataFrame) -> None:
        if len(frame):
            self.add(sorted({s for lst in frame["sources"] for s in lst}),
                     bool(frame["illustrative"].any()))

    def citations(self) -> list[str]:
        out = [self.data.citations.get(sid, sid) for sid in self.ids]
        return list(dict.fromkeys(out + self.extra))


def _short(name: str) -> str:
    return str(name).removeprefix("Kabupaten ").removeprefix("Kota ")


def _names(names: list[str], lang: str) -> str:
    shown = [_short(n) for n in names[:MAX_NAMES]]
    rest = len(names) - len(shown)
    joined = ", ".join(shown)
    return f"{joined} {text('behind.more', lang, n=rest)}" if rest > 0 else joined


def _counts(data: BriefingData) -> dict[str, int]:
    return {s: int((data.parts["status"] == s).sum()) for s in metrics.STATUSES}


def _deadline_text(target: dict[str, Any] | None, lang: str) -> str | None:
    if not target or not target.get("deadline"):
        return None
    return fmt.month(str(target["deadline"]), lang, style="long")


def _slide_coverage(data: BriefingData, lang: str) -> Slide:
    total, target = data.total, data.target
    cites = _Cites(data)
    cites.row(total)
    pct = total.get("coverage_pct")
    seg = text(f"segment.{data.segment}", lang)
    counts = _counts(data)
    units = text(f"units.{data.units}", lang)
    target_pct = target.get("target_pct") if target else None
    deadline = _deadline_text(target, lang)
    has_counts = total.get("registered") is not None and total.get("eligible") is not None

    if pct is not None and target_pct is not None and deadline:
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
        bullets.append(text("b.reported", lang, pct=whole_pct(pct, lang)))
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
    return Slide("coverage", text("slide.coverage", lang), headline, bullets, None,
                 cites.citations(), cites.illustrative)


def _slide_map(data: BriefingData, lang: str) -> Slide:
    counts = _counts(data)
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
    cites = _Cites(data)
    cites.frame(data.parts)
    cites.extra.append(BOUNDARY_CITATION)
    alt = "; ".join(bullets)
    figure = FigureSpec("map", data.map_values, view=data.map_view, metric="status", alt=alt)
    return Slide("map", text("slide.map", lang), headline, bullets, figure, cites.citations(),
                 cites.illustrative)


def _slide_behind(data: BriefingData, lang: str) -> Slide:
    units = text(f"units.{data.units}", lang)
    ranked = metrics.ranking(data.parts, n=BEHIND_ROWS, ascending=True)
    unreg = data.parts[data.parts["status"] == "unregistered"]
    if len(unreg):
        headline = text("behind.head_unreg", lang, n=len(unreg), units=units)
        bullets = [i18n.t("briefing.unregistered_list", lang,
                          names=_names(list(unreg["name"]), lang))]
        others = ranked[ranked["status"] != "unregistered"].head(3)
    elif len(ranked):
        first = ranked.iloc[0]
        headline = text("behind.head_lowest", lang, name=_short(first["name"]),
                        pct=whole_pct(first["coverage_pct"], lang))
        bullets = []
        others = ranked.head(5)
    else:
        headline = text("behind.head_none", lang)
        bullets, others = [], ranked
    bullets += [text("behind.row", lang, name=_short(r["name"]),
                     pct=whole_pct(r["coverage_pct"], lang)) for _, r in others.iterrows()]
    cites = _Cites(data)
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
    cites = _Cites(data)
    cites.frame(actual)
    if target:
        cites.row(target)
    figure = FigureSpec("trend", points, unit=unit, alt=headline)
    return Slide("trend", text("slide.trend", lang), headline, bullets, figure,
                 cites.citations(), cites.illustrative)


def _rate_bullet(rate: dict[str, Any], lang: str) -> str:
    monthly = int(rate["rupiah_per_person_month"])
    return text("cost.apbd_unit", lang, programme=str(rate["programme"]).upper().replace("+", "+"),
                monthly=fmt.rupiah(monthly, lang), yearly=fmt.rupiah(monthly * 12, lang))


def _slide_cost(data: BriefingData, lang: str) -> Slide:
    total, target = data.total, data.target
    cites = _Cites(data)
    bullets: list[str] = []
    heads: list[tuple[str, str]] = []

    def head(key: str, **values: object) -> None:
        heads.append((key, text(key, lang, **values)))

    counts = _counts(data)
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
                                    deadline=_deadline_text(target, lang),
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
                                deadline=_deadline_text(target, lang)))
            head("cost.head_points", points=fmt.points(gap, lang),
                 deadline=_deadline_text(target, lang))

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
    return Slide("cost", i18n.t("briefing.slide.needs", lang), headline, bullets, None,
                 cites.citations(), cites.illustrative)


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


def deck_from_data(data: BriefingData, lang: str = "id") -> Deck:
    """Word the numbers of :func:`collect` as five slides in ``lang``."""
    slides = [_slide_coverage(data, lang), _slide_map(data, lang), _slide_behind(data, lang),
              _slide_trend(data, lang), _slide_cost(data, lang)]
    sources = list(dict.fromkeys(c for s in slides for c in s.sources))
    title = text("deck.title", lang, segment=text(f"segment.{data.segment}", lang),
                 region=data.name, month=fmt.month(data.period, lang, style="long"))
    label = " · ".join((data.name, fmt.month(data.period, lang),
                        text(f"segment.{data.segment}", lang)))
    return Deck(title=title, region=data.region, period=data.period, lang=lang, slides=slides,
                sources=sources, segment=data.segment, table=table_of(data, lang), label=label)
