"""What ``serve`` refuses before it starts anything, and what each replica is given."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from cakupan.commands.cli import _parser
from cakupan.commands.serve import plan_from
from cakupan.core.errors import CakupanError
from cakupan.hosting.replicas import ReplicaSpec, replica_command, replica_env
from cakupan.hosting.topology import ServePlan, Topology, load_cookie_secret

pytestmark = pytest.mark.unit

PG = "postgresql+psycopg://u:p@db.internal:5432/cakupan"


def plan(argv: str, url: str = PG, secret: str = "") -> ServePlan:
    args = _parser().parse_args(["serve", *argv.split()])
    made = plan_from(args, url)
    made.cookie_secret = secret
    return made


@pytest.mark.parametrize(("argv", "url", "secret", "message"), [
    ("--replicas 2", "sqlite:///x.sqlite", "", "SQLite is for one process"),
    ("--replicas 0", PG, "", "at least 1"),
    ("--only nginx", PG, "", "--upstream HOST:PORT"),
    ("--upstream 10.0.0.2:8501", PG, "", "is for --only nginx"),
    ("--only replicas --replicas 1", PG, "", "CAKUPAN_COOKIE_SECRET"),
])
def test_a_plan_that_cannot_work_is_refused_with_its_fix(argv: str, url: str, secret: str,
                                                         message: str) -> None:
    with pytest.raises(CakupanError, match=message):
        Topology(plan(argv, url, secret))


def test_plans_that_can_work_pass() -> None:
    for argv, url, secret in (("--replicas 1", "sqlite:///x.sqlite", ""),
                              ("--replicas 3", PG, ""),
                              ("--only replicas --replicas 1 --replica-host 0.0.0.0", PG, "s"),
                              ("--only nginx --upstream a:8501 --upstream b:8501", PG, "")):
        made = plan(argv, url, secret)
        made.check()
    assert plan("--only nginx --upstream a:8501 --upstream b:8501").upstreams == [
        "a:8501", "b:8501"]


def test_a_replica_binds_where_told_and_gets_the_secret_only_by_environment() -> None:
    spec = ReplicaSpec(host="127.0.0.1", cookie_secret="rahasia-bersama",
                       allowed_hosts=("cakupan.example.go.id",))
    cmd = replica_command(spec, 8601)
    assert cmd[cmd.index("--server.address") + 1] == "127.0.0.1"
    assert cmd[cmd.index("--server.port") + 1] == "8601"
    assert cmd[cmd.index("--server.allowedHosts") + 1] == "cakupan.example.go.id"
    assert "rahasia-bersama" not in " ".join(cmd)  # a command line is visible in ps
    assert "--server.trustedUserHeaders" not in cmd  # only with the staff entrance
    env = replica_env(spec, base={"PATH": "/usr/bin"})
    assert env == {"PATH": "/usr/bin", "STREAMLIT_SERVER_COOKIE_SECRET": "rahasia-bersama"}


def test_the_generated_cookie_secret_is_kept_private_and_reused(tmp_path: Path) -> None:
    first = load_cookie_secret(tmp_path)
    assert len(first) >= 40
    assert stat.S_IMODE((tmp_path / "cookie_secret").stat().st_mode) == 0o600
    assert load_cookie_secret(tmp_path) == first  # a restart signs no one out
    assert load_cookie_secret(tmp_path, "given") == "given"


def test_nginx_body_limit_follows_the_upload_limit(tmp_path: Path) -> None:
    made = plan("--only nginx --upstream 127.0.0.1:8501")
    made.upload_max_mb, made.run_dir = 40.0, tmp_path
    assert "client_max_body_size 41m;" in Topology(made).nginx_conf()


def test_a_replica_watches_no_files() -> None:
    """Served code never reloads; Streamlit's watcher cost a third of a replica's CPU under
    load (``cakupan.hosting.replicas.replica_command``, ``bench --load``)."""
    cmd = replica_command(ReplicaSpec(), 8601)
    assert cmd[cmd.index("--server.fileWatcherType") + 1] == "none"


@pytest.fixture
def tls_files(tmp_path: Path) -> tuple[Path, Path]:
    from cakupan.hosting.selfsigned import self_signed

    tls = self_signed(tmp_path / "tls")
    return tls.cert, tls.key


def test_tls_needs_both_files_and_readable_ones(tmp_path: Path,
                                                tls_files: tuple[Path, Path]) -> None:
    cert, key = tls_files
    nginx_only = "--only nginx --upstream 127.0.0.1:8501"
    for argv, message in (
            (f"--replicas 1 --tls-cert {cert}", "--tls-key FILE is needed too"),
            (f"{nginx_only} --tls-key {key}", "--tls-cert FILE is needed too"),
            (f"--replicas 1 --tls-cert {tmp_path}/none.pem --tls-key {key}",
             "--tls-cert .*none.pem: no such file"),
            (f"--replicas 1 --tls-cert {cert} --tls-key {tmp_path}", "--tls-key .*no such file"),
            (f"--only replicas --replicas 1 --tls-cert {cert} --tls-key {key}",
             "are for nginx")):
        with pytest.raises(CakupanError, match=message):
            Topology(plan(argv, secret="s"))


def test_with_tls_the_contract_url_is_https_and_nginx_listens_ssl(
        tmp_path: Path, tls_files: tuple[Path, Path]) -> None:
    cert, key = tls_files
    made = plan(f"--only nginx --upstream 127.0.0.1:8501 --port 8443 --tls-cert {cert} "
                f"--tls-key {key}")
    made.run_dir = tmp_path
    top = Topology(made)
    assert top.url == "https://127.0.0.1:8443"
    assert top.describe()["url"] == "https://127.0.0.1:8443"
    conf = top.nginx_conf()
    assert "listen 127.0.0.1:8443 ssl http2;" in conf
    assert f"ssl_certificate {cert};" in conf and f"ssl_certificate_key {key};" in conf
    plain = plan("--only nginx --upstream 127.0.0.1:8501 --port 8443")
    plain.run_dir = tmp_path
    assert Topology(plain).url == "http://127.0.0.1:8443"
    assert "ssl" not in Topology(plain).nginx_conf()


def test_a_port_left_in_time_wait_by_a_server_is_free_and_a_listened_one_is_not() -> None:
    """serve checks its ports as its servers bind them (SO_REUSEADDR): the port of a server
    that just stopped, its last connection in TIME_WAIT, was refused as "in use" in a loaded
    CI run although uvicorn and nginx could listen on it."""
    import socket
    import time

    from cakupan.hosting.topology import _port_free

    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn and nginx do
    server.bind(("127.0.0.1", 0))
    server.listen()
    port = server.getsockname()[1]
    assert not _port_free("127.0.0.1", port)  # listened on
    client = socket.create_connection(("127.0.0.1", port))
    accepted, _ = server.accept()
    accepted.close()  # the server closes first: its side waits in TIME_WAIT
    time.sleep(0.05)
    client.close()
    server.close()
    with socket.socket() as plain, pytest.raises(OSError):  # the check before: refused
        plain.bind(("127.0.0.1", port))
    assert _port_free("127.0.0.1", port)
