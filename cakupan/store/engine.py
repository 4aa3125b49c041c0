"""The store's front door: :func:`get_engine` opens the database and, once per process, makes
sure it holds the embedded default dataset.

It sits above the seed (which writes through :mod:`cakupan.store.writes`), so nothing below it
needs to know that seeding exists and the store's imports have no circle.

Examples
--------
>>> engine = get_engine()                                   # doctest: +SKIP
>>> current_observations(engine, segment="non_asn", period="2018-10", province="74")  # +SKIP
"""

from __future__ import annotations

import threading

from sqlalchemy.engine import Engine

from cakupan.core import settings
from cakupan.store import database
from cakupan.store import seed as seeding

_SEEDED: set[str] = set()
_LOCK = threading.RLock()


def get_engine(url: str | None = None, *, seed: bool = True) -> Engine:
    """The engine for ``url`` (default ``settings.database_url()``), ready to use.

    Cached per URL for the life of the process. On first use the database is created if
    needed, migrated to the current schema and (``seed=True``) loaded with the embedded default
    dataset; later calls cost a dictionary lookup.
    """
    url = url or settings.database_url()
    with _LOCK:
        engine = database.open_database(url)
        if seed and url not in _SEEDED:
            seeding.ensure_seeded(engine)
            _SEEDED.add(url)
    return engine


def is_open(url: str) -> bool:
    """Whether this process has opened (and seeded) the store at ``url`` (the warm-up's check)."""
    return url in _SEEDED


def clear_engines() -> None:
    """Dispose every cached engine and forget what was seeded (tests, cold-start benchmark)."""
    with _LOCK:
        database.dispose_all()
        _SEEDED.clear()
