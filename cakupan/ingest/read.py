"""Turn the bytes of an uploaded CSV or XLSX file into rows of cells.

Rows keep their position in the sheet (``rows[0]`` is sheet row 1), so that every message
can name the row the user sees in Excel. Nothing here interprets the cells: that is
``cakupan.ingest``'s job.

Text files are decoded honestly: UTF-8 (with or without BOM), UTF-16 when it starts with a
BOM (Excel's "Unicode text"), otherwise Windows-1252 (what Excel on Windows writes as "CSV"),
and Latin-1 only for the five bytes Windows-1252 leaves undefined. The delimiter (``,`` ``;``
or tab) is the one that splits most of the first lines into the same number of fields.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import PurePath

from cakupan.core.errors import CakupanError
from cakupan.ingest.messages import format_message
from cakupan.ingest.numbers import Percent

DELIMITERS = (",", ";", "\t")
CSV_SUFFIXES = (".csv", ".txt", ".tsv")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
_SNIFF_LINES = 50


class IngestError(CakupanError):
    """A problem with the whole file (not one row). ``str()`` is the Indonesian message;
    :meth:`message` gives it in another language from ``key`` and ``params``."""

    def __init__(self, key: str, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(format_message(key, params, "id"))

    def message(self, lang: str = "id") -> str:
        return format_message(self.key, self.params, lang)


@dataclass
class Table:
    """The cells of one sheet: ``rows[i]`` is sheet row ``i + 1``; ``None`` is an empty cell."""

    rows: list[list[object]]
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    encoding: str | None = None
    delimiter: str | None = None


def decode(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding that read it (module docstring)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits most of the first lines into the same number (> 1) of fields.

    Title lines above the header have one field and are outvoted; quoted Indonesian numbers
    such as "1.356,5" in a comma file do not disturb the count because the csv module honours
    the quotes.
    """
    lines = [ln for ln in text.splitlines()[:_SNIFF_LINES] if ln.strip()]
    best, best_score = ",", (-1, -1)
    for delim in DELIMITERS:
        counts = [len(r) for r in csv.reader(lines, delimiter=delim)]
        modal, votes = Counter(counts).most_common(1)[0] if counts else (1, 0)
        score = (votes if modal > 1 else 0, modal)
        if score > best_score:
            best, best_score = delim, score
    return best


def _trim(rows: list[list[object]]) -> list[list[object]]:
    """Drop trailing empty rows, trailing empty cells, and turn blank strings into ``None``."""
    out: list[list[object]] = []
    for row in rows:
        cells = row if all(c is not None for c in row) else [
            None if (c is None or (isinstance(c, str) and not c.strip())) else c for c in row]
        while cells and cells[-1] is None:
            cells.pop()
        out.append(cells)
    while out and not out[-1]:
        out.pop()
    return out


def read_csv(data: bytes, file_name: str) -> Table:
    text, encoding = decode(data)
    delimiter = sniff_delimiter(text)
    try:
        rows = [[c.strip() or None for c in record] for record in
                csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as err:
        raise IngestError("file_unreadable", file=file_name, kind="CSV", detail=str(err)) from err
    return Table(_trim(rows), encoding=encoding, delimiter=delimiter)


def _cell_value(cell: object) -> object:
    value = getattr(cell, "value", None)
    if isinstance(value, str):
        return value.strip()
    fmt = getattr(cell, "number_format", "") or ""
    if isinstance(value, int | float) and not isinstance(value, bool) and "%" in fmt:
        return Percent(value * 100)
    return value


def read_xlsx(data: bytes, file_name: str, sheet: str | None = None) -> Table:
    from openpyxl import load_workbook  # imported here: CSV-only callers do not pay for it

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as err:
        raise IngestError("file_unreadable", file=file_name, kind="XLSX",
                          detail=str(err) or type(err).__name__) from err
    try:
        names = list(book.sheetnames)
        if sheet is not None and sheet not in names:
            raise IngestError("sheet_unknown", sheet=sheet, sheets=", ".join(names))
        chosen = sheet if sheet is not None else names[0]
        ws = book[chosen]
        rows: list[list[object]] = []
        for row in ws.iter_rows(min_row=1):
            if row and hasattr(row[0], "row") and row[0].row:
                while len(rows) < row[0].row - 1:  # rows the file does not store are empty
                    rows.append([])
            rows.append([_cell_value(c) for c in row])
    except IngestError:
        raise
    except Exception as err:  # openpyxl raises many types on damaged files
        raise IngestError("file_unreadable", file=file_name, kind="XLSX",
                          detail=str(err) or type(err).__name__) from err
    finally:
        book.close()
    return Table(_trim(rows), sheet=chosen, sheets=names)


def read_table(data: bytes, file_name: str, sheet: str | None = None) -> Table:
    """Rows of the file, as CSV or XLSX by its name (or its content, for a ZIP-based file).

    Raises
    ------
    IngestError
        ``file_empty``, ``file_type``, ``file_unreadable`` or ``sheet_unknown``.
    """
    if not data.strip():
        raise IngestError("file_empty", file=file_name)
    suffix = PurePath(file_name).suffix.lower()
    is_zip = data.startswith(b"PK\x03\x04")
    if suffix in XLSX_SUFFIXES or (is_zip and suffix not in CSV_SUFFIXES):
        return read_xlsx(data, file_name, sheet)
    if suffix in CSV_SUFFIXES or suffix == "":
        if is_zip:
            raise IngestError("file_unreadable", file=file_name, kind="CSV",
                              detail="ini file XLSX/ZIP / this is an XLSX/ZIP file")
        return read_csv(data, file_name)
    raise IngestError("file_type", file=file_name)
