"""nginx.conf for Cakupan, rendered from the committed templates in ``templates/``.

Two entrances to the same replicas, each a ``server`` block on its own port:

- the **public** entrance: anyone, read-only; it *drops* the identity header
  (``proxy_set_header X-Cakupan-User "";`` sends no such header at all), so a visitor who
  forges one is still anonymous;
- the optional **staff** entrance: nginx's ``auth_basic`` against an htpasswd file of bcrypt
  hashes (``htpasswd -B``, Debian ``apache2-utils``), ``limit_req`` before the password check,
  and the checked user name passed on as ``X-Cakupan-User: $remote_user``, which Streamlit
  maps into ``st.user`` (``server.trustedUserHeaders``, see :func:`trusted_user_headers`).

Why a second ``server`` block and not a ``/staff/`` location: Streamlit's front end, its
websocket (``/_stcore/stream``) and its page paths (``/kelola``) all assume the app is at one
base path; under ``/staff/`` the replicas would need a second ``server.baseUrlPath`` and the
two entrances could not share them. A port (or a host name) of its own also keeps the
browser's basic-auth credentials, which are per origin, away from the public pages.

With a certificate (:class:`Tls`) both entrances listen ``ssl http2``: the staff password no
longer crosses the network in clear, and browsers, which speak HTTP/2 and accept brotli only
over HTTPS, fetch Streamlit's ~120 front-end files over one connection instead of queueing
them behind six HTTP/1.1 ones (on an emulated 5 Mbit/s, 100 ms link the Maluku map drew in
7.5 s instead of 9.0 s). The websocket still upgrades over HTTP/1.1 on a connection of its
own: nginx 1.22 has no WebSocket over HTTP/2 (RFC 8441), and browsers fall back by themselves.

Every value is checked before it is written into the file (a ``;``, brace, quote or ``$`` in a
path or name would change the configuration), and every ``location`` sets all of its proxy
headers itself: nginx does not inherit ``proxy_set_header`` into a location that has one of
its own, the classic way a header meant to be stripped gets through.

Examples
--------
>>> conf = render_nginx_conf(run_dir=Path("/run/cakupan-nginx"), listen="127.0.0.1:8080",
...                          replicas=["127.0.0.1:8501"])
>>> 'proxy_set_header X-Cakupan-User "";' in conf
True
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

#: The header the staff entrance sets and Streamlit trusts (mapped to ``st.user.email``).
USER_HEADER = "X-Cakupan-User"
#: The key of ``st.user`` that the header fills; ``ui.auth.signed_in_email`` reads it.
USER_KEY = "email"

UPSTREAM = "cakupan_app"
#: The same replicas, for uploads only, where a failed request never marks a replica down.
UPLOAD_UPSTREAM = "cakupan_uploads"
STAFF_ZONE = "cakupan_staff"
STATIC_ZONE = "cakupan_static"
#: The TLS session cache every entrance shares (a returning browser skips the full handshake).
TLS_SESSION_ZONE = "cakupan_tls"
#: TLS 1.0 and 1.1 are refused by every current browser and by RFC 8996.
TLS_PROTOCOLS = ("TLSv1.2", "TLSv1.3")
#: The cookie nginx sets on a first visit to keep a browser on one replica.
STICKY_COOKIE = "cakupan_route"
#: Response types worth compressing: Streamlit's JS, CSS, JSON (its manifest, plotly figure
#: data sent over HTTP), source maps, SVG, fonts that are not already compressed (woff2 is).
COMPRESS_TYPES = ("text/css", "text/javascript", "application/javascript", "application/json",
                  "application/geo+json",
                  "application/manifest+json", "image/svg+xml", "text/plain", "text/xml",
                  "application/xml", "font/ttf", "application/x-font-ttf", "application/wasm")
#: Debian's ``libnginx-mod-http-brotli-filter`` puts its module here.
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_filter_module.so")
#: Cache-Control for content-hashed assets: a new release has new names, so "forever" is safe.
IMMUTABLE = "public, max-age=31536000, immutable"
# Streamlit's own front-end bundle (content-hashed file names, the same for everyone).
STATIC_PREFIX = "/static/"
#: The maps' boundary files (``ui/http_assets.py``): content-named too, kept the same way.
GEO_PREFIX = "/geo/"
STREAM_PATH = "/_stcore/stream"
#: Streamlit's file uploader (``PUT``/``DELETE /_stcore/upload_file/<session>/<file>``): the
#: only requests of the app that carry a body.
UPLOAD_PREFIX = "/_stcore/upload_file/"
#: The request body nginx accepts everywhere but :data:`UPLOAD_PREFIX`: Streamlit's pages,
#: health check, websocket handshake and auth routes are all GETs without one.
NO_BODY_MAX = "16k"

_LISTEN = re.compile(r"^(?:(?P<host>\d{1,3}(?:\.\d{1,3}){3}|\[[0-9A-Fa-f:.]+\]|"
                     r"[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?):)?(?P<port>\d{1,5})$")
_HEADER = re.compile(r"^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_SERVER_NAME = re.compile(r"^(?:_|[A-Za-z0-9*](?:[A-Za-z0-9.*-]*[A-Za-z0-9])?)$")
_SIZE = re.compile(r"^\d+[km]?$")
_TIME = re.compile(r"^\d+(?:ms|s|m|h)?$")
# Characters that would end a directive, open a block, start a variable or a comment.
_UNSAFE = re.compile(r"[\s;{}\"'$#\\]")


class _Template(string.Template):
    """``{{ name }}`` placeholders: ``$`` belongs to nginx's own variables."""

    delimiter = "{{"
    pattern = r"""
        \{\{(?:
          (?P<escaped>(?!)) |
          \s*(?P<named>[a-z_][a-z0-9_]*)\s*\}\} |
          (?P<braced>(?!)) |
          (?P<invalid>)
        )
    """


def template_text(name: str) -> str:
    """The committed template ``templates/<name>`` (``nginx.conf.template``, ...)."""
    return (resources.files("cakupan.hosting") / "templates" / name).read_text(encoding="utf-8")


def _fill(name: str, **values: str) -> str:
    text = _Template(template_text(name).rstrip("\n")).substitute(values)
    if "{{" in text:  # a placeholder the pattern did not take: a typo in the template
        raise ValueError(f"template {name} has a malformed placeholder near "
                         f"{text[text.index('{{'):][:40]!r}")
    return text


@dataclass(frozen=True)
class StaffEntrance:
    """The password-protected entrance for branch staff.

    Parameters
    ----------
    listen:
        ``PORT`` or ``HOST:PORT`` of its own (e.g. ``"127.0.0.1:8502"``, or ``"443"`` behind
        TLS termination).
    htpasswd:
        Absolute path of the password file, bcrypt only: ``htpasswd -B -c FILE EMAIL``. The
        user name is the person's e-mail address, which is what the role store knows.
    rate_per_minute, burst:
        ``limit_req`` per client address, counted *before* the password is checked (a limit
        counted on failures alone would not stop guessing: the right guess would still pass).
        It has to leave room for a normal page load (about 5 checked requests; Streamlit's
        own ``/static/`` bundle is not checked, see :func:`render_nginx_conf`).
    realm:
        The text the browser's password dialog shows.
    """

    listen: str
    htpasswd: Path
    rate_per_minute: int = 10
    burst: int = 20
    realm: str = "Cakupan staf"


@dataclass(frozen=True)
class Tls:
    """The certificate every entrance presents when it listens with TLS (and HTTP/2).

    Why TLS at nginx at all: the staff entrance's Basic-auth password otherwise crosses the
    network in clear, and browsers speak HTTP/2 (one connection, no queue of ~120 front-end
    files behind 6 HTTP/1.1 connections) and accept brotli only over HTTPS.

    Parameters
    ----------
    cert:
        Absolute path of the certificate chain in PEM, leaf first (certbot's
        ``fullchain.pem``).
    key:
        Absolute path of its private key in PEM (certbot's ``privkey.pem``). nginx's master
        reads both at start, as the user that started it; the workers never need them.
    """

    cert: Path
    key: Path


def _listen(value: str, what: str, *, need_host: bool = False) -> str:
    m = _LISTEN.match(str(value))
    if not m or not 1 <= int(m["port"]) <= 65535 or (need_host and not m["host"]):
        form = "HOST:PORT" if need_host else "PORT or HOST:PORT"
        raise ValueError(f"{what} {value!r} is not {form} (e.g. 127.0.0.1:8501)")
    return str(value)


def _path(value: Path, what: str) -> str:
    text = str(value)
    if not Path(text).is_absolute() or _UNSAFE.search(text):
        raise ValueError(f"{what} must be an absolute path without spaces, quotes, ';', "
                         f"'{{', '}}', '$' or '#': {text!r}")
    return text


def _positive(value: int, what: str, *, zero: bool = False) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < (0 if zero else 1):
        raise ValueError(f"{what} must be a whole number {'>= 0' if zero else '>= 1'}, "
                         f"got {value!r}")
    return value


def _checked(value: str, pattern: re.Pattern[str], what: str, example: str) -> str:
    if not isinstance(value, str) or not pattern.match(value):
        raise ValueError(f"{what} {value!r} is not valid (e.g. {example})")
    return value


def _indent(lines: Sequence[str], spaces: int, *, end: str = "") -> str:
    """Each line indented; ``end`` after the last one (none when there are no lines)."""
    return "".join(" " * spaces + line + "\n" for line in lines).rstrip("\n") + (
        end if lines else "")


def _location(path: str, *, user_value: str, lines: Sequence[str] = (),
              io_timeout: str, connect_timeout: str, user_header: str,
              upstream: str = UPSTREAM) -> str:
    return _fill("location.template", path=path, location_lines=_indent(lines, 12, end="\n"),
                 upstream_name=upstream, user_header=user_header, user_value=user_value,
                 io_timeout=io_timeout, connect_timeout=connect_timeout)


def render_nginx_conf(*, run_dir: Path, listen: str, replicas: Sequence[str],
                      staff: StaffEntrance | None = None, server_name: str = "_",
                      user_header: str = USER_HEADER, client_max_body_size: str = "26m",
                      read_timeout: str = "120s", stream_timeout: str = "300s",
                      connect_timeout: str = "5s", worker_user: str | None = None,
                      worker_processes: int = 1, worker_connections: int = 1024,
                      conf_name: str = "nginx.conf", brotli: bool | None = None,
                      gzip_level: int = 5, static_cache_size: str = "256m",
                      max_fails: int = 1, fail_timeout: str = "10s",
                      tls: Tls | None = None) -> str:
    """The complete nginx.conf: the public entrance, optionally the staff entrance.

    Parameters
    ----------
    run_dir:
        Absolute folder that holds the pid file, ``logs/`` and ``tmp/``
        (:func:`cakupan.hosting.runner.prepare_run_dir` makes them).
    listen:
        The public entrance, ``PORT`` or ``HOST:PORT``.
    replicas:
        ``HOST:PORT`` of every Streamlit replica (one or more; bind them to 127.0.0.1).
    staff:
        The staff entrance, or ``None`` for a public-only deployment.
    client_max_body_size:
        nginx's upload limit (:data:`UPLOAD_PREFIX` only; elsewhere :data:`NO_BODY_MAX`);
        keep it at least ``server.maxUploadSize`` (25 MB) plus the multipart envelope.
    read_timeout, stream_timeout:
        Upstream read/send timeouts for plain requests and for the websocket (Streamlit
        pings the websocket every 30 s, so either is rarely reached).
    worker_user:
        Only when nginx is started as root: the user its workers run as. They read the
        htpasswd file and write ``run_dir/tmp``; without this they become ``nobody``.
        Unprivileged nginx (ports above 1024) needs none.
    brotli:
        Compress with brotli as well as gzip (browsers prefer it; ~15 % smaller JS). ``None``:
        when Debian's brotli filter module is installed (:data:`BROTLI_MODULE`).
    gzip_level, static_cache_size:
        gzip's level (1-9; 5 is most of the gain for a fraction of 9's CPU) and the disk
        nginx may use to keep Streamlit's ``/static/`` bundle.
    max_fails, fail_timeout:
        A replica that failed ``max_fails`` requests is skipped for ``fail_timeout`` (uploads
        excepted: a refused upload is no sign of a failing replica).
    tls:
        Listen with TLS and HTTP/2 on every entrance (:class:`Tls`), the sticky cookie marked
        ``Secure``; ``None``: plain HTTP/1.1, the configuration exactly as without the option.

    Returns
    -------
    str
        The configuration, ready for ``nginx -t``.

    Raises
    ------
    ValueError
        A value that is not of the expected form, naming it and giving an example.
    """
    run = _path(run_dir, "run_dir")
    public_listen = _listen(listen, "listen")
    if isinstance(replicas, str) or not replicas:
        raise ValueError("replicas must be a non-empty list of HOST:PORT")
    _positive(max_fails, "max_fails")
    _checked(fail_timeout, _TIME, "fail_timeout", "10s")
    _checked(static_cache_size, _SIZE, "static_cache_size", "256m")
    if not isinstance(gzip_level, int) or not 1 <= gzip_level <= 9:
        raise ValueError(f"gzip_level must be 1 to 9, got {gzip_level!r}")
    servers_at = [_listen(r, "replica", need_host=True) for r in replicas]
    upstream = [f"server {r} max_fails={max_fails} fail_timeout={fail_timeout};"
                for r in servers_at]
    upload_upstream = [f"server {r} max_fails=0;" for r in servers_at]
    use_brotli = BROTLI_MODULE.is_file() if brotli is None else bool(brotli)
    _checked(user_header, _HEADER, "user_header", USER_HEADER)
    _checked(server_name, _SERVER_NAME, "server_name", "cakupan.example.go.id or _")
    _checked(client_max_body_size, _SIZE, "client_max_body_size", "26m")
    for value, what in ((read_timeout, "read_timeout"), (stream_timeout, "stream_timeout"),
                        (connect_timeout, "connect_timeout")):
        _checked(value, _TIME, what, "120s")
    if worker_user is not None:
        _checked(worker_user, _NAME, "worker_user", "www-data")
    _checked(conf_name, re.compile(r"^[A-Za-z0-9_.-]+$"), "conf_name", "nginx.conf")
    tls_server, tls_http = _tls_lines(tls)

    def entrance(address: str) -> str:
        # nginx 1.22 (Debian bookworm) turns HTTP/2 on per listen socket; "http2 on;" is 1.25.
        return f"{address} ssl http2" if tls is not None else address

    def location(path: str, user_value: str, lines: Sequence[str] = (),
                 timeout: str = read_timeout) -> str:
        return _location(path, user_value=user_value, lines=lines, io_timeout=timeout,
                         connect_timeout=connect_timeout, user_header=user_header)

    def upload_location(user_value: str, lines: Sequence[str] = ()) -> str:
        # Why uploads have an upstream of their own: Streamlit answers a refused upload (no
        # such session, no XSRF cookie) before reading its body and closes the connection,
        # so nginx, still sending the body, sees a reset. nginx counts that as the replica
        # failing (max_fails) and, PUT being idempotent, sends the body to the next replica,
        # which refuses it the same way. Measured on the served topology: a few bogus 24 MB
        # PUTs took both replicas out of rotation and every visitor got 502 for
        # fail_timeout. In the upload upstream no request marks a replica down; one that is
        # really gone is still passed over (connection refused), and the main upstream
        # still counts the failures of everything else.
        return _location(UPLOAD_PREFIX, user_value=user_value,
                         lines=[*lines, f"client_max_body_size {client_max_body_size};"],
                         io_timeout=read_timeout, connect_timeout=connect_timeout,
                         user_header=user_header, upstream=UPLOAD_UPSTREAM)

    # Public: the header is dropped in every location ("" means nginx sends none).
    servers = [_fill(
        "server.template", comment="Public entrance: anyone, read-only; no identity passes.",
        listen=entrance(public_listen), server_name=server_name,
        server_lines=_indent(tls_server, 8, end="\n"),
        locations="\n\n".join([location("/", '""'),
                             location(STREAM_PATH, '""', timeout=stream_timeout),
                             upload_location('""'),
                             location(STATIC_PREFIX, '""', _STATIC_LINES),
                             location(GEO_PREFIX, '""', _STATIC_LINES)]),
    )]
    zones = ""
    if staff is not None:
        s_listen = _listen(staff.listen, "staff listen")
        if s_listen.rsplit(":", 1)[-1] == public_listen.rsplit(":", 1)[-1]:
            raise ValueError(f"the staff entrance needs a port of its own, not {s_listen!r}")
        htpasswd = _path(staff.htpasswd, "staff htpasswd")
        rate = _positive(staff.rate_per_minute, "staff rate_per_minute")
        burst = _positive(staff.burst, "staff burst", zero=True)
        if not isinstance(staff.realm, str) or not re.fullmatch(r"[A-Za-z0-9 .,()-]+",
                                                                staff.realm):
            raise ValueError(f"staff realm {staff.realm!r} may hold letters, digits, spaces "
                             "and . , ( ) - only")
        zones = (f"    # Password guessing on the staff entrance: per client address, counted "
                 f"before the check.\n    limit_req_zone $binary_remote_addr "
                 f"zone={STAFF_ZONE}:10m rate={rate}r/m;\n")
        checked = [f"limit_req zone={STAFF_ZONE} burst={burst} nodelay;"]
        servers.append(_fill(
            "server.template",
            comment="Staff entrance: local accounts (bcrypt htpasswd), the checked name "
                    "passed on.",
            listen=entrance(s_listen), server_name=server_name,
            server_lines=_indent([
                *tls_server,
                f'auth_basic "{staff.realm}";',
                f"auth_basic_user_file {htpasswd};",
                "limit_req_status 429;",
                "limit_req_log_level warn;",
            ], 8, end="\n"),
            locations="\n\n".join([
                # $remote_user is the name whose password nginx has just checked here.
                location("/", "$remote_user", checked),
                location(STREAM_PATH, "$remote_user", checked, timeout=stream_timeout),
                upload_location("$remote_user", checked),
                # The front-end bundle is public on the other entrance already; checking a
                # bcrypt hash for each of its ~130 files per page load would cost the worker
                # seconds and use up the rate limit. $remote_user is unchecked here (auth is
                # off), so the header is dropped, as on the public entrance.
                location(STATIC_PREFIX, '""', ["auth_basic off;", *_STATIC_LINES]),
                location(GEO_PREFIX, '""', ["auth_basic off;", *_STATIC_LINES]),
            ]),
        ))
    return _fill(
        "nginx.conf.template", run_dir=run, conf_path=f"{run}/{conf_name}",
        user_line=f"user {worker_user};" if worker_user else "# (no user: started unprivileged)",
        module_lines=f"load_module {BROTLI_MODULE};" if use_brotli else
        "# (no brotli module: gzip only)",
        sticky_cookie=STICKY_COOKIE, cookie_secure="; Secure" if tls is not None else "",
        tls_lines=tls_http + ("\n" if tls_http and zones else ""), gzip_level=str(gzip_level),
        compress_types=" ".join(COMPRESS_TYPES),
        brotli_lines=_indent([
            "brotli on;", f"brotli_comp_level {gzip_level};", "brotli_min_length 1024;",
            f"brotli_types {' '.join(COMPRESS_TYPES)};"], 4, end="\n") if use_brotli else "",
        static_zone=STATIC_ZONE, static_cache_size=static_cache_size,
        worker_processes=str(_positive(worker_processes, "worker_processes")),
        worker_connections=str(_positive(worker_connections, "worker_connections")),
        error_log_level="warn", no_body_max=NO_BODY_MAX,
        limit_req_zones=zones, upstream_name=UPSTREAM,
        upstream_lines=_indent(upstream, 8), upload_upstream_name=UPLOAD_UPSTREAM,
        upload_upstream_lines=_indent(upload_upstream, 8), servers="\n\n".join(servers),
    )


def _tls_lines(tls: Tls | None) -> tuple[list[str], str]:
    """What TLS adds: the lines of each entrance's ``server`` block (its certificate) and
    the ``http`` block's shared settings (text, empty without TLS)."""
    if tls is None:
        return [], ""
    cert, key = _path(tls.cert, "tls cert"), _path(tls.key, "tls key")
    shared = [
        "# TLS on every entrance (HTTP/2 with it: one connection per browser, brotli).",
        "# No Strict-Transport-Security header: an operator may try a self-signed",
        "# certificate first, and HSTS would lock browsers out of plain HTTP on this host",
        "# for its max-age. Add it (add_header in each location) once the certificate is real.",
        f"ssl_protocols {' '.join(TLS_PROTOCOLS)};",
        f"ssl_session_cache shared:{TLS_SESSION_ZONE}:10m;",
        "ssl_session_timeout 1d;",
    ]
    return ([f"ssl_certificate {cert};", f"ssl_certificate_key {key};"],
            _indent(shared, 4, end="\n"))


# Streamlit's /static/ bundle and the maps' /geo/ files: kept by nginx (one fetch per replica
# set and release), sent with a year of immutable caching; never with a cookie of the app
# (none is set there). nginx asks for them uncompressed and compresses them itself (brotli
# where it can), so a replica's own gzip (bare mode) is not sent on twice.
_STATIC_LINES = (
    f"proxy_cache {STATIC_ZONE};",
    "proxy_cache_valid 200 30d;",
    "proxy_cache_lock on;",
    "proxy_cache_use_stale error timeout updating;",
    "proxy_ignore_headers Cache-Control Expires Set-Cookie;",
    "proxy_hide_header Cache-Control;",
    'proxy_set_header Accept-Encoding "";',
    f'add_header Cache-Control "{IMMUTABLE}";',
    "add_header X-Cache-Status $upstream_cache_status;",
)


def trusted_user_headers(user_header: str = USER_HEADER) -> dict[str, str]:
    """Streamlit's ``server.trustedUserHeaders`` for this proxy: header -> ``st.user`` key.

    In ``.streamlit/config.toml``: ``[server] trustedUserHeaders = {"X-Cakupan-User" =
    "email"}``; for ``streamlit run --server.trustedUserHeaders`` (or its environment variable
    ``STREAMLIT_SERVER_TRUSTED_USER_HEADERS``) the same
    as JSON (:func:`trusted_user_headers_json`).
    """
    return {_checked(user_header, _HEADER, "user_header", USER_HEADER): USER_KEY}


def trusted_user_headers_json(user_header: str = USER_HEADER) -> str:
    """:func:`trusted_user_headers` as the JSON text the CLI flag and environment take."""
    return json.dumps(trusted_user_headers(user_header))
