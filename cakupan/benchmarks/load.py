"""Issue 10, item 4: the served topology under load from real browsers (``bench --load``).

For 1 and then 2 replicas on PostgreSQL, behind nginx (:class:`~cakupan.hosting.topology.Topology`,
started here in-process), and for 1, 5, 10, 20 and 30 concurrent sessions, each step on a
fresh topology (so one step's sessions, caches and memory do not carry into the next):

1. **Warm-up, not measured.** One browser context visits every shared link through nginx
   (fills nginx's ``/static/`` cache) and one more visits them on each replica directly (fills
   that replica's data caches), each with its month change. A step then measures sessions on
   a running, warm server, as a hosted link sees them after its first visitor.
2. **Sessions at once.** ``n`` Playwright contexts in :data:`BROWSERS` Chromium processes (few
   processes, many contexts: the clients share the 2 cores with the server), all created
   first and then started in the same instant; session ``i`` opens :data:`LINKS` ``[i % 5]``,
   waits until it is drawn, waits until its run is over, changes the month and waits until it
   is drawn again. One session (``n = 1``) is run as five lone sessions one after the other,
   one per link, so that the lone baseline has the same mix of pages as every other step.
3. **Drawn** (client time, from the browser's own clock): a map page when every map of the
   page shows its shapes (``SHAPES`` > 0, as ``benchmarks/browser.py``; after a month change
   only once the figure's data object was replaced); any other page when its main heading is
   there, no script run is shown, its main text has not changed for :data:`SETTLE_MS` and its
   map, if it has one, is drawn: the time is when the text last changed.
4. **Server time per rerun**, two ways: (a) the replicas are started with a ``sitecustomize``
   that wraps Streamlit's script runner (``ui/run_timing.py``) and writes each script run's
   wall time and script-thread CPU time; (b) from outside, the replicas' CPU time
   (``/proc/PID/stat``) over the step divided by the number of full-page runs, which also
   counts what (a) does not: protobuf sending, websockets, health checks, fragment runs.
5. **Memory per session**: replica RSS (``/proc/PID/status`` ``VmRSS``) right before the step's
   sessions and once all of them are drawn and still open, the difference divided by the
   sessions; nginx (master and workers) the same way.
6. **Errors**: a page that did not draw within :data:`SESSION_TIMEOUT_S`, an exception or the
   app's error message shown on the page, any browser console error or page exception.
   Streamlit's front end probes ``/<page>/_stcore/health`` and ``host-config`` before the root
   path on every page below ``/`` (404s, also with one visitor on an idle server): counted apart
   as ``probe_404``. Requests to hosts other than loopback (none are expected) are counted apart
   as ``external``.

Machine load matters on a shared 2-core machine: every step reports the load average and the
CPU seconds of the replicas, nginx, this database's PostgreSQL backends, the browsers and
everything else on the machine (``/proc/stat`` minus the rest).

Needs PostgreSQL in ``CAKUPAN_DATABASE_URL`` (more than one replica), Debian's nginx and
Chromium, and the ``playwright`` package. Not run by ``bench`` without ``--load``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa

from cakupan import geo, store
from cakupan.benchmarks.browser import ARGS, CHROMIUM
from cakupan.core import settings
from cakupan.core.errors import CakupanError
from cakupan.core.i18n import t
from cakupan.hosting.topology import ServePlan, Topology

if TYPE_CHECKING:  # the package is a development requirement, imported when a step runs
    from playwright.async_api import Browser, BrowserContext, ConsoleMessage, Page

STEPS: tuple[int, ...] = (1, 5, 10, 20, 30)
REPLICA_COUNTS: tuple[int, ...] = (1, 2)
BROWSERS = 2
#: A session that has not drawn its page and its month change by then counts as an error.
SESSION_TIMEOUT_S = 600.0
WARM_UP_TIMEOUT_S = 120.0
#: A step still running after this is stopped, reported, and the larger steps are skipped.
STEP_TIMEOUT_S = 1200.0
SETTLE_MS = 1500
POLL_MS = 200
VIEWPORT = {"width": 1280, "height": 800}
LANG = "id"
#: The goal of issue 10: at 20 sessions, server p95 script time <= 3 x a lone session's.
GOAL_SESSIONS = 20
GOAL_RATIO = 3.0
WORK_DIR = settings.PROJECT_DIR / "run" / "load"


@dataclass(frozen=True)
class Link:
    """A shared link and how its month is changed: ``slider`` (the map page's timeline),
    ``select`` (the sidebar's month box) or ``url`` (a new link with another ``period``; the
    briefing has no sidebar)."""

    name: str
    path: str
    change: str
    maps: int  # plotly maps the page draws
    map_page: bool = False  # drawn = the map's shapes, not the settled text
    other_period: str = "2024-06"


LINKS: tuple[Link, ...] = (
    Link("overview", "/?region=81", "select", maps=1),
    Link("national_map", "/peta", "slider", maps=1, map_page=True),
    Link("province_map", "/peta?region=81", "slider", maps=1, map_page=True),
    Link("regency", "/wilayah?region=81.03", "select", maps=0),
    Link("briefing", "/briefing?region=81", "url", maps=0),
)

#: Whether the page is drawn; returns the browser's epoch milliseconds when it was, else false.
#: ``o``: maps (how many the page must have), mapOnly (a map page: the shapes are enough),
#: newData (only a figure whose data object changed since MARK_JS counts), notSearch (the
#: URL's query must differ from it), settleMs.
DRAWN_JS = """(o) => {
  const now = Date.now();
  const ck = window.__ck || (window.__ck = {text: null, since: now, mapAt: null});
  let maps = 0, drawn = 0;
  for (const gd of document.querySelectorAll('.js-plotly-plot')) {
    const lay = gd._fullLayout && gd._fullLayout.map;
    if (!lay) continue;
    maps += 1;
    if (o.newData && gd.__ckOld === gd.data) continue;
    const m = lay._subplot && lay._subplot.map;
    if (m && m.loaded() && m.queryRenderedFeatures().some(f => f.layer.type === 'fill')) drawn += 1;
  }
  if (maps >= o.maps && drawn === maps) { if (ck.mapAt === null) ck.mapAt = now; }
  else ck.mapAt = null;
  if (o.mapOnly) return maps > 0 && ck.mapAt !== null ? ck.mapAt : false;
  const main = document.querySelector("[data-testid='stMain']");
  const running = document.querySelector("[data-testid='stStatusWidget']");
  const changed = o.notSearch === null || location.search !== o.notSearch;
  if (!main || !main.querySelector('h1') || running || !changed) {
    ck.text = null; ck.since = now; return false;
  }
  const text = main.innerText;
  if (text !== ck.text) { ck.text = text; ck.since = now; return false; }
  if (ck.mapAt === null || now - ck.since < o.settleMs) return false;
  return Math.max(ck.since, ck.mapAt);
}"""
#: Forget the settle state and remember each figure's data object (before a month change).
MARK_JS = """() => { window.__ck = undefined;
  for (const gd of document.querySelectorAll('.js-plotly-plot')) gd.__ckOld = gd.data;
  return location.search; }"""
SHOWN_ERRORS_JS = """(generic) => {
  const main = document.querySelector("[data-testid='stMain']");
  const n = document.querySelectorAll("[data-testid='stException']").length;
  return n + (main && main.innerText.includes(generic) ? 1 : 0); }"""
PROBE_404 = re.compile(r"/[^/?]+/_stcore/(health|host-config)(\?|$)")


# --- arithmetic (unit-tested) -----------------------------------------------------------
def percentile(values: Sequence[float], q: float) -> float | None:
    """The ``q``-th percentile (0-100) by linear interpolation between the closest ranks
    (numpy's default), ``None`` for no values: p95 of 20 values lies between the 19th and 20th."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100.0
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def per_session_mb(before: dict[int, int], after: dict[int, int], sessions: int) -> float | None:
    """Resident memory the sessions added, per session, in MB (2^20 bytes): the growth of
    ``after`` over ``before`` (KiB by process id, summed over the processes both saw)."""
    if sessions <= 0:
        return None
    grown = sum(after[pid] - before[pid] for pid in after if pid in before)
    return grown / 1024.0 / sessions


def summarize_runs(records: Sequence[dict], since: float, until: float) -> dict:
    """Script runs (``ui/run_timing.py`` records) that started in ``[since, until]``: count and
    p50/p95/max of whole-page runs' wall and CPU seconds, of their wait for a core (``runq_s``)
    and of the rest of their wait (``off_queue_s``: GIL, locks, database), and the fragment
    runs apart (the freshness check every few seconds, a few milliseconds each)."""
    window = [r for r in records if since <= r["start"] <= until]
    full = [r for r in window if not r["fragment"]]
    frag = [r for r in window if r["fragment"]]

    def stats(rows: list[dict], key: str) -> dict:
        vals = [key(r) if callable(key) else r[key] for r in rows]
        return {"p50": _round(percentile(vals, 50)), "p95": _round(percentile(vals, 95)),
                "max": _round(max(vals) if vals else None)}

    def off_queue(r: dict) -> float:  # waiting, but not for a core: GIL, locks, database
        return max(0.0, r["wall_s"] - r["cpu_s"] - r.get("runq_s", 0.0))

    return {"runs": len(full), "wall_s": stats(full, "wall_s"), "cpu_s": stats(full, "cpu_s"),
            "runq_s": stats(full, lambda r: r.get("runq_s", 0.0)),
            "off_queue_s": stats(full, off_queue),
            "fragment_runs": len(frag), "fragment_wall_s": stats(frag, "wall_s"),
            "cpu_s_sum": _round(sum(r["cpu_s"] for r in window))}


def run_steps(steps: Sequence[int], measure: Callable[[int], dict]) -> list[dict]:
    """``measure(n)`` for each step in order; once a step reports ``timed_out`` the larger
    ones are not attempted (the machine did not hold that load) and say so."""
    results: list[dict] = []
    stopped: int | None = None
    for n in steps:
        if stopped is not None:
            results.append({"sessions": n, "skipped": f"the {stopped}-session step timed out"})
            continue
        result = measure(n)
        results.append(result)
        if result.get("timed_out"):
            stopped = n
    return results


def goal(steps: Sequence[dict]) -> dict:
    """Issue 10's goal on one replica count's steps: no error at any step up to
    :data:`GOAL_SESSIONS`, and p95 server script time there within :data:`GOAL_RATIO` x the
    lone sessions' p95."""
    by_n = {s["sessions"]: s for s in steps if "skipped" not in s}
    errors = {n: s["errors"] for n, s in by_n.items() if n <= GOAL_SESSIONS}
    lone = (by_n.get(1) or {}).get("server", {}).get("wall_s", {}).get("p95")
    at_goal = (by_n.get(GOAL_SESSIONS) or {}).get("server", {}).get("wall_s", {}).get("p95")
    ratio = at_goal / lone if lone and at_goal is not None else None
    return {"errors_up_to_goal": sum(errors.values()),
            "no_errors": GOAL_SESSIONS in by_n and not any(errors.values()),
            "p95_ratio": _round(ratio, 2),
            "p95_ok": ratio is not None and ratio <= GOAL_RATIO}


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


# --- /proc --------------------------------------------------------------------------------
CLK_TCK = os.sysconf("SC_CLK_TCK")


def parse_stat(text: str) -> tuple[int, float]:
    """(parent pid, user + system CPU seconds) from a ``/proc/PID/stat`` line; the command
    name in parentheses may hold spaces, so fields are counted after its closing one."""
    fields = text.rsplit(")", 1)[1].split()
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / CLK_TCK


def parse_rss_kib(status: str) -> int:
    """``VmRSS`` in KiB from a ``/proc/PID/status`` text (0 for a process without one)."""
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _read(path: str) -> str:
    try:
        with open(path, encoding="ascii", errors="replace") as f:
            return f.read()
    except OSError:  # the process has exited meanwhile
        return ""


def cpu_s(pid: int) -> float:
    text = _read(f"/proc/{pid}/stat")
    return parse_stat(text)[1] if text else 0.0


def rss_kib(pid: int) -> int:
    return parse_rss_kib(_read(f"/proc/{pid}/status"))


def _parents() -> dict[int, int]:
    out: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            text = _read(f"/proc/{entry}/stat")
            if text:
                out[int(entry)] = parse_stat(text)[0]
    return out


def tree(root: int, parents: dict[int, int]) -> set[int]:
    """``root`` and every process below it."""
    found, grew = {root}, True
    while grew:
        more = {pid for pid, ppid in parents.items() if ppid in found} - found
        found |= more
        grew = bool(more)
    return found


def machine_busy_s() -> float:
    """CPU seconds the whole machine spent busy since boot (all cores; idle and iowait out)."""
    fields = [int(v) for v in _read("/proc/stat").splitlines()[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields[:8]
    return (user + nice + system + irq + softirq + steal) / CLK_TCK


@dataclass
class Sample:
    """What the processes of one step used so far (CPU seconds) and hold (RSS KiB)."""

    at: float
    replica_cpu: dict[int, float]
    replica_rss: dict[int, int]
    nginx_cpu: float
    nginx_rss: dict[int, int]
    pg_cpu: dict[int, float]
    client_cpu: float
    own_cpu: float
    busy: float
    load: tuple[float, float, float]


def _pg_backends(url: str) -> list[int]:
    """Process ids of this database's PostgreSQL backends (the replicas' connections)."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            return list(conn.execute(sa.text(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid()")).scalars())
    finally:
        engine.dispose()


def take_sample(top: Topology, url: str) -> Sample:
    parents = _parents()
    replica_pids = [r.pid for r in top.replicas if r.pid]
    served: set[int] = set()
    for pid in replica_pids:
        served |= tree(pid, parents)
    nginx_pids = tree(top.nginx_proc.pid, parents) if top.nginx_proc else set()
    served |= nginx_pids
    clients = tree(os.getpid(), parents) - served - {os.getpid()}
    return Sample(
        at=time.time(),
        replica_cpu={pid: cpu_s(pid) for pid in replica_pids},
        replica_rss={pid: rss_kib(pid) for pid in replica_pids},
        nginx_cpu=sum(cpu_s(p) for p in nginx_pids),
        nginx_rss={pid: rss_kib(pid) for pid in nginx_pids},
        pg_cpu={pid: cpu_s(pid) for pid in _pg_backends(url)},
        client_cpu=sum(cpu_s(p) for p in clients), own_cpu=cpu_s(os.getpid()),
        busy=machine_busy_s(), load=os.getloadavg())


def cpu_split(before: Sample, after: Sample) -> dict:
    """CPU seconds each part used between two samples; ``others`` is the rest of the machine
    (other people's work on a shared machine). PostgreSQL backends that appeared meanwhile
    count from zero (they were opened during the step)."""
    replicas = sum(after.replica_cpu[p] - before.replica_cpu.get(p, 0.0) for p in after.replica_cpu)
    pg = sum(after.pg_cpu[p] - before.pg_cpu.get(p, 0.0) for p in after.pg_cpu)
    parts = {"replicas": replicas, "nginx": after.nginx_cpu - before.nginx_cpu, "postgres": pg,
             "browsers": max(0.0, after.client_cpu - before.client_cpu),
             "bench": after.own_cpu - before.own_cpu}
    total = after.busy - before.busy
    parts["others"] = max(0.0, total - sum(parts.values()))
    parts["machine"] = total
    return {k: round(v, 2) for k, v in parts.items()}


# --- one session --------------------------------------------------------------------------
@dataclass
class Session:
    """One browser session's outcome: client seconds to a drawn page, what went wrong."""

    link: str
    open_s: float | None = None
    change_s: float | None = None
    errors: list[str] = field(default_factory=list)
    probe_404: int = 0
    external: list[str] = field(default_factory=list)


def _watch(page: Page, session: Session, base: str) -> None:
    """Count console errors and page exceptions of ``page`` into ``session``."""

    def on_console(msg: ConsoleMessage) -> None:
        if msg.type != "error":
            return
        where = (msg.location or {}).get("url", "")
        if PROBE_404.search(where):
            session.probe_404 += 1
        elif where and not where.startswith((base, "http://127.0.0.1")):
            session.external.append(where[:120])
        else:
            session.errors.append(f"console: {msg.text[:200]}")

    page.on("console", on_console)
    page.on("pageerror",
            lambda err: session.errors.append(f"page exception: {str(err)[:200]}"))


async def _wait_drawn(page: Page, deadline: float, *, maps: int, map_only: bool,
                      new_data: bool = False, not_search: str | None = None) -> float:
    """Epoch seconds (browser clock) when the page was drawn; raises on the deadline."""
    opts = {"maps": maps, "mapOnly": map_only, "newData": new_data, "notSearch": not_search,
            "settleMs": SETTLE_MS}
    handle = await page.wait_for_function(DRAWN_JS, arg=opts, polling=POLL_MS,
                                          timeout=_left_ms(deadline))
    return float(await handle.json_value()) / 1000.0


def _left_ms(deadline: float) -> float:
    """Milliseconds left of a session's budget: every wait and every action gets what is left
    (not Playwright's 30 s default for actions, which a starved browser can exceed)."""
    return max(1.0, (deadline - time.monotonic()) * 1000)


async def run_session(page: Page, base: str, link: Link, session: Session,
                      timeout_s: float = SESSION_TIMEOUT_S) -> Session:
    """Open ``link``, wait until drawn, let its run finish, change the month, wait until
    drawn again. Client times are from the click (or the navigation) to drawn."""
    deadline = time.monotonic() + timeout_s
    stage = "open"
    try:
        start = time.time()
        await page.goto(base + link.path, wait_until="commit", timeout=timeout_s * 1000)
        session.open_s = await _wait_drawn(page, deadline, maps=link.maps,
                                           map_only=link.map_page) - start
        stage = "settle"
        await _wait_drawn(page, deadline, maps=link.maps, map_only=False)
        stage = "month"
        session.change_s = await _change_month(page, base, link, deadline)
        shown = await page.evaluate(SHOWN_ERRORS_JS, t("msg.error_generic", LANG))
        if shown:
            session.errors.append(f"{shown} error message(s) shown on the page")
    except Exception as err:  # a session that fails is counted, the step goes on
        first = str(err).strip().splitlines()[0] if str(err).strip() else ""
        session.errors.append(f"{stage}: {type(err).__name__}: {first[:160]}")
    return session


async def _change_month(page: Page, base: str, link: Link, deadline: float) -> float:
    """Seconds from changing the month (as a visitor does it) to the page drawn again."""
    before = await page.evaluate(MARK_JS)
    if link.change == "slider":  # the map's timeline: one month back with the keyboard
        slider = page.locator("[data-testid='stSlider'] input[type='range']").first
        start = time.time()
        await slider.press("ArrowLeft", timeout=_left_ms(deadline))
        return await _wait_drawn(page, deadline, maps=link.maps, map_only=True,
                                 new_data=True) - start
    if link.change == "select":  # the sidebar's month box: the month before the latest
        # Not new_data: where a month changes nothing on the small map, Streamlit does not
        # send the figure again; the new URL and the settled text are the signal here.
        box = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").filter(
            has_text=t("control.period", LANG)).locator("input")
        start = time.time()
        await box.focus(timeout=_left_ms(deadline))
        for key in ("ArrowDown", "ArrowDown", "Enter"):
            await page.keyboard.press(key)
        return await _wait_drawn(page, deadline, maps=link.maps, map_only=False,
                                 not_search=before) - start
    start = time.time()  # a new shared link with another month
    sep = "&" if "?" in link.path else "?"
    await page.goto(f"{base}{link.path}{sep}period={link.other_period}", wait_until="commit",
                    timeout=_left_ms(deadline))
    return await _wait_drawn(page, deadline, maps=link.maps, map_only=link.map_page) - start


# --- one step -----------------------------------------------------------------------------
HOOK = '''"""Written by cakupan.benchmarks.load: times this replica's script runs."""
import os
import sys

# The replica itself, not the import sandbox's fork server it starts (same environment).
if os.environ.get("CAKUPAN_RUN_TIMING") and "streamlit" in sys.orig_argv[1:3]:
    import ui.run_timing

    ui.run_timing.install(os.environ["CAKUPAN_RUN_TIMING"])
'''


@contextlib.contextmanager
def _environ(values: dict[str, str]) -> Iterator[None]:
    """``values`` in this process's environment while replicas are started (they inherit it)."""
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _free_ports(count: int) -> int:
    """The first of ``count`` consecutive free loopback ports."""
    for _ in range(200):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            first = s.getsockname()[1]
        if first + count > 65535:
            continue
        ok = True
        for port in range(first, first + count):
            with socket.socket() as s:
                try:
                    s.bind(("127.0.0.1", port))
                except OSError:
                    ok = False
                    break
        if ok:
            return first
    raise CakupanError("no free loopback ports for the load benchmark")


def _timing_records(folder: Path) -> list[dict]:
    records = []
    for path in folder.glob("runs-*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                records.append(json.loads(line) | {"pid": int(path.stem.split("-")[1])})
    return records


def _streams_by_replica(access_log: Path, skip_lines: int) -> dict[str, int]:
    """Websocket sessions per replica, from nginx's access log (one line per closed
    ``/_stcore/stream``, after the first ``skip_lines`` lines)."""
    counts: dict[str, int] = {}
    if not access_log.exists():
        return counts
    for line in access_log.read_text(encoding="utf-8").splitlines()[skip_lines:]:
        if "/_stcore/stream" in line:
            match = re.search(r"upstream=(\S+)", line)
            key = match[1] if match else "?"
            counts[key] = counts.get(key, 0) + 1
    return counts


async def _new_page(browser: Browser, session: Session,
                    base: str) -> tuple[BrowserContext, Page]:
    context = await browser.new_context(viewport=VIEWPORT, locale="id-ID")
    page = await context.new_page()
    _watch(page, session, base)
    return context, page


async def _warm_up(browser: Browser, bases: list[str]) -> list[str]:
    """Every link once on each base URL, with its month change (not measured); what went
    wrong, so that a step on a broken server says so."""

    async def one(base: str) -> list[str]:
        warm = Session("warm-up")
        context, page = await _new_page(browser, warm, base)
        for link in LINKS:
            await run_session(page, base, link, warm, timeout_s=WARM_UP_TIMEOUT_S)
        await context.close()
        return [f"{base}: {e}" for e in warm.errors]

    found = await asyncio.gather(*(one(base) for base in bases))  # side by side: minutes less
    return [problem for problems in found for problem in problems]


async def _drive(top: Topology, sessions: int, url: str) -> dict:
    from playwright.async_api import async_playwright

    base = top.url
    async with async_playwright() as pw:
        browsers = [await pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
                    for _ in range(min(BROWSERS, sessions))]
        warm_up = await _warm_up(browsers[0], [base, *(r.url for r in top.replicas)])
        log_path = top.run_dir / "logs" / "access.log"
        await asyncio.sleep(5.0)  # the warm-up's websockets are closed and logged
        skip = len(log_path.read_text(encoding="utf-8").splitlines()) if log_path.exists() \
            else 0
        before = take_sample(top, url)
        results: list[Session] = []
        contexts = []
        timed_out = False
        started = time.monotonic()
        if sessions == 1:  # lone sessions, one per link, one after the other (kept open)
            for link in LINKS:
                s = Session(link.name)
                context, page = await _new_page(browsers[0], s, base)
                contexts.append(context)
                results.append(await run_session(page, base, link, s))
        else:
            pages = []
            for i in range(sessions):
                s = Session(LINKS[i % len(LINKS)].name)
                context, page = await _new_page(browsers[i % len(browsers)], s, base)
                contexts.append(context)
                pages.append(page)
                results.append(s)
            tasks = [asyncio.ensure_future(run_session(page, base, LINKS[i % len(LINKS)],
                                                       results[i]))
                     for i, page in enumerate(pages)]  # all at once: no staggering
            _done, pending = await asyncio.wait(tasks, timeout=STEP_TIMEOUT_S)
            for task in pending:
                task.cancel()
            timed_out = bool(pending)
            for task, s in zip(tasks, results, strict=True):
                if task in pending:
                    s.errors.append(f"not finished when the step stopped ({STEP_TIMEOUT_S:.0f} s)")
        wall = time.monotonic() - started
        after = take_sample(top, url)
        for context in contexts:
            with contextlib.suppress(Exception):
                await context.close()
        for browser in browsers:
            await browser.close()
    await asyncio.sleep(1.0)
    return {"before": before, "after": after, "sessions": results, "wall_s": wall,
            "warm_up_errors": warm_up,
            "timed_out": timed_out, "streams": _streams_by_replica(log_path, skip)}


def measure_step(replicas: int, sessions: int, url: str, work: Path) -> dict:
    """One step on a fresh topology: what the browsers and the server measured."""
    run_dir = work / f"r{replicas}-n{sessions}"
    shutil.rmtree(run_dir, ignore_errors=True)
    hook_dir, timing_dir = run_dir / "hook", run_dir / "timing"
    hook_dir.mkdir(parents=True)
    (hook_dir / "sitecustomize.py").write_text(HOOK, encoding="utf-8")
    first = _free_ports(replicas + 1)
    plan = ServePlan(replicas=replicas, port=first + replicas, replica_port=first,
                     run_dir=run_dir, database_url=url)
    pythonpath = os.pathsep.join(p for p in (str(hook_dir), str(settings.PROJECT_DIR),
                                             os.environ.get("PYTHONPATH", "")) if p)
    top = Topology(plan)
    try:
        with _environ({"PYTHONPATH": pythonpath, "CAKUPAN_RUN_TIMING": str(timing_dir)}):
            top.start()
        got = asyncio.run(_drive(top, sessions, url))
    finally:
        top.stop()
    return report_step(replicas, sessions, got, _timing_records(timing_dir))


def report_step(replicas: int, sessions: int, got: dict, records: list[dict]) -> dict:
    """The figures of one step from what :func:`_drive` collected."""
    before, after, results = got["before"], got["after"], got["sessions"]
    server = summarize_runs(records, before.at, after.at)
    cpu = cpu_split(before, after)
    opened = [s.open_s for s in results if s.open_s is not None]
    changed = [s.change_s for s in results if s.change_s is not None]
    drawn = opened + changed
    count = len(results)  # lone step: five sessions
    errors = sum(len(s.errors) for s in results)
    if not server["runs"]:
        server["missing"] = "no script-run timings from the replicas (ui/run_timing.py)"
    return {
        "replicas": replicas, "sessions": sessions, "browser_sessions": count,
        "window": [round(before.at, 3), round(after.at, 3)],
        "timed_out": got["timed_out"], "step_wall_s": round(got["wall_s"], 1),
        "client": {"open_s": _pcts(opened), "month_s": _pcts(changed), "drawn_s": _pcts(drawn),
                   "pages_drawn": len(drawn), "pages_asked": 2 * count},
        "errors": errors,
        "error_texts": sorted({e for s in results for e in s.errors})[:20],
        "warm_up_errors": got["warm_up_errors"],
        "probe_404": sum(s.probe_404 for s in results),
        "external": sorted({e for s in results for e in s.external})[:10],
        "server": server | {
            "process_cpu_s_per_run": _round(cpu["replicas"] / server["runs"])
            if server["runs"] else None},
        "memory": {
            "replica_mb_per_session": _round(per_session_mb(before.replica_rss,
                                                            after.replica_rss, count), 2),
            "nginx_mb_per_session": _round(per_session_mb(before.nginx_rss, after.nginx_rss,
                                                          count), 3),
            "replica_rss_mb_before": [round(v / 1024, 1) for v in before.replica_rss.values()],
            "replica_rss_mb_after": [round(v / 1024, 1) for v in after.replica_rss.values()],
            "nginx_rss_mb_after": round(sum(after.nginx_rss.values()) / 1024, 1)},
        "cpu_s": cpu,
        "cpu_s_per_session": {part: round(cpu[part] / count, 3)
                              for part in ("replicas", "nginx", "postgres", "browsers")},
        "postgres_cpu_s_per_run": _round(cpu["postgres"] / server["runs"])
        if server["runs"] else None,
        "postgres_backends": len(after.pg_cpu),
        "streams_by_replica": got["streams"],
        "load_before": [round(v, 2) for v in before.load],
        "load_after": [round(v, 2) for v in after.load],
        "sessions_detail": [asdict(s) for s in results],
    }


def _pcts(values: list[float]) -> dict:
    return {"p50": _round(percentile(values, 50), 2), "p95": _round(percentile(values, 95), 2),
            "n": len(values)}


def machine() -> dict:
    """What the numbers were measured on."""
    model = next((line.split(":", 1)[1].strip() for line in _read("/proc/cpuinfo").splitlines()
                  if line.startswith("model name")), "")
    mem = next((int(line.split()[1]) for line in _read("/proc/meminfo").splitlines()
                if line.startswith("MemTotal:")), 0)
    code = {}
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        git = ["git", "-C", str(settings.PROJECT_DIR)]
        code = {"commit": subprocess.run([*git, "rev-parse", "--short", "HEAD"], check=True,
                                         capture_output=True, text=True).stdout.strip(),
                "uncommitted_files": len(subprocess.run(
                    [*git, "status", "--porcelain"], check=True, capture_output=True,
                    text=True).stdout.splitlines())}
    return {"cpus": os.cpu_count(), "cpu_model": model, "mem_gb": round(mem / 2**20, 1),
            "load": [round(v, 2) for v in os.getloadavg()], "code": code}


def run(steps: Sequence[int] = STEPS, replica_counts: Sequence[int] = REPLICA_COUNTS,
        work: Path = WORK_DIR) -> dict:
    """The whole curve: for each replica count, :func:`run_steps` over ``steps``."""
    url = settings.database_url()
    if sa.make_url(url).get_backend_name() != "postgresql":
        raise CakupanError("bench --load needs PostgreSQL (several replicas share one store): "
                           "set CAKUPAN_DATABASE_URL=postgresql+psycopg://USER:PASS@HOST/DB")
    store.get_engine(url)  # created and seeded once, before any replica starts
    geo.build()
    work.mkdir(parents=True, exist_ok=True)
    started = machine()
    curve = {}
    for replicas in replica_counts:
        curve[str(replicas)] = run_steps(
            steps, lambda n, r=replicas: measure_step(r, n, url, work))
    result = {"machine": started, "load_after": [round(v, 2) for v in os.getloadavg()],
              "browsers": BROWSERS, "links": [asdict(link) for link in LINKS],
              "curve": curve, "goal": {r: goal(s) for r, s in curve.items()}}
    (work / "result.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    return result


def table(result: dict) -> str:
    """The curve as text: one line per replica count and step."""
    head = (f"{'rep':>3} {'n':>3} {'open p50/p95 s':>15} {'month p50/p95 s':>16} {'err':>4} "
            f"{'runs':>5} {'script p50/p95 s':>17} {'cpu/run s':>9} {'MB/sess':>8} "
            f"{'cpu: srv/brw/oth s':>19} {'load':>5}")
    lines = [head]
    for replicas, steps in result["curve"].items():
        for s in steps:
            if "skipped" in s:
                lines.append(f"{replicas:>3} {s['sessions']:>3}  skipped: {s['skipped']}")
                continue
            c, srv, cpu = s["client"], s["server"], s["cpu_s"]
            lines.append(
                f"{replicas:>3} {s['sessions']:>3} "
                f"{_pair(c['open_s']):>15} {_pair(c['month_s']):>16} {s['errors']:>4} "
                f"{srv['runs']:>5} {_pair(srv['wall_s'], 3):>17} "
                f"{_num(srv['process_cpu_s_per_run'], 3):>9} "
                f"{_num(s['memory']['replica_mb_per_session'], 1):>8} "
                f"{cpu['replicas']:>6.0f}/{cpu['browsers']:.0f}/{cpu['others']:.0f}"
                f"{s['load_after'][0]:>6.1f}" + ("  TIMED OUT" if s["timed_out"] else ""))
    for replicas, g in result["goal"].items():
        lines.append(f"goal, {replicas} replica(s): errors up to {GOAL_SESSIONS} sessions: "
                     f"{g['errors_up_to_goal']}; p95 script time at {GOAL_SESSIONS} / lone: "
                     f"{_num(g['p95_ratio'], 2)} (<= {GOAL_RATIO:g}: "
                     f"{'yes' if g['p95_ok'] else 'no'})")
    return "\n".join(lines)


def _pair(stats: dict, digits: int = 1) -> str:
    return f"{_num(stats['p50'], digits)}/{_num(stats['p95'], digits)}"


def _num(value: float | None, digits: int) -> str:
    return "-" if value is None else f"{value:.{digits}f}"
