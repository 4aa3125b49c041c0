"""Village boundary budgets (issue 13 item 2): one regency's build, payload and cached load.

Measured on Kepulauan Tanimbar (81.03, the done-when regency) and on Konawe (74.02), the
largest village payload of the three mirrored provinces when measured (about 249 KB of the
250 KB budget), so that a change that grows payloads shows here first.
"""

from __future__ import annotations

import time

from cakupan.benchmarks.registry import benchmark, best_of
from cakupan.geo import villages

REGENCIES = ("81.03", "74.02")


@benchmark("villages_build_s", budget=5.0, unit="s", issue=13)
def build_seconds() -> float:
    """Slowest forced build (fetch from the mirror, verify, repair, simplify, write)."""
    worst = 0.0
    for regency in REGENCIES:
        start = time.perf_counter()
        villages.build_regency(regency, force=True)
        worst = max(worst, time.perf_counter() - start)
    return worst


@benchmark("villages_payload_bytes", budget=villages.VILLAGE_BUDGET, unit="bytes", issue=13)
def payload_bytes() -> float:
    """Largest village GeoJSON as served to the browser (before transfer compression)."""
    from cakupan.geo import assets  # the served file: names escaped, as the browser gets it

    return max(len(assets.village_asset("kel", r).raw) for r in REGENCIES)


@benchmark("villages_cached_load_s", budget=0.2, unit="s", issue=13)
def cached_load_seconds() -> float:
    """A fresh process's load of a built regency: report, shapes and both GeoJSON texts."""
    for regency in REGENCIES:
        villages.build_regency(regency)

    def load() -> None:
        villages._forget()  # cold memory, warm disk cache
        for regency in REGENCIES:
            villages.village_report(regency)
            villages.load_village_shapes(regency)
            villages.village_geojson_text(regency)
            villages.district_geojson_text(regency)

    return best_of(load, repeat=3) / len(REGENCIES)
