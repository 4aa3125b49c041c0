"""Matching districts (kecamatan) and villages (desa/kelurahan) of a boundary file.

The rule is the regencies' (:mod:`cakupan.geo.byo.match`): a code (``81.03.01`` /
``810301``, ``81.03.01.2002`` / ``8103012002``) counts only where the feature's name agrees
with it, within its regency (and district); otherwise, or without codes, the name is resolved
within the regency named by another field of the file (geoportal files carry ``WADMKK``).
Villages go through :func:`cakupan.regions.village_names.resolve_village` (local words such
as "Desa", "Negeri", "Ohoi"; namesakes; unsure means no code); districts are compared by
their normalised names, fuzzy only above the resolver's threshold and margin.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from rapidfuzz import fuzz, process

from cakupan.core.errors import CakupanError
from cakupan.geo.byo.errors import BoundaryFileError
from cakupan.geo.byo.read import RawBoundaries
from cakupan.regions import resolve as resolver
from cakupan.regions import village_names
from cakupan.regions import villages as units

DIGITS = {"district": 6, "village": 10}
_DISTRICT_PREFIX = re.compile(r"^(KECAMATAN|KEC\.?)\s*", re.IGNORECASE)


def normalise_unit_code(value: str | None, level: str) -> str | None:
    """``810301`` / ``81.03.01`` -> ``"81.03.01"``; ``8103012002`` -> ``"81.03.01.2002"``."""
    if not value:
        return None
    digits = re.sub(r"[.\s\-_/]", "", str(value).strip())
    if not re.fullmatch(rf"\d{{{DIGITS[level]}}}", digits):
        return None
    code = f"{digits[:2]}.{digits[2:4]}.{digits[4:6]}"
    return code if level == "district" else f"{code}.{digits[6:]}"


def _district_choices(regency: str) -> dict[str, str]:
    try:
        frame = units.districts_of(regency)
    except CakupanError:
        return {}
    return {row.code: resolver.key(row.name) for row in frame.itertuples()}


def resolve_district(name: str | None, regency: str) -> str | None:
    """The district of ``regency`` this name stands for, or ``None`` when unsure."""
    if not name:
        return None
    wanted = resolver.key(_DISTRICT_PREFIX.sub("", name.strip()))
    choices = _district_choices(regency)
    exact = [c for c, k in choices.items() if k == wanted]
    if len(exact) == 1:
        return exact[0]
    if exact or len(wanted) < resolver.MIN_FUZZY_LENGTH:
        return None
    best = process.extract(wanted, choices, scorer=fuzz.ratio, limit=2)
    if not best or best[0][1] / 100 < resolver.THRESHOLD:
        return None
    if len(best) > 1 and (best[0][1] - best[1][1]) / 100 < resolver.MARGIN:
        return None
    return best[0][2]


def resolve_unit(name: str | None, level: str, regency: str,
                 district: str | None = None) -> str | None:
    """A district or village code for ``name`` within ``regency`` (and ``district``)."""
    if not name:
        return None
    if level == "district":
        return resolve_district(name, regency)
    try:
        return village_names.resolve_village(name, regency, district).code
    except CakupanError:
        return None


def unit_suggestions(name: str | None, level: str, regency: str | None, n: int = 3
                     ) -> tuple[tuple[str, str], ...]:
    """The ``n`` units of ``regency`` whose names are nearest to ``name``."""
    if not name or not regency:
        return ()
    try:
        frame = (units.districts_of(regency) if level == "district"
                 else units.villages_of(regency))
    except CakupanError:
        return ()
    names = dict(zip(frame["code"], frame["name"], strict=True))
    choices = {c: resolver.key(n) for c, n in names.items()}
    best = process.extract(resolver.key(name), choices, scorer=fuzz.ratio, limit=n)
    return tuple((code, names[code]) for _, _, code in best)


def unit_name(code: str, level: str) -> str:
    return units.district_name(code) if level == "district" else units.village(code).name


def reference_codes(level: str, regency: str) -> list[str]:
    """Every district or village of ``regency`` in the reference."""
    try:
        frame = (units.districts_of(regency) if level == "district"
                 else units.villages_of(regency))
    except CakupanError:
        return []
    return list(frame["code"])


def _best_field(raw: RawBoundaries, score: Callable[[str, int], bool],
                skip: set[str]) -> str | None:
    """The column (not in ``skip``) whose first 40 values satisfy ``score`` most often."""
    best, best_n = None, 0
    for field, values in raw.fields.items():
        if field in skip:
            continue
        sample = [(v, i) for i, v in enumerate(values) if v][:40]
        n = sum(score(v, i) for v, i in sample)
        if n > best_n:
            best, best_n = field, n
    return best if best_n >= 1 else None


def place_units(raw: RawBoundaries, level: str, code_field: str | None,
                name_field: str | None, resolve_regency: Callable[[str | None], str | None]
                ) -> tuple[str | None, str | None, dict[int, tuple[str, str]], dict[str, str],
                           dict[int, str]]:
    """``(code_field, name_field, found, correspondences, regency of each feature)``."""
    if code_field is None:
        for field, values in raw.fields.items():
            present = [v for v in values if v]
            if present and sum(normalise_unit_code(v, level) is not None
                               for v in present) >= 0.8 * len(present):
                code_field = field
                break
    codes = raw.fields[code_field] if code_field else [None] * raw.features
    hinted = [normalise_unit_code(c, level) for c in codes]
    regency_of: dict[int, str] = {i: h[:5] for i, h in enumerate(hinted) if h}
    if len(regency_of) < raw.features:  # names only: the regency from a field of its own
        field = _best_field(raw, lambda v, i: resolve_regency(v) is not None,
                            {f for f in (code_field, name_field) if f})
        if field is not None:
            for i, v in enumerate(raw.fields[field]):
                if i not in regency_of and (r := resolve_regency(v)) is not None:
                    regency_of[i] = r
    if name_field is None:
        def agrees(v: str, i: int) -> bool:
            r = regency_of.get(i)
            return r is not None and resolve_unit(v, level, r) is not None
        name_field = _best_field(raw, agrees, {f for f in (code_field,) if f})
    if name_field is None:
        raise BoundaryFileError("no_names", fields=", ".join(list(raw.fields)[:12]))
    names = raw.fields[name_field]
    found: dict[int, tuple[str, str]] = {}
    correspondences: dict[str, str] = {}
    for i, w in enumerate(raw.wkb):
        if w is None or i not in regency_of:
            continue
        hint = hinted[i]
        district = hint[:8] if hint and level == "village" else None
        by_name = resolve_unit(names[i], level, regency_of[i], district) or (
            resolve_unit(names[i], level, regency_of[i]) if district else None)
        if by_name is None:
            continue
        if hint == by_name:
            found[i] = (hint, "code")
        else:
            found[i] = (by_name, "name")
            if codes[i]:
                correspondences[str(codes[i])] = by_name
    return code_field, name_field, found, correspondences, regency_of
