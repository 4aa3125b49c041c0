"""Issue 15, done when: a Shapefile zip of Maluku's regencies in a projected CRS, with
geoportal-style names only, loads, matches 11/11, and the Maluku map draws from it.

Its own served app with its own store and cache folder (the default set linked in): the
version applied here must never reach the maps of the shared app or of anyone else.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.browser.conftest import ROOT, main_text_with, serve_app, wait_for_app
from tests.browser.test_pages_browser import rendered_shapes
from tests.unit.geo import byo_files as files

pytestmark = pytest.mark.browser


def test_maluku_map_draws_from_a_loaded_geoportal_shapefile(geo_ready, browser, tmp_path,
                                                            monkeypatch) -> None:
    from cakupan import geo

    default = geo.cache_path()
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / default.name).symlink_to(default, target_is_directory=True)
    path = tmp_path / "BATAS_KABUPATEN_MALUKU.zip"
    path.write_bytes(files.geoportal_zip_of(geo.load_view("81"), tmp_path / "shp"))
    env = {**os.environ, "CAKUPAN_CACHE_DIR": str(cache),
           "CAKUPAN_DATABASE_URL": f"sqlite:///{tmp_path / 'app.sqlite'}"}
    done = subprocess.run(
        [sys.executable, "-m", "cakupan", "geo", "load", str(path), "--apply", "--licence",
         "CC BY 4.0", "--source", "Geoportal Provinsi Maluku", "--json"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert (report["features"], report["matched"], report["unmatched"], report["applied"]) == (
        11, 11, [], True)

    monkeypatch.setenv("CAKUPAN_CACHE_DIR", str(cache))
    version_file = geo.asset_name("81")  # what the app must name for Maluku now
    geo.clear_memory()
    monkeypatch.setenv("CAKUPAN_CACHE_DIR", str(default.parent))
    assert version_file != geo.asset_name("81")  # ... which is not the default set's file

    with serve_app(tmp_path, env={"CAKUPAN_CACHE_DIR": str(cache)}) as url:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        fetched: list[str] = []
        page.on("request", lambda r: "/geo/" in r.url and fetched.append(r.url))
        try:
            page.goto(f"{url}/peta?region=81&segment=all&metric=status")
            wait_for_app(page, timeout_s=60)
            assert rendered_shapes(page, timeout_s=40) == 11
            assert any(u.endswith("/geo/" + version_file) for u in fetched), fetched
            main_text_with(page, f"versi {report['version']}", "Geoportal Provinsi Maluku")
        finally:
            page.close()
