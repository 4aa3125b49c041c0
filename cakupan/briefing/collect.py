"""Step 1 of a deck: observation, target, premium and source frames to :class:`BriefingData`
(numbers only, via :mod:`cakupan.analysis.metrics`), testable without a database.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from cakupan import regions, store
from cakupan.analysis import metrics, published
from cakupan.analysis.targets import first_row, is_na, pick_rate, pick_target
from cakupan.briefing.model import APBD_SEGMENTS, DANA_DESA_SEGMENTS, INDONESIA, BriefingData
from cakupan.core import i18n, vocabulary
from cakupan.core.errors import CakupanError
from cakupan.core.policy import inpres4_quota
from cakupan.present import fmt
from cakupan.present.deck_text import text


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
    return vocabulary.SEGMENTS


def _national_total(obs: pd.DataFrame, period: str, segment: str,
                    provinces: list[str] | None = None) -> dict[str, Any]:
    """Indonesia = the sum of the provinces with a figure; coverage only if every one has a
    denominator (a partial sum would overstate it)."""
    provs = metrics.snapshot(obs, period=period, segment=segment,
                             codes=provinces or list(regions.provinces()["code"]))
    return _national_of(provs[provs["status"] != "no_data"])


def _national_of(known: pd.DataFrame) -> dict[str, Any]:
    """Indonesia from the province totals that have a figure (one month)."""
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
    # Each province's whole series at once, then Indonesia month by month from those totals:
    # a snapshot of every province for every month (96 x 2 of them) grew with every regency
    # a national file fills (6 s with one); the figures are the same.
    mine = obs[(obs["segment"] == segment).to_numpy()]
    parts = [metrics.series(mine, code=code, segment=segment)
             for code in regions.provinces()["code"]]
    known = pd.concat([p for p in parts if len(p)] or [parts[0]], ignore_index=True)
    known = known[known["status"] != "no_data"]
    rows = [dict(_national_of(month), period=str(p))
            for p, month in known.groupby("period", sort=True)]
    frame = pd.DataFrame(rows, columns=[*metrics.SNAPSHOT_COLUMNS])
    return frame[frame["status"] != "no_data"].reset_index(drop=True)


def citation(source: dict[str, Any], lang: str = "id") -> str:
    """A short citation for a slide: "Zonasultra.com, Okt 2018", "Instruksi Presiden Nomor 4
    Tahun 2022" (a regulation is known by its number, an article by its outlet and date)."""
    kind = str(source.get("kind") or "")
    if kind == "illustrative":
        return text("cite.illustrative", lang)
    if kind in ("regulation", "reference"):
        return str(source.get("title") or source.get("id")).split(" tentang ")[0]
    published = "" if is_na(source.get("published")) else str(source["published"])
    when = published
    if len(published) == 10:
        when = fmt.date(published, lang)
    elif len(published) == 7:
        when = fmt.month(published, lang)
    who = next(str(source[k]) for k in ("publisher", "title", "id") if not is_na(source.get(k)))
    return f"{who}, {when}" if when else who


def lead_figure(obs: pd.DataFrame, total: dict[str, Any], source_names: dict[str, str], *,
                region: str, period: str, segment: str) -> dict[str, Any]:
    """The figure a deck leads with: published first where it exists.

    ``total`` itself when it is a real figure (with its own date, ``as_of``); else the
    region's latest published figure up to ``period`` (its own month and date, which the
    headline says); else ``total`` as it is (illustrative or no data, marked so). Indonesia
    has no published row of its own here, so it leads with its total.
    """
    found = published.latest(obs, region, segment, until=period) if region else None
    if total.get("status") != "no_data" and not total.get("illustrative"):
        lead = dict(total)
        lead["as_of"] = found.as_of if found is not None and found.period == period else period
    elif found is not None:
        lead = found.as_total()
    else:
        return dict(total)
    ids = list(lead.get("sources") or [])
    lead["source_name"] = next((source_names[i] for i in ids if i in source_names), None)
    return lead


def _source_names(sources: pd.DataFrame | None) -> dict[str, str]:
    """Source id -> who published it, short (the name a headline puts in brackets):
    "TribunAmbon.com (quoting Kepala BPJS ...)" -> "TribunAmbon.com"; the slide's sources
    line keeps the whole citation."""
    if sources is None or sources.empty:
        return {}
    out = {}
    for record in sources.to_dict("records"):
        name = next((str(record[k]) for k in ("publisher", "title", "id")
                     if not is_na(record.get(k))), None)
        if name:
            out[str(record["id"])] = name.split(" (")[0].strip() or name
    return out


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
        total = first_row(metrics.snapshot(obs, period=period, segment=segment, codes=[region]))
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
    rentan_total = first_row(rentan.tail(1)) if len(rentan) else None
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
        lead=lead_figure(obs, total, _source_names(sources), region=region, period=period,
                         segment=segment),
    )


def collect_from_store(engine: Any, *, region: str, period: str, segment: str = "all",
                       lang: str = "id") -> BriefingData:
    """:func:`collect` on the store's current figures (what the deck and the overview show)."""
    region = check_request(region, period, segment, lang)
    # Only what the deck reads: its segment and pekerja rentan (the Inpres 4/2022 slide), the
    # all-programme figures. Every segment by every programme grows with each national file.
    obs = store.current_observations(engine, province=region or None, programme="any",
                                     segment=sorted({segment, "pekerja_rentan"}))
    return collect(obs, store.targets(engine), store.premium_rates(engine),
                   store.sources(engine), region=region, period=period, segment=segment,
                   lang=lang)
