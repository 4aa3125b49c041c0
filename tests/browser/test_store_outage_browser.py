"""An open page when PostgreSQL goes away and comes back, in a real browser (issue 10).

A real server (``streamlit run app.py``) on a throwaway cluster, a page open in Chromium and
left alone. The cluster is stopped in immediate mode: the page's freshness timer finds the
store gone and the page says so in one line. The cluster is started again: the notice's own
timer finds the store back and the page shows its figures again, with nobody touching it.
This is what AppTest cannot show (it runs no fragment timers).
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from cakupan import store
from cakupan.core.i18n import t
from cakupan.hosting.postgres import LocalPostgres
from tests.browser.conftest import main_text_with, serve_app, wait_for_app
from tests.local_pg import cluster_folder, require_binaries

pytestmark = [pytest.mark.browser, pytest.mark.pg]

#: Waits, not budgets: one freshness interval (5 s) or retry interval (3 s) and a rerun, on a
#: machine shared with other work.
WAIT_S = 45
#: What the overview shows only once it has read its figures (the headline metrics).
FIGURES = ("Cakupan", "Peserta terdaftar", "Ringkasan")


@pytest.fixture
def cluster() -> Iterator[LocalPostgres]:
    require_binaries()
    with cluster_folder() as folder, LocalPostgres(folder) as pg:
        store.get_engine(pg.url)  # seeded before the server starts
        store.clear_engines()
        yield pg


def test_an_open_page_says_so_while_the_store_is_down_and_recovers_alone(
        geo_ready, page, tmp_path, cluster: LocalPostgres) -> None:
    notice = t("msg.store_unavailable", "id")
    with serve_app(tmp_path, env={"CAKUPAN_DATABASE_URL": cluster.url}) as base:
        page.goto(f"{base}/")
        wait_for_app(page)
        assert notice not in main_text_with(page, *FIGURES)

        cluster.stop(mode="immediate")
        stopped = time.monotonic()
        down = main_text_with(page, notice, timeout_s=WAIT_S)
        noticed_s = time.monotonic() - stopped
        for internal in ("Traceback", "127.0.0.1", "psycopg", "OperationalError"):
            assert internal not in down

        cluster.start()
        started = time.monotonic()
        back = main_text_with(page, *FIGURES, timeout_s=WAIT_S)
        assert notice not in back
        print(f"store stopped -> notice: {noticed_s:.1f} s; "
              f"store started -> figures: {time.monotonic() - started:.1f} s")
        log = (tmp_path / "streamlit.log").read_text(encoding="utf-8", errors="replace")
        assert "store unavailable: " in log  # the operator's line went to the log
