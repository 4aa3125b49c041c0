"""Issue 4 budgets measured on the app itself: warm page runs and a month change on the map.

Page runs use Streamlit's AppTest in a subprocess (``ui/bench_pages.py``): the domain
package never imports Streamlit. The month change is the server-side work the map page
does when the slider moves: store query, snapshot, figure, JSON.
"""

from __future__ import annotations

import functools
import json
import subprocess
import sys

from cakupan import geo, regions, store
from cakupan.analysis import metrics
from cakupan.benchmarks.registry import benchmark, best_of
from cakupan.core import settings
from cakupan.core.months import period_range
from cakupan.present import mapview


@functools.cache
def _page_times() -> dict[str, float]:
    out = subprocess.run([sys.executable, "-m", "ui.bench_pages"], cwd=settings.PROJECT_DIR,
                         capture_output=True, text=True, timeout=900, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _page(name: str):
    def measure() -> float:
        return _page_times()[name]
    return measure


for _name in ("ringkasan", "peta", "tren", "wilayah", "sumber", "briefing"):
    benchmark(f"page_warm_{_name}_ms", budget=500.0, unit="ms", issue=4)(_page(_name))


@benchmark("map_month_change_app_ms", budget=300.0, unit="ms", issue=4)
def map_month_change_app_ms() -> float:
    """Sultra non-ASN map, one month to the next, as the page computes it (warm)."""
    engine = store.get_engine()
    codes = list(regions.regencies("74")["code"])
    months = iter(period_range("2017-01", "2024-12") * 3)
    geo.view_geojson("74")

    def change() -> None:
        period = next(months)
        obs = store.current_observations(engine, segment="non_asn", programme="any",
                                         period=period, province="74")
        snap = metrics.snapshot(obs, period=period, segment="non_asn", codes=codes)
        mapview.choropleth("74", mapview.map_values(snap, "id"), lang="id").to_json()

    change()
    return 1000 * best_of(change, repeat=5)
