"""Nothing assumes one host (issue 10, item 6): PostgreSQL, two replicas and nginx each on a
test host of its own, driven by Chromium through nginx.

The hosts are network namespaces on one bridge (``tests/hosting/netns.py``): each has its
own loopback and one address on ``10.77.N.0/24``, so a part that quietly relied on
``127.0.0.1`` or on sharing a machine with another part would fail here. What runs on each
host is what an operator would run on each machine:

- ``pg``: a throwaway PostgreSQL cluster listening on its lab address only, letting in the
  lab subnet only;
- ``replica1``, ``replica2``: ``python -m cakupan serve --only replicas --replicas 1
  --replica-host <own address> --replica-port 8501`` with ``CAKUPAN_DATABASE_URL`` naming
  ``pg``'s address and one ``CAKUPAN_COOKIE_SECRET``;
- ``nginx``: ``python -m cakupan serve --only nginx --host <own address> --port 8080
  --upstream <replica1>:8501 --upstream <replica2>:8501`` (no store at all);
- the test and its browser stay in the root namespace, which reaches the lab through one
  link of its own, as a visitor and an operator's shell would.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from cakupan import hosting, store
from cakupan.core.access import operator
from tests.browser.conftest import main_text_with, screenshot_dir
from tests.conftest import ROOT, require
from tests.hosting import netns
from tests.hosting.entrance import request

pytestmark = pytest.mark.browser

FLAG = "CAKUPAN_REQUIRE_BROWSER"  # CI: root, iproute2, nginx, Chromium all present
HOSTS = ("pg", "replica1", "replica2", "nginx")
REPLICA_PORT = 8501
NGINX_PORT = 8080
START_TIMEOUT_S = 150
VIEW = "/?region=81&segment=bpu"
#: A month the default data does not reach: a page showing it read the root's write.
NEW_MONTH = ("2031-01", "Januari 2031")
#: How often an open page checks the store's data version (default 5 s): 1 s here, so the
#: publish step waits less; the wait below is room for a loaded machine, not a budget.
FRESHNESS_S = "1"
SEEN_WITHIN_S = 30


def _route_to_each(nginx_url: str, access_log: Path, upstreams: set[str]) -> dict[str, str]:
    """A sticky-cookie value that nginx sends to each upstream, found by asking: a health
    request per candidate value, marked in the User-Agent, then its ``upstream=`` in the
    access log (nginx writes the line after it answered)."""
    found: dict[str, str] = {}
    for n in range(40):
        value = f"probe-{n}"
        reply = request(f"{nginx_url}/_stcore/health",
                        [("Cookie", f"{hosting.nginx.STICKY_COOKIE}={value}"),
                         ("User-Agent", value)])
        assert reply.status == 200 and reply.body == b"ok", reply
        deadline = time.monotonic() + 5
        upstream = None
        while upstream is None and time.monotonic() < deadline:
            for line in access_log.read_text(encoding="utf-8").splitlines():
                if f'"{value}" upstream=' in line:
                    upstream = re.search(r"upstream=(\S+)", line)[1]  # type: ignore[index]
            time.sleep(0.05)
        assert upstream in upstreams, (value, upstream)
        found.setdefault(upstream, value)
        if set(found) == upstreams:
            return found
    raise AssertionError(f"40 cookie values all reached {set(found)}, never {upstreams}")


def _answering(access_log: Path, path: str) -> set[str]:
    """The upstreams of the access-log lines for ``GET path``."""
    return {re.search(r"upstream=(\S+)", line)[1]  # type: ignore[index]
            for line in access_log.read_text(encoding="utf-8").splitlines()
            if f'"GET {path} HTTP/1.1"' in line}


def _keep_logs(base: Path, keep: Path) -> None:
    """The hosts' logs into pytest's folder (kept for a failed run), then the lab folder
    removed (the cluster's data included)."""
    with contextlib.suppress(OSError):
        shutil.copytree(base, keep, ignore=shutil.ignore_patterns(
            "data", "socket", "tmp", "pwfile", "cookie_secret", "*.sock"), dirs_exist_ok=True)
    shutil.rmtree(base, ignore_errors=True)


def test_postgres_replicas_and_nginx_on_separate_hosts(geo_ready, browser,
                                                        tmp_path: Path) -> None:
    netns.require_netns(FLAG)
    require("CAKUPAN_REQUIRE_PG", netns.postgres_bin() is not None,
            "PostgreSQL server programs not found: apt-get install postgresql")
    require(FLAG, hosting.find_nginx() is not None, "nginx not found: apt-get install nginx")
    began = time.monotonic()
    # Not pytest's folder: that one is private to root, and the cluster runs as postgres
    # and nginx's workers as www-data.
    base = Path(tempfile.mkdtemp(prefix="cakupan-multihost-"))
    base.chmod(0o755)
    started: list[netns.Started] = []
    pids: list[int] = []
    timings: dict[str, float] = {}
    with contextlib.ExitStack() as stack:
        stack.callback(_keep_logs, base, tmp_path / "hosts")
        lab = stack.enter_context(netns.lab(HOSTS))
        pg, r1, r2, front = (lab[name] for name in HOSTS)
        cluster = stack.enter_context(netns.postgres_on(pg, lab.subnet, base / "pg"))
        pids += [pid for pid in [cluster.postmaster_pid()] if pid]
        assert pg.address in cluster.url and "127.0.0.1" not in cluster.url

        # The operator's shell (root namespace) creates and seeds the store across the lab.
        t0 = time.monotonic()
        engine = store.get_engine(cluster.url)
        stack.callback(store.clear_engines)
        timings["seed"] = time.monotonic() - t0

        # The test hosts are separate: inside a replica's host, the machine's own
        # PostgreSQL on 127.0.0.1:5432 does not exist.
        probe = subprocess.run(r1.command([
            sys.executable, "-c",
            "import socket; socket.create_connection(('127.0.0.1', 5432), 2)"]),
            capture_output=True, text=True, timeout=30, check=False)
        assert probe.returncode != 0 and "ConnectionRefusedError" in probe.stderr, probe

        env = {**os.environ, "CAKUPAN_COOKIE_SECRET": "multihost-" + "s" * 32}
        t0 = time.monotonic()
        for host in (r1, r2):  # both at once: they warm up in parallel
            replica = netns.start_serve(
                host, sys.executable,
                ["--only", "replicas", "--replicas", "1", "--replica-host", host.address,
                 "--replica-port", str(REPLICA_PORT)],
                base / host.name, ROOT,
                {**env, "CAKUPAN_DATABASE_URL": cluster.url, "CAKUPAN_FRESHNESS_S": FRESHNESS_S})
            started.append(replica)
            stack.callback(replica.stop)
        for replica in started:
            info = replica.wait_line(START_TIMEOUT_S)
            assert info["url"] == f"http://{replica.host.address}:{REPLICA_PORT}", info
            assert info["nginx_pid"] is None
        upstreams = {f"{host.address}:{REPLICA_PORT}" for host in (r1, r2)}
        timings["replicas"] = time.monotonic() - t0

        t0 = time.monotonic()
        entrance = netns.start_serve(
            front, sys.executable,
            ["--only", "nginx", "--host", front.address, "--port", str(NGINX_PORT),
             *(arg for up in sorted(upstreams) for arg in ("--upstream", up))],
            base / front.name, ROOT, env)  # nginx's host gets no store URL: it needs none
        started.append(entrance)
        stack.callback(entrance.stop)
        info = entrance.wait_line(START_TIMEOUT_S)
        timings["nginx"] = time.monotonic() - t0
        url = f"http://{front.address}:{NGINX_PORT}"
        assert info["url"] == url and info["replicas"] == [], info
        assert set(info["upstreams"]) == upstreams, info
        access_log = base / front.name / "logs" / "access.log"
        for s in started:
            pids += s.pids()
        assert len(set(pids)) == 7, pids  # postmaster, 3 serve, 2 replicas, nginx's master

        # One browser context held on each replica by its sticky cookie.
        t0 = time.monotonic()
        routes = _route_to_each(url, access_log, upstreams)
        timings["routes"] = time.monotonic() - t0
        t0 = time.monotonic()
        pages = {}
        for upstream, value in sorted(routes.items()):
            context = browser.new_context(viewport={"width": 1400, "height": 900},
                                          locale="id-ID")
            stack.callback(context.close)
            context.add_cookies([{"name": hosting.nginx.STICKY_COOKIE, "value": value,
                                  "url": url}])
            pages[upstream] = context.new_page()
        for pg_page in pages.values():  # both load at once
            pg_page.goto(url + VIEW, wait_until="commit")
        for upstream, pg_page in pages.items():
            text = main_text_with(pg_page, "Maluku", timeout_s=60)
            assert NEW_MONTH[1] not in text
            pg_page.screenshot(path=str(screenshot_dir() /
                                        f"multihost-{upstream.replace(':', '-')}.png"))
        timings["pages"] = time.monotonic() - t0
        assert _answering(access_log, VIEW) == upstreams  # each page through its replica

        # Both replicas hold connections to the PostgreSQL host, from their own addresses.
        with engine.connect() as conn:
            clients = set(conn.execute(sa.text(
                "SELECT DISTINCT host(client_addr) FROM pg_stat_activity "
                "WHERE datname = current_database() AND client_addr IS NOT NULL")).scalars())
        assert {r1.address, r2.address, lab.root_address} <= clients, clients

        # A publish from the operator's shell reaches both replicas' pages through the store.
        t0 = time.monotonic()
        frame = pd.DataFrame([{"period": NEW_MONTH[0], "region_code": "81", "segment": "bpu",
                               "registered": 12345, "eligible": 20000}])
        store.write_batch(engine, frame, file_name="multihost.csv", sha256="multihost",
                          actor=operator())
        for pg_page in pages.values():
            main_text_with(pg_page, NEW_MONTH[1], timeout_s=SEEN_WITHIN_S)
        timings["publish_seen"] = time.monotonic() - t0

    # Everything is gone: processes, namespaces, the root's link.
    assert netns.alive(pids) == [], pids
    assert lab.leftovers() == []
    assert not base.exists()
    timings["total"] = time.monotonic() - began
    print("multihost: " + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()))
