"""Sign-in end to end: Chromium, the app with ``[auth]`` secrets, a real OIDC provider.

The provider is ``oidc-provider-mock`` on a loopback port (``oidc_provider`` fixture); the app
runs in its own process with a temporary secrets file (``signin_app_url``). The test goes the
whole way a person does: "Masuk" in the sidebar, the provider's authorization form, back to
the app showing the address; then "Keluar", the provider's end-session page, back to the
public app.
"""

from __future__ import annotations

import time

import pytest

from tests.browser.conftest import sign_in_at_provider, wait_for_app

pytestmark = pytest.mark.browser

EMAIL = "editor81@example.org"
IDENTITY_COOKIE = "_streamlit_user"


def sidebar_text(pg) -> str:
    return pg.locator("[data-testid='stSidebar']").inner_text()


def wait_for_sidebar(pg, predicate, what: str, timeout_s: float = 30) -> str:
    deadline = time.monotonic() + timeout_s
    text = ""
    while time.monotonic() < deadline:
        text = sidebar_text(pg)
        if predicate(text):
            return text
        time.sleep(0.2)
    raise AssertionError(f"sidebar never showed {what}; last text: {text}")


def identity_cookie(pg) -> list[dict]:
    return [c for c in pg.context.cookies() if c["name"].startswith(IDENTITY_COOKIE)]


def test_sign_in_and_out_with_an_oidc_provider(signin_app_url: str, oidc_provider: str,
                                               page) -> None:
    timings: dict[str, float] = {}
    t0 = time.monotonic()
    page.goto(f"{signin_app_url}/")
    wait_for_app(page)
    wait_for_sidebar(page, lambda s: "Masuk" in s, "the sign-in button")
    assert EMAIL not in sidebar_text(page)
    assert identity_cookie(page) == []
    timings["app_ready_s"] = time.monotonic() - t0

    # 1. Sign in: the app hands the browser to the provider, whose form picks the person.
    t1 = time.monotonic()
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{oidc_provider}/oauth2/authorize*", timeout=30_000)
    assert "redirect_uri=" in page.url and "oauth2callback" in page.url
    timings["to_provider_s"] = time.monotonic() - t1
    t2 = time.monotonic()
    sign_in_at_provider(page, EMAIL)
    page.wait_for_url(f"{signin_app_url}/**", timeout=30_000)
    wait_for_app(page)
    text = wait_for_sidebar(page, lambda s: EMAIL in s, EMAIL)
    timings["back_signed_in_s"] = time.monotonic() - t2
    assert "Keluar" in text and "Masuk sebagai" in text
    cookie = identity_cookie(page)
    assert cookie and all(c["httpOnly"] for c in cookie)

    # 2. Sign out: the app clears its cookie and ends the session at the provider too.
    t3 = time.monotonic()
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url(f"{oidc_provider}/oauth2/end_session*", timeout=30_000)
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(f"{signin_app_url}/**", timeout=30_000)
    wait_for_app(page)
    text = wait_for_sidebar(page, lambda s: "Masuk" in s and "Keluar" not in s,
                            "the signed-out sidebar")
    timings["back_signed_out_s"] = time.monotonic() - t3
    assert EMAIL not in text
    assert identity_cookie(page) == []
    timings["total_s"] = time.monotonic() - t0
    print("sign-in timings:", {k: round(v, 2) for k, v in timings.items()})
