"""Boundary and map budgets (issue 2 item 4, issue 4): build, cache load, payloads, month change.

Map figures are measured on synthetic values (statuses and percentages drawn with a fixed
seed): sizes and times depend on the geometry and the number of regencies, not on the
figures themselves. ``MAP_BACKEND`` picks which builder the payload and month-change
benchmarks measure; both are reported by :func:`compare` for the recommendation.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from cakupan import geo
from cakupan.benchmarks.registry import benchmark, best_of
from cakupan.present import deck_maps, maps

#: The map pages use plotly's Choroplethmap (see cakupan/present/mapview.py for why); measure that.
MAP_BACKEND = "plotly"
PROVINCE = "81"  # Maluku: an archipelago, the hardest province view for markers and bytes


def synthetic_values(view: str, seed: int) -> pd.DataFrame:
    """One month of made-up values for every regency of a view (for timing only)."""
    codes = [f["properties"]["code"] for f in geo.view_geojson(view)["features"]]
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "code": codes,
        "status": rng.choice(maps.STATUSES, len(codes)),
        "coverage_pct": rng.uniform(0, 100, len(codes)).round(1),
        "detail": [f"{int(n):,} pekerja".replace(",", ".") for n in rng.integers(0, 90_000,
                                                                               len(codes))],
    })


def figure_json(view: str, values: pd.DataFrame, backend: str = MAP_BACKEND) -> str:
    """Build the status map for a view and serialise it as Streamlit would."""
    geojson = geo.view_geojson(view)
    if backend == "pydeck":
        deck = deck_maps.status_deck(geojson, values, points=geo.representative_points(view),
                                bounds=geo.view_bounds(view))
        return deck.to_json()
    return maps.choropleth_figure(geojson, values, bounds=geo.view_bounds(view)).to_json()


def compare() -> dict[str, dict[str, float]]:
    """Bytes and warm month-change time of both backends, national and Maluku."""
    out: dict[str, dict[str, float]] = {}
    for backend in ("pydeck", "plotly"):
        for view in (geo.NATIONAL, PROVINCE):
            figure_json(view, synthetic_values(view, 0), backend)  # warm
            months = iter(range(1, 100))
            seconds = best_of(lambda v=view, b=backend, m=months: figure_json(
                v, synthetic_values(v, next(m)), b))
            size = len(figure_json(view, synthetic_values(view, 0), backend).encode())
            out[f"{backend}:{view}"] = {"bytes": size, "month_change_ms": seconds * 1000}
    return out


@benchmark("geo_build_s", budget=30.0, unit="s", issue=2)
def geo_build_s() -> float:
    """Full rebuild from the source (mirror in CI): fetch, verify, parse, repair, views."""
    start = time.perf_counter()
    geo.build(force=True)
    return time.perf_counter() - start


@benchmark("geo_cache_load_s", budget=0.5, unit="s", issue=2)
def geo_cache_load_s() -> float:
    """Cold in-process load of what the map page needs first: national view and outlines."""
    geo.build()

    def load() -> None:
        geo.clear_memory()
        geo.load_view(geo.NATIONAL)
        geo.view_geojson(geo.NATIONAL)
        geo.load_provinces()
        geo.representative_points(geo.NATIONAL)

    return best_of(load, repeat=3)


@benchmark("map_payload_national_bytes", budget=1_500_000, unit="bytes", issue=4)
def map_payload_national_bytes() -> float:
    return len(figure_json(geo.NATIONAL, synthetic_values(geo.NATIONAL, 0)).encode("utf-8"))


@benchmark("map_payload_province_bytes", budget=300_000, unit="bytes", issue=4)
def map_payload_province_bytes() -> float:
    """The largest province map (every province, not only Maluku)."""
    return max(len(figure_json(v, synthetic_values(v, 0)).encode("utf-8"))
               for v in geo.views() if v != geo.NATIONAL)


@benchmark("map_month_change_ms", budget=300.0, unit="ms", issue=4)
def map_month_change_ms() -> float:
    """Warm server-side time to rebuild and serialise the national map for a new month."""
    figure_json(geo.NATIONAL, synthetic_values(geo.NATIONAL, 0))
    months = iter(range(1, 100))
    return 1000 * best_of(lambda: figure_json(geo.NATIONAL,
                                              synthetic_values(geo.NATIONAL, next(months))))
