"""What the Kelola page says about a checked file beyond its errors: the importer's
warnings (a month read from a title row, a unit in a header, an old extent, a province total
that is not the sum of its regencies), and how a region key the preview shows is named.

Warnings are kept, not refused, so they sit beside the preview: the person reads them before
publishing. Each is shown as plain text (``st.text``), never Markdown: a warning quotes cells
and headers from the file.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cakupan import ingest, regions
from cakupan.core.spreadsheet import safe_frame
from ui import context
from ui.context import PageContext

#: Warnings written out as lines; the rest are in the table under them.
TEXT_WARNINGS = 5


def region_label(code: str, lang: str) -> str:
    """A region's name for the preview; an old extent (``91~pra2022``) by its own name, which
    says it is the province before the 2022 splits."""
    if regions.is_old_extent(code):
        extent = regions.old_extent(code)
        return extent.name_en if lang == "en" else extent.name
    return context.region_label(code, lang)


def render_warnings(ctx: PageContext, result: ingest.ImportResult) -> None:
    """The warnings of the last check, in the viewer's language, as text and a table."""
    warnings = [w.in_lang(ctx.lang) for w in result.warnings]
    if not warnings:
        return
    st.warning(ctx.t("import.warnings", n=len(warnings)), icon=":material/info:")
    for w in warnings[:TEXT_WARNINGS]:
        st.text(ctx.t("import.warning_row", row=w.row, column=w.column, message=w.message))
    if len(warnings) > TEXT_WARNINGS:
        shown = [{"row": w.row, "column": w.column, "message": w.message} for w in warnings]
        st.dataframe(safe_frame(pd.DataFrame(shown)), hide_index=True, width="stretch")
