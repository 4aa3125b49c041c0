"""Resolve village (desa/kelurahan) names, as people write them, within one regency.

The rule is the regency resolver's (``resolve``): exact, then fuzzy with the same threshold and
margin; anything uncertain gets no code, because a wrong village puts a branch's figures on a
neighbour. Only the regency's villages (and the district's, when one is given) are candidates:
village names repeat across Indonesia (there are hundreds of "Sukamaju"), rarely within one
district.

People often write a local word for "village" in front of the name -- desa/ds., kelurahan/kel.,
negeri (central Maluku, Ambon), ohoi (the Kei islands), kampung, gampong (Aceh), nagari
(West Sumatra) -- which the official names usually omit but sometimes contain (Ambon's
"Negeri Lama" is that village's own name). So the name is tried as written first, then without
the word. Between namesakes, "kelurahan"/"kel." then picks the kelurahan and every other word the
desa (negeri, ohoi, kampung, gampong and nagari are desa in Kemendagri's codes), which is what
tells Ambon's Kelurahan Nusaniwe from Negeri Nusaniwe in the same district; a bare "Nusaniwe"
is ambiguous and gets no code.

Examples
--------
>>> [r.code for r in resolve_villages(["Desa Wowonda", "Olilit Raya", "Xyzzy"], "81.03")]
['81.03.01.2002', '81.03.01.2007', None]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from rapidfuzz import fuzz, process

from cakupan.core.errors import CakupanError
from cakupan.regions import reference
from cakupan.regions import villages as ref
from cakupan.regions.resolve import MARGIN, MIN_FUZZY_LENGTH, THRESHOLD, Resolution, tokens

#: Leading words meaning "village", and the kind of village each implies (None: either).
VILLAGE_WORDS: dict[tuple[str, ...], str | None] = {
    ("kelurahan",): "kelurahan",
    ("kel",): "kelurahan",
    ("desa", "adat"): "desa",
    ("desa",): "desa",
    ("ds",): "desa",
    ("negeri",): "desa",
    ("ohoi",): "desa",
    ("kampung",): "desa",
    ("kampong",): "desa",
    ("gampong",): "desa",
    ("nagari",): "desa",
}


def readings(text: str) -> list[tuple[str | None, str]]:
    """(kind hint, key) readings: as written, then without a leading village word.

    >>> readings("Kel. Nusaniwe")
    [(None, 'kelnusaniwe'), ('kelurahan', 'nusaniwe')]
    """
    words = tokens(text)
    found: list[tuple[str | None, str]] = [(None, "".join(words))]
    for prefix in sorted(VILLAGE_WORDS, key=len, reverse=True):
        n = len(prefix)
        if tuple(words[:n]) == prefix and len(words) > n:
            found.append((VILLAGE_WORDS[prefix], "".join(words[n:])))
            break
    return [(kind, k) for kind, k in found if k]


@dataclass(frozen=True)
class _Scope:
    exact: dict[str, tuple[str, ...]]  # key -> village codes
    keys: tuple[str, ...]  # for fuzzy matching, one per village
    codes: tuple[str, ...]  # the village of each key
    kinds: dict[str, str]  # code -> desa | kelurahan
    names: dict[str, str]  # code -> official name


@cache
def _scope(regency: str, district: str | None) -> _Scope:
    frame = ref.villages_of(regency, district)
    exact: dict[str, list[str]] = defaultdict(list)
    keys, codes = [], []
    for code, name in zip(frame["code"], frame["name"], strict=True):
        k = "".join(tokens(name))
        exact[k].append(code)
        keys.append(k)
        codes.append(code)
    return _Scope({k: tuple(v) for k, v in exact.items()}, tuple(keys), tuple(codes),
                  dict(zip(frame["code"], frame["kind"], strict=True)),
                  dict(zip(frame["code"], frame["name"], strict=True)))


def _found(text: str, scope: _Scope, code: str, method: str, score: float) -> Resolution:
    return Resolution(text, code, scope.names[code], method, score)  # type: ignore[arg-type]


def _none(text: str, candidates: Iterable[str] = ()) -> Resolution:
    return Resolution(text, None, None, "none", 0.0, candidates=tuple(sorted(set(candidates))))


def check_scope(regency: str, district: str | None = None) -> tuple[str, str | None]:
    """The scope as codes, or a CakupanError saying what was expected.

    ``district`` may be a district code (``"81.03.01"``), its last two digits (``"01"``) or its
    name as written ("Tanimbar Selatan", "Kec. Tanimbar Selatan").
    """
    regency = regency.strip()
    if not reference.is_valid_code(regency) or reference.is_province_code(regency):
        raise CakupanError(f"unknown regency code {regency!r}; expected PP.RR such as '81.03'")
    if district is None or not district.strip():
        return regency, None
    text = district.strip()
    if ref.is_district_code(text) and text.startswith(regency + "."):
        return regency, text
    if text.isdigit() and ref.is_district_code(f"{regency}.{text.zfill(2)}"):
        return regency, f"{regency}.{text.zfill(2)}"
    words = tokens(text)
    if words[:1] in (["kecamatan"], ["kec"]) and len(words) > 1:
        words = words[1:]
    wanted = "".join(words)
    matches = [row.code for row in ref.districts_of(regency).itertuples()
               if "".join(tokens(row.name)) == wanted]
    if len(matches) == 1:
        return regency, matches[0]
    raise CakupanError(f"unknown district {district!r} in {regency}; expected one of "
                       + ", ".join(ref.districts_of(regency)["name"]))


def _resolve(text: str, scope: _Scope) -> Resolution:
    reads = readings(text)
    if not reads:
        return _none(text)
    for kind, k in reads:
        codes = list(scope.exact.get(k, ()))
        # The village word picks between namesakes; it does not veto the only one, since
        # people write "Desa" for a kelurahan too.
        codes = [c for c in codes if scope.kinds[c] == kind] or codes
        if len(codes) == 1:
            return _found(text, scope, codes[0], "exact", 1.0)
        if len(codes) > 1:
            return _none(text, codes)
    kind, k = reads[-1]
    if len(k) < MIN_FUZZY_LENGTH:
        return _none(text)
    best: dict[str, float] = {}
    for _, score, i in process.extract(k, scope.keys, scorer=fuzz.ratio, limit=20,
                                       score_cutoff=(THRESHOLD - MARGIN) * 100):
        code = scope.codes[i]
        best[code] = max(score, best.get(code, 0.0))
    if not best:
        return _none(text)
    ranked = sorted(best.items(), key=lambda item: -item[1])
    top_code, top = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    if top >= THRESHOLD * 100 and top - runner_up >= MARGIN * 100:
        return _found(text, scope, top_code, "fuzzy", top / 100)
    return _none(text, [c for c, _ in ranked[:3]])


def resolve_village(name: str, regency: str, district: str | None = None) -> Resolution:
    """Resolve one village name within ``regency`` (``"81.03"``), optionally one district.

    Raises
    ------
    CakupanError
        If the regency or district is unknown.
    """
    return _resolve(name, _scope(*check_scope(regency, district)))


def resolve_villages(names: Iterable[str], regency: str,
                     district: str | None = None) -> list[Resolution]:
    """Resolve many village names in one scope, in order."""
    scope = _scope(*check_scope(regency, district))
    return [_resolve(name, scope) for name in names]
