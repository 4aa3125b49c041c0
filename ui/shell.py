"""The app's frame: the page list with stable paths, navigation that carries state, chrome.

Streamlit clears query parameters on a page switch; navigation here is built from
``st.page_link(..., query_params=...)`` so the shared selection (region, segment, period,
language...) travels with the user from page to page.
"""

from __future__ import annotations

import streamlit as st

from cakupan.i18n import t

# key -> (script, url_path, i18n key of the title, icon). url paths are a public contract.
PAGES: dict[str, tuple[str, str, str, str]] = {
    "ringkasan": ("pages/ringkasan.py", "", "page.ringkasan", ":material/dashboard:"),
    "peta": ("pages/peta.py", "peta", "page.peta", ":material/map:"),
    "tren": ("pages/tren.py", "tren", "page.tren", ":material/trending_up:"),
    "wilayah": ("pages/wilayah.py", "wilayah", "page.wilayah", ":material/location_city:"),
    "sumber": ("pages/sumber.py", "sumber", "page.sumber", ":material/menu_book:"),
    "briefing": ("pages/briefing.py", "briefing", "page.briefing", ":material/slideshow:"),
}


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
