"""The app's frame: the page list with stable paths, navigation that carries state, chrome.

Streamlit clears query parameters on a page switch; navigation here is built from
``st.page_link(..., query_params=...)`` so the shared selection (region, segment, period,
language...) travels with the user from page to page.
"""

from __future__ import annotations

import streamlit as st

from cakupan.core.i18n import t
from cakupan.present import palette
from ui.auth import render_sign_in

# key -> (script, url_path, i18n key of the title, icon). url paths are a public contract.
PAGES: dict[str, tuple[str, str, str, str]] = {
    "ringkasan": ("pages/ringkasan.py", "", "page.ringkasan", ":material/dashboard:"),
    "peta": ("pages/peta.py", "peta", "page.peta", ":material/map:"),
    "tren": ("pages/tren.py", "tren", "page.tren", ":material/trending_up:"),
    "wilayah": ("pages/wilayah.py", "wilayah", "page.wilayah", ":material/location_city:"),
    "sumber": ("pages/sumber.py", "sumber", "page.sumber", ":material/menu_book:"),
    "briefing": ("pages/briefing.py", "briefing", "page.briefing", ":material/slideshow:"),
    "kelola": ("pages/kelola.py", "kelola", "page.kelola", ":material/edit_note:"),
}


# Static: selectors and palette constants only, nothing from data or the URL. Streamlit 1.67's
# own styles that fail WCAG 2.1 AA (axe-core, tests/browser/test_accessibility_browser.py):
# * captions are the text colour at 60 % opacity: 4.4:1 on the sidebar grey (1.4.3);
# * the current page's link is drawn disabled, in the text colour at 40 %: 2.5:1 (1.4.3). It
#   stays disabled (clicking it would rerun the page with the URL of the run's start), and
#   reads as the current page by its weight and a shaded background, in the text colour;
# * a page link shows keyboard focus only by a faint background change (2.4.7): an outline.
CSS = f"""<style>
div[data-testid="stCaptionContainer"] {{ opacity: 1; color: {palette.CAPTION}; }}
a[data-testid="stPageLink-NavLink"][disabled] {{
  background-color: {palette.CURRENT_PAGE}; cursor: default; }}
a[data-testid="stPageLink-NavLink"][disabled] span {{
  color: {palette.TEXT}; font-weight: 600; cursor: default; }}
a[data-testid="stPageLink-NavLink"]:focus-visible {{
  outline: 2px solid {palette.SIDEBAR_PRIMARY}; outline-offset: -2px; }}
</style>"""


def current_lang() -> str:
    lang = st.query_params.get("lang", "id")
    return lang if lang in ("id", "en") else "id"


def pages() -> dict[str, st.Page]:
    lang = current_lang()
    return {
        key: st.Page(script, title=t(title, lang), icon=icon, url_path=path or None,
                     default=(key == "ringkasan"))
        for key, (script, path, title, icon) in PAGES.items()
    }


def page_key(page: st.Page) -> str:
    for key, p in pages().items():
        if p.url_path == page.url_path:
            return key
    return "ringkasan"


def render_chrome(pages_by_key: dict[str, st.Page], current: st.Page) -> None:
    """App-wide chrome: name, tagline, sign-in (when configured). Briefing mode hides the
    sidebar and toolbar (static CSS only)."""
    if current.url_path == pages_by_key["briefing"].url_path:
        return  # the briefing page draws its own full-screen frame
    st.html(CSS)  # style only: Streamlit puts it out of the layout; a constant, no data in it
    lang = current_lang()
    st.sidebar.markdown(f"### {t('app.name', lang)}")
    st.sidebar.caption(t("app.tagline", lang))
    render_sign_in(lang)


def render_nav(page_key: str, state, shown_period: str | None = None):
    """Links to every page that carry the shared view along, and the copy-link box.

    Returns the placeholder holding the copy-link box, so a page that changes its own
    parameters later in the run can redraw it with the final URL.
    """
    lang = state.lang
    params = {k: v for k, v in state.to_params().items() if k not in ("mode", "slide")}
    side = st.sidebar
    side.divider()
    for key, (script, _path, title, icon) in PAGES.items():
        side.page_link(script, label=t(title, lang), icon=icon, query_params=params,
                       disabled=(key == page_key))
    slot = side.empty()
    st.session_state[_SHARE_DRAWS] = 0  # a new run: the copy-link box's draws count from 0
    with slot.container():
        render_share_link(page_key, state, shown_period)
    return slot


#: Session key counting this run's drawings of the copy-link box (see render_share_link).
_SHARE_DRAWS = "_share_link_draws"


def render_share_link(page_key: str, state, shown_period: str | None = None) -> None:
    """"Salin tautan": the exact URL of this view, as plain text in a text box to select.

    A text box, not ``st.code``: a code block makes every first visit download the syntax
    highlighter's front-end chunk (1.5 MB) for one line of text. The URL is plain text in an
    input, never Markdown. The box is a widget, so two things are taken care of:

    * whatever a visitor types into it is ignored and overwritten with the real URL on the
      next run (nothing reads its value; its key is outside the ``cakupan.*`` keys that are
      synced with the URL, so it can never change the view);
    * a page may redraw the box later in the same run (``context.update``) and a widget key
      may be used once per run, so each drawing in a run has its own key, numbered in
      drawing order (stable from run to run, as pages draw in the same order).

    The link pins the month shown: "latest" today is not the latest next month.
    """
    from cakupan.present.state import share_url

    lang = state.lang
    if state.period is None and shown_period:
        state = state.replace(period=shown_period)
    base = _base_url()
    url = share_url(base, PAGES[page_key][1], state)
    draw = int(st.session_state.get(_SHARE_DRAWS, 0))
    st.session_state[_SHARE_DRAWS] = draw + 1
    key = share_link_key(draw)
    st.session_state[key] = url  # set before the widget exists: edits never stick
    with st.expander(t("action.copy_link", lang), icon=":material/link:"):
        st.text_input(t("control.share_link", lang), key=key)
        st.caption(t("msg.copy_link_help", lang))


def share_link_key(draw: int = 0) -> str:
    """The copy-link box's widget key for the ``draw``-th drawing in a run (tests use it)."""
    return "share_link" if draw == 0 else f"share_link.{draw}"


def _base_url() -> str:
    """Scheme, host and port of the running app (``st.context.url`` minus path and query)."""
    from urllib.parse import urlsplit

    url = getattr(st.context, "url", None) or "http://localhost:8501/"
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
