"""The profile's other published figures: a regency's published measures, one line each.

UCJ coverage cells of the monthly grid are the observations the charts show; everything else a
source published about the regency (a 2025 coverage figure, people funded by a budget, an award
rank, a plan, figures that do not add up as printed) is a ``store.published_measures`` row.
Listed here with its own date as printed and its source, so the profile shows every published
figure about the place, marked as not anchoring the illustrative panel. Village counts are the
village view's (``ui/village_view.py``).
"""

from __future__ import annotations

import logging

import pandas as pd
import streamlit as st

from cakupan.core.errors import StoreUnavailable
from cakupan.core.i18n import catalogue, segment_label
from cakupan.present import fmt
from ui import context
from ui.context import PageContext
from ui.render import md_escape

log = logging.getLogger(__name__)


@st.cache_data(show_spinner=False, max_entries=32)
def _measures(data_version: str, regency: str, url: str) -> pd.DataFrame:
    """The regency's own measures and those of branch-office areas it belongs to."""
    from cakupan import store

    frame = store.published_measures(context._engine(url), province=regency[:2])
    mine = (frame["region_code"] == regency) | frame["members"].fillna("").str.split(
        ";").map(lambda codes: regency in codes)
    frame = frame[mine & (frame["unit"] != "villages")]
    return frame.sort_values(["period", "measure"]).reset_index(drop=True)


def value_text(value: float, high: float | None, unit: str, lang: str) -> str:
    """A measure's value in its unit: 35,05%, Rp1,5 miliar, 80-90%, ya/tidak, #1."""
    def one(v: float) -> str:
        if unit == "percent":
            return fmt.pct_as_published(v, lang)
        if unit == "rupiah":
            return fmt.rupiah(v, lang)
        if unit == "rank":
            return f"#{int(v)}"
        if unit == "flag":
            return {"id": "ya", "en": "yes"}[lang] if v else {"id": "tidak", "en": "no"}[lang]
        return fmt.number(v, lang)
    if high is not None and not pd.isna(high):
        return f"{one(value)}–{one(high)}"
    return one(value)


def render(ctx: PageContext, regency: str, cites: dict[str, str]) -> None:
    """One line per published measure of the regency, or nothing when there is none."""
    from cakupan.core import settings

    try:
        frame = _measures(context.version(), regency, settings.database_url())
    except StoreUnavailable:
        raise  # the router's guard says so in one line
    except Exception:  # a store without published measures yet: the profile works without
        log.warning("published measures of %s unavailable", regency, exc_info=True)
        return
    if frame.empty:
        return
    words = catalogue(ctx.lang)

    def label(measure: str) -> str:
        key = f"published.measure.{measure}"
        return ctx.t(key) if key in words else measure.replace("_", " ")

    lines = []
    for r in frame.to_dict("records"):
        segment = (segment_label(r["segment"], ctx.lang) if r["segment"] != "mixed"
                   else ctx.t("published.other_mixed"))
        if r.get("members"):
            segment += "; " + ctx.t("published.other_group", members=r["members"])
        lines.append(ctx.t("published.other_line", measure=label(str(r["measure"])),
                           value=value_text(r["value"], r["value_high"], r["unit"], ctx.lang),
                           segment=segment, period=str(r["period"]),
                           source=cites.get(str(r["source_id"]), str(r["source_id"]))))
    st.markdown("**" + md_escape(ctx.t("published.other_head")) + "**")
    st.caption("  \n".join(md_escape(line) for line in lines))
