"""Real nginx in front of two replicas that refuse uploads the way Streamlit does: an answer
before the body is read, then the connection closed (a reset while nginx still sends).

Found in CI: a bogus 24 MB PUT to ``/_stcore/upload_file/`` made nginx count the reset as
the replica failing and retry the PUT on the other replica, which refused it too; with
``max_fails=1`` both were out of rotation and every visitor got 502 for ``fail_timeout``.
Anyone could do that to the hosted link, repeatedly. Here the same attack is made and the
site must stay up on both replicas.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from cakupan.hosting import nginx as ngx
from tests.hosting.entrance import (
    Entrances,
    Tools,
    request,
    require_tools,
    running_entrances,
    write_htpasswd,
)

#: Within the 26 MB upload limit, far above what a socket buffer takes in one go.
BOGUS_UPLOAD = b"x" * (24 * 2**20)


class Refuser(BaseHTTPRequestHandler):
    """GET: 200 and the replica's name. PUT: 403 at once, body unread, connection closed."""

    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        body = self.server.name.encode()  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_PUT(self) -> None:
        self.server.puts += 1  # type: ignore[attr-defined]
        self.send_response(403)
        self.send_header("Content-Length", "0")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def replicas() -> Iterator[list[ThreadingHTTPServer]]:
    started = []
    for name in ("a", "b"):
        server = ThreadingHTTPServer(("127.0.0.1", 0), Refuser)
        server.name, server.puts = name, 0  # type: ignore[attr-defined]
        threading.Thread(target=server.serve_forever, daemon=True).start()
        started.append(server)
    try:
        yield started
    finally:
        for server in started:
            server.shutdown()
            server.server_close()


@pytest.fixture
def nginx(replicas: list[ThreadingHTTPServer], tmp_path: Path) -> Iterator[Entrances]:
    tools: Tools = require_tools()
    htpasswd = write_htpasswd(tools, tmp_path / "htpasswd")
    upstreams = [f"127.0.0.1:{s.server_address[1]}" for s in replicas]
    with running_entrances(tools, tmp_path / "run", upstreams, htpasswd) as ent:
        yield ent


def replica_for(nginx: Entrances, route: str) -> tuple[int, bytes]:
    reply = request(f"{nginx.public}/_stcore/health",
                    [("Cookie", f"{ngx.STICKY_COOKIE}={route}")])
    return reply.status, reply.body


def test_refused_uploads_leave_every_replica_in_rotation(
        nginx: Entrances, replicas: list[ThreadingHTTPServer]) -> None:
    for _ in range(8):
        reply = request(f"{nginx.public}{ngx.UPLOAD_PREFIX}s/f",
                        [("Cookie", f"{ngx.STICKY_COOKIE}={secrets.token_hex(16)}")],
                        "PUT", BOGUS_UPLOAD)
        assert reply.status in (403, 502), reply.status  # refused, never accepted
    answers = [replica_for(nginx, secrets.token_hex(16)) for _ in range(40)]
    assert {status for status, _ in answers} == {200}, nginx.error_log()[-2000:]
    assert {body for _, body in answers} == {b"a", b"b"}
    assert "no live upstreams" not in nginx.error_log()
    # Each upload did reach a replica (none was skipped as failed), retried at most once.
    assert 8 <= sum(s.puts for s in replicas) <= 16


def test_a_body_anywhere_but_the_uploader_stops_at_nginx(
        nginx: Entrances, replicas: list[ThreadingHTTPServer]) -> None:
    for path in ("/", "/_stcore/health", "/_stcore/stream", "/kelola"):
        assert request(f"{nginx.public}{path}", method="PUT",
                       body=BOGUS_UPLOAD[: 2**20]).status == 413, path
    assert sum(s.puts for s in replicas) == 0
    # A small body (a form a browser might send) still passes; the replica answers it.
    assert request(f"{nginx.public}/", method="PUT", body=b"x" * 1024).status == 403
    assert {replica_for(nginx, secrets.token_hex(16))[0] for _ in range(20)} == {200}
