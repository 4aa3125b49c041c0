"""The optional village slide of a briefing: one regency, desa by desa.

"X of Y desa have registered their aparatur desa; Z desa have not started Inpres 4/2022 --
Rp N per year from Dana Desa closes it", with the village map (desa and kelurahan by status of
aparatur desa). The numbers are :func:`cakupan.analysis.villages.regency_totals`, the words
the village view's own (``village.summary``), so the slide and the page never disagree.

Added to a deck by :func:`with_village_slide` (``brief --villages PP.RR``); the map is a
``village_map`` figure that the PNG/PDF drawing (:mod:`cakupan.present.static`) and the HTML
deck draw from the regency's village boundaries, or that is left out, with a bullet saying
why, when those cannot be had here.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pandas as pd

from cakupan import regions, store
from cakupan.analysis import villages
from cakupan.briefing.collect import citation
from cakupan.briefing.model import Deck, Slide
from cakupan.core import i18n
from cakupan.core.errors import CakupanError, GeoUnavailable
from cakupan.present import fmt
from cakupan.present.figure_spec import FigureSpec

KIND = "village_map"


def _store_rows(engine: Any, regency: str) -> pd.DataFrame:
    frames = [store.current_observations(engine, segment=s, province=regency[:2])
              for s in villages.SEGMENTS]
    rows = pd.concat(frames, ignore_index=True)
    return rows[rows["region_code"].astype(str).str.len() == 13]


def village_slide(regency: str, period: str, lang: str = "id", *,
                  store_rows: pd.DataFrame | None = None,
                  citations: dict[str, str] | None = None,
                  rupiah_per_person_month: int = 16_800) -> Slide:
    """The slide for ``regency`` (``"81.03"``) at ``period``."""
    from cakupan.geo import villages as vgeo

    drawn: set[str] | None = None
    try:
        if vgeo.available(regency):
            drawn = set(vgeo.load_village_shapes(regency)["code"])
    except (GeoUnavailable, CakupanError):
        drawn = None
    table = villages.village_table(regency, period, store_rows, drawn,
                                   rupiah_per_person_month=rupiah_per_person_month)
    totals = villages.regency_totals(table)
    headline = i18n.t("village.summary", lang,
                      registered=fmt.number(totals["aparatur_registered_desa"], lang),
                      desa=fmt.number(totals["desa"], lang),
                      not_started=fmt.number(totals["rentan_not_started_desa"], lang),
                      cost=fmt.rupiah(totals["rentan_cost"], lang))
    counts = table["status"].value_counts()
    bullets = [f"{i18n.status_label(s, lang)}: {fmt.number(int(counts.get(s, 0)), lang)}"
               for s in ("registered", "partial", "unregistered", "no_data") if counts.get(s)]
    bullets.append(i18n.t("village.rate_note", lang))
    figure = None
    if drawn is not None:
        bullets.append(i18n.t("village.boundary_counts", lang,
                              total=fmt.number(len(table), lang),
                              drawn=fmt.number(totals["with_boundary"], lang),
                              missing=fmt.number(len(table) - totals["with_boundary"], lang)))
        figure = FigureSpec(KIND, table[["code", "name", "status"]].copy(), view=regency,
                            alt=headline)
    else:
        bullets.append(i18n.t("village.unavailable", lang, regency=regency))
    cites = citations or {}
    ids = sorted({str(s) for c in ("aparatur_source", "rentan_source")
                  for s in table[c].dropna()})
    illustrative = bool(table[["aparatur_illustrative", "rentan_illustrative"]]
                        .eq(True).any().any())
    # short: the slide's title line also holds the illustrative badge
    title = f"{regions.name_of(regency, short=True)} · {i18n.t('village.kind.desa', lang)}"
    return Slide("villages", title, headline, bullets,
                 figure, [cites.get(i, i) for i in ids], illustrative)


def with_village_slide(deck: Deck, engine: Any, regency: str) -> Deck:
    """``deck`` with the village slide of ``regency`` appended (its sources added)."""
    sources = store.sources(engine)
    cites = {str(r["id"]): citation(dict(r), deck.lang) for r in sources.to_dict("records")}
    rates = store.premium_rates(engine)
    rate = rates[rates["segment"] == "pekerja_rentan"]
    per_month = int(rate["rupiah_per_person_month"].iloc[-1]) if len(rate) else 16_800
    slide = village_slide(regency, deck.period, deck.lang,
                          store_rows=_store_rows(engine, regency), citations=cites,
                          rupiah_per_person_month=per_month)
    return replace(deck, slides=[*deck.slides, slide],
                   sources=list(dict.fromkeys([*deck.sources, *slide.sources])))
