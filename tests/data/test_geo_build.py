"""Budgets of issue 2 (item 4) on the real boundary files: counts, bytes, areas, coverage.

Areas are checked against an independent reference computed here from the source files
(repair only, no cleaning or simplification), so the test does not trust the build's own
figures. Regencies whose overlap with a neighbour was resolved are listed by the build and
checked against the cleaned area instead.
"""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
import shapely

from cakupan import geo
from cakupan.core import settings
from cakupan.geo import shape as geo_shape
from cakupan.geo import source as geo_source
from cakupan.geo.parse import parse_sql

pytestmark = [pytest.mark.data, pytest.mark.geo]


@pytest.fixture(scope="module")
def summary(geo_ready: None) -> dict:
    return geo.build()


@pytest.fixture(scope="module")
def reference(geo_ready: None) -> dict:
    """code -> (area km² after repair alone, area km² after repair + clean)."""
    registry = geo_source.load_registry()
    paths = geo_source.fetch_all(registry, settings.geo_source(), geo.raw_dir())
    texts = {code: p.read_text(encoding="utf-8") for code, p in paths.items()}
    rows = [r for code in sorted(texts) for r in parse_sql(texts[code])]
    repaired = geo_shape.areas_km2(geo_shape.repair(np.array([r["geometry"] for r in rows],
                                                            dtype=object)))
    prep = geo.prepare(texts)
    cleaned = dict(zip(prep.codes, prep.area_km2, strict=True))
    return {r["code"]: (float(a), float(cleaned[r["code"]]))
            for r, a in zip(rows, repaired, strict=True)}


def test_counts(summary: dict) -> None:
    assert summary["regencies"] == 514
    assert summary["provinces"] == 38
    assert summary["invalid"] == 0
    assert summary["empty"] == 0
    assert summary["repair"]["invalid_as_given"] == 124


def test_payload_budgets(summary: dict) -> None:
    assert summary["bytes"]["national"] <= 1_000_000
    assert summary["bytes"]["province_max"] <= 150_000
    assert len(summary["bytes"]["province"]) == 38
    assert summary["bytes"]["national"] == geo.payload_bytes("national")
    assert summary["bytes"]["province"]["81"] == geo.payload_bytes("81")


def test_every_view_is_valid_unique_and_non_empty(geo_ready: None) -> None:
    for view in geo.views():
        frame = geo.load_view(view)
        geoms = frame.geometry.to_numpy()
        assert frame["code"].is_unique, view
        assert shapely.is_valid(geoms).all(), view
        assert not shapely.is_empty(geoms).any(), view


def test_every_province_view_has_exactly_its_regencies(geo_ready: None) -> None:
    national = set(geo.load_view("national")["code"])
    assert len(national) == 514
    seen: set[str] = set()
    for view in geo.views()[1:]:
        codes = set(geo.load_view(view)["code"])
        assert codes == {c for c in national if c.startswith(view + ".")}, view
        seen |= codes
    assert seen == national


def test_neighbours_share_edges_without_gaps_or_overlaps(geo_ready: None) -> None:
    for view in geo.views():
        geoms = geo.load_view(view).geometry.to_numpy()
        assert shapely.coverage_is_valid(geoms), f"view {view}: gaps or overlaps at borders"


def test_regencies_over_100_km2_keep_their_area(geo_ready: None, summary: dict,
                                                reference: dict) -> None:
    resolved = {o["code"] for o in summary["repair"]["overlaps_resolved"]}
    assert len(resolved) <= 5  # overlap resolution is rare; everything else is simplification
    failures = []
    for view in geo.views():
        frame = geo.load_view(view)
        areas = geo_shape.areas_km2(frame.geometry.to_numpy())
        for code, area in zip(frame["code"], areas, strict=True):
            repaired, cleaned = reference[code]
            ref = cleaned if code in resolved else repaired
            if repaired > 100 and abs(area - ref) / ref > 0.10:
                failures.append((view, code, round(ref), round(area)))
    assert failures == []


def test_province_outlines_dissolve_their_regencies(geo_ready: None) -> None:
    provinces = geo.load_provinces()
    assert len(provinces) == 38 and provinces["code"].is_unique
    assert provinces.geometry.is_valid.all()
    national = geo.load_view("national")
    by_province = national.assign(pp=national["code"].str[:2])
    for row in provinces.itertuples():
        members = by_province[by_province["pp"] == row.code].geometry.to_numpy()
        assert row.geometry.area == pytest.approx(shapely.area(members).sum(), rel=1e-6)
    assert dict(zip(provinces["code"], provinces["name"], strict=True))["81"] == "Maluku"


def test_representative_points_lie_on_their_regency(geo_ready: None) -> None:
    frame = geo.load_view("81").set_index("code")
    points = geo.representative_points("81")
    assert len(points) == 11
    for row in points.itertuples():
        assert frame.loc[row.code, "geometry"].intersects(shapely.Point(row.lon, row.lat))


def test_export_cli_writes_the_payload(geo_ready: None, tmp_path) -> None:
    out = tmp_path / "maluku.geojson"
    done = subprocess.run([sys.executable, "-m", "cakupan", "geo", "export", "--view", "81",
                           "--out", str(out), "--json"], capture_output=True, text=True,
                          check=False, cwd=settings.PROJECT_DIR)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert report["bytes"] == out.stat().st_size == geo.payload_bytes("81")
    assert len(data["features"]) == 11
    assert all(set(f["properties"]) == {"code", "name"} for f in data["features"])


def test_export_cli_refuses_an_unknown_view_on_one_line(geo_ready: None, tmp_path) -> None:
    done = subprocess.run([sys.executable, "-m", "cakupan", "geo", "export", "--view", "00",
                           "--out", str(tmp_path / "x.geojson")], capture_output=True, text=True,
                          check=False, cwd=settings.PROJECT_DIR)
    assert done.returncode == 1
    assert done.stderr.strip().count("\n") == 0 and "unknown view '00'" in done.stderr
    assert "Traceback" not in done.stderr


def test_build_json_on_the_command_line(geo_ready: None) -> None:
    done = subprocess.run([sys.executable, "-m", "cakupan", "geo", "build", "--json"],
                          capture_output=True, text=True, check=False, cwd=settings.PROJECT_DIR)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert {"provinces", "regencies", "invalid", "empty", "bytes", "seconds"} <= set(data)
    assert set(data["bytes"]) >= {"national", "province_max", "province"}
