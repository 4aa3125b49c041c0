"""Loading the boundary views the maps draw: built on first need, then memoised in-process.

Every loader is keyed by plain strings (the cache folder and the view name), so pages can call
them on every rerun; results are shared, so treat returned objects as read-only.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import pandas as pd

from cakupan.core import settings
from cakupan.core.errors import CakupanError
from cakupan.geo import source as geo_source
from cakupan.geo.build import build_cache
from cakupan.geo.byo import versions as byo_versions
from cakupan.geo.cache import MANIFEST, cache_path, check_view, raw_dir, registry_of_pins


def build(force: bool = False) -> dict:
    """Fetch, verify, repair, simplify and cache every view; return the ``geo build`` JSON.

    See :func:`cakupan.geo.build.build_cache`; this wrapper also forgets what this process
    had loaded, so a rebuilt view is read afresh.
    """
    summary = build_cache(force)
    if not summary.get("cached"):
        clear_memory()
    return summary


def clear_memory() -> None:
    """Forget the in-process caches (after a rebuild, or in benchmarks of a cold load)."""
    for func in (_frame, _view_text, _view_geojson, _provinces, _bounds, _points):
        func.cache_clear()


def available() -> bool:
    """True if maps can be shown: the cache is built, or the source can be read.

    Never hangs: a local mirror is checked on disk, a URL with one short HEAD request whose
    answer is remembered for the process.
    """
    try:
        registry = registry_of_pins()
        if (cache_path() / MANIFEST).is_file():
            return True
        return geo_source.reachable(registry, settings.geo_source(), raw_dir())
    except (CakupanError, OSError):
        return False


def _ensure_built(view: str | None = None) -> Path:
    """The folder ``view`` is drawn from: a loaded boundary version that holds it (see
    :mod:`cakupan.geo.byo.versions`), else the default set, built on first need."""
    if view is not None and (chosen := byo_versions.folder_for(view)) is not None:
        return chosen
    folder = cache_path()
    if not (folder / MANIFEST).is_file():
        build()
    return folder


@lru_cache(maxsize=64)
def _frame(folder: str, view: str) -> gpd.GeoDataFrame:
    return gpd.read_parquet(Path(folder) / f"{view}.parquet")


def load_view(view: str) -> gpd.GeoDataFrame:
    """Regencies of one view: columns ``code``, ``name``, ``geometry`` (EPSG:4326).

    Builds the cache on first need.

    >>> load_view("81")["code"].str.startswith("81.").all()  # doctest: +SKIP
    True
    """
    view = check_view(view)
    frame = _frame(str(_ensure_built(view)), view)
    return frame[["code", "name", "geometry"]].copy()


@lru_cache(maxsize=4)
def _provinces(folder: str) -> gpd.GeoDataFrame:
    return gpd.read_parquet(Path(folder) / "provinces.parquet")


def load_provinces() -> gpd.GeoDataFrame:
    """Province outlines (dissolve of their regencies): ``code``, ``name``, ``geometry``."""
    return _provinces(str(_ensure_built())).copy()


@lru_cache(maxsize=64)
def _view_text(folder: str, view: str) -> str:
    """The exact payload text of a view as built (compact GeoJSON)."""
    return (Path(folder) / f"{view}.geojson").read_text(encoding="utf-8")


@lru_cache(maxsize=64)
def _view_geojson(folder: str, view: str) -> dict:
    return json.loads(_view_text(folder, view))


def view_geojson(view: str) -> dict:
    """The view as a GeoJSON FeatureCollection (properties ``code`` and ``name``).

    The same dict is returned on every call: do not mutate it (build new features instead).
    """
    view = check_view(view)
    return _view_geojson(str(_ensure_built(view)), view)


def view_geojson_text(view: str) -> str:
    """The view's payload exactly as built: compact GeoJSON text (what ``geo export`` writes)."""
    view = check_view(view)
    return _view_text(str(_ensure_built(view)), view)


def payload_bytes(view: str) -> int:
    """Bytes of the compact GeoJSON the app sends to the browser for this view."""
    return len(view_geojson_text(view).encode("utf-8"))


@lru_cache(maxsize=64)
def _bounds(folder: str, view: str) -> tuple[float, float, float, float]:
    minx, miny, maxx, maxy = _frame(folder, view).total_bounds
    return (float(minx), float(miny), float(maxx), float(maxy))


def view_bounds(view: str) -> tuple[float, float, float, float]:
    """``(minx, miny, maxx, maxy)`` in degrees, for centring and zooming a map."""
    view = check_view(view)
    return _bounds(str(_ensure_built(view)), view)


@lru_cache(maxsize=64)
def _points(folder: str, view: str) -> pd.DataFrame:
    frame = _frame(folder, view)
    return pd.DataFrame({"code": frame["code"], "lon": frame["lon"], "lat": frame["lat"],
                         "area_km2": frame["area_km2"]}).reset_index(drop=True)


def representative_points(view: str) -> pd.DataFrame:
    """One point inside each regency (``code``, ``lon``, ``lat``, ``area_km2``).

    For labels and for markers that keep small islands findable; the point always lies on
    the regency (not a centroid, which can fall in the sea for an archipelago).
    """
    view = check_view(view)
    return _points(str(_ensure_built(view)), view).copy()
