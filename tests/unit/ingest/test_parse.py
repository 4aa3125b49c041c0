"""parse_file: formats, layouts, header synonyms, and every row error with its row and column."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest
from openpyxl import Workbook

from cakupan.ingest import MAX_BYTES, IngestError, parse_file

pytestmark = pytest.mark.unit


def parse(text: str, name: str = "f.csv", encoding: str = "utf-8", **kw):
    return parse_file(text.encode(encoding), name, **kw)


def xlsx(sheets: dict[str, list[list[object]]], formats: dict[str, str] | None = None) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        for ref, fmt in (formats or {}).items():
            sheet[ref].number_format = fmt
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def figures(result) -> dict[tuple[str, str, str], tuple]:
    """(code, period, segment) -> (registered, eligible, coverage) with None for missing."""
    return {(r.region_code, r.period, r.segment): tuple(
        None if pd.isna(v) else v for v in (r.registered, r.eligible, r.coverage_pct))
        for r in result.observations.itertuples()}


def errors(result) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.key) for e in result.errors]


# --- formats -----------------------------------------------------------------------------

LONG = ("Kabupaten{d}Periode{d}Segmen{d}Peserta{d}Potensi\n"
        "Konawe Selatan{d}Okt 2018{d}Non ASN{d}202{d}350\n"
        "Kota Kendari{d}2018-10{d}non_asn{d}{big}{d}\n")


@pytest.mark.parametrize(("delim", "big"), [(",", '"1.135"'), (";", "1.135"), ("\t", "1.135")])
def test_delimiters(delim: str, big: str) -> None:
    result = parse(LONG.format(d=delim, big=big))
    assert result.errors == []
    assert figures(result) == {
        ("74.05", "2018-10", "non_asn"): (202, 350, None),
        ("74.71", "2018-10", "non_asn"): (1135, None, None),
    }
    assert result.rows == 2


def test_utf8_bom_does_not_hide_the_first_header() -> None:
    text = "\ufeffKode;Peserta\n74.05;202\n"
    result = parse(text, segment="non_asn", period="2018-10")
    assert result.errors == []
    assert list(result.observations["region_code"]) == ["74.05"]


def test_cp1252_file_is_decoded_not_mangled() -> None:
    note = "Belum terdaftar – lihat berita ‘Zonasultra’"
    text = f"Kabupaten;Peserta;Keterangan\nKota Baubau;0;{note}\n"
    result = parse(text, encoding="cp1252", segment="non_asn", period="2018-10")
    assert result.errors == []
    assert result.observations.loc[0, "note"] == note
    assert result.observations.loc[0, "region_code"] == "74.72"


def test_utf16_unicode_text_export() -> None:
    text = "Kabupaten\tPeserta\nKonsel\t202\n"
    result = parse_file(text.encode("utf-16"), "f.txt", segment="non_asn", period="2018-10")
    assert figures(result) == {("74.05", "2018-10", "non_asn"): (202, None, None)}


def test_xlsx_first_sheet_by_default_and_named_sheet() -> None:
    data = xlsx({
        "Sultra": [["Kabupaten", "Peserta"], ["Konsel", 202]],
        "Maluku": [["Kabupaten", "Peserta"], ["Kepulauan Tanimbar", 560]],
    })
    first = parse_file(data, "f.xlsx", segment="non_asn", period="2018-10")
    named = parse_file(data, "f.xlsx", segment="non_asn", period="2018-10", sheet="Maluku")
    assert (first.sheet, list(first.observations["region_code"])) == ("Sultra", ["74.05"])
    assert (named.sheet, list(named.observations["region_code"])) == ("Maluku", ["81.03"])


def test_unknown_sheet_lists_the_sheets() -> None:
    data = xlsx({"Data": [["Kabupaten", "Peserta"]], "Petunjuk": [["x"]]})
    with pytest.raises(IngestError) as err:
        parse_file(data, "f.xlsx", sheet="Sheet1")
    assert err.value.key == "sheet_unknown"
    assert "Data, Petunjuk" in str(err.value)


def test_xlsx_percent_cells_dates_and_title_rows() -> None:
    data = xlsx({"Data": [
        ["Rekap BPJS Ketenagakerjaan"],
        [],
        ["Wilayah", "Periode", "Segmen", "Cakupan"],
        ["Maluku", dt.datetime(2024, 12, 1), "Semua", 0.4],
    ]}, formats={"D4": "0%"})
    result = parse_file(data, "f.xlsx")
    assert result.header_row == 3
    assert figures(result) == {("81", "2024-12", "all"): (None, None, pytest.approx(40.0))}


def test_title_rows_count_in_row_numbers() -> None:
    text = ("Laporan kepesertaan;;\nPer Oktober 2018;;\n"
            "Kabupaten;Peserta;Potensi\nKonsel;202;350\nKolaka;-5;\n")
    result = parse(text, segment="non_asn", period="2018-10")
    assert result.header_row == 3
    assert errors(result) == [(5, "Peserta", "number_negative")]


# --- wide layouts ------------------------------------------------------------------------


def test_wide_by_month_in_every_header_form() -> None:
    text = ("Kabupaten;Jan 2024;Februari 2024;2024-03;04/2024;Total\n"
            "Konsel;10;20;;40;70\n")
    result = parse(text, segment="pu")
    assert result.layout == "wide_period"
    assert result.ignored_columns == ["Total"]  # a sum of the months, not a segment
    assert figures(result) == {
        ("74.05", "2024-01", "pu"): (10, None, None),
        ("74.05", "2024-02", "pu"): (20, None, None),
        ("74.05", "2024-04", "pu"): (40, None, None),
    }


def test_wide_by_month_with_excel_date_headers_and_a_shared_eligible_column() -> None:
    data = xlsx({"Data": [
        ["Kode", "Potensi", dt.datetime(2023, 1, 1), dt.datetime(2023, 2, 1)],
        ["81.71", 4000, 1200, 1300],
    ]})
    result = parse_file(data, "f.xlsx", segment="non_asn")
    assert figures(result) == {
        ("81.71", "2023-01", "non_asn"): (1200, 4000, None),
        ("81.71", "2023-02", "non_asn"): (1300, 4000, None),
    }


def test_wide_by_segment_with_measure_words_and_total() -> None:
    text = ("Kabupaten;Peserta Non ASN;Potensi Non ASN;Aparatur Desa;Pekerja Rentan;Jakon;Total\n"
            "Kepulauan Tanimbar;100;400;560;1.300;-;1.960\n")
    result = parse(text, period="2024-06", province="81")
    assert result.layout == "wide_segment"
    assert figures(result) == {
        ("81.03", "2024-06", "non_asn"): (100, 400, None),
        ("81.03", "2024-06", "aparatur_desa"): (560, None, None),
        ("81.03", "2024-06", "pekerja_rentan"): (1300, None, None),
        ("81.03", "2024-06", "all"): (1960, None, None),
    }


def test_wide_percent_cells_are_coverage() -> None:
    result = parse("Wilayah;Des 2024\nMaluku;40%\n", segment="all")
    assert figures(result) == {("81", "2024-12", "all"): (None, None, 40.0)}


# --- headers and labels ------------------------------------------------------------------


@pytest.mark.parametrize("region", ["kab_kota", "Kabupaten/Kota", "KAB.", "Nama Wilayah", "daerah",
                                    "Region"])
@pytest.mark.parametrize("registered", ["Jumlah Peserta", "peserta_terdaftar", "TK Terdaftar",
                                        "Registered"])
@pytest.mark.parametrize("eligible", ["Potensi", "Sasaran", "Jumlah Pekerja", "eligible"])
def test_header_synonyms(region: str, registered: str, eligible: str) -> None:
    text = f"{region};{registered};{eligible}\nKonsel;202;350\n"
    result = parse(text, segment="non_asn", period="2018-10")
    assert figures(result) == {("74.05", "2018-10", "non_asn"): (202, 350, None)}


def test_target_column_is_not_read_as_eligible() -> None:
    text = "Kabupaten;Peserta;Target Peserta\nKonsel;202;5000\n"
    result = parse(text, segment="non_asn", period="2018-10")
    assert figures(result) == {("74.05", "2018-10", "non_asn"): (202, None, None)}
    assert result.ignored_columns == ["Target Peserta"]


def test_period_from_month_and_year_columns_and_label_vocabulary() -> None:
    text = ("Kabupaten;Bulan;Tahun;Sektor;Program;Peserta\n"
            "Konsel;Oktober;2018;Aparat Desa;JKK;10\n"
            "Konsel;Okt;2018;Pekerja Rentan;Jaminan Kematian;11\n"
            "Konsel;October;2018;Bukan Penerima Upah;;12\n")
    result = parse(text)
    assert result.errors == []
    got = {(r.segment, r.programme, r.period, r.registered)
           for r in result.observations.itertuples()}
    assert got == {("aparatur_desa", "jkk", "2018-10", 10),
                   ("pekerja_rentan", "jkm", "2018-10", 11), ("bpu", "any", "2018-10", 12)}


def test_pemprov_is_the_province_code_with_pemprov_scope() -> None:
    text = "Kabupaten;Peserta\nPemprov Sultra;977\nKota Kendari;1.135\n"
    result = parse(text, segment="non_asn", period="2018-10")
    assert {(r.region_code, r.scope) for r in result.observations.itertuples()} == {
        ("74", "pemprov"), ("74.71", "region")}


def test_total_rows_are_skipped_and_not_counted() -> None:
    text = "Kabupaten;Peserta\nKonsel;202\nKolaka;295\nJumlah;497\n"
    result = parse(text, segment="non_asn", period="2018-10")
    assert result.rows == 2
    assert sorted(result.observations["region_code"]) == ["74.01", "74.05"]


def test_code_wins_and_province_column_scopes_names() -> None:
    text = "Provinsi;Kabupaten;Kode;Peserta\nSultra;Buton;74.04;5\nMaluku;Buru;;7\n"
    result = parse(text, segment="non_asn", period="2018-10")
    assert result.errors == []
    assert sorted(result.observations["region_code"]) == ["74.04", "81.04"]


def test_bare_year_completed_by_the_period_option_of_the_same_year() -> None:
    text = "Kabupaten;Tahun;Peserta\nKonsel;2024;12\n"
    assert errors(parse(text, segment="non_asn")) == [(2, "Tahun", "period_year_only")]
    result = parse(text, segment="non_asn", period="2024-12")
    assert list(result.observations["period"]) == ["2024-12"]
    assert errors(parse(text, segment="non_asn", period="2023-12")) == [
        (2, "Tahun", "period_year_only")]


# --- row errors --------------------------------------------------------------------------

BAD = ("Kode;Kabupaten;Periode;Segmen;Program;Peserta;Potensi;Cakupan\n"
       "74.05;Konsel;Okt 2018;Non ASN;;202;350;\n"          # 2 fine
       "74.05;Konsel;Okt 2018;Non ASN;;203;350;\n"          # 3 duplicate of row 2
       ";Xyzzy Raya;Okt 2018;Non ASN;;1;;\n"                # 4 unmatched
       "74.99;;Okt 2018;Non ASN;;1;;\n"                     # 5 unknown code
       "74.05;Kolaka;Okt 2018;Non ASN;;1;;\n"               # 6 code contradicts name
       "74.01;Kolaka;Bulan 13;Non ASN;;1;;\n"               # 7 bad period
       "74.01;Kolaka;Okt 2018;Pensiunan;;1;;\n"             # 8 bad segment
       "74.01;Kolaka;Okt 2018;Non ASN;JKX;1;;\n"            # 9 bad programme
       "74.02;Konawe;Okt 2018;Non ASN;;3.301;1.000;\n"      # 10 registered > eligible
       "74.06;Bombana;Okt 2018;Non ASN;;;;140%\n"           # 11 coverage > 100
       "74.07;Wakatobi;Okt 2018;Non ASN;;-1;;\n"            # 12 negative
       "74.11;Koltim;Okt 2018;Non ASN;;2,5;;\n"             # 13 not whole
       "74.71;Kendari;Okt 2018;Non ASN;;;;\n"               # 14 no figure
       ";;Okt 2018;Non ASN;;5;;\n"                          # 15 no region
       "74.72;Baubau;Okt 2018;Non ASN;;banyak;;\n")         # 16 not a number


def test_every_error_class_with_its_row_and_column() -> None:
    result = parse(BAD)
    assert errors(result) == [
        (3, "Kabupaten", "duplicate"),
        (4, "Kabupaten", "region_unmatched"),
        (5, "Kode", "code_invalid"),
        (6, "Kode", "code_name_mismatch"),
        (7, "Periode", "period_invalid"),
        (8, "Segmen", "segment_invalid"),
        (9, "Program", "programme_invalid"),
        (10, "Peserta", "registered_gt_eligible"),
        (11, "Cakupan", "coverage_over_100"),
        (12, "Peserta", "number_negative"),
        (13, "Peserta", "number_not_whole"),
        (14, "Peserta", "no_figures"),
        (15, "Kabupaten", "region_missing"),
        (16, "Peserta", "number_invalid"),
    ]
    assert result.unmatched == ["Xyzzy Raya"]
    assert result.rows == 15
    # Only the clean row survives as an observation (the app previews it; nothing is written).
    assert list(result.observations["region_code"]) == ["74.05"]


def test_messages_in_indonesian_by_default_and_in_english_on_request() -> None:
    text = "Kabupaten;Peserta;Potensi\nKonawe;3.301;1.000\n"
    id_error = parse(text, segment="non_asn", period="2018-10").errors[0]
    en_error = parse(text, segment="non_asn", period="2018-10", lang="en").errors[0]
    assert id_error.message == ("Peserta (3.301) lebih banyak dari potensi (1.000). "
                                "Periksa apakah kolomnya tertukar.")
    assert en_error.message == ("Registered (3,301) is more than eligible (1,000). "
                                "Check whether the columns are swapped.")
    assert id_error.in_lang("en").message == en_error.message
    assert id_error.to_dict() == {"row": 2, "column": "Peserta", "message": id_error.message}


def test_duplicate_message_names_the_first_row() -> None:
    text = "Kabupaten;Peserta\nKonsel;1\nKolaka;2\nKonawe Selatan;3\n"
    (err,) = parse(text, segment="non_asn", period="2018-10").errors
    assert (err.row, err.params["first"]) == (4, 2)


def test_ambiguous_number_in_a_mixed_column() -> None:
    text = "Kabupaten;Peserta\nKonsel;1.356.000\nKolaka;2,500,000\nKonawe;1,356\n"
    result = parse(text, segment="non_asn", period="2018-10")
    assert errors(result) == [(4, "Peserta", "number_ambiguous")]


def test_region_outside_the_chosen_province() -> None:
    text = "Kode;Peserta\n74.05;1\n81.03;2\n"
    result = parse(text, segment="non_asn", period="2018-10", province="81")
    assert errors(result) == [(2, "Kode", "region_outside_province")]


def test_name_outside_province_scope_is_unmatched() -> None:
    result = parse("Kabupaten;Peserta\nKonsel;1\n", segment="non_asn", period="2018-10",
                   province="81")
    assert errors(result) == [(2, "Kabupaten", "region_unmatched")]
    assert result.unmatched == ["Konsel"]


# --- whole-file problems -----------------------------------------------------------------


@pytest.mark.parametrize(("text", "kw", "key"), [
    ("Kabupaten;Peserta\nKonsel;1\n", {"period": "2018-10"}, "segment_needed"),
    ("Kabupaten;Peserta\nKonsel;1\n", {"segment": "non_asn"}, "period_needed"),
    ("Nama;Alamat\nBudi;Kendari\n", {}, "no_header"),
    ("Kabupaten;Alamat;Keterangan\nKonsel;x;y\n", {}, "no_figure_column"),
    ("Peserta;Potensi\n1;2\n", {}, "no_region_column"),
    ("Kabupaten;Peserta;Terdaftar\nKonsel;1;1\n", {}, "duplicate_column"),
    ("Kabupaten;Peserta\nKonsel;1\n", {"segment": "pns"}, "option_segment"),
    ("Kabupaten;Peserta\nKonsel;1\n", {"segment": "pu", "period": "2018"}, "option_period"),
    ("Kabupaten;Peserta\nKonsel;1\n", {"province": "74.05"}, "option_province"),
])
def test_file_level_errors(text: str, kw: dict, key: str) -> None:
    with pytest.raises(IngestError) as err:
        parse(text, **kw)
    assert err.value.key == key
    assert err.value.message("en") != str(err.value)  # both languages exist


def test_too_large_empty_and_wrong_type() -> None:
    with pytest.raises(IngestError) as err:
        parse_file(b"x" * (MAX_BYTES + 1), "big.csv")
    assert err.value.key == "file_too_large"
    with pytest.raises(IngestError) as err:
        parse_file(b"  \n", "empty.csv")
    assert err.value.key == "file_empty"
    with pytest.raises(IngestError) as err:
        parse_file(b"\xd0\xcf\x11\xe0 old excel", "old.xls")
    assert err.value.key == "file_type"
    with pytest.raises(IngestError) as err:
        parse_file(b"PK\x03\x04 not really a workbook", "broken.xlsx")
    assert err.value.key == "file_unreadable"


def test_xlsx_table_not_at_a1_keeps_sheet_row_numbers() -> None:
    book = Workbook()
    sheet = book.active
    sheet["B3"], sheet["C3"] = "Kabupaten", "Peserta"
    sheet["B4"], sheet["C4"] = "Konsel", 202
    sheet["B5"], sheet["C5"] = "Kolaka", -1
    buffer = io.BytesIO()
    book.save(buffer)
    result = parse_file(buffer.getvalue(), "f.xlsx", segment="pu", period="2020-01")
    assert result.header_row == 3
    assert errors(result) == [(5, "Peserta", "number_negative")]
