"""Regency boundaries: from the pinned upstream files to the small views the maps draw.

Modules, from the bottom up (each may import only those below it; ``pyproject.toml`` checks):

- ``source``: the pinned registry, download or mirror, sha256 verification;
- ``parse``: the upstream SQL dumps to shapely geometries;
- ``shape``: repair, clean, drop specks, simplify (tiered) and quantise;
- ``cache``: the cache folder of the current pins and pipeline version, and view names;
- ``build``: the pipeline that writes every view (``python -m cakupan geo build``);
- ``loaders``: the in-process loaders the maps call (GeoDataFrames, GeoJSON, bounds, points);
- ``assets``: a view's GeoJSON as a content-named file the browser fetches once (the map route).

Callers use the package: ``from cakupan import geo; geo.load_view("81")``; the public names
are re-exported below. May import: ``cakupan.regions`` and ``cakupan.core``.
"""

from cakupan.geo.assets import Asset, asset, asset_name, view_asset
from cakupan.geo.build import (
    AREA_CHECK_MIN_KM2,
    AREA_TOLERANCE,
    MAX_COARSENING,
    MAX_DECIMALS,
    NATIONAL_PARAMS,
    PROVINCE_PARAMS,
    Prepared,
    ViewParams,
    build_cache,
    make_view,
    prepare,
    provinces_frame,
)
from cakupan.geo.cache import (
    ATTRIBUTION,
    MANIFEST,
    NATIONAL,
    PIPELINE_VERSION,
    cache_key,
    cache_path,
    check_view,
    raw_dir,
    registry_of_pins,
    views,
)
from cakupan.geo.loaders import (
    available,
    build,
    clear_memory,
    load_provinces,
    load_view,
    payload_bytes,
    representative_points,
    view_bounds,
    view_geojson,
    view_geojson_text,
)

__all__ = [
    "AREA_CHECK_MIN_KM2",
    "AREA_TOLERANCE",
    "ATTRIBUTION",
    "MANIFEST",
    "MAX_COARSENING",
    "MAX_DECIMALS",
    "NATIONAL",
    "NATIONAL_PARAMS",
    "PIPELINE_VERSION",
    "PROVINCE_PARAMS",
    "Asset",
    "Prepared",
    "ViewParams",
    "asset",
    "asset_name",
    "available",
    "build",
    "build_cache",
    "cache_key",
    "cache_path",
    "check_view",
    "clear_memory",
    "load_provinces",
    "load_view",
    "make_view",
    "payload_bytes",
    "prepare",
    "provinces_frame",
    "raw_dir",
    "registry_of_pins",
    "representative_points",
    "view_asset",
    "view_bounds",
    "view_geojson",
    "view_geojson_text",
    "views",
]
