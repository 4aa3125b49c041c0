"""The shipped published dataset: provenance, schema, codes, quotes and the figures themselves.

The expected figures below are the numbers as printed in the five source articles (and the
brief of issue 3), not values read back from our CSVs.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

import pandas as pd
import pytest

from cakupan import regions, store
from cakupan.regions import resolve
from cakupan.store import seed

pytestmark = pytest.mark.data

FOLDER = seed.PUBLISHED_DIR
SHARED_SOURCES = Path(__file__).resolve().parents[2].parent / "shared" / "sources"
META_KEYS = {"title", "file", "publisher", "url", "accessed", "licence", "sha256", "rows",
             "columns", "notes"}


@pytest.fixture(scope="module")
def pub() -> seed.Published:
    return seed.read_published()


def rows(frame: pd.DataFrame, **match: str) -> pd.DataFrame:
    mask = pd.Series(True, index=frame.index)
    for column, value in match.items():
        mask &= frame[column] == value
    return frame[mask]


def one(frame: pd.DataFrame, **match: str) -> pd.Series:
    found = rows(frame, **match)
    assert len(found) == 1, f"expected one row for {match}, found {len(found)}"
    return found.iloc[0]


# --------------------------------------------------------------------------- provenance

@pytest.mark.parametrize("name", list(seed.FILES))
def test_each_file_has_metadata_with_a_matching_checksum(name: str) -> None:
    path = FOLDER / name
    meta = json.loads(path.with_name(name.replace(".csv", ".meta.json")).read_text("utf-8"))
    assert set(meta) >= META_KEYS
    assert meta["file"] == f"data/published/{name}"
    assert meta["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert meta["rows"] == len(frame)
    assert meta["columns"] == list(frame.columns) == seed.FILES[name]
    assert meta["notes"] and meta["licence"] and meta["title"]


def test_sources_are_complete(pub: seed.Published) -> None:
    src = pub.sources.set_index("id")
    assert src.index.is_unique
    assert set(src["kind"]) <= set(store.SOURCE_KINDS)
    for sid, row in src.iterrows():
        if pd.notna(row["published"]):
            assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", row["published"]), sid
        else:  # undated sources of the research notes say so
            assert sid.startswith("r-") and "not recorded" in row["notes"], sid
        assert row["publisher"] and row["title"], sid
        if row["kind"] == "article" and not sid.startswith("r-"):
            assert row["quote"] and row["stored_copy"] and row["accessed"], sid
        if pd.notna(row["url"]):
            assert row["url"].startswith("https://"), sid
    # the five articles have stored copies; the research's sources are quoted in its NOTES.md
    # (tests/data/test_research_import.py)
    stored = src[src["stored_copy"].notna()]
    assert len(stored) == 5 and (stored["kind"] == "article").all()
    assert stored["stored_copy"].is_unique


def test_every_cited_source_exists(pub: seed.Published) -> None:
    ids = set(pub.sources["id"])
    frames = (pub.observations, pub.targets, pub.premium_rates, pub.measures)
    for frame in frames:
        assert set(frame["source_id"]) <= ids
    cited = set().union(*(set(f["source_id"]) for f in frames))
    assert ids == cited  # and no source sits there unused


@pytest.mark.skipif(not SHARED_SOURCES.is_dir(), reason="../shared/sources not beside checkout")
def test_every_quote_is_verbatim_in_its_article(pub: seed.Published) -> None:
    copies = pub.sources.set_index("id")["stored_copy"]
    texts = {sid: (SHARED_SOURCES / name).read_text("utf-8")
             for sid, name in copies.dropna().items()}
    for sid, quote in pub.sources.set_index("id")["quote"].dropna().items():
        if sid in texts:
            assert quote in texts[sid], sid
    for frame in (pub.observations, pub.targets, pub.premium_rates):
        for _, row in frame.dropna(subset=["quote"]).iterrows():
            if row["source_id"].startswith("r-"):
                continue  # quoted from ../shared/research/NOTES.md: test_research_import.py
            assert row["source_id"] in texts, row["source_id"]
            assert row["quote"] in texts[row["source_id"]], row["quote"][:60]


def test_article_figures_all_carry_a_quote(pub: seed.Published) -> None:
    kinds = pub.sources.set_index("id")["kind"]
    for frame in (pub.observations, pub.targets, pub.premium_rates):
        from_articles = frame[frame["source_id"].map(kinds) == "article"]
        assert from_articles["quote"].notna().all()


# --------------------------------------------------------------------------- schema

def test_observations_pass_the_store_checks(pub: seed.Published) -> None:
    checked = store.prepare_observations(pub.observations)  # raises on any bad row
    assert len(checked) == len(pub.observations)
    assert not pub.observations.duplicated(store.OBS_KEY).any()


def test_targets_and_rates_use_valid_codes_and_vocabulary(pub: seed.Published) -> None:
    assert pub.targets["region_code"].map(regions.is_valid_code).all()
    assert pub.targets["id"].is_unique
    assert set(pub.targets["segment"]) <= set(store.SEGMENTS)
    assert (pub.targets["target_pct"].notna() | pub.targets["target_count"].notna()).all()
    assert set(pub.premium_rates["segment"]) <= set(store.SEGMENTS)
    assert (pub.premium_rates["rupiah_per_person_month"] > 0).all()


def test_derived_and_estimated_rows_say_so(pub: seed.Published) -> None:
    obs = pub.observations
    tanimbar_2024 = obs[(obs["period"] == "2024-11")]
    assert tanimbar_2024["note"].str.contains("Month not stated").all()
    assert one(obs, region_code="81.03", segment="aparatur_desa")["note"].startswith("Derived")


# --------------------------------------------------------------------------- figures

SULTRA_2018 = {"74.71": 1135, "74.06": 1285, "74.02": 3301, "74.05": 202, "74.01": 295,
               "74.11": 236}
SULTRA_UNREGISTERED = ["Wakatobi", "Kota Baubau", "Muna", "Muna Barat", "Buton",
                       "Buton Selatan", "Buton Tengah", "Kolaka Utara", "Buton Utara",
                       "Konawe Utara", "Konawe Kepulauan"]


def test_sulawesi_tenggara_october_2018(pub: seed.Published) -> None:
    obs = rows(pub.observations, period="2018-10", segment="non_asn")
    total = one(obs, region_code="74", scope="region")
    pemprov = one(obs, region_code="74", scope="pemprov")
    assert total["registered"] == 7431
    assert pemprov["registered"] == 977
    assert "JKK and JKM" in pemprov["note"]
    regencies = obs[obs["region_code"].str.startswith("74.")].set_index("region_code")
    assert {c: regencies.loc[c, "registered"] for c in SULTRA_2018} == SULTRA_2018
    # the article's parts add up to its total
    assert regencies["registered"].sum() + pemprov["registered"] == total["registered"]
    # every regency of the province appears exactly once, the other 11 with zero
    assert sorted(regencies.index) == sorted(regions.regencies("74")["code"])
    zeros = set(regencies.index[regencies["registered"] == 0])
    resolved = {r.code for r in resolve.resolve(SULTRA_UNREGISTERED, province="74")}
    assert zeros == resolved and len(zeros) == 11


def test_sultra_codes_match_the_article_names(pub: seed.Published) -> None:
    names = {"Kota Kendari": "74.71", "Kabupaten Bombana": "74.06", "Konawe": "74.02",
             "Konawe Selatan (Konsel)": "74.05", "Kolaka": "74.01",
             "Kolaka Timur (Koltim)": "74.11"}
    got = {r.input: r.code for r in resolve.resolve(list(names), province="74")}
    assert got == names


@pytest.mark.skipif(not os.environ.get("CAKUPAN_GEO_MIRROR"), reason="no boundary mirror")
def test_sultra_codes_exist_in_the_boundary_source(pub: seed.Published) -> None:
    dump = Path(os.environ["CAKUPAN_GEO_MIRROR"]) / "db/kab/wilayah_boundaries_kab_74.sql"
    if not dump.exists():
        pytest.skip(f"{dump} not in the mirror")
    in_boundaries = set(re.findall(r"'(74\.\d{2})'", dump.read_text("utf-8", "replace")))
    used = set(pub.observations["region_code"])
    assert {c for c in used if c.startswith("74.")} <= in_boundaries


def test_maluku_december_2017(pub: seed.Published) -> None:
    row = one(pub.observations, period="2017-12", region_code="81", scope="pemprov")
    assert row["segment"] == "non_asn"
    assert row["registered"] == 1356
    assert row["eligible"] == 1356 + 3500
    assert "26 UPT" in row["note"] and "23" in row["note"]
    rate = one(pub.premium_rates, segment="non_asn")
    assert rate["rupiah_per_person_month"] == 11000
    assert rate["programme"] == "jkk+jkm"


def test_maluku_march_2023(pub: seed.Published) -> None:
    ninety = one(pub.observations, period="2023-03", region_code="81", segment="non_asn")
    assert ninety["coverage_pct"] == 90.0
    assert "NOT a share of non-ASN workers" in ninety["note"]
    rentan = rows(pub.observations, period="2023-03", segment="pekerja_rentan")
    maluku = set(regions.regencies("81")["code"])
    assert set(rentan["region_code"]) == maluku - {"81.71"}  # started only in Kota Ambon
    assert (rentan["registered"] == 0).all()
    goal = one(pub.targets, id="maluku-2023-non-asn-100")
    assert (goal["target_pct"], goal["deadline"]) == (100.0, "2023-12")


def test_ntt_august_2019_two_programmes_only(pub: seed.Published) -> None:
    ntt = rows(pub.observations, period="2019-08", region_code="53", scope="pemprov")
    assert sorted(ntt["programme"]) == ["jht", "jp"]
    assert (ntt["registered"] == 0).all()
    assert ntt["note"].str.contains("inferred").all()


def test_maluku_2024(pub: seed.Published) -> None:
    obs = rows(pub.observations, period="2024-11")
    assert one(obs, region_code="81", segment="all")["coverage_pct"] == 40.0
    assert one(obs, region_code="81.03", segment="all")["coverage_pct"] == 20.0
    informal = one(obs, region_code="81.03", segment="bpu")
    assert (informal["registered"], informal["eligible"]) == (6000, 31000)
    assert one(obs, region_code="81.03", segment="aparatur_desa")["registered"] == 80 * 7
    goal = one(pub.targets, id="maluku-2024-all-55")
    assert (goal["region_code"], goal["segment"], goal["target_pct"], goal["deadline"]) == (
        "81", "all", 55.0, "2024-12")
    assert one(pub.targets, region_code="81.03", segment="pekerja_rentan",
               basis="BPJS Ketenagakerjaan Cabang Maluku plan for Kepulauan Tanimbar"
               )["target_count"] == 1300


def test_inpres_4_2022_targets_are_100_per_desa(pub: seed.Published) -> None:
    quota = rows(pub.targets, basis="Inpres 4/2022: 100 pekerja rentan per desa")
    expected = regions.load_regions()
    expected = expected[expected["province_code"].isin(["53", "74", "81"])
                        & (expected["desa"] > 0)]
    got = quota.set_index("region_code")["target_count"]
    assert dict(got) == {c: d * 100 for c, d in zip(expected["code"], expected["desa"],
                                                     strict=True)}
    assert "74.71" not in got  # Kota Kendari has kelurahan only: no Dana Desa


def test_inpres_2_2021_covers_every_province(pub: seed.Published) -> None:
    inpres2 = rows(pub.targets, basis="Inpres 2/2021")
    assert sorted(inpres2["region_code"]) == sorted(regions.provinces()["code"])
    assert (inpres2["target_pct"] == 100).all() and (inpres2["segment"] == "non_asn").all()


def test_bpu_premium_is_jkk_plus_jkm(pub: seed.Published) -> None:
    bpu = rows(pub.premium_rates, segment="bpu").set_index("programme")
    assert bpu.loc["jkk", "rupiah_per_person_month"] == 10000
    assert bpu.loc["jkm", "rupiah_per_person_month"] == 6800
    assert bpu.loc["jkk+jkm", "rupiah_per_person_month"] == 16800
