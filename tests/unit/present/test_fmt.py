"""Locale formatting: every helper in Bahasa Indonesia and English."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest

from cakupan.present import fmt

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(("value", "lang", "expected"), [
    (1356, "id", "1.356"),
    (1356, "en", "1,356"),
    (1356000, "id", "1.356.000"),
    (7431, "en", "7,431"),
    (0, "id", "0"),
    (-2500, "id", "-2.500"),
    (np.int64(977), "id", "977"),
    (None, "id", "–"),
    (math.nan, "en", "–"),
])
def test_number(value: float | None, lang: str, expected: str) -> None:
    assert fmt.number(value, lang) == expected


def test_number_with_decimals_rounds_half_up() -> None:
    assert fmt.number(2.25, "id", digits=1) == "2,3"
    assert fmt.number(2.25, "en", digits=1) == "2.3"


def test_number_never_prints_negative_zero() -> None:
    assert fmt.number(-0.3, "id") == "0"


@pytest.mark.parametrize(("value", "lang", "digits", "expected"), [
    (40.5, "id", 1, "40,5%"),
    (40.5, "en", 1, "40.5%"),
    (40, "id", 1, "40,0%"),
    (55, "id", 0, "55%"),
    (40.25, "id", 1, "40,3%"),          # half-up, as people round by hand
    (np.float64(20.0), "en", 1, "20.0%"),
    (0.1 + 0.2, "en", 2, "0.30%"),     # the decimal text, not the binary float
    (None, "id", 1, "–"),
    (math.nan, "en", 1, "–"),
])
def test_pct_takes_percentage_values(value: float | None, lang: str, digits: int,
                                     expected: str) -> None:
    assert fmt.pct(value, lang, digits=digits) == expected


@pytest.mark.parametrize(("value", "lang", "kwargs", "expected"), [
    (15, "id", {}, "15 poin"),
    (15, "en", {}, "15 points"),
    (1, "en", {}, "1 point"),
    (14.5, "id", {}, "14,5 poin"),
    (3.24, "id", {"signed": True}, "+3,2 poin"),
    (-3.24, "en", {"signed": True}, "-3.2 points"),
    (0.01, "en", {"signed": True}, "0 points"),
    (None, "id", {}, "–"),
])
def test_points(value: float | None, lang: str, kwargs: dict, expected: str) -> None:
    assert fmt.points(value, lang, **kwargs) == expected


@pytest.mark.parametrize(("value", "lang", "expected"), [
    (16800, "id", "Rp16.800"),
    (16800, "en", "Rp16,800"),
    (16800.4, "id", "Rp16.800"),
    (-11000, "id", "-Rp11.000"),
    (0, "en", "Rp0"),
    (None, "id", "–"),
])
def test_rupiah_has_no_decimals(value: float | None, lang: str, expected: str) -> None:
    assert fmt.rupiah(value, lang) == expected


@pytest.mark.parametrize(("value", "lang", "expected"), [
    (2.4e9, "id", "Rp2,4 miliar"),
    (2.4e9, "en", "Rp2.4 billion"),
    (1.5e6, "id", "Rp1,5 juta"),
    (1.5e6, "en", "Rp1.5 million"),
    (3e12, "id", "Rp3 triliun"),
    (3e12, "en", "Rp3 trillion"),
    (999_960_000, "id", "Rp1 miliar"),   # rounding up moves to the next word
    (16800, "id", "Rp16.800"),           # below a million: the full figure
    (-2.4e9, "en", "-Rp2.4 billion"),
    (None, "en", "–"),
])
def test_rupiah_words_spells_large_amounts(value: float | None, lang: str,
                                           expected: str) -> None:
    assert fmt.rupiah_words(value, lang) == expected


def test_rupiah_words_never_uses_compact_letters() -> None:
    for value in (1.2e6, 3.4e9, 5.6e12):
        for lang in ("id", "en"):
            text = fmt.rupiah_words(value, lang)
            assert not any(text.endswith(suffix) for suffix in ("M", "B", "T", "K", "jt", "rb"))


@pytest.mark.parametrize(("period", "lang", "style", "expected"), [
    ("2018-10", "id", "short", "Okt 2018"),
    ("2018-10", "id", "long", "Oktober 2018"),
    ("2018-10", "en", "short", "Oct 2018"),
    ("2018-10", "en", "long", "October 2018"),
    ("2024-12", "id", "short", "Des 2024"),
    ("2024-12", "id", "long", "Desember 2024"),
    ("2024-05", "id", "short", "Mei 2024"),
    ("2024-08", "id", "short", "Agu 2024"),
    (dt.date(2024, 8, 17), "en", "long", "August 2024"),
    (None, "id", "short", "–"),
])
def test_month(period: str | None, lang: str, style: str, expected: str) -> None:
    assert fmt.month(period, lang, style) == expected


@pytest.mark.parametrize("bad", ["2018-13", "2018-1", "Okt 2018", "2018/10", ""])
def test_month_rejects_anything_but_yyyy_mm(bad: str) -> None:
    with pytest.raises(ValueError):
        fmt.month(bad, "id")


def test_month_rejects_an_unknown_style() -> None:
    with pytest.raises(ValueError, match="style"):
        fmt.month("2018-10", "id", style="tiny")


@pytest.mark.parametrize(("value", "lang", "style", "expected"), [
    (dt.date(2018, 10, 4), "id", "medium", "4 Okt 2018"),
    (dt.date(2018, 10, 4), "id", "long", "4 Oktober 2018"),
    (dt.date(2018, 10, 4), "en", "medium", "Oct 4, 2018"),
    (dt.date(2018, 10, 4), "en", "long", "October 4, 2018"),
    ("2023-03-29", "id", "long", "29 Maret 2023"),
    (dt.datetime(2019, 8, 29, 10, 30), "en", "long", "August 29, 2019"),
    (None, "id", "medium", "–"),
])
def test_date(value: object, lang: str, style: str, expected: str) -> None:
    assert fmt.date(value, lang, style) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(("value", "lang", "expected"), [
    (1356, "id", "1.356 orang"),
    (1356, "en", "1,356 people"),
    (1, "en", "1 person"),
    (1, "id", "1 orang"),
    (None, "en", "–"),
])
def test_people(value: float | None, lang: str, expected: str) -> None:
    assert fmt.people(value, lang) == expected


@pytest.mark.parametrize(("value", "unit", "lang", "expected"), [
    (11, "regions", "id", "11 wilayah"),
    (11, "regions", "en", "11 regions"),
    (1, "months", "en", "1 month"),
    (7, "months", "id", "7 bulan"),
    (1200, "villages", "en", "1,200 villages"),
])
def test_count(value: float, unit: str, lang: str, expected: str) -> None:
    assert fmt.count(value, unit, lang) == expected


def test_plotly_separators_put_the_decimal_mark_first() -> None:
    assert fmt.plotly_separators("id") == ",."
    assert fmt.plotly_separators("en") == ".,"


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError):
        fmt.number(1, "fr")
    with pytest.raises(ValueError):
        fmt.plotly_separators("fr")


def test_parse_period_gives_the_first_day() -> None:
    assert fmt.parse_period("2018-10") == dt.date(2018, 10, 1)
