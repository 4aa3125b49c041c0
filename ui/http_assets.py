"""What the app's own server adds when it runs bare (``streamlit run app.py``, no nginx).

Two pieces for ``st.App`` (Starlette underneath, see ``app.py``):

- :func:`routes`: ``/geo/<view>.<digest>.json``, a view's boundaries as a content-named file
  (:mod:`cakupan.geo.assets`) that plotly.js fetches once and the browser keeps for a year, so
  a rerun or a month step sends only the values.
- :class:`StaticCompression`: Streamlit 1.67 sends its front end (``/static/``, ~10 MB for a
  map page) uncompressed and without ``Cache-Control``. This middleware gzips each file once
  per process (kept in memory, bounded) and marks the content-hashed ones ``immutable``.
- :class:`PagePreload`: the page's HTML names the plotly chunk and the icon font up front,
  so they load with the page instead of after the first script run (both modes: nginx
  passes the replicas' HTML on).

Through the production topology nginx does both itself (brotli or gzip, its own cache; it
asks the replicas for uncompressed bytes with ``Accept-Encoding: ""``), so a replica behind
nginx compresses nothing twice.
"""

from __future__ import annotations

import gzip
import logging
import re
from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import parse_qs

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cakupan import geo
from cakupan.core.errors import CakupanError

log = logging.getLogger("cakupan.app")

#: A year, never revalidated: only for names that change when their content does.
IMMUTABLE = "public, max-age=31536000, immutable"
GEO_PREFIX = "/geo/"
#: Streamlit's front-end folders whose file names carry a content hash (``index.Bx3k1.js``).
HASHED_DIRS = ("static/js/", "static/css/", "static/media/")
#: Worth compressing; fonts (woff2) and images are compressed already.
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml",
                "application/wasm")
#: Declared bound of the compressed files kept in memory (the whole 1.67 front end gzips to
#: about 7 MB; a page needs 2–4 MB of it).
CACHE_MAX_BYTES = 32 * 1024 * 1024
MIN_BYTES = 1024


def _base(base_url_path: str) -> str:
    base = base_url_path.strip("/")
    return f"/{base}" if base else ""


#: Set by :func:`routes`: whether this process serves ``/geo/`` (``streamlit run app.py``).
#: ``streamlit run router.py`` and ``AppTest`` do not, and their figures keep the geometry.
_serving = False


def serving() -> bool:
    return _serving


def geo_url(base_url_path: str, view: str) -> str | None:
    """The URL a figure names for ``view``'s boundaries (same origin, under the base path),
    or ``None`` when this process does not serve them (the figure then carries them)."""
    if not _serving:
        return None
    return f"{_base(base_url_path)}{GEO_PREFIX}{geo.asset_name(view)}"


def village_geo_url(base_url_path: str, layer: str, regency: str) -> str | None:
    """The URL of a regency's village (``"kel"``) or district (``"kec"``) boundary file, or
    ``None`` when this process does not serve ``/geo/``."""
    if not _serving:
        return None
    return f"{_base(base_url_path)}{GEO_PREFIX}{geo.assets.village_asset(layer, regency).name}"


def _accepts_gzip(headers: Iterable[tuple[bytes, bytes]]) -> bool:
    for key, value in headers:
        if key.lower() == b"accept-encoding":
            return b"gzip" in value.lower()
    return False


async def geo_file(request: Request) -> Response:
    """One view's boundary file, gzipped when the browser takes it; 404 for any other name."""
    name = request.path_params["name"]
    try:
        found = await run_in_threadpool(geo.asset, name)
    except CakupanError as err:  # boundaries cannot be had: the map says so on the page
        log.warning("geo file %s unavailable: %s", name, err)
        found = None
    if found is None:
        return PlainTextResponse("not found", status_code=404,
                                 headers={"Cache-Control": "no-store"})
    headers = {"Cache-Control": IMMUTABLE, "ETag": found.etag, "Vary": "Accept-Encoding"}
    if request.headers.get("if-none-match") == found.etag:
        return Response(status_code=304, headers=headers)
    if "gzip" in request.headers.get("accept-encoding", "").lower():
        headers["Content-Encoding"] = "gzip"
        return Response(found.gzipped, media_type=geo.assets.MEDIA_TYPE, headers=headers)
    return Response(found.raw, media_type=geo.assets.MEDIA_TYPE, headers=headers)


def routes(base_url_path: str = "") -> list[Route]:
    """The app's own routes for ``st.App(routes=...)``."""
    global _serving
    _serving = True
    return [Route(f"{_base(base_url_path)}{GEO_PREFIX}{{name}}", geo_file,
                  methods=["GET", "HEAD"])]


class StaticCompression:
    """ASGI middleware: gzip Streamlit's ``/static/`` files once, and cache hashed ones.

    Compression happens once per file and process (in a worker thread, not on the event
    loop); the result is kept in a bounded LRU (:data:`CACHE_MAX_BYTES`) and answered from
    there without asking Streamlit for the file again. A request without
    ``Accept-Encoding: gzip`` (nginx asks that way) gets the bytes untouched, only with the
    cache header. Anything not a 200 passes through unchanged.
    """

    def __init__(self, app: ASGIApp, base_url_path: str = "",
                 max_bytes: int = CACHE_MAX_BYTES) -> None:
        self.app = app
        self.prefix = f"{_base(base_url_path)}/static/"
        self.hashed = tuple(f"{_base(base_url_path)}/{d}" for d in HASHED_DIRS)
        self.max_bytes = max_bytes
        self._kept: OrderedDict[str, tuple[Message, bytes]] = OrderedDict()
        self._kept_bytes = 0

    def _remember(self, path: str, start: Message, body: bytes) -> None:
        """Keep the compressed file with the inner answer's start (its type, its dates)."""
        if len(body) > self.max_bytes or path in self._kept:
            return
        self._kept[path] = (start, body)
        self._kept_bytes += len(body)
        while self._kept_bytes > self.max_bytes:
            _, (_, old) = self._kept.popitem(last=False)
            self._kept_bytes -= len(old)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or scope.get("method") not in ("GET", "HEAD") \
                or not path.startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        immutable = path.startswith(self.hashed)
        if scope["method"] == "HEAD" or not _accepts_gzip(scope.get("headers", [])):
            await self.app(scope, receive, _with_headers(send, immutable, None))
            return
        kept = self._kept.get(path)
        if kept is not None:  # answered from memory: no file read, no compression
            self._kept.move_to_end(path)
            start, body = kept
            await _with_headers(send, immutable, body)(start)
            await send({"type": "http.response.body", "body": body})
            return
        await self._compressed(scope, receive, send, immutable)

    async def _compressed(self, scope: Scope, receive: Receive, send: Send,
                          immutable: bool) -> None:
        start: Message | None = None
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                if not _worth_compressing(message):
                    start = None
                    await _with_headers(send, immutable, None)(message)
                return
            if start is None:  # passing through (not compressible, or not a 200)
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = await run_in_threadpool(gzip.compress, b"".join(chunks), 6, mtime=0)
            self._remember(scope["path"], start, body)
            await _with_headers(send, immutable, body)(start)
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, capture)


def _worth_compressing(start: Message) -> bool:
    if start.get("status") != 200:
        return False
    headers = {k.lower(): v for k, v in start.get("headers", [])}
    if b"content-encoding" in headers:
        return False
    size = headers.get(b"content-length")
    if size is not None and int(size) < MIN_BYTES:
        return False
    kind = headers.get(b"content-type", b"").decode("latin-1").lower()
    return kind.startswith(COMPRESSIBLE)


def _with_headers(send: Send, immutable: bool, body: bytes | None) -> Callable:
    """A ``send`` that adds the cache header (and, for a compressed body, its encoding)."""
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start" and message.get("status") == 200:
            headers = [(k, v) for k, v in message.get("headers", [])
                       if body is None or k.lower() not in (b"content-length", b"etag")]
            if immutable:
                headers = [(k, v) for k, v in headers if k.lower() != b"cache-control"]
                headers.append((b"cache-control", IMMUTABLE.encode()))
            if body is not None:
                headers += [(b"content-encoding", b"gzip"), (b"vary", b"Accept-Encoding"),
                            (b"content-length", str(len(body)).encode())]
            message = {**message, "headers": headers}
        await send(message)
    return wrapped


def _front_end_files(patterns: Iterable[str]) -> list[str]:
    """``static/...`` paths of this Streamlit's front-end files matching ``patterns``
    (content-hashed names differ per release, so they are looked up, never written down)."""
    import streamlit

    root = Path(streamlit.__file__).parent / "static"
    found = []
    for pattern in patterns:
        matches = sorted(root.glob(pattern))
        if len(matches) == 1:  # none or several: this release differs, preload nothing
            found.append(matches[0].relative_to(root).as_posix())
    return found


#: What every page needs soon but Streamlit only asks for once the first script run's
#: elements arrive (measured on a 5 Mbit/s, 100 ms link: the plotly chunk, 1.4 MB gzipped,
#: started 3.3 s after the page; the icon font 2.3 s after): asked for with the page instead.
PRELOAD_MODULES = ("static/js/PlotlyChart.*.js",)
#: What the map page needs instead when its map is the SVG renderer (``ui/svg_map.py``:
#: status and coverage, the page's default): Streamlit's component chunk (15 KB), and no
#: plotly chunk, which would take 1.3 MB of a slow link for nothing.
LIGHT_MODULES = ("static/js/BidiComponent.*.js",)
PRELOAD_FONTS = ("static/media/MaterialSymbols-Rounded.*.woff2",)
#: The map page's metrics drawn by the SVG renderer (others are plotly figures).
SVG_METRICS = ("", "status", "coverage")


def preload_tags(modules: Iterable[str] = PRELOAD_MODULES) -> bytes:
    tags = [f'<link rel="modulepreload" href="./{path}" />'
            for path in _front_end_files(modules)]
    tags += [f'<link rel="preload" href="./{path}" as="font" type="font/woff2" crossorigin />'
             for path in _front_end_files(PRELOAD_FONTS)]
    return "".join(tags).encode()


#: Pages that open on a map, by path under the base (CONTRACTS.md: ``/`` and ``/peta``), and
#: the view each opens on without a region in the link: the pages' own defaults
#: (``pages/ringkasan.py``: Maluku; ``pages/peta.py``: Indonesia).
MAP_PAGES = {"": "81", "/": "81", "/peta": "national"}
_REGION = re.compile(r"^[0-9]{2}(?:\.[0-9]{2})?$")


def map_view_of(path: str, query: str) -> str | None:
    """The boundary view a link opens its map on (the overview's and the map page's rule:
    the region's province, else Indonesia), or ``None`` for a page without a map."""
    if path not in MAP_PAGES:
        return None
    params = parse_qs(query)
    if params.get("mode", [""])[0] == "briefing":
        return None
    region = params.get("region", [""])[0]
    if not region:
        return MAP_PAGES[path]
    return region[:2] if _REGION.match(region) else None


def draws_only_svg(path: str, query: str) -> bool:
    """Whether a link opens the map page on a view drawn by the SVG renderer alone (no
    plotly figure on the page): ``/peta`` by status or coverage, regencies not villages."""
    if path != "/peta":
        return False
    params = parse_qs(query)
    return (params.get("metric", [""])[0] in SVG_METRICS
            and params.get("level", [""])[0] != "desa")


def _geo_tag(base_url_path: str, view: str) -> bytes:
    try:
        url = geo_url(base_url_path, view)
    except CakupanError:  # not a province, or no boundaries: the page says so itself
        return b""
    if url is None:
        return b""
    # as=fetch with crossorigin: the same request as plotly.js's fetch() of the URL, so the
    # browser reuses the preloaded answer instead of asking twice.
    return f'<link rel="preload" href="{url}" as="fetch" crossorigin="anonymous" />'.encode()


class PagePreload:
    """ASGI middleware: the page's HTML (Streamlit's ``index.html``, the same for every page)
    gets ``<link rel=preload>`` tags for :data:`PRELOAD_MODULES` and :data:`PRELOAD_FONTS`,
    and for a map page its view's boundary file, so the browser fetches them while the
    websocket and the first script run get going (the file would otherwise be asked for only
    after plotly.js has started, seconds later on a slow phone).
    Anything that is not a 200 ``text/html`` answer passes through untouched."""

    def __init__(self, app: ASGIApp, tags: bytes | None = None,
                 base_url_path: str = "", light_tags: bytes | None = None) -> None:
        self.app = app
        self.tags = preload_tags() if tags is None else tags
        self.light_tags = preload_tags(LIGHT_MODULES) if light_tags is None else light_tags
        self.base = _base(base_url_path)

    async def _tags_for(self, scope: Scope) -> bytes:
        path = scope.get("path", "")
        if self.base and path.startswith(self.base):
            path = path[len(self.base):]
        query = scope.get("query_string", b"").decode("latin-1")
        tags = self.light_tags if draws_only_svg(path, query) else self.tags
        view = map_view_of(path, query)
        if view is None:
            return tags
        return tags + await run_in_threadpool(_geo_tag, self.base, view)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "GET" or not self.tags:
            await self.app(scope, receive, send)
            return
        tags = await self._tags_for(scope)
        start: Message | None = None
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = {k.lower(): v for k, v in message.get("headers", [])}
                if message.get("status") == 200 \
                        and headers.get(b"content-encoding", b"gzip") == b"gzip" \
                        and headers.get(b"content-type", b"").startswith(b"text/html"):
                    start = message
                    return
                await send(message)
                return
            if start is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = b"".join(chunks)
            zipped = any(k.lower() == b"content-encoding" for k, _ in start.get("headers", []))
            if zipped:  # Streamlit gzips the HTML of a page path (not of "/"): ~5 KB, cheap
                body = gzip.decompress(body)
            body = body.replace(b"</head>", tags + b"</head>", 1)
            if zipped:
                body = gzip.compress(body, 6, mtime=0)
            headers = [(k, v) for k, v in start.get("headers", [])
                       if k.lower() not in (b"content-length", b"etag")]
            headers.append((b"content-length", str(len(body)).encode()))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, capture)
