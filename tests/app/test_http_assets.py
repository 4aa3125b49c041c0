"""What the bare server adds (ui/http_assets.py): the /geo/ route and /static/ compression.

Driven through Starlette's test client over small apps, so each header and each bound is
checked without a browser; tests/browser/test_served_topology.py checks nginx's side.
"""

from __future__ import annotations

import gzip
import re

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import Response
from starlette.routing import Route
from starlette.testclient import TestClient

from cakupan.core.errors import GeoUnavailable
from cakupan.geo.assets import Asset
from ui import http_assets

pytestmark = pytest.mark.app

BODY = b"function f(){return 1}\n" * 400  # 9 KB of script
ASSET = Asset("81.0123456789abcdef.json", b'{"type":"FeatureCollection"}' * 50,
              gzip.compress(b'{"type":"FeatureCollection"}' * 50))


@pytest.fixture
def geo_client(monkeypatch: pytest.MonkeyPatch) -> TestClient:
    def asset(name: str) -> Asset | None:
        if name == "broken.0123456789abcdef.json":
            raise GeoUnavailable("no boundary files")
        return ASSET if name == ASSET.name else None

    monkeypatch.setattr(http_assets.geo, "asset", asset)
    monkeypatch.setattr(http_assets, "_serving", False)
    return TestClient(Starlette(routes=http_assets.routes("")))


def test_a_geo_file_is_sent_compressed_and_kept_for_a_year(geo_client) -> None:
    got = geo_client.get(f"/geo/{ASSET.name}", headers={"Accept-Encoding": "gzip"})
    assert got.status_code == 200
    assert got.headers["content-encoding"] == "gzip"
    assert got.headers["cache-control"] == http_assets.IMMUTABLE
    assert got.headers["content-type"].startswith("application/geo+json")
    assert int(got.headers["content-length"]) == len(ASSET.gzipped)
    assert got.content == ASSET.raw  # the client decoded it
    plain = geo_client.get(f"/geo/{ASSET.name}", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.content == ASSET.raw
    again = geo_client.get(f"/geo/{ASSET.name}", headers={"If-None-Match": ASSET.etag})
    assert again.status_code == 304 and again.content == b""
    assert http_assets.serving()  # mounting the route is what makes figures use it


@pytest.mark.parametrize("name", ["81.ffffffffffffffff.json", "broken.0123456789abcdef.json",
                                  "nothing"])
def test_any_other_name_is_a_404_that_is_not_kept(geo_client, name: str) -> None:
    got = geo_client.get(f"/geo/{name}")
    assert got.status_code == 404 and got.headers["cache-control"] == "no-store"
    assert b"Traceback" not in got.content and b"boundary" not in got.content


def test_the_geo_url_follows_the_base_path_and_only_when_served(monkeypatch) -> None:
    monkeypatch.setattr(http_assets.geo, "asset_name", lambda view: f"{view}.abc.json")
    monkeypatch.setattr(http_assets, "_serving", False)
    assert http_assets.geo_url("", "81") is None  # router.py alone: the figure carries it
    monkeypatch.setattr(http_assets, "_serving", True)
    assert http_assets.geo_url("", "81") == "/geo/81.abc.json"
    assert http_assets.geo_url("/cakupan/", "81") == "/cakupan/geo/81.abc.json"
    assert [r.path for r in http_assets.routes("cakupan")] == ["/cakupan/geo/{name}"]


def static_client(max_bytes: int = http_assets.CACHE_MAX_BYTES, calls: list | None = None):
    """A stand-in for Streamlit's /static/ files behind the middleware."""
    def file(request) -> Response:
        name = request.path_params["name"]
        if calls is not None:
            calls.append(name)
        if name == "missing.js":
            return Response(b"no", status_code=404)
        kind = {"woff2": "font/woff2", "css": "text/css"}.get(name.rsplit(".", 1)[-1],
                                                              "application/javascript")
        body = b"tiny" if name.startswith("tiny") else BODY + name.encode()
        return Response(body, media_type=kind, headers={"ETag": '"raw"'})

    app = Starlette(routes=[Route("/static/{kind}/{name}", file),
                            Route("/static/{name}", file)],
                    middleware=[Middleware(http_assets.StaticCompression,
                                           max_bytes=max_bytes)])
    return TestClient(app)


def test_hashed_front_end_files_are_gzipped_once_and_marked_immutable(monkeypatch) -> None:
    made: list[int] = []
    real = gzip.compress
    monkeypatch.setattr(http_assets.gzip, "compress",
                        lambda data, *a, **k: made.append(len(data)) or real(data, *a, **k))
    calls: list[str] = []
    client = static_client(calls=calls)
    for _ in range(3):
        got = client.get("/static/js/index.Bx3k1.js", headers={"Accept-Encoding": "gzip, br"})
        assert got.status_code == 200 and got.content == BODY + b"index.Bx3k1.js"
        assert got.headers["content-encoding"] == "gzip"
        assert got.headers["cache-control"] == http_assets.IMMUTABLE
        assert got.headers["vary"] == "Accept-Encoding"
        assert "etag" not in got.headers  # the raw file's tag would name other bytes
    assert made == [len(BODY) + len(b"index.Bx3k1.js")]  # compressed once, then kept
    assert calls == ["index.Bx3k1.js"]  # and answered from memory: the file read once


def test_what_is_not_compressed_passes_through_with_its_own_headers() -> None:
    client = static_client()
    gz = {"Accept-Encoding": "gzip"}
    plain = client.get("/static/js/index.Bx3k1.js", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers  # nginx asks this way: it compresses
    assert plain.headers["cache-control"] == http_assets.IMMUTABLE
    font = client.get("/static/media/font.Ab12.woff2", headers=gz)
    assert "content-encoding" not in font.headers and font.headers["etag"] == '"raw"'
    tiny = client.get("/static/js/tiny.js", headers=gz)
    assert "content-encoding" not in tiny.headers and tiny.content == b"tiny"
    missing = client.get("/static/js/missing.js", headers=gz)
    assert missing.status_code == 404 and "cache-control" not in missing.headers
    manifest = client.get("/static/manifest.json", headers=gz)  # not content-hashed
    assert manifest.headers["content-encoding"] == "gzip"
    assert "immutable" not in manifest.headers.get("cache-control", "")


def test_the_kept_files_stay_within_their_declared_bound() -> None:
    one = len(gzip.compress(BODY + b"a.js", 6))
    client = static_client(max_bytes=2 * one + 10)
    for name in ("a.js", "b.js", "c.js"):
        client.get(f"/static/js/{name}", headers={"Accept-Encoding": "gzip"})
    middleware = client.app.middleware_stack  # built by the first request
    while not isinstance(middleware, http_assets.StaticCompression):
        middleware = middleware.app
    assert list(middleware._kept) == ["/static/js/b.js", "/static/js/c.js"]  # oldest out
    assert middleware._kept_bytes <= middleware.max_bytes


HTML = b"<html><head><title>x</title></head><body></body></html>"
TAGS = b'<link rel="modulepreload" href="./static/js/PlotlyChart.X.js" />'
LIGHT = b'<link rel="modulepreload" href="./static/js/BidiComponent.X.js" />'


def page_client(tags: bytes = TAGS) -> TestClient:
    def page(request) -> Response:
        name = request.path_params.get("name", "")
        if name == "data.json":
            return Response(b'{"a": "</head>"}', media_type="application/json")
        if name == "gone":
            return Response(HTML, status_code=404, media_type="text/html")
        if name == "zipped":
            return Response(gzip.compress(HTML), media_type="text/html",
                            headers={"Content-Encoding": "gzip", "ETag": '"raw"'})
        return Response(HTML, media_type="text/html", headers={"ETag": '"raw"'})

    app = Starlette(routes=[Route("/", page), Route("/{name}", page)],
                    middleware=[Middleware(http_assets.PagePreload, tags=tags,
                                           light_tags=LIGHT)])
    return TestClient(app)


@pytest.fixture(autouse=True)
def no_geo_route(monkeypatch: pytest.MonkeyPatch) -> None:
    """By default no /geo/ route is mounted (as under AppTest); tests that need one say so."""
    monkeypatch.setattr(http_assets, "_serving", False)


@pytest.mark.parametrize("path", ["/", "/zipped"])
def test_the_page_names_the_plotly_chunk_up_front(path: str) -> None:
    got = page_client().get(path)
    assert got.status_code == 200
    assert got.content == HTML.replace(b"</head>", TAGS + b"</head>")
    assert "etag" not in got.headers  # it named the bytes before the tags went in
    if path == "/zipped":
        assert got.headers["content-encoding"] == "gzip"
        assert int(got.headers["content-length"]) < len(got.content)


def test_only_html_pages_are_touched() -> None:
    client = page_client()
    assert client.get("/data.json").content == b'{"a": "</head>"}'
    assert client.get("/gone").content == HTML  # a 404 page as it was
    assert page_client(tags=b"").get("/").content == HTML  # nothing found to preload


def test_the_preloaded_files_are_this_streamlits_own() -> None:
    """The names are looked up in the installed front end (a new release renames them)."""
    from pathlib import Path

    import streamlit

    tags = http_assets.preload_tags().decode()
    assert 'rel="modulepreload" href="./static/js/PlotlyChart.' in tags
    light = http_assets.preload_tags(http_assets.LIGHT_MODULES).decode()
    assert 'rel="modulepreload" href="./static/js/BidiComponent.' in light
    assert "PlotlyChart" not in light
    tags += light
    root = Path(streamlit.__file__).parent / "static"
    for href in re.findall(r'href="\./([^"]+)"', tags):
        assert (root / href).is_file(), href


@pytest.mark.parametrize(("link", "view"), [
    ("/?region=81", "81"), ("/peta?region=81.03&segment=all", "81"), ("/peta", "national"),
    ("/?segment=all", "81"), ("/", "81"), ("/?region=74", "74"), ("/tren?region=81", None),
    ("/?mode=briefing", None),
    ("/peta?region=81%3Cscript%3E", None)])
def test_a_map_link_preloads_its_views_boundary_file(monkeypatch, link: str,
                                                     view: str | None) -> None:
    monkeypatch.setattr(http_assets, "_serving", True)
    monkeypatch.setattr(http_assets.geo, "asset_name", lambda v: f"{v}.0123456789abcdef.json")
    html = page_client().get(link).content
    geo_tags = re.findall(rb'<link rel="preload" href="([^"]+)" as="fetch" '
                          rb'crossorigin="anonymous" />', html)
    assert geo_tags == ([f"/geo/{view}.0123456789abcdef.json".encode()] if view else [])
    # The plotly chunk is named on every page but the map page by status or coverage, whose
    # map is the SVG renderer: that page names the component chunk instead.
    svg_only = link.startswith("/peta")
    assert (TAGS in html, LIGHT in html) == (not svg_only, svg_only)


@pytest.mark.parametrize(("link", "svg_only"), [
    ("/peta", True), ("/peta?metric=status", True), ("/peta?region=81&metric=coverage", True),
    ("/peta?metric=gap", False), ("/peta?metric=share_size", False),
    ("/peta?region=81.03&level=desa", False), ("/tren", False), ("/", False)])
def test_only_a_map_page_drawn_as_svg_skips_the_plotly_chunk(link: str, svg_only: bool) -> None:
    html = page_client().get(link).content
    assert (LIGHT in html, TAGS in html) == (svg_only, not svg_only)


def test_no_boundary_file_is_preloaded_when_it_cannot_be_had(monkeypatch) -> None:
    def unavailable(view: str) -> str:
        raise GeoUnavailable("no boundary files")

    monkeypatch.setattr(http_assets, "_serving", True)
    monkeypatch.setattr(http_assets.geo, "asset_name", unavailable)
    got = page_client().get("/peta?region=81")
    assert got.status_code == 200 and b'as="fetch"' not in got.content
