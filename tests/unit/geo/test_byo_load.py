"""Bring your own boundaries (issue 15): reading, matching and the ``geo load`` report, on
small files the tests write (byo_files.py)."""

from __future__ import annotations

import json

import pytest
import shapely

from cakupan.commands import cli
from cakupan.geo import byo
from tests.unit.geo import byo_files as files

MALUKU_CODES = [c for c, *_ in files.MALUKU]


def read(data: bytes, name: str) -> byo.RawBoundaries:
    return byo.read_boundary_bytes(data, name)


def test_kemendagri_geojson_matches_by_code_and_name() -> None:
    raw = read(files.kemendagri_geojson(), "maluku.geojson")
    report = byo.match(raw)
    assert (raw.format, raw.crs, raw.features) == ("geojson", "EPSG:4326", 11)
    assert (report.code_field, report.name_field, report.code_system) == ("kode", "nama",
                                                                           "kemendagri")
    assert [m.code for m in report.matched] == MALUKU_CODES
    assert {m.method for m in report.matched} == {"code"}
    assert report.unmatched == [] and report.missing == [] and report.duplicates == {}


def test_bps_codes_are_accepted_only_where_the_name_agrees() -> None:
    """BPS 8101 is Maluku Tenggara Barat = Kemendagri 81.03, not 81.01 (Maluku Tengah)."""
    report = byo.match(read(files.bps_geojson(), "bps.geojson"))
    placed = {m.file_code: m.code for m in report.matched}
    assert placed["8101"] == "81.03" and placed["8103"] == "81.01"
    assert placed["8105"] == "81.07" and placed["8107"] == "81.05"
    assert report.code_system == "other"
    assert report.correspondences == {"8101": "81.03", "8103": "81.01", "8105": "81.07",
                                      "8107": "81.05"}
    assert sorted(placed.values()) == MALUKU_CODES


def test_a_code_whose_name_disagrees_and_resolves_nowhere_is_not_accepted() -> None:
    data = json.loads(files.kemendagri_geojson())
    data["features"][0]["properties"]["nama"] = "Xyzzy Raya"
    report = byo.match(read(json.dumps(data).encode(), "x.geojson"))
    assert "81.01" not in report.codes() and report.missing == ["81.01"]
    assert [u.label for u in report.unmatched] == ["Xyzzy Raya"]


def test_shapefile_zip_in_utm_with_geoportal_names_only(tmp_path) -> None:
    raw = read(files.shapefile_zip(tmp_path / "shp"), "batas_kab_maluku.zip")
    report = byo.match(raw)
    assert (raw.format, raw.crs, raw.features) == ("shapefile", "EPSG:32752", 11)
    assert report.code_field is None and report.name_field == "NAMOBJ"
    assert report.codes() == MALUKU_CODES and report.unmatched == []
    # Reprojected: the first square's corner is back at 127 E, 3 S (to a few metres).
    first = shapely.from_wkb(raw.wkb[0])
    assert first.bounds == pytest.approx((127.0, -3.5, 127.5, -3.0), abs=1e-5)


def test_geopackage_in_web_mercator(tmp_path) -> None:
    raw = read(files.geopackage(tmp_path / "gpkg"), "maluku.gpkg")
    report = byo.match(raw)
    assert (raw.format, raw.crs) == ("gpkg", "EPSG:3857")
    assert report.code_field == "kode_kab" and report.codes() == MALUKU_CODES
    assert shapely.from_wkb(raw.wkb[10]).bounds[0] == pytest.approx(128.0, abs=1e-6)


def test_an_invalid_geometry_is_repaired_and_counted() -> None:
    raw = read(files.bowtie_geojson(), "bowtie.geojson")
    assert (raw.invalid_as_given, raw.repaired) == (1, 1)
    ambon = shapely.from_wkb(raw.wkb[9])
    assert ambon.is_valid and ambon.area == pytest.approx(0.08, rel=1e-6)  # two triangles
    assert byo.match(raw).codes() == MALUKU_CODES


def test_a_zip_with_parent_paths_is_refused_before_unpacking() -> None:
    with pytest.raises(byo.BoundaryFileError) as err:
        read(files.traversal_zip(), "evil.zip")
    assert err.value.key == "zip_path"
    assert "../" in err.value.message("en") and "\n" not in str(err.value)


def test_unmatched_names_get_suggestions_in_the_province() -> None:
    data = json.loads(files.kemendagri_geojson())
    for feature in data["features"]:
        feature["properties"].pop("kode")
    data["features"][3]["properties"]["nama"] = "Buuru Raya"  # a typo the resolver refuses
    report = byo.match(read(json.dumps(data).encode(), "names.geojson"))
    (miss,) = report.unmatched
    assert miss.label == "Buuru Raya" and miss.suggestions[0][0] == "81.04"
    picked = byo.match(read(json.dumps(data).encode(), "names.geojson"), picks={3: "81.04"})
    assert picked.codes() == MALUKU_CODES and picked.matched[3].method == "picked"


def test_duplicates_and_missing_regions_are_listed() -> None:
    data = json.loads(files.kemendagri_geojson())
    data["features"][1]["properties"].update(kode="81.01", nama="Maluku Tengah")
    report = byo.match(read(json.dumps(data).encode(), "dup.geojson"))
    assert report.duplicates == {"81.01": [0, 1]} and report.missing == ["81.02"]


def test_cli_geo_load_reports_without_applying(tmp_path, capsys) -> None:
    path = tmp_path / "batas.zip"
    path.write_bytes(files.shapefile_zip(tmp_path / "shp"))
    assert cli.main(["geo", "load", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out == {"version": None, "level": "regency", "features": 11, "matched": 11,
                   "unmatched": [], "missing": [], "repaired": 0, "applied": False}


def test_cli_geo_load_refuses_a_hostile_zip_in_one_line(tmp_path, capsys) -> None:
    path = tmp_path / "evil.zip"
    path.write_bytes(files.traversal_zip())
    assert cli.main(["geo", "load", str(path), "--json"]) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out)["error"].startswith("Zip ditolak")
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err


def test_kml_is_read_with_its_names_and_codes(tmp_path) -> None:
    raw = read(files.kml(tmp_path / "kml"), "maluku.kml")
    report = byo.match(raw)
    assert (raw.format, raw.features, report.code_field, report.name_field) == (
        "kml", 11, "kode", "Name")
    assert report.codes() == MALUKU_CODES


def _villages_file(names_only: bool) -> bytes:
    from cakupan.regions import villages

    found = villages.villages_of("81.03").head(8)
    columns = {"NAMOBJ": ["DESA " + n.upper() for n in found["name"]],
               "WADMKK": ["KAB. MALUKU TENGGARA BARAT"] * len(found)}
    if not names_only:
        columns["KDEPUM"] = [c.replace(".", "") for c in found["code"]]
    return files.frame(columns).to_json().encode()


@pytest.mark.parametrize("names_only", [False, True])
def test_villages_match_by_code_and_name_or_by_name_in_the_regency(names_only: bool) -> None:
    from cakupan.regions import villages

    report = byo.match(read(_villages_file(names_only), "desa.geojson"), level="village")
    first_eight = list(villages.villages_of("81.03").head(8)["code"])
    assert [m.code for m in report.matched] == first_eight
    assert report.code_field == (None if names_only else "KDEPUM")
    assert report.name_field == "NAMOBJ" and report.unmatched == []
    assert len(report.missing) == len(villages.villages_of("81.03")) - 8


def test_districts_match_by_name_in_the_regency_named_by_another_field() -> None:
    from cakupan.regions import villages

    districts = villages.districts_of("81.03")
    data = files.frame({"WADMKC": ["KECAMATAN " + n.upper() for n in districts["name"]],
                        "WADMKK": ["MALUKU TENGGARA BARAT"] * len(districts)})
    report = byo.match(read(data.to_json().encode(), "kec.geojson"), level="district")
    assert report.codes() == list(districts["code"]) and report.missing == []


def test_village_level_reports_but_is_not_applied(tmp_path, capsys) -> None:
    path = tmp_path / "desa.geojson"
    path.write_bytes(_villages_file(names_only=False))
    assert cli.main(["geo", "load", str(path), "--level", "village", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["matched"] == 8
    assert cli.main(["geo", "load", str(path), "--level", "village", "--apply", "--licence",
                     "CC BY 4.0", "--json"]) == 1
    assert "village" in json.loads(capsys.readouterr().out)["error"]
