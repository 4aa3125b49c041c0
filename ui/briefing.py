"""Streamlit helpers of the briefing page: full-screen slides for a projector.

Sizes are for a 1920 x 1080 projector seen from the back of a room: headlines 72 px, body
text 36 px, sources and controls 32 px; text colours reach at least 6:1 on their background
(WCAG AA asks 4.5:1). The app chrome is hidden with one static CSS string; no data ever
goes into HTML: slide text reaches the page through ``st.title``/``st.markdown`` with Markdown
escaped (:func:`ui.render.md_escape`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import streamlit as st

from cakupan import briefing, regions
from cakupan.core import settings, spreadsheet
from cakupan.core.errors import CakupanError, GeoUnavailable
from cakupan.core.i18n import t
from cakupan.present import static
from cakupan.present.deck_text import text
from cakupan.present.state import ViewState, from_params
from ui import context
from ui.render import md_escape

#: Default view of a bare ``/briefing`` link: Maluku, as on the overview.
DEFAULTS = ViewState(region="81", segment="all")
#: Seconds per slide when auto-advance is on (``?auto=N`` sets another pace).
AUTO_SECONDS = 20
AUTO_RANGE = (5, 300)
#: The slide picture: 16:9 at 1600 px, text scaled up to stay legible beside the bullets.
FIGURE_SIZE = (1600, 900)
FIGURE_TEXT_SCALE = 1.5

# Static: selectors and sizes only, nothing from data. Streamlit gives keyed containers the
# class ``st-key-<key>``, which is how the slide's parts are sized. Sizes follow the screen's
# width (``clamp``): 72 px titles on a 1920 projector, 56 px at 1024, 30 px on a phone.
CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stStatusWidget"] ~ div footer, footer { display: none !important; }
[data-testid="stMainBlockContainer"], .block-container {
  max-width: 100% !important; padding: 1.5rem 3rem 1rem 3rem !important; }
.st-key-slide { background: #ffffff; color: #1f2933; }
.st-key-slide h1 { font-size: clamp(30px, 5.5vw, 72px) !important; line-height: 1.12 !important;
  font-weight: 700 !important; color: #1f2933 !important; padding: 0.2em 0 0.3em 0 !important; }
.st-key-slide-bullets p, .st-key-slide-bullets li { font-size: clamp(18px, 2.7vw, 36px) !important;
  line-height: 1.35 !important; color: #1f2933 !important; }
.st-key-slide-head p { font-size: clamp(15px, 2.4vw, 32px) !important; color: #52606d !important;
  margin: 0 !important; }
.st-key-slide-sources p { font-size: clamp(14px, 2.4vw, 32px) !important;
  line-height: 1.3 !important; color: #52606d !important; }
.st-key-slide-badge { background: #e69f00; padding: 0.15em 0.6em; width: fit-content; }
.st-key-slide-badge p { font-size: clamp(15px, 2.4vw, 32px) !important; font-weight: 700 !important;
  color: #000000 !important; margin: 0 !important; }
.st-key-slide-controls p, .st-key-slide-controls button,
.st-key-slide-controls label, .st-key-slide-controls a span {
  font-size: clamp(16px, 2.1vw, 28px) !important; }
/* A phone in portrait: the same slide, one message per screen, without sideways scroll. */
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"], .block-container {
    padding: 0.75rem 1rem 0.5rem 1rem !important; }
  .st-key-slide h1 { overflow-wrap: normal !important; word-break: normal !important; } }
</style>
"""


@dataclass(frozen=True)
class BriefingView:
    """What the URL asks for: the view, the slide (0-based), auto-advance seconds (or 0)."""

    state: ViewState
    region: str  # a province code, "" for Indonesia, or PP.RR: its province's deck + villages
    period: str | None
    slide: int
    auto: int


def _auto(value: str) -> str | None:
    low, high = AUTO_RANGE
    return value if value.isdigit() and low <= int(value) <= high else None


def current_view() -> tuple[BriefingView, list[str]]:
    """Read region, period, segment, language, slide and auto-advance from the URL.

    Bad values fall back to defaults (with notice keys for a toast); a regency code becomes
    its province, since a briefing is for a province or Indonesia.
    """
    context._ensure_router()  # run through the router (its error guard), as every page does
    state, notices = from_params(
        st.query_params.to_dict(), valid_regions=set(regions.load_regions()["code"]),
        valid_periods=context.periods(), defaults=DEFAULTS,
        extras={"auto": _auto, "level": lambda v: "desa" if v.strip().lower() == "desa" else None})
    region = (state.region or "")[:2]
    if state.extra("level") == "desa" and len(state.region or "") == 5:
        region = str(state.region)  # ?region=PP.RR&level=desa: the village slide is added
    latest = next(reversed(context.periods(state.segment)), None)
    # Published first, as the overview: without a period, the latest month with a published
    # figure for the region (the store's last month may hold only other regions' figures).
    published = None if state.period else context.published_month(state)
    period = state.period or (published if published in context.periods(state.segment)
                              else latest)
    slide = int(state.extra("slide", "1")) - 1
    return BriefingView(state, region, period, slide, int(state.extra("auto", "0"))), notices


def _deck(data_version: str, region: str, period: str, segment: str, lang: str,
          url: str) -> briefing.Deck:
    # The (data, deck) pair is cached once, in ui.context, for this page and the overview.
    deck = context._briefing(data_version, region[:2], period, segment, lang, url)[1]
    if len(region) == 5:  # a regency: its province's deck and the regency's village slide
        deck = _with_villages(data_version, region, period, segment, lang, deck, url)
    return deck


@st.cache_data(show_spinner=False, max_entries=16)
def _with_villages(data_version: str, regency: str, period: str, segment: str, lang: str,
                   _deck: briefing.Deck, url: str) -> briefing.Deck:
    # keyed by the deck's own key (``_deck`` is not hashed): version, month, segment, language
    from cakupan.briefing.village_slide import with_village_slide

    return with_village_slide(_deck, context._engine(url), regency)


def deck_for(view: BriefingView) -> briefing.Deck:
    """The deck of the view, cached per data version (an import is seen at once)."""
    return _deck(context.version(), view.region, view.period, view.state.segment,
                 view.state.lang, settings.database_url())


@st.cache_data(show_spinner=False, max_entries=64)
def _figure(data_version: str, region: str, period: str, segment: str, lang: str, index: int,
            url: str) -> bytes | None:
    deck = _deck(data_version, region, period, segment, lang, url)
    spec = deck.slides[index].figure
    if spec is None:
        return None
    width, height = FIGURE_SIZE
    return static.spec_png(spec, lang=lang, width=width, height=height,
                           text_scale=FIGURE_TEXT_SCALE)


@st.cache_data(show_spinner=False, max_entries=16)
def _file(data_version: str, region: str, period: str, segment: str, lang: str, fmt: str,
          url: str) -> bytes:
    from cakupan.briefing.export import export

    return export(_deck(data_version, region, period, segment, lang, url), fmt)


def go_to(view: BriefingView, index: int, total: int) -> None:
    """Put slide ``index`` (0-based, wrapping around) in the URL."""
    st.query_params["slide"] = str(index % total + 1)


def render_css() -> None:
    st.markdown(CSS, unsafe_allow_html=True)  # static string: no data in it


def render_slide(deck: briefing.Deck, view: BriefingView) -> None:
    """One slide, full width: running head, headline, bullets beside the picture, sources."""
    index = view.slide % len(deck.slides)
    slide = deck.slides[index]
    with st.container(key="slide"):
        head, badge = st.columns([3, 2], vertical_alignment="center")
        with head.container(key="slide-head"):
            number = text("slide.of", deck.lang, i=index + 1, n=len(deck.slides))
            st.markdown(md_escape(f"{slide.title} · {deck.label} · {number}"))
        if slide.illustrative:
            with badge.container(key="slide-badge"):
                st.markdown(md_escape(text("illustrative", deck.lang)))
        st.title(md_escape(slide.headline), anchor=False)
        if slide.figure is not None:
            left, right = st.columns([2, 3], gap="large")
        else:
            left, right = st.container(), None
        with left.container(key="slide-bullets"):
            st.markdown("\n".join(f"- {md_escape(b)}" for b in slide.bullets))
        sources = st.container(key="slide-sources")
        with sources:
            st.markdown(md_escape(text("sources", deck.lang, list="; ".join(slide.sources))
                                  if slide.sources else text("no_sources", deck.lang)))
        if right is not None:  # last: the words are on screen while the picture renders
            png = _slide_picture(deck, view, index)
            if png is not None:
                right.image(png, width="stretch", alt=slide.figure.alt or slide.headline)


def _slide_picture(deck: briefing.Deck, view: BriefingView, index: int) -> bytes | None:
    try:
        return _figure(context.version(), view.region, view.period, view.state.segment,
                       view.state.lang, index, settings.database_url())
    except GeoUnavailable:
        st.info(text("map.no_geo", deck.lang), icon=":material/map:")
        return None


def render_controls(deck: briefing.Deck, view: BriefingView) -> None:
    """Previous/next, auto-advance, language, downloads (PPTX, PDF, HTML, table CSV/XLSX),
    exit."""
    lang, total = deck.lang, len(deck.slides)
    index = view.slide % total
    # One row that wraps (a flex row, not columns): every label stays whole on a 1024 px
    # projector and on a phone, where columns squeezed "Sebelumnya" to "Sebel…".
    row = st.container(key="slide-controls", horizontal=True, wrap=True,
                       vertical_alignment="center", gap="small")
    with row:
        cols = [row] * 10
        if cols[0].button(t("action.previous", lang), icon=":material/arrow_back:",
                          width="content"):
            go_to(view, index - 1, total)
            st.rerun()
        if cols[1].button(t("action.next", lang), icon=":material/arrow_forward:",
                          width="content", type="primary"):
            go_to(view, index + 1, total)
            st.rerun()
        auto = cols[2].toggle(text("ui.auto", lang), value=bool(view.auto), key="brief-auto")
        if auto != bool(view.auto):
            if auto:
                st.query_params["auto"] = str(view.auto or AUTO_SECONDS)
            else:
                st.query_params.pop("auto", None)
            st.rerun()
        other = "en" if lang == "id" else "id"
        if cols[3].button(other.upper(), help=text("ui.language", lang)):
            st.query_params["lang"] = other
            st.rerun()
        args = (context.version(), view.region, view.period, view.state.segment, lang)
        url = settings.database_url()
        stem = f"cakupan-{view.region or 'indonesia'}-{view.period}-{view.state.segment}-{lang}"
        cols[4].download_button(
            "PPTX", data=lambda: _file(*args, "pptx", url), file_name=f"{stem}.pptx",
            mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
            icon=":material/download:", on_click="ignore")
        cols[5].download_button(
            "PDF", data=lambda: _file(*args, "pdf", url), file_name=f"{stem}.pdf",
            mime="application/pdf", icon=":material/download:", on_click="ignore")
        # One offline file (plotly.js and the map inside) for a meeting room with no network.
        cols[6].download_button(
            "HTML", data=lambda: _file(*args, "html", url), file_name=f"{stem}.html",
            mime="text/html", icon=":material/download:", on_click="ignore")
        cols[7].download_button(
            "CSV", data=lambda: spreadsheet.to_csv_bytes(deck.table), file_name=f"{stem}.csv",
            mime="text/csv", icon=":material/table:", on_click="ignore")
        cols[8].download_button(
            "XLSX", data=lambda: spreadsheet.to_xlsx_bytes(deck.table),
            file_name=f"{stem}.xlsx", icon=":material/table:", on_click="ignore",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        params = {k: v for k, v in view.state.to_params().items()
                  if k not in ("mode", "slide", "auto")}
        cols[9].page_link("pages/ringkasan.py", label=text("ui.exit", lang),
                          icon=":material/close:", query_params=params)


def render_auto_advance(deck: briefing.Deck, view: BriefingView) -> None:
    """Advance every ``view.auto`` seconds: a timed fragment that reruns the whole page.

    A full run (the page opened, a button pressed) restarts the clock, so a manual step is
    never followed by an immediate automatic one.
    """
    if not view.auto:
        return
    st.session_state["brief-last-step"] = time.monotonic()

    @st.fragment(run_every=view.auto)
    def tick() -> None:
        last = st.session_state.get("brief-last-step", time.monotonic())
        if time.monotonic() - last >= view.auto - 0.5:
            st.session_state["brief-last-step"] = time.monotonic()
            go_to(view, view.slide % len(deck.slides) + 1, len(deck.slides))
            st.rerun(scope="app")

    tick()


def render_error(err: CakupanError, lang: str) -> None:
    st.error(md_escape(str(err)), icon=":material/error:")
