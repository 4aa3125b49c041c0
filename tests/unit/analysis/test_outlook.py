"""Outlook (Tren & Target) and regency profile: hand-computed values on tiny series."""

from __future__ import annotations

import pandas as pd
import pytest

from cakupan.analysis import profile
from cakupan.analysis.outlook import outlook
from cakupan.present import mapview

pytestmark = pytest.mark.unit


def series(rows: list[tuple[str, int | None, int | None, float | None]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["period", "registered", "eligible", "coverage_pct"])
    frame["registered"] = frame["registered"].astype("Int64")
    frame["eligible"] = frame["eligible"].astype("Int64")
    frame["status"] = "partial"
    frame["illustrative"] = False
    frame["sources"] = [["s"]] * len(frame)
    return frame


def test_counts_give_pace_in_people_and_the_month_the_target_is_reached() -> None:
    # 100 people a month over the last 12 months; 55% of 10,000 = 5,500; 4,200 now.
    s = series([("2023-06", 3000, 10000, 30.0), ("2024-06", 4200, 10000, 42.0)])
    view = outlook(s, {"target_pct": 55, "deadline": "2024-12", "baseline_period": "2024-06"})
    assert view.pace_unit == "people"
    assert view.pace == pytest.approx(100.0)
    assert view.target_people == 5500
    assert view.pace_needed == pytest.approx((5500 - 4200) / 6)  # 6 months left
    assert view.reach == "2025-07"  # 13 months at 100/month
    assert view.path["target_pct"].iloc[0] == 42.0 and view.path["target_pct"].iloc[-1] == 55.0
    assert view.projection["period"].iloc[-1] == "2024-12"


def test_percentages_only_are_projected_in_points() -> None:
    s = series([("2023-11", None, None, 34.0), ("2024-11", None, None, 40.0)])
    view = outlook(s, {"target_pct": 55, "deadline": "2024-12"})
    assert view.pace_unit == "points"
    assert view.pace == pytest.approx(0.5)
    assert view.pace_needed == pytest.approx(15.0)  # 15 points in one month
    assert view.reach == "2027-05"  # 30 months at 0.5 points


def test_count_target_without_deadline_still_gives_the_month() -> None:
    s = series([("2023-03", 0, 3000, 0.0), ("2024-03", 1200, 3000, 40.0)])
    view = outlook(s, {"target_pct": None, "target_count": 3000, "deadline": None})
    assert view.target_people == 3000 and view.pace_needed is None
    assert view.reach == "2025-09"  # 1,800 more at 100/month


def test_no_target_and_no_data() -> None:
    assert outlook(series([]), None).last_period is None
    view = outlook(series([("2024-01", 10, 100, 10.0)]), None)
    assert view.target_pct is None and view.reach is None and view.last_period == "2024-01"


def test_segment_profile_gap_and_budget() -> None:
    obs = pd.DataFrame({
        "period": ["2024-06", "2024-06"], "region_code": ["81.03", "81.03"],
        "scope": ["region", "region"], "segment": ["bpu", "pekerja_rentan"],
        "programme": ["any", "any"], "registered": pd.array([6000, 500], dtype="Int64"),
        "eligible": pd.array([31000, 8000], dtype="Int64"),
        "coverage_pct": [None, None], "illustrative": [False, True],
        "source_id": ["a", "b"], "batch_id": ["x", "x"], "note": ["", ""]})
    targets = pd.DataFrame({"region_code": ["81"], "segment": ["bpu"], "programme": ["any"],
                            "target_pct": [55.0], "target_count": [None],
                            "deadline": ["2024-12"], "baseline_period": [None]})
    rates = pd.DataFrame({"programme": ["jkk+jkm", "jkk+jkm"],
                          "segment": ["bpu", "pekerja_rentan"],
                          "rupiah_per_person_month": [16800, 16800],
                          "valid_from": ["2021-01", "2022-06"], "source_id": ["r", "r"]})
    seg = profile.segment_profile(obs, targets, rates, code="81.03", period="2024-06", desa=80)
    bpu = seg.set_index("segment").loc["bpu"]
    assert bpu["target_pct"] == 55.0  # the province's target applies to its regency
    assert bpu["gap_people"] == 17050 - 6000  # 55% of 31,000 = 17,050
    assert bpu["budget_year"] == 11050 * 16800 * 12
    rentan = seg.set_index("segment").loc["pekerja_rentan"]
    assert rentan["target_people"] == 8000  # Inpres 4/2022: 80 desa x 100
    assert rentan["gap_people"] == 7500 and bool(rentan["illustrative"])


def test_map_tooltip_says_units_provenance_and_source() -> None:
    row = {"registered": 202, "eligible": None, "coverage_pct": None, "status": "registered",
           "illustrative": False, "sources": ["zs"]}
    text = mapview.detail_text(row, "id", {"zs": "Zonasultra.com, Okt 2018"})
    assert text.splitlines() == ["Terdaftar: 202 orang", "Status: ✓ Terdaftar", "Data terbit",
                                 "Sumber: Zonasultra.com, Okt 2018"]
    english = mapview.detail_text({**row, "illustrative": True}, "en", {})
    assert "Illustrative" in english and "202 people" in english
