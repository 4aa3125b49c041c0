"""The page when the data store cannot be reached: one line, and a retry until it is back.

A database that is down, restarting or not answering raises
:class:`~cakupan.core.errors.StoreUnavailable` from any read (the store's engines make it; see
:mod:`cakupan.store.database`). The router's error guard catches it and calls :func:`render`:
instead of a spinner that never ends or a traceback, the visitor reads one sentence in their
language, and a fragment on a timer tries the store again every :data:`RETRY_S` seconds and
reruns the whole page once it answers. Nothing of the failure is cached: ``st.cache_resource``
and ``st.cache_data`` keep only values that were returned, so the rerun opens the store
afresh (a PostgreSQL engine's pool also drops its dead connections: ``pool_pre_ping``).
"""

from __future__ import annotations

import logging

import streamlit as st

from cakupan import store
from cakupan.core import settings
from cakupan.core.errors import StoreUnavailable
from cakupan.core.i18n import t

log = logging.getLogger("cakupan.app")

#: Seconds between two tries while the store is unavailable. Each try costs one connection
#: attempt (a refused port answers at once; a silent server takes the connect timeout).
RETRY_S = 3.0


def store_answers() -> bool:
    """Whether the store opens and answers now (the same path a page's first read takes)."""
    try:
        store.data_version(store.get_engine(settings.database_url()))
    except StoreUnavailable:
        return False
    return True


def render(lang: str, err: StoreUnavailable) -> None:
    """The one-line notice, and the timer that reruns the page once the store is back."""
    log.warning("store unavailable: %s", err)  # the operator's line; never on the page
    st.warning(t("msg.store_unavailable", lang), icon=":material/cloud_off:")
    st.session_state[_ARMED] = False  # this run just found the store down: no second try now
    _retry()


_ARMED = "_store_retry_armed"


@st.fragment(run_every=RETRY_S)
def _retry() -> None:
    """Runs once with the page (does nothing), then on its timer: tries the store."""
    if st.session_state.get(_ARMED) and store_answers():
        st.rerun(scope="app")
    st.session_state[_ARMED] = True
