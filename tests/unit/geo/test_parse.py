"""Boundary pipeline on tiny in-memory data: parse, repair, specks, simplify, fetch, build."""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path

import numpy as np
import pytest
import shapely
from shapely.geometry import MultiPolygon, Polygon

from cakupan import geo
from cakupan.core.errors import CakupanError, GeoUnavailable
from cakupan.geo import shape as geo_shape
from cakupan.geo import source as geo_source
from cakupan.geo.parse import parse_sql, path_to_geometry

pytestmark = pytest.mark.unit

HEADER = """/*
desc      : Data wilayah_boundaries kab {pp} Test
licence text with 'quotes', (parentheses) and a stray ; semicolon
*/
DELETE FROM wilayah_boundaries WHERE kode BETWEEN '{pp}.00' AND '{pp}.99';
"""


def _path(rings_latlng: list) -> str:
    return json.dumps(rings_latlng)


def _row(code: str, name: str, path: str) -> str:
    return f"('{code}','{name}',0.0,0.0,'{path}')"


def _sql(pp: str, rows: list[str]) -> str:
    insert = "INSERT INTO wilayah_boundaries(kode,nama,lat,lng,path) VALUES\n\t"
    return HEADER.format(pp=pp) + insert + ",\n\t".join(rows) + ";\n"


# A unit square at lng 100..101, lat 1..2 written as [lat, lng] pairs.
SQUARE_LATLNG = [[[1, 100], [2, 100], [2, 101], [1, 101], [1, 100]]]


# ---------------------------------------------------------------------------- parsing

def test_polygon_nesting_is_read_with_lat_lng_swapped() -> None:
    geom = path_to_geometry(_path(SQUARE_LATLNG))
    assert isinstance(geom, Polygon)
    # GeoJSON order: x = longitude (100..101), y = latitude (1..2)
    assert geom.bounds == (100.0, 1.0, 101.0, 2.0)


def test_multipolygon_nesting_gives_every_part() -> None:
    second = [[[5, 120], [6, 120], [6, 121], [5, 120]]]
    geom = path_to_geometry(_path([SQUARE_LATLNG, second]))
    assert isinstance(geom, MultiPolygon)
    assert len(geom.geoms) == 2
    assert geom.geoms[1].bounds == (120.0, 5.0, 121.0, 6.0)


def test_unclosed_ring_is_closed_and_holes_kept() -> None:
    shell = [[0, 0], [0, 10], [10, 10], [10, 0]]  # not closed
    hole = [[4, 4], [4, 6], [6, 6], [6, 4], [4, 4]]
    geom = path_to_geometry(_path([shell, hole]))
    assert geom.area == pytest.approx(100 - 4)


def test_path_of_wrong_depth_is_refused() -> None:
    with pytest.raises(CakupanError, match=r"expected 3 .* or 4"):
        path_to_geometry("[[1, 2], [3, 4]]")


def test_quoted_names_commas_and_both_nestings_in_one_file() -> None:
    second = [[[5, 120], [6, 120], [6, 121], [5, 120]]]
    text = _sql("99", [
        _row("99.01", "Kabupaten Pulau O''Hara, (Utara)", _path(SQUARE_LATLNG)),
        _row("99.71", "Kota Test", _path([SQUARE_LATLNG, second])),
    ])
    rows = parse_sql(text)
    assert [r["code"] for r in rows] == ["99.01", "99.71"]
    assert rows[0]["name"] == "Kabupaten Pulau O'Hara, (Utara)"
    assert rows[0]["geometry"].geom_type == "Polygon"
    assert rows[1]["geometry"].geom_type == "MultiPolygon"


def test_several_insert_statements_are_all_read() -> None:
    one = _sql("99", [_row("99.01", "A", _path(SQUARE_LATLNG))])
    two = "INSERT INTO wilayah_boundaries(kode,nama,lat,lng,path) VALUES " \
          + _row("99.02", "B", _path(SQUARE_LATLNG)) + ";"
    assert [r["code"] for r in parse_sql(one + two)] == ["99.01", "99.02"]


def test_malformed_row_names_line_and_expectation() -> None:
    text = _sql("99", [_row("99.01", "A", _path(SQUARE_LATLNG))]).replace(");", ") x;")
    with pytest.raises(CakupanError, match=r"line \d+: expected ',' or ';'"):
        parse_sql(text, where="kab_99.sql")


# ---------------------------------------------------------------------------- repair

def test_repair_turns_a_bowtie_into_two_valid_triangles() -> None:
    bowtie = Polygon([(0, 0), (2, 2), (2, 0), (0, 2), (0, 0)])
    assert not bowtie.is_valid
    fixed = geo_shape.repair(np.array([bowtie], dtype=object))[0]
    assert fixed.is_valid
    assert fixed.geom_type in ("Polygon", "MultiPolygon")
    assert fixed.area == pytest.approx(2.0)  # two triangles of area 1


def test_clean_coverage_gives_an_overlap_to_the_smaller_neighbour() -> None:
    big = shapely.box(0, 0, 10, 10)
    small = shapely.box(9, 0, 12, 3)  # overlaps big on 9..10
    cleaned = geo_shape.clean_coverage(np.array([big, small], dtype=object), gap_width=0)
    assert shapely.coverage_is_valid(cleaned)
    assert cleaned[1].area == pytest.approx(9.0)
    assert cleaned[0].area == pytest.approx(100.0 - 3.0)


# ---------------------------------------------------------------------------- specks

def test_speck_dropping_keeps_big_parts_and_never_a_whole_regency() -> None:
    mainland_with_islet = MultiPolygon([shapely.box(0, 0, 1, 1), shapely.box(5, 5, 5.001, 5.001)])
    only_islets = MultiPolygon([shapely.box(10, 10, 10.002, 10.002),
                                shapely.box(12, 12, 12.001, 12.001)])
    out = geo_shape.drop_specks(np.array([mainland_with_islet, only_islets], dtype=object), 1e-4)
    assert out[0].area == pytest.approx(1.0)  # the islet went
    assert not out[1].is_empty  # all specks: its largest one stays
    assert out[1].area == pytest.approx(0.002 ** 2)


def test_speck_touching_a_neighbour_is_kept_so_no_gap_opens() -> None:
    a = MultiPolygon([shapely.box(0, 0, 1, 1), shapely.box(1, 0, 1.001, 0.001)])
    b = shapely.box(1.001, 0, 2, 1)  # shares an edge with a's tiny part
    out = geo_shape.drop_specks(np.array([a, b], dtype=object), 1e-4)
    assert out[0].area == pytest.approx(a.area)


# ---------------------------------------------------------------------------- simplification

def _wiggly_pair(width_left: float = 1.0) -> tuple[Polygon, Polygon]:
    """Two rectangles sharing a wiggly vertical border at x = width_left."""
    border = [(width_left + 0.02 * math.sin(i * 1.3), i / 100) for i in range(101)]
    left = Polygon([(0, 0), *border, (0, 1)])
    right = Polygon([*border, (width_left + 3, 1), (width_left + 3, 0)][::-1])
    return shapely.normalize(left), shapely.normalize(right)


def test_wiggly_pair_fixture_is_a_valid_coverage() -> None:
    left, right = _wiggly_pair()
    assert shapely.coverage_is_valid(np.array([left, right], dtype=object))
    # Per-polygon simplification (the naive way) opens gaps or overlaps on this border.
    naive = shapely.simplify(np.array([left, right], dtype=object), 0.05)
    union = shapely.union_all(naive).area
    assert abs(naive[0].area + naive[1].area - union) > 1e-6 or \
        abs(union - (left.area + right.area)) > 1e-6


@pytest.mark.parametrize("tiers", [(0.05,), (0.01, 0.05, 0.2)])
def test_coverage_simplification_keeps_the_shared_border(tiers: tuple[float, ...]) -> None:
    left, right = _wiggly_pair()
    before = shapely.get_num_coordinates(left) + shapely.get_num_coordinates(right)
    out = geo_shape.simplify_tiered(np.array([left, right], dtype=object), 0.1, tiers)
    after = shapely.get_num_coordinates(out[0]) + shapely.get_num_coordinates(out[1])
    assert after < before / 2  # it did simplify
    union = shapely.union_all(out)
    assert union.geom_type == "Polygon" and len(union.interiors) == 0  # no gap
    assert out[0].area + out[1].area == pytest.approx(union.area, abs=1e-12)  # no overlap
    shared = out[0].intersection(out[1])
    assert shared.length == pytest.approx(out[0].boundary.intersection(out[1].boundary).length)
    assert shared.length > 0.99  # still touching along the whole border
    assert shapely.coverage_is_valid(out)


def test_small_neighbour_gets_a_finer_tolerance_without_gaps() -> None:
    # A small square beside a big one: different tiers, the shared edge stays shared.
    left, right = _wiggly_pair(width_left=0.3)
    island = Polygon([(10 + 0.3 * math.cos(t / 20 * math.tau), 0.3 * math.sin(t / 20 * math.tau))
                      for t in range(20)])
    geoms = np.array([left, right, island], dtype=object)
    tiers = (0.005, 0.08)
    assert len(set(geo_shape.tolerance_tiers(geoms, 0.1, tiers))) == 2
    out = geo_shape.simplify_tiered(geoms, 0.1, tiers)
    assert shapely.coverage_is_valid(out)
    union = shapely.union_all(out[:2])
    assert out[0].area + out[1].area == pytest.approx(union.area, abs=1e-12)
    assert len(union.interiors) == 0
    assert out[2].area == pytest.approx(island.area, rel=0.05)  # the small one kept its shape


def test_quantise_rounds_to_four_decimals() -> None:
    poly = Polygon([(100.123456, 1.987654), (100.5, 1.9), (100.3, 2.4)])
    out, repaired = geo_shape.quantise(np.array([poly], dtype=object), 4)
    assert repaired == 0
    xy = shapely.get_coordinates(out[0])
    assert xy[0].tolist() == [100.1235, 1.9877]


def test_payload_text_is_compact_geojson_with_code_and_name_only() -> None:
    text = geo_shape.payload_text(["99.01"], ['Kota "A"'],
                                  np.array([shapely.box(0, 0, 1, 1)], dtype=object))
    data = json.loads(text)
    assert data["features"][0]["properties"] == {"code": "99.01", "name": 'Kota "A"'}
    assert ": " not in text and ", " not in text


# ---------------------------------------------------------------------------- fetch and verify

def _mirror(tmp_path: Path, files: dict[str, str]) -> tuple[Path, dict]:
    """A mirror folder laid out like upstream, and a registry pinning its files."""
    root = tmp_path / "mirror"
    registry = {"upstream": {"repository": "test/test", "commit": "0" * 40}, "files": {}}
    for pp, text in files.items():
        rel = geo_source.FILE_TEMPLATE.format(code=pp)
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
        registry["files"][pp] = {"name": f"Provinsi {pp}", "path": rel,
                                 "sha256": hashlib.sha256(text.encode()).hexdigest()}
    return root, registry


def test_fetch_reads_a_verified_local_mirror(tmp_path: Path) -> None:
    root, registry = _mirror(tmp_path, {"98": "x"})
    paths = geo_source.fetch_all(registry, str(root), tmp_path / "raw")
    assert paths["98"].read_text() == "x"


def test_fetch_downloads_from_a_url_into_raw(tmp_path: Path) -> None:
    root, registry = _mirror(tmp_path, {"98": "payload"})
    raw = tmp_path / "raw"
    path = geo_source.fetch(registry["files"]["98"], root.as_uri(), raw)
    assert path.parent == raw and path.read_text() == "payload"


def test_sha256_mismatch_is_refused(tmp_path: Path) -> None:
    root, registry = _mirror(tmp_path, {"98": "original"})
    (root / registry["files"]["98"]["path"]).write_text("tampered", encoding="utf-8")
    with pytest.raises(CakupanError, match="sha256 mismatch") as err:
        geo_source.fetch_all(registry, str(root), tmp_path / "raw")
    assert not isinstance(err.value, GeoUnavailable)


def test_sha256_mismatch_of_a_download_is_refused_and_deleted(tmp_path: Path) -> None:
    root, registry = _mirror(tmp_path, {"98": "original"})
    registry["files"]["98"]["sha256"] = "0" * 64
    with pytest.raises(CakupanError, match="sha256 mismatch"):
        geo_source.fetch(registry["files"]["98"], root.as_uri(), tmp_path / "raw")
    assert list((tmp_path / "raw").glob("*.sql")) == []


@pytest.mark.parametrize("source", ["folder", "http://127.0.0.1:9/nothing"])
def test_missing_source_raises_geo_unavailable_on_one_line(tmp_path: Path, source: str) -> None:
    _, registry = _mirror(tmp_path, {"98": "x"})
    where = str(tmp_path / "does-not-exist") if source == "folder" else source
    with pytest.raises(GeoUnavailable) as err:
        geo_source.fetch_all(registry, where, tmp_path / "raw")
    message = str(err.value)
    assert "\n" not in message
    assert "CAKUPAN_GEO_MIRROR" in message and "geo build" in message
    assert not geo_source.reachable(registry, where, tmp_path / "raw")


# ---------------------------------------------------------------------------- build end to end

def _province_sql(pp: str) -> str:
    """Two neighbouring regencies (one a MultiPolygon with an islet) and a small city."""
    west = [[[0, 100], [1, 100], [1, 100.6], [0.5, 100.55], [0, 100.6], [0, 100]]]
    east = [[[0, 100.6], [0.5, 100.55], [1, 100.6], [1, 101.5], [0, 101.5], [0, 100.6]]]
    islet = [[[3, 103], [3.0005, 103], [3.0005, 103.0005], [3, 103]]]
    offset = 0 if pp == "98" else 5
    shift = lambda rings: [[[lat + offset, lng] for lat, lng in ring] for ring in rings]  # noqa: E731
    city = [[[2, 100], [2.1, 100], [2.1, 100.1], [2, 100.1], [2, 100]]]
    return _sql(pp, [
        _row(f"{pp}.01", "Kabupaten Barat", _path(shift(west))),
        _row(f"{pp}.02", "Kabupaten Timur", _path([shift(east), shift(islet)])),
        _row(f"{pp}.71", "Kota Kecil", _path(shift(city))),
    ])


@pytest.fixture
def tiny_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict:
    root, registry = _mirror(tmp_path, {"98": _province_sql("98"), "99": _province_sql("99")})
    reg_path = tmp_path / "registry.json"
    reg_path.write_text(json.dumps(registry), encoding="utf-8")
    monkeypatch.setattr(geo_source, "REGISTRY_PATH", reg_path)
    monkeypatch.setenv("CAKUPAN_GEO_MIRROR", str(root))
    monkeypatch.setenv("CAKUPAN_CACHE_DIR", str(tmp_path / "cache"))
    geo.clear_memory()
    yield {"root": root, "registry": registry, "registry_path": reg_path}
    geo.clear_memory()


def test_build_summarises_and_caches_every_view(tiny_source: dict) -> None:
    summary = geo.build()
    assert (summary["provinces"], summary["regencies"]) == (2, 6)
    assert (summary["invalid"], summary["empty"]) == (0, 0)
    assert set(summary["bytes"]["province"]) == {"98", "99"}
    assert summary["bytes"]["national"] == geo.payload_bytes("national")
    assert summary["bytes"]["province_max"] == max(geo.payload_bytes(v) for v in ("98", "99"))
    assert geo.build()["cached"] is True


def test_views_hold_exactly_their_regencies(tiny_source: dict) -> None:
    assert sorted(geo.load_view("98")["code"]) == ["98.01", "98.02", "98.71"]
    assert sorted(geo.load_view("national")["code"]) == [
        "98.01", "98.02", "98.71", "99.01", "99.02", "99.71"]
    assert list(geo.load_view("98").columns) == ["code", "name", "geometry"]
    features = geo.view_geojson("99")["features"]
    assert {f["properties"]["code"] for f in features} == {"99.01", "99.02", "99.71"}


def test_province_outline_is_the_dissolve_of_its_regencies(tiny_source: dict) -> None:
    provinces = geo.load_provinces().set_index("code")
    national = geo.load_view("national")
    members = national[national["code"].str.startswith("98.")]
    assert provinces.loc["98", "name"] == "Provinsi 98"
    outline = provinces.loc["98", "geometry"]
    assert outline.area == pytest.approx(shapely.area(members.geometry.to_numpy()).sum())


def test_representative_points_fall_inside_their_regency(tiny_source: dict) -> None:
    view = geo.load_view("98").set_index("code")
    points = geo.representative_points("98")
    for row in points.itertuples():
        assert view.loc[row.code, "geometry"].intersects(shapely.Point(row.lon, row.lat))
    assert points.set_index("code").loc["98.71", "area_km2"] == pytest.approx(
        0.1 * 0.1 * 111.3 * 110.6, rel=0.02)


def test_bounds_and_unknown_view(tiny_source: dict) -> None:
    minx, miny, maxx, _ = geo.view_bounds("99")
    assert (minx, maxx) == pytest.approx((100.0, 101.5))
    assert miny == pytest.approx(5.0)
    with pytest.raises(CakupanError, match="unknown view '42'"):
        geo.load_view("42")


def test_changed_registry_means_a_new_cache(tiny_source: dict) -> None:
    geo.build()
    first = geo.cache_path()
    registry = tiny_source["registry"]
    registry["upstream"]["commit"] = "1" * 40
    tiny_source["registry_path"].write_text(json.dumps(registry), encoding="utf-8")
    assert geo.cache_path() != first
    assert not geo.cache_path().exists()
    geo.load_view("98")  # builds on first need
    assert (geo.cache_path() / geo.MANIFEST).is_file()
    assert not first.exists()  # the stale cache was pruned


def test_available_without_cache_or_source(tiny_source: dict, monkeypatch: pytest.MonkeyPatch,
                                           tmp_path: Path) -> None:
    assert geo.available() is True  # mirror readable
    monkeypatch.setenv("CAKUPAN_GEO_MIRROR", str(tmp_path / "gone"))
    assert geo.available() is False
    with pytest.raises(GeoUnavailable):
        geo.load_view("98")
