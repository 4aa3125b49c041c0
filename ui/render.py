"""Streamlit render helpers shared by the pages (``render_*`` in spirit, short names here).

Everything that reaches Markdown from data goes through :func:`md_escape`; nothing here uses
``unsafe_allow_html``. Maps degrade to a one-line notice when the boundary files are missing.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

import pandas as pd
import streamlit as st

from cakupan import briefing, geo
from cakupan.analysis import metrics
from cakupan.core.i18n import segment_label
from cakupan.core.months import month_index, period_at
from cakupan.present import fmt
from ui import context
from ui.context import PageContext

log = logging.getLogger(__name__)

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def md_escape(text: object) -> str:
    """Escape Markdown (and the HTML-ish ``<``/``>``) so data is shown literally."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def page_header(ctx: PageContext, title_key: str) -> None:
    st.title(ctx.t(title_key))
    bits = [ctx.region_name, segment_label(ctx.state.segment, ctx.lang)]
    if ctx.period:
        bits.append(fmt.month(ctx.period, ctx.lang, "long"))
    st.caption(" · ".join(md_escape(b) for b in bits) + "  \n" + ctx.t(f"{title_key}.intro"))


def empty_state(ctx: PageContext) -> None:
    st.info(f"{ctx.t('msg.empty')} {ctx.t('msg.empty_hint')}", icon=":material/info:")


def briefing_for(ctx: PageContext, region: str | None = None
                 ) -> tuple[briefing.BriefingData, briefing.Deck]:
    """The briefing's numbers and wording for the page's view (province or Indonesia)."""
    code = region if region is not None else (ctx.state.region or "")
    with st.spinner(ctx.t("msg.loading")):
        return context.briefing_data(code[:2], ctx.period or "", ctx.state.segment, ctx.lang)


def year_ago_pct(data: briefing.BriefingData) -> float | None:
    """Coverage 12 months before the briefing month, if the series has it."""
    if data.series is None or data.series.empty:
        return None
    earlier = period_at(month_index(data.period) - 12)
    row = data.series[data.series["period"] == earlier]
    if row.empty or pd.isna(row["coverage_pct"].iloc[0]):
        return None
    return float(row["coverage_pct"].iloc[0])


def headline_metrics(ctx: PageContext, data: briefing.BriefingData) -> None:
    """Four figures: coverage (with change on a year), registered, unregistered regions, gap.

    Coverage and registered are the deck's leading figure (published first, with its own
    date: ``BriefingData.leading``); the change on a year only when that figure is of the
    month shown, since the series it is compared with is.
    """
    total, lang = data.leading, ctx.lang
    pct = total.get("coverage_pct")
    before = year_ago_pct(data) if str(total.get("period")) == data.period else None
    delta = (fmt.points(pct - before, lang, signed=True)
             if pct is not None and before is not None else None)
    unreg = int((data.parts["status"] == "unregistered").sum())
    cols = st.columns(4)
    cols[0].metric(ctx.t("measure.coverage"), fmt.pct(pct, lang), delta,
                   help=ctx.t("measure.change_year") if delta else ctx.t("def.coverage"))
    cols[1].metric(ctx.t("measure.registered"), fmt.number(total.get("registered"), lang))
    cols[2].metric(ctx.t("measure.regions_unregistered"),
                   f"{fmt.number(unreg, lang)} / {fmt.number(len(data.parts), lang)}",
                   help=ctx.t("status.unregistered.desc"))
    target = data.target or {}
    gap = None
    if target.get("target_pct") is not None:
        gap = metrics.gap_to_target(total.get("registered"), total.get("eligible"),
                                    float(target["target_pct"]))
    cols[3].metric(ctx.t("measure.gap_people"), fmt.number(gap, lang),
                   help=ctx.t("def.gap_people"))


def frame_sources(ctx: PageContext, frame: pd.DataFrame) -> None:
    """The sources behind a snapshot/series frame, with the illustrative notice if any."""
    flag = bool(len(frame)) and bool(frame["illustrative"].any())
    sources_caption(ctx, citations_of(frame, ctx.lang), flag)


def sources_caption(ctx: PageContext, citations: Sequence[str], illustrative: bool) -> None:
    if illustrative:
        st.warning(ctx.t("provenance.illustrative_notice"), icon=":material/science:")
    if citations:
        st.caption(ctx.t("briefing.sources", sources="; ".join(md_escape(c) for c in citations)))
    # The boundaries in use: the default set, or the version an admin loaded (issue 15).
    st.caption(md_escape(geo.byo.attribution(ctx.lang)))


def segment_name(ctx: PageContext) -> str:
    return segment_label(ctx.state.segment, ctx.lang)


def citations_of(frame: pd.DataFrame, lang: str = "id") -> list[str]:
    """Short citations of every source behind the rows of a snapshot/series frame."""
    if frame is None or frame.empty or "sources" not in frame:
        return []
    ids = list(dict.fromkeys(s for lst in frame["sources"] for s in (lst or [])))
    table = context.sources().set_index("id")
    return [briefing.citation(dict(table.loc[i], id=i), lang) if i in table.index else i
            for i in ids]


def table_on_request(ctx: PageContext, table: pd.DataFrame, key: str,
                     **dataframe_args: object) -> bool:
    """A "Show table" toggle with the row count; the table itself only once it is on.

    Why behind a click: the first ``st.dataframe`` on a page makes the browser download
    Streamlit's DataFrame and Arrow front-end chunks (~1.2 MB), and most visitors read the
    chart or map, not the table. An ``st.expander`` would not help: its contents are sent
    (and their chunks loaded) while it is closed. So until the toggle is on, ``st.dataframe``
    is not called at all. ``key`` names the table (stable, without the month or region in
    it) so the toggle stays as the visitor left it across reruns. Public pages only: the
    data-management page shows its tables straight away (staff reviewing an import).

    Returns whether the table is shown.
    """
    left, right = st.columns([1, 3], vertical_alignment="center")
    shown = left.toggle(ctx.t("action.show_table"), key=f"show_table.{key}")
    right.caption(fmt.count(len(table), "rows", ctx.lang))
    if shown:
        args = {"hide_index": True, "width": "stretch", **dataframe_args}
        st.dataframe(table, **args)
    return shown


def table_with_downloads(ctx: PageContext, table: pd.DataFrame, name: str,
                         key: str | None = None) -> None:
    """The table on request (:func:`table_on_request`), and CSV (``;``, decimal comma for
    Indonesian Excel) / XLSX downloads, which are always there: a download button needs no
    table chunk in the browser.

    ``name`` goes into the file names and may carry the month; ``key`` (default: the page's
    key) names the table's toggle and must not change when the view does.
    """
    from cakupan.core import spreadsheet

    with st.container(border=True):
        table_on_request(ctx, table, key or ctx.key)
        sep, dec = (";", ",") if ctx.lang == "id" else (",", ".")
        a, b = st.columns(2)
        # Deferred: the files are made when clicked, not on every run of the page.
        a.download_button(ctx.t("action.download_csv"),
                          lambda: spreadsheet.to_csv_bytes(table, sep=sep, decimal=dec),
                          file_name=f"cakupan-{name}.csv", mime="text/csv", key=f"csv_{name}")
        b.download_button(ctx.t("action.download_xlsx"),
                          lambda: spreadsheet.to_xlsx_bytes(table),
                          file_name=f"cakupan-{name}.xlsx", key=f"xlsx_{name}",
                          mime="application/vnd.openxmlformats-officedocument."
                               "spreadsheetml.sheet")
