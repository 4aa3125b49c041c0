"""The gap to a named target's path: base figure, inherited targets, bins and pace needed."""

from __future__ import annotations

import pandas as pd
import pytest

from cakupan.analysis import target_gap as tg


def obs(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    """Observation rows (region, period, reported coverage %) in the store's shape."""
    return pd.DataFrame([{
        "period": p, "region_code": c, "scope": "region", "segment": "all", "programme": "any",
        "registered": pd.NA, "eligible": pd.NA, "coverage_pct": v, "illustrative": False,
        "source_id": "s1"} for c, p, v in rows]).astype(
        {"registered": "Int64", "eligible": "Int64"})


def targets(*rows: dict) -> pd.DataFrame:
    base = {"programme": "any", "target_count": None, "baseline_period": None,
            "segment": "all", "source_id": "s1", "illustrative": False, "note": "", "quote": ""}
    return pd.DataFrame([{**base, **r} for r in rows])


MALUKU = {"id": "mlk-55", "region_code": "81", "target_pct": 55.0, "deadline": "2024-12",
          "baseline_period": "2024-06", "basis": "Target cabang 2024"}


@pytest.mark.parametrize(("gap", "category"), [
    (3.0, "on_track"), (0.0, "on_track"), (-0.01, "behind_lt5"), (-4.999, "behind_lt5"),
    (-5.0, "behind_5_10"), (-7.5, "behind_5_10"), (-10.0, "behind_5_10"),
    (-10.001, "behind_gt10"), (-40.0, "behind_gt10"), (None, "no_data"),
])
def test_bins_at_0_5_and_10_points_behind(gap, category) -> None:
    assert tg.gap_category(gap) == category


def test_float_noise_at_a_boundary_does_not_move_a_bin() -> None:
    # 55 - 50 computed through a path is 5.000000000000007 in floats; it is 5 behind.
    path = tg.path_value("2024-01", 40.3, 55.0, "2024-12", "2024-12")
    assert tg.gap_category(round(50.0 - path, 6)) == "behind_5_10"


def test_base_is_the_figure_at_the_baseline_period() -> None:
    frame = obs([("81.01", "2024-01", 30.0), ("81.01", "2024-06", 40.0),
                 ("81.01", "2024-09", 44.0)])
    out = tg.gap_frame(frame, targets(MALUKU | {"region_code": "81.01"}), "mlk-55",
                       codes=["81.01"], period="2024-09", segment="all").iloc[0]
    assert (out["base_period"], out["base_pct"]) == ("2024-06", 40.0)
    assert out["path_pct"] == pytest.approx(47.5)  # 40 + 15 x 3/6
    assert out["gap_pts"] == pytest.approx(-3.5)
    assert out["category"] == "behind_lt5"
    assert out["needed_pts"] == pytest.approx(11.0 / 3)  # (55 - 44) / 3 months
    assert out["inherited"] == "own"


def test_without_a_baseline_figure_the_first_figure_of_the_targets_year_is_the_base() -> None:
    frame = obs([("81.02", "2023-12", 10.0), ("81.02", "2024-03", 20.0),
                 ("81.02", "2024-12", 30.0)])
    out = tg.gap_frame(frame, targets(MALUKU | {"region_code": "81.02"}), "mlk-55",
                       codes=["81.02"], period="2024-12", segment="all").iloc[0]
    assert (out["base_period"], out["base_pct"]) == ("2024-03", 20.0)  # not 2023-12
    assert out["path_pct"] == 55.0  # at the deadline the path is the target
    assert out["category"] == "behind_gt10"
    assert out["needed_pts"] is None  # the deadline month itself: no month left


def test_regencies_without_a_target_follow_their_provinces_and_say_so() -> None:
    frame = obs([("81.01", "2024-06", 40.0), ("81.01", "2024-12", 56.0),
                 ("81.02", "2024-06", 20.0), ("81.02", "2024-12", 48.0),
                 ("74.01", "2024-06", 20.0), ("74.01", "2024-12", 30.0)])
    own = MALUKU | {"id": "mlk-55-0102", "region_code": "81.02", "target_pct": 60.0}
    out = tg.gap_frame(frame, targets(MALUKU, own), "mlk-55",
                       codes=["81.01", "81.02", "74.01"], period="2024-12",
                       segment="all").set_index("code")
    assert out.loc["81.01", "inherited"] == "province"
    assert out.loc["81.01", "target_id"] == "mlk-55"
    assert out.loc["81.01", "category"] == "on_track"  # 56 >= 55
    assert out.loc["81.02", "inherited"] == "own"  # its own row of the same series
    assert out.loc["81.02", "gap_pts"] == pytest.approx(-12.0)
    assert out.loc["74.01", "category"] == "no_data"  # another province: no target
    assert pd.isna(out.loc["74.01", "inherited"])


def test_a_national_target_applies_to_every_region_without_its_own() -> None:
    rpjmn = {"id": "rpjmn-2029", "region_code": "00", "target_pct": 43.92,
             "deadline": "2029-12", "baseline_period": "2024-12", "basis": "RPJMN 2025-2029"}
    frame = obs([("74.01", "2024-12", 30.0), ("74.01", "2025-12", 32.0)])
    out = tg.gap_frame(frame, targets(rpjmn), "rpjmn-2029", codes=["74.01"],
                       period="2025-12", segment="all").iloc[0]
    assert out["inherited"] == "national"
    assert out["path_pct"] == pytest.approx(30 + 13.92 * 12 / 60)
    assert out["category"] == "behind_lt5"


def test_before_the_base_month_there_is_no_path_yet() -> None:
    frame = obs([("81.01", "2024-03", 30.0), ("81.01", "2024-06", 40.0)])
    out = tg.gap_frame(frame, targets(MALUKU | {"region_code": "81.01"}), "mlk-55",
                       codes=["81.01"], period="2024-03", segment="all").iloc[0]
    assert out["path_pct"] is None and out["category"] == "no_data"


def test_needed_per_month_for_maluku_2025() -> None:
    # 39.45% at Dec 2024 and 63.88% by Dec 2025: +2.04 points a month for 12 months.
    assert tg.needed_per_month(39.45, 63.88, "2024-12", "2025-12") == pytest.approx(24.43 / 12)
    assert tg.needed_per_month(70.0, 63.88, "2024-12", "2025-12") == 0.0


def test_the_switcher_lists_every_path_target_of_the_view() -> None:
    rows = targets(
        MALUKU, MALUKU | {"id": "mlk-2025", "target_pct": 63.88, "deadline": "2025-12"},
        MALUKU | {"id": "open", "deadline": None},  # no deadline: no path
        MALUKU | {"id": "count", "target_pct": None, "target_count": 100},
        {"id": "rpjmn", "region_code": "00", "target_pct": 43.92, "deadline": "2029-12",
         "basis": "RPJMN"},
        {"id": "sultra", "region_code": "74", "target_pct": 50.0, "deadline": "2025-12",
         "basis": "x"},
    )
    assert list(tg.view_targets(rows, "81", "all")["id"]) == ["mlk-55", "mlk-2025", "rpjmn"]
    assert set(tg.view_targets(rows, "national", "all")["id"]) == {
        "mlk-55", "mlk-2025", "rpjmn", "sultra"}
    assert tg.view_targets(rows, "81", "non_asn").empty


def test_of_two_targets_for_one_deadline_the_chosen_one_applies() -> None:
    # TribunAmbon: 63.88% in 2025 and a "target akhir" of 72.74%, one basis, one deadline.
    first = MALUKU | {"id": "mlk-63", "target_pct": 63.88, "deadline": "2025-12",
                      "baseline_period": "2024-12", "basis": "TribunAmbon"}
    final = first | {"id": "mlk-72", "target_pct": 72.74}
    frame = obs([("81.01", "2024-12", 40.0), ("81.01", "2025-06", 50.0)])
    for chosen, pct in (("mlk-63", 63.88), ("mlk-72", 72.74)):
        out = tg.gap_frame(frame, targets(first, final), chosen, codes=["81.01"],
                           period="2025-06", segment="all").iloc[0]
        assert (out["target_id"], out["target_pct"]) == (chosen, pct)
        assert out["path_pct"] == pytest.approx(40 + (pct - 40) / 2)
