"""The research's published figures in ``data/published/`` (issue 12, item 4).

Every figure of ``../shared/research/`` (provinces, regencies, later facts, BPS employed) must be
somewhere in the published files, under its own source and region, and every row's quote must
be findable in the research's NOTES.md (BPS rows: its README.md, which is all the research says
of them). The hand-typed figures below are the numbers as printed in the sources (NOTES.md §2
and §5), not values read back from our CSVs.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cakupan import regions
from cakupan.store import seed

pytestmark = pytest.mark.data

RESEARCH = Path(__file__).resolve().parents[2].parent / "shared" / "research"
needs_research = pytest.mark.skipif(not RESEARCH.is_dir(),
                                    reason="../shared/research not beside checkout")
OLD = {"91": "91~pra2022", "92": "92~pra2022"}
KEMNAKER = "github.com/alifinaaulia"


@pytest.fixture(scope="module")
def pub() -> seed.Published:
    return seed.read_published()


def research_rows() -> list[dict]:
    rows = []
    for name, level in (("published_provinces.csv", "province"),
                        ("published_regencies.csv", "regency")):
        frame = pd.read_csv(RESEARCH / name, dtype=str, keep_default_na=False)
        rows += [dict(r, _level=level) for r in frame.to_dict("records")]
    return rows


def _values(pub: seed.Published, source_ids: set[str], region: str,
            members: str = "") -> set[float]:
    """Every number the published files hold for these sources and this region."""
    out: set[float] = set()
    for frame, columns in ((pub.observations, ("registered", "eligible", "coverage_pct")),
                           (pub.targets, ("target_pct", "target_count")),
                           (pub.measures, ("value", "value_high"))):
        mine = frame[frame["source_id"].isin(source_ids) & (frame["region_code"] == region)]
        if frame is pub.measures and members:
            mine = mine[mine["members"] == members]
        for column in columns:
            out |= {float(v) for v in mine[column].dropna()}
    return out


@needs_research
def test_every_research_figure_is_reproduced(pub: seed.Published) -> None:
    by_url = pub.sources.dropna(subset=["url"]).groupby("url")["id"].apply(set).to_dict()
    missing = []
    for row in research_rows():
        url = row["source_url"].replace("http://", "https://")
        sids = by_url.get(url, set())
        assert sids, f"no source row for {url}"
        if row["_level"] == "regency" and ";" in row["regency_code"]:
            region, members = row["province_code"], row["regency_code"]
        elif row["_level"] == "regency":
            region, members = row["regency_code"], ""
        else:
            region = row["province_code"]
            region = OLD.get(region, region) if KEMNAKER in url else region
            members = ""
        text = row["value"]
        if text == "2018-01-01":  # the date of a plan: the target's deadline
            tgt = pub.targets[pub.targets["source_id"].isin(sids)]
            assert (tgt["deadline"] == "2018-01").any()
            continue
        numbers = {float(v) for v in text.split("-")}
        if not numbers <= _values(pub, sids, region, members):
            missing.append((url[:50], row["metric"], region, text))
    assert not missing, missing
    assert len(research_rows()) == 282 + 142


@needs_research
def test_bps_and_later_facts_are_reproduced(pub: seed.Published) -> None:
    bps = pd.read_csv(RESEARCH / "bps_employed_aug2023.csv", dtype=str, keep_default_na=False)
    employed = pub.measures[pub.measures["measure"] == "bps_employed"]
    assert len(employed) == len(bps) == 24
    assert sorted(employed["value"]) == sorted(float(v) for v in bps["employed_thousands"])
    labour = pub.measures[pub.measures["measure"] == "bps_labour_force"]
    assert sorted(labour["value"]) == sorted(
        float(v) for v in bps["labour_force_thousands"] if v)
    more = pd.read_csv(RESEARCH / "more_facts.csv", dtype=str, keep_default_na=False)
    for row in more.to_dict("records"):
        value = float(row["value"])
        obs = pub.observations[pub.observations["region_code"] == row["code"]]
        by_counts = (obs["registered"] / obs["eligible"] * 100).round(2)
        held = (value in set(obs["coverage_pct"].dropna()) | set(by_counts.dropna())
                or value in set(pub.measures.loc[pub.measures["region_code"] == row["code"],
                                                 "value"]))
        assert held, row


@needs_research
def test_every_research_quote_is_in_the_notes(pub: seed.Published) -> None:
    notes = (RESEARCH / "NOTES.md").read_text("utf-8")
    readme = (RESEARCH / "README.md").read_text("utf-8")
    research = pub.sources[pub.sources["id"].str.startswith("r-")]
    for quote in research["quote"].dropna():
        assert quote in notes or quote in readme, quote[:60]
    ids = set(research["id"])
    unquoted = 0
    for frame in (pub.observations, pub.targets, pub.measures):
        for row in frame[frame["source_id"].isin(ids)].to_dict("records"):
            if pd.isna(row["quote"]):
                # only derived ratios and the two later facts whose page the notes do not quote
                assert (row.get("derived") or "No sentence" in row["note"]), row
                unquoted += 1
                continue
            for part in row["quote"].split(" | "):
                assert part in notes or part in readme, part[:60]
    assert unquoted == 23 + 2


def test_measures_pass_the_store_checks(pub: seed.Published) -> None:
    from cakupan.store.measures import prepare_measures

    assert len(prepare_measures(pub.measures)) == len(pub.measures)


def test_one_source_row_per_url(pub: seed.Published) -> None:
    research = pub.sources[pub.sources["id"].str.startswith("r-")]
    assert research["url"].dropna().is_unique
    assert len(research) >= 85 + 20  # 85 URLs of the two research tables, 24 BPS reports


def test_kemnaker_2023_table(pub: seed.Published) -> None:
    m = pub.measures
    kem = m[(m["measure"] == "kemnaker_active_participants") & (m["period"] == "2023")]
    maluku = kem[kem["region_code"] == "81"].set_index("segment")["value"].to_dict()
    assert maluku == {"pu": 92695, "bpu": 73132, "jakon": 39470, "all": 205297}
    ntt = kem[kem["region_code"] == "53"].set_index("segment")["value"].to_dict()
    assert ntt == {"pu": 161634, "bpu": 139401, "jakon": 63835, "all": 364870}
    totals = kem[kem["segment"] == "all"]
    assert len(totals) == 34 and totals["value"].sum() == 41_560_938
    for code in totals["region_code"]:  # PU + BPU + Jakon = total, every row
        parts = kem[(kem["region_code"] == code) & (kem["segment"] != "all")]["value"].sum()
        assert parts == totals.loc[totals["region_code"] == code, "value"].iloc[0], code
    # Papua and Papua Barat are the old extents, never today's 91 and 92
    assert {"91~pra2022", "92~pra2022"} <= set(totals["region_code"])
    assert not {"91", "92", "93", "94", "95", "96"} & set(totals["region_code"])
    assert {regions.is_valid_code(c) for c in totals["region_code"]
            if "~" not in c} == {True}
    # never a coverage observation
    assert not (pub.observations["registered"] == 205297).any()


def test_measures_are_kept_apart_and_the_derived_ratio_says_so(pub: seed.Published) -> None:
    m = pub.measures
    ratio = m[m["measure"] == "participants_per_100_employed"]
    assert ratio["derived"].all() and not m.loc[m["derived"], "measure"].ne(
        "participants_per_100_employed").any()
    assert ratio["note"].str.contains("Derived").all()
    assert ratio["note"].str.contains("NOT UCJ").all()
    maluku = ratio[ratio["region_code"] == "81"]["value"].iloc[0]
    assert maluku == round(205297 / 853_300 * 100, 1)  # Kemnaker 2023 / BPS August 2023
    papua = ratio[ratio["region_code"] == "91~pra2022"]["value"].iloc[0]
    assert papua == round(497133 / 2_450_000 * 100, 1)  # both the pre-2022 extent
    bps = m[m["measure"] == "bps_employed"].set_index("region_code")["value"]
    assert bps["81"] == 853.3 and bps["74"] == 1351.6 and bps["00"] == 139850
    assert (m.loc[m["measure"].str.startswith("bps_"), "unit"] == "thousand_people").all()


def test_coverage_figures_of_the_research(pub: seed.Published) -> None:
    obs = pub.observations.set_index(["period", "region_code", "scope", "segment"])
    tribun = {"71": (623409, 780666), "75": (193218, 397894), "73": (1043751, 2865109),
              "72": (327272, 978084), "81": (179194, 554515), "74": (264624, 865080),
              "82": (114042, 365027)}
    for code, (registered, eligible) in tribun.items():
        row = obs.loc[("2021-12", code, "region", "all")]
        assert (row["registered"], row["eligible"]) == (registered, eligible)
        # the printed percentage is the counts' ratio rounded to a whole percent
        assert round(registered / eligible * 100) == row["coverage_pct"]
    ambon_2022 = {"81.71": 70, "81.04": 61, "81.02": 58, "81.03": 17}
    for code, pct in ambon_2022.items():
        assert obs.loc[("2022-09", code, "region", "all"), "coverage_pct"] == pct
    non_asn = {"81.72": 90, "81.71": 89, "81.04": 71, "81.09": 68, "81.06": 68, "81.08": 3}
    for code, pct in non_asn.items():
        assert obs.loc[("2022-09", code, "region", "non_asn"), "coverage_pct"] == pct
    assert obs.loc[("2022-09", "81", "region", "non_asn"), "coverage_pct"] == 30
    assert obs.loc[("2022-09", "81", "region", "all"), "coverage_pct"] == 46
    belu = obs.loc[("2024-03", "53.04", "region", "all")]
    assert (belu["registered"], belu["coverage_pct"]) == (58658, 45.76)
    assert obs.loc[("2023-08", "53", "region", "aparatur_desa"), "registered"] == 19629
    assert "2024-12-31" in obs.loc[("2024-12", "81", "region", "all"), "note"]
    # the observations stay on the dashboard's months; later (or earlier) figures are points
    assert pub.observations["period"].between("2017-01", "2024-12").all()
    m = pub.measures
    kendari = m[(m["region_code"] == "74.71") & (m["period"] == "2025-06-08")
                & (m["segment"] == "all")]
    assert kendari.set_index("measure")["value"].to_dict() == {
        "covered_workers": 49397, "potential_workers": 140940, "coverage_pct": 35.05}
    assert kendari["note"].str.startswith("Outside the dashboard's months").all()


def test_disagreements_are_stored_both_ways(pub: seed.Published) -> None:
    m = pub.measures
    voi = m[(m["region_code"] == "72") & (m["measure"] == "ucj_coverage_pct")
            & (m["period"] == "2021-12-31")]
    assert voi["value"].tolist() == [24.22]
    assert "Tribun Timur" in voi["note"].iloc[0]
    sultra = m[(m["region_code"] == "74") & (m["measure"] == "active_participants")
               & (m["period"] == "2023-12")]
    assert sorted(sultra["value"]) == [66647, 66647, 151413]  # as printed, typo included
    ende = m[(m["region_code"] == "53.08") & (m["measure"] == "covered_workers_approx")]
    assert ende["value"].tolist() == [10252]
    ekora = m[(m["region_code"] == "53.08") & (m["measure"] == "covered_workers")]
    assert ekora["value"].tolist() == [10521]
    branch = m[m["members"].notna() & (m["members"] == "53.11;53.12;53.17;53.18")]
    assert sorted(branch["value"]) == [4816, 11874] and (branch["region_code"] == "53").all()
    ranges = m[m["value_high"].notna()]
    assert {(r.value, r.value_high) for r in ranges.itertuples()} >= {
        (80.0, 90.0), (500000.0, 600000.0)}


def test_research_targets(pub: seed.Published) -> None:
    t = pub.targets.set_index("id")
    maluku = t.loc["r-81-all-2025-12-63-88"]
    assert (maluku["target_pct"], maluku["target_count"], maluku["deadline"]) == (
        63.88, 395239, "2025-12")
    assert t.loc["r-81-all-2025-12-72-74", "target_count"] == 474287
    ntt = t.loc["r-53-all-2025-12-60"]
    assert (ntt["target_pct"], ntt["target_count"]) == (60.0, 1_000_000)
    national = pub.measures[pub.measures["region_code"] == "00"]
    rpjmn = national[national["measure"] == "rpjmn_target_pct"].set_index("period")["value"]
    assert rpjmn.to_dict() == {"2025": 32.15, "2029": 43.92}
    assert national.loc[national["measure"] == "rkp_target_pct", "value"].tolist() == [34.99]
    assert national.loc[national["measure"] == "ucj_coverage_pct", "value"].tolist() == [35.68]
