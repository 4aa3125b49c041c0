"""safe_cell: a formula hidden behind leading whitespace is neutralised too (issue 9 probe)."""

from __future__ import annotations

import pytest

from cakupan.core.spreadsheet import safe_cell, to_csv_bytes

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("text", [
    " =1+1", "  =1+1", "\u00a0=HYPERLINK(\"http://x\",\"klik\")", " \t=cmd", "\u202f@SUM(A1)",
    "\u200b=1+1", "\ufeff=1+1", "\n=1+1", " +1", " -2+3",
])
def test_formula_after_leading_whitespace_is_prefixed(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", [" Kendari", "\u00a0Kota Baubau", "  ", "a =1", "1 =1"])
def test_text_with_leading_space_but_no_formula_is_unchanged(value: str) -> None:
    assert safe_cell(value) == value


def test_csv_export_neutralises_the_hidden_formula() -> None:
    import pandas as pd

    lines = to_csv_bytes(pd.DataFrame({"wilayah": ["\u00a0=HYPERLINK(1)"]})).decode(
        "utf-8-sig").splitlines()
    assert lines[1] == "'\u00a0=HYPERLINK(1)"
