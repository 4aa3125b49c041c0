"""Real-format tables as branch and ministry staff keep them (issue 12, items 1 and 3):
headers as people write them, two-row headers, title and note rows, total rows, province
tables with the 34 provinces before the 2022 Papua split, and the cross-checks that refuse a
row (naming its row and column) or warn about one (kept as reported)."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from openpyxl import Workbook

from cakupan.ingest import IngestError, parse_file
from cakupan.ingest.headers import classify, classify_row, combine_header_rows
from cakupan.ingest.periods import period_in_text

pytestmark = pytest.mark.unit

#: Kemnaker Satu Data, active participants by province, 2023 (34 provinces: Papua and Papua
#: Barat are the extents before the 2022 splits). Transcribed in
#: ../shared/research/published_provinces.csv (metrics active_participants_PU/BPU/jakon/total):
#: (code as that file gives it, name, PU, BPU, Jasa Konstruksi, total).
KEMNAKER_2023 = (
    ("11", "Aceh", 299722, 86668, 197248, 583638),
    ("12", "Sumatera Utara", 993741, 509632, 553873, 2057246),
    ("13", "Sumatera Barat", 268627, 224154, 217693, 710474),
    ("14", "Riau", 629625, 249836, 228813, 1108274),
    ("15", "Jambi", 258625, 211170, 188243, 658038),
    ("16", "Sumatera Selatan", 505436, 162975, 246731, 915142),
    ("17", "Bengkulu", 106610, 80582, 25074, 212266),
    ("18", "Lampung", 354603, 99250, 125036, 578889),
    ("19", "Kep. Bangka Belitung", 107638, 92905, 16142, 216685),
    ("21", "Kepulauan Riau", 395671, 121013, 97921, 614605),
    ("31", "DKI Jakarta", 5464264, 1262299, 771969, 7498532),
    ("32", "Jawa Barat", 3294363, 930495, 630263, 4855121),
    ("33", "Jawa Tengah", 2627836, 616307, 703279, 3947422),
    ("34", "DI Yogyakarta", 365866, 116047, 76768, 558681),
    ("35", "Jawa Timur", 2833752, 968515, 780979, 4583246),
    ("36", "Banten", 1557500, 716862, 357239, 2631601),
    ("51", "Bali", 563988, 310591, 152655, 1027234),
    ("52", "Nusa Tenggara Barat", 235813, 189208, 145370, 570391),
    ("53", "Nusa Tenggara Timur", 161634, 139401, 63835, 364870),
    ("61", "Kalimantan Barat", 415990, 152031, 161249, 729270),
    ("62", "Kalimantan Tengah", 384256, 114074, 187693, 686023),
    ("63", "Kalimantan Selatan", 353413, 172888, 108561, 634862),
    ("64", "Kalimantan Timur", 689877, 315162, 318194, 1323233),
    ("65", "Kalimantan Utara", 107738, 87033, 51177, 245948),
    ("71", "Sulawesi Utara", 304574, 231805, 42231, 578610),
    ("72", "Sulawesi Tengah", 308233, 148069, 109569, 565871),
    ("73", "Sulawesi Selatan", 565362, 223215, 214505, 1003082),
    ("74", "Sulawesi Tenggara", 154663, 111172, 57235, 323070),
    ("75", "Gorontalo", 97009, 102706, 58358, 258073),
    ("76", "Sulawesi Barat", 76732, 42104, 57547, 176383),
    ("81", "Maluku", 92695, 73132, 39470, 205297),
    ("82", "Maluku Utara", 153176, 47828, 41785, 242789),
    ("92", "Papua Barat", 109208, 181876, 107855, 398939),
    ("91", "Papua", 166143, 101750, 229240, 497133),
)
SEGMENT_COLUMNS = (("pu", 2), ("bpu", 3), ("jakon", 4), ("all", 5))


def idn(n: int) -> str:
    """A count as an Indonesian spreadsheet writes it: 1.356.000."""
    return f"{n:,}".replace(",", ".")


def keys(result) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.key) for e in result.errors]


def warned(result) -> list[tuple[int, str, str]]:
    return [(w.row, w.column, w.key) for w in result.warnings]


def figure(result, code: str, segment: str, measure: str = "registered"):
    obs = result.observations
    hit = obs[(obs["region_code"] == code) & (obs["segment"] == segment)]
    assert len(hit) == 1, (code, segment, len(hit))
    value = hit.iloc[0][measure]
    return None if pd.isna(value) else value


def kemnaker_csv() -> bytes:
    """The Kemnaker 2023 table as it is published: a title, the month in a title row, a group
    header over PU | BPU | Jasa Konstruksi, 34 numbered rows, a total row and a source note;
    semicolons, UTF-8 with a BOM, Indonesian thousands."""
    lines = ["Jumlah Peserta Aktif BPJS Ketenagakerjaan Menurut Provinsi;;;;;",
             "Posisi: Desember 2023;;;;;",
             ";;Peserta Aktif (orang);;;",
             "No;Provinsi;PU;BPU;Jasa Konstruksi;Jumlah"]
    totals = [0, 0, 0, 0]
    for i, (_, name, *values) in enumerate(KEMNAKER_2023, start=1):
        totals = [a + b for a, b in zip(totals, values, strict=True)]
        lines.append(";".join([str(i), name, *map(idn, values)]))
    lines.append(";".join(["", "Jumlah", *map(idn, totals)]))
    lines.append("Sumber: Kemnaker Satu Data (kumpulan-data/1726);;;;;")
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def kemnaker_xlsx() -> bytes:
    """The same table as an XLSX: title row, a two-row header whose group header is a merged
    cell above the segments (No and Provinsi merged down), numbers as numbers, a total row
    labelled in the No column."""
    book = Workbook()
    sheet = book.active
    sheet.append(["Peserta Aktif BPJS Ketenagakerjaan per Provinsi Tahun 2023"])
    sheet.append(["Per 31 Desember 2023"])
    sheet.append(["No", "Provinsi", "Jumlah Peserta Aktif", None, None, "Jumlah"])
    sheet.append([None, None, "PU", "BPU", "Jasa Konstruksi", None])
    sheet.merge_cells("C3:E3")
    sheet.merge_cells("A3:A4")
    sheet.merge_cells("B3:B4")
    sheet.merge_cells("F3:F4")
    totals = [0, 0, 0, 0]
    for i, (_, name, *values) in enumerate(KEMNAKER_2023, start=1):
        totals = [a + b for a, b in zip(totals, values, strict=True)]
        sheet.append([i, name, *values])
    sheet.append(["JUMLAH", None, *totals])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- headers as people write them ------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("Jumlah Peserta Aktif", ("registered", None, None, 1)),
    ("Jumlah Non ASN Terdaftar", (None, "non_asn", "registered", 1)),
    ("TK Terlindungi", ("registered", None, None, 1)),
    ("Peserta (orang)", ("registered", None, None, 1)),
    ("Capaian %", ("coverage", None, None, 1)),
    ("Potensi Pekerja", ("eligible", None, None, 1)),
    ("Peserta (ribu)", ("registered", None, None, 1000)),
    ("Potensi TK (Juta)", ("eligible", None, None, 1_000_000)),
    ("PU (%)", (None, "pu", "coverage", 1)),
    ("Peserta Aktif / Jasa Konstruksi", (None, "jakon", "registered", 1)),
    ("Kepesertaan Pekerja Rentan", (None, "pekerja_rentan", "registered", 1)),
    ("Kode Provinsi", ("code", None, None, 1)),
])
def test_header_forms(text: str, expected: tuple) -> None:
    h = classify(0, text)
    assert (h.field, h.segment, h.measure, h.scale) == expected


@pytest.mark.parametrize("text", ["No", "Peserta / Potensi", "Jumlah TK", "Keterangan Lain",
                                  "Target Peserta Aktif", "PU BPU"])
def test_headers_that_say_nothing_certain_are_not_read(text: str) -> None:
    h = classify(0, text)
    assert (h.field, h.wide) in ((None, False), ("note", False))


def test_a_total_column_beside_segments_is_the_all_segment_not_a_second_count() -> None:
    heads = classify_row(["Kabupaten", "Peserta PU", "Peserta BPU", "Jumlah Peserta"])
    assert [(h.segment, h.measure) for h in heads[1:]] == [
        ("pu", "registered"), ("bpu", "registered"), ("all", "registered")]
    alone = classify_row(["Kabupaten", "Jumlah Peserta"])  # no segments: just the count
    assert alone[1].field == "registered"


def test_group_header_is_carried_over_the_columns_below_it() -> None:
    upper = [None, None, "Peserta Aktif", None, None, "Jumlah"]
    lower = ["No", "Provinsi", "PU", "BPU", "Jasa Konstruksi"]
    assert combine_header_rows(upper, lower) == [
        "No", "Provinsi", "Peserta Aktif / PU", "Peserta Aktif / BPU",
        "Peserta Aktif / Jasa Konstruksi", "Jumlah"]


@pytest.mark.parametrize(("text", "period"), [
    ("Posisi: September 2022", "2022-09"), ("Per 31 Desember 2024", "2024-12"),
    ("Keadaan s.d. 30/06/2024", "2024-06"), ("Data 2023-11", "2023-11"),
    ("Januari - Desember 2024", None), ("Tahun 2023", None), ("Sumber: BPJS", None),
])
def test_period_in_a_title(text: str, period: str | None) -> None:
    assert period_in_text(text) == period


# --- the Kemnaker 2023 province table ------------------------------------------------------


@pytest.mark.parametrize(("make", "name"), [(kemnaker_csv, "kemnaker.csv"),
                                            (kemnaker_xlsx, "kemnaker.xlsx")])
def test_kemnaker_province_table_reads_whole(make, name: str) -> None:
    result = parse_file(make(), name)
    assert keys(result) == []
    assert result.rows == 34  # the total row is not a region, nor counted
    assert result.layout == "wide_segment"
    assert result.ignored_columns == ["No"]
    obs = result.observations
    assert len(obs) == 34 * 4
    assert set(obs["period"]) == {"2023-12"}  # from the title row
    # Old Papua and old Papua Barat under keys of their own; nothing under 91..96.
    assert not obs["region_code"].isin(["91", "92", "93", "94", "95", "96"]).any()
    for code, _, *values in KEMNAKER_2023:
        stored = f"{code}~pra2022" if code in ("91", "92") else code
        for segment, position in SEGMENT_COLUMNS:
            assert figure(result, stored, segment) == values[position - 2], (code, segment)
    # Never counted twice: the all-segment sum is the table's own total row.
    assert obs.loc[obs["segment"] == "all", "registered"].sum() == sum(
        row[5] for row in KEMNAKER_2023)
    # Data start on sheet row 5 in both files: Papua Barat is row 37, Papua row 38.
    notes = warned(result)
    assert [k for k in notes if k[2] == "old_extent_table"] == [
        (37, "Provinsi", "old_extent_table"), (38, "Provinsi", "old_extent_table")]
    assert (2, "", "period_from_title") in notes


def test_kemnaker_warnings_name_their_rows_and_say_what_was_done() -> None:
    result = parse_file(kemnaker_csv(), "kemnaker.csv", lang="en")
    by_key = {}
    for w in result.warnings:
        by_key.setdefault(w.key, []).append(w)
    (title,) = by_key["period_from_title"]
    assert title.row == 2 and "2023-12" in title.message and "Posisi: Desember" in title.message
    papua = {w.row: w.message for w in by_key["old_extent_table"]}
    # Rows 37 and 38 are Papua Barat and Papua (header on row 4, 34 rows in the order above).
    assert sorted(papua) == [37, 38]
    assert "92~pra2022" in papua[37] and "92, 96" in papua[37]
    assert "91~pra2022" in papua[38] and "91, 93, 94, 95" in papua[38]
    (note,) = by_key["row_note_skipped"]
    assert note.row == 40 and "Sumber" in note.message


def test_a_34_province_list_is_told_apart_from_a_small_current_one() -> None:
    # A branch's own 2023 table of two provinces: today's Papua, not the old extent.
    text = "Provinsi;Peserta\nPapua;1.000\nMaluku;300\n"
    result = parse_file(text.encode(), "f.csv", segment="pu", period="2023-09")
    assert sorted(result.observations["region_code"]) == ["81", "91"]
    assert warned(result) == []


@pytest.mark.parametrize(("period", "papua", "papua_barat"), [
    ("2022-06", "91~pra2022", "92~pra2022"),  # before both splits
    ("2022-09", "91", "92~pra2022"),  # Papua split in 2022-07, Papua Barat Daya in 2022-12
    ("2022-12", "91", "92"),
])
def test_papua_before_the_split_is_the_old_extent(period: str, papua: str,
                                                  papua_barat: str) -> None:
    text = "Provinsi;Peserta\nPapua;1.000\nPapua Barat;600\nMaluku;300\n"
    result = parse_file(text.encode(), "f.csv", segment="pu", period=period)
    got = dict(zip(result.observations["registered"], result.observations["region_code"],
                   strict=True))
    assert (got[1000], got[600], got[300]) == (papua, papua_barat, "81")
    mapped = [w for w in result.warnings if w.key == "old_extent_period"]
    assert len(mapped) == (papua != "91") + (papua_barat != "92")


def test_province_names_that_are_also_cities_resolve_in_a_province_column() -> None:
    text = "Provinsi;Peserta\nJambi;1\nBengkulu;2\nGorontalo;3\nKota Ambon;4\n"
    result = parse_file(text.encode(), "f.csv", segment="pu", period="2024-06")
    assert sorted(result.observations["region_code"]) == ["15", "17", "75"]
    assert keys(result) == [(5, "Provinsi", "province_invalid")]


# --- regency tables ---------------------------------------------------------------------


def test_latin1_regency_table_with_a_phrase_header_title_period_and_percent() -> None:
    text = ("Rekap Kepesertaan Non ASN \u2013 Provinsi Maluku;;;\n"
            "Posisi: September 2022;;;\n"
            "Kabupaten/Kota;Jumlah Non ASN Terdaftar;Potensi Pekerja;Capaian (%)\n"
            "Kota Ambon;1.356;3.348;40,5%\n"
            "Kabupaten Buru;420;1.050;40\n"
            "Jumlah;1.776;4.398;40,4%\n"
            "*) angka sementara;;;\n")
    result = parse_file(text.encode("cp1252"), "maluku.csv")
    assert keys(result) == []
    assert result.rows == 2
    assert figure(result, "81.71", "non_asn") == 1356
    assert figure(result, "81.71", "non_asn", "eligible") == 3348
    assert figure(result, "81.71", "non_asn", "coverage_pct") == pytest.approx(40.5)
    assert set(result.observations["period"]) == {"2022-09"}
    # Rows: titles 1-2, header 3, data 4-5, the total 6 (left out), the note 7.
    assert warned(result) == [(2, "", "period_from_title"), (7, "", "row_note_skipped")]


def test_thousands_in_the_header_multiply_and_say_so() -> None:
    text = "Kabupaten;Peserta (ribu);Potensi (ribu)\nKota Ambon;12,3;40\nBuru;4;9,75\n"
    result = parse_file(text.encode(), "f.csv", segment="pu", period="2024-06")
    assert keys(result) == []
    assert figure(result, "81.71", "pu") == 12_300
    assert figure(result, "81.04", "pu", "eligible") == 9_750
    assert warned(result) == [(1, "Peserta (ribu)", "unit_scaled"),
                              (1, "Potensi (ribu)", "unit_scaled")]
    assert "1.000" in result.warnings[0].message


def test_a_period_option_wins_over_the_title_and_the_difference_is_said() -> None:
    text = "Posisi: September 2022;;\nKabupaten;Peserta\nKota Ambon;10\n"
    result = parse_file(text.encode(), "f.csv", segment="pu", period="2022-10")
    assert set(result.observations["period"]) == {"2022-10"}
    assert warned(result) == [(1, "", "period_title_differs")]


def test_sub_header_row_below_the_header() -> None:
    text = ("Kabupaten;Peserta;;\n"
            ";Non ASN;Aparatur Desa;Pekerja Rentan\n"
            "Kota Ambon;10;20;30\n")
    result = parse_file(text.encode(), "f.csv", period="2024-06")
    assert keys(result) == []
    assert result.rows == 1
    assert {(r.segment, r.registered) for r in result.observations.itertuples()} == {
        ("non_asn", 10), ("aparatur_desa", 20), ("pekerja_rentan", 30)}


# --- cross-checks ----------------------------------------------------------------------------


def test_code_and_name_of_different_provinces_disagree() -> None:
    # Issue 12: 81.71 is Kota Ambon; "Kabupaten Bombana" is 74.06 (Sulawesi Tenggara). The name
    # is not in Maluku, so it is looked up nationally, and the row is refused.
    text = "Kode;Kabupaten/Kota;Peserta\n81.71;Kabupaten Bombana;12\n81.04;Buru;5\n"
    result = parse_file(text.encode(), "f.csv", segment="non_asn", period="2024-06",
                        lang="en")
    assert keys(result) == [(2, "Kode", "code_name_mismatch")]
    assert "74.06" in result.errors[0].message and "Kota Ambon" in result.errors[0].message


def test_a_name_nobody_knows_beside_a_valid_code_is_still_accepted() -> None:
    text = "Kode;Kabupaten/Kota;Peserta\n81.71;Ambon Manise;12\n"
    result = parse_file(text.encode(), "f.csv", segment="non_asn", period="2024-06")
    assert keys(result) == []
    assert list(result.observations["region_code"]) == ["81.71"]


@pytest.mark.parametrize(("coverage", "refused"), [
    ("25,9%", False), ("24,1", False), ("26,1%", True), ("40,5%", True)])
def test_reported_percent_must_match_the_counts_within_one_point(coverage: str,
                                                                 refused: bool) -> None:
    text = f"Kabupaten;Peserta;Potensi;Capaian %\nKota Ambon;100;400;{coverage}\n"
    result = parse_file(text.encode(), "f.csv", segment="pu", period="2024-06")
    assert keys(result) == ([(2, "Capaian %", "coverage_disagrees")] if refused else [])


def test_registered_above_eligible_is_refused() -> None:
    text = "Kabupaten;TK Terlindungi;Potensi Pekerja\nKota Ambon;401;400\n"
    result = parse_file(text.encode(), "f.csv", segment="pu", period="2024-06")
    assert keys(result) == [(2, "TK Terlindungi", "registered_gt_eligible")]


@pytest.mark.parametrize("text", [
    "Kabupaten;Peserta\n",  # header only
    "Laporan;\nKabupaten;PU;BPU\nKota Ambon;;\nBuru;-;-\n",  # rows without one figure
    "Kabupaten;Peserta\nJumlah;0\n",  # only a total row
])
def test_no_data_rows_is_refused_not_imported_as_zero(text: str) -> None:
    with pytest.raises(IngestError) as err:
        parse_file(text.encode(), "f.csv", segment="pu", period="2024-06")
    assert err.value.key == "no_data_rows"
    assert err.value.message("en").startswith("This file has no data rows")


def test_province_total_that_is_not_the_sum_of_its_regencies_is_kept_with_a_warning() -> None:
    text = ("Kode;Wilayah;Peserta;Potensi\n"
            "81;Provinsi Maluku;1.000;2.000\n"
            "81.71;Kota Ambon;600;1.200\n"
            "81.04;Buru;300;800\n"
            "74;Sulawesi Tenggara;50;\n"
            "74.05;Konawe Selatan;50;\n")
    result = parse_file(text.encode(), "f.csv", segment="pu", period="2024-06", lang="en")
    assert keys(result) == []
    assert figure(result, "81", "pu") == 1000  # kept as reported
    assert warned(result) == [(2, "Wilayah", "province_total_differs")]
    message = result.warnings[0].message
    assert "1,000" in message and "900" in message and "2 regencies" in message
    assert "Maluku" in message


def test_warnings_survive_a_chunked_parse(tmp_path) -> None:
    from cakupan.ingest import parse_file_chunked

    path = tmp_path / "kemnaker.csv"
    path.write_bytes(kemnaker_csv())
    whole = parse_file(kemnaker_csv(), "kemnaker.csv")
    chunked = parse_file_chunked(path, chunk_rows=50)
    assert warned(chunked) == warned(whole)
    assert sorted(chunked.observations["region_code"]) == sorted(
        whole.observations["region_code"])


# --- end to end: the three cases of the issue, through the importer and the command line -----


@pytest.fixture
def empty_store(tmp_path):
    """A store of its own, migrated but not seeded: what these imports write is all there is."""
    from cakupan import store

    return store.get_engine(f"sqlite:///{tmp_path / 'import.sqlite'}", seed=False)


def stored(engine) -> pd.DataFrame:
    import sqlalchemy as sa

    from cakupan.store import schema

    with engine.connect() as conn:
        return pd.read_sql(sa.select(schema.observations), conn)


def test_issue_regency_table_with_a_phrase_header_is_imported(empty_store) -> None:
    from cakupan.core.access import operator
    from cakupan.ingest import import_file

    # Was refused with "no number column": the count column is headed with a phrase.
    text = ("Kabupaten/Kota;Jumlah Non ASN Terdaftar\n"
            "Kota Ambon;1.356\nKabupaten Buru;420\nKepulauan Tanimbar;2.010\n")
    result = import_file(text.encode("utf-8-sig"), "maluku.csv", period="2024-06",
                         actor=operator(), engine=empty_store)
    assert result.ok and result.imported == 3
    rows = stored(empty_store).set_index("region_code")
    assert rows.loc["81.71", "registered"] == 1356 and rows.loc["81.71", "segment"] == "non_asn"
    assert rows.loc["81.03", "registered"] == 2010


def test_issue_kemnaker_province_table_is_imported_with_old_papua(empty_store) -> None:
    from cakupan.core.access import operator
    from cakupan.ingest import import_file

    # Was refused with "no region column"; Papua must land on the old extent, not on 91.
    result = import_file(kemnaker_xlsx(), "kemnaker.xlsx", actor=operator(),
                         engine=empty_store)
    assert result.ok and result.imported == 34 * 4
    rows = stored(empty_store)
    papua = rows[rows["region_code"] == "91~pra2022"].set_index("segment")["registered"]
    assert papua.to_dict() == {"pu": 166143, "bpu": 101750, "jakon": 229240, "all": 497133}
    assert not rows["region_code"].isin(["91", "92", "93", "94", "95", "96"]).any()
    assert set(rows["period"]) == {"2023-12"}
    assert {w.key for w in result.warnings} >= {"old_extent_table", "period_from_title"}
    assert result.to_dict()["warnings"][0] == {
        "row": 2, "column": "", "message": result.warnings[0].message}


def test_issue_code_and_name_that_disagree_are_refused_and_nothing_written(empty_store) -> None:
    from cakupan.core.access import operator
    from cakupan.ingest import import_file

    # Was accepted and filed under Ambon.
    text = "Kode;Nama Wilayah;Peserta\n81.71;Kabupaten Bombana;12\n"
    result = import_file(text.encode(), "f.csv", segment="non_asn", period="2024-06",
                         actor=operator(), engine=empty_store)
    assert not result.ok and result.imported == 0
    assert [(e.row, e.column, e.key) for e in result.errors] == [
        (2, "Kode", "code_name_mismatch")]
    assert stored(empty_store).empty


def test_cli_json_has_warnings_with_row_and_column(tmp_path) -> None:
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    path = tmp_path / "maluku.csv"
    path.write_bytes(("Posisi: September 2022;;\n"
                      "Kode;Wilayah;Peserta (ribu)\n"
                      "81;Maluku;12,5\n"
                      "81.71;Kota Ambon;10\n").encode("cp1252"))
    env = {**os.environ, "CAKUPAN_DATABASE_URL": f"sqlite:///{tmp_path / 's.sqlite'}"}
    proc = subprocess.run([sys.executable, "-m", "cakupan", "import", str(path), "--segment",
                           "pu", "--dry-run", "--json"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout)
    assert got["errors"] == [] and got["rows"] == 2
    assert [(w["row"], w["column"]) for w in got["warnings"]] == [
        (1, ""), (2, "Peserta (ribu)"), (3, "Wilayah")]
    assert "2022-09" in got["warnings"][0]["message"]  # the month from the title row
    assert "12.500" in got["warnings"][2]["message"]  # Maluku's 12,5 ribu vs Ambon's 10 ribu


def test_a_note_written_in_the_code_column_is_skipped_not_refused() -> None:
    text = ("Kode;Kabupaten/Kota;Peserta\n81.71;Kota Ambon;12\n"
            "Sumber: BPJS Ketenagakerjaan Cabang Ambon;;\n"
            ";Ambon Selatan;\n")  # no figure but no note mark either: still an error
    result = parse_file(text.encode(), "f.csv", segment="pu", period="2024-06")
    assert warned(result) == [(3, "", "row_note_skipped")]
    assert keys(result) == [(4, "Kabupaten/Kota", "region_unmatched")]


def test_codes_renumbered_in_2022_are_never_read_as_todays_provinces() -> None:
    # Before 2022, 94 was Papua and 91 Papua Barat (research README: "codes were renumbered").
    # A 2021 figure under 94 is not Papua Tengah's (created in 2022): refused. A bare 91 could
    # be Papua (Kemnaker's coding) or Papua Barat (the old numbering): refused, asking for the
    # name. A bare 92 only exists in today's numbering: Papua Barat's old extent.
    text = "Kode;Peserta\n94;1.000\n91;600\n92;7\n81;5\n"
    result = parse_file(text.encode(), "f.csv", segment="pu", period="2021-12")
    assert keys(result) == [(2, "Kode", "province_not_yet"), (3, "Kode", "old_code_ambiguous")]
    assert sorted(result.observations["region_code"]) == ["81", "92~pra2022"]
    # Named, the same codes are checked against the names.
    named = "Kode;Provinsi;Peserta\n91;Papua;600\n92;Papua Barat;7\n"
    result = parse_file(named.encode(), "f.csv", segment="pu", period="2021-12")
    assert keys(result) == []
    assert sorted(result.observations["region_code"]) == ["91~pra2022", "92~pra2022"]
    old_numbers = "Kode;Provinsi;Peserta\n91;Papua Barat;600\n94;Papua;7\n"
    result = parse_file(old_numbers.encode(), "f.csv", segment="pu", period="2021-12")
    assert [k for _, _, k in keys(result)] == ["region_outside_province"] * 2
    # After the split 94 is simply Papua Tengah.
    after = parse_file(b"Kode;Peserta\n94;1000\n", "f.csv", segment="pu", period="2023-12")
    assert keys(after) == [] and list(after.observations["region_code"]) == ["94"]


def test_a_total_row_that_does_not_add_up_is_said_and_never_imported() -> None:
    text = ("No;Kabupaten/Kota;Peserta (ribu);Potensi\n"
            "1;Kota Ambon;12,5;40.000\n"
            "2;Buru;4;9.000\n"
            "Jumlah;;16,5;50.000\n")  # 12,5 + 4 = 16,5 thousand; 40.000 + 9.000 = 49.000
    result = parse_file(text.encode(), "f.csv", segment="pu", period="2024-06", lang="en")
    assert keys(result) == [] and result.rows == 2
    assert sorted(result.observations["registered"]) == [4000, 12500]
    assert warned(result) == [(1, "Peserta (ribu)", "unit_scaled"),
                              (4, "Potensi", "table_total_differs")]
    assert "50,000" in result.warnings[1].message and "49,000" in result.warnings[1].message


def test_a_title_over_a_figure_column_is_not_a_group_header() -> None:
    text = (";;Laporan Kepesertaan Cabang Ambon\n"
            "Kode;Kabupaten/Kota;Peserta\n81.71;Kota Ambon;12\n")
    result = parse_file(text.encode(), "f.csv", segment="pu", period="2024-06")
    assert keys(result) == []
    assert list(result.observations["registered"]) == [12]


def test_a_coded_34_province_table_with_a_00_total_row() -> None:
    lines = ["Kode;Provinsi;Peserta Aktif"]
    lines += [f"{code};{name};{idn(total)}" for code, name, *_, total in KEMNAKER_2023]
    lines.append(f"00;Indonesia;{idn(sum(row[5] for row in KEMNAKER_2023))}")
    result = parse_file("\n".join(lines).encode(), "f.csv", segment="all", period="2023-12")
    assert keys(result) == [] and result.rows == 34
    got = dict(zip(result.observations["region_code"], result.observations["registered"],
                   strict=True))
    assert got["91~pra2022"] == 497133 and got["92~pra2022"] == 398939
    assert "91" not in got and "00" not in got
    assert [w.key for w in result.warnings] == ["old_extent_table"] * 2
