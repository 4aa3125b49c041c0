"""Cakupan's main Streamlit script: it only routes (STYLE.md 1). Served by app.py.

Page paths are part of the stable-link contract (CONTRACTS.md): `/`, `/peta`, `/tren`,
`/wilayah`, `/sumber`, `/briefing`. `?mode=briefing` on any page opens the briefing with the
same state parameters.
"""

import logging

import streamlit as st

from cakupan.core.errors import StoreUnavailable
from cakupan.core.i18n import t
from ui import outage, shell

pages = shell.pages()
current = st.navigation(list(pages.values()), position="hidden")
# After st.navigation: the page it picks would otherwise reset the layout to "centered".
st.set_page_config(page_title=f"{current.title} · Cakupan", page_icon="🛡️", layout="wide")
if st.query_params.get("mode") == "briefing" and current.url_path != "briefing":
    st.switch_page(pages["briefing"], query_params=st.query_params.to_dict())
shell.render_chrome(pages, current)
try:
    current.run()
except StoreUnavailable as err:  # the database is down: one line, retried until it is back
    outage.render(shell.current_lang(), err)
except Exception:  # never a traceback for a user: log it, say something useful instead
    logging.getLogger("cakupan.app").exception("page %s failed", current.url_path)
    st.error(t("msg.error_generic", shell.current_lang()), icon=":material/error:")
