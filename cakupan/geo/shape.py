"""Geometry steps of the boundary pipeline: repair, clean, drop specks, simplify, quantise.

Each step takes and returns a numpy array of shapely geometries aligned with the regency
codes, so the pipeline is a chain of pure functions that can be tested on two squares.
Order matters and is chosen so that neighbours keep sharing their edges:

1. :func:`repair` makes each geometry valid (the source has self-intersections);
2. :func:`clean_coverage` removes overlaps between neighbours and makes shared edges
   vertex-for-vertex identical, which :func:`simplify` needs to keep them shared;
3. :func:`drop_specks` removes islands too small to see in a view, never a whole regency;
4. :func:`simplify_tiered` simplifies the whole coverage at once (no gaps, no slivers), with
   a finer tolerance for small parts so small cities and islands keep their area;
5. :func:`quantise` rounds coordinates; identical vertices round identically, so shared
   edges stay shared.
"""

from __future__ import annotations

import json
from functools import lru_cache

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from cakupan.core.errors import CakupanError

#: Equal-area CRS (World Cylindrical Equal Area) used to measure areas in km².
EQUAL_AREA_CRS = "EPSG:6933"


def polygonal_parts(geom: BaseGeometry) -> list[Polygon]:
    """The non-empty polygons inside any geometry (collections are flattened)."""
    if geom is None or geom.is_empty:
        return []
    if isinstance(geom, Polygon):
        return [geom]
    if hasattr(geom, "geoms"):
        return [p for g in geom.geoms for p in polygonal_parts(g)]
    return []  # points and lines left over by make_valid have no area


def _as_polygonal(parts: list[Polygon]) -> BaseGeometry:
    if not parts:
        return Polygon()
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def repair(geoms: np.ndarray) -> np.ndarray:
    """Make every geometry valid and polygonal.

    ``make_valid(method="structure")`` rebuilds shells and holes as areas rather than
    tracing the linework, so an overlapping part becomes part of the regency instead of a
    hole. Lines and points produced by the repair are dropped.
    """
    fixed = shapely.make_valid(np.asarray(geoms, dtype=object), method="structure",
                               keep_collapsed=False)
    out = np.empty(len(fixed), dtype=object)
    for i, geom in enumerate(fixed):
        poly = _as_polygonal(polygonal_parts(geom))
        if not poly.is_valid:  # parts of a collection may touch along an edge
            poly = _as_polygonal(polygonal_parts(shapely.union_all(polygonal_parts(poly))))
        out[i] = poly
    return out


def clean_coverage(geoms: np.ndarray, gap_width: float = 2e-3) -> np.ndarray:
    """Resolve overlaps, close slivers and match shared edges into a valid coverage.

    The source digitised neighbours separately, so borders cross each other (overlaps) and
    leave thin gaps. Gaps narrower than ``gap_width`` degrees (2e-3 ≈ 220 m) go to the
    neighbour with the longest shared border; real lakes and bays are wider and stay.
    Overlaps go to the smaller neighbour (``min_area``): here an overlap is typically a parent
    regency whose outline was not updated after a newer, smaller regency was carved out of
    it (e.g. Sorong and Tambrauw).
    """
    cleaned = shapely.coverage_clean(np.asarray(geoms, dtype=object), gap_width=gap_width,
                                     merge_strategy="min_area")
    return np.array([_as_polygonal(polygonal_parts(g)) for g in cleaned], dtype=object)


def explode(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Split every geometry into its polygons: ``(parts, owner index of each part)``."""
    parts: list[Polygon] = []
    owner: list[int] = []
    for i, geom in enumerate(geoms):
        for part in polygonal_parts(geom):
            parts.append(part)
            owner.append(i)
    return np.array(parts, dtype=object), np.array(owner, dtype=np.int64)


def assemble(parts: np.ndarray, owner: np.ndarray, n: int) -> np.ndarray:
    """Inverse of :func:`explode`: regroup parts into one (Multi)Polygon per owner."""
    grouped: list[list[Polygon]] = [[] for _ in range(n)]
    for part, i in zip(parts, owner, strict=True):
        grouped[i].extend(polygonal_parts(part))
    out = np.empty(n, dtype=object)
    out[:] = [_as_polygonal(g) for g in grouped]
    return out


def drop_specks(geoms: np.ndarray, min_area: float) -> np.ndarray:
    """Remove islands smaller than ``min_area`` (square degrees), never a whole regency.

    Only parts that touch no other regency are dropped, so removing one never opens a gap
    beside a neighbour. A regency whose parts are all specks keeps its largest part.
    """
    geoms = np.asarray(geoms, dtype=object)
    parts, owner = explode(geoms)
    if len(parts) == 0:
        return geoms
    areas = shapely.area(parts)
    small = np.flatnonzero(areas < min_area)
    touching: set[int] = set()
    if len(small):
        tree = shapely.STRtree(parts)
        hits = tree.query(parts[small], predicate="intersects")
        for a, b in zip(small[hits[0]], hits[1], strict=True):
            if owner[a] != owner[b]:
                touching.add(int(a))
    keep = np.ones(len(parts), dtype=bool)
    keep[[i for i in small if i not in touching]] = False
    for i in range(len(geoms)):  # never lose a regency: keep its largest part
        mine = np.flatnonzero(owner == i)
        if len(mine) and not keep[mine].any():
            keep[mine[areas[mine].argmax()]] = True
    return assemble(parts[keep], owner[keep], len(geoms))


def simplify(geoms: np.ndarray, tolerance: float) -> np.ndarray:
    """Simplify the coverage as a whole so neighbours still share identical edges.

    Uses GEOS's coverage simplifier (Visvalingam–Whyatt on shared edges); per-polygon
    simplification would move each side of a border differently and open gaps.
    """
    if tolerance <= 0:
        return np.asarray(geoms, dtype=object)
    return np.asarray(shapely.coverage_simplify(np.asarray(geoms, dtype=object), tolerance),
                      dtype=object)


def tolerance_tiers(parts: np.ndarray, k: float, tiers: tuple[float, ...]) -> np.ndarray:
    """Index into ``tiers`` for each polygon: the largest tier ≤ ``k * sqrt(area)``.

    A small island or city gets a fine tolerance and keeps its shape and area; the long
    borders of large mainland regencies get a coarse one, which is where the bytes are.
    """
    wanted = k * np.sqrt(shapely.area(parts))
    index = np.searchsorted(np.asarray(tiers), wanted, side="right") - 1
    return np.clip(index, 0, len(tiers) - 1)


def simplify_tiered(geoms: np.ndarray, k: float, tiers: tuple[float, ...]) -> np.ndarray:
    """Coverage simplification with a tolerance per polygon part, without gaps.

    GEOS takes one tolerance per call, so the coverage is simplified in passes from the
    finest tier up. Pass ``t`` simplifies only the parts of tier ≥ ``t`` together with a
    "sea" polygon (bounding box minus the land) and ``simplify_boundary=False``: edges
    between two such parts, or between such a part and the sea (coasts), are simplified
    further, while edges shared with a finer part lie on the boundary of that pass's input
    and stay exactly as both neighbours already have them. Every edge therefore ends at
    the tolerance of the finer of its two sides, and shared edges stay identical.
    """
    tiers = tuple(sorted(tiers))
    geoms = np.asarray(geoms, dtype=object)
    parts, owner = explode(geoms)
    if len(parts) == 0:
        return geoms
    tier = tolerance_tiers(parts, k, tiers)
    current = simplify(parts, tiers[0])
    for t in range(1, len(tiers)):
        selected = np.flatnonzero(tier >= t)
        if len(selected) == 0:
            break
        land = shapely.coverage_union_all(current)
        minx, miny, maxx, maxy = land.bounds
        sea = shapely.box(minx - 1, miny - 1, maxx + 1, maxy + 1).difference(land)
        batch = np.append(current[selected], np.array([sea], dtype=object)).astype(object)
        out = shapely.coverage_simplify(batch, tiers[t], simplify_boundary=False)
        current = current.copy()
        current[selected] = out[:-1]
    return assemble(current, owner, len(geoms))


def quantise(geoms: np.ndarray, decimals: int = 4) -> tuple[np.ndarray, int]:
    """Round coordinates to ``decimals`` (4 ≈ 11 m) and re-validate what rounding broke.

    Returns the geometries and how many needed a repair after rounding. A geometry that
    rounding would empty is kept unrounded rather than lost.
    """
    rounded = shapely.transform(np.asarray(geoms, dtype=object),
                                lambda xy: np.round(xy, decimals))
    repaired = 0
    for i, geom in enumerate(rounded):
        if not geom.is_valid:
            repaired += 1
            geom = repair(np.array([geom], dtype=object))[0]
        rounded[i] = geom if not geom.is_empty else geoms[i]
    return rounded, repaired


@lru_cache(maxsize=1)
def _to_equal_area() -> Transformer:
    return Transformer.from_crs("EPSG:4326", EQUAL_AREA_CRS, always_xy=True)


def areas_km2(geoms: np.ndarray) -> np.ndarray:
    """Areas in km², measured in an equal-area projection (degrees² are not comparable)."""
    projected = shapely.transform(np.asarray(geoms, dtype=object),
                                  lambda xy: np.column_stack(_to_equal_area().transform(
                                      xy[:, 0], xy[:, 1])))
    return shapely.area(projected) / 1e6


def check(codes: list[str], geoms: np.ndarray) -> dict[str, int]:
    """Count what the budgets forbid: duplicate codes, invalid and empty geometries."""
    arr = np.asarray(geoms, dtype=object)
    return {
        "duplicates": len(codes) - len(set(codes)),
        "invalid": int((~shapely.is_valid(arr)).sum()),
        "empty": int(shapely.is_empty(arr).sum()),
    }


def payload_text(codes: list[str], names: list[str], geoms: np.ndarray) -> str:
    """The compact GeoJSON FeatureCollection the app sends to the browser for a view.

    Only ``code`` and ``name`` travel as properties: colours and tooltips are added per
    render by the map builders.
    """
    geometry_json = shapely.to_geojson(np.asarray(geoms, dtype=object))
    features = [
        '{"type":"Feature","properties":'
        + json.dumps({"code": c, "name": n}, ensure_ascii=False, separators=(",", ":"))
        + ',"geometry":' + g + "}"
        for c, n, g in zip(codes, names, geometry_json, strict=True)
    ]
    return '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"


def require_clean(codes: list[str], geoms: np.ndarray, where: str) -> None:
    """Raise if a view breaks the invariants the app relies on."""
    problems = {k: v for k, v in check(codes, geoms).items() if v}
    if problems:
        raise CakupanError(f"boundary view {where} failed its checks: {problems}")
