"""Understand the column headers and labels of real spreadsheets.

A header is compared after :func:`normalise` (case, spaces and punctuation do not matter, so
"Kab/Kota", "kab_kota" and "KAB. KOTA" are one header). It is then one of:

* a *field* of the long layout (``region``, ``code``, ``registered``, ...), from
  :data:`FIELD_SYNONYMS` in Indonesian and English;
* a *wide* column: one column per month ("Jan 2024", "2024-01", an Excel date) or per segment
  ("Non ASN", "Pekerja Rentan"), optionally with a measure word in front or behind
  ("Peserta Non ASN", "Potensi Jan 2024");
* ignored (listed in the parse result so the user sees it was not used).

Headers as people write them, where no synonym matches whole, are read word by word
(:func:`_by_words`): measure words ("peserta", "terdaftar", "terlindungi", "potensi",
"capaian", "%"), a segment ("Non ASN", "PU", "Jasa Konstruksi"), a month, words that only say
how people are counted ("jumlah", "aktif", "TK", "orang") and unit hints ("(ribu)" multiplies
by 1,000, "(%)" is a coverage). "Jumlah Non ASN Terdaftar" is the registered non-ASN count,
"TK Terlindungi" and "Peserta (orang)" registered, "Potensi Pekerja" eligible. A word that
is none of these leaves the header unread (ignored and listed) rather than guessed.

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
        "kode provinsi", "kode prov", "kode propinsi",
        "kode kabupaten", "kode kabupaten kota", "kode wil", "region code", "kemendagri code",
    ),
    "province": ("provinsi", "prov", "propinsi", "province", "nama provinsi",
                 "provinsi wilayah", "nama propinsi"),
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
    #: What a cell is multiplied by: 1000 for a header that says "(ribu)".
    scale: float = 1
    #: The header says "Jumlah"/"Total" and names no segment: a sum of the columns beside it.
    total: bool = False

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
        field = _FIELD_BY_SYNONYM[key]
        total = field in ("registered", "eligible") and bool(set(key.split()) & _TOTAL_TOKENS)
        return Header(position, text, field=field, total=total)
    if slot := _wide_slot(key):
        measure = "coverage" if "%" in text else None
        return Header(position, text, period=slot[0], segment=slot[1], measure=measure)
    for word, measure in MEASURE_WORDS.items():
        for rest in (key.removeprefix(word + " "), key.removesuffix(" " + word)):
            if rest != key and (slot := _wide_slot(rest)):
                return Header(position, text, period=slot[0], segment=slot[1], measure=measure)
    return _by_words(position, text) or Header(position, text)


#: Words of a measure, read word by word (:func:`_by_words`); phrases are matched first.
MEASURE_TOKENS: dict[str, str] = {
    "peserta": "registered", "terdaftar": "registered", "registered": "registered",
    "terlindungi": "registered", "dilindungi": "registered", "participants": "registered",
    "protected": "registered", "kepesertaan": "registered", "terdaftar aktif": "registered",
    "potensi": "eligible", "sasaran": "eligible", "eligible": "eligible",
    "potential": "eligible", "angkatan kerja": "eligible",
    "cakupan": "coverage", "capaian": "coverage", "coverage": "coverage", "%": "coverage",
    "persentase": "coverage", "persen": "coverage", "pct": "coverage", "percent": "coverage",
    "rasio": "coverage", "ratio": "coverage",
}
#: Words that only say how people are counted or whose figure it is, never what is counted.
FILLER_TOKENS = frozenset({
    "jumlah", "total", "aktif", "active", "orang", "jiwa", "people", "persons", "tk",
    "tenaga", "kerja", "pekerja", "workers", "yang", "sudah", "telah", "data", "per", "dari",
    "number", "of", "bpjs", "ketenagakerjaan", "bpjamsostek", "bpjstk", "program", "dalam",
    "nilai", "angka", "thd", "terhadap", "sd", "s", "d",
})
#: Unit hints in a header and what a cell is multiplied by ("Peserta (ribu)").
SCALE_TOKENS: dict[str, float] = {
    "ribu": 1e3, "ribuan": 1e3, "rb": 1e3, "thousand": 1e3, "thousands": 1e3, "000": 1e3,
    "juta": 1e6, "jutaan": 1e6, "million": 1e6, "millions": 1e6,
}
_TOTAL_TOKENS = frozenset({"jumlah", "total"})
_PHRASES = sorted({*SEGMENT_LABELS, *MEASURE_TOKENS} - _TOTAL_TOKENS,
                  key=lambda p: -len(p.split()))
_HEADER_WORD = re.compile(r"[a-z0-9]+|%")


def header_words(text: str) -> list[str]:
    """A header's words as :func:`normalise` makes them, but with "%" kept as a word (a unit
    hint: "PU (%)" is the PU coverage)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return _HEADER_WORD.findall(plain)


def _by_words(position: int, text: str) -> Header | None:
    """A header read word by word: at most one segment, one kind of measure (a coverage word
    wins: "Persentase Peserta" is a coverage), a month, fillers and a unit; ``None`` when a
    word is none of these or nothing says what is counted."""
    words = header_words(text)
    segments: set[str] = set()
    measures: set[str] = set()
    scale, total, rest = 1.0, False, []
    i = 0
    while i < len(words):
        for phrase in _PHRASES:
            n = len(phrase.split())
            if " ".join(words[i:i + n]) == phrase:
                if phrase in MEASURE_TOKENS:
                    measures.add(MEASURE_TOKENS[phrase])
                else:
                    segments.add(SEGMENT_LABELS[phrase])
                i += n
                break
        else:
            word = words[i]
            if word in SCALE_TOKENS:
                scale = SCALE_TOKENS[word]
            elif word in FILLER_TOKENS:
                total = total or word in _TOTAL_TOKENS
            else:
                rest.append(word)
            i += 1
    period = None
    if rest:
        period = header_period(" ".join(rest))
        if period is None:
            return None
    if len(segments) > 1:
        return None
    measure = ("coverage" if "coverage" in measures
               else measures.pop() if len(measures) == 1 else None)
    if len(measures) > 1 and measure != "coverage":
        return None
    segment = segments.pop() if segments else None
    if measure is None and segment is None and period is None:
        return None
    if measure == "coverage":
        scale = 1.0  # "% (ribu)" means nothing; a percentage is not scaled
    if segment is None and period is None:
        return Header(position, text, field=measure, scale=scale, total=total)
    return Header(position, text, period=period, segment=segment, measure=measure, scale=scale)


def classify_row(cells: list[object]) -> list[Header]:
    """Classify a candidate header row; wide "Total"/"Jumlah" columns count as the segment
    ``all`` only when other columns are segments too (see :data:`TOTAL_LABELS`), and so does
    a measure header that says "Jumlah"/"Total" ("Jumlah Peserta" beside PU | BPU | Jakon is
    the sum of the three, not a second registered column)."""
    headers = [h for i, cell in enumerate(cells) if (h := classify(i, cell)) is not None]
    has_segments = any(h.segment and not _is_total(h) for h in headers)
    if not has_segments:
        headers = [Header(h.position, h.text) if h.segment and _is_total(h) else h
                   for h in headers]
    else:
        headers = [Header(h.position, h.text, segment="all", measure=h.field, scale=h.scale)
                   if h.total and h.field in ("registered", "eligible", "coverage") else h
                   for h in headers]
    return headers


def _is_total(h: Header) -> bool:
    words = [w for w in normalise(h.text).split() if w not in FILLER_TOKENS - _TOTAL_TOKENS]
    return h.segment == "all" and bool(words) and set(words) <= _TOTAL_TOKENS


def header_score(headers: list[Header]) -> int:
    """How much a row looks like the header row: the number of recognised columns."""
    return sum(1 for h in headers if h.field or h.wide)


def _filled(cell: object) -> bool:
    return cell is not None and not (isinstance(cell, str) and not cell.strip())


def combine_header_rows(upper: list[object], lower: list[object]) -> list[object]:
    """One header row from a two-row header: a group header ("Peserta Aktif" over PU | BPU |
    Jakon, often a merged cell, so only its first column holds the text) is carried right
    over the columns below it until the next group cell, and joined to each sub-header as
    "Peserta Aktif / PU". A column with only one of the two keeps that one."""
    width = max(len(upper), len(lower))
    upper = [*upper, *[None] * (width - len(upper))]
    lower = [*lower, *[None] * (width - len(lower))]
    out: list[object] = []
    group: object = None
    for top, below in zip(upper, lower, strict=True):
        if _filled(top):
            group = top
        elif not _filled(below):
            group = None  # a gap under no group ends the group
        carried = top if _filled(top) else (group if _filled(below) else None)
        if _filled(carried) and _filled(below):
            out.append(f"{str(carried).strip()} / {str(below).strip()}")
        else:
            out.append(below if _filled(below) else carried)
    return out


def is_group_row(cells: list[object], headers: list[Header]) -> bool:
    """Whether ``cells`` (the row above a header row) are group headers over its figure
    columns, not a title: text only, nothing over a region, code or province column or left
    of it (a title starts at the left), and something over a column of figures or an
    unread one."""
    filled = [i for i, c in enumerate(cells) if _filled(c)]
    if not filled or any(not isinstance(cells[i], str) for i in filled):
        return False
    places = [h.position for h in headers if h.field in ("region", "code", "province")]
    if not places or min(filled) <= max(places):
        return False
    figures = {h.position for h in headers if h.wide or h.field is None
               or h.field in ("registered", "eligible", "coverage")}
    return any(i in figures for i in filled)


def is_sub_header_row(cells: list[object], headers: list[Header]) -> bool:
    """Whether ``cells`` (the row below a header row) are sub-headers (PU | BPU | Jakon under
    a group header) rather than data: text only, empty under the region, code and province
    columns, and at least one cell reads as a segment, a month or a measure."""
    filled = [i for i, c in enumerate(cells) if _filled(c)]
    if not filled or any(not isinstance(cells[i], str) for i in filled):
        return False
    places = {h.position for h in headers if h.field in ("region", "code", "province")}
    if places & set(filled):
        return False
    return any((h := classify(i, cells[i])) is not None and (h.wide or h.field in (
        "registered", "eligible", "coverage")) for i in filled)
