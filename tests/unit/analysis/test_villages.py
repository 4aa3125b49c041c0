"""Village table arithmetic: status per village, the Inpres 4/2022 gap (desa only) and its
cost at Rp16,800 x 12, stored rows beating illustrative ones, sums by district."""

from __future__ import annotations

import pandas as pd
import pytest

from cakupan.analysis import villages as av
from cakupan.core.errors import CakupanError


def _store(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["region_code", "period", "segment", "registered",
                                       "eligible", "illustrative", "source_id", "note"])


def test_stored_rows_win_and_set_status_gap_and_cost() -> None:
    store = _store([
        ("81.03.01.2002", "2024-12", "pekerja_rentan", 40, 100, False, "upload-1", "dana_desa"),
        ("81.03.01.2003", "2024-12", "pekerja_rentan", 100, 100, False, "upload-1", "APBD"),
        ("81.03.01.2004", "2024-12", "aparatur_desa", 3, 7, False, "upload-1", ""),
        ("81.03.01.1001", "2024-12", "pekerja_rentan", 50, 100, False, "upload-1", "csr"),
    ])
    t = av.village_table("81.03", "2024-12", store, segment="pekerja_rentan").set_index("code")
    assert t.loc["81.03.01.2002", "status"] == "partial"
    assert t.loc["81.03.01.2002", "rentan_gap"] == 60
    assert t.loc["81.03.01.2002", "rentan_cost"] == 60 * 16_800 * 12
    assert t.loc["81.03.01.2002", "rentan_funding"] == "dana_desa"
    assert not t.loc["81.03.01.2002", "rentan_illustrative"]
    assert t.loc["81.03.01.2003", "status"] == "registered"
    assert t.loc["81.03.01.2003", "rentan_gap"] == 0
    assert t.loc["81.03.01.2003", "rentan_funding"] == "apbd"
    # a kelurahan: counted, but no Dana Desa, so no gap and no cost
    assert t.loc["81.03.01.1001", "status"] == "partial"
    assert pd.isna(t.loc["81.03.01.1001", "rentan_gap"])
    apar = av.village_table("81.03", "2024-12", store).set_index("code")
    assert apar.loc["81.03.01.2004", "status"] == "partial"
    assert apar.loc["81.03.01.1002", "status"] == "no_data"


def test_a_desa_with_no_worker_costs_rp20_160_000_a_year() -> None:
    t = av.village_table("81.03", "2023-03", segment="pekerja_rentan")
    desa = t[t["kind"] == "desa"]
    assert set(desa["rentan_gap"]) == {100}
    assert set(desa["rentan_cost"]) == {20_160_000}
    s = av.district_summary(t)
    assert s.iloc[-1]["rentan_cost"] == 80 * 20_160_000
    assert s.iloc[:-1]["villages"].sum() == 82 and s.iloc[-1]["villages"] == 82


def test_outside_the_three_provinces_every_village_is_no_data() -> None:
    t = av.village_table("11.01", "2024-12")
    assert len(t) == 260 and set(t["status"]) == {"no_data"}


def test_only_the_two_village_segments() -> None:
    with pytest.raises(CakupanError, match="not counted per village"):
        av.village_table("81.03", None, segment="non_asn")
