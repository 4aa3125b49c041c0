"""Issue 10, item 8: scale with the data. A national panel imported from the command line, and
the pages' server-side time on a store that holds it.

The panel is what a branch's national export looks like: every regency (514) x 96 months
(2017-01 to 2024-12) x the six segments, long layout, ``;``-separated, codes and Indonesian
thousands separators: 296,064 rows, about 9.6 MB. By the four programmes JKK, JKM, JHT and
JP it is 1,184,256 rows, about 40 MB. Both are generated here, streamed to disk, never
committed.

Measured (``python -m cakupan bench --only data_scale``, a minute or two):

- ``data_scale_import_*``: wall seconds and peak resident memory of ``python -m cakupan
  import FILE --json`` run as the operator in a subprocess (``_parent_mb`` the command's own,
  ``_child_mb`` the sandbox child's, from ``getrusage``; ``_peak_mb`` the larger), into a
  seeded SQLite store: first the 296k panel, then the 1.2M one;
- ``data_scale_page_*``: the server-side work of the trend, map and overview pages with a
  cold cache (what runs after a publish changes the data version: the store reads and the
  numbers the page draws from, not the browser), on a default store and on the store with
  both panels loaded, run by turns (best of 5 each); ``data_scale_page_ratio`` is the worst
  page's big/default ratio;
- with ``CAKUPAN_BENCH_PG_URL`` set, the same import and pages on PostgreSQL too
  (``data_scale_pg_*``; a schema of its own, dropped afterwards).
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from cakupan import regions
from cakupan.benchmarks.registry import benchmark
from cakupan.core import settings

MONTHS = [f"{y}-{m:02d}" for y in range(2017, 2025) for m in range(1, 13)]
PANEL_SEGMENTS = ("Non ASN", "Aparatur Desa", "Pekerja Rentan", "PU", "BPU", "Jakon")
PANEL_PROGRAMMES = ("JKK", "JKM", "JHT", "JP")
#: Rows of the two panels (514 x 96 x 6, and that by 4 programmes).
SEGMENT_ROWS = 514 * 96 * 6
PROGRAMME_ROWS = SEGMENT_ROWS * 4


def _id_int(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def write_panel(path: Path, *, programmes: bool = False, codes: list[str] | None = None,
                months: list[str] | None = None) -> int:
    """Write the national panel as a CSV to ``path`` (streamed); return its data rows.

    Deterministic: eligible people per regency and segment, registered growing month by month
    to between 20% and 95% of them, never above. ``codes`` and ``months`` make a smaller panel
    of the same shape (the tests' files).
    """
    codes = codes if codes is not None else list(regions.regencies()["code"])
    months = months if months is not None else MONTHS
    progs = PANEL_PROGRAMMES if programmes else (None,)
    header = "Kode;Periode;Segmen;" + ("Program;" if programmes else "") + "Peserta;Potensi\n"
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(header)
        batch: list[str] = []
        for r, code in enumerate(codes):
            for s, segment in enumerate(PANEL_SEGMENTS):
                eligible = 400 + (r * 7919 + s * 104_729) % 60_000
                start = 20 + (r * 31 + s * 17) % 40
                for m, month in enumerate(months):
                    share = min(95, start + m * (95 - start) // max(1, len(months) - 1))
                    for p, programme in enumerate(progs):
                        registered = eligible * max(0, share - 3 * p) // 100
                        prog = f"{programme};" if programme else ""
                        batch.append(f"{code};{month};{segment};{prog}"
                                     f"{_id_int(registered)};{_id_int(eligible)}\n")
                        rows += 1
                if len(batch) >= 20_000:
                    out.write("".join(batch))
                    batch.clear()
        out.write("".join(batch))
    return rows


# --- importing, in a subprocess --------------------------------------------------------------

#: Runs ``python -m cakupan import`` in-process and writes its own and its sandbox children's
#: peak resident memory to the file named by argv[1] (the children report theirs through the
#: sandbox's outcome; the fork server's children are not ours to wait for).
_IMPORT_RUNNER = """
import json, resource, sys, time
peaks = []
from cakupan.ingest import sandbox
_run = sandbox.run_limited
def run_limited(*args, **kwargs):
    outcome = _run(*args, **kwargs)
    peaks.append(outcome.max_rss_bytes or 0)
    return outcome
sandbox.run_limited = run_limited
_stream = getattr(sandbox, "LimitedStream", None)
if _stream is not None:
    _close = _stream.close
    def close(self):
        _close(self)
        peaks.append(self.max_rss_bytes or 0)
    _stream.close = close
from cakupan.commands.cli import main
start = time.perf_counter()
status = main(sys.argv[2:])
seconds = time.perf_counter() - start
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
waited = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
with open(sys.argv[1], "w") as fh:
    json.dump({"status": status, "seconds": seconds, "parent_bytes": own,
               "child_bytes": max([waited, *peaks])}, fh)
"""


def import_in_subprocess(path: Path, url: str, *args: str,
                         env: dict[str, str] | None = None) -> dict[str, Any]:
    """Import ``path`` into the store at ``url`` as the operator in a fresh interpreter.

    Returns ``seconds``, ``parent_mb`` (the command's own peak RSS), ``child_mb`` (the largest
    sandbox child's), ``peak_mb`` (the larger), ``status`` and the command's JSON answer.
    """
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "rusage.json"
        full_env = {**os.environ, "CAKUPAN_DATABASE_URL": url, **(env or {})}
        proc = subprocess.run(
            [sys.executable, "-c", _IMPORT_RUNNER, str(report), "import", str(path), *args,
             "--json"], cwd=settings.PROJECT_DIR, env=full_env, capture_output=True,
            text=True, timeout=1800)
        if not report.exists():
            raise RuntimeError(f"import did not finish: {proc.stderr.strip()[-500:]}")
        figures = json.loads(report.read_text())
    try:
        answer = json.loads(proc.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        answer = {}
    parent, child = figures["parent_bytes"] / 2**20, figures["child_bytes"] / 2**20
    return {"seconds": figures["seconds"], "parent_mb": parent, "child_mb": child,
            "peak_mb": max(parent, child), "status": figures["status"], "answer": answer,
            "stderr": proc.stderr.strip()[-300:]}


# --- the pages' server-side work ---------------------------------------------------------------


def _common(engine: Any, segment: str) -> str:
    """What every page runs first (``ui.context.start``): the months, the data version."""
    from cakupan import store

    store.periods(engine)
    months = store.periods(engine, segment)
    store.data_version(engine)
    return months[-1]


def page_work(engine: Any) -> dict[str, Callable[[], object]]:
    """The server-side work of each page for one link, cold (``ui.context``'s cached reads
    run again after a publish): store reads and the numbers drawn from them."""
    from cakupan import briefing, store
    from cakupan.analysis import metrics
    from cakupan.analysis.outlook import outlook
    from cakupan.analysis.targets import pick_target

    national = list(regions.regencies()["code"])
    sultra = list(regions.regencies("74")["code"])

    def tren() -> object:  # /tren?region=81&segment=non_asn
        latest = _common(engine, "non_asn")
        obs = store.current_observations(engine, segment="non_asn", programme="any",
                                         province="81")
        main = metrics.series(obs, code="81", segment="non_asn")
        target = pick_target(store.targets(engine), "81", "non_asn", latest)
        return outlook(main, target)

    def peta_national() -> object:  # /peta?segment=non_asn (the latest month)
        latest = _common(engine, "non_asn")
        obs = store.current_observations(engine, segment="non_asn", programme="any",
                                         period=latest)
        return metrics.snapshot(obs, period=latest, segment="non_asn", codes=national)

    def peta_province() -> object:  # /peta?region=74&segment=non_asn&period=2018-10
        _common(engine, "non_asn")
        obs = store.current_observations(engine, segment="non_asn", programme="any",
                                         period="2018-10", province="74")
        return metrics.snapshot(obs, period="2018-10", segment="non_asn", codes=sultra)

    def ringkasan() -> object:  # / (Maluku, all segments, the latest month)
        latest = _common(engine, "all")
        return briefing.collect_from_store(engine, region="81", period=latest, segment="all")

    def ringkasan_national() -> object:  # /?segment=non_asn with Indonesia chosen
        latest = _common(engine, "non_asn")
        return briefing.collect_from_store(engine, region="", period=latest,
                                           segment="non_asn")

    return {"tren": tren, "peta_national": peta_national, "peta_province": peta_province,
            "ringkasan": ringkasan, "ringkasan_national": ringkasan_national}


def page_times_ms(engines: dict[str, Any], repeat: int = 5) -> dict[str, dict[str, float]]:
    """Best of ``repeat`` cold runs of each page's server-side work on each store, in ms.

    The stores take turns run by run (default, big, default, big...), so a machine that
    gets busier or quieter during the measurement weighs on both alike (here the two cores
    are shared with other work; the minimum of interleaved runs is the stable figure).
    """
    work = {label: page_work(engine) for label, engine in engines.items()}
    out: dict[str, dict[str, float]] = {label: {} for label in engines}
    for page in next(iter(work.values())):
        for label in engines:
            work[label][page]()  # the connection pool and the region tables, as in a server
        best = dict.fromkeys(engines, float("inf"))
        for _ in range(repeat):
            for label in engines:
                start = time.perf_counter()
                work[label][page]()
                best[label] = min(best[label], time.perf_counter() - start)
        for label in engines:
            out[label][page] = 1000 * best[label]
    return out


# --- the measurement ---------------------------------------------------------------------------


def _folder() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="cakupan-data-scale-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


@cache
def _panels() -> tuple[Path, Path]:
    folder = _folder()
    small, big = folder / "nasional_segmen.csv", folder / "nasional_program.csv"
    write_panel(small)
    write_panel(big, programmes=True)
    return small, big


def _pg_schema_url(base: str) -> tuple[str, Callable[[], None]]:
    import sqlalchemy as sa

    name = f"bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(base)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {name}")

    def drop() -> None:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {name} CASCADE")
        admin.dispose()

    separator = "&" if "?" in base else "?"
    return f"{base}{separator}options=-csearch_path%3D{name}", drop


def _second_store(backend: str, url: str) -> tuple[str, Callable[[], None] | None]:
    """Where the default store (seeded, nothing imported) lives beside the big one."""
    if backend == "sqlite":
        return f"sqlite:///{_folder() / 'default.sqlite'}", None
    return _pg_schema_url(os.environ["CAKUPAN_BENCH_PG_URL"].strip())


@cache
def _measure(backend: str) -> dict[str, float]:
    """Import both panels into a seeded store and time the pages before and after."""
    from cakupan import store

    if backend == "sqlite":
        url, cleanup = f"sqlite:///{_folder() / 'scale.sqlite'}", None
    else:
        base = os.environ.get("CAKUPAN_BENCH_PG_URL", "").strip()
        if not base:
            raise RuntimeError("CAKUPAN_BENCH_PG_URL is not set (PostgreSQL figures skipped)")
        url, cleanup = _pg_schema_url(base)
    try:
        small, big = _panels()
        default_url, default_cleanup = _second_store(backend, url)
        engines = {"default": store.get_engine(default_url),  # created and seeded
                   "big": store.get_engine(url)}  # the same, then both panels imported
        figures: dict[str, float] = {}
        for label, path in (("296k", small), ("1m", big)):
            done = import_in_subprocess(path, url)
            expected = SEGMENT_ROWS if label == "296k" else PROGRAMME_ROWS
            if done["status"] != 0 or done["answer"].get("imported") != expected:
                raise RuntimeError(f"{path.name} did not import: status {done['status']}, "
                                   f"{done['answer'].get('errors', [])[:2]} {done['stderr']}")
            figures[f"import_{label}_s"] = done["seconds"]
            for part in ("peak", "parent", "child"):
                figures[f"import_{label}_{part}_mb"] = done[f"{part}_mb"]
        times = page_times_ms(engines)
        for name in times["default"]:
            figures[f"page_default_{name}_ms"] = times["default"][name]
            figures[f"page_big_{name}_ms"] = times["big"][name]
        figures["page_ratio"] = max(times["big"][n] / times["default"][n]
                                    for n in times["default"])
        return figures
    finally:
        store.clear_engines()
        for done in (cleanup, locals().get("default_cleanup")):
            if done is not None:
                done()


_BUDGETS = {"import_296k_s": (60.0, "s"), "import_1m_s": (240.0, "s"),
            "page_ratio": (1.5, "x")}
for _label in ("296k", "1m"):  # the larger of the two, the command's own, the sandbox child's
    for _part in ("peak", "parent", "child"):
        _BUDGETS[f"import_{_label}_{_part}_mb"] = (500.0, "MB")
_PAGES = ("tren", "peta_national", "peta_province", "ringkasan", "ringkasan_national")


def _register(backend: str, prefix: str) -> None:
    names = dict(_BUDGETS)
    for page in _PAGES:
        names[f"page_default_{page}_ms"] = (1000.0, "ms")
        names[f"page_big_{page}_ms"] = (1000.0, "ms")
    for key, (budget, unit) in names.items():
        def measure(key: str = key) -> float:
            return _measure(backend)[key]

        measure.__doc__ = f"{key} on {backend} (see the module docstring)."
        benchmark(f"{prefix}_{key}", budget=budget, unit=unit, issue=10)(measure)


_register("sqlite", "data_scale")
if os.environ.get("CAKUPAN_BENCH_PG_URL", "").strip():
    _register("postgresql", "data_scale_pg")
