"""A file parsed in chunks gives exactly what the whole-file parse gives: the same figures,
the same errors (row, column, text; the first ones kept, all counted), the same duplicates
(named by their first row in whichever chunk it was), the same reading of ambiguous numbers
(decided by the whole column), with chunks as small as one row."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook

from cakupan.benchmarks.data_scale import write_panel
from cakupan.ingest import IngestError, Limits, parse_file, parse_file_chunked, stream_limited
from cakupan.ingest.keys import KeyIndex
from cakupan.ingest.read import stream_table
from cakupan.ingest.stream import StreamedParse

pytestmark = pytest.mark.unit

KEY = ["period", "region_code", "scope", "segment", "programme"]

#: Title rows, a "Jumlah" row, an unmatched name, a repeat across chunks, errors early and in
#: the very last row, and a column whose only proof of the English convention ("2,500,000")
#: comes after an ambiguous value ("1,356"): the whole column decides both.
LONG = ("Laporan Kepesertaan\nPer Oktober 2018\n"
        "Kabupaten;Periode;Segmen;Peserta;Potensi\n"
        "Konsel;Okt 2018;Non ASN;202;350\n"
        "Kolaka;Okt 2018;Non ASN;1,356;2.000\n"
        "Jumlah;;;9;9\n"
        "Xyzzy Raya;Okt 2018;Non ASN;3;4\n"
        "Konawe;Okt 2018;Non ASN;banyak;9\n"
        "Kolaka Utara;Nov 2018;Non ASN;12;10\n"
        "Konawe Selatan;Okt 2018;Non ASN;7;8\n"
        "Buton;Okt 2018;Non ASN;2,500,000;3,000,000\n"
        "Muna;Okt 2018;Non ASN;5;6\n"
        "Muna;Nov 2018;Non ASN;5;-6\n")
WIDE = ("Kabupaten;Jan 2024;Feb 2024;Mar 2024\n"
        "Konsel;1;2;3\nKolaka;4;;6\nKonsel;7;8;9\nMuna;10,5%;11;12\n")
CLEAN = ("Kode;Kabupaten;Periode;Segmen;Peserta;Potensi\n" + "".join(
    f"74.{r:02d};;{y}-{m:02d};PU;{r * 10 + m};1.000\n"
    for r in (1, 2, 3, 4) for y in (2023, 2024) for m in (1, 6, 12)))


def xlsx_bytes(rows: list[list[object]], percent_cells: tuple[str, ...] = ()) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Data"
    for row in rows:
        sheet.append(row)
    for ref in percent_cells:
        sheet[ref].number_format = "0%"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


XLSX = xlsx_bytes([["Rekap BPJS"], [], ["Kabupaten", "Periode", "Peserta", "Cakupan"],
                   ["Konsel", "2018-10", 202, 0.5], ["Kolaka", "2018-10", 3, None],
                   ["Konsel", "2018-10", 1, None], ["Muna", "2018-13", 4, None]],
                  percent_cells=("D4",))


def same(whole, chunked) -> None:
    """Every part of two parse results agrees (observations in key order: a wide file's
    chunks come out row by row instead of month by month)."""
    def ordered(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.sort_values(KEY).reset_index(drop=True)

    pd.testing.assert_frame_equal(ordered(whole.observations), ordered(chunked.observations))
    assert [(e.row, e.column, e.key, e.message) for e in chunked.errors] == [
        (e.row, e.column, e.key, e.message) for e in whole.errors]
    for part in ("error_count", "error_counts", "unmatched", "rows", "header_row", "layout",
                 "ignored_columns", "sheet"):
        assert getattr(chunked, part) == getattr(whole, part), part


@pytest.mark.parametrize("chunk_rows", [1, 2, 3, 7, 1000])
@pytest.mark.parametrize(("name", "data", "options"), [
    ("sultra.csv", LONG.encode(), {"segment": "non_asn"}),
    ("lebar.csv", WIDE.encode(), {"segment": "pu"}),
    ("bersih.csv", CLEAN.encode("cp1252"), {}),
    ("utf16.csv", CLEAN.encode("utf-16"), {}),
    ("rekap.xlsx", XLSX, {"segment": "non_asn"}),
])
def test_chunked_parse_equals_the_whole_file(tmp_path: Path, chunk_rows: int, name: str,
                                              data: bytes, options: dict) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    whole = parse_file(data, name, **options)
    same(whole, parse_file_chunked(path, chunk_rows=chunk_rows, **options))


def test_the_fixtures_hold_what_the_comparison_needs() -> None:
    """Guard against comparing two empty results: the long file really has errors early and
    in its last row, a repeat, an unmatched name and the late-proven English column."""
    result = parse_file(LONG.encode(), "sultra.csv", segment="non_asn")
    keys = {(e.row, e.key) for e in result.errors}
    # Row 5 is refused only because row 11 proves both columns English: "1,356" is 1356 and
    # "2.000" is 2 (a chunk deciding alone would read 2000 and accept the row).
    assert {(5, "registered_gt_eligible"), (10, "duplicate"), (13, "number_negative"),
            (8, "number_invalid"), (7, "region_unmatched")} <= keys
    duplicate = next(e for e in result.errors if e.key == "duplicate")
    assert duplicate.params["first"] == 4  # Konawe Selatan is Konsel, six rows up
    figures = result.observations.set_index("region_code")["registered"]
    assert figures["74.04"] == 2_500_000 and len(figures) == 3
    assert result.unmatched == ["Xyzzy Raya"]


def test_errors_kept_are_the_first_in_sheet_order_across_chunks(tmp_path: Path) -> None:
    path = tmp_path / "buruk.csv"
    path.write_text("Kabupaten;Periode;Segmen;Peserta\n" + "".join(
        f"Konsel;{y}-{m:02d};Non ASN;{'x' if m % 2 else m}\n"
        for y in range(2015, 2025) for m in range(1, 13)), encoding="utf-8")
    limits = replace(Limits.from_settings(), errors_kept=4)
    whole = parse_file(path.read_bytes(), path.name, limits=limits)
    chunked = parse_file_chunked(path, chunk_rows=5, limits=limits)
    same(whole, chunked)
    assert [e.row for e in chunked.errors] == [2, 4, 6, 8] and chunked.error_count == 60


def test_a_file_over_the_row_limit_is_refused_before_any_chunk(tmp_path: Path) -> None:
    path = tmp_path / "panjang.csv"
    path.write_text(CLEAN, encoding="utf-8")
    limits = replace(Limits.from_settings(), rows=23)
    with pytest.raises(IngestError) as err:
        StreamedParse(path, limits=limits, chunk_rows=2)  # the survey counts every row
    assert err.value.key == "too_many_rows" and err.value.params == {"limit": 23}
    parse = StreamedParse(path, limits=replace(limits, rows=24), chunk_rows=2)
    assert sum(len(chunk) for chunk in parse.chunks()) == 24


def test_the_stream_never_holds_the_file(tmp_path: Path) -> None:
    """Reading a 29,000-row panel by rows: the reader yields row by row (a generator with
    nothing read ahead but the csv module's buffer), numbered as the sheet shows them."""
    path = tmp_path / "panel.csv"
    rows = write_panel(path, codes=["74.01", "74.02", "74.03", "74.04", "74.05"])
    stream = stream_table(path, limits=Limits.for_command_line())
    try:
        first = [next(stream.rows) for _ in range(3)]
        assert [n for n, _ in first] == [1, 2, 3] and first[0][1][0] == "Kode"
        assert stream.delimiter == ";" and stream.encoding == "utf-8"
        assert sum(1 for _ in stream.rows) == rows + 1 - 3
    finally:
        stream.close()


def test_the_sandboxed_stream_equals_the_in_process_one(tmp_path: Path) -> None:
    path = tmp_path / "sultra.csv"
    path.write_bytes(LONG.encode())
    whole = parse_file(LONG.encode(), "sultra.csv", segment="non_asn")
    stream = stream_limited(path, segment="non_asn", chunk_rows=2)
    chunks, counts = [], []
    for observations, errors_so_far in stream:
        chunks.append(observations)
        counts.append(errors_so_far)
    assert stream.result is not None
    assert counts == sorted(counts) and counts[-1] == whole.error_count
    result = replace(stream.result, observations=pd.concat(chunks, ignore_index=True))
    same(whole, result)
    assert stream.max_rss_bytes and stream.max_rss_bytes < 1536 * 2**20


def test_a_sandboxed_stream_refuses_the_file_by_key(tmp_path: Path) -> None:
    path = tmp_path / "kosong.csv"
    path.write_text("Judul\nTanpa tabel\n", encoding="utf-8")
    with pytest.raises(IngestError) as err:
        list(stream_limited(path, segment="non_asn", period="2018-10"))
    assert err.value.key == "no_header"


def keys_frame(*rows: tuple[str, str, str, str, str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=KEY)


def test_key_index_names_the_first_row_within_and_across_calls() -> None:
    index = KeyIndex()
    a = ("2018-10", "74.05", "region", "non_asn", "any")
    b = ("2018-10", "74.05", "region", "non_asn", "jkk")  # differs only in the programme
    c = ("2018-11", "74.05", "region", "non_asn", "any")  # only in the month
    first = index.first_rows(keys_frame(a, b, a), np.array([2, 3, 4]))
    assert first.tolist() == [-1, -1, 2]
    second = index.first_rows(keys_frame(c, b, a, c), np.array([9, 10, 11, 12]))
    assert second.tolist() == [-1, 3, 2, 9]
    assert len(index) == 3
