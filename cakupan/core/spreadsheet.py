"""Write tables that open safely and correctly in Excel and LibreOffice.

Exports carry region names and notes that came from uploaded files; a cell such as
``=HYPERLINK(...)`` or ``@SUM(...)`` would run as a formula in the reader's spreadsheet
(CSV/formula injection). :func:`safe_cell` neutralises such text with a leading apostrophe,
which spreadsheets show as plain text; numbers stay numbers so sums still work.

CSV is written as UTF-8 *with* BOM so Excel shows "Bau-Bau" and "Pulau Taliabu" accents
correctly; Excel set to Indonesian expects ``;`` between fields (``,`` is its decimal mark).
"""

from __future__ import annotations

import io
import math
from numbers import Number

import pandas as pd

#: First characters that make a spreadsheet treat text as a formula (OWASP's list).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
#: Characters a spreadsheet may skip before the formula sign (Excel and LibreOffice trim
#: ordinary and no-break spaces when a CSV is opened; OWASP lists tab and CR as prefixes
#: themselves): " =1+1" and "\u00a0=HYPERLINK(...)" run as formulas too.
_SKIPPED_BEFORE_FORMULA = " \t\r\n\u00a0\u2007\u202f\ufeff\u200b\u3000"
#: Excel's limit on sheet-name length.
MAX_SHEET_NAME = 31


def safe_cell(value: object) -> object:
    """The value, with formula-like text prefixed by ``'``; numbers and missing values as is.

    Leading whitespace (spaces, no-break spaces, tabs, line breaks, zero-width space) does not
    hide a formula: " =1+1" is prefixed like "=1+1"; the text is otherwise kept as it was.

    >>> safe_cell("=1+1"), safe_cell("-5 orang"), safe_cell(-5), safe_cell("Kendari")
    ("'=1+1", "'-5 orang", -5, 'Kendari')
    >>> safe_cell(" =1+1"), safe_cell("\u00a0=HYPERLINK(1)"), safe_cell(" Kendari")
    ("' =1+1", "'\xa0=HYPERLINK(1)", ' Kendari')
    """
    if isinstance(value, str) and (
            value.startswith(FORMULA_PREFIXES)
            or value.lstrip(_SKIPPED_BEFORE_FORMULA).startswith(FORMULA_PREFIXES)):
        return "'" + value
    return value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy with :func:`safe_cell` applied to every text cell and column name."""
    out = df.copy()
    for column in out.columns:
        if not pd.api.types.is_numeric_dtype(out[column]) and not pd.api.types.is_bool_dtype(
                out[column]):
            out[column] = out[column].map(safe_cell)
    out.columns = [safe_cell(c) if isinstance(c, str) else c for c in out.columns]
    return out


def to_csv_bytes(df: pd.DataFrame, *, sep: str = ",", decimal: str | None = None) -> bytes:
    """CSV bytes in UTF-8 with BOM, formula-safe.

    Parameters
    ----------
    sep
        Field delimiter; ``";"`` for Excel set to Indonesian.
    decimal
        Decimal mark; defaults to ``","`` when ``sep`` is ``";"`` (the Indonesian pairing),
        else ``"."``.
    """
    if decimal is None:
        decimal = "," if sep == ";" else "."
    text = safe_frame(df).to_csv(index=False, sep=sep, decimal=decimal, lineterminator="\r\n")
    return text.encode("utf-8-sig")


def _xlsx_value(value: object) -> object:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, Number) and not isinstance(value, bool):
        return value.item() if hasattr(value, "item") else value
    return safe_cell(value if isinstance(value, str | bool) else str(value))


def to_xlsx_bytes(df: pd.DataFrame, sheet_name: str = "Data") -> bytes:
    """An XLSX workbook with one sheet holding ``df``, formula-safe, header in bold.

    Cells are written as values by openpyxl (a string is never stored as a formula after
    :func:`safe_cell`), numbers as numbers.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = (sheet_name or "Data")[:MAX_SHEET_NAME]
    sheet.append([_xlsx_value(str(c)) for c in df.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in df.itertuples(index=False, name=None):
        sheet.append([_xlsx_value(v) for v in row])
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
