"""The app on a store that cannot be reached (issue 10): one line, then the data once it is back.

``CAKUPAN_DATABASE_URL`` points at a closed PostgreSQL port: every page shows the one-line
"data store unavailable" notice in the reader's language, with no traceback, no driver text,
no generic error and no endless spinner. Then the same session runs again with a working
store (what the notice's retry timer does with ``st.rerun``): the page shows its data, so
nothing of the failure was cached (``st.cache_resource``, ``st.cache_data``).
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator

import pytest
from streamlit.testing.v1 import AppTest

from cakupan import store
from cakupan.core.i18n import t
from tests.conftest import ROOT
from ui import outage
from ui.shell import PAGES

pytestmark = pytest.mark.app

#: Pages that read the store for everyone (``kelola`` shows its sign-in prompt first).
STORE_PAGES = sorted(p for p in PAGES if p != "kelola")


def refused_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"postgresql+psycopg://cakupan:x@127.0.0.1:{port}/cakupan"


@pytest.fixture(scope="module")
def working_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('outage')}/store.sqlite"
    store.get_engine(url)  # created and seeded once for the module
    return url


@pytest.fixture
def store_down(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = refused_url()
    monkeypatch.setenv("CAKUPAN_DATABASE_URL", url)
    monkeypatch.setenv("CAKUPAN_DB_CONNECT_TIMEOUT_S", "2")
    yield url


def texts(at: AppTest) -> str:
    """Everything the page shows as text (for what must not be there)."""
    parts = [e.value for kind in ("markdown", "caption", "warning", "error", "info", "text")
             for e in getattr(at, kind)]
    parts += [m.label for m in at.metric]
    return "\n".join(str(p) for p in parts)


def open_page(page: str, lang: str = "id") -> AppTest:
    at = AppTest.from_file(str(ROOT / "router.py"), default_timeout=120)
    at.query_params["lang"] = lang
    at.switch_page(PAGES[page][0])
    return at.run()


@pytest.mark.parametrize("page", STORE_PAGES)
def test_every_page_says_store_unavailable_in_one_line(
        store_down: str, page: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="cakupan.app"):
        at = open_page(page)
    assert not at.exception, [e.message for e in at.exception]
    assert [w.value for w in at.warning] == [t("msg.store_unavailable", "id")]
    assert not at.error  # not the generic "something went wrong"
    shown = texts(at)
    for internal in ("127.0.0.1", "PostgreSQL", "psycopg", "Traceback", "CAKUPAN_"):
        assert internal not in shown
    assert "store unavailable: the data store cannot be reached" in caplog.text


def test_the_notice_is_in_english_on_an_english_page(store_down: str) -> None:
    at = open_page("peta", lang="en")
    assert [w.value for w in at.warning] == [
        "The data store cannot be reached; retrying automatically."]


def test_the_page_recovers_when_the_store_is_back(
        store_down: str, working_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_page("ringkasan")
    assert [w.value for w in at.warning] == [t("msg.store_unavailable", "id")]
    monkeypatch.setenv("CAKUPAN_DATABASE_URL", working_url)
    at.run()  # what the retry timer's st.rerun(scope="app") does
    assert not at.exception
    assert t("msg.store_unavailable", "id") not in [w.value for w in at.warning]
    assert {m.label for m in at.metric} >= {t("measure.coverage", "id")}


def test_the_retry_probe_follows_the_store(store_down: str, working_url: str,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    assert outage.store_answers() is False
    monkeypatch.setenv("CAKUPAN_DATABASE_URL", working_url)
    assert outage.store_answers() is True
