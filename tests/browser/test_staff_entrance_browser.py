"""The staff entrance without an identity provider, end to end: Debian's nginx (``auth_basic``
over a bcrypt htpasswd, ``limit_req``) in front of a real Streamlit server started with
``--server.trustedUserHeaders '{"X-Cakupan-User": "email"}'``, driven by Chromium.

The store gives ``kacab.ambon@example.org`` (the htpasswd user name is the address) the editor
role for Maluku and ``admin@example.org`` the admin role, so a forged header that got through
would show at once. What reaches the replica header by header is
``tests/hosting/test_entrances_nginx.py``.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from cakupan import hosting, store
from cakupan.core.access import operator
from tests.browser.conftest import main_text_with, screenshot_dir, serve_app, wait_for_app
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

pytestmark = pytest.mark.browser

ADMIN = "admin@example.org"
FORGED = {"X-Cakupan-User": ADMIN}
SIGN_IN_NEEDED = "akun editor atau admin"
MALUKU = ("Kode;Periode;Segmen;Peserta;Potensi\n81.01;2030-02;bpu;1.356;4.000\n"
          "81.71;2030-02;bpu;2.000;5.000\n")


@pytest.fixture(scope="module")
def tools() -> Tools:
    return require_tools()


@dataclass(frozen=True)
class Replica:
    address: str  # HOST:PORT
    engine: Engine
    tmp: Path


@pytest.fixture(scope="module")
def replica(tools: Tools, chromium_path: str,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[Replica]:
    """One Streamlit replica on 127.0.0.1 that trusts ``X-Cakupan-User``."""
    tmp = tmp_path_factory.mktemp("staff-entrance")
    engine = store.get_engine(f"sqlite:///{tmp / 'app.sqlite'}")  # serve_app's store
    store.add_user(engine, STAFF_EMAIL, "editor", ["81"], actor=operator())
    store.add_user(engine, ADMIN, "admin", actor=operator())
    args = ("--server.address", "127.0.0.1",
            "--server.trustedUserHeaders", hosting.trusted_user_headers_json())
    with serve_app(tmp, args=args) as base:
        yield Replica(base.removeprefix("http://"), engine, tmp)


@pytest.fixture
def entrances(tools: Tools, replica: Replica, tmp_path: Path) -> Iterator[Entrances]:
    """nginx with both entrances, fresh for each test (an empty rate-limit zone)."""
    htpasswd = write_htpasswd(tools, tmp_path / "htpasswd")
    with running_entrances(tools, tmp_path / "nginx", [replica.address], htpasswd) as ent:
        yield ent


@contextlib.contextmanager
def opened(browser, name: str, **options) -> Iterator:
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="id-ID",
                                  **options)
    pg = context.new_page()
    try:
        yield pg
    finally:
        with contextlib.suppress(Exception):
            pg.screenshot(path=str(screenshot_dir() / f"{name}.png"), full_page=True)
        context.close()


def sidebar(pg) -> str:
    return pg.locator("[data-testid='stSidebar']").inner_text()


def test_staff_with_the_right_password_are_their_address_and_role_and_can_publish(
        browser, entrances: Entrances, replica: Replica) -> None:
    # A forged header sent along changes nothing: nginx replaces it with the checked name.
    with opened(browser, "staff-entrance-editor", extra_http_headers=FORGED,
                http_credentials={"username": STAFF_EMAIL,
                                  "password": STAFF_PASSWORD}) as pg:
        sockets: list[str] = []
        pg.on("websocket", lambda ws: sockets.append(ws.url))
        started = time.monotonic()
        response = pg.goto(f"{entrances.staff}/kelola")
        assert response is not None and response.status == 200
        wait_for_app(pg)
        main_text_with(pg, f"Anda masuk sebagai {STAFF_EMAIL} (editor)", "81")
        shown_s = time.monotonic() - started
        assert f"Masuk sebagai {STAFF_EMAIL}" in sidebar(pg)
        assert ADMIN not in sidebar(pg)
        # No sign-in or sign-out button: the proxy asked for the password.
        assert pg.get_by_role("button", name="Keluar").count() == 0
        assert sockets and all(u.startswith(entrances.staff.replace("http", "ws"))
                               for u in sockets)

        # The upload (PUT /_stcore/upload_file/..., XSRF cookie) passes nginx too, and the
        # store records the checked name as the one who published.
        csv = replica.tmp / "maluku.csv"
        csv.write_text(MALUKU, encoding="utf-8")
        pg.locator("[data-testid='stFileUploader'] input[type='file']").first.set_input_files(
            str(csv))
        pg.get_by_role("button", name="Periksa").click()
        main_text_with(pg, "Pratinjau: 2 baris terbaca, 2 angka siap diterbitkan")
        pg.get_by_role("button", name="Terbitkan").click()
        main_text_with(pg, "2 dari 2 baris diimpor")
    trail = store.audit_trail(replica.engine, action="import")
    assert trail.loc[0, "actor"] == f"email:{STAFF_EMAIL}" and trail.loc[0, "rows"] == 2
    print(f"\nstaff entrance: /kelola shows the editor after {shown_s:.1f} s")


def refused(pg, url: str) -> list[int]:
    """Open ``url`` where nginx refuses the browser: the statuses Chromium got for it.

    Headless Chromium cannot show a password dialog, so without credentials, or with wrong
    ones (answered 401 again), it abandons the navigation with ERR_INVALID_AUTH_CREDENTIALS
    after receiving nginx's answer; either way no page of the app is drawn.
    """
    from playwright.sync_api import Error as PlaywrightError

    statuses: list[int] = []
    pg.on("response", lambda r: statuses.append(r.status) if r.url == url else None)
    try:
        response = pg.goto(url)
    except PlaywrightError as err:
        assert "ERR_INVALID_AUTH_CREDENTIALS" in str(err), err
    else:
        assert response is not None
        statuses.append(response.status)
    assert pg.locator("[data-testid='stMain']").count() == 0
    assert "Cakupan" not in pg.content()
    return statuses


def test_a_wrong_password_gets_401_and_no_page(browser, entrances: Entrances) -> None:
    url = f"{entrances.staff}/kelola"
    for headers in ([basic(STAFF_EMAIL, "salah-tebak")], []):
        reply = request(url, headers)
        assert reply.status == 401 and b"Cakupan" not in reply.body, headers
    with opened(browser, "staff-entrance-no-password") as pg:
        assert set(refused(pg, url)) == {401}
    with opened(browser, "staff-entrance-wrong-password", http_credentials={
            "username": STAFF_EMAIL, "password": "salah-tebak"}) as pg:
        assert set(refused(pg, url)) == {401}
    assert f'user "{STAFF_EMAIL}": password mismatch' in entrances.error_log()


def test_rapid_wrong_attempts_get_429_even_for_the_right_password_next(
        browser, entrances: Entrances) -> None:
    started = time.monotonic()
    statuses = [request(f"{entrances.staff}/kelola", [basic(STAFF_EMAIL, f"tebak-{i}")]).status
                for i in range(30)]
    elapsed = time.monotonic() - started
    assert statuses[0] == 401 and statuses[-1] == 429, statuses
    with opened(browser, "staff-entrance-rate-limited",
                http_credentials={"username": STAFF_EMAIL, "password": STAFF_PASSWORD}) as pg:
        assert 429 in refused(pg, f"{entrances.staff}/kelola")
    print(f"\n30 wrong attempts in {elapsed * 1000:.0f} ms: {statuses.count(401)} x 401, "
          f"{statuses.count(429)} x 429")


def test_a_forged_header_on_the_public_entrance_is_anonymous(
        browser, entrances: Entrances, replica: Replica) -> None:
    with opened(browser, "public-entrance-forged-header", extra_http_headers=FORGED) as pg:
        pg.goto(f"{entrances.public}/kelola")
        wait_for_app(pg)
        main_text_with(pg, SIGN_IN_NEEDED)
        assert "Masuk sebagai" not in sidebar(pg)
        assert ADMIN not in pg.locator("body").inner_text()
        assert pg.get_by_role("button", name="Masuk").count() == 0
    # Control: the same browser straight at the replica is taken for the admin. The header
    # does reach Streamlit's websocket; only nginx stands between, which is why replicas
    # listen on 127.0.0.1 and nothing else may reach them.
    with opened(browser, "replica-direct-forged-header", extra_http_headers=FORGED) as pg:
        pg.goto(f"http://{replica.address}/kelola")
        wait_for_app(pg)
        main_text_with(pg, f"Anda masuk sebagai {ADMIN} (admin)")
        assert f"Masuk sebagai {ADMIN}" in sidebar(pg)
