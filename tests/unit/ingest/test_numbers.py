"""Indonesian and English number forms, and the column rule for "1,356" / "1.356"."""

from __future__ import annotations

import math

import pytest

from cakupan.ingest.numbers import NumberError, Percent, column_style, parse_number, parse_numbers

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(("text", "expected"), [
    ("1.356", 1356),
    ("1.356.000", 1_356_000),
    ("40,5%", 40.5),
    ("40,5 %", 40.5),
    ("Rp 11.000", 11_000),
    ("Rp11.000,-", 11_000),
    ("Rp. 11.000", 11_000),
    ("3,5 ribu", 3_500),
    ("1,2 juta", 1_200_000),
    ("2 rb", 2_000),
    ("1 356", 1356),
    ("2.500.000,50", 2_500_000.5),
    ("1,356,000", 1_356_000),
    ("1,356.5", 1356.5),
    ("40.5", 40.5),
    ("1,5", 1.5),
    ("977", 977),
    ("-12", -12),
])
def test_forms(text: str, expected: float) -> None:
    assert parse_number(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["", "-", "–", "n/a", "  "])
def test_missing(text: str) -> None:
    assert parse_number(text) is None


@pytest.mark.parametrize("text", ["abc", "1.35.6", "12a", "1,2,3,4.5,6", "Rp"])
def test_not_numbers(text: str) -> None:
    with pytest.raises(NumberError) as err:
        parse_number(text)
    assert err.value.key == "number_invalid"


def test_excel_numbers_pass_through() -> None:
    assert parse_number(977) == 977.0
    assert parse_number(40.5) == 40.5
    assert parse_number(float("nan")) is None


def test_comma_three_digits_without_evidence_depends_on_column_kind() -> None:
    # A count of people cannot be 1.356, so a count column reads thousands...
    assert parse_number("1,356", integer=True) == 1356
    # ...any other column reads the Indonesian decimal comma.
    assert parse_number("1,356") == pytest.approx(1.356)


def test_column_style_evidence() -> None:
    assert column_style(["1.356", "1.356.000"]) == "id"
    assert column_style(["1,356", "40.5"]) == "en"
    assert column_style(["1,356", "1.356"]) is None
    assert column_style(["1.356.000", "2,500,000"]) == "mixed"


def test_english_column_reads_ambiguous_comma_as_thousands() -> None:
    col = parse_numbers(["1,356", "2,500,000", "7"])
    assert col.values.tolist() == [1356, 2_500_000, 7]
    assert col.errors == {}


def test_english_column_reads_ambiguous_dot_as_decimal() -> None:
    col = parse_numbers(["1.356", "2,500,000"])
    assert col.values[0] == pytest.approx(1.356)


def test_indonesian_column_reads_ambiguous_comma_as_decimal() -> None:
    col = parse_numbers(["1,356", "40,5", "1.356.000"])
    assert col.values.tolist() == pytest.approx([1.356, 40.5, 1_356_000])


def test_mixed_column_refuses_only_the_ambiguous_value() -> None:
    col = parse_numbers(["1,356", "2.500.000", "40.5", "x"])
    assert set(col.errors) == {0, 3}
    assert col.errors[0].key == "number_ambiguous"
    assert col.errors[3].key == "number_invalid"
    assert col.values[1] == 2_500_000 and col.values[2] == 40.5
    assert math.isnan(col.values[0])


def test_percent_flag_for_text_and_excel_percent_cells() -> None:
    col = parse_numbers(["40%", "12", Percent(55.0), 3.0])
    assert col.percent.tolist() == [True, False, True, False]
    assert col.values.tolist() == [40, 12, 55, 3]


def test_vectorised_and_scalar_paths_agree() -> None:
    texts = ["1.356", "1.356.000", "12", "Rp 11.000", "3,5 ribu", "40,5%", "-", "1,356"]
    col = parse_numbers(texts, integer=True)
    for text, value in zip(texts, col.values, strict=True):
        scalar = parse_number(text, style="id", integer=True)
        assert (scalar is None and math.isnan(value)) or value == pytest.approx(scalar)
