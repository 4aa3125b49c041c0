"""The server entry point: app.py serves router.py and warms the process at start."""

from __future__ import annotations

import asyncio
import importlib
import threading

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.app


def test_app_py_serves_the_router_script(monkeypatch) -> None:
    import streamlit as st

    from ui import http_assets

    # Importing app.py mounts the /geo/ route, which makes figures name their geometry by
    # URL in this process: keep that from the AppTests that run after this one.
    monkeypatch.setattr(http_assets, "_serving", http_assets.serving())
    entry = importlib.import_module("app")
    assert isinstance(entry.app, st.App)
    assert entry.app.script_path.name == "router.py"
    assert (ROOT / entry.app.script_path).exists()


def test_warm_up_loads_the_store_and_the_national_view(geo_ready, monkeypatch) -> None:
    from streamlit.runtime.pages_manager import PagesManager

    from cakupan import geo, store
    from cakupan.core import settings
    from cakupan.geo import loaders as geo_loaders
    from ui import warmup

    store.clear_engines()
    geo.clear_memory()
    monkeypatch.setattr(PagesManager, "uses_pages_directory", True)

    async def serve() -> None:
        async with warmup.lifespan(None):  # returns at once: the warm-up is in a thread
            assert PagesManager.uses_pages_directory is False  # links route via router.py
            worker = next(t for t in threading.enumerate() if t.name == "cakupan-warmup")
            worker.join(60)

    asyncio.run(serve())
    assert store.is_open(settings.database_url())
    assert geo_loaders._view_geojson.cache_info().currsize >= 1  # the national view is in memory
