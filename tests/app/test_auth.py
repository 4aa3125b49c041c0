"""Sign-in controls with AppTest: the public app without an identity provider, and the
sidebar for a signed-out and a signed-in person when ``[auth]`` is configured.

The end-to-end flow with a real provider is ``tests/browser/test_signin_browser.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit import config
from streamlit.runtime.secrets import secrets_singleton
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from ui.shell import PAGES

pytestmark = pytest.mark.app

AUTH = {
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    "cookie_secret": "a test secret that is long enough",
    "client_id": "cakupan-test",
    "client_secret": "not-a-secret",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}


@pytest.fixture
def no_secrets_file(tmp_path: Path) -> Iterator[None]:
    """As on a fresh clone: no secrets.toml anywhere, even if this machine has one."""
    saved = config.get_option("secrets.files")
    config.set_option("secrets.files", [str(tmp_path / "absent" / "secrets.toml")])
    secrets_singleton._reset()  # it caches what it read; read the (absent) file again
    try:
        yield
    finally:
        config.set_option("secrets.files", saved)
        secrets_singleton._reset()


def probe_script() -> None:
    """A tiny app: what ui.auth reports, then the sidebar control."""
    import streamlit as st

    from ui import auth

    st.text(f"configured={auth.auth_configured()} email={auth.signed_in_email()!r}")
    auth.render_sign_in(st.query_params.get("lang", "id"))


def probe(*, secrets: dict | None = None, user: dict | None = None, lang: str = "id"
          ) -> AppTest:
    at = AppTest.from_function(probe_script, default_timeout=30)
    if secrets:
        at.secrets.update(secrets)
    if user is not None:
        at.user = user
    at.query_params["lang"] = lang
    return at.run()


def sidebar_buttons(at: AppTest) -> list[str]:
    return [b.label for b in at.sidebar.button]


def test_public_app_without_auth_secrets_has_no_sign_in(no_secrets_file) -> None:
    at = AppTest.from_file(str(ROOT / "router.py"), default_timeout=120)
    at.switch_page(PAGES["sumber"][0])
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value  # the page itself is there
    assert not {"Masuk", "Keluar"} & set(sidebar_buttons(at))
    assert not any("Masuk sebagai" in x.value for x in at.sidebar.text)

    at = probe()
    assert at.text[0].value == "configured=False email=None"
    assert sidebar_buttons(at) == []


def test_a_user_claim_without_auth_secrets_is_not_a_sign_in(no_secrets_file) -> None:
    # st.user as a host might fill it: without is_logged_in it identifies nobody.
    at = probe(user={"email": "editor81@example.org"})
    assert at.text[0].value == "configured=False email=None"


@pytest.mark.parametrize(("lang", "label"), [("id", "Masuk"), ("en", "Sign in")])
def test_signed_out_with_auth_secrets_shows_sign_in(no_secrets_file, lang: str,
                                                    label: str) -> None:
    at = probe(secrets={"auth": AUTH}, lang=lang)
    assert not at.exception
    assert at.text[0].value == "configured=True email=None"
    assert sidebar_buttons(at) == [label]


@pytest.mark.parametrize(("lang", "shown", "label"), [
    ("id", "Masuk sebagai editor81@example.org", "Keluar"),
    ("en", "Signed in as editor81@example.org", "Sign out"),
])
def test_signed_in_shows_the_address_and_sign_out(no_secrets_file, lang: str, shown: str,
                                                  label: str) -> None:
    at = probe(secrets={"auth": AUTH}, lang=lang,
               user={"is_logged_in": True, "email": " Editor81@Example.ORG ", "sub": "x"})
    assert at.text[0].value == "configured=True email='editor81@example.org'"
    assert [x.value for x in at.sidebar.text] == [shown]
    assert sidebar_buttons(at) == [label]


def test_the_address_is_shown_as_text_never_markdown(no_secrets_file) -> None:
    odd = "**x**<b>y</b>@example.org"
    at = probe(secrets={"auth": AUTH}, user={"is_logged_in": True, "email": odd})
    assert [x.value for x in at.sidebar.text] == [f"Masuk sebagai {odd}"]
    assert len(at.sidebar.markdown) == 0


def test_an_unverified_address_is_no_identity(no_secrets_file) -> None:
    at = probe(secrets={"auth": AUTH},
               user={"is_logged_in": True, "email": "x@example.org", "email_verified": False})
    assert at.text[0].value == "configured=True email=None"
    assert sidebar_buttons(at) == ["Masuk"]
