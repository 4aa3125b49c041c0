"""A view's boundary file: named by its content, names escaped, the same on every replica."""

from __future__ import annotations

import gzip
import json

import pytest

from cakupan.core.errors import CakupanError, GeoUnavailable
from cakupan.geo import assets

TEXT = json.dumps({"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"code": "81.01", "name": "Kab. <b>A</b> & B"},
     "geometry": {"type": "Polygon", "coordinates": [[[128, -4], [129, -4], [129, -3],
                                                      [128, -4]]]}}]},
    separators=(",", ":"))


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Views as built, by name; the test may change one (a rebuild)."""
    views = {"81": TEXT, "national": TEXT.replace("81.01", "11.01")}

    def check_view(view: str) -> str:
        if view not in views:
            raise CakupanError(f"unknown view {view!r}")
        return view

    monkeypatch.setattr(assets, "check_view", check_view)
    monkeypatch.setattr(assets, "view_geojson_text", lambda view: views[view])
    assets._asset_of.cache_clear()
    return views


def test_the_name_is_the_view_and_a_digest_of_what_is_served(built) -> None:
    found = assets.view_asset("81")
    assert assets.NAME.match(found.name) and found.name.startswith("81.")
    assert found.name == assets.asset_name("81")
    assets._asset_of.cache_clear()  # another process (replica) computes the same name
    assert assets.view_asset("81").name == found.name
    assert gzip.decompress(found.gzipped) == found.raw
    assert found.etag == f'"{found.name}"'


def test_names_are_escaped_for_plotlys_hover_and_the_rest_is_kept(built) -> None:
    data = json.loads(assets.view_asset("81").raw)
    assert data["features"][0]["properties"]["name"] == "Kab. &lt;b&gt;A&lt;/b&gt; &amp; B"
    original = json.loads(TEXT)["features"][0]
    assert data["features"][0]["geometry"] == original["geometry"]
    assert data["features"][0]["properties"]["code"] == "81.01"


def test_a_rebuilt_view_gets_a_new_name_and_the_old_one_is_gone(built) -> None:
    old = assets.asset_name("81")
    built["81"] = TEXT.replace("129", "129.5")
    new = assets.asset_name("81")
    assert new != old
    assert assets.asset(old) is None  # a stale page's file: 404, its next rerun names `new`
    assert assets.asset(new).name == new


@pytest.mark.parametrize("name", ["", "81.json", "../81.0123456789abcdef.json",
                                  "81.0123456789ABCDEF.json", "81.0123456789abcdef.json.gz",
                                  "99.0123456789abcdef.json", "8.0123456789abcdef.json"])
def test_a_name_from_outside_that_is_not_a_current_file_is_none(built, name: str) -> None:
    assert assets.asset(name) is None


def test_missing_boundaries_are_said_not_hidden(built, monkeypatch) -> None:
    def unavailable(view: str) -> str:
        raise GeoUnavailable("no boundary files")

    monkeypatch.setattr(assets, "view_geojson_text", unavailable)
    with pytest.raises(GeoUnavailable):
        assets.asset("81.0123456789abcdef.json")
