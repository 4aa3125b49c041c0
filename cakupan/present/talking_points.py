"""Talking points: two or three plain sentences from the figures, each figure with its month.

"Maluku 39,45% pada Des 2024. Perlu +2 poin per bulan untuk 63,88% pada Des 2025. 3 dari 11
kabupaten/kota di bawah 20% pada Des 2024; terendah Kepulauan Tanimbar 17%."

One pure function (:func:`sentences`) words them for the map and trend pages *and* the
briefing deck (its map and trend slides carry them as notes), so what a branch head reads on
screen is what the projector shows. The inputs are plain values and frames, no store, so the
page and the deck only have to pass the same figures to say the same thing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from cakupan.analysis.target_gap import needed_per_month
from cakupan.analysis.targets import is_na
from cakupan.core.i18n import t
from cakupan.core.months import months_between
from cakupan.present import fmt

#: Coverage below which a part (regency, or province for Indonesia) is counted out loud.
LOW_PCT = 20.0


def pct_text(value: float, lang: str) -> str:
    """A percentage as published: "39,45%", "55%"; a computed share gets one decimal
    ("40,4%" for 40.402075), so no spurious precision is read out."""
    v = float(value)
    for digits in (0, 1, 2):
        if abs(v - round(v, digits)) < 1e-9:
            return fmt.pct(v, lang, digits)
    return fmt.pct(v, lang, 1)


def _short(name: str) -> str:
    return str(name).removeprefix("Kabupaten ").removeprefix("Kota ")


def _value(row: Mapping[str, Any] | None, key: str) -> Any:
    value = (row or {}).get(key)
    return None if value is None or is_na(value) else value


def sentences(name: str, total: Mapping[str, Any] | None, target: Mapping[str, Any] | None,
              parts: pd.DataFrame | None, *, units: str, period: str,
              lang: str = "id") -> list[str]:
    """Up to three sentences about one region in ``period``.

    Parameters
    ----------
    name
        The region as people say it ("Maluku").
    total
        The region's figure (``coverage_pct``, ``registered``, optionally its own ``period``
        and, for a published figure, ``as_of``: its date, "31 Des 2024").
    target
        The target that applies (``target_pct`` or ``target_count``, ``deadline``), or None.
    parts
        Its regencies (or provinces) with ``name`` and ``coverage_pct`` in ``period``.
    units
        ``"regency"`` or ``"province"``: what ``parts`` holds.

    Returns
    -------
    list[str]
        1. the level with its month; 2. what the target takes (points per month to the
        deadline, met, or passed); 3. how many parts are below :data:`LOW_PCT` and the lowest.
        A sentence whose figures are missing is left out, never guessed.
    """
    out: list[str] = []
    as_of = str(_value(total, "as_of") or "")  # a published figure's own date, if known
    when = as_of[:7] if as_of else str(_value(total, "period") or period)
    month = fmt.date(as_of, lang) if len(as_of) == 10 else fmt.month(when, lang)
    pct = _value(total, "coverage_pct")
    registered = _value(total, "registered")
    if pct is not None and len(as_of) == 10:
        out.append(t("talk.level_date", lang, region=name, pct=pct_text(pct, lang),
                     date=month))
    elif pct is not None:
        out.append(t("talk.level", lang, region=name, pct=pct_text(pct, lang), month=month))
    elif registered is not None:
        out.append(t("talk.count", lang, region=name, people=fmt.people(registered, lang),
                     month=month))
    else:
        out.append(t("talk.no_data", lang, region=name, month=fmt.month(period, lang)))

    target_pct = _value(target, "target_pct")
    deadline = _value(target, "deadline")
    if pct is not None and target_pct is not None and deadline:
        deadline = str(deadline)
        values = {"target": pct_text(target_pct, lang), "deadline": fmt.month(deadline, lang)}
        needed = needed_per_month(float(pct), float(target_pct), when, deadline)
        if needed == 0:
            out.append(t("talk.met", lang, **values))
        elif needed is None or months_between(when, deadline) <= 0:
            out.append(t("talk.passed", lang, points=fmt.points(
                float(target_pct) - float(pct), lang), **values))
        else:
            out.append(t("talk.needed", lang, points=fmt.points(needed, lang, signed=True),
                         **values))

    if parts is not None and len(parts) and "coverage_pct" in parts:
        known = parts[parts["coverage_pct"].notna()]
        if len(known):
            low = known.loc[known["coverage_pct"].astype(float).idxmin()]
            below = int((known["coverage_pct"].astype(float) < LOW_PCT).sum())
            values = {"threshold": pct_text(LOW_PCT, lang), "month": fmt.month(period, lang),
                      "units": t(f"brief.units.{units}", lang), "total": fmt.number(
                          len(parts), lang), "name": _short(low["name"]),
                      "pct": pct_text(float(low["coverage_pct"]), lang)}
            key = "talk.below" if below else "talk.none_below"
            out.append(t(key, lang, n=fmt.number(below, lang), **values))
    return out


def of_briefing(data: Any, lang: str = "id",
                target: Mapping[str, Any] | None = None) -> list[str]:
    """:func:`sentences` for a briefing's numbers (``cakupan.briefing.BriefingData``, read by
    attribute so this module stays below the briefing): the region's leading figure (its
    latest published one when the month's is only illustrative), its target (or ``target``,
    e.g. the one chosen on the gap map) and its parts. The deck's slides and the pages call
    this same function with the same data, so they say the same sentences."""
    total = getattr(data, "leading", None) or data.total
    return sentences(data.name, total, target if target is not None else data.target,
                     data.parts, units=data.units, period=data.period, lang=lang)
