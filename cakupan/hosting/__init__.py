"""Hosting: the production topology (README, "Hosting") — Streamlit replicas behind nginx on
one store — and what sits in front of the replicas (the staff entrance).

Modules, from the bottom up (each may import only those below it; ``pyproject.toml`` checks):

- ``nginx``: renders a complete ``nginx.conf`` from the committed templates in
  ``templates/`` (public entrance that drops the identity header; sticky sessions by a cookie
  nginx sets; gzip/brotli; Streamlit's ``/static/`` kept by nginx with a year of immutable
  caching; optional staff entrance with ``auth_basic`` over bcrypt htpasswd, ``limit_req``
  and ``X-Cakupan-User``; TLS with HTTP/2 on both when given a certificate), and the
  matching Streamlit ``server.trustedUserHeaders``;
- ``runner``: Debian's nginx in the foreground from one run folder (``nginx -t``, start, wait
  until it listens, stop without leaving workers behind);
- ``replicas``: one ``streamlit run app.py`` per loopback port with the shared cookie secret;
- ``postgres``: a throwaway local PostgreSQL cluster (a trial, the fault tests);
- ``topology``: all of them started in order, health-checked, supervised and stopped
  (``python -m cakupan serve``).

Identity comes from outside (nginx checked the password); Cakupan keeps only roles
(``store.actor_for``). Nothing here reads or stores a password.
May import: ``cakupan.core`` (and SQLAlchemy's URL parsing).
"""

from cakupan.hosting.nginx import (
    USER_HEADER,
    USER_KEY,
    StaffEntrance,
    Tls,
    render_nginx_conf,
    trusted_user_headers,
    trusted_user_headers_json,
)
from cakupan.hosting.runner import (
    check_config,
    find_nginx,
    nginx_command,
    prepare_run_dir,
    running_nginx,
)

__all__ = [
    "USER_HEADER",
    "USER_KEY",
    "StaffEntrance",
    "Tls",
    "check_config",
    "find_nginx",
    "nginx_command",
    "prepare_run_dir",
    "render_nginx_conf",
    "running_nginx",
    "trusted_user_headers",
    "trusted_user_headers_json",
]
