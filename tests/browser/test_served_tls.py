"""``serve --tls-cert/--tls-key`` end to end: nginx speaks HTTPS and HTTP/2 (with brotli) in
front of one replica on SQLite, and Chromium draws a province map through it.

A topology of its own (the module-scoped one in ``test_served_topology.py`` is plain HTTP and
its tests speak HTTP/1.1 through urllib); one replica on SQLite keeps it to a few seconds of
start-up. The certificate is a throwaway self-signed one (``tests/hosting/tls.py``), so curl
runs with ``-k`` and the browser context ignores certificate errors: what is tested is the
protocol and the app through it, not the certificate chain.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from cakupan.benchmarks.browser import SHAPES
from cakupan.hosting import nginx as ngx
from cakupan.hosting.selfsigned import self_signed
from tests.conftest import require
from tests.hosting.entrance import FLAG, require_tools
from tests.hosting.served import open_run_dir, serve

pytestmark = pytest.mark.browser

MAP = "/peta?region=81&segment=all&metric=status"
DRAW_TIMEOUT_S = 120


def curl_http2(url: str, *headers: str) -> tuple[str, dict[str, str], bytes]:
    """``curl --http2 -k`` GET: the status line, the headers (lower-case names), the body
    (as received: compressed if the server compressed it)."""
    cmd = ["curl", "--http2", "-k", "-s", "-D", "-", "--max-time", "30", url]
    for header in headers:
        cmd += ["-H", header]
    out = subprocess.run(cmd, capture_output=True, check=True, timeout=60).stdout
    head, _, body = out.partition(b"\r\n\r\n")
    status, *lines = head.decode("latin-1").split("\r\n")
    fields = dict(line.split(": ", 1) for line in lines if ": " in line)
    return status.strip(), {k.lower(): v for k, v in fields.items()}, body


def test_the_topology_over_tls_speaks_http2_with_brotli_and_draws_a_map(
        geo_ready: None, browser) -> None:
    require_tools()
    require(FLAG, bool(shutil.which("curl")), "curl is needed (apt-get install curl)")
    run_dir = open_run_dir("tls")
    tls = self_signed(run_dir / "tls")
    try:
        with serve(run_dir, f"sqlite:///{run_dir / 'cakupan.sqlite'}", replicas=1,
                   extra=("--tls-cert", str(tls.cert), "--tls-key", str(tls.key))) as top:
            assert re.fullmatch(r"https://127\.0\.0\.1:\d+", top.url), top.info
            assert set(top.info) == {"url", "replicas", "nginx_pid"}

            status, headers, html = curl_http2(top.url + "/")
            assert status == "HTTP/2 200", status
            cookie = headers.get("set-cookie", "")
            assert cookie.startswith(f"{ngx.STICKY_COOKIE}=") and cookie.endswith(
                "; Secure"), cookie
            assert "strict-transport-security" not in headers  # not by default
            script = re.search(rb'src="\.?(/static/js/index\.[^"]+\.js)"', html)
            assert script, html[-600:]
            status, headers, _ = curl_http2(top.url + script[1].decode(),
                                            "Accept-Encoding: br")
            assert status == "HTTP/2 200", status
            assert headers["cache-control"] == ngx.IMMUTABLE
            if ngx.BROTLI_MODULE.is_file():  # .ci/run installs Debian's brotli filter
                assert headers.get("content-encoding") == "br", headers

            context = browser.new_context(ignore_https_errors=True,
                                          viewport={"width": 1600, "height": 1000})
            try:
                page = context.new_page()
                page.goto(top.url + MAP, timeout=DRAW_TIMEOUT_S * 1000)
                protocol = page.evaluate(
                    "performance.getEntriesByType('navigation')[0].nextHopProtocol")
                assert protocol == "h2", protocol
                page.wait_for_function(f"({SHAPES})() > 0", polling=200,
                                       timeout=DRAW_TIMEOUT_S * 1000)
            finally:
                context.close()
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)

