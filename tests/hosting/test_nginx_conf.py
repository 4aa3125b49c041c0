"""The rendered nginx.conf, read back as blocks: what each entrance does with the identity
header, where nginx keeps its files, and which values are refused before they are written."""

from __future__ import annotations

import json
import re
import string
from pathlib import Path

import pytest

from cakupan import hosting
from cakupan.hosting import nginx as ngx
from cakupan.hosting.selfsigned import self_signed
from tests.hosting.entrance import require_tools

pytestmark = pytest.mark.unit

RUN = Path("/srv/cakupan/run")
HTPASSWD = Path("/etc/cakupan/htpasswd")
STAFF = hosting.StaffEntrance("127.0.0.1:8502", HTPASSWD)
TLS = hosting.Tls(Path("/etc/letsencrypt/live/cakupan/fullchain.pem"),
                  Path("/etc/letsencrypt/live/cakupan/privkey.pem"))
TOKEN = re.compile(r'"[^"]*"|\'[^\']*\'|[{};]|[^\s{};]+')


def parse(text: str) -> list:
    """nginx.conf as nested ``(words, children)``; children is None for a plain directive."""
    text = re.sub(r"#[^\n]*", "", text)  # the rendered file has no '#' inside values
    tokens = TOKEN.findall(text)

    def block(i: int) -> tuple[list, int]:
        items, words = [], []
        while i < len(tokens):
            tok = tokens[i]
            i += 1
            if tok == ";":
                items.append((words, None))
                words = []
            elif tok == "{":
                children, i = block(i)
                items.append((words, children))
                words = []
            elif tok == "}":
                assert not words, words
                return items, i
            else:
                words.append(tok)
        assert not words, words
        return items, i

    tree, end = block(0)
    assert end == len(tokens)
    return tree


def find(items: list, name: str) -> list:
    return [(w, c) for w, c in items if w and w[0] == name]


def directive(items: list, name: str) -> list[list[str]]:
    return [w[1:] for w, c in find(items, name) if c is None]


def servers(conf: str) -> list[list]:
    (_, http), = find(parse(conf), "http")
    return [children for _, children in find(http, "server")]


def locations(server: list) -> dict[str, list]:
    return {w[1]: c for w, c in find(server, "location")}


def user_header_of(location: list) -> list[str]:
    return [v[1] for v in directive(location, "proxy_set_header")
            if v[0].lower() == "x-cakupan-user"]


def render(**kw) -> str:
    args = {"run_dir": RUN, "listen": "127.0.0.1:8080", "replicas": ["127.0.0.1:8501"]}
    return hosting.render_nginx_conf(**(args | kw))


def test_public_only_has_one_server_that_drops_the_identity_header() -> None:
    conf = render()
    (public,) = servers(conf)
    assert directive(public, "listen") == [["127.0.0.1:8080"]]
    assert set(locations(public)) == {"/", "/_stcore/stream", "/_stcore/upload_file/",
                                      "/static/", "/geo/"}
    for path, loc in locations(public).items():
        assert user_header_of(loc) == ['""'], path
    assert "auth_basic" not in conf and "limit_req" not in conf


def test_every_location_sets_all_its_headers_itself() -> None:
    # A location with any proxy_set_header inherits none from the server block, so each
    # one must drop or set the identity header, upgrade the websocket and drop credentials.
    for server in servers(render(staff=STAFF)):
        assert directive(server, "proxy_set_header") == []
        for path, loc in locations(server).items():
            headers = {v[0].lower(): v[1] for v in directive(loc, "proxy_set_header")}
            assert len(user_header_of(loc)) == 1, path
            assert headers["upgrade"] == "$http_upgrade"
            assert headers["connection"] == "$connection_upgrade"
            assert headers["authorization"] == '""'
            assert headers["host"] == "$http_host"  # Streamlit's same-origin websocket check
            assert directive(loc, "proxy_http_version") == [["1.1"]]
            upstream = "cakupan_uploads" if path == ngx.UPLOAD_PREFIX else "cakupan_app"
            assert directive(loc, "proxy_pass") == [[f"http://{upstream}"]], path
            assert directive(loc, "proxy_read_timeout")


def test_the_staff_entrance_checks_then_passes_the_checked_name() -> None:
    conf = render(staff=STAFF)
    public, staff = servers(conf)
    assert directive(staff, "listen") == [["127.0.0.1:8502"]]
    assert directive(staff, "auth_basic") == [['"Cakupan staf"']]
    assert directive(staff, "auth_basic_user_file") == [[str(HTPASSWD)]]
    assert directive(staff, "limit_req_status") == [["429"]]
    locs = locations(staff)
    for path in ("/", "/_stcore/stream", "/_stcore/upload_file/"):
        assert user_header_of(locs[path]) == ["$remote_user"], path
        assert directive(locs[path], "limit_req") == [["zone=cakupan_staff", "burst=20",
                                                       "nodelay"]]
        assert directive(locs[path], "auth_basic") == []  # the server's, not switched off
    # The bundle: no password, no limit, and no name (auth is off, $remote_user unchecked).
    for path in ("/static/", "/geo/"):
        assert directive(locs[path], "auth_basic") == [["off"]], path
        assert user_header_of(locs[path]) == ['""'], path
        assert directive(locs[path], "limit_req") == [], path
    (_, http), = find(parse(conf), "http")
    assert directive(http, "limit_req_zone") == [["$binary_remote_addr",
                                                  "zone=cakupan_staff:10m", "rate=10r/m"]]
    assert all(user_header_of(loc) == ['""'] for loc in locations(public).values())


def test_streams_are_upgraded_and_wait_longer_than_plain_requests() -> None:
    (public,) = servers(render(read_timeout="90s", stream_timeout="600s"))
    locs = locations(public)
    assert directive(locs["/"], "proxy_read_timeout") == [["90s"]]
    assert directive(locs["/_stcore/stream"], "proxy_read_timeout") == [["600s"]]
    (_, http), = find(parse(render()), "http")
    mapping = next(c for w, c in find(http, "map") if w[1] == "$http_upgrade")
    assert [w for w, _ in mapping] == [["default", "upgrade"], ["''", "close"]]


def test_every_file_nginx_writes_is_inside_the_run_folder() -> None:
    tree = parse(render(staff=STAFF))
    (_, http), = find(tree, "http")
    paths = [directive(tree, "pid")[0][0], directive(tree, "error_log")[0][0],
             directive(http, "access_log")[0][0]]
    paths += [directive(http, f"{kind}_temp_path")[0][0]
              for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")]
    paths += [directive(http, "proxy_cache_path")[0][0]]
    assert all(p.startswith(f"{RUN}/") for p in paths), paths
    assert directive(tree, "user") == []  # unprivileged by default


def test_replicas_are_a_list_and_root_may_name_the_workers_user() -> None:
    conf = render(replicas=["127.0.0.1:8501", "127.0.0.1:8511", "[::1]:8521"],
                  worker_user="www-data")
    (_, http), = find(parse(conf), "http")
    (_, upstream), _uploads = find(http, "upstream")
    assert [w[0] for w in directive(upstream, "server")] == [
        "127.0.0.1:8501", "127.0.0.1:8511", "[::1]:8521"]
    assert directive(parse(conf), "user") == [["www-data"]]
    assert directive(http, "client_max_body_size") == [[ngx.NO_BODY_MAX]]


@pytest.mark.parametrize(("kw", "needle"), [
    ({"run_dir": Path("/srv/x; include /etc/passwd")}, "run_dir"),
    ({"run_dir": Path("relative/run")}, "run_dir"),
    ({"run_dir": Path("/srv/$host")}, "run_dir"),
    ({"listen": "8080; server_name x"}, "listen"),
    ({"listen": "70000"}, "listen"),
    ({"replicas": ["8501"]}, "replica"),
    ({"replicas": "127.0.0.1:8501"}, "replicas"),
    ({"replicas": []}, "replicas"),
    ({"user_header": "X_Cakupan_User"}, "user_header"),
    ({"client_max_body_size": "1g"}, "client_max_body_size"),
    ({"worker_user": "root; daemon on"}, "worker_user"),
    ({"staff": hosting.StaffEntrance("127.0.0.1:8080", HTPASSWD)}, "port of its own"),
    ({"staff": hosting.StaffEntrance("8502", Path("/etc/pass word"))}, "htpasswd"),
    ({"staff": hosting.StaffEntrance("8502", HTPASSWD, realm='x" ; allow all')}, "realm"),
    ({"staff": hosting.StaffEntrance("8502", HTPASSWD, rate_per_minute=0)}, "rate"),
    ({"staff": hosting.StaffEntrance("8502", HTPASSWD, burst=-1)}, "burst"),
    ({"tls": hosting.Tls(Path("fullchain.pem"), TLS.key)}, "tls cert"),
    ({"tls": hosting.Tls(TLS.cert, Path("/etc/key.pem; ssl off"))}, "tls key"),
])
def test_values_that_would_change_the_configuration_are_refused(kw: dict, needle: str) -> None:
    with pytest.raises(ValueError, match=needle):
        render(**kw)


def test_the_templates_are_fully_used_and_fully_filled() -> None:
    for conf in (render(staff=STAFF, worker_user="www-data"), render(staff=STAFF, tls=TLS)):
        assert "{{" not in conf and "}}" not in conf
    for name in ("nginx.conf.template", "server.template", "location.template"):
        text = ngx.template_text(name)
        names = set(re.findall(r"\{\{\s*([a-z_]+)\s*\}\}", text))
        assert names == set(ngx._Template(text).get_identifiers()), name
        assert names, name
    assert isinstance(ngx._Template("x"), string.Template)


def test_streamlits_setting_maps_the_header_to_the_email_key() -> None:
    assert hosting.trusted_user_headers() == {"X-Cakupan-User": "email"}
    assert json.loads(hosting.trusted_user_headers_json()) == {"X-Cakupan-User": "email"}
    with pytest.raises(ValueError):
        hosting.trusted_user_headers("X Cakupan")


@pytest.mark.parametrize("with_tls", [False, True], ids=["http", "tls"])
def test_nginx_accepts_the_rendered_configuration(tmp_path: Path, with_tls: bool) -> None:
    tools = require_tools()
    htpasswd = tmp_path / "htpasswd"
    htpasswd.write_text("kacab.ambon@example.org:$2y$05$" + "a" * 53 + "\n", encoding="ascii")
    # nginx -t loads the certificate and key: a real (throwaway) pair, not just paths.
    conf = hosting.render_nginx_conf(
        run_dir=tmp_path, listen="127.0.0.1:8080", staff=hosting.StaffEntrance(
            "127.0.0.1:8502", htpasswd), replicas=["127.0.0.1:8501", "127.0.0.1:8511"],
        tls=self_signed(tmp_path / "tls") if with_tls else None)
    hosting.prepare_run_dir(tmp_path, conf)
    assert "test is successful" in hosting.check_config(tmp_path, nginx=tools.nginx)
    assert (tmp_path / "tmp" / "proxy").is_dir() and (tmp_path / "logs").is_dir()


def test_sessions_stick_to_a_replica_by_a_cookie_nginx_sets_not_by_address() -> None:
    conf = render(replicas=["127.0.0.1:8501", "127.0.0.1:8502"], max_fails=2,
                  fail_timeout="7s")
    (_, http), = find(parse(conf), "http")
    (_, upstream), _uploads = find(http, "upstream")
    assert directive(upstream, "hash") == [["$cakupan_route", "consistent"]]
    assert directive(upstream, "ip_hash") == []
    assert directive(upstream, "server") == [
        ["127.0.0.1:8501", "max_fails=2", "fail_timeout=7s"],
        ["127.0.0.1:8502", "max_fails=2", "fail_timeout=7s"]]
    maps = {w[2]: c for w, c in find(http, "map")}
    # The route is the visitor's cookie, or this request's id on a first visit...
    assert [w for w, _ in maps["$cakupan_route"]] == [
        ["default", f"$cookie_{ngx.STICKY_COOKIE}"], ["''", "$request_id"]]
    # ...and only a first visit is sent the cookie (an empty value adds no header).
    assert [w[0] for w, _ in maps["$cakupan_route_cookie"]] == ["default", "''"]
    for server in servers(render(staff=STAFF)):
        for path, loc in locations(server).items():
            assert ["Set-Cookie", "$cakupan_route_cookie"] in directive(loc, "add_header"), path


def test_text_is_compressed_and_the_bundle_is_cached_for_a_year() -> None:
    (_, http), = find(parse(render(brotli=True, gzip_level=6)), "http")
    assert directive(http, "gzip") == [["on"]]
    assert directive(http, "gzip_comp_level") == [["6"]]
    assert {"application/javascript", "text/css", "application/json"} <= set(
        directive(http, "gzip_types")[0])
    assert directive(http, "brotli") == [["on"]]
    tree = parse(render(brotli=True))
    assert directive(tree, "load_module") == [[str(ngx.BROTLI_MODULE)]]
    assert directive(parse(render(brotli=False)), "load_module") == []
    assert "brotli" not in render(brotli=False).replace("# (no brotli module", "")
    assert "application/geo+json" in directive(http, "gzip_types")[0]  # the /geo/ files
    for server in servers(render(staff=STAFF)):
        for kept in ("/static/", "/geo/"):
            static = locations(server)[kept]
            assert ["Cache-Control", f'"{ngx.IMMUTABLE}"'] in directive(static, "add_header")
            assert directive(static, "proxy_cache") == [[ngx.STATIC_ZONE]]
            # nginx compresses (brotli where it can): the replica is asked for plain bytes.
            assert ["Accept-Encoding", '""'] in directive(static, "proxy_set_header")
        # Only the content-hashed bundle: pages and the websocket are never cached.
        for path in ("/", "/_stcore/stream"):
            assert directive(locations(server)[path], "proxy_cache") == []
            assert "immutable" not in str(directive(locations(server)[path], "add_header"))


def test_only_uploads_may_carry_a_body_and_never_mark_a_replica_down() -> None:
    """A refused upload reaches nginx as a reset while it still sends the body; counted as
    a failure, a few bogus PUTs took every replica out of rotation (502 for everyone). Uploads
    go through an upstream of their own, same servers and ring, that never marks one down;
    everywhere else a body is refused by nginx (no request of the app has one)."""
    conf = render(staff=STAFF, replicas=["127.0.0.1:8501", "127.0.0.1:8502"],
                  client_max_body_size="41m")
    (_, http), = find(parse(conf), "http")
    assert directive(http, "client_max_body_size") == [["16k"]]
    upstreams = {w[1]: c for w, c in find(http, "upstream")}
    assert set(upstreams) == {"cakupan_app", "cakupan_uploads"}
    main, uploads = upstreams["cakupan_app"], upstreams["cakupan_uploads"]
    assert directive(uploads, "hash") == directive(main, "hash")
    assert [s[0] for s in directive(uploads, "server")] == [
        s[0] for s in directive(main, "server")]
    assert all(s[1:] == ["max_fails=0"] for s in directive(uploads, "server"))
    for server in servers(conf):
        for path, loc in locations(server).items():
            body = directive(loc, "client_max_body_size")
            assert body == ([["41m"]] if path == ngx.UPLOAD_PREFIX else []), path


def test_the_body_limit_and_the_new_values_are_checked() -> None:
    (public,) = servers(render(client_max_body_size="26m"))
    assert directive(locations(public)[ngx.UPLOAD_PREFIX], "client_max_body_size") == [
        ["26m"]]
    for bad in ({"gzip_level": 0}, {"gzip_level": 10}, {"max_fails": 0},
                {"fail_timeout": "10 s"}, {"static_cache_size": "1g;"}):
        with pytest.raises(ValueError):
            render(**bad)


def test_with_a_certificate_every_entrance_speaks_tls_and_http2() -> None:
    conf = render(staff=STAFF, tls=TLS)
    public, staff = servers(conf)
    assert directive(public, "listen") == [["127.0.0.1:8080", "ssl", "http2"]]
    assert directive(staff, "listen") == [["127.0.0.1:8502", "ssl", "http2"]]
    for server in (public, staff):
        assert directive(server, "ssl_certificate") == [[str(TLS.cert)]]
        assert directive(server, "ssl_certificate_key") == [[str(TLS.key)]]
        assert directive(server, "http2") == []  # "http2 on;" is nginx 1.25; Debian has 1.22
    (_, http), = find(parse(conf), "http")
    assert directive(http, "ssl_protocols") == [["TLSv1.2", "TLSv1.3"]]
    assert directive(http, "ssl_session_cache") == [["shared:cakupan_tls:10m"]]
    assert directive(http, "ssl_session_timeout") == [["1d"]]
    # No HSTS by default: an operator may try a self-signed certificate first.
    assert "strict-transport-security" not in conf.lower().replace(
        "no strict-transport-security header", "")
    # The staff entrance still checks the password, now over TLS.
    assert directive(staff, "auth_basic") == [['"Cakupan staf"']]
    maps = {w[2]: c for w, c in find(http, "map")}
    (first_visit,) = [w[1] for w, _ in maps["$cakupan_route_cookie"] if w[0] == "''"]
    assert first_visit.strip('"').endswith("; HttpOnly; SameSite=Lax; Secure")


def test_without_a_certificate_nothing_of_tls_is_written() -> None:
    conf = render(staff=STAFF)
    assert conf == render(staff=STAFF, tls=None)
    assert "ssl" not in conf and "http2" not in conf and "Secure" not in conf
    for server in servers(conf):
        assert all(len(v) == 1 for v in directive(server, "listen"))
