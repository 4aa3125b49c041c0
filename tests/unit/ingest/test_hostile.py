"""Hostile and clumsy files (issue 9): each limit is exceeded by a file built here, at a small
scale with small limits, and refused with its message; none of them is expanded first.

The files come from :mod:`cakupan.benchmarks.ingest`, which refuses the same files at full
scale (``python -m cakupan bench --only refuse_...``).
"""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from dataclasses import replace

import pytest
from openpyxl import Workbook

from cakupan.benchmarks.ingest import (
    column_jump_xlsx,
    entity_xlsx,
    many_rows_csv,
    row_jump_xlsx,
    xlsx_from_sheet,
    zip_bomb_xlsx,
)
from cakupan.ingest import IngestError, Limits, parse_file, xlsx_sheet_names
from cakupan.ingest.read import inspect_xlsx, read_xlsx

pytestmark = pytest.mark.unit

MB = 2**20


def limits(**kw: float) -> Limits:
    return replace(Limits.from_settings(), **kw)


def refusal(data: bytes, name: str, lim: Limits | None = None, **kw: object) -> IngestError:
    with pytest.raises(IngestError) as err:
        parse_file(data, name, limits=lim or limits(), **kw)
    return err.value


def good_xlsx(rows: int = 3) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["Kabupaten", "Periode", "Peserta"])
    for i in range(rows):
        sheet.append(["Konsel", f"{2000 + i // 12}-{i % 12 + 1:02d}", 202])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- zip: unpacked size and compression ratio ------------------------------------------------


def test_zip_bomb_is_refused_by_its_ratio_without_unpacking() -> None:
    bomb = zip_bomb_xlsx(4 * MB)
    assert len(bomb) < 40_000  # 4 MB of sheet in a few KB
    tracemalloc.start()
    err = refusal(bomb, "bom.xlsx", limits(xlsx_ratio=100))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert err.key == "xlsx_compression" and err.params["part"] == "xl/worksheets/sheet1.xml"
    assert err.params["ratio"] > 100
    assert "compressed" in err.message("en") and "100" in err.message("en")
    assert peak < 2 * MB  # the sheet was never decompressed


def test_unpacked_total_above_the_limit_is_refused() -> None:
    bomb = zip_bomb_xlsx(3 * MB)
    err = refusal(bomb, "bom.xlsx", limits(xlsx_unpacked_bytes=2 * MB, xlsx_ratio=10_000))
    assert err.key == "xlsx_too_big_unpacked"
    assert err.message("en").startswith("This XLSX file is too large once unpacked (3 MB; "
                                        "the limit is 2 MB)")


def test_an_ordinary_workbook_passes_the_zip_checks() -> None:
    inspect_xlsx(good_xlsx(2000), "biasa.xlsx", limits())  # no exception
    result = parse_file(good_xlsx(3), "biasa.xlsx", segment="pu", limits=limits())
    assert result.rows == 3 and result.ok


def test_small_entries_are_not_held_to_the_ratio() -> None:
    # A 100 KB part compresses ~1000x but unpacks to 100 KB: harmless, and Excel does write
    # small, very regular parts.
    data = xlsx_from_sheet([b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxml'
                            b'formats.org/spreadsheetml/2006/main"><sheetData>'
                            + b'<row r="1"><c r="A1" t="inlineStr"><is><t>Kabupaten</t></is>'
                            + b'</c><c r="B1" t="inlineStr"><is><t>Peserta</t></is></c></row>'
                            + b" " * 100_000 + b"</sheetData></worksheet>"])
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/worksheets/sheet1.xml")
    assert info.file_size / info.compress_size > 100
    inspect_xlsx(data, "kecil.xlsx", limits(xlsx_ratio=100))


# --- XML declarations (entity expansion) ------------------------------------------------------


@pytest.mark.parametrize(("part", "entry"), [
    ("sheet", "xl/worksheets/sheet1.xml"),
    ("shared", "xl/sharedStrings.xml"),
    ("workbook", "xl/workbook.xml"),
])
def test_billion_laughs_is_refused_not_expanded(part: str, entry: str) -> None:
    tracemalloc.start()
    err = refusal(entity_xlsx(part), "tawa.xlsx", segment="pu", period="2018-10")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert err.key == "xlsx_doctype" and err.params["part"] == entry
    assert "DOCTYPE" in err.message("en") and "DOCTYPE" in err.message("id")
    assert peak < 5 * MB  # 10**9 "lol"s would be 3 GB


def test_a_harmless_doctype_is_refused_too() -> None:
    # Excel never writes a DOCTYPE, so there is nothing to lose by refusing every one.
    doctype = '<!DOCTYPE worksheet SYSTEM "file:///etc/passwd">'
    sheet = (f'<?xml version="1.0"?>{doctype}<worksheet xmlns="http://schemas.openxmlformats'
             '.org/spreadsheetml/2006/main"><sheetData/></worksheet>').encode()
    assert refusal(xlsx_from_sheet([sheet]), "x.xlsx").key == "xlsx_doctype"


# --- sparse row numbers -----------------------------------------------------------------------


def test_row_number_jump_is_compacted_and_keeps_the_sheet_row_number() -> None:
    tracemalloc.start()
    result = parse_file(row_jump_xlsx(1_000_000), "lompat.xlsx", segment="pu", limits=limits())
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert result.rows == 1
    assert [(e.row, e.column, e.key) for e in result.errors] == [
        (1_000_000, "Peserta", "number_negative")]
    assert peak < 10 * MB  # a million empty rows were never built (nor 16,384 columns each)


def test_row_number_beyond_the_sheet_is_refused() -> None:
    err = refusal(row_jump_xlsx(20_000_000), "lompat.xlsx", segment="pu")
    assert err.key == "xlsx_beyond_sheet" and err.params["cell"] == "A20000000"
    assert "1,048,576" in err.message("en") and "1.048.576" in err.message("id")


def test_rows_out_of_order_are_refused() -> None:
    sheet = (b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             b'spreadsheetml/2006/main"><sheetData>'
             b'<row r="5"><c r="A5" t="inlineStr"><is><t>Kabupaten</t></is></c></row>'
             b'<row r="3"><c r="A3" t="inlineStr"><is><t>Konsel</t></is></c></row>'
             b'</sheetData></worksheet>')
    err = refusal(xlsx_from_sheet([sheet]), "acak.xlsx")
    assert err.key == "xlsx_rows_out_of_order" and err.params == {"row": 3, "previous": 5}


def test_column_beyond_the_sheet_is_refused() -> None:
    sheet = (b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             b'spreadsheetml/2006/main"><sheetData><row r="1"><c r="ZZZ1"><v>1</v></c></row>'
             b'</sheetData></worksheet>')
    err = refusal(xlsx_from_sheet([sheet]), "lebar.xlsx")
    assert err.key == "xlsx_beyond_sheet" and err.params["cell"] == "ZZZ1"


def test_wide_rows_are_read_by_their_values_not_their_dimension() -> None:
    table = read_xlsx(column_jump_xlsx(2), "lebar.xlsx", limits=limits())
    assert table.numbers == [1, 2, 3]
    assert [len(r) for r in table.rows] == [3, 16_384, 16_384]  # only the memory limit helps


# --- rows --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["banyak.csv", "banyak.xlsx"])
def test_rows_beyond_the_limit_are_refused(name: str) -> None:
    def file(rows: int) -> bytes:
        return many_rows_csv(rows) if name.endswith(".csv") else good_xlsx(rows)

    at_limit = parse_file(file(10), name, segment="pu", period="2018-10",
                          limits=limits(rows=10))
    assert at_limit.rows == 10
    err = refusal(file(11), name, limits(rows=10), segment="pu", period="2018-10")
    assert err.key == "too_many_rows" and err.params == {"limit": 10}
    assert err.message("en") == ("This file has more than 10 data rows; the limit is 10 rows "
                                 "per file. Split it into several files (e.g. by province or "
                                 "by year).")


def test_the_row_cap_stops_reading_a_huge_csv_early() -> None:
    tracemalloc.start()
    err = refusal(many_rows_csv(300_000), "sejuta.csv", limits(rows=1_000), segment="pu")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert err.key == "too_many_rows"
    assert peak < 60 * MB  # the decoded text, not 300,000 rows of cells


def test_blank_lines_and_title_rows_do_not_count_as_data_rows() -> None:
    text = "Laporan Non ASN\n\n\nKabupaten;Periode;Peserta\n" + "\n" * 50 + (
        "Konsel;Okt 2018;202\n" * 3)
    result = parse_file(text.encode(), "f.csv", segment="pu", limits=limits(rows=3))
    assert result.rows == 3 and result.header_row == 4


# --- the sheet picker ---------------------------------------------------------------------------


def test_sheet_names_come_from_the_workbook_part_only() -> None:
    book = Workbook()
    book.active.title = "Maluku"
    book.create_sheet("Sultra")
    buffer = io.BytesIO()
    book.save(buffer)
    assert xlsx_sheet_names(buffer.getvalue(), "dua.xlsx") == ["Maluku", "Sultra"]
    assert xlsx_sheet_names(row_jump_xlsx(1_000), "satu.xlsx") == ["Data"]


@pytest.mark.parametrize(("make", "key"), [
    (lambda: zip_bomb_xlsx(4 * MB), "xlsx_compression"),
    (lambda: entity_xlsx("workbook"), "xlsx_doctype"),
    (lambda: b"PK\x03\x04 bukan workbook", "file_unreadable"),
])
def test_sheet_names_refuse_what_the_importer_refuses(make, key: str) -> None:
    with pytest.raises(IngestError) as err:
        xlsx_sheet_names(make(), "x.xlsx", limits(xlsx_ratio=100))
    assert err.value.key == key
