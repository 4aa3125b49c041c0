"""Months as people write them, and the refusal of a bare year."""

from __future__ import annotations

import datetime as dt

import pytest

from cakupan.ingest.periods import PeriodError, header_period, parse_period

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("text", [
    "Okt 2018", "Oktober 2018", "oktober 2018", "Oct 2018", "October 2018", "2018-10",
    "2018/10", "10/2018", "10-2018", "04/10/2018", "4/10/2018", "2018-10-04",
    "2018-10-04 00:00:00", "4 Oktober 2018", "Okt-18", "Okt. 2018", "2018 Oktober",
])
def test_october_2018(text: str) -> None:
    assert parse_period(text) == "2018-10"


@pytest.mark.parametrize(("text", "expected"), [
    ("Agt 2019", "2019-08"), ("Agustus 2019", "2019-08"), ("Mei 2020", "2020-05"),
    ("Des 2017", "2017-12"), ("Nop 2017", "2017-11"), ("Pebruari 2021", "2021-02"),
    ("12/01/2024", "2024-01"),  # day first: 12 January, not 1 December
])
def test_indonesian_spellings_and_day_first(text: str, expected: str) -> None:
    assert parse_period(text) == expected


def test_excel_cells() -> None:
    assert parse_period(dt.datetime(2018, 10, 4)) == "2018-10"
    assert parse_period(dt.date(2024, 1, 31)) == "2024-01"
    assert parse_period(43377) == "2018-10"  # Excel serial of 2018-10-04


@pytest.mark.parametrize("value", ["2024", 2024, 2024.0])
def test_bare_year_is_refused(value: object) -> None:
    with pytest.raises(PeriodError) as err:
        parse_period(value)
    assert err.value.key == "period_year_only"


@pytest.mark.parametrize("text", ["Bulan 13", "13/2018", "2018-00", "Okt", "kemarin", "1850-01"])
def test_invalid(text: str) -> None:
    with pytest.raises(PeriodError) as err:
        parse_period(text)
    assert err.value.key == "period_invalid"


def test_empty_is_none() -> None:
    assert parse_period("") is None and parse_period(None) is None and parse_period("-") is None


def test_headers_are_stricter_than_cells() -> None:
    assert header_period("Januari 2024") == "2024-01"
    assert header_period("2024") is None
    assert header_period(2024) is None
    assert header_period("Peserta") is None
