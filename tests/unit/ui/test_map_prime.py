"""The overview's map prime: loads what the map reads, never fails the page, waits once."""

from __future__ import annotations

import pytest

from cakupan import geo
from cakupan.core.errors import GeoUnavailable
from ui import http_assets, map_prime

pytestmark = pytest.mark.unit


def test_the_prime_loads_every_piece_the_map_reads(monkeypatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr(geo, "available", lambda: True)
    for name in ("view_geojson", "view_bounds", "representative_points"):
        monkeypatch.setattr(geo, name, lambda view, name=name: calls.append(f"{name}:{view}"))
    monkeypatch.setattr(http_assets, "geo_url",
                        lambda base, view: calls.append(f"geo_url:{view}"))
    map_prime.wait(map_prime.start("81"))
    assert calls == ["view_geojson:81", "view_bounds:81", "representative_points:81",
                     "geo_url:81"]


def test_without_boundaries_there_is_nothing_to_wait_for(monkeypatch) -> None:
    monkeypatch.setattr(geo, "available", lambda: False)
    assert map_prime.start("81") is None
    map_prime.wait(None)  # the page calls it all the same


@pytest.mark.parametrize("error", [GeoUnavailable("no mirror"), OSError("disk")])
def test_a_failed_load_is_left_to_the_map(monkeypatch, error: Exception) -> None:
    def fail(view: str) -> None:
        raise error

    monkeypatch.setattr(geo, "available", lambda: True)
    monkeypatch.setattr(geo, "view_geojson", fail)
    thread = map_prime.start("national")
    map_prime.wait(thread)
    assert thread is not None and not thread.is_alive()
