"""Sign-in: Streamlit's own OIDC support (``st.login``, ``st.user``, ``st.logout``), or an
identity a trusted proxy passes in a header (``server.trustedUserHeaders``).

The app is public and read-only unless one of the two is configured (README, "Sign-in" and
"Staff entrance without an identity provider"):

- ``.streamlit/secrets.toml`` has an ``[auth]`` section: the sidebar offers "Masuk";
- the server maps a header to the ``email`` key of ``st.user``, e.g.
  ``server.trustedUserHeaders = {"X-Cakupan-User" = "email"}``, behind the nginx of
  ``cakupan.hosting``, whose staff entrance checks a password and sets that header and whose
  public entrance drops it. Streamlit 1.67 reads the mapped headers once, when the browser
  opens its websocket, and puts them in ``st.user`` (a missing header as ``None``) without
  ``is_logged_in``; they override what an OIDC cookie said. This module reads only
  ``st.user``, never request headers itself.

Without either, nothing here draws anything and :func:`signed_in_email` is ``None``, so
every page works with no identity provider at all.

Signing in only says *who* someone is. What they may change is decided by the role store
where each write happens (``cakupan.core.access``), never by whether a button was shown.
"""

from __future__ import annotations

import json
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


#: The ``st.user`` key a trusted proxy header must fill to count as the identity.
HEADER_USER_KEY = "email"


def header_identity_configured() -> bool:
    """Whether the server takes the identity from a trusted proxy header.

    True when ``server.trustedUserHeaders`` maps some header to ``st.user``'s ``email`` key
    (a dict, or the JSON text the command line and environment give before Streamlit parses
    it). Only set this behind a proxy that sets that header itself and drops any copy a
    client sent (``cakupan.hosting``); anyone who reaches the server directly can send it.
    Never raises.
    """
    try:
        mapping = st.get_option("server.trustedUserHeaders")
        if isinstance(mapping, str):
            mapping = json.loads(mapping or "{}")
    except Exception:  # an option this Streamlit lacks, or bad JSON: no header identity
        return False
    return isinstance(mapping, Mapping) and HEADER_USER_KEY in mapping.values()


def signed_in_email() -> str | None:
    """The signed-in person's e-mail address (trimmed, lower case), else ``None``.

    With a trusted identity header configured (:func:`header_identity_configured`), it is
    the address that header put in ``st.user["email"]`` (the staff entrance's checked user
    name); a request without the header, such as any on the public entrance, is nobody.
    Otherwise it is the OIDC ``email`` claim: ``None`` when nobody is signed in, when sign-in
    is not configured, when the provider sent no e-mail claim, or when it says the address is
    not verified (``email_verified`` false; providers that omit the claim, such as
    Microsoft's, are taken at their word). A ``user`` without ``is_logged_in`` identifies
    nobody unless the header is configured. This is the identity the role store looks up;
    it never raises.

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
    if header_identity_configured():
        # Streamlit overwrote "email" with the header (None when absent), so neither
        # is_logged_in nor the provider's email_verified speaks about this address.
        email = user.get(HEADER_USER_KEY)
    elif user.get("is_logged_in") is not True or user.get("email_verified") is False:
        return None
    else:
        email = user.get("email")
    if not isinstance(email, str) or "@" not in email:
        return None
    return email.strip().lower() or None


def render_sign_in(lang: str) -> None:
    """Sidebar control: "Masuk" when signed out, the address and "Keluar" when signed in.

    Draws nothing when sign-in is not configured. With a trusted identity header only the
    address is drawn, when there is one: the proxy asked for the password, so there is
    nothing to sign in to here, and ``st.logout`` could not end a browser's basic-auth
    credentials (closing the browser does). The address is shown with ``st.text`` (never
    Markdown or HTML): it comes from outside.
    """
    side = st.sidebar
    if header_identity_configured():
        email = signed_in_email()
        if email is not None:
            side.text(t("auth.signed_in_as", lang, email=email))
        return
    if not auth_configured():
        return
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
