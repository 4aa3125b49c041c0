"""Shared by the nginx tests here and the browser test: find nginx and htpasswd, write a
bcrypt password file, start both entrances in front of given replicas.

nginx and htpasswd (Debian ``nginx``, ``apache2-utils``) are part of the same served stack as
Chromium, so a missing one skips locally and fails in CI under ``CAKUPAN_REQUIRE_BROWSER=1``
(``.ci/run`` installs both).
"""

from __future__ import annotations

import base64
import contextlib
import getpass
import http.client
import os
import shutil
import socket
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from cakupan import hosting
from cakupan.hosting.topology import _port_free
from tests.conftest import require

STAFF_EMAIL = "kacab.ambon@example.org"
# A test password; real ones are typed at htpasswd's prompt, never put on a command line.
STAFF_PASSWORD = "uji-Staf-entrance-7c1"
FLAG = "CAKUPAN_REQUIRE_BROWSER"


@dataclass(frozen=True)
class Tools:
    nginx: str
    htpasswd: str


def require_tools() -> Tools:
    """Debian's nginx and htpasswd, or a skip (a failure in CI)."""
    nginx = hosting.find_nginx()
    htpasswd = shutil.which("htpasswd")
    require(FLAG, bool(nginx and htpasswd),
            f"nginx ({nginx or 'missing'}) and htpasswd ({htpasswd or 'missing'}) are needed: "
            "apt-get install nginx apache2-utils")
    return Tools(str(nginx), str(htpasswd))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def free_ports(n: int) -> int:
    """The first of ``n`` consecutive loopback ports a server could listen on now (as
    ``serve --replica-port FIRST`` uses FIRST, FIRST+1, ...): the kernel's free port alone
    says nothing of the next one, which in a long test run is often a client's."""
    for _ in range(100):
        first = free_port()
        if all(_port_free("127.0.0.1", first + i) for i in range(1, n)):  # serve's check
            return first
    raise AssertionError(f"no {n} consecutive free ports found")


def write_htpasswd(tools: Tools, path: Path, user: str = STAFF_EMAIL,
                   password: str = STAFF_PASSWORD) -> Path:
    """``htpasswd -B -b -c``: one bcrypt entry; the user name is the e-mail address."""
    subprocess.run([tools.htpasswd, "-B", "-b", "-c", str(path), user, password],
                   check=True, capture_output=True, timeout=30)
    line = path.read_text(encoding="ascii").strip()
    assert line.startswith(f"{user}:$2y$"), line  # bcrypt, not MD5 or crypt
    return path


def worker_user() -> str | None:
    """As root, nginx's workers would become ``nobody`` and could not read pytest's private
    temporary folders; let them stay the user who owns those folders."""
    return getpass.getuser() if os.geteuid() == 0 else None


@dataclass(frozen=True)
class Entrances:
    public: str
    staff: str
    run_dir: Path

    def error_log(self) -> str:
        return (self.run_dir / "logs" / "error.log").read_text(encoding="utf-8",
                                                                errors="replace")


@contextlib.contextmanager
def running_entrances(tools: Tools, run_dir: Path, replicas: Sequence[str], htpasswd: Path,
                      **staff_options) -> Iterator[Entrances]:
    """nginx with the public and the staff entrance on free loopback ports, in front of
    ``replicas``; stopped (workers included) when the block ends."""
    public, staff = f"127.0.0.1:{free_port()}", f"127.0.0.1:{free_port()}"
    conf = hosting.render_nginx_conf(
        run_dir=run_dir, listen=public, replicas=replicas, worker_user=worker_user(),
        staff=hosting.StaffEntrance(staff, htpasswd, **staff_options))
    hosting.prepare_run_dir(run_dir, conf)
    with hosting.running_nginx(run_dir, [public, staff], nginx=tools.nginx):
        yield Entrances(f"http://{public}", f"http://{staff}", run_dir)


def basic(user: str, password: str) -> tuple[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    return ("Authorization", f"Basic {token}")


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes


def request(url: str, headers: Sequence[tuple[str, str]] = (), method: str = "GET",
            body: bytes | None = None) -> Reply:
    """One plain HTTP request; ``headers`` may repeat a name (a forger's trick)."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=15)
    try:
        conn.putrequest(method, parts.path or "/", skip_accept_encoding=True)
        for name, value in headers:
            conn.putheader(name, value)
        if body is not None:
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        resp = conn.getresponse()
        return Reply(resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read())
    finally:
        conn.close()
