"""The column mapping (issue 12, item 2): ``--map`` text, letters vs header text, the mapping
applied to a parse (whole, chunked, sandboxed), the header signature, and the refusals' hints."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cakupan.ingest import IngestError, parse_file, parse_file_chunked, parse_file_limited
from cakupan.ingest.mapping import (
    ColumnMap,
    MapError,
    column_letter,
    file_head,
    header_signature,
    letter_position,
)
from cakupan.ingest.messages import format_message
from cakupan.ingest.read import read_table
from cakupan.ingest.sandbox import head_limited

pytestmark = pytest.mark.unit

#: A ministry-style export: a title row, headers detection does not know.
EXPORT = ("Laporan Kepesertaan Non ASN Posisi Juni 2024;;;\n"
          "Nama Pemda;Jml TK Aktif;Jml Sasaran;Ket\n"
          "Kota Ambon;1.200;2.000;kota\n"
          "Buru;50;80;\n")


def figures(result) -> dict[str, tuple]:
    return {r.region_code: (None if pd.isna(r.registered) else int(r.registered),
                            None if pd.isna(r.eligible) else int(r.eligible))
            for r in result.observations.itertuples()}


# --- reading --map -----------------------------------------------------------------------------


def test_map_text_is_read_into_fields_and_columns_and_back() -> None:
    m = ColumnMap.parse(" region = A , Registered=Jml TK Aktif,coverage_pct=e,header=2 ")
    assert m.columns == (("region", "A"), ("registered", "Jml TK Aktif"), ("coverage_pct", "e"))
    assert m.header_row == 2
    assert ColumnMap.parse(m.to_text()) == m


@pytest.mark.parametrize(("text", "key", "named"), [
    ("region", "map_syntax", "region"),
    ("region=", "map_syntax", "region="),
    ("regoin=B", "map_field_unknown", "regoin"),
    ("region=B,region=C", "map_field_twice", "region"),
    ("coverage=D,coverage_pct=E", "map_field_twice", "coverage_pct"),
    ("region=B,registered=b", "map_column_twice", "b"),
    ("region=B,header=x", "map_header_row", "x"),
    ("", "map_syntax", "—"),
])
def test_a_bad_map_is_refused_naming_the_bad_part(text: str, key: str, named: str) -> None:
    with pytest.raises(MapError) as err:
        ColumnMap.parse(text)
    assert err.value.key == key
    for lang in ("id", "en"):
        message = err.value.message(lang)
        assert f"'{named}'" in message and "\n" not in message


def test_letters_and_positions_are_inverse() -> None:
    assert [column_letter(p) for p in (0, 3, 25, 26, 27, 701, 702)] == [
        "A", "D", "Z", "AA", "AB", "ZZ", "AAA"]
    assert all(letter_position(column_letter(p)) == p for p in range(0, 2000, 7))
    assert letter_position("d") == 3


# --- applied to a parse ----------------------------------------------------------------------


def test_detection_refuses_the_export_and_the_mapping_reads_it() -> None:
    data = EXPORT.encode()
    with pytest.raises(IngestError) as err:
        parse_file(data, "f.csv", segment="non_asn", period="2024-06")
    assert err.value.key == "no_figure_column"
    by_letter = parse_file(data, "f.csv", segment="non_asn", period="2024-06",
                           column_map=ColumnMap.parse("registered=B,eligible=C"))
    by_text = parse_file(data, "f.csv", segment="non_asn", period="2024-06",
                         column_map=ColumnMap.parse("registered=jml tk aktif,"
                                                    "eligible=JML SASARAN"))
    assert figures(by_letter) == figures(by_text) == {"81.71": (1200, 2000), "81.04": (50, 80)}
    assert by_letter.header_row == 2 and by_letter.rows == 2  # the title row is skipped


def test_header_text_wins_over_a_letter_of_the_same_spelling() -> None:
    data = b"Wilayah;B;Peserta\nKota Ambon;7;100\n"
    # "B" is the header of column B... and of nothing else; "C" is column C by letter.
    result = parse_file(data, "f.csv", segment="pu", period="2024-06",
                        column_map=ColumnMap.parse("eligible=C,registered=B"))
    assert figures(result) == {"81.71": (7, 100)}
    swapped = b"Wilayah;Peserta;B\nKota Ambon;100;7\n"  # header "B" now in column C
    result = parse_file(swapped, "f.csv", segment="pu", period="2024-06",
                        column_map=ColumnMap.parse("registered=B"))
    assert figures(result) == {"81.71": (7, None)}  # the column headed "B", not column B


def test_a_mapping_settles_two_columns_that_both_look_like_registered() -> None:
    data = b"Kabupaten;Peserta;Terdaftar\nKota Ambon;100;90\n"
    with pytest.raises(IngestError) as err:
        parse_file(data, "f.csv", segment="pu", period="2024-06")
    assert err.value.key == "duplicate_column"
    result = parse_file(data, "f.csv", segment="pu", period="2024-06",
                        column_map=ColumnMap.parse("registered=C"))
    assert figures(result) == {"81.71": (90, None)}
    assert "Peserta" in result.ignored_columns


def test_unmapped_columns_are_still_detected_and_mapped_period_and_segment_columns_read() -> None:
    data = (b"Daerah;Bulan laporan;Kelompok peserta;Jumlah;Potensi\n"
            b"Kota Ambon;Jun 2024;Non ASN;100;200\n"
            b"Kota Ambon;Jun 2024;PU;10;20\n")
    result = parse_file(data, "f.csv", column_map=ColumnMap.parse(
        "period=Bulan laporan,segment=C,registered=D"))
    got = {(r.segment, r.period): (int(r.registered), int(r.eligible))
           for r in result.observations.itertuples()}
    assert got == {("non_asn", "2024-06"): (100, 200), ("pu", "2024-06"): (10, 20)}


def test_a_mapped_column_missing_from_the_file_is_refused_by_name_with_the_hint() -> None:
    with pytest.raises(IngestError) as err:
        parse_file(EXPORT.encode(), "f.csv", segment="pu", period="2024-06",
                   column_map=ColumnMap.parse("registered=Peserta Aktif"))
    assert err.value.key == "map_column_not_found"
    assert "'Peserta Aktif'" in err.value.message("en")
    assert "--map" in err.value.message("en", context="cli")


def test_an_explicit_header_row_takes_letters_even_over_empty_headers() -> None:
    data = b"Judul;;\nWilayah;;\nKota Ambon;5;9\n"
    result = parse_file(data, "f.csv", segment="pu", period="2024-06",
                        column_map=ColumnMap.parse("region=A,registered=B,eligible=C,header=2"))
    assert figures(result) == {"81.71": (5, 9)} and result.header_row == 2
    with pytest.raises(IngestError) as err:
        parse_file(data, "f.csv", segment="pu", period="2024-06",
                   column_map=ColumnMap.parse("region=A,registered=B,header=30"))
    assert err.value.key == "map_header_row"


def test_the_chunked_and_the_sandboxed_parse_take_the_same_mapping(tmp_path: Path) -> None:
    body = "".join(f"Kota Ambon;{n};{n * 2};x\n" if n == 1 else f"Buru;{n};{n * 2};\n"
                   for n in (1, 2))
    text = EXPORT.split("\n", 2)[0] + "\n" + EXPORT.split("\n")[1] + "\n" + body
    path = tmp_path / "export.csv"
    path.write_text(text, encoding="utf-8")
    m = ColumnMap.parse("registered=B,eligible=C")
    whole = parse_file(text.encode(), "export.csv", segment="pu", period="2024-06",
                       column_map=m)
    chunked = parse_file_chunked(path, segment="pu", period="2024-06", column_map=m,
                                 chunk_rows=1)
    sandboxed = parse_file_limited(text.encode(), "export.csv", segment="pu",
                                   period="2024-06", column_map=m)
    assert figures(whole) == figures(chunked) == figures(sandboxed) == {
        "81.71": (1, 2), "81.04": (2, 4)}


# --- the header signature --------------------------------------------------------------------


def _signature(text: str) -> str:
    table = read_table(text.encode(), "f.csv", extra_rows=20)
    return header_signature(table.rows, table.numbers, 20)


def test_the_signature_is_the_same_for_next_months_export_and_differs_when_headers_do() -> None:
    june = _signature(EXPORT)
    july = _signature(EXPORT.replace("Juni", "Juli").replace("1.200", "1.350")
                      .replace("Buru;50;80;", "Buru;61;80;\nSeram Bagian Barat;3;9;"))
    renamed = _signature(EXPORT.replace("Jml Sasaran", "Jml Potensi"))
    moved = _signature(EXPORT.replace("Nama Pemda;Jml TK Aktif;Jml Sasaran;Ket",
                                      "Nama Pemda;Jml Sasaran;Jml TK Aktif;Ket"))
    assert june == july
    assert len({june, renamed, moved}) == 3
    # Case, spaces and punctuation of a header do not count (as in detection).
    assert _signature(EXPORT.replace("Nama Pemda", "NAMA  PEMDA.")) == june


def test_the_head_shows_the_first_rows_and_the_columns_by_letter_and_header() -> None:
    head = file_head(EXPORT.encode(), "f.csv", shown=3)
    assert head.rows[0] == ["Laporan Kepesertaan Non ASN Posisi Juni 2024"]
    assert len(head.rows) == 3 and head.numbers == [1, 2, 3]
    assert head.header_index == 1 and head.signature == _signature(EXPORT)
    assert head.columns == [("A", "Nama Pemda"), ("B", "Jml TK Aktif"), ("C", "Jml Sasaran"),
                            ("D", "Ket")]
    assert head_limited(EXPORT.encode(), "f.csv", shown=3) == head  # the same, sandboxed


# --- refusals name what the person can set -------------------------------------------------


@pytest.mark.parametrize(("key", "app_words", "cli_words"), [
    ("no_region_column", {"id": ["nama wilayah", "kode wilayah"], "en": ["region name"]},
     ["region", "code"]),
    ("no_figure_column", {"id": ["jumlah peserta", "potensi"], "en": ["registered"]},
     ["registered", "eligible", "coverage_pct"]),
    ("segment_needed", {"id": ["segmen"], "en": ["segment"]}, ["segment"]),
    ("period_needed", {"id": ["periode"], "en": ["period"]}, ["period"]),
])
def test_every_refusal_a_mapping_fixes_names_the_fields_to_set(
        key: str, app_words: dict[str, list[str]], cli_words: list[str]) -> None:
    for lang in ("id", "en"):
        app = format_message(key, {}, lang)
        cli = format_message(key, {}, lang, context="cli")
        step = "Pemetaan kolom" if lang == "id" else "Column mapping"
        assert step in app and "--" not in app
        assert all(w in app.split(step)[1] for w in app_words[lang]), app
        assert "--map" in cli and all(w in cli.split("--map")[1] for w in cli_words), cli
    assert "Pemetaan kolom" not in format_message("file_empty", {"file": "x"}, "id")


# --- the app's pickers -------------------------------------------------------------------------


def test_pickers_make_a_letter_mapping_and_a_saved_one_presets_them() -> None:
    from cakupan.ingest.mapping import detected_positions

    m = ColumnMap.from_positions({"eligible": 2, "region": 0, "registered": 1}, header_row=2)
    assert m.to_text() == "region=A,registered=B,eligible=C,header=2"
    assert m.without_header_row().to_text() == "region=A,registered=B,eligible=C"
    header = ["Nama Pemda", "Jml TK Aktif", "Jml Sasaran", "Ket"]
    saved = ColumnMap.parse("region=Nama Pemda,registered=B,coverage=Z,note=Ket")
    assert saved.positions_in(header) == {"region": 0, "registered": 1, "coverage_pct": 25,
                                          "note": 3}
    assert detected_positions(["Kabupaten", "Peserta", "Cakupan", "Periode"]) == {
        "region": 0, "registered": 1, "coverage_pct": 2, "period": 3}
    assert detected_positions(header) == {"region": 0}  # "Nama Pemda" only


def test_the_batch_key_depends_on_the_mapping() -> None:
    """The same bytes read with another mapping are other figures: another batch."""
    from cakupan.ingest import import_file

    data = EXPORT.encode()
    keys = {text: import_file(data, "f.csv", segment="pu", period="2024-06", dry_run=True,
                              column_map=ColumnMap.parse(text)).sha256
            for text in ("registered=B,eligible=C", "registered=B")}
    assert len(set(keys.values())) == 2
