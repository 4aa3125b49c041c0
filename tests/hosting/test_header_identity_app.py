"""``ui.auth`` with an identity from a trusted proxy header (AppTest).

Streamlit 1.67 (``web/server/starlette/starlette_websocket.py``, ``gather_user_info``) puts
each header of ``server.trustedUserHeaders`` into ``st.user`` under its key when the
websocket opens, ``None`` when the header is missing, and sets no ``is_logged_in``. AppTest's
``at.user`` stands in for that here; the real header path is
``tests/browser/test_staff_entrance_browser.py``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from tests.app.test_auth import AUTH, no_secrets_file, probe_script  # noqa: F401 (fixture)

# Every test: no secrets file anywhere, as on a fresh clone (the fixture of test_auth).
pytestmark = [pytest.mark.app, pytest.mark.usefixtures("no_secrets_file")]

OPTION = "server.trustedUserHeaders"


@pytest.fixture
def trusted_header() -> Iterator[None]:
    """As ``streamlit run --server.trustedUserHeaders '{"X-Cakupan-User": "email"}'``."""
    saved = config.get_option(OPTION)
    config.set_option(OPTION, {"X-Cakupan-User": "email"})
    try:
        yield
    finally:
        config.set_option(OPTION, saved)


def probe(*, user: dict, secrets: dict | None = None, lang: str = "id") -> AppTest:
    at = AppTest.from_function(probe_script, default_timeout=30)
    if secrets:
        at.secrets.update(secrets)
    at.user = user
    at.query_params["lang"] = lang
    return at.run()


def shown(at: AppTest) -> tuple[str, list[str], list[str]]:
    return (at.text[0].value, [x.value for x in at.sidebar.text],
            [b.label for b in at.sidebar.button])


@pytest.mark.parametrize(("lang", "line"), [
    ("id", "Masuk sebagai kacab.ambon@example.org"),
    ("en", "Signed in as kacab.ambon@example.org"),
])
def test_the_header_address_is_the_identity_without_any_sign_in_button(
        trusted_header, lang: str, line: str) -> None:
    at = probe(user={"email": " Kacab.Ambon@Example.ORG "}, lang=lang)
    assert not at.exception
    assert shown(at) == ("configured=False email='kacab.ambon@example.org'", [line], [])


def test_no_header_means_nobody_and_nothing_to_click(trusted_header) -> None:
    assert shown(probe(user={"email": None})) == ("configured=False email=None", [], [])


def test_with_oidc_too_the_header_wins_and_no_button_is_offered(trusted_header) -> None:
    # Streamlit lets the header override the cookie's claims: on an entrance without the
    # header, an OIDC sign-in leaves email None, so the two are not combined (README).
    at = probe(secrets={"auth": AUTH},
               user={"is_logged_in": True, "email": None, "sub": "x"})
    assert shown(at) == ("configured=True email=None", [], [])
    at = probe(secrets={"auth": AUTH}, user={"is_logged_in": False, "email": "a@example.org"})
    assert shown(at) == ("configured=True email='a@example.org'",
                         ["Masuk sebagai a@example.org"], [])


def test_a_header_value_that_is_not_an_address_is_nobody(trusted_header) -> None:
    for value in ("", "   ", "kacab", 42):
        assert shown(probe(user={"email": value}))[0] == "configured=False email=None", value


def test_only_a_mapping_to_the_email_key_counts() -> None:
    saved = config.get_option(OPTION)
    try:
        config.set_option(OPTION, {"X-Cakupan-User": "name"})
        assert shown(probe(user={"email": "x@example.org", "name": "x@example.org"}))[0] == (
            "configured=False email=None")
        # The JSON text the command line gives (before Streamlit parses it) counts too.
        config.set_option(OPTION, '{"X-Cakupan-User": "email"}')
        assert shown(probe(user={"email": "x@example.org"}))[0] == (
            "configured=False email='x@example.org'")
        config.set_option(OPTION, "{not json")
        assert shown(probe(user={"email": "x@example.org"}))[0] == (
            "configured=False email=None")
    finally:
        config.set_option(OPTION, saved)
