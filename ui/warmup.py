"""Server start-up: warm the process in the background (imports, store, boundary views).

Runs in a daemon thread so the server answers at once; a visitor who arrives during the
warm-up simply shares the same caches (module imports and ``store.get_engine`` are
thread-safe and idempotent). Failures are logged, never fatal: the pages load what they
need themselves.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pandas as pd

log = logging.getLogger("cakupan.warmup")


def prime() -> None:
    """Load what the first page view needs: modules, the store, the national map view."""
    import streamlit.emojis  # noqa: F401  (set_page_config's icon check imports it)

    from cakupan import geo, ingest, regions, store
    from ui import context, render  # noqa: F401  (importing them is the warm-up)

    engine = store.get_engine()
    # The boundaries the store says are in use (issue 15): this host's pointer follows the
    # store (a version switched while this replica was down, or one this host cannot draw).
    if store.boundaries.active_version(engine) is not None or geo.byo.selection() is not None:
        store.boundaries.sync_selection(engine)
    ingest.warm_up()  # the upload checker's fork server: 1.2-1.4 s not paid by the first upload
    store.periods(engine)
    regions.load_regions()
    if geo.available():
        # Indonesia (the map page's default) and Maluku (the overview's, the trend's and
        # the profile's): their boundaries, extent, points and /geo/ file (~0.1-0.5 s).
        for view in (geo.NATIONAL, "81"):
            geo.view_geojson(view)
            geo.view_bounds(view)
            geo.view_asset(view)
            geo.representative_points(view)
        # plotly loads a figure type's validators on first use (~0.1 s): pay it now.
        from cakupan.present import mapview

        empty = pd.DataFrame({"code": [], "status": [], "coverage_pct": []})
        mapview.choropleth("31", empty).to_json()


def _run() -> None:
    try:
        prime()
    except Exception:  # a failed warm-up only costs the first visitor time
        log.exception("warm-up failed")


@asynccontextmanager
async def lifespan(_app: Any) -> AsyncIterator[None]:
    from streamlit.runtime.pages_manager import PagesManager

    # router.py calls st.navigation: tell Streamlit now, so the first link a fresh server
    # sees runs through the router at once instead of via ui.context._ensure_router's rerun.
    PagesManager.uses_pages_directory = False
    threading.Thread(target=_run, name="cakupan-warmup", daemon=True).start()
    yield
