"""A store that cannot be used is one line for the operator, never a hang or a traceback.

PostgreSQL that refuses (a closed port, a wrong password), that accepts but never answers
(a socket server here that accepts and says nothing), and a statement past the
statement timeout: each becomes :class:`StoreUnavailable`; the command line exits 1 with its
line on stderr and, under ``--json``, exactly one JSON object on stdout. An import's
transaction has its own, longer statement timeout (``SET LOCAL``), so a big file is not cut.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from cakupan import store
from cakupan.core import settings
from cakupan.core.errors import StoreUnavailable
from cakupan.store.database import writing
from tests.conftest import ROOT

pytestmark = pytest.mark.unit

CONNECT_TIMEOUT_S = 2  # the smallest libpq accepts
#: How long a command may take on top of the connect timeout (interpreter start, imports).
SLACK_S = 20


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A TCP server that accepts every connection and never sends a byte (nor closes)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                return
            held.append(conn)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    server.close()
    for conn in held:
        conn.close()


def cli(url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "CAKUPAN_DATABASE_URL": url,
           "CAKUPAN_DB_CONNECT_TIMEOUT_S": str(CONNECT_TIMEOUT_S)}
    env.pop("CAKUPAN_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "cakupan", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=CONNECT_TIMEOUT_S + SLACK_S)


def assert_one_line_and_one_json(done: subprocess.CompletedProcess, *expected: str) -> dict:
    assert done.returncode == 1
    err_lines = done.stderr.strip().splitlines()
    assert len(err_lines) == 1, done.stderr
    assert err_lines[0].startswith("error: the data")
    for text in expected:
        assert text in err_lines[0]
    for driver_text in ("Traceback", "psycopg", "sqlalchemy", "Connection refused",
                        "connection timeout expired", "OperationalError"):
        assert driver_text not in done.stderr + done.stdout
    payload = json.loads(done.stdout)  # exactly one JSON document, nothing else
    assert payload == {"error": err_lines[0].removeprefix("error: "),
                       "kind": "store_unavailable"}
    return payload


def pg(port: int, password: str = "x") -> str:
    return f"postgresql+psycopg://cakupan:{password}@127.0.0.1:{port}/cakupan_test"


@pytest.mark.parametrize("command", [
    ("query", "coverage", "--region", "81", "--json"),
    ("users", "list", "--json"),
])
def test_refused_port_is_one_line_and_one_json_object(command: tuple[str, ...]) -> None:
    port = free_port()
    done = cli(pg(port), *command)
    assert_one_line_and_one_json(done, "cannot be reached", f"127.0.0.1:{port}")


def test_import_on_a_refused_port_writes_one_json_object(tmp_path: Path) -> None:
    path = tmp_path / "laporan.csv"
    path.write_text("Kabupaten;Periode;Peserta\nKonsel;Okt 2018;202\n", encoding="utf-8")
    done = cli(pg(free_port()), "import", str(path), "--segment", "non_asn", "--json")
    assert done.returncode == 1
    assert len(done.stderr.strip().splitlines()) == 1 and "cannot be reached" in done.stderr
    json.loads(done.stdout)


def test_a_server_that_never_answers_ends_at_the_connect_timeout(silent_server: int) -> None:
    # subprocess's timeout (connect timeout + slack) is the hang guard: before, this hung
    done = cli(pg(silent_server), "query", "coverage", "--region", "81", "--json")
    assert_one_line_and_one_json(done, f"did not answer within {CONNECT_TIMEOUT_S} s",
                                 "CAKUPAN_DB_CONNECT_TIMEOUT_S")


def test_get_engine_on_a_silent_server_raises_store_unavailable(
        silent_server: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAKUPAN_DB_CONNECT_TIMEOUT_S", str(CONNECT_TIMEOUT_S))
    with pytest.raises(StoreUnavailable) as err:
        store.get_engine(pg(silent_server))
    assert err.value.reason == "timeout" and err.value.kind == "store_unavailable"
    store.clear_engines()


def test_a_refused_login_is_named_without_the_password(pg_url: str) -> None:
    url = sa.make_url(pg_url).set(password="surely-not-the-password")
    with pytest.raises(StoreUnavailable) as err:
        store.get_engine(url.render_as_string(hide_password=False))
    assert err.value.reason == "unreachable"  # libpq gives no code to tell them apart
    assert "password" in str(err.value) and "surely-not-the-password" not in str(err.value)
    store.clear_engines()


def test_a_sqlite_file_that_cannot_be_opened() -> None:
    done = cli("sqlite:////proc/cakupan-nowhere/store.sqlite", "users", "list", "--json")
    assert_one_line_and_one_json(done, "cannot be opened")


@pytest.fixture
def pg_engine(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[sa.Engine]:
    """The test PostgreSQL opened by the store with a half-second statement timeout and a
    7 s one for imports (environment read when the engine is made)."""
    from tests.store.dbs import drop_schema, isolated_url

    monkeypatch.setenv("CAKUPAN_DB_STATEMENT_TIMEOUT_S", "0.5")
    monkeypatch.setenv("CAKUPAN_DB_IMPORT_STATEMENT_TIMEOUT_S", "7")
    url, name = isolated_url(pg_url)
    yield store.get_engine(url, seed=False)
    store.clear_engines()
    drop_schema(pg_url, name)


def test_a_statement_past_the_timeout_is_cancelled_as_store_unavailable(
        pg_engine: sa.Engine) -> None:
    with pytest.raises(StoreUnavailable) as err, pg_engine.connect() as conn:
        conn.exec_driver_sql("SELECT pg_sleep(3)")
    assert err.value.reason == "statement_timeout"
    assert "CAKUPAN_DB_STATEMENT_TIMEOUT_S" in str(err.value)
    with pg_engine.connect() as conn:  # the pool is fine afterwards
        assert conn.exec_driver_sql("SELECT 1").scalar() == 1


def test_an_import_transaction_has_the_longer_limit_and_gives_it_back(
        pg_engine: sa.Engine) -> None:
    with writing(pg_engine, bulk=True) as conn:
        assert conn.exec_driver_sql("SHOW statement_timeout").scalar() == "7s"
        conn.exec_driver_sql("SELECT pg_sleep(1)")  # past the page limit, inside the import's
    with writing(pg_engine) as conn:
        assert conn.exec_driver_sql("SHOW statement_timeout").scalar() == "500ms"
    with pg_engine.connect() as conn:  # SET LOCAL ended with the transaction
        assert conn.exec_driver_sql("SHOW statement_timeout").scalar() == "500ms"
        # the URL's own options (the test's search_path) still apply beside the timeout
        assert conn.exec_driver_sql("SHOW search_path").scalar().startswith("t_")


def test_the_settings_refuse_a_typo_naming_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAKUPAN_DB_CONNECT_TIMEOUT_S", "5s")
    with pytest.raises(ValueError, match="CAKUPAN_DB_CONNECT_TIMEOUT_S"):
        settings.db_connect_timeout_s()
    monkeypatch.setenv("CAKUPAN_DB_CONNECT_TIMEOUT_S", "1")
    assert settings.db_connect_timeout_s() == 2  # libpq's floor, said rather than hidden
    for name in ("CAKUPAN_DB_CONNECT_TIMEOUT_S", "CAKUPAN_DB_STATEMENT_TIMEOUT_S",
                 "CAKUPAN_DB_IMPORT_STATEMENT_TIMEOUT_S"):
        monkeypatch.delenv(name, raising=False)
    assert (settings.db_connect_timeout_s(), settings.db_statement_timeout_s(),
            settings.db_import_statement_timeout_s()) == (5, 30.0, 600.0)
