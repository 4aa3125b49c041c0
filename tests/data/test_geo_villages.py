"""Village boundaries per regency from the mirror: counts against the reference, budgets,
villages with no boundary kept, the served files, and the one-line message elsewhere."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from cakupan.core.errors import GeoUnavailable
from cakupan.geo import assets
from cakupan.geo import villages as vgeo
from cakupan.regions import villages as vref

pytestmark = [pytest.mark.data, pytest.mark.geo]


@pytest.fixture(scope="module")
def mirror() -> Path:
    path = os.environ.get("CAKUPAN_GEO_MIRROR", "").strip()
    if not path or not (Path(path) / "db" / "kel" / "81").is_dir():
        pytest.skip("CAKUPAN_GEO_MIRROR does not hold the village files")
    return Path(path)


def test_registry_pins_every_upstream_file() -> None:
    pins = vgeo.registry()
    assert len(pins["kec"]) == 38 and len(pins["kel"]) == 514
    assert pins["kel"]["81.03"]["path"] == "db/kel/81/wilayah_boundaries_kel_81.03.sql"
    assert pins["upstream"]["commit"] == "3c5a7960f4d227a38489094d84252bdbb3f978a5"


def test_tanimbar_one_shape_per_village_within_budget(mirror: Path) -> None:
    report = vgeo.build_regency("81.03")
    assert (report["reference"], report["with_boundary"]) == (82, 82)
    assert report["without_boundary"] == [] and report["not_in_reference"] == []
    served = assets.village_asset("kel", "81.03")
    features = json.loads(served.raw)["features"]
    codes = [f["properties"]["code"] for f in features]
    assert sorted(codes) == sorted(vref.villages_of("81.03")["code"])
    assert len(served.raw) <= vgeo.VILLAGE_BUDGET
    assert report["invalid"] == 0 and report["empty"] == 0
    districts = json.loads(assets.village_asset("kec", "81.03").raw)["features"]
    assert len(districts) == 10
    assert assets.asset(served.name) is served
    assert assets.asset(served.name.replace("81.03", "81.04")) is None


def test_villages_without_boundary_are_listed_not_dropped(mirror: Path) -> None:
    # 53.07 (Manggarai) has villages that upstream has no boundary for yet
    report = vgeo.build_regency("53.07")
    assert report["reference"] == len(vref.villages_of("53.07"))
    assert report["with_boundary"] + len(report["without_boundary"]) == report["reference"]
    assert len(report["without_boundary"]) > 0
    assert all(vref.is_village_code(c) for c in report["without_boundary"])


def test_report_lists_boundary_codes_missing_from_the_reference() -> None:
    report = vgeo._report("81.03", ["81.03.01.1001", "81.03.99.2001"], ["Saumlaki", "Baru"],
                          {"81.03.01.1001": "Saumlaki", "81.03.01.1002": "Saumlaki Utara"})
    assert report["with_boundary"] == 1
    assert report["without_boundary"] == ["81.03.01.1002"]
    assert report["not_in_reference"] == [{"code": "81.03.99.2001", "name": "Baru"}]


def test_a_regency_outside_the_mirror_says_in_one_line_how(mirror: Path,
                                                           tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    monkeypatch.setenv("CAKUPAN_CACHE_DIR", str(tmp_path))
    assert not vgeo.available("11.01")
    with pytest.raises(GeoUnavailable) as err:
        vgeo.build_regency("11.01")
    message = str(err.value)
    assert "\n" not in message and "geo villages --regency 11.01" in message
    assert vgeo.available("81.03")
