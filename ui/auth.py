"""Sign-in through Streamlit's own OIDC support (``st.login``, ``st.user``, ``st.logout``).

The app is public and read-only unless ``.streamlit/secrets.toml`` has an ``[auth]`` section
(README, "Sign-in"). Without one nothing here draws anything and :func:`signed_in_email` is
``None``, so every page works with no identity provider at all.

Signing in only says *who* someone is. What they may change is decided by the role store
where each write happens (``cakupan.core.access``), never by whether a button was shown.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

import streamlit as st

from cakupan.core.i18n import t

log = logging.getLogger(__name__)


def auth_configured() -> bool:
    """Whether the secrets have a non-empty ``[auth]`` section (then sign-in is offered).

    Never raises: no secrets file, an unreadable one or no ``[auth]`` section all mean
    "public, read-only".
    """
    try:
        if not st.secrets.load_if_toml_exists():
            return False
        section = st.secrets.get("auth")
    except Exception:  # a broken secrets file must not take the public app down
        log.warning("could not read the [auth] secrets; sign-in stays off", exc_info=True)
        return False
    return isinstance(section, Mapping) and len(section) > 0


def signed_in_email() -> str | None:
    """The signed-in person's e-mail address (trimmed, lower case), else ``None``.

    ``None`` when nobody is signed in, when sign-in is not configured, when the provider sent
    no e-mail claim, or when it says the address is not verified (``email_verified`` false;
    providers that omit the claim, such as Microsoft's, are taken at their word). This is
    the identity the role store looks up; it never raises.

    Examples
    --------
    >>> email = signed_in_email()  # doctest: +SKIP
    >>> email is None  # a public visitor, or no identity provider configured
    True
    """
    try:
        user = st.user.to_dict()
    except Exception:  # no script run context, or a host without user info
        return None
    if user.get("is_logged_in") is not True or user.get("email_verified") is False:
        return None
    email = user.get("email")
    if not isinstance(email, str) or "@" not in email:
        return None
    return email.strip().lower() or None


def render_sign_in(lang: str) -> None:
    """Sidebar control: "Masuk" when signed out, the address and "Keluar" when signed in.

    Draws nothing when sign-in is not configured. The address is shown with ``st.text``
    (never Markdown or HTML): it comes from outside.
    """
    if not auth_configured():
        return
    side = st.sidebar
    email = signed_in_email()
    if email is None:
        if side.button(t("auth.sign_in", lang), key="auth.sign_in", icon=":material/login:",
                       help=t("auth.sign_in_help", lang)):
            try:
                st.login()
            except Exception:  # misconfigured [auth] or Authlib missing: say so, log why
                log.exception("st.login failed; check the [auth] secrets")
                side.error(t("auth.unavailable", lang), icon=":material/error:")
        return
    side.text(t("auth.signed_in_as", lang, email=email))
    if side.button(t("auth.sign_out", lang), key="auth.sign_out", icon=":material/logout:"):
        st.logout()
