"""The importer in the app: a branch head's own CSV/XLSX, checked row by row, all-or-nothing.

Messages come from :mod:`cakupan.ingest` in the reader's language; nothing from the file is
rendered as Markdown or HTML (errors go into a data table, names are escaped).
"""

from __future__ import annotations

import io

import pandas as pd
import streamlit as st

from cakupan import ingest, store
from cakupan.core.errors import CakupanError
from cakupan.core.i18n import segment_label
from cakupan.ingest import template
from cakupan.present.state import SEGMENTS
from ui import context
from ui.context import PageContext
from ui.render import md_escape


def _sheets(data: bytes) -> list[str]:
    from openpyxl import load_workbook

    try:
        return list(load_workbook(io.BytesIO(data), read_only=True).sheetnames)
    except Exception:  # not a readable workbook: the importer will say so properly
        return []


def render_import(ctx: PageContext) -> None:
    t = ctx.t
    st.subheader(t("import.title"))
    a, b = st.columns(2)
    a.download_button("Template CSV", template.template_csv(), "cakupan-template.csv",
                      mime="text/csv", key="tpl_csv")
    b.download_button("Template XLSX", template.template_xlsx(), "cakupan-template.xlsx",
                      key="tpl_xlsx",
                      mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    upload = st.file_uploader(t("import.file"), type=["csv", "xlsx", "txt"], key="upload")
    segment = st.selectbox(t("control.segment"), [None, *SEGMENTS], key="import_segment",
                           help=t("import.segment_help"),
                           format_func=lambda s: "—" if s is None else segment_label(s, ctx.lang))
    period = st.text_input(t("control.period"), key="import_period", placeholder="2024-06",
                           help=t("import.period_help")).strip() or None
    sheet = None
    if upload is not None and upload.name.lower().endswith(".xlsx"):
        sheets = _sheets(upload.getvalue())
        if sheets:
            sheet = st.selectbox(t("import.sheet"), sheets, key="import_sheet")
    check, write = st.columns(2)
    dry = check.button(t("import.dry_run"), disabled=upload is None, key="import_check")
    go = write.button(t("action.import"), type="primary", disabled=upload is None,
                      key="import_go")
    if upload is not None and (dry or go):
        _run(ctx, upload.getvalue(), upload.name, segment, period, sheet, dry_run=not go)
    _batches(ctx)


def _run(ctx: PageContext, data: bytes, name: str, segment: str | None, period: str | None,
         sheet: str | None, *, dry_run: bool) -> None:
    t = ctx.t
    try:
        with st.spinner(t("import.checking")):
            result = ingest.import_file(data, name, segment=segment, period=period, sheet=sheet,
                                        dry_run=dry_run, imported_by="app",
                                        engine=context.engine(), lang=ctx.lang)
    except ingest.IngestError as err:
        st.error(err.message(ctx.lang), icon=":material/error:")
        return
    except CakupanError as err:
        st.error(str(err), icon=":material/error:")
        return
    if result.errors:
        st.error(t("import.failed", errors=len(result.errors)), icon=":material/error:")
        st.dataframe(pd.DataFrame(
            [{"row": e.row, "column": e.column, "message": e.in_lang(ctx.lang).message}
             for e in result.errors]), hide_index=True, width="stretch")
        if result.unmatched:
            st.warning(t("import.unmatched", names=", ".join(md_escape(n)
                                                             for n in result.unmatched)))
    elif dry_run:
        st.success(t("import.dry_run_ok", rows=result.would_import), icon=":material/check:")
    else:
        st.success(t("import.success", imported=result.imported, rows=result.rows),
                   icon=":material/check:")


def _batches(ctx: PageContext) -> None:
    """Past import batches; an uploaded batch can be rolled back (history stays)."""
    batches = store.list_batches(context.engine())
    uploads = batches[batches["kind"] == "upload"]
    if uploads.empty:
        return
    shown = uploads[["id", "file_name", "imported_at", "rows", "imported_by", "status"]]
    st.dataframe(shown, hide_index=True, width="stretch")
    active = list(uploads.loc[uploads["status"] == "active", "id"])
    if active:
        choice = st.selectbox("Batch", active, key="rollback_choice")
        if st.button(ctx.t("action.reset") + " (rollback)", key="rollback_go"):
            store.rollback_batch(context.engine(), choice)
            st.rerun()
