"""Old-extent figures on the trend page of a province the 2022 splits changed.

Shows what was published for the province as it was (e.g. Kemnaker's 2023 active
participants for Papua before the splits) beside the same measure summed over today's
successors, never spread over them (:mod:`cakupan.analysis.old_extents`).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cakupan import regions, store
from cakupan.core import settings
from cakupan.present import fmt
from ui import context, render
from ui.context import PageContext

#: Measure id -> catalogue key of its name (unknown ids are shown as they are stored).
MEASURE_KEYS = {"kemnaker_active_participants": "old.measure.kemnaker",
                "bps_employed": "old.measure.bps_employed",
                "bps_labour_force": "old.measure.bps_labour_force"}


@st.cache_data(show_spinner=False, max_entries=16)
def _measures(data_version: str, codes: tuple[str, ...], url: str) -> pd.DataFrame:
    return store.published_measures(store.get_engine(url), region_code=list(codes))


def render_section(ctx: PageContext, region: str) -> None:
    """The section, only for a region of a changed province with old-extent figures."""
    from cakupan.analysis import old_extents

    extent = old_extents.extent_for_view(region)
    if extent is None:
        return
    measures = _measures(context.version(), (extent.key, *extent.successors),
                         settings.database_url())
    rows = old_extents.beside_successors(measures, extent.key)
    if rows.empty:
        return
    name = extent.name if ctx.lang == "id" else extent.name_en
    st.subheader(ctx.t("old.title"), anchor=False)
    st.caption(render.md_escape(ctx.t(
        "old.caption", extent=name, change=extent.change,
        successors=", ".join(regions.name_of(c) for c in extent.successors))))
    table = pd.DataFrame({
        ctx.t("old.col.measure"): [ctx.t(MEASURE_KEYS[m]) if m in MEASURE_KEYS else m
                                   for m in rows["measure"]],
        ctx.t("old.col.period"): rows["period"],
        ctx.t("old.col.segment"): rows["segment"],
        ctx.t("old.col.old"): [_value(v, u, ctx.lang) for v, u in zip(
            rows["value"], rows["unit"], strict=True)],
        ctx.t("old.col.successors"): [
            _value(v, u, ctx.lang) if not pd.isna(v) else ctx.t(
                "old.partial", n=n, total=total)
            for v, u, n, total in zip(rows["successors_sum"], rows["unit"],
                                      rows["successors_with"], rows["successors"],
                                      strict=True)],
    })
    render.table_on_request(ctx, table, "tren.old_extent")


def _value(value: float, unit: object, lang: str) -> str:
    if unit == "thousand_people":
        return fmt.number(value * 1000, lang)
    return fmt.number(value, lang)
