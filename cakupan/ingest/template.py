"""The import template the app offers for download (CSV and XLSX).

The example rows are real published figures (Zonasultra, 4 October 2018: non-ASN workers of
Sulawesi Tenggara registered with BPJS Ketenagakerjaan), so a user who imports the template
unchanged gets correct data, and a test can import it back.

The XLSX puts the example sheet *first* ("Data"), because the importer reads the first sheet
unless told otherwise; the instructions ("Petunjuk") follow.
"""

from __future__ import annotations

import io

import pandas as pd

from cakupan.core.spreadsheet import to_csv_bytes

COLUMNS = ("Kode", "Kabupaten/Kota", "Periode", "Segmen", "Program", "Peserta", "Potensi",
           "Cakupan (%)", "Keterangan")

_NOTE = "Zonasultra, 4 Okt 2018"
#: (code, name, registered): Zonasultra 2018-10-04; the province government is a row of its own.
EXAMPLE_ROWS: tuple[tuple[str, str, int], ...] = (
    ("74", "Pemprov Sultra", 977),
    ("74.71", "Kota Kendari", 1135),
    ("74.06", "Kabupaten Bombana", 1285),
    ("74.02", "Kabupaten Konawe", 3301),
    ("74.05", "Kabupaten Konawe Selatan", 202),
    ("74.01", "Kabupaten Kolaka", 295),
    ("74.11", "Kabupaten Kolaka Timur", 236),
    ("74.07", "Kabupaten Wakatobi", 0),
)

INSTRUCTIONS: tuple[tuple[str, str], ...] = (
    ("Petunjuk pengisian / How to fill in", ""),
    ("", ""),
    ("Satu baris = satu wilayah, satu bulan, satu segmen.",
     "One row = one region, one month, one segment."),
    ("Kode", "Kode Kemendagri: 74 (provinsi), 74.05 (kabupaten/kota). Bila diisi, kode yang "
             "dipakai; nama harus cocok. / Kemendagri code; it wins over the name."),
    ("Kabupaten/Kota", "Nama wilayah, mis. 'Konawe Selatan', 'Kota Kendari', 'Konsel'. "
                       "'Pemprov Sultra' = pemerintah provinsi sebagai pemberi kerja."),
    ("Periode", "Bulan data: 'Okt 2018', 'Oktober 2018', '2018-10' atau '10/2018'. Tahun saja "
                "tidak cukup. / Month of the figure; a year alone is not enough."),
    ("Segmen", "Non ASN, Aparatur Desa, Pekerja Rentan, PU, BPU, Jakon, Semua."),
    ("Program", "Kosongkan bila angka tidak dipisah per program; atau JKK, JKM, JHT, JP, JKP."),
    ("Peserta", "Jumlah tenaga kerja terdaftar (bilangan bulat, mis. 1.135). / Registered."),
    ("Potensi", "Jumlah tenaga kerja yang seharusnya terdaftar (boleh kosong). Bukan target. / "
                "Eligible workers (may be empty). Not a target."),
    ("Cakupan (%)", "Hanya bila angka peserta/potensi tidak ada, mis. 40%. / Only when counts "
                    "are not available."),
    ("Keterangan", "Sumber atau catatan (boleh kosong). / Source or note."),
    ("", ""),
    ("Angka", "1.356 = seribu tiga ratus lima puluh enam; 40,5% ; Rp 11.000 ; 3,5 ribu ; "
              "'-' atau kosong = tidak ada data."),
    ("Aturan", "Bila satu baris salah, tidak ada yang disimpan; pesan kesalahan menyebut baris "
               "dan kolomnya. / If any row is wrong nothing is saved; messages name the row "
               "and column."),
    ("Format lain", "Juga diterima: satu kolom per bulan (Jan 2024, Feb 2024, ...) atau per "
                    "segmen (Non ASN, Aparatur Desa, ...)."),
)


def example_frame() -> pd.DataFrame:
    """The example sheet as a DataFrame with :data:`COLUMNS`."""
    rows = [(code, name, "Okt 2018", "Non ASN", None, registered, None, None, _NOTE)
            for code, name, registered in EXAMPLE_ROWS]
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame["Peserta"] = frame["Peserta"].astype("Int64")
    frame["Potensi"] = frame["Potensi"].astype("Int64")
    frame["Cakupan (%)"] = frame["Cakupan (%)"].astype("Float64")
    return frame


def template_csv() -> bytes:
    """The example as CSV: ``;``-separated, UTF-8 with BOM (opens cleanly in Indonesian Excel)."""
    return to_csv_bytes(example_frame(), sep=";")


def template_xlsx() -> bytes:
    """The example sheet "Data" (first) and the instructions sheet "Petunjuk"."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    data = book.active
    data.title = "Data"
    data.append(list(COLUMNS))
    for row in example_frame().itertuples(index=False, name=None):
        data.append([None if pd.isna(v) else v for v in row])
    for cell in data[1]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDEFGHI", (8, 28, 11, 14, 9, 10, 10, 12, 24), strict=True):
        data.column_dimensions[column].width = width
        if column == "A":  # codes such as 74.10 must stay text, not become the number 74.1
            for cell in data[column]:
                cell.number_format = "@"
    data.freeze_panes = "A2"

    help_sheet = book.create_sheet("Petunjuk")
    for left, right in INSTRUCTIONS:
        help_sheet.append([left, right])
    help_sheet["A1"].font = Font(bold=True, size=13)
    help_sheet.column_dimensions["A"].width = 22
    help_sheet.column_dimensions["B"].width = 100
    for row in help_sheet.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
