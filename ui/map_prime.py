"""Load a map view's boundary pieces in the background while a page gathers its numbers.

The overview draws its small map after the headline, the figures and the bullet chart. On
a process that has not shown that view yet (every fresh server or replica: the warm-up
primes only the national view), building the map first reads the view's boundary file,
its bounds (a GeoParquet read), its representative points and the ``/geo/`` file's name
(JSON parse, escaping, gzip, sha256): 0.2-0.5 s on this machine, inside the map's
"Menyiapkan peta…" spinner, after everything above it was already computed. Started at
the top of the page, the same loads run while the briefing's numbers are collected (the
GeoParquet read and gzip release the GIL), and the map is then only a figure to fill in.

Every loader is the process-wide cache the map reads (``functools.lru_cache`` in
``cakupan.geo``), so a warm process does nothing here but start and join a thread.
"""

from __future__ import annotations

import logging
import threading

import streamlit as st

from cakupan import geo
from cakupan.core.errors import CakupanError
from ui import http_assets

log = logging.getLogger(__name__)

#: Longest a page waits for the loads before drawing the map anyway (which then loads what
#: is missing itself): a stuck file system must not hold the page.
JOIN_TIMEOUT_S = 10.0


def _load(view: str, base_url_path: str) -> None:
    try:
        geo.view_geojson(view)
        geo.view_bounds(view)
        geo.representative_points(view)
        http_assets.geo_url(base_url_path, view)  # builds the /geo/ asset when it is served
    except CakupanError:  # no boundaries: the map says so itself, in the page's language
        return
    except Exception:  # a failed prime costs only time: the map loads what it needs itself
        log.exception("priming map view %s failed", view)


def start(view: str) -> threading.Thread | None:
    """Begin loading ``view``'s boundaries (``"national"`` or a province code); ``None``
    when there are no boundaries to load (the map will show its one-line notice)."""
    if not geo.available():
        return None
    thread = threading.Thread(target=_load, args=(view, st.get_option("server.baseUrlPath")),
                              name=f"cakupan-map-prime-{view}", daemon=True)
    thread.start()
    return thread


def wait(thread: threading.Thread | None) -> None:
    """Wait for :func:`start`'s loads (outside any spinner) before the map is built."""
    if thread is not None:
        thread.join(JOIN_TIMEOUT_S)
