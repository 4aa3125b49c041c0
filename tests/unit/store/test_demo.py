"""The illustrative panel: deterministic, plausible, and exact at every published figure."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cakupan.analysis import metrics
from cakupan.store import demo

ROOT = Path(__file__).resolve().parents[3]
START, END = "2022-01", "2023-12"


def tiny_regions() -> pd.DataFrame:
    """Maluku (a demo province) with two kabupaten and a kota without desa; Aceh with one."""
    rows = [
        ("81", "province", "provinsi", "81", 150, 175),
        ("81.01", "regency", "kabupaten", "81", 100, 105),
        ("81.02", "regency", "kabupaten", "81", 50, 50),
        ("81.71", "regency", "kota", "81", 0, 20),
        ("11", "province", "provinsi", "11", 200, 200),
        ("11.01", "regency", "kabupaten", "11", 200, 200),
    ]
    return pd.DataFrame(rows, columns=["code", "level", "kind", "province_code", "desa",
                                       "villages"])


def pub(*rows: dict) -> pd.DataFrame:
    base = {"scope": "region", "programme": "any", "registered": None, "eligible": None,
            "coverage_pct": None, "source_id": "src", "note": ""}
    frame = pd.DataFrame([{**base, **r} for r in rows])
    return frame.astype({"registered": "Int64", "eligible": "Int64", "coverage_pct": "Float64"})


PUBLISHED = pub(
    {"period": "2022-06", "region_code": "81.01", "segment": "non_asn", "registered": 900},
    {"period": "2022-06", "region_code": "81.02", "segment": "non_asn", "registered": 0},
    {"period": "2022-06", "region_code": "81", "scope": "pemprov", "segment": "non_asn",
     "registered": 1200, "eligible": 4000},
    {"period": "2023-06", "region_code": "81.01", "segment": "bpu", "registered": 2500,
     "eligible": 30000},
    {"period": "2023-06", "region_code": "81.01", "segment": "all", "coverage_pct": 20.0},
    {"period": "2023-06", "region_code": "81", "segment": "all", "coverage_pct": 35.0},
    {"period": "2023-06", "region_code": "11", "segment": "pu", "registered": 5000},
    # Programme-specific figures do not anchor the panel (it is not split by programme).
    {"period": "2023-06", "region_code": "81.02", "segment": "pu", "programme": "jht",
     "registered": 0},
)


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    return demo.illustrative_panel(tiny_regions(), PUBLISHED, start=START, end=END)


def row(panel: pd.DataFrame, period: str, code: str, segment: str,
        scope: str = "region") -> pd.Series:
    hit = panel[(panel["period"] == period) & (panel["region_code"] == code)
                & (panel["segment"] == segment) & (panel["scope"] == scope)]
    assert len(hit) == 1, (period, code, segment, scope)
    return hit.iloc[0]


def path(panel: pd.DataFrame, code: str, segment: str, scope: str = "region") -> pd.DataFrame:
    hit = panel[(panel["region_code"] == code) & (panel["segment"] == segment)
                & (panel["scope"] == scope)]
    return hit.sort_values("period").reset_index(drop=True)


# ----------------------------------------------------------------------------- shape

@pytest.mark.unit
def test_row_count_and_schema(panel: pd.DataFrame) -> None:
    # Series: 3 demo regencies x 6 segments, less aparatur desa of the kota without desa (17);
    # 3 regency "all"; pemprov 81 non_asn + all (2); 2 provinces x 7 segments (14) = 36.
    assert len(panel) == 36 * 24
    assert list(panel.columns) == demo.PANEL_COLUMNS
    assert not panel.duplicated(metrics.OBS_KEY).any()
    assert path(panel, "81.71", "aparatur_desa").empty
    assert set(panel.loc[panel["region_code"].str.len() > 2, "region_code"]) == {
        "81.01", "81.02", "81.71"}  # no regency rows outside the demo provinces


@pytest.mark.unit
def test_flags_and_bounds(panel: pd.DataFrame) -> None:
    assert panel["illustrative"].all()
    assert set(panel["source_id"]) == {demo.SOURCE_ID}
    assert set(panel["programme"]) == {"any"}
    assert panel["batch_id"].isna().all()
    assert set(panel["note"]) == {""}
    assert (panel["registered"] >= 0).all()
    assert (panel["registered"] <= panel["eligible"]).all()
    assert panel["registered"].notna().all() and panel["eligible"].notna().all()


@pytest.mark.unit
def test_deterministic(panel: pd.DataFrame) -> None:
    again = demo.illustrative_panel(tiny_regions(), PUBLISHED, start=START, end=END)
    pd.testing.assert_frame_equal(panel, again)


@pytest.mark.unit
def test_series_depend_only_on_their_own_key() -> None:
    # Seeds come from a hash of the code, not a shared RNG: dropping Aceh changes no Maluku row.
    maluku_only = tiny_regions().query("province_code == '81'")
    published = PUBLISHED[~PUBLISHED["region_code"].str.startswith("11")]
    full = demo.illustrative_panel(tiny_regions(), published, start=START, end=END)
    part = demo.illustrative_panel(maluku_only, published, start=START, end=END)
    full = full[full["region_code"].str.startswith("81")].reset_index(drop=True)
    pd.testing.assert_frame_equal(full, part.reset_index(drop=True))


# ----------------------------------------------------------------------------- anchors

@pytest.mark.unit
def test_passes_through_counts_and_denominators(panel: pd.DataFrame) -> None:
    assert row(panel, "2022-06", "81.01", "non_asn")["registered"] == 900
    assert row(panel, "2022-06", "81.02", "non_asn")["registered"] == 0
    pemprov = row(panel, "2022-06", "81", "non_asn", scope="pemprov")
    assert (pemprov["registered"], pemprov["eligible"]) == (1200, 4000)
    bpu = row(panel, "2023-06", "81.01", "bpu")
    assert (bpu["registered"], bpu["eligible"]) == (2500, 30000)
    # A province figure for a non-demo province lands on its (hidden) regencies' sum.
    assert row(panel, "2023-06", "11", "pu")["registered"] == 5000


@pytest.mark.unit
@pytest.mark.parametrize(("code", "pct"), [("81.01", 20.0), ("81", 35.0)])
def test_passes_through_reported_percentages(panel: pd.DataFrame, code: str, pct: float) -> None:
    r = row(panel, "2023-06", code, "all")
    assert r["registered"] == round(pct * r["eligible"] / 100)


@pytest.mark.unit
def test_published_zero_stays_zero_until_then_grows(panel: pd.DataFrame) -> None:
    series = path(panel, "81.02", "non_asn")
    up_to = series[series["period"] <= "2022-06"]
    assert (up_to["registered"] == 0).all()
    assert series["registered"].iloc[-1] > 0


@pytest.mark.unit
def test_programme_specific_zero_is_not_an_anchor(panel: pd.DataFrame) -> None:
    assert row(panel, "2023-06", "81.02", "pu")["registered"] > 0


@pytest.mark.unit
def test_pekerja_rentan_starts_after_inpres_4_2022(panel: pd.DataFrame) -> None:
    rentan = panel[(panel["segment"] == "pekerja_rentan") & (panel["period"] < "2022-10")]
    assert (rentan["registered"] == 0).all()
    # Maluku: only Kota Ambon had started by March 2023 (Terasmaluku, 29 March 2023).
    assert row(panel, "2023-03", "81.01", "pekerja_rentan")["registered"] == 0
    assert row(panel, "2023-03", "81.71", "pekerja_rentan")["registered"] > 0


@pytest.mark.unit
def test_village_based_denominators(panel: pd.DataFrame) -> None:
    assert row(panel, "2022-01", "81.01", "aparatur_desa")["eligible"] == 100 * 7
    assert row(panel, "2022-01", "81.01", "pekerja_rentan")["eligible"] == 105 * 100


# ----------------------------------------------------------------------------- sums

@pytest.mark.unit
def test_province_rows_are_regencies_plus_pemprov(panel: pd.DataFrame) -> None:
    for segment in ("non_asn", "pu"):
        parts = panel[panel["region_code"].str.startswith("81.") & (panel["segment"] == segment)]
        parts = parts.groupby("period")["registered"].sum()
        if segment == "non_asn":
            parts = parts + path(panel, "81", "non_asn", "pemprov").set_index("period")[
                "registered"]
        province = path(panel, "81", segment).set_index("period")["registered"]
        pd.testing.assert_series_equal(province, parts, check_names=False, check_dtype=False)


@pytest.mark.unit
def test_all_segment_is_the_sum_of_segments(panel: pd.DataFrame) -> None:
    for code in ("81.01", "81", "11"):
        # A province's non_asn row already holds its pemprov, so segments add up to "all".
        seg = panel[(panel["region_code"] == code) & (panel["segment"] != "all")
                    & (panel["scope"] == "region")]
        summed = seg.groupby("period")[["registered", "eligible"]].sum()
        total = path(panel, code, "all").set_index("period")[["registered", "eligible"]]
        pd.testing.assert_frame_equal(total, summed, check_dtype=False)


@pytest.mark.unit
def test_metrics_snapshot_agrees_with_panel_province_row(panel: pd.DataFrame) -> None:
    snap = metrics.snapshot(panel, period="2023-06", segment="non_asn", codes=["81"])
    assert snap["registered"].iloc[0] == row(panel, "2023-06", "81", "non_asn")["registered"]
    assert bool(snap["illustrative"].iloc[0]) is True


@pytest.mark.unit
def test_missing_region_columns_are_refused() -> None:
    from cakupan.core.errors import CakupanError

    with pytest.raises(CakupanError, match="lacks columns"):
        demo.illustrative_panel(tiny_regions().drop(columns="desa"), PUBLISHED)


# ----------------------------------------------------------------------------- real data

def read_published() -> pd.DataFrame:
    text = ["period", "region_code", "scope", "segment", "programme", "source_id"]
    frame = pd.read_csv(ROOT / "data" / "published" / "observations.csv",
                        dtype=dict.fromkeys(text, str), keep_default_na=False,
                        na_values={c: [""] for c in ("registered", "eligible", "coverage_pct")})
    return frame.astype({"registered": "Int64", "eligible": "Int64", "coverage_pct": "Float64"})


@pytest.fixture(scope="module")
def real() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    if not (ROOT / "data" / "published" / "observations.csv").exists():
        pytest.skip("data/published/observations.csv not there yet")
    from cakupan import regions

    published = read_published()
    refs = regions.load_regions()
    return demo.illustrative_panel(refs, published), published, refs


@pytest.mark.data
def test_real_panel_meets_every_published_figure(real) -> None:
    panel, published, _ = real
    key = [*metrics.OBS_KEY]
    # figures outside the panel's months (2015, 2025...) are shown as published, not met
    anchors = published[(published["programme"] == "any")
                        & published["period"].between("2017-01", "2024-12")]
    both = anchors.merge(panel, on=key, how="left", suffixes=("_pub", ""), validate="1:1")
    assert both["registered"].notna().all()
    counts = both[both["registered_pub"].notna()]
    assert (counts["registered"] == counts["registered_pub"]).all()
    denominators = both[both["eligible_pub"].notna()]
    assert (denominators["eligible"] == denominators["eligible_pub"]).all()
    pcts = both[both["registered_pub"].isna() & both["coverage_pct_pub"].notna()]
    assert len(pcts) >= 3  # Maluku 2023 non-ASN, Maluku 2024 all, Kepulauan Tanimbar 2024 all
    expected = (pcts["coverage_pct_pub"] * pcts["eligible"] / 100).round()
    assert (pcts["registered"] == expected).all()


@pytest.mark.data
def test_real_panel_size_and_sultra_2018(real) -> None:
    panel, _, refs = real
    demo_regencies = refs[(refs["level"] == "regency")
                          & refs["province_code"].isin(demo.DEMO_PROVINCES)]
    assert len(demo_regencies) == 11 + 17 + 22
    no_desa = int((demo_regencies["desa"] == 0).sum())
    series = (len(demo_regencies) * 6 - no_desa) + len(demo_regencies) + 3 * 2 + 38 * 7
    assert len(panel) == series * 96
    assert panel["illustrative"].all()
    assert (panel["registered"] <= panel["eligible"]).all()

    oct18 = panel[(panel["period"] == "2018-10") & (panel["segment"] == "non_asn")]
    regencies = oct18[oct18["region_code"].str.startswith("74.")]["registered"].sum()
    pemprov = oct18[(oct18["region_code"] == "74") & (oct18["scope"] == "pemprov")]
    total = oct18[(oct18["region_code"] == "74") & (oct18["scope"] == "region")]
    assert regencies == 6454
    assert pemprov["registered"].iloc[0] == 977
    assert total["registered"].iloc[0] == 7431


@pytest.mark.data
def test_real_panel_unregistered_sultra_regencies_start_after_october_2018(real) -> None:
    panel, published, _ = real
    zeros = published[(published["period"] == "2018-10") & (published["registered"] == 0)
                      & published["region_code"].str.startswith("74.")]["region_code"]
    assert len(zeros) == 11
    rows = panel[panel["region_code"].isin(zeros) & (panel["segment"] == "non_asn")]
    assert (rows.loc[rows["period"] <= "2018-10", "registered"] == 0).all()
    last = rows[rows["period"] == "2024-12"]
    assert (last["registered"] > 0).all()


@pytest.mark.data
def test_real_panel_is_deterministic(real) -> None:
    panel, published, refs = real
    again = demo.illustrative_panel(refs, published)
    assert np.array_equal(panel["registered"].to_numpy(), again["registered"].to_numpy())
    pd.testing.assert_frame_equal(panel, again)
