"""Which published figure leads: latest, nearest within 12 months (ties, none), on tiny frames."""

from __future__ import annotations

import pandas as pd
import pytest

from cakupan.analysis import published

pytestmark = pytest.mark.unit

COLUMNS = ["period", "region_code", "scope", "segment", "programme", "registered", "eligible",
           "coverage_pct", "illustrative", "source_id", "note"]


def obs(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=COLUMNS)
    for column in ("registered", "eligible"):
        frame[column] = frame[column].astype("Int64")
    frame["coverage_pct"] = frame["coverage_pct"].astype(float)
    return frame


def row(period: str, code: str = "81", *, reg: int | None = None, pct: float | None = None,
        illustrative: bool = False, scope: str = "region", segment: str = "all",
        source: str = "src", note: str | None = None) -> tuple:
    return (period, code, scope, segment, "any", reg, None, pct, illustrative, source, note)


MALUKU = obs([
    row("2023-03", pct=36.0, source="a"),
    row("2024-11", pct=40.0, source="b"),
    row("2024-12", reg=191_618, pct=39.45, source="c", note="as at 2024-12-31, UCJ"),
    row("2025-06", reg=393_475, illustrative=True, source="panel"),  # never leads
    row("2025-06", "81", scope="pemprov", reg=5000, source="d"),  # not the region's own row
    row("2025-03", "81.01", pct=12.0, source="e"),
])


def test_latest_is_the_newest_published_row_with_its_day_from_the_note() -> None:
    found = published.latest(MALUKU, "81", "all")
    assert found is not None
    assert (found.period, found.as_of, found.registered) == ("2024-12", "2024-12-31", 191_618)
    assert found.coverage_pct == pytest.approx(39.45)
    assert found.source_id == "c" and found.months_away == 0


def test_latest_until_a_month_stops_there_and_says_the_month_without_a_day() -> None:
    found = published.latest(MALUKU, "81", "all", until="2024-11")
    assert (found.period, found.as_of, found.coverage_pct) == ("2024-11", "2024-11", 40.0)


def test_no_published_figure_is_none_even_with_illustrative_rows() -> None:
    only_panel = obs([row("2024-12", "82", reg=1000, illustrative=True)])
    assert published.latest(only_panel, "82", "all") is None
    assert published.nearest(only_panel, "82", "all", "2024-12") is None
    assert published.latest_period(only_panel, "all", ["82"]) is None


@pytest.mark.parametrize(("month", "period", "away"), [
    ("2024-12", "2024-12", 0),      # its own month
    ("2025-06", "2024-12", -6),     # six months after the last figure
    ("2025-12", "2024-12", -12),    # exactly 12 months: still shown
    ("2023-01", "2023-03", 2),      # before the first figure: the later one, 2 months on
])
def test_nearest_within_12_months(month: str, period: str, away: int) -> None:
    found = published.nearest(MALUKU, "81", "all", month)
    assert found is not None and (found.period, found.months_away) == (period, away)


def test_nothing_within_12_months_is_none() -> None:
    assert published.nearest(MALUKU, "81", "all", "2026-01") is None  # 13 months on
    assert published.nearest(MALUKU, "81", "all", "2022-02") is None  # 13 months before


def test_a_tie_goes_to_the_earlier_figure() -> None:
    frame = obs([row("2024-01", pct=30.0, source="before"),
                 row("2024-07", pct=34.0, source="after")])
    found = published.nearest(frame, "81", "all", "2024-04")  # 3 months from each
    assert (found.source_id, found.months_away) == ("before", -3)


def test_nearest_by_region_keeps_the_order_asked_and_skips_regions_without_one() -> None:
    frame = obs([row("2024-12", "81", pct=39.45), row("2024-02", "74", reg=7431),
                 row("2022-01", "53", pct=10.0)])
    found = published.nearest_by_region(frame, ["74", "53", "81", "82"], segment="all",
                                        period="2024-12")
    assert list(found["region_code"]) == ["74", "81"]  # NTT's is 35 months away; 82 has none
    assert list(found["months_away"]) == [-10, 0]
    assert list(found["status"]) == ["registered", "partial"]


def test_latest_period_is_the_newest_month_of_any_code() -> None:
    assert published.latest_period(MALUKU, "all", ["81", "81.01"]) == "2025-03"
    assert published.latest_period(MALUKU, "all", ["81"]) == "2024-12"


def test_as_total_reads_like_a_snapshot_row() -> None:
    total = published.latest(MALUKU, "81", "all").as_total()
    assert total["illustrative"] is False and total["sources"] == ["c"]
    assert total["registered"] == 191_618 and total["as_of"] == "2024-12-31"


def test_a_view_opens_on_its_latest_published_month_when_that_month_has_data() -> None:
    months = ["2024-11", "2024-12", "2025-03", "2025-11"]
    assert published.view_codes("81.01")[:2] == ["81", "81.01"]  # a regency: its province
    # Maluku's view: its own rows and its regencies' (81.01 published in March 2025).
    assert published.opening_month(MALUKU, months, "all", "81") == "2025-03"
    assert published.opening_month(MALUKU, ["2024-11", "2025-11"], "all", "81") == "2025-11"
    assert published.opening_month(MALUKU, months, "all", "82") == "2025-11"  # nothing
    assert published.opening_month(MALUKU, [], "all", "81") is None
