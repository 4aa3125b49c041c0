"""The production topology as an operator starts it: ``python -m cakupan serve --replicas 2``
on PostgreSQL, nginx in front, driven over HTTP and with a real browser (issue 10).

One topology for the whole module (starting two replicas costs ~15 s); the replica-kill test
comes last among the tests that use it, since it changes which replica is up.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from cakupan import geo, store
from cakupan.benchmarks.browser import SHAPES
from cakupan.core.access import operator
from cakupan.hosting import nginx as ngx
from tests.browser.conftest import (
    auth_secrets,
    main_text_with,
    sign_in_at_provider,
    wait_for_app,
)
from tests.browser.test_signin_browser import EMAIL, identity_cookie, wait_for_sidebar
from tests.hosting.entrance import free_port, require_tools
from tests.hosting.served import ROOT, Served, open_run_dir, pids_alive, serve
from tests.store.dbs import drop_schema, isolated_url
from ui import http_assets

pytestmark = [pytest.mark.browser, pytest.mark.pg]

#: An idle page sees a publish within one freshness interval (5 s) plus a rerun.
FRESH_BUDGET_S = 5.0 + 3.0


@pytest.fixture(scope="module")
def served(geo_ready: None, pg_url: str, oidc_provider: str) -> Iterator[Served]:
    """Two replicas on PostgreSQL behind nginx, with sign-in (``[auth]``) at the mock
    provider: its ``redirect_uri`` is nginx's address, as in a real deployment."""
    require_tools()
    url, schema_name = isolated_url(pg_url)
    run_dir = open_run_dir("topology")
    port = free_port()
    secrets_file = auth_secrets(run_dir, port, oidc_provider)
    try:
        with serve(run_dir, url, replicas=2, port=port, extra=("--secrets", str(secrets_file)),
                   env={"CAKUPAN_COOKIE_SECRET": secrets.token_urlsafe(32)}) as top:
            yield top
    finally:
        store.clear_engines()
        drop_schema(pg_url, schema_name)
        shutil.rmtree(run_dir, ignore_errors=True)


def request(url: str, *, headers: dict[str, str] | None = None, data: bytes | None = None,
            method: str | None = None) -> tuple[int, dict[str, str], bytes]:
    req = urllib.request.Request(url, headers=headers or {}, data=data, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as err:
        return err.code, {k.lower(): v for k, v in err.headers.items()}, err.read()
    except (urllib.error.URLError, ConnectionError):  # nothing (or a dying process) there
        return 0, {}, b""


def routes_to_each_replica(top: Served) -> dict[str, str]:
    """A sticky-cookie value for each replica (``HOST:PORT`` -> value), found by asking."""
    found: dict[str, str] = {}
    # A replica restarted by an earlier test is skipped by nginx for its fail_timeout (10 s)
    # after the failure it saw: allow for that before concluding it never gets visitors.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        route = secrets.token_hex(16)
        found.setdefault(top.upstream_of(route), route)
        if len(found) == len(top.info["replicas"]):
            # A cookie seen while its own replica was skipped went to a stand-in: keep the
            # map only once every cookie goes where it went before.
            if all(top.upstream_of(r) == a for a, r in found.items()):
                return found
            found = {}
        time.sleep(0.1)
    raise AssertionError(f"30 s of new cookies all went to {sorted(found)}")


def test_serve_prints_the_contract_line_and_binds_replicas_to_loopback(served: Served) -> None:
    info = served.info
    assert set(info) == {"url", "replicas", "nginx_pid"}
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", info["url"])
    assert len(info["replicas"]) == 2
    assert all(isinstance(r["port"], int) and isinstance(r["pid"], int)
               for r in info["replicas"])
    assert isinstance(info["nginx_pid"], int)
    listening = subprocess.run(["ss", "-ltnH"], capture_output=True, text=True,
                               check=True).stdout
    for replica in info["replicas"]:
        addresses = {line.split()[3].rsplit(":", 1)[0] for line in listening.splitlines()
                     if line.split()[3].endswith(f":{replica['port']}")}
        assert addresses == {"127.0.0.1"}, (replica, addresses)


def test_a_browser_stays_on_its_replica_and_visitors_spread_over_both(
        served: Served) -> None:
    status, headers, _ = request(served.url + "/")
    assert status == 200
    cookie = headers.get("set-cookie", "")
    assert re.match(rf"{ngx.STICKY_COOKIE}=[0-9a-f]{{32}}; Path=/; HttpOnly; SameSite=Lax$",
                    cookie), cookie
    # A browser that has the cookie gets no new one, and always the same replica.
    route = cookie.split(";")[0].split("=", 1)[1]
    _, again, _ = request(served.url + "/", headers={"Cookie": f"{ngx.STICKY_COOKIE}={route}"})
    assert ngx.STICKY_COOKIE not in again.get("set-cookie", "")
    assert len({served.upstream_of(route) for _ in range(6)}) == 1
    replicas = {f"127.0.0.1:{r['port']}" for r in served.info["replicas"]}
    assert set(routes_to_each_replica(served)) == replicas


def test_the_front_end_is_compressed_and_cached_for_a_year(served: Served) -> None:
    _, page_headers, html = request(served.url + "/")
    assert "immutable" not in page_headers.get("cache-control", "")  # "/" must revalidate
    script = re.search(rb'src="\.?(/static/js/index\.[^"]+\.js)"', html)
    assert script, html[-600:]
    asset = served.url + script[1].decode()
    status, plain_h, plain = request(asset)
    assert status == 200 and "content-encoding" not in plain_h
    _, gz_h, gz_body = request(asset, headers={"Accept-Encoding": "gzip"})
    assert gz_h.get("content-encoding") == "gzip"
    assert gzip.decompress(gz_body) == plain
    assert len(gz_body) < len(plain) / 2
    if ngx.BROTLI_MODULE.is_file():  # .ci/run installs Debian's brotli filter
        _, br_h, br_body = request(asset, headers={"Accept-Encoding": "br, gzip"})
        assert br_h.get("content-encoding") == "br"
        assert len(br_body) < len(gz_body)
    for h in (plain_h, gz_h):
        assert h["cache-control"] == ngx.IMMUTABLE
    # Kept by nginx after the first request: the replicas are not asked again.
    _, cached, _ = request(asset)
    assert cached.get("x-cache-status") == "HIT"
    # The maps' boundary file gets the same: content-named, compressed by nginx, kept.
    geo_file = served.url + http_assets.GEO_PREFIX + geo.asset_name("81")
    status, geo_h, geo_body = request(geo_file, headers={"Accept-Encoding": "gzip"})
    assert status == 200 and geo_h.get("content-encoding") == "gzip", geo_h
    assert geo_h["cache-control"] == ngx.IMMUTABLE
    features = json.loads(gzip.decompress(geo_body))["features"]
    assert sorted(f["properties"]["code"] for f in features)[0] == "81.01"
    _, geo_again, _ = request(geo_file, headers={"Accept-Encoding": "gzip"})
    assert geo_again.get("x-cache-status") == "HIT"


def test_a_request_body_over_the_upload_limit_is_refused_by_nginx(served: Served) -> None:
    """nginx refuses a body over the upload limit before any replica reads it; one within
    the limit is passed on, and the bogus session id is the replica's to refuse. Refused
    uploads leave both replicas serving (in CI, three of them once took both out of
    rotation: every visitor got 502 for nginx's fail_timeout)."""
    limit_mb = int(float(os.environ.get("CAKUPAN_UPLOAD_MAX_MB", "25")))
    probes = [(limit_mb + 2, "over"), *((limit_mb - 1, f"under{i}") for i in range(3))]
    for size_mb, probe in probes:
        status, _, _ = request(f"{served.url}/_stcore/upload_file/{probe}/f", method="PUT",
                               data=b"x" * (size_mb * 2**20))
        line = wait_for_log_line(served, f"/_stcore/upload_file/{probe}/f")
        if probe == "over":
            assert status == 413 and "upstream=-" in line, line
        else:
            # No XSRF cookie: refused (403), or 502 when the replica reset the connection
            # while nginx still sent the body and the other replica, tried next, did too.
            assert status in (403, 502) and "upstream=127.0.0.1:" in line, line
    # A body anywhere else stops at nginx.
    status, _, _ = request(f"{served.url}/?probe=body", method="PUT", data=b"x" * 2**20)
    assert status == 413 and "upstream=-" in wait_for_log_line(served, "/?probe=body")
    replicas = {f"127.0.0.1:{r['port']}" for r in served.info["replicas"]}
    assert set(routes_to_each_replica(served)) == replicas


def wait_for_log_line(served: Served, needle: str, timeout_s: float = 5) -> str:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        lines = [line for line in served.access_log() if needle in line]
        if lines:
            return lines[-1]
        time.sleep(0.05)
    raise AssertionError(f"no access-log line with {needle}")


def test_a_publish_is_seen_through_both_replicas(served: Served, browser) -> None:
    """Two visitors on different replicas: a write to the store (as an import through either
    replica would do) reaches both open pages within the freshness budget."""
    contexts, pages = [], []
    try:
        for _replica, route in sorted(routes_to_each_replica(served).items()):
            context = browser.new_context(viewport={"width": 1400, "height": 900})
            host = served.url.split("//", 1)[1].split(":")[0]
            context.add_cookies([{"name": ngx.STICKY_COOKIE, "value": route, "domain": host,
                                  "path": "/"}])
            page = context.new_page()
            page.goto(f"{served.url}/?region=81&segment=bpu")
            contexts.append(context)
            pages.append(page)
        for page in pages:
            wait_for_app(page, timeout_s=90)
            assert "Januari 2031" not in page.locator("[data-testid='stMain']").inner_text()
        engine = store.get_engine(served.database_url)
        frame = pd.DataFrame([{"period": "2031-01", "region_code": "81", "segment": "bpu",
                               "registered": 12345, "eligible": 20000}])
        start = time.monotonic()
        store.write_batch(engine, frame, file_name="replika.csv", sha256="replika",
                          actor=operator())
        for page in pages:
            main_text_with(page, "Januari 2031", timeout_s=FRESH_BUDGET_S + 10)
        seen = time.monotonic() - start
    finally:
        for context in contexts:
            context.close()
    print(f"publish -> seen on both replicas: {seen:.1f} s")
    assert seen <= FRESH_BUDGET_S + 10


def test_a_killed_replica_is_routed_around_its_session_comes_back_and_it_restarts(
        served: Served, browser) -> None:
    """kill -9 the replica that holds an open page: nginx sends everything to the other,
    the page reconnects and shows its view again (the URL carries it), serve restarts the
    dead one, and the store lost nothing."""
    routes = routes_to_each_replica(served)
    victim_addr, route = sorted(routes.items())[0]
    victim_port = int(victim_addr.rsplit(":", 1)[1])
    victim_pid = listener_pid(victim_port)  # the process serving the port now
    engine = store.get_engine(served.database_url)
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    host = served.url.split("//", 1)[1].split(":")[0]
    context.add_cookies([{"name": ngx.STICKY_COOKIE, "value": route, "domain": host,
                          "path": "/"}])
    try:
        page = context.new_page()
        page.goto(f"{served.url}/?region=81&segment=bpu")  # the overview: figures and a map
        main_text_with(page, "Maluku", timeout_s=90)
        page.wait_for_function(f"({SHAPES})() > 0", timeout=60_000, polling=250)
        batches_before = store.list_batches(engine)["id"].tolist()
        # serve is paused while the routing is checked: in a loaded full run it had restarted
        # the victim on its port before the check, which then saw the new process answer.
        served.proc.send_signal(signal.SIGSTOP)
        try:
            os.kill(victim_pid, signal.SIGKILL)
            # SIGKILL is delivered, not awaited: until the process is gone its socket may
            # still answer. From then on, requests with the victim's cookie are answered by
            # the other replica at once.
            gone_by = time.monotonic() + 10
            while pids_alive([victim_pid]) and time.monotonic() < gone_by:
                time.sleep(0.05)
            assert pids_alive([victim_pid]) == []
            for _ in range(5):
                assert served.upstream_of(route) != victim_addr, served.error_log()
        finally:
            served.proc.send_signal(signal.SIGCONT)
        # The open page reconnects (to the other replica) and shows its view again; that it
        # is live there, not a picture left over, shows in new data reaching it.
        frame = pd.DataFrame([{"period": "2031-02", "region_code": "81", "segment": "bpu",
                               "registered": 13000, "eligible": 20000}])
        store.write_batch(engine, frame, file_name="setelah.csv", sha256="setelah",
                          actor=operator())
        main_text_with(page, "Februari 2031", timeout_s=90)
        page.wait_for_function(f"({SHAPES})() > 0", timeout=60_000, polling=250)
        assert "region=81" in page.url
    finally:
        context.close()
    # serve restarted it: the port answers again, from a new process.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        status, _, body = request(f"http://{victim_addr}/_stcore/health")
        if status == 200 and body == b"ok":
            break
        time.sleep(0.5)
    else:
        raise AssertionError("the killed replica was not restarted within 120 s")
    assert pids_alive([victim_pid]) == []
    # Nothing was lost: every batch from before, plus the one written during the outage.
    after = store.list_batches(engine)["id"].tolist()
    assert set(batches_before) < set(after) and len(after) == len(batches_before) + 1


def pin(context, served: Served, route: str) -> None:
    """Make the browser context's requests go to the replica that ``route`` hashes to."""
    host = served.url.split("//", 1)[1].split(":")[0]
    context.add_cookies([{"name": ngx.STICKY_COOKIE, "value": route, "domain": host,
                          "path": "/"}])


def listener_pid(port: int) -> int:
    """The process listening on ``port`` (``ss -ltnp``)."""
    listening = subprocess.run(["ss", "-ltnpH", f"sport = :{port}"], capture_output=True,
                               text=True, check=True).stdout
    return int(re.search(r"pid=(\d+)", listening)[1])  # type: ignore[index]


def restart_and_wait(served: Served, address: str, route: str) -> None:
    """kill -9 the replica at ``address``; wait until serve has restarted it and nginx
    sends ``route`` (a visitor of that replica) back to it, after the upstream's
    fail_timeout."""
    port = int(address.rsplit(":", 1)[1])
    os.kill(listener_pid(port), signal.SIGKILL)
    deadline = time.monotonic() + 150
    while time.monotonic() < deadline:
        status, _, body = request(f"http://{address}/_stcore/health")
        if (status, body) == (200, b"ok") and served.upstream_of(route) == address:
            return
        time.sleep(1)
    raise AssertionError(f"{address} did not come back for its visitors")


def wait_until_routed(served: Served, route: str, address: str, timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while served.upstream_of(route) != address:
        assert time.monotonic() < deadline, f"{route} never went to {address}"
        time.sleep(0.5)


def test_sign_in_lands_on_either_replica_and_survives_a_replica_restart(
        served: Served, oidc_provider: str, browser) -> None:
    """The sign-in starts on replica A and its callback is served by replica B (the sticky
    cookie switched in between): B accepts A's OAuth state and signs the person in; A
    accepts B's identity cookie; and after A is killed and restarted, the person is still
    signed in on it (one cookie secret, kept across restarts)."""
    (a_addr, a_route), (b_addr, b_route) = sorted(routes_to_each_replica(served).items())
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="id-ID")
    try:
        pin(context, served, a_route)
        page = context.new_page()
        page.goto(f"{served.url}/")
        wait_for_app(page, timeout_s=90)
        wait_for_sidebar(page, lambda s: "Masuk" in s, "the sign-in button", timeout_s=60)
        page.get_by_role("button", name="Masuk").click()
        page.wait_for_url(f"{oidc_provider}/oauth2/authorize*", timeout=60_000)
        pin(context, served, b_route)  # the callback goes to the other replica
        sign_in_at_provider(page, EMAIL)
        page.wait_for_url(f"{served.url}/**", timeout=60_000)
        wait_for_sidebar(page, lambda s: EMAIL in s, f"{EMAIL} (on B)", timeout_s=60)
        callback = wait_for_log_line(served, "/oauth2callback")
        assert f"upstream={b_addr}" in callback, callback
        assert identity_cookie(page)
        pin(context, served, a_route)
        page.reload()
        wait_for_sidebar(page, lambda s: EMAIL in s, f"{EMAIL} (on A)", timeout_s=60)
        restart_and_wait(served, a_addr, a_route)
        # A reload counts when A was the route both before and after it: a freshly restarted
        # replica was once left out again by nginx in between (a request it failed while
        # starting), and the reload then proved nothing about A.
        for _attempt in range(3):
            wait_until_routed(served, a_route, a_addr)
            page.reload()
            wait_for_sidebar(page, lambda s: EMAIL in s, f"{EMAIL} (on A restarted)",
                             timeout_s=90)
            if served.upstream_of(a_route) == a_addr:
                break
        else:
            raise AssertionError(f"no reload stayed on {a_addr}:\n{served.error_log()}")
    finally:
        context.close()


def test_sqlite_refuses_two_replicas_a_trial_postgres_serves_them_and_sigterm_stops_all(
        geo_ready: None, tmp_path: Path) -> None:
    """Two replicas on SQLite are refused with the fix; ``--start-postgres`` is that fix for
    a trial (a local cluster in the run folder); SIGTERM then stops every part, the cluster
    included, leaving no process."""
    require_tools()
    run_dir = open_run_dir("trial")
    sqlite_url = f"sqlite:///{tmp_path / 'one.sqlite'}"
    refused = subprocess.run(
        [sys.executable, "-m", "cakupan", "serve", "--replicas", "2", "--json",
         "--run-dir", str(tmp_path / "r2")],
        cwd=ROOT, env={**os.environ, "CAKUPAN_DATABASE_URL": sqlite_url},
        capture_output=True, text=True, timeout=60)
    assert refused.returncode == 1
    assert "SQLite is for one process" in refused.stderr and "--start-postgres" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert json.loads(refused.stdout)["kind"] == "error"
    with serve(run_dir, sqlite_url, replicas=2, extra=("--start-postgres",)) as top:
        pids = [r["pid"] for r in top.info["replicas"]] + [top.info["nginx_pid"]]
        assert pids_alive(pids) == pids
        cluster = subprocess.run(["pgrep", "-f", f"postgres -D {run_dir}"],
                                 capture_output=True, text=True).stdout.split()
        assert len(cluster) == 1, cluster  # the trial's own postmaster
        assert "postgresql" in (run_dir / "logs" / "db-init.log").read_text()
        status, _, body = request(top.url + "/_stcore/health")
        assert (status, body) == (200, b"ok")
        top.proc.send_signal(signal.SIGTERM)
        assert top.proc.wait(60) == 0
    # Every part is gone: replicas, nginx master and workers, PostgreSQL (same run folder).
    assert pids_alive(pids + [int(p) for p in cluster]) == []
    left = subprocess.run(["pgrep", "-f", str(run_dir)], capture_output=True,
                          text=True).stdout.split()
    shutil.rmtree(run_dir, ignore_errors=True)
    assert left == []


def test_sigterm_while_starting_stops_what_was_started(geo_ready: None, tmp_path: Path) -> None:
    """An operator who gives up during start-up (a service manager's stop): serve exits at
    once instead of after the health checks, and no replica it had started is left."""
    require_tools()
    run_dir, replica_port = open_run_dir("early"), free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "cakupan", "serve", "--replicas", "1", "--port",
         str(free_port()), "--replica-port", str(replica_port), "--run-dir", str(run_dir)],
        cwd=ROOT, env={**os.environ,
                       "CAKUPAN_DATABASE_URL": f"sqlite:///{tmp_path / 'early.sqlite'}"},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    replica_log = run_dir / "logs" / f"replica-{replica_port}.log"
    try:
        deadline = time.monotonic() + 120
        while not replica_log.exists():  # the replica has been started, not yet healthy
            assert time.monotonic() < deadline and proc.poll() is None, "no replica started"
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    survivors = subprocess.run(["pgrep", "-f", f"--server.port {replica_port} "],
                               capture_output=True, text=True).stdout.split()
    shutil.rmtree(run_dir, ignore_errors=True)
    assert proc.returncode == 1 and b"Traceback" not in err, err
    assert out == b""  # it never claimed to be up
    assert survivors == []
