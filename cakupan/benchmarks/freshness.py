"""Issue 9 budget: what an idle open page costs while it watches for new data.

Every ``CAKUPAN_FRESHNESS_S`` seconds the page's version fragment reruns (one one-row query).
Measured over one idle minute in headless Chromium against a fresh server: bytes on the
server's TCP connections (both directions, the kernel's ``tcp_info`` counters read with
``ss``, because Playwright's websocket events stop reporting frames once Streamlit's front
end is up) and the server's CPU seconds. The budget is the regional link's: a watching page
should cost well under 1 % of a 1 Mbit/s link (7.5 MB/min), here held to 30 kB/min (0.4 %);
and under 1 % of a server core (0.6 s a minute, the idle server's own ~0.3 s included).
"""

from __future__ import annotations

import os
import subprocess
import time

from cakupan import geo, store
from cakupan.benchmarks.browser import ARGS, CHROMIUM, start_server
from cakupan.benchmarks.registry import benchmark
from cakupan.core import settings

IDLE_S = 60.0


def _cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _tcp_bytes(port: int) -> dict[str, int]:
    """Bytes sent plus received per open TCP connection of the server's port (``ss -ti``),
    keyed by the peer's address: connections of the page load close, the websocket stays."""
    out = subprocess.run(["ss", "-tinH", "state", "established", f"( sport = :{port} )"],
                         capture_output=True, text=True, check=True).stdout
    counts: dict[str, int] = {}
    peer = ""
    for line in out.splitlines():
        words = line.split()
        if len(words) >= 4 and words[2].endswith(f":{port}"):  # Recv-Q Send-Q local peer
            peer = words[3]
            continue
        for word in words:
            for key in ("bytes_sent:", "bytes_received:"):
                if word.startswith(key) and peer:
                    counts[peer] = counts.get(peer, 0) + int(word[len(key):])
    return counts


def measure(freshness_s: float, idle_s: float = IDLE_S) -> dict[str, float]:
    """Websocket bytes and server CPU seconds per minute of one idle open overview page."""
    from playwright.sync_api import sync_playwright

    store.get_engine()
    geo.build()
    env = {**os.environ, "CAKUPAN_FRESHNESS_S": str(freshness_s)}
    server, port, base = start_server(env)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            page = browser.new_page()
            page.goto(f"{base}/?region=81")
            page.wait_for_selector("[data-testid='stMain'] h1", timeout=60_000)
            time.sleep(5)  # the first run and its follow-ups are over
            bytes0, cpu0 = _tcp_bytes(port), _cpu_seconds(server.pid)
            time.sleep(idle_s)
            cpu = _cpu_seconds(server.pid) - cpu0
            after = _tcp_bytes(port)
            sent = sum(after[p] - bytes0[p] for p in after if p in bytes0)
            browser.close()
        per_min = 60.0 / idle_s
        return {"bytes_per_min": sent * per_min, "server_cpu_s_per_min": cpu * per_min}
    finally:
        server.terminate()
        server.wait(10)


@benchmark("freshness_idle_bytes_per_min", budget=30_000, unit="bytes", issue=9)
def freshness_idle_bytes_per_min() -> float:
    """Websocket bytes per minute of an idle page that watches for new data (every 5 s)."""
    return measure(settings.freshness_seconds() or 5.0)["bytes_per_min"]


@benchmark("freshness_idle_server_cpu_s_per_min", budget=0.6, unit="s", issue=9)
def freshness_idle_server_cpu_s_per_min() -> float:
    """Server CPU seconds per minute that one idle watching page costs (1 % of a core)."""
    return measure(settings.freshness_seconds() or 5.0)["server_cpu_s_per_min"]
