"""Each declared limit of a boundary file, with an input that exceeds it (STYLE.md 19)."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace

import pytest

from cakupan.geo import byo
from cakupan.ingest import boundary_file
from tests.unit.geo import byo_files as files


def limits(**changes) -> byo.GeoFileLimits:
    return replace(byo.GeoFileLimits.from_settings(), **changes)


def refused(data: bytes, name: str, lim: byo.GeoFileLimits) -> str:
    with pytest.raises(byo.BoundaryFileError) as err:
        byo.read_boundary_bytes(data, name, lim)
    assert "\n" not in str(err.value)
    return err.value.key


def test_file_size_cap() -> None:
    data = files.kemendagri_geojson()
    assert refused(data, "a.geojson", limits(file_bytes=len(data) - 1)) == "too_big"


def test_zip_entry_count_cap(tmp_path) -> None:
    data = files.shapefile_zip(tmp_path)
    assert refused(data, "a.zip", limits(zip_entries=3)) == "zip_entries"


def test_zip_declared_uncompressed_size_cap(tmp_path) -> None:
    data = files.shapefile_zip(tmp_path)
    assert refused(data, "a.zip", limits(zip_unpacked_bytes=1000)) == "zip_unpacked"


def test_zip_bomb_entry_is_refused_by_what_it_declares() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb.geojson", b" " * (8 << 20))  # 8 MB of spaces, ~8 KB zipped
    assert len(buffer.getvalue()) < 100_000
    assert refused(buffer.getvalue(), "bomb.zip",
                   limits(zip_unpacked_bytes=1 << 20)) == "zip_unpacked"


def test_feature_count_cap() -> None:
    assert refused(files.kemendagri_geojson(), "a.geojson", limits(features=10)) == "features"


def test_absolute_paths_in_a_zip_are_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("/tmp/batas.geojson", files.kemendagri_geojson())
    assert refused(buffer.getvalue(), "abs.zip", limits()) == "zip_path"


def test_a_broken_file_gets_a_one_line_message() -> None:
    assert refused(b'{"type": "FeatureCollection", "features": [', "x.geojson",
                   limits()) == "unreadable"
    assert refused(b"\x00\x01 not a map", "x.bin", limits()) == "format"


def test_the_limited_child_reads_and_refuses(tmp_path) -> None:
    """The same sandboxed child as spreadsheet uploads: a good zip is read, a ``../`` zip
    comes back as the file's refusal (not a crash), a size over the cap never reaches it."""
    raw = boundary_file.read_limited(files.shapefile_zip(tmp_path), "ok.zip")
    assert raw.features == 11 and raw.crs == "EPSG:32752"
    with pytest.raises(byo.BoundaryFileError) as err:
        boundary_file.read_limited(files.traversal_zip(), "evil.zip")
    assert err.value.key == "zip_path"
    with pytest.raises(byo.BoundaryFileError) as err:
        boundary_file.read_limited(b"x" * 100, "big.geojson", geo_limits=limits(file_bytes=10))
    assert err.value.key == "too_big"


def test_a_shapefile_without_its_prj_in_metres_is_refused(tmp_path) -> None:
    data = files.shapefile_zip(tmp_path / "shp")
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buffer, "w") as out:
        for info in src.infolist():
            if not info.filename.endswith(".prj"):
                out.writestr(info.filename, src.read(info))
    assert refused(buffer.getvalue(), "noprj.zip", limits()) == "no_crs"


def test_a_shapefile_without_its_dbf_is_refused_by_name(tmp_path) -> None:
    data = files.shapefile_zip(tmp_path / "shp")
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buffer, "w") as out:
        for info in src.infolist():
            if not info.filename.endswith(".dbf"):
                out.writestr(info.filename, src.read(info))
    with pytest.raises(byo.BoundaryFileError) as err:
        byo.read_boundary_bytes(buffer.getvalue(), "nodbf.zip", limits())
    assert err.value.key == "shp_parts" and ".dbf" in err.value.message("en")


def test_lines_are_not_boundaries() -> None:
    data = b'{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"n":"a"},' \
           b'"geometry":{"type":"LineString","coordinates":[[127,-3],[128,-4]]}}]}'
    assert refused(data, "lines.geojson", limits()) == "no_polygons"
