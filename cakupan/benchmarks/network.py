"""Issue 11, item 4: a first visit, a revisit and a month step on a regional mobile link
(``bench --network regional``), Cakupan side by side with the naive peer.

Why this exists: on a fast loopback every Streamlit app looks instant; a visitor in a regency
office sees the bytes. The link is emulated in Debian's headless Chromium with the DevTools
protocol (``Network.emulateNetworkConditions``: 100 ms latency, 5 Mbit/s down, 1 Mbit/s up),
so the figures are the browser's own, not a model of them.

In one run, one server at a time, each on a free loopback port:

* the **peer** (``../shared/bench/naive_app.py`` or ``CAKUPAN_PEER_APP``, run from its own
  folder, never copied here): bare ``streamlit run``; absent, the run says so and measures
  Cakupan only;
* **Cakupan bare**: ``streamlit run app.py`` (:func:`cakupan.benchmarks.browser.start_server`);
* **Cakupan through the topology**: ``python -m cakupan serve --replicas 1`` (nginx in front
  of one replica on SQLite) **over HTTPS**, with a self-signed certificate made for the run
  in its temporary folder (``--tls-cert/--tls-key``) that Chromium is told to trust by its
  key (``--ignore-certificate-errors-spki-list``, :func:`spki_pin`); stopped with SIGTERM to
  its process group as a service manager would. HTTPS because that is what a hosted link is,
  and browsers speak HTTP/2 (one connection instead of six queueing ~120 front-end files
  behind 100 ms round trips) and accept brotli only over it. The peer and the bare rows are
  plain HTTP/1.1, as ``streamlit run`` serves.

Each server is first warmed by an unthrottled visit to both views in a context of its own
(a hosted link is opened on a running server, after other visitors), then, for the national
map and Maluku (81), in a **fresh browser context** (empty HTTP cache):

1. **first visit**: seconds from ``page.goto`` to the map drawn, i.e. the regions drawn
   (``SHAPES``: the SVG renderer's painted paths, or a plotly map's rendered MapLibre fill
   features, the peer's) above zero and unchanged for :data:`STABLE_MS` (the time is when the
   count last changed); bytes received until the page is quiet (drawn, no script run shown, no
   network event for :data:`QUIET_S`);
2. **revisit**: the same URL again in the same context (warm HTTP cache), the same figures;
3. Cakupan's national map only, **one month step**: the month slider's thumb focused and
   ArrowLeft pressed; the websocket bytes received until the run is over (no status widget,
   no frame for :data:`QUIET_S`).

Bytes are ``Network.loadingFinished.encodedDataLength`` (on the wire: compressed body and
headers; 0 for a response served from the HTTP cache) plus the payload of every websocket
frame received (``Network.webSocketFrameReceived``; base64-decoded for binary frames). The
DevTools protocol reports websocket payloads **after** ``permessage-deflate`` decompression,
so where the handshake negotiated it the frame figures are larger than what crossed the
link; the handshake's ``Sec-WebSocket-Extensions`` is reported with the table.

Budgets (through the topology): first visit <= 8 s and >= 2x faster than the peer on both
views; revisit <= 2.5 s and >= 5x fewer bytes than the peer; one month step on the national
map <= 50 KB. The bare rows are printed for comparison (what the topology adds), not judged.

Needs Debian's Chromium, nginx and the ``playwright`` package. Not run by ``bench`` without
``--network``; it registers no budget in the registry.
"""

from __future__ import annotations

import base64
import contextlib
import json
import math
import os
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cakupan import geo, store
from cakupan.benchmarks.browser import ARGS, CHROMIUM, SHAPES, start_server
from cakupan.core import settings
from cakupan.core.errors import CakupanError
from cakupan.hosting import selfsigned

if TYPE_CHECKING:  # a development requirement, imported when the benchmark runs
    from playwright.sync_api import Browser, CDPSession, Page


# --- what is measured ---------------------------------------------------------------------
@dataclass(frozen=True)
class LinkProfile:
    """An emulated link in the units ``Network.emulateNetworkConditions`` takes (bytes/s)."""

    name: str
    latency_ms: float
    download_bytes_s: int
    upload_bytes_s: int

    def cdp_params(self) -> dict[str, Any]:
        return {"offline": False, "latency": self.latency_ms,
                "downloadThroughput": self.download_bytes_s,
                "uploadThroughput": self.upload_bytes_s}

    def describe(self) -> str:
        return (f"{self.name}: {self.latency_ms:g} ms latency, "
                f"{self.download_bytes_s * 8 / 1e6:g} Mbit/s down, "
                f"{self.upload_bytes_s * 8 / 1e6:g} Mbit/s up")


#: A regional mobile link: 100 ms, 5 Mbit/s down, 1 Mbit/s up.
REGIONAL = LinkProfile("regional", latency_ms=100, download_bytes_s=625_000,
                       upload_bytes_s=125_000)
PROFILES: dict[str, LinkProfile] = {REGIONAL.name: REGIONAL}


@dataclass(frozen=True)
class View:
    """One map view as each app spells it in its URL."""

    name: str
    cakupan_path: str
    peer_path: str


VIEWS: tuple[View, ...] = (
    View("national", "/peta?segment=all&metric=status", "/?view=national&mode=map"),
    View("maluku", "/peta?region=81&segment=all&metric=status", "/?view=81&mode=map"),
)
#: The view whose month step is measured (the national map: the most shapes per step).
STEP_VIEW = "national"

PEER_ENV = "CAKUPAN_PEER_APP"
PEER_DEFAULT = "../shared/bench/naive_app.py"  # relative to the repository root

FIRST_BUDGET_S = 8.0
FIRST_PEER_RATIO = 2.0  # the peer's seconds / Cakupan's
REVISIT_BUDGET_S = 2.5
REVISIT_PEER_BYTES_RATIO = 5.0  # the peer's bytes / Cakupan's
STEP_BUDGET_BYTES = 50_000  # KB = 1000 bytes throughout

#: The fill-feature count must hold this long to count as drawn (MapLibre draws in passes).
STABLE_MS = 1000
#: Quiet: no network event (response finished, frame received) for this long.
QUIET_S = 1.5
POLL_MS = 100
DRAW_TIMEOUT_S = 240.0
QUIET_TIMEOUT_S = 120.0
SERVE_TIMEOUT_S = 300.0
VIEWPORT = {"width": 1600, "height": 1000}
#: Every browser context. Not Playwright's ``ignore_https_errors`` for the topology's
#: self-signed certificate: Chromium then still counts the origin's certificate as broken and
#: keeps none of its responses in the HTTP cache (measured: a revisit of Maluku re-fetched
#: 1.30 MB of /static/ instead of 0), so the revisit row would be a cache-less one. The
#: browser trusts that one key instead (:func:`spki_pin`), as it would a real certificate,
#: and a certificate that is not the pinned one fails the visit rather than skewing it.
CONTEXT = {"viewport": VIEWPORT}
#: Said with every table (``--json``: in ``notes``): the rows are not the same protocol.
TOPOLOGY_NOTE = ("Topology rows: HTTPS with HTTP/2 (nginx, brotli), a self-signed "
                 "certificate made for the run and trusted by its key; peer and bare rows: "
                 "plain HTTP/1.1.")
SLIDER = ("[data-testid='stSlider'] [role='slider'], "
          "[data-testid='stSlider'] input[type='range']")
RUNNING = "[data-testid='stStatusWidget']"

#: Epoch ms when the drawn-region count last changed, once it is above zero and has held for
#: ``stableMs``; false before. Its state lives on ``window``, so a navigation starts afresh.
DRAWN_JS = f"""(stableMs) => {{
  const n = ({SHAPES})();
  const now = Date.now();
  const s = window.__ckNet || (window.__ckNet = {{n: -1, at: now}});
  if (n !== s.n) {{ s.n = n; s.at = now; return false; }}
  return n > 0 && now - s.at >= stableMs ? s.at : false;
}}"""


# --- arithmetic (unit-tested) -------------------------------------------------------------
@dataclass(frozen=True)
class Received:
    """Bytes received, split by where they came from."""

    http: int = 0
    websocket: int = 0
    responses: int = 0
    frames: int = 0

    @property
    def total(self) -> int:
        return self.http + self.websocket


def frame_bytes(response: Mapping[str, Any]) -> int:
    """Payload bytes of one ``webSocketFrameReceived`` frame: text frames (opcode 1) are
    UTF-8 text, binary frames (opcode 2, Streamlit's protobuf) are base64 in the protocol."""
    data = response.get("payloadData") or ""
    if response.get("opcode") == 2:
        return len(base64.b64decode(data))
    return len(data.encode("utf-8"))


def received_bytes(events: Iterable[Mapping[str, Any]]) -> Received:
    """Sum DevTools events (``{"method": ..., "params": ...}``): HTTP responses that finished
    loading (data: and blob: URLs, never on the link, left out when their URL is known) and
    websocket frames received."""
    urls: dict[str, str] = {}
    http = ws = responses = frames = 0
    for event in events:
        method, params = event.get("method"), event.get("params") or {}
        if method == "Network.requestWillBeSent":
            urls[params.get("requestId", "")] = (params.get("request") or {}).get("url", "")
        elif method == "Network.loadingFinished":
            if urls.get(params.get("requestId", ""), "http").startswith(("data:", "blob:")):
                continue
            http += int(params.get("encodedDataLength") or 0)
            responses += 1
        elif method == "Network.webSocketFrameReceived":
            ws += frame_bytes(params.get("response") or {})
            frames += 1
    return Received(http=http, websocket=ws, responses=responses, frames=frames)


def unseen(seen: Iterable[str], counted: Iterable[str]) -> list[str]:
    """HTTP(S) URLs in ``seen`` that are not in ``counted``."""
    known = set(counted)
    return [u for u in seen if u.startswith(("http://", "https://")) and u not in known]


def websocket_extensions(events: Iterable[Mapping[str, Any]]) -> str | None:
    """The ``Sec-WebSocket-Extensions`` the server answered the handshake with ("" when it
    sent none), ``None`` when no handshake was seen."""
    found: str | None = None
    for event in events:
        if event.get("method") != "Network.webSocketHandshakeResponseReceived":
            continue
        headers = ((event.get("params") or {}).get("response") or {}).get("headers") or {}
        found = next((str(v) for k, v in headers.items()
                      if k.lower() == "sec-websocket-extensions"), "")
    return found


@dataclass
class Visit:
    """One page load: seconds to the map drawn, bytes received until quiet."""

    seconds: float | None = None
    bytes: int | None = None
    http_bytes: int | None = None
    websocket_bytes: int | None = None
    #: Received by the time the draw was confirmed (:data:`STABLE_MS` after it): what the
    #: map needed, as against what the page fetched afterwards.
    bytes_at_drawn: int | None = None
    error: str | None = None


@dataclass
class Step:
    """One month step: bytes received until the run was over, seconds to its last frame."""

    websocket_bytes: int | None = None
    http_bytes: int | None = None
    seconds: float | None = None
    error: str | None = None


@dataclass
class Row:
    app: str  # "peer" | "cakupan"
    mode: str  # "bare" | "topology"
    view: str
    first: Visit = field(default_factory=Visit)
    revisit: Visit = field(default_factory=Visit)
    step: Step | None = None
    websocket_extensions: str | None = None
    #: HTTP requests Playwright saw that the page's DevTools session did not (a web
    #: worker's, say): neither throttled nor counted, so the figures would be too kind.
    unseen_requests: int = 0


def _all(parts: Sequence[bool | None]) -> bool | None:
    """False if any part failed, None (not judged) if any could not be judged, else True."""
    if any(p is False for p in parts):
        return False
    return None if any(p is None for p in parts) else True


def ratio(peer: float | None, ours: float | None) -> float | None:
    """How many times the peer's figure is ours (seconds or bytes): higher is better."""
    if peer is None or ours is None:
        return None
    if ours <= 0:
        return math.inf if peer > 0 else None
    return peer / ours


def first_visit_ok(seconds: float | None, peer_seconds: float | None) -> bool | None:
    """<= 8 s and at least 2x faster than the peer (not judged without the peer)."""
    if seconds is None:
        return False
    times = ratio(peer_seconds, seconds)
    return _all([seconds <= FIRST_BUDGET_S,
                 None if times is None else times >= FIRST_PEER_RATIO])


def revisit_ok(seconds: float | None, received: int | None,
               peer_received: int | None) -> bool | None:
    """<= 2.5 s and at least 5x fewer bytes than the peer's revisit."""
    if seconds is None or received is None:
        return False
    times = ratio(peer_received, received)
    return _all([seconds <= REVISIT_BUDGET_S,
                 None if times is None else times >= REVISIT_PEER_BYTES_RATIO])


def step_ok(websocket_bytes: int | None) -> bool | None:
    """One month step on the national map: <= 50 KB received on the websocket."""
    return websocket_bytes is not None and websocket_bytes <= STEP_BUDGET_BYTES


def _peer(rows: Sequence[Row], view: str) -> Row | None:
    return next((r for r in rows if r.app == "peer" and r.view == view), None)


def verdicts(rows: Sequence[Row]) -> list[dict[str, Any]]:
    """Every budget, judged on the rows measured through the topology."""
    out: list[dict[str, Any]] = []
    for row in rows:
        if row.app != "cakupan" or row.mode != "topology":
            continue
        peer = _peer(rows, row.view)
        peer_first = peer.first.seconds if peer else None
        peer_revisit = peer.revisit.bytes if peer else None
        out.append({"view": row.view, "budget": "first_visit", "seconds": row.first.seconds,
                    "peer_ratio": _finite(ratio(peer_first, row.first.seconds)),
                    "ok": first_visit_ok(row.first.seconds, peer_first)})
        out.append({"view": row.view, "budget": "revisit", "seconds": row.revisit.seconds,
                    "bytes": row.revisit.bytes,
                    "peer_bytes_ratio": _finite(ratio(peer_revisit, row.revisit.bytes)),
                    "ok": revisit_ok(row.revisit.seconds, row.revisit.bytes, peer_revisit)})
        if row.step is not None:
            out.append({"view": row.view, "budget": "month_step",
                        "bytes": row.step.websocket_bytes,
                        "ok": step_ok(row.step.websocket_bytes)})
    return out


def _finite(value: float | None) -> float | None:
    """JSON has no infinity: a ratio over zero bytes is reported as ``None`` there."""
    return None if value is None or math.isinf(value) else round(value, 2)


# --- the table ----------------------------------------------------------------------------
COLUMNS = ("app", "mode", "view", "first s", "x peer", "ok", "first bytes", "revisit s",
           "revisit bytes", "x peer", "ok", "step bytes", "ok")


def human_bytes(value: int | None) -> str:
    """Bytes in KB/MB of 1000 (the budgets are written that way)."""
    if value is None:
        return "-"
    if value >= 1_000_000:
        return f"{value / 1e6:.2f} MB"
    if value >= 1_000:
        return f"{value / 1e3:.1f} KB"
    return f"{value} B"


def mark(ok: bool | None, judged: bool = True) -> str:
    """✓ met, ✗ missed, ? could not be judged (the peer is missing), - not a budgeted row."""
    if not judged:
        return "-"
    return "?" if ok is None else ("✓" if ok else "✗")


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _times(value: float | None) -> str:
    if value is None:
        return "-"
    return "inf" if math.isinf(value) else f"{value:.1f}x"


def row_cells(row: Row, rows: Sequence[Row]) -> list[str]:
    """One line of the table; the ratios are to the peer on the same view."""
    peer = None if row.app == "peer" else _peer(rows, row.view)
    judged = row.app == "cakupan" and row.mode == "topology"
    first_x = ratio(peer.first.seconds, row.first.seconds) if peer else None
    revisit_x = ratio(peer.revisit.bytes, row.revisit.bytes) if peer else None
    peer_first = peer.first.seconds if peer else None
    peer_revisit = peer.revisit.bytes if peer else None
    step = row.step
    return [
        row.app, row.mode, row.view,
        _seconds(row.first.seconds), _times(first_x),
        mark(first_visit_ok(row.first.seconds, peer_first), judged),
        human_bytes(row.first.bytes),
        _seconds(row.revisit.seconds), human_bytes(row.revisit.bytes), _times(revisit_x),
        mark(revisit_ok(row.revisit.seconds, row.revisit.bytes, peer_revisit), judged),
        human_bytes(step.websocket_bytes) if step else "",
        mark(step_ok(step.websocket_bytes), judged) if step else "",
    ]


def table(rows: Sequence[Row], profile: LinkProfile = REGIONAL,
          notes: Sequence[str] = ()) -> str:
    """The rows as a fixed-width table, then the budgets, the websocket's compression and
    whatever went wrong."""
    body = [list(COLUMNS)] + [row_cells(r, rows) for r in rows]
    widths = [max(len(line[i]) for line in body) for i in range(len(COLUMNS))]
    lines = [f"Link {profile.describe()}; Chromium, fresh context per first visit."]
    for n, cells in enumerate(body):
        lines.append("  ".join(c.ljust(w) if i < 3 else c.rjust(w)
                               for i, (c, w) in enumerate(zip(cells, widths, strict=True)))
                     .rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines.append(
        f"Budgets (topology rows only): first visit <= {FIRST_BUDGET_S:g} s and >= "
        f"{FIRST_PEER_RATIO:g}x faster than the peer; revisit <= {REVISIT_BUDGET_S:g} s and")
    lines.append(
        f"  >= {REVISIT_PEER_BYTES_RATIO:g}x fewer bytes than the peer; one month step <= "
        f"{human_bytes(STEP_BUDGET_BYTES)} on the websocket. KB/MB of 1000 bytes.")
    lines.append("Bytes: HTTP on the wire (encodedDataLength) + websocket frame payloads as "
                 "DevTools reports them, i.e. after permessage-deflate decompression.")
    for row in rows:
        if row.app == "cakupan" and row.view == STEP_VIEW:
            ext = row.websocket_extensions
            said = ("no websocket handshake seen" if ext is None else
                    f"Sec-WebSocket-Extensions: {ext}" if ext else
                    "no extension (frames uncompressed on the wire)")
            lines.append(f"Websocket, cakupan {row.mode}: {said}")
    for row in rows:
        if row.unseen_requests:
            lines.append(f"! {row.app} {row.mode} {row.view}: {row.unseen_requests} request(s) "
                         "outside the page's DevTools session (workers?), not counted")
        for what, err in (("first visit", row.first.error), ("revisit", row.revisit.error),
                          ("month step", row.step.error if row.step else None)):
            if err:
                lines.append(f"! {row.app} {row.mode} {row.view} {what}: {err}")
    lines.extend(notes)
    return "\n".join(lines)


# --- servers ------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(proc: subprocess.Popen, base: str, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise CakupanError(f"the server at {base} exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=1) as r:
                if r.read() == b"ok":
                    return
        except OSError:
            time.sleep(0.2)
    raise CakupanError(f"the server at {base} did not answer within {timeout_s:g} s")


def _stop_group(proc: subprocess.Popen, timeout_s: float = 30.0) -> None:
    """SIGTERM to the process group ``proc`` leads (it was started in a session of its
    own), then SIGKILL if it has not gone."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout_s)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)


def peer_app() -> Path:
    """The peer's script: ``CAKUPAN_PEER_APP`` or the shared bench folder's, relative paths
    taken from the repository root."""
    given = Path(os.environ.get(PEER_ENV, "").strip() or PEER_DEFAULT)
    return given if given.is_absolute() else (settings.PROJECT_DIR / given).resolve()


def _peer_input(app: Path, env: dict[str, str]) -> None:
    """Build the peer's parquet before its server starts, so its first visitor does not
    wait for a one-off build (the README of the shared bench folder says how)."""
    target = Path(env.get("TMPDIR") or "/tmp") / "idn_adm2.parquet"
    builder = app.parent / "build_raw_parquet.py"
    if target.exists() or not builder.exists():
        return
    subprocess.run([sys.executable, str(builder)], cwd=app.parent, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=600)


@contextlib.contextmanager
def peer_server(app: Path) -> Iterator[str]:
    """The peer as it is: bare ``streamlit run`` from its own folder; yields its base URL."""
    env = dict(os.environ)
    _peer_input(app, env)
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", app.name, "--server.port", str(port),
         "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=app.parent, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(proc, base, 120)
        yield base
    finally:
        _stop_group(proc)


@contextlib.contextmanager
def bare_server() -> Iterator[str]:
    """``streamlit run app.py`` (as the cold-map benchmark starts it); yields its base URL."""
    store.get_engine()  # migrated and seeded: this measures the app, not the first seeding
    geo.build()
    proc, _port, base = start_server()
    try:
        _wait_healthy(proc, base, 5)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


def _read_line(proc: subprocess.Popen, timeout_s: float) -> str:
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)  # type: ignore[arg-type]
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and proc.poll() is None:
        if sel.select(timeout=0.5):
            return proc.stdout.readline().decode()  # type: ignore[union-attr]
    return ""


def _run_dir() -> Path:
    """A run folder nginx's workers can reach when this runs as root (they drop to
    www-data and must pass through every folder above it)."""
    folder = Path(tempfile.mkdtemp(prefix="cakupan-network-", dir="/tmp"))
    folder.chmod(0o711)
    return folder


def spki_pin(cert_path: Path) -> str:
    """base64 SHA-256 of the certificate's public key (SubjectPublicKeyInfo, DER): what
    Chromium's ``--ignore-certificate-errors-spki-list`` takes to trust exactly that key."""
    import hashlib

    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    key = x509.load_pem_x509_certificate(cert_path.read_bytes()).public_key()
    der = key.public_bytes(serialization.Encoding.DER,
                           serialization.PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(hashlib.sha256(der).digest()).decode("ascii")


#: What each server's context manager yields: its base URL, and the Chromium flags it needs.
Endpoint = tuple[str, tuple[str, ...]]


@contextlib.contextmanager
def _plain(server: contextlib.AbstractContextManager[str]) -> Iterator[Endpoint]:
    """A plain-HTTP server (the peer, Cakupan bare): no flags for the browser."""
    with server as base:
        yield base, ()


@contextlib.contextmanager
def served() -> Iterator[Endpoint]:
    """``python -m cakupan serve --replicas 1 --json`` (nginx + one replica) on free ports,
    over HTTPS with a certificate made for the run
    (:func:`cakupan.hosting.selfsigned.self_signed`); yields nginx's URL from the contract
    line (``https://``) and the flag that makes Chromium trust the certificate; stopped with
    SIGTERM to its process group, and any part it left behind by its own pid."""
    geo.build()
    run_dir = _run_dir()
    tls = selfsigned.self_signed(run_dir, hosts=("127.0.0.1",), days=1)
    cert, key = tls.cert, tls.key
    err_path = run_dir / "serve.err"
    contract: dict[str, Any] = {}
    with err_path.open("wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "cakupan", "serve", "--replicas", "1", "--port",
             str(_free_port()), "--replica-port", str(_free_port()), "--run-dir",
             str(run_dir), "--tls-cert", str(cert), "--tls-key", str(key), "--json"],
            cwd=settings.PROJECT_DIR, stdout=subprocess.PIPE, stderr=err,
            stdin=subprocess.DEVNULL, start_new_session=True)
        try:
            line = _read_line(proc, SERVE_TIMEOUT_S)
            if not line:
                tail = err_path.read_text(encoding="utf-8", errors="replace").strip()
                raise CakupanError(f"serve printed nothing (exit {proc.poll()}): "
                                   f"{tail.splitlines()[-1] if tail else 'no message'}")
            contract = json.loads(line)
            yield contract["url"], (f"--ignore-certificate-errors-spki-list={spki_pin(cert)}",)
        finally:
            _stop_group(proc)
            if proc.returncode != 0:  # serve did not stop its parts itself: end each group
                pids = [r.get("pid") for r in contract.get("replicas", [])]
                for pid in [*pids, contract.get("nginx_pid")]:
                    if pid:
                        with contextlib.suppress(ProcessLookupError, PermissionError):
                            os.killpg(pid, signal.SIGKILL)
            shutil.rmtree(run_dir, ignore_errors=True)


# --- the browser --------------------------------------------------------------------------
class Recorder:
    """The DevTools network events of one page, with the time of the last one (quiet)."""

    METHODS = ("Network.requestWillBeSent", "Network.loadingFinished",
               "Network.webSocketFrameReceived", "Network.webSocketHandshakeResponseReceived")

    def __init__(self, cdp: CDPSession) -> None:
        self.events: list[dict[str, Any]] = []
        self.handshakes: list[dict[str, Any]] = []
        self.urls: set[str] = set()  # every request's URL since the page opened
        self.last = time.monotonic()
        for method in self.METHODS:
            cdp.on(method, self._handler(method))

    def _handler(self, method: str) -> Any:
        def on(params: dict[str, Any]) -> None:
            event = {"method": method, "params": params}
            self.events.append(event)
            if method == "Network.webSocketHandshakeResponseReceived":
                self.handshakes.append(event)
            elif method == "Network.requestWillBeSent":
                self.urls.add((params.get("request") or {}).get("url", ""))
            if method != "Network.requestWillBeSent":
                self.last = time.monotonic()
        return on

    def reset(self) -> None:
        self.events = []
        self.last = time.monotonic()

    def received(self) -> Received:
        return received_bytes(self.events)


def _drawn_at(page: Page) -> float:
    """Epoch seconds (browser clock, the same machine's) when the map was drawn for good."""
    handle = page.wait_for_function(DRAWN_JS, arg=STABLE_MS, polling=POLL_MS,
                                    timeout=DRAW_TIMEOUT_S * 1000)
    return float(handle.json_value()) / 1000.0


def _wait_quiet(page: Page, rec: Recorder, *, need_event: bool = False) -> None:
    """Until no script run is shown and no network event came for :data:`QUIET_S` (after
    at least one event, with ``need_event``: a keypress is answered a moment later)."""
    start = time.monotonic()
    deadline = start + QUIET_TIMEOUT_S
    while time.monotonic() < deadline:
        page.wait_for_timeout(250)
        if need_event and rec.last <= start and time.monotonic() - start < 15:
            continue
        if page.locator(RUNNING).count() == 0 and time.monotonic() - rec.last >= QUIET_S:
            return
    raise CakupanError(f"the page was not quiet within {QUIET_TIMEOUT_S:g} s")


def _visit(page: Page, rec: Recorder, url: str) -> Visit:
    rec.reset()
    visit = Visit()
    try:
        start = time.time()
        page.goto(url, wait_until="commit", timeout=DRAW_TIMEOUT_S * 1000)
        visit.seconds = round(_drawn_at(page) - start, 3)
        visit.bytes_at_drawn = rec.received().total
        _wait_quiet(page, rec)
    except Exception as err:  # one failed visit is reported; the others still run
        visit.error = _short(err)
    got = rec.received()
    visit.bytes, visit.http_bytes, visit.websocket_bytes = got.total, got.http, got.websocket
    return visit


def _month_step(page: Page, rec: Recorder) -> Step:
    step = Step()
    try:
        thumb = page.locator(SLIDER).first
        thumb.focus(timeout=30_000)
        rec.reset()
        start = time.monotonic()
        page.keyboard.press("ArrowLeft")
        _wait_quiet(page, rec, need_event=True)
        got = rec.received()
        step.websocket_bytes, step.http_bytes = got.websocket, got.http
        step.seconds = round(rec.last - start, 3) if got.frames else None
    except Exception as err:
        step.error = _short(err)
    return step


def _short(err: BaseException) -> str:
    text = str(err).strip()
    return f"{type(err).__name__}: {text.splitlines()[0][:200] if text else ''}"


def _warm(browser: Browser, base: str, paths: Sequence[str]) -> None:
    """An earlier visitor on a fast link: the server's caches (and nginx's) are filled."""
    context = browser.new_context(**CONTEXT)
    try:
        page = context.new_page()
        for path in paths:
            page.goto(base + path, wait_until="commit", timeout=DRAW_TIMEOUT_S * 1000)
            _drawn_at(page)
    finally:
        context.close()


def measure_server(browser: Browser, base: str, app: str, mode: str,
                   profile: LinkProfile) -> list[Row]:
    """Both views on one running server: a fresh context each, first visit then revisit
    (and, for Cakupan's national map, a month step)."""
    paths = {v.name: (v.peer_path if app == "peer" else v.cakupan_path) for v in VIEWS}
    _warm(browser, base, list(paths.values()))
    rows = []
    for view in VIEWS:
        row = Row(app, mode, view.name)
        context = browser.new_context(**CONTEXT)
        try:
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            rec = Recorder(cdp)
            cdp.send("Network.enable")
            cdp.send("Network.emulateNetworkConditions", profile.cdp_params())
            seen: list[str] = []  # what Playwright saw finish, workers' requests included
            context.on("requestfinished", lambda req, seen=seen: seen.append(req.url))
            row.first = _visit(page, rec, base + paths[view.name])
            page.goto("about:blank")  # a visitor coming back, not a reload of the same page
            row.revisit = _visit(page, rec, base + paths[view.name])
            if app == "cakupan" and view.name == STEP_VIEW:
                row.step = _month_step(page, rec)
            row.websocket_extensions = websocket_extensions(rec.handshakes)
            row.unseen_requests = len(set(unseen(seen, rec.urls)))
        finally:
            context.close()
        rows.append(row)
    return rows


def _failed_rows(app: str, mode: str, err: BaseException) -> list[Row]:
    """A server that would not start: its rows carry the reason."""
    rows = []
    for view in VIEWS:
        reason = _short(err)
        step = Step(error=reason) if app == "cakupan" and view.name == STEP_VIEW else None
        rows.append(Row(app, mode, view.name, Visit(error=reason), Visit(error=reason), step))
    return rows


def run(profile_name: str = "regional") -> dict[str, Any]:
    """Every server in turn (peer, Cakupan bare, Cakupan through the topology), each
    stopped before the next starts; the rows, the budgets and notes."""
    from playwright.sync_api import sync_playwright

    if profile_name not in PROFILES:
        raise CakupanError(f"unknown link {profile_name!r}; known: {', '.join(PROFILES)}")
    profile = PROFILES[profile_name]
    notes: list[str] = [TOPOLOGY_NOTE]
    peer = peer_app()
    servers: list[tuple[str, str, Any]] = []
    if peer.is_file():
        servers.append(("peer", "bare", lambda: _plain(peer_server(peer))))
    else:
        notes.append(f"Peer not found at {peer} (set {PEER_ENV}): Cakupan measured alone.")
    servers += [("cakupan", "bare", lambda: _plain(bare_server())),
                ("cakupan", "topology", served)]
    rows: list[Row] = []
    with sync_playwright() as pw:
        for app, mode, start in servers:
            try:
                # The browser after the server: the topology's certificate exists only now.
                with start() as (base, flags):
                    browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                 args=[*ARGS, *flags])
                    try:
                        rows += measure_server(browser, base, app, mode, profile)
                    finally:
                        browser.close()
            except Exception as err:  # reported in its rows; the other servers still run
                rows += _failed_rows(app, mode, err)
    judged = verdicts(rows)
    return {"profile": asdict(profile), "rows": [asdict(r) for r in rows], "budgets": judged,
            "all_ok": bool(judged) and all(v["ok"] is True for v in judged), "notes": notes}


def rows_from(result: Mapping[str, Any]) -> list[Row]:
    """The rows of a :func:`run` result (plain JSON) as :class:`Row` again."""
    rows = []
    for r in result.get("rows", []):
        step = r.get("step")
        rows.append(Row(r["app"], r["mode"], r["view"], Visit(**r["first"]),
                        Visit(**r["revisit"]), Step(**step) if step else None,
                        r.get("websocket_extensions"), r.get("unseen_requests", 0)))
    return rows


def result_table(result: Mapping[str, Any]) -> str:
    """What ``bench --network`` prints for a :func:`run` result."""
    return table(rows_from(result), LinkProfile(**result["profile"]), result.get("notes", ()))
