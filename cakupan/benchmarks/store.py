"""Benchmarks of the coverage store (issue 3): first start and the map query."""

from __future__ import annotations

import atexit
import shutil
import tempfile
import time
from functools import cache
from pathlib import Path

from sqlalchemy.engine import Engine

from cakupan import store
from cakupan.benchmarks.registry import benchmark, best_of

#: The map's slice: one province, one month, one segment (Sultra's published month).
MAP_QUERY = {"province": "74", "period": "2018-10", "segment": "non_asn", "programme": "any"}


def _fresh_url() -> str:
    """A store URL in a new temporary folder, removed when the process exits."""
    folder = Path(tempfile.mkdtemp(prefix="cakupan-bench-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return f"sqlite:///{folder / 'cakupan.sqlite'}"


@benchmark("store_first_start_s", budget=10.0, unit="s", issue=3)
def store_first_start_s() -> float:
    """Seconds to create, migrate and seed (published + illustrative panel) an empty SQLite store.

    Measured once, cold, in a new folder: what a person waits for on the first start of the app.
    """
    url = _fresh_url()
    start = time.perf_counter()
    store.get_engine(url)
    return time.perf_counter() - start


@cache
def _seeded() -> Engine:
    return store.get_engine(_fresh_url())


@benchmark("store_map_query_ms", budget=50.0, unit="ms", issue=3)
def store_map_query_ms() -> float:
    """Milliseconds for one province-month ``current_observations`` on a seeded store, warm."""
    engine = _seeded()
    store.current_observations(engine, **MAP_QUERY)  # warm the connection pool and caches
    return best_of(lambda: store.current_observations(engine, **MAP_QUERY), repeat=20) * 1000
