"""Building the boundary views: fetch and verify the pinned files, parse, repair, clean, drop
specks, simplify and quantise, then write every view atomically into its cache folder.

Two kinds of view: ``"national"`` (all 514 regencies, coarser) and one per province ``"PP"``
(finer), each within its byte budget (``geo/README.md`` has the measured figures).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from cakupan.core import settings
from cakupan.core.errors import CakupanError
from cakupan.geo import shape as geo_shape
from cakupan.geo import source as geo_source
from cakupan.geo.cache import (
    MANIFEST,
    NATIONAL,
    PIPELINE_VERSION,
    cache_path,
    raw_dir,
    registry_of_pins,
)
from cakupan.geo.parse import parse_sql

#: Regencies at least this large must keep their area within :data:`AREA_TOLERANCE`.
AREA_CHECK_MIN_KM2 = 100.0
AREA_TOLERANCE = 0.10


@dataclass(frozen=True)
class ViewParams:
    """How coarse a view is.

    ``speck``: islands below this area (degrees²) are dropped; ``k`` and ``tiers``: the
    per-part tolerance is the largest tier ≤ ``k * sqrt(part area)`` (see
    :func:`cakupan.geo.shape.simplify_tiered`); ``budget``: payload bytes the view must fit;
    ``decimals``: coordinate rounding (4 ≈ 11 m).
    """

    speck: float
    k: float
    tiers: tuple[float, ...]
    budget: int
    decimals: int = 4

    def coarser(self) -> ViewParams:
        """Next attempt when a view overshoots its budget."""
        return ViewParams(self.speck * 2, self.k, tuple(t * 1.5 for t in self.tiers),
                          self.budget, self.decimals)


# Chosen by measurement on the pinned data (geo/README.md): about 0.87 MB national and at
# most about 75 KB per province, with every regency > 100 km² within 6 % of its area.
NATIONAL_PARAMS = ViewParams(speck=1e-4, k=0.1, tiers=(0.005, 0.01, 0.02, 0.04),
                             budget=1_000_000)
PROVINCE_PARAMS = ViewParams(speck=1e-5, k=0.1, tiers=(0.001, 0.002, 0.005, 0.01, 0.02),
                             budget=150_000)
MAX_COARSENING = 4
MAX_DECIMALS = 6


@dataclass
class Prepared:
    """The repaired, cleaned coverage every view is simplified from."""

    codes: list[str]
    names: list[str]
    geoms: np.ndarray  # cleaned coverage, lng/lat
    area_km2: np.ndarray  # reference areas for the area budget
    stats: dict


def repaired_coverage(records: list[dict], *, decimals: int, what: str,
                      gap_width: float | None = None
                      ) -> tuple[list[str], list[str], np.ndarray, np.ndarray, np.ndarray]:
    """Parsed rows (``code``, ``name``, ``geometry``) as one valid coverage: duplicate codes
    refused (``what`` names them), geometries repaired, quantised to ``decimals``, then
    cleaned (overlaps resolved, slivers closed). Returns codes, names and the geometries as
    given, repaired and cleaned. Regencies and villages are built alike through this.

    Quantised before cleaning, so the cleaned coverage is edge-matched on the final grid and
    the last rounding only moves the few nodes that cleaning adds.
    """
    codes = [r["code"] for r in records]
    names = [r["name"] for r in records]
    if len(set(codes)) != len(codes):
        dupes = sorted(c for c, n in Counter(codes).items() if n > 1)
        raise CakupanError(f"{what}: {dupes[:5]}")
    raw = np.array([r["geometry"] for r in records], dtype=object)
    repaired, _ = geo_shape.quantise(geo_shape.repair(raw), decimals)
    clean = (geo_shape.clean_coverage(repaired) if gap_width is None
             else geo_shape.clean_coverage(repaired, gap_width=gap_width))
    return codes, names, raw, repaired, clean


def prepare(texts: dict[str, str]) -> Prepared:
    """Parse every province file, repair, quantise and clean into one valid coverage."""
    records = []
    for code, text in sorted(texts.items()):
        rows = parse_sql(text, where=f"kab_{code}.sql")
        stray = [r["code"] for r in rows if not r["code"].startswith(code + ".")]
        if stray:
            raise CakupanError(f"kab_{code}.sql holds regencies of another province: {stray[:3]}")
        records.extend(rows)
    codes, names, raw, repaired, clean = repaired_coverage(
        records, decimals=NATIONAL_PARAMS.decimals, what="duplicate regency codes in the source")
    before = geo_shape.areas_km2(repaired)
    after = geo_shape.areas_km2(clean)
    moved = np.abs(after - before) / np.maximum(before, 1e-9)
    overlaps = [
        {"code": codes[i], "name": names[i], "repaired_km2": round(float(before[i]), 1),
         "clean_km2": round(float(after[i]), 1)}
        for i in np.flatnonzero((moved > 0.01) & (before > AREA_CHECK_MIN_KM2))
    ]
    stats = {
        "invalid_as_given": int((~shapely.is_valid(raw)).sum()),
        "vertices_as_given": int(shapely.get_num_coordinates(raw).sum()),
        "overlaps_resolved": overlaps,
    }
    return Prepared(codes, names, clean, after, stats)


def _quantise_keeping_coverage(geoms: np.ndarray, decimals: int
                               ) -> tuple[np.ndarray, int, int]:
    """Round coordinates, adding a decimal if rounding made neighbours overlap.

    Rounding can push a node that cleaning added onto a neighbour's side by a few metres;
    one more decimal in that (rare) view costs a few per cent of bytes and keeps the
    coverage exact.
    """
    for places in range(decimals, MAX_DECIMALS + 1):
        rounded, fixed = geo_shape.quantise(geoms, places)
        if shapely.coverage_is_valid(rounded):
            break
    return rounded, fixed, places


def make_view(prep: Prepared, index: np.ndarray, params: ViewParams
              ) -> tuple[gpd.GeoDataFrame, str, dict]:
    """Simplify one view until its payload fits the budget (coarsening at most a few times)."""
    codes = [prep.codes[i] for i in index]
    names = [prep.names[i] for i in index]
    subset = prep.geoms[index]
    attempt = params
    for step in range(MAX_COARSENING + 1):
        geoms = geo_shape.drop_specks(subset, attempt.speck)
        simplified = geo_shape.simplify_tiered(geoms, attempt.k, attempt.tiers)
        geoms, fixed, decimals = _quantise_keeping_coverage(simplified, attempt.decimals)
        text = geo_shape.payload_text(codes, names, geoms)
        size = len(text.encode("utf-8"))
        if size <= params.budget or step == MAX_COARSENING:
            break
        attempt = attempt.coarser()
    area = geo_shape.areas_km2(geoms)
    ref = prep.area_km2[index]
    rel = np.abs(area - ref) / np.maximum(ref, 1e-9)
    big = ref > AREA_CHECK_MIN_KM2
    worst = int(np.argmax(np.where(big, rel, -1))) if big.any() else 0
    points = shapely.point_on_surface(geoms)
    frame = gpd.GeoDataFrame(
        {"code": codes, "name": names, "lon": shapely.get_x(points),
         "lat": shapely.get_y(points), "area_km2": area},
        geometry=gpd.GeoSeries(geoms, crs="EPSG:4326"),
    )
    stats = {
        "bytes": size,
        "regencies": len(codes),
        **geo_shape.check(codes, geoms),
        "vertices": int(shapely.get_num_coordinates(geoms).sum()),
        "repaired_after_rounding": fixed,
        "decimals": decimals,
        "coverage_valid": bool(shapely.coverage_is_valid(geoms)),
        "area_max_rel_change": round(float(rel[big].max()), 4) if big.any() else 0.0,
        "area_worst": codes[worst] if big.any() else None,
        "params": asdict(attempt),
    }
    return frame, text, stats


def provinces_frame(national: gpd.GeoDataFrame, registry: dict) -> gpd.GeoDataFrame:
    """Province outlines: the dissolve of their regencies in the national view."""
    rows = []
    for code in geo_source.province_codes(registry):
        members = national.geometry[national["code"].str.startswith(code + ".")].to_numpy()
        outline = shapely.union_all(members)
        if not outline.is_valid:
            outline = geo_shape.repair(np.array([outline], dtype=object))[0]
        rows.append({"code": code, "name": registry["files"][code]["name"],
                     "geometry": outline})
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def _write_views(folder: Path, prep: Prepared, registry: dict) -> dict:
    codes = np.array(prep.codes)
    summary_views: dict[str, dict] = {}
    national = None
    for view in [NATIONAL, *geo_source.province_codes(registry)]:
        if view == NATIONAL:
            index, params = np.arange(len(codes)), NATIONAL_PARAMS
        else:
            index = np.flatnonzero(np.char.startswith(codes.astype(str), view + "."))
            params = PROVINCE_PARAMS
        if len(index) == 0:
            raise CakupanError(f"province {view} has no regencies in the source")
        frame, text, stats = make_view(prep, index, params)
        frame.to_parquet(folder / f"{view}.parquet")
        (folder / f"{view}.geojson").write_text(text, encoding="utf-8")
        summary_views[view] = stats
        if view == NATIONAL:
            national = frame
    provinces = provinces_frame(national, registry)
    provinces.to_parquet(folder / "provinces.parquet")
    return {"views": summary_views,
            "provinces_invalid": int((~provinces.geometry.is_valid).sum()),
            "provinces_empty": int(provinces.geometry.is_empty.sum())}


def _summary(prep: Prepared, written: dict, registry: dict, seconds: float) -> dict:
    views_stats = written["views"]
    province_bytes = {v: s["bytes"] for v, s in views_stats.items() if v != NATIONAL}
    big_changes = [(s["area_max_rel_change"], s["area_worst"], v)
                   for v, s in views_stats.items()]
    worst = max(big_changes)
    return {
        "provinces": len(geo_source.province_codes(registry)),
        "regencies": views_stats[NATIONAL]["regencies"],
        "invalid": sum(s["invalid"] for s in views_stats.values()) + written["provinces_invalid"],
        "empty": sum(s["empty"] for s in views_stats.values()) + written["provinces_empty"],
        "bytes": {"national": views_stats[NATIONAL]["bytes"],
                  "province_max": max(province_bytes.values()),
                  "province": province_bytes},
        "seconds": round(seconds, 3),
        "area": {"min_km2": AREA_CHECK_MIN_KM2, "max_rel_change": worst[0],
                 "worst": {"code": worst[1], "view": worst[2]}},
        "coverage_valid": {v: s["coverage_valid"] for v, s in views_stats.items()},
        "repair": prep.stats,
        "views": views_stats,
        "pipeline_version": PIPELINE_VERSION,
        "upstream": registry.get("upstream", {}),
    }


def build_cache(force: bool = False) -> dict:
    """Fetch, verify, repair, simplify and cache every view; return the ``geo build`` JSON.

    With a fresh cache and ``force=False`` nothing is rebuilt: the stored summary is
    returned with ``cached: true`` and ``seconds`` of this call (``build_seconds`` keeps the
    time of the build that made the cache).

    Raises
    ------
    GeoUnavailable
        No source could be read (one-line message saying how to get the maps).
    CakupanError
        A file's sha256 differs from the registry, or the data breaks an invariant.
    """
    start = time.perf_counter()
    registry = registry_of_pins()
    target = cache_path()
    manifest = target / MANIFEST
    if not force and manifest.is_file():
        summary = json.loads(manifest.read_text(encoding="utf-8"))
        return {**summary, "cached": True, "seconds": round(time.perf_counter() - start, 3)}
    paths = geo_source.fetch_all(registry, settings.geo_source(), raw_dir())
    texts = {code: path.read_text(encoding="utf-8") for code, path in paths.items()}
    prep = prepare(texts)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        written = _write_views(tmp, prep, registry)
        seconds = time.perf_counter() - start
        summary = {**_summary(prep, written, registry, seconds), "build_seconds": round(seconds, 3)}
        (tmp / MANIFEST).write_text(json.dumps(summary, ensure_ascii=False, indent=1),
                                    encoding="utf-8")
        _install(tmp, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    _prune(target)
    return {**summary, "cached": False, "source": settings.geo_source()}


def _install(tmp: Path, target: Path) -> None:
    """Move a finished build into place; a concurrent build that won is kept as is."""
    if target.exists():
        old = target.with_name(f".old-{target.name}-{os.getpid()}")
        with contextlib.suppress(OSError):
            target.rename(old)
        shutil.rmtree(old, ignore_errors=True)
    try:
        tmp.rename(target)
    except OSError:
        if not (target / MANIFEST).is_file():
            raise


def _prune(current: Path) -> None:
    """Remove caches of older registries or pipeline versions (only our own folders)."""
    for folder in current.parent.glob("v*-*"):
        if folder != current and (folder / MANIFEST).is_file():
            shutil.rmtree(folder, ignore_errors=True)
