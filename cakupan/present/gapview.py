"""The map by target path and by UCJ category: values -> categories, tooltips, legend, alt text.

Two more map metrics beside :mod:`cakupan.present.mapview`'s status and coverage:

* ``gap``: points ahead of / behind the straight path to a named target
  (:mod:`cakupan.analysis.target_gap`), four bins, each named in words in the legend; the
  legend also says how many regencies follow their province's (or the national) target, and
  every tooltip ends with the pace it takes ("perlu +2 poin per bulan").
* ``ucj_category``: sangat rendah / rendah / sedang / tinggi (:mod:`cakupan.analysis.ucj`),
  with the thresholds in the legend and "asumsi" while they are an assumption.

Both draw with :func:`cakupan.present.maps.category_figure`: one trace, geometry by URL.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from cakupan import geo, regions
from cakupan.analysis import target_gap, ucj
from cakupan.analysis.targets import is_na
from cakupan.core.i18n import t
from cakupan.present import fmt, maps, mapview, palette
from cakupan.present.talking_points import pct_text


def target_label(row: Mapping[str, Any], lang: str) -> str:
    """How the switcher names a target: "Target BPJAMSOSTEK Maluku 2024: 55% pada Des 2024
    (Maluku)"."""
    code = str(row.get("region_code") or "")
    where = (t("region.indonesia", lang) if code in target_gap.NATIONAL_CODES
             else regions.name_of(code))
    return t("target.option", lang, basis=row.get("basis") or row.get("id"),
             target=pct_text(float(row["target_pct"]), lang),
             deadline=fmt.month(str(row["deadline"]), lang), region=where)


def gap_word(category: str, lang: str) -> str:
    return t(f"gap.{category}", lang)


def _follows(row: Mapping[str, Any], lang: str) -> str | None:
    how = row.get("inherited")
    if how is None or is_na(how):
        return None
    return t(f"tooltip.gap_follows.{how}", lang,
             target=f"{pct_text(float(row['target_pct']), lang)} "
                    f"({fmt.month(str(row['deadline']), lang)})")


def gap_detail(row: Mapping[str, Any], lang: str, period: str) -> str:
    """The tooltip of one region: its bin, coverage, path, gap, base, whose target it
    follows, and "perlu +X poin per bulan"."""
    lines = [gap_word(str(row["category"]), lang)]
    if is_na(row.get("target_id")):
        return "\n".join([*lines, t("tooltip.gap_no_target", lang)])
    pct = row.get("coverage_pct")
    if not is_na(pct):
        lines.append(t("tooltip.coverage", lang, value=fmt.pct(float(pct), lang)))
    if not is_na(row.get("path_pct")):
        lines.append(t("tooltip.gap_path", lang, month=fmt.month(period, lang),
                       value=fmt.pct(float(row["path_pct"]), lang)))
    if not is_na(row.get("gap_pts")):
        lines.append(t("tooltip.gap_points", lang,
                       value=fmt.points(float(row["gap_pts"]), lang, signed=True)))
    if not is_na(row.get("base_period")):
        lines.append(t("tooltip.gap_base", lang, value=fmt.pct(float(row["base_pct"]), lang),
                       month=fmt.month(str(row["base_period"]), lang)))
    else:
        lines.append(t("tooltip.gap_no_base", lang,
                       month=fmt.month(str(row["deadline"]), lang)))
    follows = _follows(row, lang)
    if follows:
        lines.append(follows)
    needed = row.get("needed_pts")
    if not is_na(row.get("gap_pts")):
        if needed is None or is_na(needed):
            lines.append(t("tooltip.gap_passed", lang,
                           deadline=fmt.month(str(row["deadline"]), lang)))
        elif float(needed) == 0:
            lines.append(t("tooltip.gap_met", lang))
        else:
            lines.append(t("tooltip.gap_needed", lang,
                           value=fmt.points(float(needed), lang, signed=True)))
    return "\n".join(lines)


def gap_values(gaps: pd.DataFrame, lang: str, period: str) -> pd.DataFrame:
    """``code, category, detail`` for :func:`category_map` from a
    :func:`target_gap.gap_frame`."""
    return pd.DataFrame({"code": gaps["code"], "category": gaps["category"],
                         "detail": [gap_detail(r, lang, period)
                                    for r in gaps.to_dict("records")]})


def gap_legend_title(gaps: pd.DataFrame, label: str, lang: str) -> str:
    """"Selisih dari jalur target: <target>", plus who follows whose target: "9
    kabupaten/kota tanpa target sendiri mengikuti target provinsi"."""
    parts = [t("legend.gap", lang, target=label)]
    inherited = gaps["inherited"]
    n_prov = int((inherited == "province").sum())
    n_nat = int((inherited == "national").sum())
    if n_prov:
        parts.append(t("legend.gap_inherited", lang, n=fmt.number(n_prov, lang)))
    if n_nat:
        parts.append(t("legend.gap_national", lang, n=fmt.number(n_nat, lang)))
    return " · ".join(parts)


def gap_alt_text(gaps: pd.DataFrame, label: str, lang: str, month: str) -> str:
    """The gap map in one sentence with its counts (its text alternative)."""
    counts = {c: fmt.number(int((gaps["category"] == c).sum()), lang)
              for c in (*target_gap.GAP_CATEGORIES, target_gap.NO_PATH)}
    return t("map.alt.gap", lang, month=month, target=label,
             total=fmt.number(len(gaps), lang), **counts)


def ucj_label(category: str, lang: str) -> str:
    """"Sangat rendah (0–25%)": the category with its thresholds, from the data file."""
    if category not in ucj.CATEGORIES:
        return t("status.no_data", lang)
    row = ucj.thresholds().set_index("category").loc[category]
    low, high = float(row["lower_pct"]), float(row["upper_pct"])
    span = f"{fmt.number(low, lang)}–{pct_text(high, lang)}"
    return t("ucj.range", lang, label=t(f"ucj.{category}", lang), range=span)


def ucj_values(snapshot: pd.DataFrame, lang: str,
               citations: Mapping[str, str] | None = None) -> pd.DataFrame:
    """``code, category, detail``: the coverage tooltip of the status map plus its UCJ
    category."""
    base = mapview.map_values(snapshot, lang, citations)
    cats = [ucj.ucj_category(v) for v in base["coverage_pct"]]
    detail = [f"{t('tooltip.ucj', lang, value=ucj_label(c, lang))}\n{d}"
              if c != ucj.NO_DATA else d for c, d in zip(cats, base["detail"], strict=True)]
    return pd.DataFrame({"code": base["code"], "category": cats, "detail": detail})


def ucj_legend_title(lang: str) -> str:
    title = t("legend.ucj", lang)
    return f"{title} · {t('legend.ucj_assumption', lang)}" if ucj.is_assumption() else title


def ucj_alt_text(values: pd.DataFrame, lang: str, month: str) -> str:
    counts = {c: fmt.number(int((values["category"] == c).sum()), lang)
              for c in (*ucj.CATEGORIES, ucj.NO_DATA)}
    return t("map.alt.ucj", lang, month=month, total=fmt.number(len(values), lang), **counts)


def ucj_sources_note(lang: str) -> str:
    """The Sources page's line on the UCJ thresholds, saying whether they are assumed."""
    ranges = "; ".join(ucj_label(c, lang) for c in ucj.CATEGORIES)
    basis = t("sources.ucj_assumption" if ucj.is_assumption() else "sources.ucj_official",
              lang)
    return t("sources.ucj", lang, ranges=ranges, basis=basis)


def category_map(view: str, values: pd.DataFrame, *, metric: str, lang: str,
                 legend_title: str, height: int = 560,
                 geojson_url: str | None = None) -> go.Figure:
    """The map of one view by ``gap`` or ``ucj_category``.

    Raises :class:`cakupan.core.errors.GeoUnavailable` when the boundaries cannot be had.
    """
    if metric == "gap":
        categories, colours = target_gap.GAP_CATEGORIES, palette.GAP_COLOURS

        def label(key: str) -> str:
            return gap_word(key, lang)
    else:
        categories, colours = ucj.CATEGORIES, palette.ucj_colours()

        def label(key: str) -> str:
            return ucj_label(key, lang)
    return maps.category_figure(
        geo.view_geojson(view), values, categories=categories, colours=colours, labels=label,
        bounds=geo.view_bounds(view), height=height, separators=fmt.plotly_separators(lang),
        legend_title=legend_title, geojson_url=geojson_url, revision=metric)
