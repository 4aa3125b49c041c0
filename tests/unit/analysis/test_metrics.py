"""Metrics on tiny hand-made frames; expected values are worked out by hand in the comments."""

from __future__ import annotations

import pandas as pd
import pytest

from cakupan.analysis import metrics as m
from cakupan.core.months import month_index, months_between, period_at, period_range
from cakupan.core.policy import inpres4_quota

pytestmark = pytest.mark.unit


def obs(*rows: dict) -> pd.DataFrame:
    """Observation rows with defaults for the columns a test does not care about."""
    base = {"scope": "region", "segment": "non_asn", "programme": "any", "registered": None,
            "eligible": None, "coverage_pct": None, "illustrative": False, "source_id": "src"}
    frame = pd.DataFrame([{**base, **row} for row in rows])
    return frame.astype({"registered": "Int64", "eligible": "Int64", "coverage_pct": "Float64"})


# ----------------------------------------------------------------------------- coverage, status

@pytest.mark.parametrize(("registered", "eligible", "reported", "expected"), [
    (202, 1000, None, 20.2),        # counts
    (450, 500, 10.0, 90.0),         # counts win over a reported %
    (0, None, None, 0.0),           # nobody registered is 0% whatever the denominator
    (None, None, 40.0, 40.0),       # only a reported % ("Maluku 40%")
    (202, None, None, None),        # count without denominator: unknown
    (5, 0, None, None),             # a zero denominator is not a denominator
    (None, None, None, None),
])
def test_coverage(registered, eligible, reported, expected) -> None:
    result = m.coverage(registered, eligible, reported)
    assert result == (pytest.approx(expected) if expected is not None else None)


@pytest.mark.parametrize(("registered", "eligible", "reported", "expected"), [
    (0, 500, None, "unregistered"),
    (None, None, 0.0, "unregistered"),
    (202, None, None, "registered"),    # joined, denominator unknown
    (450, 500, None, "registered"),     # exactly 90%
    (449, 500, None, "partial"),        # 89.8%
    (None, None, 40.0, "partial"),
    (None, None, 95.0, "registered"),
    (None, None, None, "no_data"),
])
def test_status_of_each_class(registered, eligible, reported, expected) -> None:
    assert m.status_of(registered, eligible, reported) == expected


def test_pandas_missing_values_count_as_missing() -> None:
    # Values read from nullable columns arrive as pd.NA / NaN, not None.
    assert m.status_of(pd.NA, pd.NA, float("nan")) == "no_data"
    assert m.status_of(pd.NA, pd.NA, 40.0) == "partial"
    assert m.coverage(150, pd.NA, None) is None


def test_full_coverage_threshold_is_named() -> None:
    assert m.FULL_COVERAGE_PCT == 90.0


def test_with_coverage_matches_scalar_rules() -> None:
    cases = [(0, 500, None), (202, None, None), (450, 500, None), (449, 500, None),
             (None, None, 40.0), (None, None, 0.0), (None, None, None), (300, 1000, 50.0)]
    frame = obs(*[{"period": "2024-01", "region_code": f"81.{i:02d}", "registered": r,
                   "eligible": e, "coverage_pct": p} for i, (r, e, p) in enumerate(cases)])
    out = m.with_coverage(frame)
    assert list(out["status"]) == [m.status_of(*c) for c in cases]
    expected = [m.coverage(*c) for c in cases]
    got = [None if pd.isna(x) else pytest.approx(x) for x in out["coverage_pct_effective"]]
    assert got == [None if x is None else pytest.approx(x) for x in expected]
    assert "status" not in frame.columns  # the input is not modified


# ----------------------------------------------------------------------------- province totals

SULTRA = obs(
    {"period": "2018-10", "region_code": "74.05", "registered": 202},
    {"period": "2018-10", "region_code": "74.02", "registered": 3301},
    {"period": "2018-10", "region_code": "74.07", "registered": 0},
    {"period": "2018-10", "region_code": "74", "scope": "pemprov", "registered": 977,
     "source_id": "zona"},
    # An illustrative province row must lose against the sum of real regency rows.
    {"period": "2018-10", "region_code": "74", "registered": 9999, "eligible": 20000,
     "illustrative": True, "source_id": "cakupan-illustrative"},
)


def test_province_total_is_regencies_plus_pemprov() -> None:
    snap = m.snapshot(SULTRA, period="2018-10", segment="non_asn", codes=["74"])
    row = snap.iloc[0]
    assert row["registered"] == 202 + 3301 + 0 + 977  # 4,480
    assert row["status"] == "registered"  # no denominator known
    assert bool(row["aggregated"]) is True
    assert bool(row["illustrative"]) is False
    assert row["sources"] == ["src", "zona"]


def test_published_province_row_wins_over_sum() -> None:
    frame = pd.concat([SULTRA, obs({"period": "2018-10", "region_code": "74",
                                    "registered": 7431, "source_id": "zona"})])
    row = m.snapshot(frame, period="2018-10", segment="non_asn", codes=["74"]).iloc[0]
    assert row["registered"] == 7431
    assert bool(row["aggregated"]) is False
    assert row["sources"] == ["zona"]


def test_illustrative_province_row_used_when_no_children() -> None:
    frame = obs({"period": "2020-01", "region_code": "11", "registered": 300, "eligible": 1000,
                 "illustrative": True, "source_id": "cakupan-illustrative"})
    row = m.snapshot(frame, period="2020-01", segment="non_asn", codes=["11"]).iloc[0]
    assert (row["registered"], row["eligible"]) == (300, 1000)
    assert row["coverage_pct"] == pytest.approx(30.0)
    assert row["status"] == "partial"
    assert bool(row["illustrative"]) is True


def test_province_sum_with_denominators_gives_coverage() -> None:
    frame = obs(
        {"period": "2020-01", "region_code": "81.01", "registered": 100, "eligible": 400},
        {"period": "2020-01", "region_code": "81.02", "registered": 50, "eligible": 100,
         "illustrative": True, "source_id": "cakupan-illustrative"},
    )
    row = m.snapshot(frame, period="2020-01", segment="non_asn", codes=["81"]).iloc[0]
    # (100 + 50) / (400 + 100) = 30%
    assert (row["registered"], row["eligible"]) == (150, 500)
    assert row["coverage_pct"] == pytest.approx(30.0)
    assert row["status"] == "partial"
    assert bool(row["illustrative"]) is True  # one of the parts is illustrative


def test_province_sum_drops_denominator_when_one_is_missing() -> None:
    frame = obs(
        {"period": "2020-01", "region_code": "81.01", "registered": 100, "eligible": 400},
        {"period": "2020-01", "region_code": "81.02", "registered": 50},
    )
    row = m.snapshot(frame, period="2020-01", segment="non_asn", codes=["81"]).iloc[0]
    assert row["registered"] == 150
    assert pd.isna(row["eligible"])
    assert row["status"] == "registered"


def test_snapshot_rows_follow_requested_codes_and_filters() -> None:
    frame = pd.concat([SULTRA, obs(
        {"period": "2018-11", "region_code": "74.05", "registered": 999},
        {"period": "2018-10", "region_code": "74.05", "registered": 5, "segment": "bpu"},
        {"period": "2018-10", "region_code": "74.05", "registered": 7, "programme": "jkk"},
    )])
    snap = m.snapshot(frame, period="2018-10", segment="non_asn",
                      codes=["74.07", "74.05", "74.99"])
    assert list(snap["region_code"]) == ["74.07", "74.05", "74.99"]
    assert list(snap["status"]) == ["unregistered", "registered", "no_data"]
    assert snap["registered"].iloc[1] == 202
    assert snap["sources"].iloc[2] == []


def test_snapshot_prefers_published_over_illustrative_for_same_key() -> None:
    frame = obs(
        {"period": "2018-10", "region_code": "74.05", "registered": 500, "illustrative": True},
        {"period": "2018-10", "region_code": "74.05", "registered": 202},
    )
    row = m.snapshot(frame, period="2018-10", segment="non_asn", codes=["74.05"]).iloc[0]
    assert row["registered"] == 202
    assert bool(row["illustrative"]) is False


def test_series_aggregates_province_per_month() -> None:
    frame = obs(
        {"period": "2020-02", "region_code": "81.01", "registered": 10},
        {"period": "2020-02", "region_code": "81.02", "registered": 5},
        {"period": "2020-01", "region_code": "81.01", "registered": 4},
        {"period": "2020-01", "region_code": "82.01", "registered": 1000},  # other province
    )
    out = m.series(frame, code="81", segment="non_asn")
    assert list(out["period"]) == ["2020-01", "2020-02"]
    assert list(out["registered"]) == [4, 15]


# ----------------------------------------------------------------------------- targets, pace

def test_gap_to_target() -> None:
    assert m.gap_to_target(400, 1000, 55) == 150      # 550 - 400
    assert m.gap_to_target(600, 1000, 55) == 0        # already met
    assert m.gap_to_target(0, 333, 100) == 333
    assert m.gap_to_target(10, 3, 50) == 0
    assert m.gap_to_target(1, 3, 50) == 1             # ceil(1.5) - 1
    assert m.gap_to_target(400, None, 55) is None     # unknown eligible


def monthly(values: list[int], start: str = "2023-01") -> pd.DataFrame:
    periods = period_range(start, period_at(month_index(start) + len(values) - 1))
    return pd.DataFrame({"period": periods, "registered": values})


def test_pace_last_12m() -> None:
    # 13 months from 100 to 340: (340 - 100) / 12 = 20 people/month; older months are ignored.
    s = monthly([0] * 5 + list(range(100, 341, 20)))
    assert m.pace_last_12m(s) == pytest.approx(20.0)


def test_pace_uses_earliest_month_in_window_when_gap() -> None:
    s = pd.DataFrame({"period": ["2023-06", "2024-03"], "registered": [100, 190]})
    assert m.pace_last_12m(s) == pytest.approx(10.0)  # 90 people over 9 months


def test_pace_unknown_with_one_point() -> None:
    assert m.pace_last_12m(monthly([100])) is None


def test_months_to_target() -> None:
    s = monthly(list(range(100, 341, 20)))          # last 340, pace 20
    assert m.months_to_target(s, 400) == 3          # ceil(60 / 20)
    assert m.months_to_target(s, 401) == 4          # ceil(61 / 20)
    assert m.months_to_target(s, 300) == 0          # already met
    assert m.months_to_target(monthly([50] * 13), 100) is None          # zero pace
    assert m.months_to_target(monthly(list(range(200, 70, -10))), 300) is None  # negative


def test_monthly_needed() -> None:
    assert m.monthly_needed(400, 550, "2024-06", "2024-12") == pytest.approx(25.0)
    assert m.monthly_needed(600, 550, "2024-06", "2024-12") == 0.0
    assert m.monthly_needed(400, 550, "2024-12", "2024-12") is None


def test_annual_budget() -> None:
    assert m.annual_budget(1000, 16_800) == 201_600_000
    assert m.annual_budget(3500, 11_000) == 462_000_000  # Maluku 2017: 3,500 x Rp11,000 x 12
    assert m.annual_budget(-5, 16_800) == 0
    assert m.annual_budget(None, 16_800) is None


def test_project_continues_at_pace_and_caps_at_eligible() -> None:
    s = monthly(list(range(100, 341, 20)))
    s["eligible"] = 380
    out = m.project(s, "2024-04")
    assert list(out["period"]) == ["2024-01", "2024-02", "2024-03", "2024-04"]
    assert list(out["registered"]) == [340, 360, 380, 380]
    assert list(out["projected"]) == [False, True, True, True]


def test_project_empty_without_pace() -> None:
    assert m.project(monthly([5]), "2025-01").empty


def test_target_path() -> None:
    path = m.target_path("2024-06", 40.0, 55.0, "2024-12")
    assert list(path["period"]) == period_range("2024-06", "2024-12")
    assert path["target_pct"].iloc[0] == pytest.approx(40.0)
    assert path["target_pct"].iloc[3] == pytest.approx(47.5)
    assert path["target_pct"].iloc[-1] == pytest.approx(55.0)


def test_inpres4_quota() -> None:
    assert inpres4_quota(82) == 8200


def test_ranking_behind_and_ahead() -> None:
    frame = obs(
        {"period": "2024-01", "region_code": "81.01", "registered": 90, "eligible": 100},
        {"period": "2024-01", "region_code": "81.02", "registered": 20, "eligible": 100},
        {"period": "2024-01", "region_code": "81.03", "registered": 0},     # unregistered: 0%
        {"period": "2024-01", "region_code": "81.04", "registered": 50},    # unknown %: left out
        {"period": "2024-01", "region_code": "81.05", "registered": 60, "eligible": 100},
    )
    codes = ["81.01", "81.02", "81.03", "81.04", "81.05", "81.06"]
    snap = m.snapshot(frame, period="2024-01", segment="non_asn", codes=codes)
    assert list(m.ranking(snap, n=3, ascending=True)["region_code"]) == ["81.03", "81.02", "81.05"]
    assert list(m.ranking(snap, n=2, ascending=False)["region_code"]) == ["81.01", "81.05"]
    assert len(m.ranking(snap, n=10)) == 4


def test_month_helpers() -> None:
    assert months_between("2017-12", "2018-10") == 10
    assert period_at(month_index("2024-12") + 1) == "2025-01"
