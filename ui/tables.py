"""Tables the pages show and offer for download, with localised headers. Streamlit-only."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cakupan import geo
from cakupan.core.i18n import segment_label
from cakupan.core.spreadsheet import safe_frame
from cakupan.present import fmt
from ui import context, render
from ui.context import PageContext


def snapshot_table(ctx: PageContext, snap: pd.DataFrame) -> pd.DataFrame:
    """The map's figures as a table with localised headers."""
    from cakupan import regions
    from cakupan.core.i18n import status_label

    names = regions.load_regions().set_index("code")["name"]
    return pd.DataFrame({
        ctx.t("col.code"): snap["region_code"],
        ctx.t("col.region"): snap["region_code"].map(names),
        ctx.t("col.registered"): snap["registered"],
        ctx.t("col.eligible"): snap["eligible"],
        ctx.t("col.coverage"): snap["coverage_pct"].astype(float).round(1),
        ctx.t("col.status"): [status_label(s, ctx.lang) for s in snap["status"]],
        ctx.t("col.provenance"): [ctx.t("provenance.illustrative" if i else "provenance.published")
                                  if s != "no_data" else "" for i, s in
                                  zip(snap["illustrative"], snap["status"], strict=True)],
    })


def profile_table(ctx: PageContext, seg: pd.DataFrame) -> pd.DataFrame:
    from cakupan.core.i18n import status_label

    return pd.DataFrame({
        ctx.t("col.segment"): [segment_label(s, ctx.lang) for s in seg["segment"]],
        ctx.t("col.period"): [fmt.month(p, ctx.lang) for p in seg["period"]],
        ctx.t("col.registered"): seg["registered"],
        ctx.t("col.eligible"): seg["eligible"],
        ctx.t("col.coverage"): seg["coverage_pct"].astype(float).round(1),
        ctx.t("col.status"): [status_label(s, ctx.lang) for s in seg["status"]],
        ctx.t("col.gap"): seg["gap_people"],
        ctx.t("col.budget"): seg["budget_year"],
        ctx.t("col.provenance"): [ctx.t("provenance.illustrative" if i else
                                        "provenance.published") for i in seg["illustrative"]],
    })


def programme_table(ctx: PageContext, prog: pd.DataFrame) -> pd.DataFrame:
    from cakupan.core.i18n import programme_label

    return pd.DataFrame({
        ctx.t("col.segment"): [segment_label(s, ctx.lang) for s in prog["segment"]],
        ctx.t("col.programme"): [programme_label(p, ctx.lang) for p in prog["programme"]],
        ctx.t("col.period"): [fmt.month(p, ctx.lang) for p in prog["period"]],
        ctx.t("col.registered"): prog["registered"],
        ctx.t("col.provenance"): [ctx.t("provenance.illustrative" if i else
                                        "provenance.published") for i in prog["illustrative"]],
    })


def neighbours_table(ctx: PageContext, region: str) -> None:
    """The regencies sharing a border (or, without boundaries, the province's others)."""
    from cakupan import regions

    codes = context.neighbours(region, geo.cache_key() if geo.available() else "")
    if not codes:
        codes = [c for c in regions.regencies(region[:2])["code"] if c != region]
    st.subheader(ctx.t("section.neighbours"))
    snap = context.snapshot(ctx.period, ctx.state.segment, "any", [region, *codes])
    render.table_on_request(ctx, snapshot_table(ctx, snap), f"{ctx.key}.neighbours")


def source_columns(ctx: PageContext) -> dict:
    return {ctx.t("col.link"): st.column_config.LinkColumn(ctx.t("col.link"))}


def sources_table(ctx: PageContext, sources: pd.DataFrame) -> pd.DataFrame:
    """Sources in the reader's language: publisher, title, date, link, kind, quoted sentence."""
    def when(value: object) -> str:
        text = str(value or "")
        if len(text) == 10:
            return fmt.date(text, ctx.lang)
        return fmt.month(text, ctx.lang, "long") if len(text) == 7 else text

    # Uploaded files are sources too (their names and uploaders come from people): the table's
    # own "Download as CSV" must not carry a formula, so its cells are made safe here.
    return safe_frame(pd.DataFrame({
        ctx.t("col.publisher"): sources["publisher"],
        ctx.t("col.title"): sources["title"],
        ctx.t("col.published"): [when(v) for v in sources["published"]],
        ctx.t("col.link"): sources["url"],
        ctx.t("col.provenance"): [ctx.t("provenance.illustrative") if k == "illustrative"
                                  else str(k) for k in sources["kind"]],
        ctx.t("col.source"): sources.get("quote"),
    }))


def provenance_table(ctx: PageContext) -> pd.DataFrame:
    """Every committed data file with its metadata (title, licence, sha256, accessed)."""
    import json

    from cakupan.core import settings

    rows = []
    for meta in sorted(settings.DATA_DIR.rglob("*.meta.json")):
        info = json.loads(meta.read_text(encoding="utf-8"))
        rows.append({
            ctx.t("col.title"): info.get("title"),
            "file": str(meta.relative_to(settings.PROJECT_DIR)).replace(".meta.json", ""),
            ctx.t("col.licence"): info.get("licence") or (info.get("source") or {}).get(
                "licence") if isinstance(info.get("source"), dict) else info.get("licence"),
            ctx.t("col.accessed"): info.get("accessed") or info.get("generated"),
            "sha256": str(info.get("sha256", ""))[:16] + "…",
        })
    return pd.DataFrame(rows)


def illustrative_assumptions() -> str:
    """The committed write-up of the illustrative panel's assumptions (project text)."""
    from cakupan.core import settings

    path = settings.DATA_DIR / "illustrative_assumptions.md"
    return path.read_text(encoding="utf-8") if path.exists() else ""
