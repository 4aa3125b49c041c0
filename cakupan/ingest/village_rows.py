"""Importing village-level rows: one row per desa/kelurahan of one regency, for the two
segments counted per village -- ``aparatur_desa`` (village apparatus registered, of those
eligible) and ``pekerja_rentan`` (workers registered against Inpres 4/2022's quota of 100 per
desa, with the funding source: Dana Desa, APBD or CSR).

Kept apart from the regency importer (``parse``/``region_column``) on purpose: a village is
placed by its Kemendagri code ``PP.RR.KK.DDDD`` or by its name *within a regency* (and a
district when the file has one) with :mod:`cakupan.regions.village_names`, whose rule is the
regency resolver's: a name it is not sure of is a row error, never a guess. The rest is the
importer's contract (CONTRACTS.md, command 3): all-or-nothing, rows numbered as the
spreadsheet shows them, the same JSON, one batch written through the store, which checks the
village codes again (``store.checks``). The funding source is kept as the row's ``note``
(one word of :data:`cakupan.analysis.villages.FUNDING`), which the village view reads.

Columns are found by their header (Indonesian or English): ``kode`` (village code), ``desa``
/ ``kelurahan`` / ``nama desa`` (name), ``kecamatan``, ``terdaftar`` (registered),
``sasaran`` (eligible), ``sumber dana`` (funding), ``segmen``, ``periode``.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import pandas as pd

from cakupan import store
from cakupan.core.access import ANONYMOUS, Actor, require
from cakupan.core.errors import CakupanError
from cakupan.core.i18n import t
from cakupan.ingest.importer import _read_bytes, saving, source_for
from cakupan.ingest.limits import Limits
from cakupan.ingest.read import read_table
from cakupan.ingest.results import ImportResult, RowError
from cakupan.regions import villages as village_ref
from cakupan.regions.village_names import check_scope, resolve_villages

SEGMENTS = ("aparatur_desa", "pekerja_rentan")
QUOTA_PER_DESA = 100

#: Normalised header -> field.
HEADERS: dict[str, str] = {
    **dict.fromkeys(("kode", "kode desa", "kode wilayah", "kode kemendagri", "code",
                     "village code", "kode desa kelurahan"), "code"),
    **dict.fromkeys(("desa", "nama desa", "desa kelurahan", "nama desa kelurahan", "kelurahan",
                     "negeri", "ohoi", "kampung", "gampong", "nagari", "village", "name",
                     "nama"), "name"),
    **dict.fromkeys(("kecamatan", "kec", "district", "nama kecamatan"), "district"),
    **dict.fromkeys(("terdaftar", "jumlah terdaftar", "peserta", "jumlah peserta",
                     "registered", "aparatur terdaftar", "pekerja terdaftar",
                     "tenaga kerja terdaftar"), "registered"),
    **dict.fromkeys(("sasaran", "jumlah sasaran", "eligible", "jumlah aparatur",
                     "potensi", "kuota"), "eligible"),
    **dict.fromkeys(("sumber dana", "pendanaan", "funding", "sumber pendanaan", "dana"),
                    "funding"),
    **dict.fromkeys(("segmen", "segment"), "segment"),
    **dict.fromkeys(("periode", "bulan", "period", "month"), "period"),
}
FUNDING_WORDS: dict[str, str] = {
    "dana desa": "dana_desa", "dd": "dana_desa", "dana_desa": "dana_desa",
    "apbd": "apbd", "apbd kabupaten": "apbd", "apbd kota": "apbd", "apbd provinsi": "apbd",
    "apbdes": "dana_desa", "csr": "csr",
}
SEGMENT_WORDS: dict[str, str] = {
    "aparatur desa": "aparatur_desa", "aparatur_desa": "aparatur_desa",
    "perangkat desa": "aparatur_desa", "pekerja rentan": "pekerja_rentan",
    "pekerja_rentan": "pekerja_rentan",
}
_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])(-\d{2})?$")


def _norm(value: object) -> str:
    return " ".join(re.sub(r"[^a-z0-9_]+", " ", str(value or "").lower()).split())


def _int(value: object) -> int | None:
    """A count as people write it ("1.234", "1234", 1234.0); None if it is not one."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, int | float):
        return int(value) if float(value).is_integer() and value >= 0 else None
    text = str(value).strip().replace(".", "").replace(" ", "")
    return int(text) if text.isdigit() else None


def parse_village_table(rows: list[list[object]], numbers: list[int], *, regency: str,
                        segment: str | None, period: str | None, lang: str = "id",
                        ) -> tuple[pd.DataFrame, list[RowError], list[str]]:
    """Observations of a village table (first row = headers), its row errors and the names
    it could not place. Nothing is written."""
    regency, _ = check_scope(regency)
    if not rows:
        return pd.DataFrame(), [RowError(0, "", t("village.err.empty", lang))], []
    header = rows[0]
    fields: dict[str, int] = {}
    for i, text in enumerate(header):
        field = HEADERS.get(_norm(text))
        if field and field not in fields:
            fields[field] = i
    names = {f: str(header[i]) for f, i in fields.items()}
    errors: list[RowError] = []
    if "code" not in fields and "name" not in fields:
        return pd.DataFrame(), [RowError(1, "", t("village.err.no_village_column", lang))], []
    if "registered" not in fields:
        return pd.DataFrame(), [RowError(1, "", t("village.err.no_registered_column", lang))], []
    if segment is None and "segment" not in fields:
        return pd.DataFrame(), [RowError(1, "", t("village.err.no_segment", lang))], []
    if period is None and "period" not in fields:
        return pd.DataFrame(), [RowError(1, "", t("village.err.no_period", lang))], []

    def cell(row: list[object], field: str) -> object:
        i = fields.get(field)
        return row[i] if i is not None and i < len(row) else None

    data = list(zip(numbers[1:], rows[1:], strict=True))
    # Names resolve per district (when given), each distinct (name, district) once.
    wanted: dict[str | None, list[str]] = {}
    for _, row in data:
        name = str(cell(row, "name") or "").strip()
        if name and not str(cell(row, "code") or "").strip():
            district = str(cell(row, "district") or "").strip() or None
            wanted.setdefault(district, []).append(name)
    placed: dict[tuple[str, str | None], str | None] = {}
    bad_district: set[str] = set()
    for district, group in wanted.items():
        unique = list(dict.fromkeys(group))
        try:
            found = resolve_villages(unique, regency, district)
        except CakupanError:
            bad_district.add(str(district))
            continue
        for name, res in zip(unique, found, strict=True):
            placed[(name, district)] = res.code

    out: list[dict[str, Any]] = []
    unmatched: dict[str, None] = {}
    seen: dict[tuple[str, str, str], int] = {}
    for number, row in data:
        code = str(cell(row, "code") or "").strip()
        name = str(cell(row, "name") or "").strip()
        district = str(cell(row, "district") or "").strip() or None
        where = names.get("code") or names.get("name", "")
        if code:
            if not village_ref.is_village_code(code) or code[:5] != regency:
                errors.append(RowError(number, names.get("code", ""),
                                       t("village.err.code", lang, value=code,
                                         regency=regency)))
                continue
            if name:
                by_name = resolve_villages([name], regency)[0].code
                if by_name is not None and by_name != code:
                    errors.append(RowError(number, names["name"], t(
                        "village.err.mismatch", lang, value=name, code=code,
                        name=village_ref.village(code).name)))
                    continue
        elif name:
            if district is not None and district in bad_district:
                errors.append(RowError(number, names.get("district", ""),
                                       t("village.err.district", lang, value=district)))
                continue
            code = placed.get((name, district)) or ""
            if not code:
                errors.append(RowError(number, names["name"],
                                       t("village.err.unmatched", lang, value=name)))
                unmatched.setdefault(name)
                continue
        else:
            errors.append(RowError(number, where, t("village.err.missing", lang)))
            continue
        seg = segment
        if "segment" in fields and cell(row, "segment"):
            seg = SEGMENT_WORDS.get(_norm(cell(row, "segment")).replace("_", " "))
            seg = seg or SEGMENT_WORDS.get(_norm(cell(row, "segment")))
        if seg not in SEGMENTS:
            errors.append(RowError(number, names.get("segment", ""),
                                   t("village.err.segment", lang)))
            continue
        month = period
        if "period" in fields and cell(row, "period"):
            text = str(cell(row, "period")).strip()[:10]
            match = _PERIOD.match(text)
            month = f"{match.group(1)}-{match.group(2)}" if match else None
        if not month or not _PERIOD.match(month):
            errors.append(RowError(number, names.get("period", ""),
                                   t("village.err.period", lang)))
            continue
        registered = _int(cell(row, "registered"))
        if registered is None:
            errors.append(RowError(number, names["registered"],
                                   t("village.err.number", lang)))
            continue
        raw_eligible = cell(row, "eligible")
        eligible = _int(raw_eligible) if raw_eligible not in (None, "") else None
        if raw_eligible not in (None, "") and eligible is None:
            errors.append(RowError(number, names["eligible"], t("village.err.number", lang)))
            continue
        kind = village_ref.village(code).kind
        if eligible is None and seg == "pekerja_rentan" and kind == "desa":
            eligible = QUOTA_PER_DESA  # Inpres 4/2022's quota is the per-desa denominator
        if eligible is not None and registered > eligible and seg == "aparatur_desa":
            errors.append(RowError(number, names["registered"],
                                   t("village.err.above_eligible", lang)))
            continue
        funding = ""
        if cell(row, "funding"):
            funding = FUNDING_WORDS.get(_norm(cell(row, "funding")), "")
            if not funding:
                errors.append(RowError(number, names["funding"],
                                       t("village.err.funding", lang)))
                continue
        key = (code, month, seg)
        if key in seen:
            errors.append(RowError(number, where, t("village.err.duplicate", lang,
                                                    row=seen[key])))
            continue
        seen[key] = number
        out.append({"period": month, "region_code": code, "scope": "region", "segment": seg,
                    "programme": "any", "registered": registered, "eligible": eligible,
                    "note": funding or None})
    return pd.DataFrame(out), errors, list(unmatched)


def import_village_file(path_or_bytes: bytes | str | Path, file_name: str | None = None, *,
                        regency: str, segment: str | None = None, period: str | None = None,
                        sheet: str | None = None, dry_run: bool = False,
                        actor: Actor | None = None, engine: Any = None, lang: str = "id",
                        limits: Limits | None = None) -> ImportResult:
    """Check a village file of one regency and, if no row has an error, write it as a batch.

    ``actor`` as for :func:`cakupan.ingest.import_file`: an editor may import only villages of
    its provinces (checked here and again by the store).
    """
    who = actor or ANONYMOUS
    if not dry_run:
        require(who, "import")
    limits = limits or Limits.from_settings()
    data, name = _read_bytes(path_or_bytes, file_name, limits)
    table = read_table(data, name, sheet, limits=limits)
    obs, errors, unmatched = parse_village_table(table.rows, table.numbers, regency=regency,
                                                 segment=segment, period=period, lang=lang)
    allowed = None if who.role == "admin" or not who.signed_in else who.provinces
    if allowed is not None and regency[:2] not in allowed:
        errors.insert(0, RowError(0, "", t("village.err.scope", lang, regency=regency)))
    file_sha = hashlib.sha256(data).hexdigest()
    sha = hashlib.sha256(b"|".join([data, regency.encode(), (segment or "").encode(),
                                    (period or "").encode(), (sheet or "").encode(),
                                    b"villages"])).hexdigest()
    result = ImportResult(None, max(0, len(table.rows) - 1), 0, errors, unmatched,
                          would_import=len(obs), dry_run=dry_run, sha256=sha,
                          observations=obs)
    if errors or obs.empty or dry_run:
        return result
    source = source_for(name, file_sha)
    with saving(name):
        engine = engine if engine is not None else store.get_engine()
        batch_id = store.write_batch(engine, obs.assign(source_id=source["id"]),
                                     file_name=name, sha256=sha, actor=who, kind="upload",
                                     source=source)
    result.batch_id = batch_id
    result.already_imported = batch_id is not None and not batch_id.created
    result.imported = 0 if result.already_imported else len(obs)
    return result
