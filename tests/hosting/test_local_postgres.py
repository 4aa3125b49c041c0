"""``cakupan.hosting.postgres``: a throwaway cluster in a folder, stopped and started at will.

Real ``initdb`` and ``pg_ctl`` (Debian's, as the ``postgres`` user when root): the URL works,
``stop(mode="immediate")`` kills the server like a crash and ``start()`` brings it back on the
same port with what was committed (and without what was not), and leaving the block leaves no
process and, unless kept, no folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from cakupan.core.errors import CakupanError
from cakupan.hosting import postgres
from cakupan.hosting.postgres import LocalPostgres, trial_cluster
from tests.local_pg import cluster_folder, require_binaries

pytestmark = pytest.mark.pg


@pytest.fixture
def folder() -> Iterator[Path]:
    require_binaries()
    with cluster_folder() as path:
        yield path


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def one(url: str, sql: str) -> object:
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            result = conn.exec_driver_sql(sql)
            return result.scalar() if result.returns_rows else None
    finally:
        engine.dispose()


def test_start_stop_immediate_start_again_and_leave_nothing(folder: Path) -> None:
    with LocalPostgres(folder) as pg:
        first_pid = pg.pid
        assert first_pid is not None and alive(first_pid) and pg.running
        url = pg.url
        assert sa.make_url(url).host == "127.0.0.1" and sa.make_url(url).port == pg.port
        assert one(url, "SELECT current_user || '@' || current_database()") == "cakupan@cakupan"
        one(url, "CREATE TABLE kept (x int); INSERT INTO kept VALUES (1)")

        open_engine = sa.create_engine(url)
        open_conn = open_engine.connect()  # a transaction still open when the server dies
        open_conn.exec_driver_sql("INSERT INTO kept VALUES (2)")
        pg.stop(mode="immediate")
        assert not pg.running and not alive(first_pid)
        with pytest.raises(sa.exc.OperationalError):
            one(url, "SELECT 1")
        open_conn.invalidate()
        open_engine.dispose()

        pg.start()
        assert pg.url == url and pg.pid != first_pid
        assert one(url, "SELECT string_agg(x::text, ',' ORDER BY x) FROM kept") == "1"
        last_pid = pg.pid
    assert last_pid is not None and not alive(last_pid)
    assert not folder.exists()  # not kept: removed with the cluster


def test_a_kept_folder_starts_again_with_the_same_url_and_data(folder: Path) -> None:
    with LocalPostgres(folder, keep=True) as pg:
        url = pg.url
        one(url, "CREATE TABLE kept (x int); INSERT INTO kept VALUES (7)")
    assert (folder / "cluster.json").stat().st_mode & 0o777 == 0o600  # the password file
    with trial_cluster(folder, keep=True) as again:
        assert again == url
        assert one(again, "SELECT x FROM kept") == 7
    with pytest.raises(sa.exc.OperationalError):  # stopped on leaving the block
        one(url, "SELECT 1")


def test_trial_cluster_yields_a_url_and_stops_on_error(folder: Path) -> None:
    with pytest.raises(RuntimeError, match="boom"), trial_cluster(folder) as url:
        assert one(url, "SELECT 1") == 1
        raise RuntimeError("boom")
    with pytest.raises(sa.exc.OperationalError):
        one(url, "SELECT 1")


@pytest.mark.skipif(os.geteuid() != 0, reason="the postgres user only matters as root")
def test_a_folder_the_postgres_user_cannot_reach_is_one_clear_line(folder: Path) -> None:
    folder.chmod(0o700)  # root's, closed: what pytest's temporary folders look like
    with pytest.raises(CakupanError, match="the postgres user cannot reach"):
        LocalPostgres(folder / "inner").start()


def test_no_binaries_is_one_clear_line(tmp_path: Path) -> None:
    with pytest.raises(CakupanError, match="install Debian's postgresql"):
        LocalPostgres(tmp_path, bin_dir=tmp_path / "nowhere")
    assert postgres.find_bin_dir(tmp_path) is None
