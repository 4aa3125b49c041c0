"""Per-rerun timing of a Streamlit server, for ``python -m cakupan bench --load`` only.

The load benchmark needs the server-side time of every script run, apart from what the
browsers see: the wall time a run takes (which grows when runs queue for the GIL and the
cores) and the CPU time of the thread that ran it. Streamlit 1.67 publishes neither (its
``/_stcore/metrics`` has sessions and caches, no run times), so the benchmark starts its
replicas with a ``sitecustomize`` that calls :func:`install` before Streamlit starts. Lives in
``ui/`` because it touches Streamlit; nothing in the app imports it, so a normal server runs
without it.

Each script run appends one JSON line to ``DIR/runs-PID.jsonl``: ``start`` (epoch seconds),
``wall_s``, ``cpu_s`` (``time.thread_time`` of the script thread: the page's own Python, not the
protobuf sending that happens on the server's event loop afterwards), ``runq_s`` (the time the
script thread was ready to run but waited for a core, from Linux's
``/proc/self/task/TID/schedstat``: what a machine with too few cores adds), ``fragment`` (a
fragment run, e.g. the freshness check, rather than the whole page) and ``page``. What is
left of ``wall_s`` is waiting off the run queue: for the GIL, a lock, the database.
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path
from typing import Any

_lock = threading.Lock()


def install(folder: str) -> None:
    """Wrap ``ScriptRunner._run_script`` (one call per rerun request, ``st.rerun`` loops
    included) so that each run is timed and written to ``folder``.

    A private method: if Streamlit renames it the wrapper is not installed and the benchmark
    reports that it got no server timings, rather than guessing.
    """
    from streamlit.runtime.scriptrunner import script_runner

    runner_cls = script_runner.ScriptRunner
    original = getattr(runner_cls, "_run_script", None)
    if original is None or getattr(original, "_cakupan_timed", False):
        return
    out = Path(folder) / f"runs-{os.getpid()}.jsonl"
    out.parent.mkdir(parents=True, exist_ok=True)

    def timed(self: Any, rerun_data: Any) -> None:
        sched = f"/proc/self/task/{threading.get_native_id()}/schedstat"
        start, wall0, cpu0, runq0 = time.time(), time.perf_counter(), time.thread_time(), \
            _runq_s(sched)
        try:
            original(self, rerun_data)
        finally:
            record = {"start": start, "wall_s": time.perf_counter() - wall0,
                      "cpu_s": time.thread_time() - cpu0, "runq_s": _runq_s(sched) - runq0,
                      "fragment": bool(getattr(rerun_data, "fragment_id_queue", None)),
                      "page": getattr(rerun_data, "page_name", "") or ""}
            with _lock, out.open("a", encoding="utf-8") as f:
                f.write(json.dumps(record) + "\n")

    timed._cakupan_timed = True  # type: ignore[attr-defined]
    runner_cls._run_script = timed  # type: ignore[method-assign]


def _runq_s(path: str) -> float:
    """Seconds this thread has waited on a run queue (0.0 where the kernel does not say)."""
    try:
        with open(path, encoding="ascii") as f:
            return int(f.read().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return 0.0
