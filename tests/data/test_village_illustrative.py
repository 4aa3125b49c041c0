"""The illustrative village figures: only the three focus provinces, only desa, flagged, and
equal to every published count of villages they claim to honour."""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import io
import json
from pathlib import Path

import pandas as pd
import pytest

from cakupan.analysis import villages as av
from cakupan.regions import villages as vref

ROOT = Path(__file__).resolve().parents[2]
PATH = ROOT / "data" / "village_illustrative.csv.gz"
META = json.loads((ROOT / "data" / "village_illustrative.meta.json").read_text("utf-8"))

pytestmark = pytest.mark.data


@pytest.fixture(scope="module")
def rows() -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(gzip.decompress(PATH.read_bytes())), dtype=str,
                       keep_default_na=False)


def test_only_desa_of_the_three_provinces(rows: pd.DataFrame) -> None:
    assert set(rows["code"].str[:2]) == {"81", "74", "53"}
    kinds = {c: vref.village(c).kind for c in rows["code"].unique()}
    assert set(kinds.values()) == {"desa"}
    assert set(rows["segment"]) == {"aparatur_desa", "pekerja_rentan"}
    registered = rows["registered"].astype(int)
    assert (registered >= 0).all() and (registered <= rows["eligible"].astype(int)).all()
    rentan = rows[rows["segment"] == "pekerja_rentan"]
    assert set(rentan["eligible"]) == {"100"}
    assert set(rentan["funding"]) <= {"", "dana_desa", "apbd", "csr"}
    assert META["illustrative"] is True


@pytest.mark.parametrize("count", META["published_counts_honoured"],
                         ids=lambda c: f"{c['regency']}-{c['segment']}-{c['period']}")
def test_published_village_counts_are_met(rows: pd.DataFrame, count: dict) -> None:
    month = rows[(rows["code"].str[:5] == count["regency"]) & (rows["segment"] == count["segment"])
                 & (rows["period"] == count["period"])]
    assert int((month["registered"].astype(int) > 0).sum()) == count["desa_registered"]
    if count["per_desa"]:
        started = month[month["registered"].astype(int) > 0]
        assert set(started["registered"].astype(int)) == {count["per_desa"]}


def test_tanimbar_80_desa_and_560_aparatur_in_november_2024() -> None:
    table = av.village_table("81.03", "2024-11")
    totals = av.regency_totals(table)
    assert (totals["desa"], totals["aparatur_registered_desa"]) == (80, 80)
    assert int(table["aparatur_registered"].sum()) == 560  # published: 80 x 7
    # kelurahan have no Dana Desa: no gap, no cost
    kel = table[table["kind"] == "kelurahan"]
    assert kel["rentan_gap"].isna().all() and kel["rentan_cost"].isna().all()


def test_belu_5829_workers_in_69_desa_in_may_2023(rows: pd.DataFrame) -> None:
    month = rows[(rows["code"].str[:5] == "53.04") & (rows["segment"] == "pekerja_rentan")
                 & (rows["period"] == "2023-05")]
    assert int(month["registered"].astype(int).sum()) == 5_829


def test_meta_and_script_reproduce_the_file() -> None:
    assert META["sha256"] == hashlib.sha256(PATH.read_bytes()).hexdigest()
    spec = importlib.util.spec_from_file_location(
        "make_village_illustrative", ROOT / "scripts" / "make_village_illustrative.py")
    assert spec and spec.loader
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert script.render(script.build_rows()) == PATH.read_bytes()
