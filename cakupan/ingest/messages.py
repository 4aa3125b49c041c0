"""Messages of the importer, in Bahasa Indonesia (default) and English.

Every problem the importer reports has a stable *key* and parameters; the text is made here,
so the app can show a message in the viewer's language and tests can check the key rather
than the wording. Messages are written for the person who keeps the spreadsheet: they say
what is wrong in their terms and what to write instead.
"""

from __future__ import annotations

from collections.abc import Mapping

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
    # --- whole file ----------------------------------------------------------------------
    "file_too_large": {
        "id": "File terlalu besar ({size_mb:.1f} MB); batasnya {limit_mb:.0f} MB.",
        "en": "The file is too large ({size_mb:.1f} MB); the limit is {limit_mb:.0f} MB.",
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
        "id": "File '{file}' tidak bisa dibaca sebagai {kind}: {detail}",
        "en": "The file '{file}' cannot be read as {kind}: {detail}",
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
    "duplicate_column": {
        "id": "Kolom '{first}' dan '{second}' sama-sama berarti {field}. Hapus atau ganti nama "
              "salah satu.",
        "en": "Columns '{first}' and '{second}' both mean {field}. Remove or rename one.",
    },
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
    "rows_have_errors": {
        "id": "{count} kesalahan di file '{file}'; tidak ada data yang disimpan.",
        "en": "{count} error(s) in '{file}'; nothing was saved.",
    },
}

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


def localise_number(value: float, lang: str = "id", *, group: bool = True) -> str:
    """A number as a reader of ``lang`` writes it: id "1.356" / "40,5", en "1,356" / "40.5".

    >>> localise_number(1356.0), localise_number(40.5), localise_number(1356.0, "en")
    ('1.356', '40,5', '1,356')
    """
    text = f"{value:,.6f}".rstrip("0").rstrip(".") if group else f"{value:.6f}".rstrip(
        "0").rstrip(".")
    if lang == "en":
        return text
    return text.translate(str.maketrans({",": ".", ".": ","}))


def format_message(key: str, params: Mapping[str, object] | None = None, lang: str = "id") -> str:
    """The message ``key`` in ``lang`` ("id" or "en"), with ``params`` filled in.

    An unknown language falls back to Indonesian; an unknown key is shown as itself, so a
    missing translation is visible rather than fatal.
    """
    entry = MESSAGES.get(key)
    if entry is None:
        return key
    template = entry.get(lang) or entry["id"]
    values = dict(params or {})
    for name, value in values.items():
        if isinstance(value, int | float) and not isinstance(value, bool):
            values[name] = localise_number(float(value), lang, group=name not in _UNGROUPED)
    if "field" in values and isinstance(values["field"], str):
        values["field"] = FIELD_LABELS.get(values["field"], {}).get(lang, values["field"])
    try:
        return template.format(**values)
    except (KeyError, ValueError, IndexError):
        return f"{template} {values}"
