"""A real Streamlit server and a real headless Chromium (Debian's), driven by Playwright.

The server runs on the embedded default data in a temporary SQLite store, with the boundary
files from ``CAKUPAN_GEO_MIRROR`` (built once per session by the ``geo_ready`` fixture).
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, require

ARTIFACTS = ROOT / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve_app(tmp: Path, port: int | None = None, args: tuple[str, ...] = (),
              env: dict[str, str] | None = None) -> Iterator[str]:
    """``streamlit run app.py`` on its own temporary store; yields the base URL once healthy.

    ``args`` are extra command-line options (e.g. ``--secrets.files``), ``env`` extra
    environment variables. The log is ``tmp/streamlit.log``.
    """
    port = port or _free_port()
    full_env = dict(os.environ)
    full_env["CAKUPAN_DATABASE_URL"] = f"sqlite:///{tmp / 'app.sqlite'}"
    full_env.update(env or {})
    log = (tmp / "streamlit.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--browser.gatherUsageStats", "false", *args],
        cwd=ROOT, env=full_env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"Streamlit exited with {proc.returncode}; log: {log.name}")
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
        log.close()


@pytest.fixture(scope="session")
def app_url(geo_ready: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve_app(tmp_path_factory.mktemp("srv")) as base:
        yield base


@pytest.fixture(scope="package")
def oidc_provider() -> Iterator[str]:
    """A real OpenID Connect provider on a loopback port (PyPI ``oidc-provider-mock``).

    Its authorization page is a form: whatever is typed as ``sub`` signs in, with
    ``email = sub`` unless claims were set first with ``PUT /users/{sub}``. Any client id,
    secret and redirect URI is accepted. Yields the issuer URL. Missing packages skip
    locally and fail in CI (``CAKUPAN_REQUIRE_BROWSER=1``), like a missing browser.
    """
    try:
        import authlib  # noqa: F401  (st.login needs it in the app process)
        from oidc_provider_mock import run_server_in_thread
    except ImportError as err:
        require("CAKUPAN_REQUIRE_BROWSER", False,
                f"sign-in test needs Authlib and oidc-provider-mock ({err.name} missing): "
                "pip install -r requirements-dev.txt")
    # The mock refuses plain http unless told; it only ever listens on loopback here.
    previous = os.environ.get("AUTHLIB_INSECURE_TRANSPORT")
    os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"
    try:
        with run_server_in_thread(port=0) as server:
            host = server.server_address[0]
            assert ipaddress.ip_address(host).is_loopback, host
            yield f"http://{host if ':' not in host else f'[{host}]'}:{server.server_port}"
    finally:
        if previous is None:
            os.environ.pop("AUTHLIB_INSECURE_TRANSPORT", None)
        else:
            os.environ["AUTHLIB_INSECURE_TRANSPORT"] = previous


@pytest.fixture(scope="package")
def signin_app_url(geo_ready: None, oidc_provider: str,
                   tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app with ``[auth]`` pointing at :func:`oidc_provider`, in a process of its own.

    Its secrets file is a temporary one passed with ``--secrets.files``: the repository's
    ``.streamlit/`` never gets a ``secrets.toml``. ``redirect_uri`` must be exactly the
    address the browser uses, ``http://127.0.0.1:PORT/oauth2callback``.
    """
    tmp = tmp_path_factory.mktemp("signin")
    port = _free_port()
    secrets_file = auth_secrets(tmp, port, oidc_provider)
    with serve_app(tmp, port, ("--secrets.files", str(secrets_file))) as base:
        yield base


def auth_secrets(folder: Path, port: int, provider: str) -> Path:
    """A temporary secrets file whose ``[auth]`` points at ``provider`` for an app on ``port``."""
    path = folder / "secrets.toml"
    path.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_urlsafe(32)}"\n'
        'client_id = "cakupan-test"\n'
        f'client_secret = "{secrets.token_urlsafe(16)}"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    return path


def sign_in_at_provider(pg, email: str, timeout_s: float = 30) -> None:
    """On the mock provider's authorization page: type ``email`` as the subject, authorize."""
    pg.wait_for_selector("input[name='sub']", timeout=timeout_s * 1000)
    pg.fill("input[name='sub']", email)
    pg.get_by_role("button", name="Authorize").click()


# Package scope, not session: Playwright's sync API keeps an event loop running in this thread
# while it is open, and tests collected after this package (tests/app's asyncio.run) need it
# closed.
@pytest.fixture(scope="package")
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
