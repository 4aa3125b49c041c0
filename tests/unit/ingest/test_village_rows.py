"""Village rows: placed by code or by name within the regency (and district), all-or-nothing,
funding kept, quota 100 per desa as the pekerja rentan denominator, spreadsheet row numbers."""

from __future__ import annotations

import pandas as pd

from cakupan.ingest.village_rows import import_village_file, parse_village_table

CSV = (b"Kode,Desa,Kecamatan,Terdaftar,Sumber dana\n"
       b",Wowonda,,55,Dana Desa\n"
       b",Desa Ilngei,Tanimbar Selatan,100,APBD\n"
       b"81.03.01.2004,,,0,\n"
       b",Saumlaki,,12,CSR\n")


def test_names_and_codes_become_village_observations() -> None:
    result = import_village_file(CSV, "desa.csv", regency="81.03", segment="pekerja_rentan",
                                 period="2024-06", dry_run=True)
    assert result.errors == [] and result.would_import == 4 and result.imported == 0
    obs = result.observations.set_index("region_code")
    assert list(obs.index) == ["81.03.01.2002", "81.03.01.2003", "81.03.01.2004",
                               "81.03.01.1001"]
    assert obs.loc["81.03.01.2002", "note"] == "dana_desa"
    assert obs.loc["81.03.01.2003", "note"] == "apbd"
    assert obs.loc["81.03.01.2002", "eligible"] == 100  # the Inpres 4/2022 quota per desa
    assert pd.isna(obs.loc["81.03.01.1001", "eligible"])  # a kelurahan has no quota
    assert set(obs["period"]) == {"2024-06"} and set(obs["segment"]) == {"pekerja_rentan"}


def test_any_bad_row_refuses_the_file_with_spreadsheet_rows() -> None:
    rows = [["Desa", "Terdaftar", "Sasaran"], ["Wowonda", "7", "7"], ["Xyzzy", "3", ""],
            ["Olilit Raya", "abc", ""], ["Lauran", "9", "7"], ["Wowonda", "6", "7"]]
    _, errors, unmatched = parse_village_table(rows, [1, 2, 3, 4, 5, 6], regency="81.03",
                                                 segment="aparatur_desa", period="2024-06")
    assert [(e.row, e.column) for e in errors] == [(3, "Desa"), (4, "Terdaftar"),
                                                   (5, "Terdaftar"), (6, "Desa")]
    assert "Xyzzy" in errors[0].message and unmatched == ["Xyzzy"]
    assert "baris 2" in errors[3].message  # the duplicate names the first row
    result = import_village_file(b"Desa,Terdaftar\nXyzzy,3\n", "x.csv", regency="81.03",
                                 segment="aparatur_desa", period="2024-06", dry_run=True)
    assert result.would_import == 0 and result.to_dict()["unmatched"] == ["Xyzzy"]


def test_a_code_of_another_regency_and_a_name_that_contradicts_its_code() -> None:
    rows = [["Kode", "Desa", "Terdaftar"], ["81.71.03.2004", "", "5"],
            ["81.03.01.2002", "Olilit Raya", "5"]]
    _, errors, _ = parse_village_table(rows, [1, 2, 3], regency="81.03",
                                       segment="aparatur_desa", period="2024-06")
    assert [e.row for e in errors] == [2, 3]
    assert "81.71.03.2004" in errors[0].message and "Wowonda" in errors[1].message


def test_segment_and_period_columns_and_english_messages() -> None:
    rows = [["Kode", "Terdaftar", "Segmen", "Periode"],
            ["81.03.01.2002", "7", "Aparatur Desa", "2024-11-30"],
            ["81.03.01.2003", "7", "PU", "2024-11"],
            ["81.03.01.2004", "7", "aparatur desa", "Nov 2024"]]
    obs, errors, _ = parse_village_table(rows, [1, 2, 3, 4], regency="81.03", segment=None,
                                         period=None, lang="en")
    assert list(obs["period"]) == ["2024-11"] and list(obs["segment"]) == ["aparatur_desa"]
    assert [e.row for e in errors] == [3, 4]
    assert errors[0].message.startswith("The segment must be")
    assert errors[1].message == "The period must be YYYY-MM."


def test_without_a_village_column_the_file_is_refused_in_one_line() -> None:
    _, errors, _ = parse_village_table([["Nama Kabupaten", "Terdaftar"], ["X", "1"]], [1, 2],
                                       regency="81.03", segment="aparatur_desa",
                                       period="2024-06")
    assert len(errors) == 1 and errors[0].row == 1 and "Kode" in errors[0].message
