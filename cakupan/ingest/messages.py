"""Messages of the importer, in Bahasa Indonesia (default) and English.

Every problem the importer reports has a stable *key* and parameters; the text is made here,
so the app can show a message in the viewer's language and tests can check the key rather
than the wording. Messages are written for the person who keeps the spreadsheet: they say
what is wrong in their terms and what to write instead.
"""

from __future__ import annotations

import string
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

LANGS = ("id", "en")

MESSAGES: dict[str, dict[str, str]] = {
    # --- cells ---------------------------------------------------------------------------
    "number_invalid": {
        "id": "'{value}' bukan angka. Tulis angka seperti 1.356, 40,5% atau Rp 11.000.",
        "en": "'{value}' is not a number. Write numbers like 1.356, 40,5% or Rp 11.000.",
    },
    "number_ambiguous": {
        "id": "'{value}' bisa berarti {a} atau {b}, karena kolom ini memakai dua cara "
              "menulis angka. Tulis tanpa pemisah ribuan, mis. 1356.",
        "en": "'{value}' could mean {a} or {b}, because this column writes numbers in two "
              "ways. Write it without a thousands separator, e.g. 1356.",
    },
    "number_not_whole": {
        "id": "Jumlah orang harus bilangan bulat, bukan '{value}'.",
        "en": "A number of people must be a whole number, not '{value}'.",
    },
    "number_negative": {
        "id": "Angka tidak boleh negatif ('{value}').",
        "en": "The figure cannot be negative ('{value}').",
    },
    "registered_gt_eligible": {
        "id": "Peserta ({registered}) lebih banyak dari potensi ({eligible}). "
              "Periksa apakah kolomnya tertukar.",
        "en": "Registered ({registered}) is more than eligible ({eligible}). "
              "Check whether the columns are swapped.",
    },
    "coverage_over_100": {
        "id": "Cakupan {value}% lebih dari 100%.",
        "en": "Coverage {value}% is more than 100%.",
    },
    "no_figures": {
        "id": "Baris ini tidak berisi angka peserta, potensi, maupun cakupan.",
        "en": "This row has no registered, eligible or coverage figure.",
    },
    "period_invalid": {
        "id": "Periode '{value}' tidak dikenali. Tulis seperti 'Okt 2018', '2018-10' atau "
              "'10/2018'.",
        "en": "Period '{value}' is not recognised. Write it like 'Okt 2018', '2018-10' or "
              "'10/2018'.",
    },
    "period_year_only": {
        "id": "Periode '{value}' hanya berisi tahun. Tambahkan bulan (mis. 'Des {value}') atau "
              "pilih periode untuk seluruh file.",
        "en": "Period '{value}' is only a year. Add the month (e.g. 'Dec {value}') or choose a "
              "period for the whole file.",
    },
    "period_missing": {
        "id": "Periode kosong. Isi periode atau pilih periode untuk seluruh file.",
        "en": "The period is empty. Fill it in or choose a period for the whole file.",
    },
    "segment_invalid": {
        "id": "Segmen '{value}' tidak dikenal. Gunakan: Non ASN, Aparatur Desa, Pekerja Rentan, "
              "PU, BPU, Jakon atau Semua.",
        "en": "Segment '{value}' is not known. Use: Non ASN, Aparatur Desa, Pekerja Rentan, PU, "
              "BPU, Jakon or All.",
    },
    "segment_missing": {
        "id": "Segmen kosong. Isi segmen atau pilih segmen untuk seluruh file.",
        "en": "The segment is empty. Fill it in or choose a segment for the whole file.",
    },
    "programme_invalid": {
        "id": "Program '{value}' tidak dikenal. Gunakan JKK, JKM, JHT, JP, JKP, atau kosongkan "
              "bila angka tidak dipisah per program.",
        "en": "Programme '{value}' is not known. Use JKK, JKM, JHT, JP, JKP, or leave it empty "
              "when the figure is not split by programme.",
    },
    "scope_invalid": {
        "id": "Lingkup '{value}' tidak dikenal. Gunakan 'wilayah' atau 'pemprov'.",
        "en": "Scope '{value}' is not known. Use 'region' or 'pemprov'.",
    },
    "region_missing": {
        "id": "Nama wilayah dan kode wilayah kosong.",
        "en": "Both the region name and the region code are empty.",
    },
    "region_unmatched": {
        "id": "Wilayah '{value}' tidak ditemukan{scope}. Periksa ejaan atau isi kode Kemendagri "
              "(mis. 74.05).",
        "en": "Region '{value}' was not found{scope}. Check the spelling or add the Kemendagri "
              "code (e.g. 74.05).",
    },
    "code_invalid": {
        "id": "Kode '{value}' bukan kode Kemendagri yang dikenal (contoh: 74 untuk provinsi, "
              "74.05 untuk kabupaten/kota).",
        "en": "Code '{value}' is not a known Kemendagri code (e.g. 74 for a province, 74.05 "
              "for a regency/city).",
    },
    "code_name_mismatch": {
        "id": "Kode {code} adalah {code_name}, tetapi nama '{value}' adalah {name_name} "
              "({name_code}). Perbaiki kode atau namanya.",
        "en": "Code {code} is {code_name}, but the name '{value}' is {name_name} ({name_code}). "
              "Correct the code or the name.",
    },
    "region_outside_scope": {
        "id": "'{value}' ({code}) di luar provinsi yang boleh Anda ubah ({provinces}).",
        "en": "'{value}' ({code}) is outside the provinces you may change ({provinces}).",
    },
    "region_outside_province": {
        "id": "'{value}' ({code}) tidak termasuk provinsi {province}.",
        "en": "'{value}' ({code}) is not in the province {province}.",
    },
    "province_invalid": {
        "id": "Provinsi '{value}' tidak dikenali.",
        "en": "Province '{value}' is not recognised.",
    },
    "pemprov_not_province": {
        "id": "'{value}' ditandai sebagai pemerintah provinsi, tetapi bukan nama provinsi.",
        "en": "'{value}' is marked as a provincial government, but is not a province.",
    },
    "duplicate": {
        "id": "Baris ini sama dengan baris {first} (wilayah {region}, periode {period}, segmen "
              "{segment}, program {programme}). Hapus salah satu.",
        "en": "This row repeats row {first} (region {region}, period {period}, segment "
              "{segment}, programme {programme}). Remove one of them.",
    },
    "coverage_disagrees": {
        "id": "Cakupan tertulis {value}%, tetapi peserta {registered} dari potensi {eligible} "
              "adalah {computed}% (selisih lebih dari 1 poin). Periksa angka di baris ini.",
        "en": "The coverage says {value}%, but {registered} registered of {eligible} eligible "
              "is {computed}% (more than 1 point apart). Check the figures in this row.",
    },
    "province_not_yet": {
        "id": "Provinsi {code} ({name}) belum ada pada {period}: provinsi ini dibentuk pada "
              "2022 dari {old_name}. Kode sebelum 2022 berarti provinsi lain (94 = Papua, "
              "91 = Papua Barat); tulis nama provinsinya.",
        "en": "Province {code} ({name}) did not exist in {period}: it was created in 2022 "
              "from {old_name_en}. Codes before 2022 meant other provinces (94 = Papua, "
              "91 = Papua Barat); write the province's name.",
    },
    "old_code_ambiguous": {
        "id": "Kode {code} pada {period} (sebelum pemekaran 2022) bisa berarti Papua (seperti "
              "tabel Kemnaker) atau Papua Barat (penomoran sebelum 2022). Tambahkan kolom nama "
              "provinsi.",
        "en": "Code {code} in {period} (before the 2022 splits) could mean Papua (as the "
              "Kemnaker table codes it) or Papua Barat (the numbering before 2022). Add a "
              "column with the province's name.",
    },
    # --- warnings: kept as reported, but the person should know ----------------------------
    "unit_scaled": {
        "id": "Judul kolom menyebut satuan: angkanya dikalikan {factor} (mis. 12,3 ribu = "
              "12.300 orang).",
        "en": "The column header names a unit: its figures are multiplied by {factor} (e.g. "
              "12.3 thousand = 12,300 people).",
    },
    "period_from_title": {
        "id": "Periode {period} diambil dari judul tabel ('{value}'), karena file tidak punya "
              "kolom periode.",
        "en": "Period {period} is taken from the table's title ('{value}'), because the file "
              "has no period column.",
    },
    "period_title_differs": {
        "id": "Judul tabel menyebut {title_period} ('{value}'), tetapi periode yang dipilih "
              "{period}; yang dipakai {period}.",
        "en": "The table's title says {title_period} ('{value}'), but the period chosen is "
              "{period}; {period} is used.",
    },
    "row_note_skipped": {
        "id": "Baris ini tidak berisi wilayah maupun angka ('{value}'), jadi dilewati sebagai "
              "catatan.",
        "en": "This row holds no region and no figure ('{value}'), so it is skipped as a note.",
    },
    "old_extent_period": {
        "id": "Periode ini sebelum pemekaran 2022, jadi angka untuk kode {code} adalah untuk "
              "{name}, yang kini menjadi {successors}. Disimpan sebagai {key}, tidak di bawah "
              "kode {code} yang sekarang lebih kecil.",
        "en": "This period is before the 2022 split, so the figure for code {code} is for "
              "{name_en}, which is today {successors}. It is stored as {key}, not under "
              "today's smaller {code}.",
    },
    "old_extent_table": {
        "id": "Tabel ini memakai 34 provinsi (tanpa provinsi 93-96), jadi angka untuk kode "
              "{code} adalah untuk {name}, yang kini menjadi {successors}. Disimpan sebagai "
              "{key}, tidak di bawah kode {code} yang sekarang lebih kecil.",
        "en": "This table uses the 34 provinces (none of 93-96), so the figure for code {code} "
              "is for {name_en}, which is today {successors}. It is stored as {key}, not "
              "under today's smaller {code}.",
    },
    "table_total_differs": {
        "id": "Baris total tabel menulis {value}, tetapi jumlah baris di atasnya {sum}. Total "
              "tidak diimpor; periksa apakah ada baris yang kurang atau angka yang salah baca.",
        "en": "The table's total row says {value}, but its rows add up to {sum}. The total is "
              "not imported; check for a missing row or a misread figure.",
    },
    "province_total_differs": {
        "id": "Angka {field} provinsi {province_name} ({value}) tidak sama dengan jumlah {count} "
              "kabupaten/kota di file ini ({sum}) untuk {period}, segmen {segment}; disimpan "
              "apa adanya.",
        "en": "The {field} figure of the province {province_name} ({value}) is not the sum of "
              "its {count} regencies/cities in this file ({sum}) for {period}, segment "
              "{segment}; kept as reported.",
    },
    # --- whole file ----------------------------------------------------------------------
    # Only messages whose text came from us may carry format specs: parameters are made safe
    # (one line, short, optionally Markdown-escaped) and numbers localised in format_message.
    "file_too_large": {
        "id": "File terlalu besar ({size_mb} MB); batasnya {limit_mb} MB.",
        "en": "The file is too large ({size_mb} MB); the limit is {limit_mb} MB.",
    },
    "file_empty": {
        "id": "File '{file}' kosong.",
        "en": "The file '{file}' is empty.",
    },
    "file_type": {
        "id": "Jenis file '{file}' tidak didukung; gunakan .csv atau .xlsx.",
        "en": "The file type of '{file}' is not supported; use .csv or .xlsx.",
    },
    "file_unreadable": {
        "id": "File '{file}' tidak bisa dibaca sebagai {kind}. Buka di Excel lalu simpan ulang "
              "sebagai .xlsx atau CSV.",
        "en": "The file '{file}' cannot be read as {kind}. Open it in Excel and save it again "
              "as .xlsx or CSV.",
    },
    "csv_is_zip": {
        "id": "File '{file}' berakhiran CSV tetapi isinya XLSX/ZIP. Ganti akhiran nama file "
              "menjadi .xlsx, atau simpan ulang sebagai CSV.",
        "en": "The file '{file}' is named CSV but holds an XLSX/ZIP. Rename it to .xlsx, or "
              "save it again as CSV.",
    },
    "too_many_rows": {
        "id": "File ini berisi lebih dari {limit} baris data; batasnya {limit} baris per file. "
              "Bagi menjadi beberapa file (mis. per provinsi atau per tahun).",
        "en": "This file has more than {limit} data rows; the limit is {limit} rows per file. "
              "Split it into several files (e.g. by province or by year).",
    },
    "xlsx_too_big_unpacked": {
        "id": "Isi file XLSX ini terlalu besar setelah dibuka ({size_mb:,.0f} MB; batasnya "
              "{limit_mb} MB). Hapus sheet atau isi yang tidak perlu, atau kirim sebagai CSV.",
        "en": "This XLSX file is too large once unpacked ({size_mb:,.0f} MB; the limit is "
              "{limit_mb} MB). Remove sheets or content that are not needed, or send it as "
              "CSV.",
    },
    "xlsx_compression": {
        "id": "Bagian '{part}' dari file XLSX ini dipadatkan {ratio:,.0f} kali (batasnya {limit} "
              "kali); file seperti ini tidak dibuat oleh Excel dan tidak diperiksa.",
        "en": "The part '{part}' of this XLSX file is compressed {ratio:,.0f} times (the limit is "
              "{limit} times); Excel does not write files like this, so it is not checked.",
    },
    "xlsx_doctype": {
        "id": "Bagian '{part}' dari file XLSX ini memuat deklarasi DOCTYPE/ENTITY; Excel tidak "
              "menulis itu, jadi file ini tidak diperiksa. Simpan ulang dari Excel.",
        "en": "The part '{part}' of this XLSX file holds a DOCTYPE/ENTITY declaration; Excel "
              "does not write those, so the file is not checked. Save it again from Excel.",
    },
    "xlsx_beyond_sheet": {
        "id": "Sheet ini menyebut sel {cell}, di luar batas lembar Excel (baris 1.048.576, "
              "kolom XFD); file ini tidak dibuat oleh Excel. Simpan ulang dari Excel.",
        "en": "This sheet names cell {cell}, beyond the edge of an Excel sheet (row 1,048,576, "
              "column XFD); Excel did not write this file. Save it again from Excel.",
    },
    "xlsx_rows_out_of_order": {
        "id": "Baris {row} muncul setelah baris {previous} di dalam file XLSX; file ini rusak. "
              "Simpan ulang dari Excel.",
        "en": "Row {row} comes after row {previous} inside the XLSX file; the file is damaged. "
              "Save it again from Excel.",
    },
    "parse_limit_cpu": {
        "id": "File ini terlalu besar atau rumit untuk diperiksa: pemeriksaan melewati batas "
              "{seconds} detik waktu prosesor. Bagi menjadi beberapa file yang lebih kecil.",
        "en": "This file is too big or too complex to check: checking it went past the limit of "
              "{seconds} seconds of processor time. Split it into smaller files.",
    },
    "parse_limit_memory": {
        "id": "File ini terlalu besar atau rumit untuk diperiksa: pemeriksaan melewati batas "
              "memori {limit_mb} MB. Bagi menjadi beberapa file yang lebih kecil, atau hapus "
              "isi di kanan/bawah tabel.",
        "en": "This file is too big or too complex to check: checking it went past the memory "
              "limit of {limit_mb} MB. Split it into smaller files, or delete what lies to the "
              "right of or below the table.",
    },
    "parse_limit_time": {
        "id": "Pemeriksaan file ini tidak selesai dalam {seconds} detik dan dihentikan. Coba "
              "lagi nanti, atau bagi menjadi beberapa file yang lebih kecil.",
        "en": "Checking this file did not finish within {seconds} seconds and was stopped. Try "
              "again later, or split it into smaller files.",
    },
    "check_failed": {
        "id": "Pemeriksaan file gagal karena kesalahan di aplikasi, bukan di file Anda. "
              "Kesalahan sudah dicatat; coba lagi nanti.",
        "en": "Checking the file failed because of a fault in the application, not in your "
              "file. The fault has been logged; please try again later.",
    },
    "save_failed": {
        "id": "Data tidak bisa disimpan karena gangguan di penyimpanan, bukan karena file Anda. "
              "Tidak ada yang tersimpan; coba lagi nanti.",
        "en": "The data could not be saved because of a problem with the storage, not with "
              "your file. Nothing was saved; please try again later.",
    },
    "store_full": {
        "id": "Data tidak bisa disimpan karena ruang penyimpanan di server penuh, bukan karena "
              "file Anda. Tidak ada yang tersimpan dan data yang ada tetap utuh; minta "
              "pengelola server menambah ruang, lalu coba lagi.",
        "en": "The data could not be saved because the server's storage is full, not because "
              "of your file. Nothing was saved and the existing data is intact; ask the "
              "server's administrator to free some space, then try again.",
    },
    "sheet_unknown": {
        "id": "Sheet '{sheet}' tidak ada. Sheet yang ada: {sheets}.",
        "en": "There is no sheet '{sheet}'. The sheets are: {sheets}.",
    },
    "no_header": {
        "id": "Baris judul kolom tidak ditemukan di {rows} baris pertama. Beri judul kolom "
              "seperti: Kabupaten/Kota, Kode, Periode, Segmen, Peserta, Potensi, Cakupan.",
        "en": "No header row found in the first {rows} rows. Use column headers such as: "
              "Kabupaten/Kota, Kode, Periode, Segmen, Peserta, Potensi, Cakupan.",
    },
    "no_region_column": {
        "id": "Tidak ada kolom wilayah (mis. 'Kabupaten/Kota') atau kode (mis. 'Kode').",
        "en": "There is no region column (e.g. 'Kabupaten/Kota') or code column (e.g. 'Kode').",
    },
    "no_figure_column": {
        "id": "Tidak ada kolom angka: 'Peserta', 'Potensi', 'Cakupan', atau satu kolom per "
              "bulan/segmen.",
        "en": "There is no figure column: 'Peserta', 'Potensi', 'Cakupan', or one column per "
              "month/segment.",
    },
    "no_data_rows": {
        "id": "File ini tidak berisi baris data: di bawah judul kolom (baris {row}) tidak ada "
              "wilayah dengan angka. Tidak ada yang diimpor.",
        "en": "This file has no data rows: under the column headers (row {row}) there is no "
              "region with a figure. Nothing was imported.",
    },
    "duplicate_column": {
        "id": "Kolom '{first}' dan '{second}' sama-sama berarti {field}. Hapus atau ganti nama "
              "salah satu.",
        "en": "Columns '{first}' and '{second}' both mean {field}. Remove or rename one.",
    },
    # The app variants: the person picks these in the form above the upload. The command line
    # has its own wording with the flag (CLI_MESSAGES); a web page never names a flag.
    "segment_needed": {
        "id": "File ini tidak punya kolom segmen. Pilih segmen untuk seluruh file di kotak "
              "Segmen, lalu periksa lagi.",
        "en": "This file has no segment column. Choose a segment for the whole file in the "
              "Segment box, then check again.",
    },
    "period_needed": {
        "id": "File ini tidak punya kolom periode. Isi periode untuk seluruh file di kotak "
              "Periode (mis. 2024-06), lalu periksa lagi.",
        "en": "This file has no period column. Enter a period for the whole file in the Period "
              "box (e.g. 2024-06), then check again.",
    },
    "option_period": {
        "id": "Periode '{value}' tidak valid; tulis seperti 2018-10.",
        "en": "Period '{value}' is not valid; write it like 2018-10.",
    },
    "option_segment": {
        "id": "Segmen '{value}' tidak dikenal; gunakan non_asn, aparatur_desa, pekerja_rentan, "
              "pu, bpu, jakon atau all.",
        "en": "Segment '{value}' is not known; use non_asn, aparatur_desa, pekerja_rentan, pu, "
              "bpu, jakon or all.",
    },
    "option_province": {
        "id": "Provinsi '{value}' bukan kode provinsi Kemendagri (mis. 74).",
        "en": "Province '{value}' is not a Kemendagri province code (e.g. 74).",
    },
    # --- the column mapping (mapping.py; the app's mapping step, ``import --map``) --------
    "map_syntax": {
        "id": "Pemetaan kolom '{part}' tidak terbaca; tulis BIDANG=KOLOM, mis. region=B,"
              "registered=D.",
        "en": "Column mapping '{part}' cannot be read; write FIELD=COLUMN, e.g. region=B,"
              "registered=D.",
    },
    "map_field_unknown": {
        "id": "Bidang '{value}' tidak dikenal dalam pemetaan kolom; gunakan: {fields}.",
        "en": "Field '{value}' is not known in the column mapping; use: {fields}.",
    },
    "map_field_twice": {
        "id": "Bidang '{value}' disebut dua kali dalam pemetaan kolom.",
        "en": "Field '{value}' is named twice in the column mapping.",
    },
    "map_column_twice": {
        "id": "Kolom '{value}' dipetakan ke dua bidang; satu kolom hanya berisi satu hal.",
        "en": "Column '{value}' is mapped to two fields; one column holds one thing.",
    },
    "map_header_row": {
        "id": "Baris judul kolom '{value}' tidak ada di 20 baris pertama file.",
        "en": "Header row '{value}' is not among the first 20 rows of the file.",
    },
    "map_column_not_found": {
        "id": "Kolom '{column}' dari pemetaan tidak ada di baris judul file ini. Sebut kolom "
              "dengan judulnya atau hurufnya (mis. B).",
        "en": "Column '{column}' of the mapping is not in this file's header row. Name a "
              "column by its header or its letter (e.g. B).",
    },
    "rows_have_errors": {
        "id": "{count} kesalahan di file '{file}'; tidak ada data yang disimpan.",
        "en": "{count} error(s) in '{file}'; nothing was saved.",
    },
}

#: Command-line wording of the messages that name a choice made outside the file: there the
#: choice is a flag. Used with ``context="cli"``; every other key reads the same everywhere.
CLI_MESSAGES: dict[str, dict[str, str]] = {
    "segment_needed": {
        "id": "File ini tidak punya kolom segmen. Pilih segmen untuk seluruh file "
              "(--segment).",
        "en": "This file has no segment column. Choose a segment for the whole file "
              "(--segment).",
    },
    "period_needed": {
        "id": "File ini tidak punya kolom periode. Pilih periode untuk seluruh file "
              "(--period YYYY-MM).",
        "en": "This file has no period column. Choose a period for the whole file "
              "(--period YYYY-MM).",
    },
}

#: Where a message is shown: the app (default; never names a command-line flag) or the CLI.
CONTEXTS = ("app", "cli")

#: Refusals that the column mapping can fix -> the fields that fix them: each such message
#: ends with a hint naming them (the app's mapping step, or ``--map`` on the command line).
MAPPING_FIXES: dict[str, tuple[str, ...]] = {
    "no_header": ("region", "code", "registered", "eligible", "coverage_pct"),
    "no_region_column": ("region", "code"),
    "no_figure_column": ("registered", "eligible", "coverage_pct"),
    "duplicate_column": ("region", "code", "registered", "eligible", "coverage_pct",
                         "period", "segment", "programme"),
    "segment_needed": ("segment",),
    "period_needed": ("period",),
    "map_column_not_found": ("region", "code", "registered", "eligible", "coverage_pct",
                             "period", "segment", "programme"),
}
MAPPING_HINTS: dict[str, dict[str, str]] = {
    "app": {"id": "Bisa juga ditetapkan di langkah Pemetaan kolom: {fields}.",
            "en": "You can also set this in the Column mapping step: {fields}."},
    "cli": {"id": "Bisa juga ditetapkan dengan --map BIDANG=KOLOM (bidang: {fields}), mis. "
                  "--map region=B,registered=D.",
            "en": "You can also set this with --map FIELD=COLUMN (fields: {fields}), e.g. "
                  "--map region=B,registered=D."},
}


def mapping_hint(key: str, lang: str = "id", context: str = "app") -> str:
    """The sentence that names the fields the person can set for refusal ``key`` (empty when
    the mapping cannot fix it): labels in the app, ``--map`` field names on the command line."""
    fields = MAPPING_FIXES.get(key)
    if not fields:
        return ""
    lang = lang if lang in LANGS else "id"
    hint = MAPPING_HINTS["cli" if context == "cli" else "app"][lang]
    if context == "cli":
        names = ", ".join(fields)
    else:
        names = ", ".join(FIELD_LABELS.get("coverage" if f == "coverage_pct" else f,
                                           {}).get(lang, f) for f in fields)
    return hint.format(fields=names)

#: Field names as a spreadsheet user knows them, for messages such as duplicate_column.
FIELD_LABELS: dict[str, dict[str, str]] = {
    "region": {"id": "nama wilayah", "en": "region name"},
    "code": {"id": "kode wilayah", "en": "region code"},
    "province": {"id": "provinsi", "en": "province"},
    "registered": {"id": "jumlah peserta", "en": "registered"},
    "eligible": {"id": "potensi", "en": "eligible"},
    "coverage": {"id": "cakupan (%)", "en": "coverage (%)"},
    "period": {"id": "periode", "en": "period"},
    "month": {"id": "bulan", "en": "month"},
    "year": {"id": "tahun", "en": "year"},
    "segment": {"id": "segmen", "en": "segment"},
    "programme": {"id": "program", "en": "programme"},
    "scope": {"id": "lingkup", "en": "scope"},
    "note": {"id": "catatan", "en": "note"},
}


#: Parameters shown without thousands grouping (the ambiguity message must not re-introduce it).
_UNGROUPED = frozenset({"a", "b"})
#: Longest text taken from a file into one message (a cell, a header, a file or sheet name).
MAX_PARAM_CHARS = 120
#: Characters that Markdown (CommonMark, GFM, Streamlit's ``:colour[...]`` and ``$maths$``)
#: may read as markup; every one is backslash-escaped in ``markdown=True`` mode.
_MARKDOWN_SPECIAL = frozenset("\\`*_{}[]()#+-.!|<>~$:&=^\"'%@")
_SWAP_SEPARATORS = str.maketrans({",": ".", ".": ","})


def localise_number(value: float, lang: str = "id", *, group: bool = True) -> str:
    """A number as a reader of ``lang`` writes it: id "1.356" / "40,5", en "1,356" / "40.5".

    >>> localise_number(1356.0), localise_number(40.5), localise_number(1356.0, "en")
    ('1.356', '40,5', '1,356')
    """
    text = f"{value:,.6f}".rstrip("0").rstrip(".") if group else f"{value:.6f}".rstrip(
        "0").rstrip(".")
    if lang == "en":
        return text
    return text.translate(_SWAP_SEPARATORS)


def plain_text(value: object, limit: int = MAX_PARAM_CHARS) -> str:
    """Text from a file made fit for a one-line message: control and format characters (line
    breaks, tabs, bidirectional overrides, zero-width marks) become spaces or go, runs of
    spaces collapse, and anything past ``limit`` characters becomes "…".

    The result is still the user's text, so a page must show it as text (``st.text``, a data
    table) or escape it (:func:`escape_markdown`); this only keeps one message one line and
    short, so a hostile cell cannot fake extra lines in a log or on the command line.

    >>> plain_text("Kota\\nKendari\\u202e  x")
    'Kota Kendari x'
    """
    text = str(value)
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Zl", "Zp") or ch.isspace():
            out.append(" ")
        elif cat != "Cf":
            out.append(ch)
    text = " ".join("".join(out).split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def escape_markdown(text: str) -> str:
    """``text`` with every character Markdown could read as markup backslash-escaped, so a
    Markdown renderer shows exactly ``text`` (no link, image, HTML, emphasis, colour or maths).

    >>> escape_markdown("[klik](http://x)")
    '\\\\[klik\\\\]\\\\(http\\\\://x\\\\)'
    """
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIAL else ch for ch in text)


class _Number:
    """A number parameter: ``{n}`` localised with grouping, ``{n:.1f}`` with the spec applied
    first and the separators localised after (a spec on already-localised *text* used to
    fail and garble the message)."""

    __slots__ = ("group", "lang", "value")

    def __init__(self, value: float, lang: str, group: bool) -> None:
        self.value, self.lang, self.group = value, lang, group

    def __format__(self, spec: str) -> str:
        if not spec:
            return localise_number(self.value, self.lang, group=self.group)
        text = format(self.value, spec)
        return text if self.lang == "en" else text.translate(_SWAP_SEPARATORS)


def message_template(key: str, lang: str = "id", context: str = "app") -> str | None:
    """The template of ``key`` in ``lang`` for ``context`` ("app" or "cli"), or ``None``."""
    entry = (CLI_MESSAGES.get(key) if context == "cli" else None) or MESSAGES.get(key)
    if entry is None:
        return None
    return entry.get(lang) or entry["id"]


def format_message(key: str, params: Mapping[str, object] | None = None, lang: str = "id", *,
                   context: str = "app", markdown: bool = False) -> str:
    """The message ``key`` in ``lang`` ("id" or "en"), with ``params`` filled in.

    Parameters
    ----------
    context
        "app" (default) or "cli": the few messages that name a choice outside the file say
        where to make it (a box in the app, a flag on the command line).
    markdown
        Escape every parameter for a Markdown renderer (``st.error`` and friends). Without it
        the message is plain text: show it with ``st.text`` or in a data table, never as
        Markdown. Either way parameters are one line and at most :data:`MAX_PARAM_CHARS`.

    An unknown language falls back to Indonesian; an unknown key is shown as itself, so a
    missing translation is visible rather than fatal.
    """
    template = message_template(key, lang, context)
    if template is None:
        return key
    values: dict[str, object] = {}
    for name, value in (params or {}).items():
        if isinstance(value, int | float) and not isinstance(value, bool):
            values[name] = _Number(float(value), lang, group=name not in _UNGROUPED)
            continue
        if name == "field" and isinstance(value, str):
            value = FIELD_LABELS.get(value, {}).get(lang, value)
        text = plain_text("" if value is None else value)
        values[name] = escape_markdown(text) if markdown else text
    text = _FORMATTER.vformat(template, (), values)
    hint = mapping_hint(key, lang, context)
    if hint:  # our own words: nothing in it needs escaping for Markdown but its dashes
        text += " " + (hint.replace("--", "\\-\\-") if markdown else hint)
    return text


class _SafeFormatter(string.Formatter):
    """``str.format`` that cannot fail: a missing parameter shows as "…" and a spec that does
    not fit its value is dropped (a template out of step with its caller is our bug, and the
    person should still get a readable sentence, never ``{'size_mb': ...}``)."""

    def get_value(self, key: int | str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> Any:
        if isinstance(key, str):
            return kwargs.get(key, "…")
        return args[key] if key < len(args) else "…"

    def format_field(self, value: Any, format_spec: str) -> str:
        try:
            return format(value, format_spec)
        except (TypeError, ValueError):
            return format(value, "")


_FORMATTER = _SafeFormatter()
