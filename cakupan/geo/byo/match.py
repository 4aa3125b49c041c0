"""Match a boundary file's features to the regions reference, by code and name together.

Codes come in several systems. Kemendagri's (``81.03``, ``8103``, ``81 03``) are the
reference's; BPS numbers regencies otherwise (BPS 8101 is Maluku Tenggara Barat, which is
Kemendagri 81.03 Kepulauan Tanimbar, while Kemendagri 81.01 is Maluku Tengah). So a code is
**accepted only where the feature's name agrees with it**: the name, resolved within the
code's province (:func:`cakupan.regions.resolve.resolve_one`), must give the same region.
Where the name gives another region of that province, the name wins and the pair is kept as
a correspondence the file itself proves (``file code -> Kemendagri code``); no table of
BPS codes is needed or kept. Without a code field, names are resolved nationally, then
within the province the file turns out to cover (names as geoportals and GADM spell them:
upper case, "KAB."/"KOTA" prefixes, old names, no spaces).

Nothing is guessed: a feature whose name resolves to nothing is *unmatched*, with the
nearest regions of its province as suggestions an admin may pick (``picks``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from cakupan import regions
from cakupan.geo.byo.errors import BoundaryFileError
from cakupan.geo.byo.read import RawBoundaries
from cakupan.regions import resolve as resolver

LEVELS = ("regency", "district", "village")
#: Field names that usually hold a regency's name or code (lower case), tried first.
NAME_FIELDS = ("nama", "name", "namobj", "wadmkk", "name_2", "nama_kab", "nm_kab", "nmkab",
               "kabupaten", "kab_kota", "kabkot", "kabkota", "regency", "adm2_en", "nama_kabkota")
CODE_FIELDS = ("kode", "code", "kode_kab", "kdpkab", "kdkab", "kd_kab", "kode_bps", "kdbps",
               "kab_id", "cc_2", "adm2_pcode", "id_kab", "kode_wilayah")
#: Share of a column's values that must read as codes for it to be taken as the code field.
CODE_SHARE = 0.8
_GLUED_PREFIX = re.compile(r"^(KABUPATEN|KAB\.?|KOTA)(?=[A-Z])", re.IGNORECASE)


@dataclass(frozen=True)
class Match:
    """One feature placed on a region: ``method`` is ``code`` (code and name agree),
    ``name`` (no code, or a code of another system: the name decided) or ``picked`` (an admin
    chose it in the preview)."""

    index: int
    code: str
    file_name: str | None
    file_code: str | None
    method: str


@dataclass(frozen=True)
class Unmatched:
    """A feature no region was accepted for, with up to three suggestions ``(code, name)``."""

    index: int
    file_name: str | None
    file_code: str | None
    suggestions: tuple[tuple[str, str], ...] = ()

    @property
    def label(self) -> str:
        return self.file_name or self.file_code or f"#{self.index + 1}"


@dataclass
class MatchReport:
    """What the preview shows: every feature matched or not, duplicates, what is missing."""

    level: str
    code_field: str | None
    name_field: str | None
    matched: list[Match]
    unmatched: list[Unmatched]
    duplicates: dict[str, list[int]]
    missing: list[str]
    provinces: list[str]
    code_system: str | None  # "kemendagri", "other" (names decided), or None (no codes)
    correspondences: dict[str, str] = field(default_factory=dict)

    def codes(self) -> list[str]:
        """The regions the file covers (each once)."""
        return sorted({m.code for m in self.matched})


def normalise_code(value: str | None) -> str | None:
    """``81.03``, ``8103``, ``81 03``, ``ID8103`` -> ``"81.03"``; anything else ``None``."""
    if not value:
        return None
    text = re.sub(r"^(IDN?)", "", str(value).strip().upper())
    digits = re.sub(r"[.\s\-_/]", "", text)
    if re.fullmatch(r"\d{4}", digits):
        return f"{digits[:2]}.{digits[2:]}"
    return None


def _name_readings(name: str) -> list[str]:
    """The name as written, then with a glued prefix split ("KOTAAMBON" -> "KOTA AMBON")."""
    readings = [name]
    split = _GLUED_PREFIX.sub(lambda m: m.group(1) + " ", name.strip())
    if split != name.strip():
        readings.append(split)
    return readings


def resolve_name(name: str | None, province: str | None) -> str | None:
    """The regency a file's name stands for (within ``province`` if given), or ``None``."""
    if not name:
        return None
    for reading in _name_readings(name):
        found = resolver.resolve_one(reading, province)
        if found.code is not None and not regions.is_province_code(found.code):
            return found.code
    return None


def suggestions(name: str | None, province: str | None, n: int = 3
                ) -> tuple[tuple[str, str], ...]:
    """The ``n`` regencies whose names are nearest to ``name`` (within ``province``)."""
    if not name:
        return ()
    frame = regions.regencies(province) if province else regions.regencies()
    choices = {row.code: resolver.key(row.short_name) for row in frame.itertuples()}
    wanted = resolver.key(_GLUED_PREFIX.sub("", name)) or resolver.key(name)
    best = process.extract(wanted, choices, scorer=fuzz.ratio, limit=n)
    return tuple((code, regions.name_of(code)) for _, _, code in best)


def _lower_map(fields: dict) -> dict[str, str]:
    return {name.lower(): name for name in fields}


def detect_code_field(raw: RawBoundaries) -> str | None:
    """The column whose values read as regency codes (known names first), or ``None``."""
    lowered = _lower_map(raw.fields)
    ordered = [lowered[n] for n in CODE_FIELDS if n in lowered]
    ordered += [f for f in raw.fields if f not in ordered]
    for name in ordered:
        values = [v for v in raw.fields[name] if v]
        if not values:
            continue
        codes = [normalise_code(v) for v in values]
        share = sum(c is not None and regions.is_province_code(c[:2]) for c in codes)
        if share >= CODE_SHARE * len(values):
            return name
    return None


def detect_name_field(raw: RawBoundaries, skip: str | None = None) -> str | None:
    """The text column whose values resolve to regencies most often (a sample of each)."""
    lowered = _lower_map(raw.fields)
    best, best_score = None, 0
    preferred = {lowered[n] for n in NAME_FIELDS if n in lowered}
    for name, values in raw.fields.items():
        if name == skip:
            continue
        sample = [v for v in values if v and not normalise_code(v)][:40]
        if not sample:
            continue
        score = sum(resolve_name(v, None) is not None for v in sample)
        score = score * 2 + (1 if name in preferred else 0)
        if score > best_score:
            best, best_score = name, score
    return best if best_score >= 2 else None


def _field(raw: RawBoundaries, wanted: str | None, what: str) -> str | None:
    if wanted is None:
        return None
    exact = {n.lower(): n for n in raw.fields}.get(wanted.lower())
    if exact is None:
        raise BoundaryFileError("no_field", field=wanted, what=what,
                                fields=", ".join(list(raw.fields)[:12]))
    return exact


def match(raw: RawBoundaries, *, level: str = "regency", code_field: str | None = None,
          name_field: str | None = None, picks: dict[int, str] | None = None) -> MatchReport:
    """Place every feature of ``raw`` on a region of the reference (see the module's text).

    ``picks`` maps a feature's index to the code an admin chose for it in the preview (an
    unmatched feature's suggestion, or any regency); picks win over what matching found.

    Raises
    ------
    BoundaryFileError
        A level other than regencies (district and village references are not here yet), a
        named field the file lacks, or a file with neither a name field nor readable names.
    """
    if level not in LEVELS:
        raise BoundaryFileError("level", level=level, levels=", ".join(LEVELS))
    if level != "regency":
        return _match_units(raw, level, code_field, name_field, picks)
    code_field = _field(raw, code_field, "code") or detect_code_field(raw)
    name_field = _field(raw, name_field, "name") or detect_name_field(raw, skip=code_field)
    if name_field is None:
        raise BoundaryFileError("no_names", fields=", ".join(list(raw.fields)[:12]))
    names = raw.fields[name_field]
    codes = raw.fields[code_field] if code_field else [None] * raw.features
    picks = dict(picks or {})
    present = [i for i, w in enumerate(raw.wkb) if w is not None]

    # 1. Codes, where the name agrees; else the name within the code's province.
    found: dict[int, tuple[str, str]] = {}
    disagreed = 0
    correspondences: dict[str, str] = {}
    for i in present:
        candidate = normalise_code(codes[i])
        if candidate is None:
            continue
        by_name = resolve_name(names[i], candidate[:2])
        if by_name is None:
            continue
        if by_name == candidate:
            found[i] = (candidate, "code")
        else:
            found[i] = (by_name, "name")
            disagreed += 1
            correspondences[str(codes[i])] = by_name

    # 2. Names alone: nationally, then within the province(s) the file turned out to cover.
    for i in present:
        if i not in found and (code := resolve_name(names[i], None)) is not None:
            found[i] = (code, "name")
    provinces = Counter(code[:2] for code, _ in found.values())
    if len(provinces) == 1:
        (only,) = provinces
        for i in present:
            if i not in found and (code := resolve_name(names[i], only)) is not None:
                found[i] = (code, "name")
    for i, code in picks.items():
        if 0 <= i < raw.features and regions.is_valid_code(code):
            found[i] = (code, "picked")

    matched = [Match(i, code, names[i], codes[i], method)
               for i, (code, method) in sorted(found.items())]
    scope = sorted({m.code[:2] for m in matched})
    unmatched = []
    for i in present:
        if i in found:
            continue
        hint = normalise_code(codes[i])
        province = hint[:2] if hint and regions.is_province_code(hint[:2]) else (
            scope[0] if len(scope) == 1 else None)
        unmatched.append(Unmatched(i, names[i], codes[i], suggestions(names[i], province)))
    by_code: dict[str, list[int]] = {}
    for m in matched:
        by_code.setdefault(m.code, []).append(m.index)
    duplicates = {c: idx for c, idx in by_code.items() if len(idx) > 1}
    covered = set(by_code)
    missing = [c for p in scope for c in regions.regencies(p)["code"] if c not in covered]
    system = None if code_field is None else ("other" if disagreed else "kemendagri")
    return MatchReport(level, code_field, name_field, matched, unmatched, duplicates, missing,
                       scope, system, correspondences)


def _match_units(raw: RawBoundaries, level: str, code_field: str | None,
                 name_field: str | None, picks: dict[int, str] | None) -> MatchReport:
    """Districts and villages (:mod:`cakupan.geo.byo.match_units`), reported the same way."""
    from cakupan.geo.byo import match_units as mu

    code_field, name_field, found, correspondences, regency_of = mu.place_units(
        raw, level, _field(raw, code_field, "code"), _field(raw, name_field, "name"),
        lambda v: resolve_name(v, None))
    for i, code in (picks or {}).items():
        if 0 <= i < raw.features and mu.normalise_unit_code(code, level) == code:
            found[i] = (code, "picked")
    names = raw.fields[name_field]
    codes = raw.fields[code_field] if code_field else [None] * raw.features
    matched = [Match(i, code, names[i], codes[i], method)
               for i, (code, method) in sorted(found.items())]
    unmatched = [Unmatched(i, names[i], codes[i],
                           mu.unit_suggestions(names[i], level, regency_of.get(i)))
                 for i, w in enumerate(raw.wkb) if w is not None and i not in found]
    by_code: dict[str, list[int]] = {}
    for m in matched:
        by_code.setdefault(m.code, []).append(m.index)
    scope = sorted({m.code[:5] for m in matched})
    missing = [c for r in scope for c in mu.reference_codes(level, r) if c not in by_code]
    disagreed = sum(1 for m in matched if m.method == "name" and m.file_code)
    system = None if code_field is None else ("other" if disagreed else "kemendagri")
    return MatchReport(level, code_field, name_field, matched, unmatched,
                       {c: idx for c, idx in by_code.items() if len(idx) > 1}, missing,
                       sorted({c[:2] for c in scope}), system, correspondences)
