"""National map, published first, and the Kemnaker 2023 map (34 extents): tiny frames."""

from __future__ import annotations

import pandas as pd
import pytest

from cakupan.analysis import metrics
from cakupan.present import mapview, measureview

pytestmark = pytest.mark.unit


def snapshot(rows: list[tuple[str, int | None, bool]]) -> pd.DataFrame:
    obs = pd.DataFrame([{"period": "2024-12", "region_code": c, "scope": "region",
                         "segment": "all", "programme": "any", "registered": r,
                         "eligible": None, "coverage_pct": None, "illustrative": i,
                         "source_id": "panel" if i else "art"} for c, r, i in rows])
    obs["registered"] = obs["registered"].astype("Int64")
    obs["eligible"] = obs["eligible"].astype("Int64")
    obs["coverage_pct"] = obs["coverage_pct"].astype(float)
    codes = [c for c, _, _ in rows] + ["11.01"]
    return metrics.snapshot(obs.dropna(subset=["registered"]), period="2024-12", segment="all",
                            codes=codes)


PROVINCES = pd.DataFrame([
    {"region_code": "81", "period": "2024-11", "as_of": "2024-11", "months_away": -1,
     "registered": pd.NA, "eligible": pd.NA, "coverage_pct": 40.0, "status": "partial",
     "source_id": "antara", "source_title": "A"},
])


def test_national_values_published_first_then_province_then_illustrative_then_none() -> None:
    snap = snapshot([("81.01", 120, False),   # a regency's own published figure
                     ("81.02", 5000, True),   # illustrative, but Maluku has a published one
                     ("74.01", 300, True)])   # illustrative, Sultra has nothing published
    values = mapview.national_values(snap, PROVINCES, "id", {"antara": "ANTARA, Nov 2024"},
                                     {"antara": "ANTARA"})
    basis = dict(zip(values["code"], values["basis"], strict=True))
    assert basis == {"81.01": "regency", "81.02": "province", "74.01": "illustrative",
                     "11.01": "none"}
    row = values.set_index("code").loc["81.02"]
    assert row["coverage_pct"] == 40.0 and row["months_away"] == -1
    assert row["detail"].split("\n") == [
        "Prov. Maluku: 40% pada Nov 2024",
        "Angka terbit · ANTARA · terdekat dalam 12 bulan"]
    sultra = values.set_index("code").loc["74.01", "detail"].split("\n")
    assert sultra[0] == "Provinsi Sulawesi Tenggara: belum ada angka terbit"
    assert "Ilustrasi" in sultra
    assert values.set_index("code").loc["11.01", "detail"] == "Belum ada angka terbit"
    notice = mapview.national_notice(values, "id", "Desember 2024")
    assert "terdekat dalam 12 bulan" in notice and "(1 dari 3 provinsi)" in notice
    assert "2 provinsi belum punya angka terbit" in notice  # Sultra (illustrative) and Aceh


def test_national_notice_without_borrowed_months_does_not_say_nearest() -> None:
    same_month = PROVINCES.assign(period="2024-12", as_of="2024-12-31", months_away=0)
    values = mapview.national_values(snapshot([("81.02", 5000, True)]), same_month, "en")
    assert values["detail"].iloc[0].split("\n") == [
        "Maluku province: 40% as of Dec 31, 2024", "Published · antara"]  # id if no name
    notice = mapview.national_notice(values, "en", "December 2024")
    assert "nearest" not in notice and "1 provinces have no published figure" in notice


@pytest.mark.parametrize(("code", "key"), [("94.01", "91~pra2022"), ("91", "91~pra2022"),
                                           ("96.01", "92~pra2022"), ("81.01", "81")])
def test_a_regency_lies_in_its_2023_extent(code: str, key: str) -> None:
    assert measureview.extent_key(code) == key


KEMNAKER = pd.DataFrame([
    {"measure": "kemnaker_active_participants", "period": "2023", "region_code": k,
     "segment": s, "value": v, "source_id": "kemnaker"}
    for k, s, v in (("81", "all", 205_297), ("81", "pu", 92_695), ("81", "bpu", 73_132),
                    ("81", "jakon", 39_470), ("91~pra2022", "all", 400_000),
                    ("81", "all_2025", 1))  # another segment is not the total
] + [{"measure": "bps_employed", "period": "2023", "region_code": "74", "segment": "all",
      "value": 1_300, "source_id": "bps"}])


def test_kemnaker_values_paint_each_regency_with_its_extent_and_say_what_it_is() -> None:
    values = measureview.kemnaker_values(KEMNAKER, ["81.01", "94.01", "95.02", "74.01"], "id",
                                         {"kemnaker": "Kemnaker Satu Data"})
    by = values.set_index("code")
    assert by.loc["81.01", "value"] == 205_297
    assert by.loc["94.01", "value"] == by.loc["95.02", "value"] == 400_000  # old Papua
    assert by.loc["74.01", "status"] == "no_data"  # BPS employed is not Kemnaker's figure
    lines = by.loc["81.01", "detail"].split("\n")
    assert lines[0] == "Maluku: 205.297 peserta aktif (Kemnaker 2023)"
    assert lines[1] == "PU 92.695 · BPU 73.132 · Jakon 39.470"
    assert "bukan cakupan UCJ" in lines[2] and lines[3] == "Sumber: Kemnaker Satu Data"
    assert "Papua Selatan" in by.loc["94.01", "detail"]
    assert by.loc["74.01", "detail"] == "Sulawesi Tenggara: tidak ada angka Kemnaker 2023"
    assert measureview.alt_text(values, "id").startswith(
        "Peta peserta aktif Kemnaker 2023: 2 wilayah provinsi; terendah 205.297 (Maluku)")


def test_kemnaker_legend_counts_people_not_percent() -> None:
    labels = measureview.bin_labels("id")
    assert len(labels) == len(measureview.COUNT_EDGES) - 1
    assert labels[:2] == ["di bawah 250 rb", "250–500 rb"] and labels[-1] == "≥ 4 jt"
    assert all("%" not in label for label in measureview.bin_labels("en"))
