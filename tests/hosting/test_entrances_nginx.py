"""Real nginx (Debian's) with the rendered configuration, in front of an upstream that echoes
the headers it received: what reaches a replica through each entrance.

This is the part a browser cannot show directly: a forged ``X-Cakupan-User`` (any case,
repeated) never arrives through the public entrance; through the staff entrance exactly one
arrives, holding the checked user name, and never the password; a wrong password, or too
many attempts, never reach the replica at all.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from cakupan.hosting import StaffEntrance
from tests.hosting.entrance import (
    STAFF_EMAIL,
    STAFF_PASSWORD,
    Entrances,
    Tools,
    basic,
    request,
    require_tools,
    running_entrances,
    write_htpasswd,
)

FORGED = [("X-Cakupan-User", "admin@example.org"), ("x-cakupan-user", "root@example.org")]
UPGRADE = [("Upgrade", "websocket"), ("Connection", "Upgrade"),
           ("Sec-WebSocket-Version", "13"), ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")]
PATHS = ["/", "/kelola", "/_stcore/health", "/_stcore/host-config", "/_stcore/agent/interact",
         "/media/x.png"]


class Echo(BaseHTTPRequestHandler):
    """Answers every request with the headers it got, as JSON ``[[name, value], ...]``."""

    seen: list[str]

    def _echo(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self.server.seen.append(self.path)  # type: ignore[attr-defined]
        body = json.dumps({"path": self.path, "headers": list(self.headers.items())}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_PUT = do_POST = _echo

    def log_message(self, *args) -> None:  # keep pytest's output clean
        pass


@pytest.fixture(scope="module")
def tools() -> Tools:
    return require_tools()


@pytest.fixture(scope="module")
def echo() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    server.seen = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def nginx(tools: Tools, echo: ThreadingHTTPServer, tmp_path: Path) -> Iterator[Entrances]:
    """A fresh nginx per test, so each starts with an empty rate-limit zone."""
    htpasswd = write_htpasswd(tools, tmp_path / "htpasswd")
    host, port = echo.server_address[:2]
    echo.seen.clear()  # type: ignore[attr-defined]
    with running_entrances(tools, tmp_path / "run", [f"{host}:{port}"], htpasswd) as ent:
        yield ent


def received(reply) -> list[tuple[str, str]]:
    assert reply.status == 200, (reply.status, reply.body[:200])
    return [(k.lower(), v) for k, v in json.loads(reply.body)["headers"]]


def user_headers(reply) -> list[str]:
    return [v for k, v in received(reply) if k == "x-cakupan-user"]


GOOD = basic(STAFF_EMAIL, STAFF_PASSWORD)


@pytest.mark.parametrize("path", PATHS)
def test_the_public_entrance_drops_a_forged_identity_header(nginx: Entrances, path) -> None:
    assert user_headers(request(nginx.public + path, FORGED)) == []


def test_the_public_entrance_drops_it_on_the_websocket_path_too(nginx: Entrances) -> None:
    got = received(request(nginx.public + "/_stcore/stream", [*FORGED, *UPGRADE]))
    assert "x-cakupan-user" not in dict(got)
    assert dict(got)["upgrade"] == "websocket"
    assert dict(got)["connection"].lower() == "upgrade"


@pytest.mark.parametrize("path", [*PATHS, "/_stcore/stream"])
def test_the_staff_entrance_passes_exactly_the_checked_name(nginx: Entrances, path) -> None:
    extra = UPGRADE if path == "/_stcore/stream" else []
    reply = request(nginx.staff + path, [GOOD, *FORGED, *extra])
    assert user_headers(reply) == [STAFF_EMAIL]
    # The password stops at nginx: the app never sees the credentials.
    assert "authorization" not in dict(received(reply))


def test_the_staff_entrance_serves_streamlits_bundle_unchecked_and_anonymous(
        nginx: Entrances) -> None:
    # No password needed for /static/ (public on the other entrance too), and no identity:
    # auth is off there, so $remote_user would be whatever the client typed.
    assert user_headers(request(nginx.staff + "/static/js/x.js", FORGED)) == []
    assert user_headers(request(nginx.staff + "/static/js/x.js",
                                [basic("admin@example.org", "anything")])) == []


def test_a_wrong_password_or_none_gets_401_and_never_reaches_the_app(
        nginx: Entrances, echo) -> None:
    for headers in ([], [basic(STAFF_EMAIL, "salah")], [basic("admin@example.org", "x")],
                    [("X-Cakupan-User", STAFF_EMAIL)]):
        reply = request(nginx.staff + "/kelola", headers)
        assert reply.status == 401, headers
        assert reply.headers["www-authenticate"] == 'Basic realm="Cakupan staf"'
        assert b"Cakupan" not in reply.body  # nginx's own page, nothing of the app
    assert echo.seen == []
    # What fail2ban's nginx-http-auth filter reads, should an operator add it.
    assert f'user "{STAFF_EMAIL}": password mismatch' in nginx.error_log()


def test_rapid_wrong_attempts_get_429_and_then_even_the_right_password_waits(
        nginx: Entrances, echo) -> None:
    burst = StaffEntrance("1", Path("/x")).burst  # the default the README states
    started = time.monotonic()
    statuses = [request(nginx.staff + "/", [basic(STAFF_EMAIL, f"tebakan-{i}")]).status
                for i in range(burst + 10)]
    elapsed = time.monotonic() - started
    first_429 = statuses.index(429)
    # burst + 1 attempts are checked (one more if the machine stalled ~6 s), then refused.
    assert burst + 1 <= first_429 <= burst + 2, statuses
    assert set(statuses[:first_429]) == {401} and set(statuses[first_429:]) == {429}
    # The limit is counted before the password check: a guess that happens to be right
    # is refused too, so guessing is capped at the rate, not just slowed on failures.
    assert request(nginx.staff + "/", [GOOD]).status == 429
    assert echo.seen == []
    assert "limiting requests" in nginx.error_log()
    # Another address is not affected (the limit is per client address): the public door.
    assert request(nginx.public + "/").status == 200
    print(f"\n{len(statuses)} attempts in {elapsed * 1000:.0f} ms; first 429 at #{first_429 + 1}")


def test_uploads_up_to_the_apps_limit_pass_and_bigger_ones_stop_at_nginx(
        nginx: Entrances) -> None:
    ok = request(nginx.staff + "/_stcore/upload_file/s/f", [GOOD], "PUT", b"x" * 2**20)
    assert ok.status == 200
    too_big = request(nginx.staff + "/_stcore/upload_file/s/f",
                      [GOOD, ("Content-Length", str(27 * 2**20))], "PUT")
    assert too_big.status == 413

