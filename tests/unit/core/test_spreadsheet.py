"""Formula-injection safety and the CSV/XLSX writers used by exports."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from cakupan.core.spreadsheet import safe_cell, to_csv_bytes, to_xlsx_bytes

pytestmark = pytest.mark.unit

INJECTIONS = ["=1+1", "+SUM(A1:A2)", "-2+3", "@SUM(A1)", "\t=cmd", "\r=cmd",
              '=HYPERLINK("http://x","klik")']


@pytest.mark.parametrize("text", INJECTIONS)
def test_formula_text_is_prefixed(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Kota Kendari", "Bau-Bau", "40%", "", 977, -5, 40.5, None])
def test_other_values_unchanged(value: object) -> None:
    assert safe_cell(value) == value


def frame() -> pd.DataFrame:
    return pd.DataFrame({"wilayah": ["Kota Kendari", "=1+1", "@x"],
                         "peserta": [1135, -3, 0], "cakupan": [40.5, None, 7.25]})


def test_csv_has_bom_semicolons_decimal_comma_and_no_live_formula() -> None:
    data = to_csv_bytes(frame(), sep=";")
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0] == "wilayah;peserta;cakupan"
    assert lines[1] == "Kota Kendari;1135;40,5"
    assert lines[2] == "'=1+1;-3;"  # the negative number stays a number
    assert lines[3] == "'@x;0;7,25"


def test_csv_comma_default_keeps_decimal_point() -> None:
    lines = to_csv_bytes(frame()).decode("utf-8-sig").splitlines()
    assert lines[1] == "Kota Kendari,1135,40.5"


def test_xlsx_cells_are_values_not_formulas() -> None:
    book = load_workbook(io.BytesIO(to_xlsx_bytes(frame(), "Cakupan")))
    sheet = book["Cakupan"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("wilayah", "peserta", "cakupan")
    assert rows[1] == ("Kota Kendari", 1135, 40.5)
    assert rows[2] == ("'=1+1", -3, None)
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_xlsx_sheet_name_is_cut_to_excels_limit() -> None:
    book = load_workbook(io.BytesIO(to_xlsx_bytes(frame(), "x" * 40)))
    assert book.sheetnames == ["x" * 31]
