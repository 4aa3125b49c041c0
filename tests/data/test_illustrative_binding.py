"""The illustrative panel never contradicts a published figure (issue 12, item 5).

Binding figures are listed here from the published files themselves: every coverage
observation (``observations.csv``, programme ``any``) inside the panel's period, 2017-01 to
2024-12. Ranges, approximations, undated figures, second sources and other measures live in
``measures.csv`` and do not bind (checked below too). For each binding row the panel's row of
the same key must have the same count and denominator exactly, and the same percentage
within 0.05 points; a percentage printed beside both of its counts is their ratio rounded by
the source (Tribun Timur's "32 persen" of 179,194 / 554,515 = 32.3 %), so there it must agree
to the precision it was printed with.
"""

from __future__ import annotations

import pandas as pd
import pytest

from cakupan import regions
from cakupan.store import demo, seed

pytestmark = pytest.mark.data

START, END = "2017-01", "2024-12"
KEY = ["period", "region_code", "scope", "segment", "programme"]


@pytest.fixture(scope="module")
def published() -> seed.Published:
    return seed.read_published()


@pytest.fixture(scope="module")
def panel(published: seed.Published) -> pd.DataFrame:
    return demo.illustrative_panel(regions.load_regions(), published.observations,
                                   start=START, end=END)


def binding(published: seed.Published) -> pd.DataFrame:
    obs = published.observations
    inside = obs["period"].between(START, END) & (obs["programme"] == "any")
    return obs[inside].reset_index(drop=True)


def _printed_half_unit(value: float) -> float:
    """Half a unit of the last printed digit: 32 -> 0.5, 40.4 -> 0.05, 39.45 -> 0.005."""
    text = f"{value:g}"
    decimals = len(text.split(".")[1]) if "." in text else 0
    return 0.5 * 10 ** -decimals


def test_the_brief_s_figures_are_binding(published: seed.Published) -> None:
    rows = binding(published).set_index(["period", "region_code", "segment"])
    maluku_2024 = rows.loc[("2024-12", "81", "all")]
    assert (maluku_2024["registered"], maluku_2024["coverage_pct"]) == (191618, 39.45)
    maluku_2021 = rows.loc[("2021-12", "81", "all")]
    assert (maluku_2021["registered"], maluku_2021["eligible"]) == (179194, 554515)
    sultra_2023 = rows.loc[("2023-12", "74", "all")]
    assert (sultra_2023["registered"], sultra_2023["coverage_pct"]) == (284207, 42.0)
    assert rows.loc[("2024-06", "53", "all"), "coverage_pct"] == 33.7
    assert len(rows) >= 40  # the articles' rows and the research's coverage figures


def test_every_binding_figure_holds_in_the_panel(published: seed.Published,
                                                 panel: pd.DataFrame) -> None:
    pins = binding(published)
    both = pins.merge(panel, on=KEY, how="left", suffixes=("_pub", ""), validate="1:1")
    missing = both[both["registered"].isna()]
    assert missing.empty, missing[KEY].to_dict("records")
    problems = []
    for row in both.itertuples(index=False):
        where = (row.period, row.region_code, row.scope, row.segment)
        if pd.notna(row.registered_pub) and row.registered != row.registered_pub:
            problems.append((where, "registered", row.registered_pub, row.registered))
        if pd.notna(row.eligible_pub) and row.eligible != row.eligible_pub:
            problems.append((where, "eligible", row.eligible_pub, row.eligible))
        if pd.notna(row.coverage_pct_pub):
            pct = row.registered / row.eligible * 100 if row.eligible else float("nan")
            counts_printed = pd.notna(row.registered_pub) and pd.notna(row.eligible_pub)
            tolerance = _printed_half_unit(row.coverage_pct_pub) if counts_printed else 0.05
            if not abs(pct - row.coverage_pct_pub) <= tolerance + 1e-9:
                problems.append((where, "coverage_pct", row.coverage_pct_pub, round(pct, 3)))
    assert not problems, problems


def test_maluku_december_2024_in_the_panel(panel: pd.DataFrame) -> None:
    hit = panel[(panel["period"] == "2024-12") & (panel["region_code"] == "81")
                & (panel["scope"] == "region") & (panel["segment"] == "all")].iloc[0]
    assert hit["registered"] == 191618
    assert abs(hit["registered"] / hit["eligible"] * 100 - 39.45) <= 0.05


def test_maluku_s_pekerja_rentan_follow_the_article_not_the_falling_total(
        panel: pd.DataFrame) -> None:
    """Terasmaluku, 29 March 2023: Inpres 4/2022 had started only in Kota Ambon. So Ambon
    has pekerja rentan from then on, the other regencies none in that month (published
    zeros), and later some (their modelled starts, 2023-04 to 2024-06). The fall of Maluku's
    total to 39.45% in December 2024 is taken from the workforce segments, not from these:
    before, it had set every regency's pekerja rentan to 0 from 2023 on, and the deck said
    "0 pekerja rentan protected"."""
    rentan = panel[(panel["segment"] == "pekerja_rentan") & (panel["scope"] == "region")
                   & panel["region_code"].str.startswith("81.")]
    by = rentan.pivot_table(index="region_code", columns="period", values="registered")
    assert (by.loc["81.71", "2023-03":] > 0).all()
    assert (by.drop(index="81.71")["2023-03"] == 0).all()
    assert (by["2024-12"] > 0).all(), by["2024-12"]
    province = panel[(panel["region_code"] == "81") & (panel["segment"] == "pekerja_rentan")
                     & (panel["scope"] == "region") & (panel["period"] == "2024-12")]
    assert int(province["registered"].iloc[0]) == int(by["2024-12"].sum())


def test_non_binding_figures_stay_out_of_the_observations(published: seed.Published) -> None:
    measures = pd.read_csv(seed.PUBLISHED_DIR / "measures.csv", dtype=str,
                           keep_default_na=False)
    kemnaker = measures[measures["measure"] == "kemnaker_active_participants"]
    assert len(kemnaker[kemnaker["period"] == "2023"]) == 34 * 4
    # the coverage observations hold none of Kemnaker's, BPS's or the derived figures
    sources = set(kemnaker["source_id"]) | set(
        measures.loc[measures["measure"].str.startswith("bps_"), "source_id"])
    research_obs = published.observations["source_id"]
    assert not research_obs.isin(sources - set(research_obs)).any()
    assert not (published.observations["registered"] == 205297).any()  # Maluku, Kemnaker 2023
    approx = measures[measures["measure"].str.contains("approx|range|undated")]
    assert {"ucj_coverage_pct_approx", "coverage_pct_range", "coverage_pct_undated"} <= set(
        approx["measure"])
