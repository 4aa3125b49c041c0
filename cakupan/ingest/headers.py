"""Understand the column headers and labels of real spreadsheets.

A header is compared after :func:`normalise` (case, spaces and punctuation do not matter, so
"Kab/Kota", "kab_kota" and "KAB. KOTA" are one header). It is then one of:

* a *field* of the long layout (``region``, ``code``, ``registered``, ...), from
  :data:`FIELD_SYNONYMS` in Indonesian and English;
* a *wide* column: one column per month ("Jan 2024", "2024-01", an Excel date) or per segment
  ("Non ASN", "Pekerja Rentan"), optionally with a measure word in front or behind
  ("Peserta Non ASN", "Potensi Jan 2024");
* ignored (listed in the parse result so the user sees it was not used).

Any header containing "target" is ignored: a target ("target peserta 2024") is a goal, not the
eligible population, and reading it as the denominator would invent a coverage figure.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from cakupan.ingest.periods import header_period

FIELD_SYNONYMS: dict[str, tuple[str, ...]] = {
    "region": (
        "kabupaten", "kab", "kota", "kab kota", "kabupaten kota", "kota kabupaten", "kab kot",
        "wilayah", "daerah", "region", "nama wilayah", "nama daerah", "nama kabupaten",
        "nama kab kota", "nama kabupaten kota", "regency", "regency city", "district",
        "kabupaten kota wilayah", "pemda", "nama pemda", "pemerintah daerah",
    ),
    "code": (
        "kode", "kode wilayah", "kode kemendagri", "code", "kode daerah", "kode kab kota",
        "kode kabupaten", "kode kabupaten kota", "kode wil", "region code", "kemendagri code",
    ),
    "province": ("provinsi", "prov", "propinsi", "province", "nama provinsi"),
    "registered": (
        "peserta", "terdaftar", "jumlah peserta", "peserta terdaftar", "registered",
        "tk terdaftar", "tenaga kerja terdaftar", "jumlah terdaftar", "jumlah tk terdaftar",
        "peserta aktif", "sudah terdaftar", "terlindungi", "jumlah terlindungi",
        "registered workers", "participants", "protected",
    ),
    "eligible": (
        "potensi", "sasaran", "eligible", "jumlah pekerja", "potensi peserta", "jumlah potensi",
        "tk potensi", "potential", "eligible workers", "total pekerja", "jumlah sasaran",
    ),
    "coverage": (
        "cakupan", "capaian", "persentase", "%", "coverage", "persentase cakupan",
        "capaian cakupan", "persen", "coverage pct", "coverage percent", "cakupan persen",
    ),
    "period": ("periode", "tanggal", "period", "date", "bulan tahun", "periode data", "posisi"),
    "month": ("bulan", "month"),
    "year": ("tahun", "year"),
    "segment": (
        "segmen", "sektor", "kategori", "segment", "jenis peserta", "kelompok", "category",
        "sector", "segmen peserta",
    ),
    "programme": ("program", "programme", "program jaminan", "program bpjs", "program"),
    "scope": ("lingkup", "scope"),
    "note": ("keterangan", "catatan", "note", "notes", "ket"),
}

#: Measure words that may precede or follow a month or segment in a wide header.
MEASURE_WORDS: dict[str, str] = {
    "peserta": "registered", "terdaftar": "registered", "registered": "registered",
    "jumlah peserta": "registered", "tk terdaftar": "registered",
    "potensi": "eligible", "sasaran": "eligible", "eligible": "eligible",
    "cakupan": "coverage", "capaian": "coverage", "coverage": "coverage", "%": "coverage",
    "persentase": "coverage",
}

SEGMENT_LABELS: dict[str, str] = {}
for _code, _labels in {
    "non_asn": ("non asn", "nonasn", "non_asn", "honorer", "tenaga honorer", "pegawai non asn",
                "pegawai honorer", "non pns", "ptt", "non civil servants"),
    "aparatur_desa": ("aparatur desa", "aparat desa", "perangkat desa", "aparatur_desa",
                      "village apparatus", "village officials"),
    "pekerja_rentan": ("pekerja rentan", "rentan", "pekerja_rentan", "vulnerable workers",
                       "vulnerable"),
    "pu": ("pu", "penerima upah", "ppu", "pekerja penerima upah", "wage earners", "formal"),
    "bpu": ("bpu", "bukan penerima upah", "pekerja bukan penerima upah", "informal",
            "pekerja informal", "non wage earners"),
    "jakon": ("jakon", "jasa konstruksi", "konstruksi", "construction",
              "construction services"),
    "all": ("all", "semua", "semua segmen", "seluruh", "all segments", "total", "jumlah"),
}.items():
    for _label in _labels:
        SEGMENT_LABELS[_label] = _code

#: Segment labels that are only a segment in a wide-by-segment sheet: elsewhere a "Total" or
#: "Jumlah" column is a sum of other columns, not a segment.
TOTAL_LABELS = frozenset({"total", "jumlah"})

PROGRAMME_LABELS: dict[str, str] = {
    "jkk": "jkk", "jaminan kecelakaan kerja": "jkk", "employment injury": "jkk",
    "jkm": "jkm", "jaminan kematian": "jkm", "death benefit": "jkm",
    "jht": "jht", "jaminan hari tua": "jht", "old age savings": "jht",
    "jp": "jp", "jaminan pensiun": "jp", "pension": "jp",
    "jkp": "jkp", "jaminan kehilangan pekerjaan": "jkp", "job loss": "jkp",
    "": "any", "semua": "any", "semua program": "any", "all": "any", "any": "any",
}

SCOPE_LABELS: dict[str, str] = {
    "": "region", "wilayah": "region", "region": "region", "daerah": "region",
    "pemprov": "pemprov", "pemerintah provinsi": "pemprov", "provincial government": "pemprov",
}

_NON_WORD = re.compile(r"[^a-z0-9%]+")


def normalise(text: object) -> str:
    """Lower case, accents and punctuation removed, single spaces: "Kab./Kota" -> "kab kota"."""
    plain = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    words = _NON_WORD.sub(" ", plain.lower().replace("%", " % ")).split()
    if words != ["%"]:
        words = [w for w in words if w != "%"] or words
    return " ".join(words)


_FIELD_BY_SYNONYM = {syn: field for field, syns in FIELD_SYNONYMS.items() for syn in syns}


@dataclass(frozen=True)
class Header:
    """What one column is: a long-layout ``field``, or a wide column for a ``period`` and/or
    ``segment`` holding ``measure`` (``None``: registered, or coverage for cells with "%")."""

    position: int
    text: str  # the header as the user wrote it, for messages
    field: str | None = None
    period: str | None = None
    segment: str | None = None
    measure: str | None = None

    @property
    def wide(self) -> bool:
        return self.period is not None or self.segment is not None


def _wide_slot(key: str) -> tuple[str | None, str | None] | None:
    """(period, segment) named by a normalised header, or ``None``."""
    if key in SEGMENT_LABELS:
        return None, SEGMENT_LABELS[key]
    period = header_period(key)
    return (period, None) if period else None


def classify(position: int, raw: object) -> Header | None:
    """Classify one header cell; ``None`` for an empty cell."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if hasattr(raw, "strftime"):  # an Excel date cell as a month header
        period = header_period(raw)
        return Header(position, str(period or raw), period=period)
    text = str(raw).strip()
    key = normalise(text)
    if "target" in key.split():
        return Header(position, text)
    if key in _FIELD_BY_SYNONYM:
        return Header(position, text, field=_FIELD_BY_SYNONYM[key])
    if slot := _wide_slot(key):
        return Header(position, text, period=slot[0], segment=slot[1])
    for word, measure in MEASURE_WORDS.items():
        for rest in (key.removeprefix(word + " "), key.removesuffix(" " + word)):
            if rest != key and (slot := _wide_slot(rest)):
                return Header(position, text, period=slot[0], segment=slot[1], measure=measure)
    return Header(position, text)


def classify_row(cells: list[object]) -> list[Header]:
    """Classify a candidate header row; wide "Total"/"Jumlah" columns count as the segment
    ``all`` only when other columns are segments too (see :data:`TOTAL_LABELS`)."""
    headers = [h for i, cell in enumerate(cells) if (h := classify(i, cell)) is not None]
    has_segments = any(h.segment and normalise(h.text) not in TOTAL_LABELS for h in headers)
    if not has_segments:
        headers = [Header(h.position, h.text) if h.segment and normalise(h.text) in TOTAL_LABELS
                   else h for h in headers]
    return headers


def header_score(headers: list[Header]) -> int:
    """How much a row looks like the header row: the number of recognised columns."""
    return sum(1 for h in headers if h.field or h.wide)
