"""Sumber & Metodologi: where every figure comes from, what the measures mean, what is
illustrative. (Branch staff import their own spreadsheets on Kelola Data, signed in.)

Generated from the data files and their provenance metadata (STYLE.md 4), never typed twice.
"""

import streamlit as st

from cakupan import geo
from cakupan.present import gapview
from ui import context, render, tables

# 1. View (language only: this page shows everything).
ctx = context.start("sumber", controls=())
render.page_header(ctx, "page.sumber")
sources_tab, methods_tab, data_tab = st.tabs([
    ctx.t("section.sources"), ctx.t("section.definitions"), ctx.t("section.licences")])

# 2. Sources: articles, regulations, uploads, the illustrative panel.
with sources_tab:
    render.table_on_request(ctx, tables.sources_table(ctx, context.sources()), "sumber.sources",
                            column_config=tables.source_columns(ctx))

# 3. Definitions of every measure, and what is illustrative.
with methods_tab:
    for key in ("def.coverage", "def.status", "def.gap_points", "def.gap_people",
                "def.pace_needed", "def.projection", "def.budget", "def.inpres2",
                "def.inpres4"):
        st.markdown(f"- {ctx.t(key)}")
    st.markdown(f"- {ctx.t('def.gap_path')}")
    st.markdown(f"- {render.md_escape(gapview.ucj_sources_note(ctx.lang))}")  # assumed or cited
    st.subheader(ctx.t("section.illustrative"))
    st.markdown(ctx.t("def.illustrative"))
    with st.expander(ctx.t("provenance.illustrative.desc")):
        st.markdown(tables.illustrative_assumptions())

# 4. Data files with their provenance, and licences.
with data_tab:
    render.table_on_request(ctx, tables.provenance_table(ctx), "sumber.files")
    boundaries_in_use = render.md_escape(geo.byo.attribution(ctx.lang))  # default or loaded
    st.markdown(f"- {ctx.t('def.boundaries', source=boundaries_in_use)}")
