"""The furthest-behind regency of a province, on hand-made frames (expected orders by hand)."""

from __future__ import annotations

import pandas as pd
import pytest

from cakupan.analysis import furthest

pytestmark = pytest.mark.unit


def obs(*rows: dict) -> pd.DataFrame:
    """Observation rows (segment ``all``, December 2024 unless a row says otherwise)."""
    base = {"period": "2024-12", "scope": "region", "segment": "all", "programme": "any",
            "registered": None, "eligible": None, "coverage_pct": None, "illustrative": False,
            "source_id": "src"}
    frame = pd.DataFrame([{**base, **row} for row in rows])
    return frame.astype({"registered": "Int64", "eligible": "Int64", "coverage_pct": "Float64"})


CODES = ["81.01", "81.02", "81.03", "81.04"]


def codes_of(order: furthest.Order) -> list[str]:
    return [s.code for s in order.standings]


def test_lowest_coverage_leads_and_the_rest_follow_from_furthest_behind() -> None:
    frame = obs({"region_code": "81.01", "registered": 500, "eligible": 1000},   # 50%
                {"region_code": "81.02", "registered": 123, "eligible": 1000},   # 12.3%
                {"region_code": "81.03", "registered": 900, "eligible": 1000},   # 90%
                {"region_code": "81.04", "registered": 300, "eligible": 1000})   # 30%
    order = furthest.furthest_behind(frame, CODES, segment="all")
    assert codes_of(order) == ["81.02", "81.04", "81.01", "81.03"]
    assert order.period == "2024-12"
    assert order.first == furthest.Standing("81.02", pytest.approx(12.3), 877)


def test_a_tie_goes_to_the_larger_number_still_unprotected_then_the_code() -> None:
    frame = obs({"region_code": "81.01", "registered": 10, "eligible": 100},     # 10%, 90 left
                {"region_code": "81.02", "registered": 100, "eligible": 1000},   # 10%, 900 left
                {"region_code": "81.03", "coverage_pct": 10.0},                  # 10%, unknown
                {"region_code": "81.04", "registered": 10, "eligible": 100})     # as 81.01
    order = furthest.furthest_behind(frame, CODES, segment="all")
    assert codes_of(order) == ["81.02", "81.01", "81.04", "81.03"]


def test_regencies_without_a_figure_come_after_those_with_one() -> None:
    frame = obs({"region_code": "81.03", "registered": 950, "eligible": 1000},   # 95%
                {"region_code": "81.04", "registered": 40})  # no denominator: no coverage
    order = furthest.furthest_behind(frame, CODES, segment="all")
    assert codes_of(order) == ["81.03", "81.01", "81.02", "81.04"]
    assert order.standing("81.01") == furthest.Standing("81.01", None, None)


def test_unregistered_without_a_denominator_counts_as_zero() -> None:
    frame = obs({"region_code": "81.01", "registered": 5, "eligible": 100},
                {"region_code": "81.04", "registered": 0})
    assert furthest.furthest_behind(frame, CODES, segment="all").first.code == "81.04"


def test_the_latest_month_with_a_figure_in_the_province_is_compared() -> None:
    frame = obs({"region_code": "81.01", "registered": 10, "eligible": 100, "period": "2024-06"},
                {"region_code": "81.02", "registered": 90, "eligible": 100, "period": "2024-11"},
                {"region_code": "81.03", "registered": 1, "eligible": 100, "period": "2024-11",
                 "segment": "non_asn"},                               # another segment
                {"region_code": "74.01", "registered": 1, "eligible": 100, "period": "2025-01"})
    order = furthest.furthest_behind(frame, CODES, segment="all")
    assert order.period == "2024-11" and order.first.code == "81.02"
    pinned = furthest.furthest_behind(frame, CODES, segment="all", period="2024-06")
    assert pinned.period == "2024-06" and pinned.first.code == "81.01"


@pytest.mark.parametrize("frame", [
    obs({"region_code": "81.02", "registered": 40}),                  # counts, no coverage
    obs({"region_code": "81.02", "registered": 1, "eligible": 10, "segment": "non_asn"}),
    obs({"region_code": "81.02"}).iloc[:0],                           # no rows at all
])
def test_with_no_figure_at_all_the_first_regency_by_code_leads(frame: pd.DataFrame) -> None:
    order = furthest.furthest_behind(frame, ["81.04", "81.01", "81.03", "81.01"],
                                     segment="all")
    assert order.period is None
    assert codes_of(order) == ["81.01", "81.03", "81.04"]
    assert order.first == furthest.Standing("81.01", None, None)


def test_no_regencies_no_choice() -> None:
    assert furthest.furthest_behind(obs({"region_code": "81.01"}), [], segment="all").first \
        is None
