"""Hosting: what sits in front of the Streamlit replicas (README, "Staff entrance without an
identity provider").

Modules, from the bottom up (each may import only those below it; ``pyproject.toml`` checks):

- ``nginx``: renders a complete ``nginx.conf`` from the committed templates in
  ``templates/`` (public entrance that drops the identity header; optional staff entrance
  with ``auth_basic`` over bcrypt htpasswd, ``limit_req`` and ``X-Cakupan-User``), and the
  matching Streamlit ``server.trustedUserHeaders``;
- ``runner``: Debian's nginx in the foreground from one run folder (``nginx -t``, start, wait
  until it listens, stop without leaving workers behind).

Identity comes from outside (nginx checked the password); Cakupan keeps only roles
(``store.actor_for``). Nothing here reads or stores a password.
May import: ``cakupan.core``.
"""

from cakupan.hosting.nginx import (
    USER_HEADER,
    USER_KEY,
    StaffEntrance,
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
    "check_config",
    "find_nginx",
    "nginx_command",
    "prepare_run_dir",
    "render_nginx_conf",
    "running_nginx",
    "trusted_user_headers",
    "trusted_user_headers_json",
]
