"""Fault: PostgreSQL stopped in the middle of an import (issue 10).

A throwaway cluster (:mod:`cakupan.hosting.postgres`) holds a seeded store. The operator runs
``python -m cakupan import`` on a national-size file (49,344 rows: every regency, 96 months);
as soon as its writer's transaction has begun (it holds the write counter's row: a
``RowExclusiveLock`` on ``meta``), the cluster is stopped in immediate mode, as a crash or
an operator's ``pg_ctl stop -m immediate`` would. Then:

- the import fails with one line on stderr (no traceback, no driver text) and one JSON
  object on stdout;
- the app, while the cluster is down, shows the one-line "data store unavailable" notice;
- after ``start()`` no part of the file is visible (no batch, no row, no new month, the same
  data version) and the previous figures are still the current ones;
- the same app session shows its data again.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from cakupan import regions, store
from cakupan.commands.query import coverage_of
from cakupan.core.i18n import t
from cakupan.hosting.postgres import LocalPostgres
from tests.conftest import ROOT
from tests.local_pg import cluster_folder, require_binaries
from ui.shell import PAGES

pytestmark = [pytest.mark.pg, pytest.mark.app]

WRITER_BEGUN = ("SELECT count(*) FROM pg_locks l JOIN pg_class r ON r.oid = l.relation "
                "WHERE r.relname = 'meta' AND l.mode = 'RowExclusiveLock' "
                "AND l.pid <> pg_backend_pid()")
#: Hang guards only (a run normally takes seconds); nothing here asserts a duration.
GUARD_S = 240


@pytest.fixture
def cluster() -> Iterator[LocalPostgres]:
    require_binaries()
    with cluster_folder() as folder, LocalPostgres(folder) as pg:
        yield pg
    store.clear_engines()


def national_file(path: Path) -> int:
    """Every regency, 96 months of one segment: an honest big branch export."""
    codes = [c for c in regions.load_regions()["code"] if len(c) == 5]
    months = [f"{y}-{m:02d}" for y in range(2030, 2038) for m in range(1, 13)]
    with path.open("w", encoding="utf-8") as out:
        out.write("Kode;Periode;Segmen;Peserta;Potensi\n")
        for month in months:
            out.writelines(f"{code};{month};bpu;100;400\n" for code in codes)
    return len(codes) * len(months)


def snapshot(engine: sa.Engine) -> dict:
    with engine.connect() as conn:
        observations = conn.exec_driver_sql("SELECT count(*) FROM observations").scalar()
    return {"version": store.data_version(engine),
            "batches": store.list_batches(engine)[["id", "status"]].to_dict("records"),
            "observations": observations,
            "periods": store.periods(engine)[-1],
            "ambon": coverage_of("81.71", segment="bpu", engine=engine)}


def import_stopped_midway(pg: LocalPostgres, path: Path) -> subprocess.CompletedProcess:
    """Run the CLI import; stop the cluster (immediate) once its writer has begun."""
    env = {**os.environ, "CAKUPAN_DATABASE_URL": pg.url}
    env.pop("CAKUPAN_DEBUG", None)
    proc = subprocess.Popen([sys.executable, "-m", "cakupan", "import", str(path), "--json"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    watcher = sa.create_engine(pg.url, poolclass=sa.pool.NullPool)
    deadline = time.monotonic() + GUARD_S
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            with watcher.connect() as conn:
                if conn.exec_driver_sql(WRITER_BEGUN).scalar():
                    break
            time.sleep(0.05)
        if proc.poll() is not None:
            pytest.fail("the import ended before its writer was seen; make the file bigger: "
                        f"{proc.communicate()}")
        pg.stop(mode="immediate")
        out, err = proc.communicate(timeout=GUARD_S)
    finally:
        watcher.dispose()
        if proc.poll() is None:
            proc.kill()
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def open_overview(url: str, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("CAKUPAN_DATABASE_URL", url)
    at = AppTest.from_file(str(ROOT / "router.py"), default_timeout=120)
    at.switch_page(PAGES["ringkasan"][0])
    return at.run()


def test_postgres_stopped_mid_import(cluster: LocalPostgres, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    engine = store.get_engine(cluster.url)  # the first start: migrated and seeded
    before = snapshot(engine)
    path = tmp_path / "nasional.csv"
    assert national_file(path) == 49_344

    done = import_stopped_midway(cluster, path)
    assert done.returncode == 1, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    # the connection broke under the writer (or, between two statements, a new one failed)
    assert lines[0].startswith(("error: the connection to the data store was lost",
                                "error: the data store cannot be reached"))
    for internal in ("Traceback", "psycopg", "OperationalError", "server closed"):
        assert internal not in done.stderr + done.stdout
    payload = json.loads(done.stdout)  # one JSON object, and it says nothing was imported
    assert payload["batch_id"] is None and payload["imported"] == 0

    notice = t("msg.store_unavailable", "id")
    at = open_overview(cluster.url, monkeypatch)  # the cluster is still down
    assert not at.exception and not at.error
    assert [w.value for w in at.warning] == [notice]

    cluster.start()
    assert snapshot(engine) == before  # nothing of the file, the old figures current
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM batches WHERE status <> 'active'"
                                    ).scalar() == 0  # no staging batch left behind
    at.run()  # the same session, as its retry timer reruns it
    assert not at.exception and not at.error
    assert notice not in [w.value for w in at.warning]
    assert {m.label for m in at.metric} >= {t("measure.coverage", "id")}
