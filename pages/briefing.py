"""Briefing: full-screen slides for a projector (also ``?mode=briefing`` on any page).

Reads region, period, segment, language and slide from the URL; no sidebar, no app chrome.
The download buttons give the same files as ``python -m cakupan brief``.
"""

import streamlit as st

from cakupan.core.errors import CakupanError, StoreUnavailable
from cakupan.core.i18n import t
from cakupan.present.deck_text import text
from ui import briefing as ui

# 1. Frame: hide the app chrome (static CSS).
ui.render_css()

# 2. View from the URL (bad values fall back, with a notice).
view, notices = ui.current_view()
lang = view.state.lang
for notice in notices:
    st.toast(t(notice, lang), icon=":material/info:")
if view.period is None:
    st.info(text("ui.no_period", lang), icon=":material/info:")
    st.stop()

# 3. The deck (cached per data version).
try:
    deck = ui.deck_for(view)
except StoreUnavailable:
    raise  # the router's guard says so in one line and retries until the store is back
except CakupanError as err:
    ui.render_error(err, lang)
    st.stop()

# 4. The slide, the controls, auto-advance.
ui.render_slide(deck, view)
ui.render_controls(deck, view)
ui.render_auto_advance(deck, view)
