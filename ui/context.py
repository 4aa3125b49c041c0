"""Session glue: the store and its cached reads, and the URL <-> widgets <-> ViewState loop.

Every page starts with :func:`start`, which reads the view from ``st.query_params`` (bad values
fall back with a gentle notice), draws the shared sidebar controls seeded from it, writes the
resulting view back to the URL so that a copied link restores it, and returns a
:class:`PageContext`. Caches are keyed on simple values plus the store's ``data_version`` so an
import is seen by every viewer (STYLE.md 7).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy.engine import Engine

from cakupan import briefing, regions, store
from cakupan.analysis import metrics
from cakupan.core import settings
from cakupan.core.errors import StoreUnavailable
from cakupan.core.i18n import programme_label, segment_label, t
from cakupan.present import fmt
from cakupan.present.state import (
    METRICS,
    PROGRAMMES,
    SEGMENTS,
    ExtraRule,
    ViewState,
    from_params,
    widget_key,
)
from ui import shell

# ---------------------------------------------------------------------------------- data


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    return store.get_engine(url)


def engine() -> Engine:
    """The store engine (created, migrated and seeded on first use of this process)."""
    return _engine(settings.database_url())


def version() -> str:
    """What every cached read and the freshness watch are keyed on: the store's data version
    and the boundary version the maps draw (issue 15), so switching boundaries reruns open
    pages and refreshes cached decks as publishing does."""
    from cakupan.geo import byo

    chosen = byo.selection()
    return store.data_version(engine()) + (f"+b:{chosen['id']}" if chosen else "")


@st.cache_data(show_spinner=False, max_entries=64)
def _observations(data_version: str, segment: str, programme: str, province: str | None,
                  url: str) -> pd.DataFrame:
    return store.current_observations(_engine(url), segment=segment, programme=programme,
                                      province=province)


def observations(segment: str, programme: str = "any", province: str | None = None
                 ) -> pd.DataFrame:
    """Current figures of one segment/programme (all months), optionally one province."""
    return _observations(version(), segment, programme, province, settings.database_url())


@st.cache_data(show_spinner=False, max_entries=32)
def _published(data_version: str, segment: str, programme: str, url: str) -> pd.DataFrame:
    return store.published_observations(_engine(url), segment=segment, programme=programme)


def published(segment: str, programme: str = "any") -> pd.DataFrame:
    """Current *published* (real) figures of one segment/programme, every region and month:
    a few hundred rows, what "latest published" and "nearest published" are picked from."""
    return _published(version(), segment, programme, settings.database_url())


@st.cache_data(show_spinner=False, max_entries=8)
def _measures(data_version: str, measure: str, period: str, url: str) -> pd.DataFrame:
    return store.published_measures(_engine(url), measure, period)


def measures(measure: str, period: str) -> pd.DataFrame:
    """Published figures of a measure other than UCJ coverage (e.g. Kemnaker's 2023 active
    participants), with their sources, cached per data version."""
    return _measures(version(), measure, period, settings.database_url())


@st.cache_data(show_spinner=False, max_entries=32)
def _periods(data_version: str, segment: str | None, url: str) -> list[str]:
    return store.periods(_engine(url), segment)


def periods(segment: str | None = None) -> list[str]:
    return _periods(version(), segment, settings.database_url())


@st.cache_data(show_spinner=False, max_entries=8)
def _table(data_version: str, name: str, url: str) -> pd.DataFrame:
    return getattr(store, name)(_engine(url))


def targets() -> pd.DataFrame:
    return _table(version(), "targets", settings.database_url())


def sources() -> pd.DataFrame:
    return _table(version(), "sources", settings.database_url())


@st.cache_data(show_spinner=False, max_entries=256)
def _snapshot(data_version: str, period: str, segment: str, programme: str,
              codes: tuple[str, ...], url: str) -> pd.DataFrame:
    province = None
    provinces = {c[:2] for c in codes}
    if len(provinces) == 1 and not any(len(c) == 2 and c not in codes for c in codes):
        province = next(iter(provinces))
    obs = store.current_observations(_engine(url), segment=segment, programme=programme,
                                     period=period, province=province)
    return metrics.snapshot(obs, period=period, segment=segment, programme=programme,
                            codes=list(codes))


def snapshot(period: str, segment: str, programme: str, codes: Sequence[str]) -> pd.DataFrame:
    """Coverage and status of ``codes`` in one month (cached per data version)."""
    return _snapshot(version(), period, segment, programme, tuple(codes),
                     settings.database_url())


# ------------------------------------------------------------------------------ state

#: The period widget's value for "the latest month with data" (a selectbox shows ``None``
#: as an empty choice, so the URL's absent ``period`` needs a real option).
LATEST = "latest"


@dataclass(frozen=True)
class PageContext:
    """What a page needs: its key, the view, the language and the month actually shown."""

    key: str
    state: ViewState
    period: str | None  # the month shown (state.period or the latest with data)
    periods: tuple[str, ...]
    reseeded: bool = False  # the URL changed from outside: page widgets re-read it
    share_slot: Any = field(default=None, compare=False, repr=False)

    @property
    def lang(self) -> str:
        return self.state.lang

    def t(self, key: str, **kwargs: object) -> str:
        return t(key, self.lang, **kwargs)

    @property
    def region_name(self) -> str:
        return region_label(self.state.region, self.lang)


def region_label(code: str | None, lang: str) -> str:
    if not code:
        return t("region.indonesia", lang)
    return regions.name_of(code)


@st.cache_data(show_spinner=False)
def _valid_regions() -> frozenset[str]:
    return frozenset(regions.load_regions()["code"])


def _ensure_router() -> None:
    """Make sure router.py runs, even for the very first link a process sees.

    Streamlit treats a project with a ``pages/`` folder as a v1 multipage app until some
    run calls ``st.navigation``. A shared link such as ``/peta?...`` opened first would then
    run ``pages/peta.py`` directly, without the router's layout, chrome and error guard.
    ``ui.warmup`` clears that flag when the server starts; this catches every other way of
    running the pages (AppTest, ``streamlit run router.py``) by clearing it and rerunning.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def _seed_widgets(state: ViewState, controls: Sequence[str]) -> None:
    """Put the URL's view into the widgets' session keys (before the widgets exist)."""
    region = state.region or ""
    values = {
        "province": region[:2] if region else "",
        "regency": region if len(region) > 2 else "",
        "segment": state.segment,
        "programme": state.programme,
        "period": state.period or LATEST,
        "metric": state.metric,
        "lang": state.lang,
    }
    for name in ("province", "regency", *controls, "lang"):
        if name in values:
            st.session_state[widget_key(name)] = values[name]


def start(page_key: str, *, defaults: ViewState | None = None,
          controls: Sequence[str] = ("region", "segment", "programme", "period"),
          segments: Sequence[str] = SEGMENTS, regency_level: bool = True,
          extras: Mapping[str, ExtraRule] | None = None) -> PageContext:
    """Read the view from the URL, draw the shared controls, keep the URL in step.

    ``controls`` names the sidebar controls this page offers (``region``, ``segment``,
    ``programme``, ``period``, ``metric``); the language switch is always there.
    """
    defaults = defaults or ViewState()
    _ensure_router()
    raw = st.query_params.to_dict()
    pre_lang = raw.get("lang", "id") if raw.get("lang") in ("id", "en") else "id"
    with st.spinner(t("msg.loading", pre_lang)):
        all_periods = periods()
    state, notices = from_params(raw, valid_regions=set(_valid_regions()),
                                 valid_periods=all_periods, defaults=defaults,
                                 segments=segments, extras=extras)
    signature = (page_key, tuple(sorted(raw.items())))
    reseeded = st.session_state.get("_url_signature") != signature
    if reseeded:
        _seed_widgets(state, controls)
    for notice in notices:
        st.toast(t(notice, state.lang), icon=":material/info:")

    state = _render_controls(state, controls, segments, all_periods, regency_level)
    params = state.to_params()
    if params != st.query_params.to_dict():
        st.query_params.from_dict(params)
    st.session_state["_url_signature"] = (page_key, tuple(sorted(params.items())))
    seg_periods = periods(state.segment)
    shown = state.period or (seg_periods[-1] if seg_periods else None)
    slot = shell.render_nav(page_key, state, shown)
    watch_version(version())
    return PageContext(page_key, state, shown, tuple(seg_periods), reseeded, slot)


def published_month(state: ViewState) -> str | None:
    """The latest month with a published figure for the view's region: the province and its
    regencies, or (Indonesia) any province; ``None`` when nothing is published."""
    from cakupan.analysis import published as pick

    return pick.latest_period(published(state.segment, state.programme), state.segment,
                              pick.view_codes(state.region), programme=state.programme)


def open_on_published_month(ctx: PageContext) -> PageContext:
    """Published first: without a ``period`` in the URL, show the latest month with a
    published figure for the view instead of the store's last month (which may hold only
    the illustrative panel, or only other regions' figures). The URL stays without a period
    ("latest"); the copy-link box names the month shown."""
    if ctx.state.period is not None:
        return ctx
    found = published_month(ctx.state)
    if found is None or found not in ctx.periods or found == ctx.period:
        return ctx
    if ctx.share_slot is not None:
        with ctx.share_slot.container():
            shell.render_share_link(ctx.key, ctx.state, found)
    return replace(ctx, period=found)


def watch_version(seen: str) -> None:
    """Rerun the page once someone publishes, even if this visitor does nothing.

    A fragment on a timer reads only the data version (one row); when it differs from the one
    this run drew, the whole page reruns and every cached read, keyed by the version, is fresh.
    """
    every = settings.freshness_seconds()
    if every <= 0:
        return
    _version_watch(seen)


@st.fragment(run_every=settings.freshness_seconds() or None)
def _version_watch(seen: str) -> None:
    try:
        now = version()
    except StoreUnavailable:  # gone while the page was open: rerun it, the router says so
        st.rerun(scope="app")
    if now != seen:
        st.rerun(scope="app")


def set_extra(ctx: PageContext, name: str, value: str | None) -> PageContext:
    """Change one page parameter and keep the URL (and the copy-link) in step."""
    return update(ctx, ctx.state.with_extras(**{name: value or None}))


def update(ctx: PageContext, state: ViewState) -> PageContext:
    """Adopt a view changed by a page's own widget: URL and copy-link follow."""
    params = state.to_params()
    if params != st.query_params.to_dict():
        st.query_params.from_dict(params)
    st.session_state["_url_signature"] = (ctx.key, tuple(sorted(params.items())))
    if ctx.share_slot is not None:
        with ctx.share_slot.container():
            shell.render_share_link(ctx.key, state, state.period or ctx.period)
    shown = state.period or ctx.period
    return replace(ctx, state=state, period=shown)


def _render_controls(state: ViewState, controls: Sequence[str], segments: Sequence[str],
                     all_periods: list[str], regency_level: bool) -> ViewState:
    lang = state.lang
    side = st.sidebar
    choice = side.segmented_control(
        t("app.language", lang), options=["id", "en"], key=widget_key("lang"),
        format_func=lambda code: "ID" if code == "id" else "EN", selection_mode="single")
    lang = choice or state.lang
    changes: dict[str, object] = {"lang": lang}
    if "region" in controls:
        provs = regions.provinces()
        options = ["", *provs["code"]]
        names = dict(zip(provs["code"], provs["name"], strict=True))
        province = side.selectbox(
            t("control.province", lang), options, key=widget_key("province"),
            format_func=lambda c: names.get(c, t("region.indonesia", lang)))
        region = province or None
        if province and regency_level:
            regs = regions.regencies(province)
            reg_names = dict(zip(regs["code"], regs["name"], strict=True))
            if st.session_state.get(widget_key("regency")) not in ("", *reg_names):
                st.session_state[widget_key("regency")] = ""
            regency = side.selectbox(
                t("control.regency", lang), ["", *regs["code"]], key=widget_key("regency"),
                format_func=lambda c: reg_names.get(c, "—"))
            region = regency or province
        changes["region"] = region
    if "segment" in controls:
        changes["segment"] = side.selectbox(
            t("control.segment", lang), list(segments), key=widget_key("segment"),
            format_func=lambda s: segment_label(s, lang))
    if "programme" in controls:
        changes["programme"] = side.selectbox(
            t("control.programme", lang), list(PROGRAMMES), key=widget_key("programme"),
            format_func=lambda p: programme_label(p, lang))
    if "metric" in controls:
        changes["metric"] = side.radio(
            t("control.metric", lang), list(METRICS), key=widget_key("metric"),
            format_func=lambda m: t(f"metric.{m}", lang))
    if "period" in controls and all_periods:
        options = [LATEST, *reversed(all_periods)]
        if st.session_state.get(widget_key("period")) not in options:
            st.session_state[widget_key("period")] = LATEST
        chosen = side.selectbox(
            t("control.period", lang), options, key=widget_key("period"),
            format_func=lambda p: (t("period.latest", lang, month=fmt.month(all_periods[-1], lang))
                                   if p == LATEST else fmt.month(p, lang, "long")))
        changes["period"] = None if chosen == LATEST else chosen
    return state.replace(**changes)


@st.cache_data(show_spinner=False, max_entries=64)
def _profile(data_version: str, code: str, period: str, desa: int, url: str
             ) -> tuple[pd.DataFrame, dict[str, pd.DataFrame], pd.DataFrame]:
    from cakupan.analysis import profile

    engine_ = _engine(url)
    obs = store.current_observations(engine_, region_codes=[code])
    seg = profile.segment_profile(obs, store.targets(engine_), store.premium_rates(engine_),
                                  code=code, period=period, desa=desa)
    history = {s: metrics.series(obs, code=code, segment=s)
               for s in seg["segment"] if s != "all"}
    return seg, history, profile.programme_profile(obs, code=code, period=period)


def region_profile(code: str, period: str, desa: int
                   ) -> tuple[pd.DataFrame, dict[str, pd.DataFrame], pd.DataFrame]:
    """Segments (latest, gap, cost), monthly history per segment and programme figures."""
    return _profile(version(), code, period, desa, settings.database_url())


@st.cache_data(show_spinner=False, max_entries=256)
def neighbours(code: str, geo_key: str) -> list[str]:
    from cakupan import geo
    from cakupan.analysis import profile
    from cakupan.core.errors import GeoUnavailable

    try:
        return profile.neighbours(geo.load_view(code[:2]), code)
    except GeoUnavailable:
        return []


@st.cache_data(show_spinner=False, max_entries=64)
def _briefing(data_version: str, region: str, period: str, segment: str, lang: str,
              url: str) -> tuple[briefing.BriefingData, briefing.Deck]:
    data = briefing.collect_from_store(_engine(url), region=region, period=period,
                                       segment=segment, lang=lang)
    return data, briefing.deck_from_data(data, lang)


def briefing_data(region: str, period: str, segment: str, lang: str
                  ) -> tuple[briefing.BriefingData, briefing.Deck]:
    """The briefing's numbers and slides for a province (``"81"``) or Indonesia (``""``),
    cached per data version: the overview and the briefing page share them."""
    return _briefing(version(), region, period, segment, lang, settings.database_url())
