"""A real Streamlit server and a real headless Chromium (Debian's), driven by Playwright.

The server runs on the embedded default data in a temporary SQLite store, with the boundary
files from ``CAKUPAN_GEO_MIRROR`` (built once per session by the ``geo_ready`` fixture).
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

ARTIFACTS = ROOT / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def app_url(geo_ready: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    env = dict(os.environ)
    env["CAKUPAN_DATABASE_URL"] = f"sqlite:///{tmp_path_factory.mktemp('srv') / 'app.sqlite'}"
    log = (tmp_path_factory.mktemp("srvlog") / "streamlit.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                    if r.read().decode().strip() == "ok":
                        break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail(f"Streamlit did not become healthy; log: {log.name}")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def browser(chromium_path: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, request: pytest.FixtureRequest):
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="id-ID")
    pg = context.new_page()
    yield pg
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    # A screenshot is a CI artefact, never a reason to fail the test.
    with contextlib.suppress(Exception):
        pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def wait_for_app(pg, timeout_s: float = 30) -> None:
    """Wait until the script run is over and the main text stopped changing."""
    pg.wait_for_selector("[data-testid='stMain'] h1", timeout=timeout_s * 1000)
    deadline = time.monotonic() + timeout_s
    last, stable_since = None, time.monotonic()
    while time.monotonic() < deadline:
        running = pg.locator("[data-testid='stStatusWidget']").count() > 0
        text = pg.locator("[data-testid='stMain']").inner_text() if not running else None
        if not running and text == last:
            if time.monotonic() - stable_since > 1.5:
                return
        else:
            last, stable_since = text, time.monotonic()
        time.sleep(0.2)
    raise AssertionError("app did not settle in time")


def main_text_with(pg, *needles: str, timeout_s: float = 30) -> str:
    """The main text once it holds every needle: a loaded machine can pause a run for longer
    than :func:`wait_for_app`'s quiet interval, so content checks wait for their content.
    Fails with the last text seen when a needle never appears."""
    deadline = time.monotonic() + timeout_s
    text = ""
    while time.monotonic() < deadline:
        text = pg.locator("[data-testid='stMain']").inner_text()
        if all(n in text for n in needles):
            return text
        time.sleep(0.25)
    raise AssertionError(f"{needles} never appeared; last text: {text}")


def screenshot_dir() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
