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

from cakupan import briefing, fmt, geo, metrics
from cakupan.errors import CakupanError, GeoUnavailable
from cakupan.i18n import segment_label
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


@st.cache_data(show_spinner=False, max_entries=64)
def _briefing(data_version: str, region: str, period: str, segment: str, lang: str,
              url: str) -> tuple[briefing.BriefingData, briefing.Deck]:
    from cakupan import store

    engine = context._engine(url)
    obs = store.current_observations(engine, province=region or None)
    data = briefing.collect(obs, store.targets(engine), store.premium_rates(engine),
                            store.sources(engine), region=region, period=period,
                            segment=segment, lang=lang)
    return data, briefing.deck_from_data(data, lang)


def briefing_for(ctx: PageContext, region: str | None = None
                 ) -> tuple[briefing.BriefingData, briefing.Deck]:
    """The briefing's numbers and wording for the page's view (province or Indonesia)."""
    from cakupan import settings

    code = region if region is not None else (ctx.state.region or "")
    with st.spinner(ctx.t("msg.loading")):
        return _briefing(context.version(), code[:2] if code else "", ctx.period or "",
                         ctx.state.segment, ctx.lang, settings.database_url())


def year_ago_pct(data: briefing.BriefingData) -> float | None:
    """Coverage 12 months before the briefing month, if the series has it."""
    if data.series is None or data.series.empty:
        return None
    earlier = metrics.period_at(metrics.month_index(data.period) - 12)
    row = data.series[data.series["period"] == earlier]
    if row.empty or pd.isna(row["coverage_pct"].iloc[0]):
        return None
    return float(row["coverage_pct"].iloc[0])


def headline_metrics(ctx: PageContext, data: briefing.BriefingData) -> None:
    """Four figures: coverage (with change on a year), registered, unregistered regions, gap."""
    total, lang = data.total, ctx.lang
    pct = total.get("coverage_pct")
    before = year_ago_pct(data)
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


def status_map(ctx: PageContext, view: str, values: pd.DataFrame, *, metric: str = "status",
               height: int = 560, key: str = "map", on_select: bool = False):
    """The choropleth of one view, or the one-line notice when boundaries are missing."""
    from cakupan import mapview

    try:
        with st.spinner(ctx.t("msg.loading_map")):
            fig = mapview.choropleth(view, values, metric=metric, lang=ctx.lang,
                                     height=height)
    except GeoUnavailable:
        st.info(ctx.t("msg.map_unavailable"), icon=":material/map:")
        return None
    except CakupanError as err:
        st.warning(str(err))
        return None
    kwargs = {"on_select": "rerun", "selection_mode": "points"} if on_select else {}
    return st.plotly_chart(fig, key=key, theme=None,
                           config={"displayModeBar": False, "scrollZoom": True}, **kwargs)


def frame_sources(ctx: PageContext, frame: pd.DataFrame) -> None:
    """The sources behind a snapshot/series frame, with the illustrative notice if any."""
    flag = bool(len(frame)) and bool(frame["illustrative"].any())
    sources_caption(ctx, citations_of(frame, ctx.lang), flag)


def sources_caption(ctx: PageContext, citations: Sequence[str], illustrative: bool) -> None:
    if illustrative:
        st.warning(ctx.t("provenance.illustrative_notice"), icon=":material/science:")
    if citations:
        st.caption(ctx.t("briefing.sources", sources="; ".join(md_escape(c) for c in citations)))
    st.caption(md_escape(geo.ATTRIBUTION))


# ------------------------------------------------------------------ trends and tables

def segment_name(ctx: PageContext) -> str:
    return segment_label(ctx.state.segment, ctx.lang)


def _codes_rule(value: str) -> str | None:
    from cakupan import regions

    codes = [c.strip() for c in value.split(",") if c.strip()]
    if not codes or len(codes) > 4 or not all(regions.is_valid_code(c) for c in codes):
        return None
    return ",".join(codes)


#: Page parameter ``compare``: up to four region codes, comma-separated.
COMPARE_RULE = {"compare": _codes_rule}


def compare_picker(ctx: PageContext, region: str) -> list[str]:
    """Up to four other regions of the same province to draw beside ``region``."""
    from cakupan import regions
    from cakupan.state import widget_key

    regs = regions.regencies(region[:2])
    options = [c for c in regs["code"] if c != region]
    names = dict(zip(regs["code"], regs["name"], strict=True))
    key = widget_key("compare")
    wanted = [c for c in (ctx.state.extra("compare") or "").split(",") if c in options]
    if ctx.reseeded or key not in st.session_state:
        st.session_state[key] = wanted
    chosen = st.multiselect(ctx.t("control.compare"), options, key=key, max_selections=4,
                            format_func=lambda c: names.get(c, c))
    context.set_extra(ctx, "compare", ",".join(chosen))
    return list(chosen)


def target_for(ctx: PageContext, region: str) -> dict | None:
    """The target that applies to the region (a regency falls back to its province's)."""
    period = ctx.period or (ctx.periods[-1] if ctx.periods else "9999-12")
    all_targets = context.targets()
    for code in dict.fromkeys([region, region[:2]]):
        found = briefing.pick_target(all_targets, code, ctx.state.segment, period)
        if found:
            return found
    return None


def outlook_metrics(ctx: PageContext, view) -> None:
    """Target, current pace, needed pace and the month the target is reached."""
    lang = ctx.lang
    cols = st.columns(4)
    if view.target_pct is None and view.target_people is None:
        cols[0].metric(ctx.t("measure.target"), fmt.MISSING)
        return
    deadline = fmt.month(view.deadline, lang, "long") if view.deadline else fmt.MISSING
    goal = (fmt.pct(view.target_pct, lang, 0) if view.target_pct is not None
            else fmt.people(view.target_people, lang))
    cols[0].metric(ctx.t("measure.target"), goal,
                   help=ctx.t("measure.deadline") + ": " + deadline)

    def pace_text(value: float | None) -> str:
        if value is None:
            return fmt.MISSING
        if view.pace_unit == "people":
            return ctx.t("unit.per_month", value=fmt.people(round(value), lang))
        return ctx.t("unit.per_month", value=fmt.points(value, lang))

    cols[1].metric(ctx.t("measure.pace_current"), pace_text(view.pace))
    cols[2].metric(ctx.t("measure.pace_needed"), pace_text(view.pace_needed),
                   help=ctx.t("def.pace_needed"))
    cols[3].metric(ctx.t("measure.target_reached"),
                   fmt.month(view.reach, lang, "long") if view.reach else fmt.MISSING,
                   help=ctx.t("def.projection"))
    if view.reach and view.deadline and view.reach > view.deadline:
        st.warning(ctx.t("msg.target_not_reached", deadline=deadline), icon=":material/schedule:")
    elif view.reach == view.last_period:
        st.success(ctx.t("msg.target_met"), icon=":material/check_circle:")
    elif view.reach:
        st.info(ctx.t("msg.target_projected", month=fmt.month(view.reach, lang, "long")),
                icon=":material/trending_up:")


def inpres_lines(ctx: PageContext, region: str, measure: str) -> list[tuple[str, float]]:
    """Reference lines of the instructions that apply to the segment (Inpres 2/2021, 4/2022)."""
    from cakupan import regions

    if ctx.state.segment == "non_asn" and measure == "coverage_pct":
        return [(ctx.t("target.inpres2"), 100.0)]
    if ctx.state.segment == "pekerja_rentan" and measure == "registered":
        quota = metrics.inpres4_quota(regions.get(region).desa)  # 100 per desa
        return [(ctx.t("target.inpres4"), float(quota))]
    return []


def citations_of(frame: pd.DataFrame, lang: str = "id") -> list[str]:
    """Short citations of every source behind the rows of a snapshot/series frame."""
    if frame is None or frame.empty or "sources" not in frame:
        return []
    ids = list(dict.fromkeys(s for lst in frame["sources"] for s in (lst or [])))
    table = context.sources().set_index("id")
    return [briefing.citation(dict(table.loc[i], id=i), lang) if i in table.index else i
            for i in ids]


def series_table(ctx: PageContext, series: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Long table of the series shown, with localised headers and provenance in words."""
    from cakupan.i18n import status_label

    rows = []
    for name, frame in series.items():
        for rec in frame.itertuples(index=False):
            rows.append({
                ctx.t("col.region"): name,
                ctx.t("col.period"): rec.period,
                ctx.t("col.registered"): rec.registered,
                ctx.t("col.eligible"): rec.eligible,
                ctx.t("col.coverage"): (round(float(rec.coverage_pct), 1)
                                        if pd.notna(rec.coverage_pct) else None),
                ctx.t("col.status"): status_label(rec.status, ctx.lang),
                ctx.t("col.provenance"): ctx.t("provenance.illustrative" if rec.illustrative
                                               else "provenance.published"),
            })
    return pd.DataFrame(rows)


def table_with_downloads(ctx: PageContext, table: pd.DataFrame, name: str) -> None:
    """The table, and CSV (``;``, decimal comma for Indonesian Excel) / XLSX downloads."""
    from cakupan import spreadsheet

    with st.expander(ctx.t("section.table"), icon=":material/table:"):
        st.dataframe(table, hide_index=True, width="stretch")
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


# --------------------------------------------------------------------------------- map page

def chosen_month(ctx: PageContext) -> PageContext:
    """The month the slider holds (seeded from the URL), before the slider is drawn.

    The map page draws its map first and the time slider under it, so the map's heavy
    front-end code starts loading as early as possible on a cold visit.
    """
    from cakupan.state import widget_key

    key = widget_key("period")
    months = list(ctx.periods)
    wanted = ctx.state.period if ctx.state.period in months else months[-1]
    if ctx.reseeded or st.session_state.get(key) not in months:
        st.session_state[key] = wanted
    return context.update(ctx, ctx.state.replace(period=st.session_state[key]))


def month_slider(ctx: PageContext) -> None:
    """The month slider over the months with data, with a play toggle (one step per rerun)."""
    from cakupan.state import widget_key

    left, right = st.columns([6, 1], vertical_alignment="bottom")
    left.select_slider(ctx.t("control.period"), options=list(ctx.periods),
                       key=widget_key("period"), format_func=lambda p: fmt.month(p, ctx.lang))
    right.toggle(ctx.t("control.play"), key=widget_key("play"))


def advance_if_playing(ctx: PageContext, pause_s: float = 1.0) -> None:
    """While "play" is on, step to the next month after a pause (wrapping to the first)."""
    import time

    from cakupan.state import widget_key

    if not st.session_state.get(widget_key("play")):
        return
    months = list(ctx.periods)
    at = months.index(ctx.period) if ctx.period in months else -1
    time.sleep(pause_s)
    st.session_state[widget_key("period")] = months[(at + 1) % len(months)]
    st.rerun()


def map_values(ctx: PageContext, snap: pd.DataFrame) -> pd.DataFrame:
    from cakupan import mapview

    cites = {i: briefing.citation(dict(r, id=i), ctx.lang)
             for i, r in context.sources().set_index("id").iterrows()}
    return mapview.map_values(snap, ctx.lang, cites)


def status_counts(ctx: PageContext, snap: pd.DataFrame) -> None:
    """How many regions in each status, in words and symbols (a legend that counts)."""
    from cakupan import mapview

    cols = st.columns(len(metrics.STATUSES))
    for col, status in zip(cols, metrics.STATUSES, strict=True):
        col.metric(mapview.status_word(status, ctx.lang),
                   fmt.number(int((snap["status"] == status).sum()), ctx.lang),
                   help=ctx.t(f"status.{status}.desc"))


def open_clicked_profile(ctx: PageContext, event) -> None:
    """A click on a regency opens its profile, carrying the view along."""
    if not event:
        return
    points = (event.get("selection") or {}).get("points") or []
    for point in points:
        code = point.get("location")
        if code and len(str(code)) == 5:
            params = ctx.state.replace(region=str(code)).to_params()
            st.switch_page("pages/wilayah.py", query_params=params)


def snapshot_table(ctx: PageContext, snap: pd.DataFrame) -> pd.DataFrame:
    """The map's figures as a table with localised headers."""
    from cakupan import regions
    from cakupan.i18n import status_label

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


# ----------------------------------------------------------------------------- profile page

def profile_table(ctx: PageContext, seg: pd.DataFrame) -> pd.DataFrame:
    from cakupan.i18n import status_label

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
    from cakupan.i18n import programme_label

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
    st.dataframe(snapshot_table(ctx, snap), hide_index=True, width="stretch")


# ----------------------------------------------------------------------------- sources page

def source_columns(ctx: PageContext) -> dict:
    return {ctx.t("col.link"): st.column_config.LinkColumn(ctx.t("col.link"))}


def sources_table(ctx: PageContext, sources: pd.DataFrame) -> pd.DataFrame:
    """Sources in the reader's language: publisher, title, date, link, kind, quoted sentence."""
    def when(value: object) -> str:
        text = str(value or "")
        if len(text) == 10:
            return fmt.date(text, ctx.lang)
        return fmt.month(text, ctx.lang, "long") if len(text) == 7 else text

    return pd.DataFrame({
        ctx.t("col.publisher"): sources["publisher"],
        ctx.t("col.title"): sources["title"],
        ctx.t("col.published"): [when(v) for v in sources["published"]],
        ctx.t("col.link"): sources["url"],
        ctx.t("col.provenance"): [ctx.t("provenance.illustrative") if k == "illustrative"
                                  else str(k) for k in sources["kind"]],
        ctx.t("col.source"): sources.get("quote"),
    })


def provenance_table(ctx: PageContext) -> pd.DataFrame:
    """Every committed data file with its metadata (title, licence, sha256, accessed)."""
    import json

    from cakupan import settings

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
    from cakupan import settings

    path = settings.DATA_DIR / "illustrative_assumptions.md"
    return path.read_text(encoding="utf-8") if path.exists() else ""


def unprotected_map(ctx: PageContext, view: str, snap: pd.DataFrame,
                    values: pd.DataFrame) -> None:
    """The pydeck 3D view (columns = eligible - registered), or the no-boundaries notice."""
    from cakupan import mapview

    try:
        deck = mapview.unprotected_deck(view, snap, values, lang=ctx.lang)
    except GeoUnavailable:
        st.info(ctx.t("msg.map_unavailable"), icon=":material/map:")
        return
    st.pydeck_chart(deck, height=620, key="explorer3d")
    st.caption(ctx.t("legend.unprotected_columns") + " · " + ctx.t("legend.small_regions"))
