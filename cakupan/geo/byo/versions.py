"""Boundary versions on disk: the matched geometry of each loaded file, its built views, and
which version the maps draw now.

A version's folder (``CAKUPAN_CACHE_DIR/byo/<id>/``) holds ``matched.parquet`` (the file's
features placed on regions, repaired, EPSG:4326: what a rebuild starts from) and, once built,
one view per province the file touches plus the national view, made exactly as the default
set's (:func:`cakupan.geo.build.make_view`: quantise, clean into a coverage,
coverage-preserving tiered simplification, the same byte budgets), and ``manifest.json``.

Scope ``all``: in the views it touches, the version is the whole map (a region it lacks is not
drawn). Scope ``covered``: it replaces only the regions it has; the rest of each view come
from the default set, and the two are cleaned into one coverage (overlaps go to the smaller
region, slivers to the longest neighbour) before simplification.

``active.json`` says which version the maps draw. The store keeps the record of versions (who,
when, licence, the active flag, the audit trail) and writes this file whenever the active
version changes; it is the geometry's own pointer so every loader can decide per view
without asking the store.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np

from cakupan.core import settings
from cakupan.core.errors import CakupanError
from cakupan.geo import shape as geo_shape
from cakupan.geo.build import (
    NATIONAL_PARAMS,
    PROVINCE_PARAMS,
    Prepared,
    build_cache,
    make_view,
)
from cakupan.geo.cache import MANIFEST, NATIONAL, PIPELINE_VERSION, cache_path, views

SCOPES = ("all", "covered")
ACTIVE = "active.json"
MATCHED = "matched.parquet"


def byo_dir() -> Path:
    """Where loaded boundary versions live (beside the default set's cache)."""
    return settings.cache_dir() / "byo"


def version_dir(version_id: str) -> Path:
    if not version_id or not all(c.isalnum() or c in "-_" for c in version_id):
        raise CakupanError(f"malformed boundary version id {version_id!r}")
    return byo_dir() / version_id


def save_matched(version_id: str, codes: list[str], names: list[str],
                 geoms: np.ndarray) -> Path:
    """Keep a version's matched features (one per region) for its builds."""
    folder = version_dir(version_id)
    folder.mkdir(parents=True, exist_ok=True)
    frame = gpd.GeoDataFrame({"code": codes, "name": names},
                             geometry=gpd.GeoSeries(list(geoms), crs="EPSG:4326"))
    frame.to_parquet(folder / MATCHED)
    return folder / MATCHED


def _default_regions() -> gpd.GeoDataFrame:
    """Every regency of the default set at its finest built detail (the province views)."""
    import pandas as pd

    frames = [gpd.read_parquet(cache_path() / f"{view}.parquet") for view in views()
              if view != NATIONAL]
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs="EPSG:4326")


def _prepare(mine: gpd.GeoDataFrame, scope: str) -> Prepared:
    """The one coverage every view of a version is cut from, as the default set's
    :func:`cakupan.geo.build.prepare`: the version's regions (``covered``: and the default
    set's others), repaired, quantised and cleaned together once, so neighbours from the two
    sources meet without overlaps or slivers."""
    codes, names = list(mine["code"]), list(mine["name"])
    geoms = np.array(list(mine.geometry), dtype=object)
    if scope == "covered":
        default = _default_regions()
        rest = default[~default["code"].isin(set(codes))]
        codes += list(rest["code"])
        names += list(rest["name"])
        geoms = np.concatenate([geoms, np.array(list(rest.geometry), dtype=object)])
    order = np.argsort(codes, kind="stable")
    codes = [codes[i] for i in order]
    names = [names[i] for i in order]
    geoms, _ = geo_shape.quantise(geo_shape.repair(geoms[order]), NATIONAL_PARAMS.decimals)
    clean = geo_shape.clean_coverage(geoms)
    return Prepared(codes, names, clean, geo_shape.areas_km2(clean), {})


def build_version(version_id: str, scope: str) -> dict:
    """Build (or return the built) views of one version; the summary names each view's bytes.

    Raises
    ------
    CakupanError
        An unknown scope, or a version whose matched features are not on disk.
    """
    if scope not in SCOPES:
        raise CakupanError(f"unknown scope {scope!r}; expected one of {', '.join(SCOPES)}")
    start = time.perf_counter()
    folder = version_dir(version_id)
    manifest = folder / MANIFEST
    if manifest.is_file():
        summary = json.loads(manifest.read_text(encoding="utf-8"))
        if summary.get("pipeline_version") == PIPELINE_VERSION and summary.get("scope") == scope:
            return {**summary, "cached": True}
    if not (folder / MATCHED).is_file():
        raise CakupanError(f"boundary version {version_id} has no matched features on disk")
    if scope == "covered":
        build_cache()  # the default set the rest of each view comes from
    mine = gpd.read_parquet(folder / MATCHED)
    provinces = sorted({c[:2] for c in mine["code"]})
    prep = _prepare(mine, scope)
    all_codes = np.array(prep.codes).astype(str)
    tmp = Path(tempfile.mkdtemp(prefix=".build-", dir=folder))
    built: dict[str, dict] = {}
    try:
        for view in [NATIONAL, *provinces]:
            if view == NATIONAL:
                index, params = np.arange(len(all_codes)), NATIONAL_PARAMS
            else:
                index = np.flatnonzero(np.char.startswith(all_codes, view + "."))
                params = PROVINCE_PARAMS
            frame, text, stats = make_view(prep, index, params)
            frame.to_parquet(tmp / f"{view}.parquet")
            (tmp / f"{view}.geojson").write_text(text, encoding="utf-8")
            built[view] = stats
        summary = {"version": version_id, "scope": scope, "pipeline_version": PIPELINE_VERSION,
                   "views": built, "regions": len(mine),
                   "bytes": {v: s["bytes"] for v, s in built.items()},
                   "invalid": sum(s["invalid"] for s in built.values()),
                   "empty": sum(s["empty"] for s in built.values()),
                   "seconds": round(time.perf_counter() - start, 3)}
        (tmp / MANIFEST).write_text(json.dumps(summary, indent=1), encoding="utf-8")
        (folder / MANIFEST).unlink(missing_ok=True)
        for path in tmp.iterdir():
            if path.name != MANIFEST:
                os.replace(path, folder / path.name)
        os.replace(tmp / MANIFEST, folder / MANIFEST)  # last: the build counts from now
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return {**summary, "cached": False}


# --- which version the maps draw -----------------------------------------------------------


def write_selection(selection: dict | None) -> None:
    """Point the maps at a built version (``None``: the default set), atomically."""
    target = byo_dir() / ACTIVE
    target.parent.mkdir(parents=True, exist_ok=True)
    if selection is None:
        target.unlink(missing_ok=True)
        return
    part = target.with_name(f".{ACTIVE}.{os.getpid()}")
    part.write_text(json.dumps(selection, ensure_ascii=False), encoding="utf-8")
    os.replace(part, target)


def selection() -> dict | None:
    """The active version as the store last wrote it (``id``, ``scope``, ``views``, ``label``
    ...), or ``None`` for the default set. Re-read only when the file changes."""
    path = byo_dir() / ACTIVE
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        return None
    return _read_selection(str(path), mtime)


@lru_cache(maxsize=4)
def _read_selection(path: str, _mtime: int) -> dict | None:
    try:
        value = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) and value.get("id") else None


def folder_for(view: str) -> Path | None:
    """The built version folder the maps draw ``view`` from, or ``None`` (the default set).

    A version counts for a view only if its build finished (its manifest exists) and holds
    that view; anything else falls back to the default set rather than drawing nothing.
    """
    chosen = selection()
    if not chosen or view not in chosen.get("views", ()):
        return None
    try:
        folder = version_dir(str(chosen["id"]))
    except CakupanError:
        return None
    if (folder / MANIFEST).is_file() and (folder / f"{view}.parquet").is_file():
        return folder
    return None


def attribution(lang: str = "id", view: str | None = None) -> str:
    """Who drew the boundaries in use (``view``: of that view; ``None``: of the app), in
    ``lang``: the default set's credit, or the loaded version's source, licence, date and id
    (with the default set's credit too when the version covers only some regions)."""
    from cakupan.core.i18n import t
    from cakupan.geo.cache import ATTRIBUTION

    chosen = selection()
    if not chosen or (view is not None and folder_for(view) is None):
        return ATTRIBUTION
    text = t("geo.version.attribution", lang, source=chosen.get("source", ""),
             licence=chosen.get("licence", ""), date=str(chosen.get("loaded_at", ""))[:10],
             version=chosen["id"])
    if chosen.get("scope") == "covered":
        text += " · " + t("geo.version.rest", lang, default=ATTRIBUTION)
    return text
