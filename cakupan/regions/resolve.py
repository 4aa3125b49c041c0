"""Resolve the region names people actually write to Kemendagri codes.

Order, first hit wins:

1. **exact**: the name equals a region's official name after normalisation (case, accents,
   punctuation and hyphens, spaces -- so "Bau-Bau", "Baubau" and "Bau Bau" are one name --
   "Kep." read as "Kepulauan", and a leading "Kabupaten"/"Kab."/"Kota"/"Provinsi"/"Prov."/
   "Pemprov"/"Pemkab"/"Pemkot"/"Pemerintah ..." taken as a hint of the kind of region);
2. **alias**: the same normalised name in ``data/region_aliases.csv`` (press abbreviations such
   as "Konsel", former names such as "Maluku Tenggara Barat", variants such as "Aru");
3. **fuzzy**: rapidfuzz similarity against official names and the longer aliases, only within
   the province when one is given, accepted only above :data:`THRESHOLD` *and* at least
   :data:`MARGIN` ahead of the best other region.

Anything else gets ``code=None, method="none"``: a wrong code would silently put figures on
the wrong regency, while a missing one is reported and can be fixed in the alias table.

Conventions (decided here, pinned by tests):

* A bare name shared by several regions is ambiguous and resolves to none, with the
  candidates listed: "Kupang" (Kabupaten 53.01 or Kota 53.71 -- the press uses it for both, and
  a dateline "Kupang (ANTARA)" means the city), "Gorontalo", "Jambi", "Bengkulu", "Bogor".
  "Kota Kupang" / "Kabupaten Kupang" / "Provinsi Jambi" are not ambiguous.
* A town is not a region: "Labuan Bajo" (capital of Manggarai Barat, 53.15) resolves to none,
  as does "Saumlaki"; figures for a town are not figures for its regency.
* A province scope is a constraint, not a preference: with ``province="53"`` the name "Konsel"
  (74.05) resolves to none. The province itself is inside its own scope ("Sultra" with "74").
* "Name (Aside)", as articles introduce abbreviations: the name decides, an aside naming a
  province scopes it ("Banjar (Kalsel)" -> 63.03), an aside naming another region makes the
  input contradict itself -> none ("Konawe Selatan (Koltim)").
* An official name beats common usage: "Yogyakarta" is Kota Yogyakarta (34.71), because the
  province's official name is "Daerah Istimewa Yogyakarta" (alias "DIY").

Examples
--------
>>> [r.code for r in resolve(["Konsel", "Kota Baubau", "MTB", "Kupang", "Xyzzy"])]
['74.05', '74.72', '81.03', None, None]
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Literal

from rapidfuzz import fuzz, process

from cakupan.core.errors import CakupanError
from cakupan.core.settings import DATA_DIR
from cakupan.regions import reference as regions

ALIASES_CSV: Path = DATA_DIR / "region_aliases.csv"
ALIAS_COLUMNS = ("alias", "code", "kind", "note")
ALIAS_KINDS = ("abbreviation", "former_name", "variant")

#: Lowest fuzzy similarity (0..1, rapidfuzz ``ratio`` on the normalised name) accepted.
THRESHOLD = 0.86
#: How far the best region must lead the best *other* region for a fuzzy match to count.
MARGIN = 0.06
#: Names shorter than this (normalised, without spaces) are never fuzzy-matched: one typo in
#: "TTS" is "TTU", another regency.
MIN_FUZZY_LENGTH = 4

Method = Literal["exact", "alias", "fuzzy", "none"]


@dataclass(frozen=True)
class Resolution:
    """The outcome for one input name.

    ``score`` is the confidence in ``code``: 1.0 for exact and alias matches, the similarity
    for fuzzy ones, 0.0 when nothing was accepted. ``candidates`` lists the codes that were
    too close to call (ambiguous names, uncertain fuzzy matches); ``alias`` is the alias-table
    entry that matched, if any. Neither is part of the JSON of CONTRACTS.md.
    """

    input: str
    code: str | None
    name: str | None
    method: Method
    score: float
    candidates: tuple[str, ...] = field(default=(), compare=False)
    alias: str | None = field(default=None, compare=False)

    @property
    def resolved(self) -> bool:
        return self.code is not None

    def to_dict(self) -> dict[str, object]:
        """The JSON object of ``regions resolve --json`` (CONTRACTS.md, command 2)."""
        return {"input": self.input, "code": self.code, "name": self.name,
                "method": self.method, "score": round(self.score, 4)}


@dataclass(frozen=True)
class Alias:
    """One row of the alias table."""

    alias: str
    code: str
    kind: str  # "abbreviation" | "former_name" | "variant"
    note: str  # where the alias is used, e.g. "press abbreviation (Zonasultra 2018)"


# --- normalisation -------------------------------------------------------------------------

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_APOSTROPHES = re.compile(r"['`’‘]")
#: Leading words that say which kind of region is meant; longest first.
_KIND_PREFIXES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("pemerintah", "provinsi"), "provinsi"),
    (("pemerintah", "kabupaten"), "kabupaten"),
    (("pemerintah", "kota"), "kota"),
    (("kabupaten", "administrasi"), "kabupaten"),
    (("kota", "administrasi"), "kota"),
    (("provinsi",), "provinsi"),
    (("prov",), "provinsi"),
    (("propinsi",), "provinsi"),
    (("pemprov",), "provinsi"),
    (("kabupaten",), "kabupaten"),
    (("kab",), "kabupaten"),
    (("pemkab",), "kabupaten"),
    (("kota",), "kota"),
    (("kotamadya",), "kota"),
    (("pemkot",), "kota"),
)
_TOKEN_EXPANSIONS = {"kep": "kepulauan"}


def tokens(text: str) -> list[str]:
    """Lower-case ASCII words of ``text``: accents dropped, punctuation and hyphens split.

    >>> tokens("Kab. Bau-Bau’s  Kep. Ā")
    ['kab', 'bau', 'baus', 'kepulauan', 'a']
    """
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    words = _NOT_ALNUM.sub(" ", _APOSTROPHES.sub("", ascii_text)).split()
    return [_TOKEN_EXPANSIONS.get(w, w) for w in words]


def split_kind(words: list[str]) -> tuple[str | None, list[str]]:
    """Strip a leading kind word ("Kabupaten", "Kota", "Pemprov", ...); return (kind, rest)."""
    for prefix, kind in _KIND_PREFIXES:
        n = len(prefix)
        if tuple(words[:n]) == prefix and len(words) > n:
            return kind, words[n:]
    return None, words


def key(text: str) -> str:
    """The comparison key of a name: its words joined without spaces ("Bau-Bau" -> "baubau")."""
    return "".join(tokens(text))


def _readings(text: str) -> list[tuple[str | None, str]]:
    """Ways to read an input as (kind hint, key): as written, then without a kind prefix.

    The literal reading comes first so that "Kota Baru" can still find Kabupaten Kotabaru.
    """
    words = tokens(text)
    kind, rest = split_kind(words)
    readings: list[tuple[str | None, str]] = [(None, "".join(words))]
    if kind is not None:
        readings.append((kind, "".join(rest)))
    return readings


# --- the alias table and the cached indexes ------------------------------------------------

def load_aliases(path: Path = ALIASES_CSV) -> list[Alias]:
    """Read and check the alias table (columns ``alias,code,kind,note``)."""
    if not path.exists():
        raise CakupanError(f"alias table {path} not found")
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in ALIAS_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise CakupanError(f"{path.name} lacks columns {missing}; "
                               f"expected {list(ALIAS_COLUMNS)}")
        rows = [Alias(**{c: (r[c] or "").strip() for c in ALIAS_COLUMNS}) for r in reader]
    bad = [(i + 2, a.kind) for i, a in enumerate(rows) if a.kind not in ALIAS_KINDS]
    if bad:
        raise CakupanError(f"{path.name}: rows {bad} have an unknown kind; "
                           f"expected one of {list(ALIAS_KINDS)}")
    empty = [i + 2 for i, a in enumerate(rows) if not key(a.alias) or not a.code]
    if empty:
        raise CakupanError(f"{path.name}: rows {empty} lack an alias or a code")
    return rows


@dataclass(frozen=True)
class _Index:
    official: dict[str, tuple[str, ...]]  # key -> codes whose official short name has this key
    aliases: dict[str, tuple[Alias, ...]]  # key -> alias rows (of known codes)
    kinds: dict[str, str]  # code -> "provinsi" | "kabupaten" | "kota"
    provinces: dict[str, str]  # code -> province code


def _official_index() -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = defaultdict(list)
    for row in regions.load_regions().itertuples(index=False):
        found[key(row.short_name)].append(row.code)
    return {k: tuple(v) for k, v in found.items()}


@cache
def _index() -> _Index:
    frame = regions.load_regions()
    by_alias: dict[str, list[Alias]] = defaultdict(list)
    for alias in load_aliases():
        if regions.is_valid_code(alias.code):  # unknown codes are reported by alias_report()
            by_alias[key(alias.alias)].append(alias)
    return _Index(
        official=_official_index(),
        aliases={k: tuple(v) for k, v in by_alias.items()},
        kinds=dict(zip(frame["code"], frame["kind"], strict=True)),
        provinces=dict(zip(frame["code"], frame["province_code"], strict=True)),
    )


@cache
def _fuzzy_choices(province: str | None, kind: str | None,
                   ) -> tuple[tuple[str, ...], tuple[tuple[str, str | None], ...]]:
    """Keys to fuzzy-match against, and for each the (code, alias or None) it stands for.

    Short aliases are left out: at three or four letters every typo is another abbreviation.
    """
    index = _index()
    keys: list[str] = []
    targets: list[tuple[str, str | None]] = []

    def add(k: str, code: str, alias: str | None) -> None:
        if _in_scope(code, province, kind):
            keys.append(k)
            targets.append((code, alias))

    for k, codes in index.official.items():
        for code in codes:
            add(k, code, None)
    for k, rows in index.aliases.items():
        if len(k) >= 5:
            for row in rows:
                add(k, row.code, row.alias)
    return tuple(keys), tuple(targets)  # shared by the cache: immutable


def _in_scope(code: str, province: str | None, kind: str | None) -> bool:
    index = _index()
    return ((province is None or index.provinces[code] == province)
            and (kind is None or index.kinds[code] == kind))


# --- resolution ----------------------------------------------------------------------------

def _found(text: str, code: str, method: Method, score: float,
           alias: str | None = None) -> Resolution:
    return Resolution(text, code, regions.name_of(code), method, score, alias=alias)


def _none(text: str, candidates: Iterable[str] = ()) -> Resolution:
    return Resolution(text, None, None, "none", 0.0, candidates=tuple(sorted(set(candidates))))


def _check_province(province: str | None) -> str | None:
    if province is None:
        return None
    province = province.strip()
    if not regions.is_province_code(province):
        codes = ", ".join(regions.provinces()["code"])
        raise CakupanError(f"unknown province code {province!r}; expected one of {codes}")
    return province


def _resolve(text: str, province: str | None) -> Resolution:
    index = _index()
    readings = [(kind, k) for kind, k in _readings(text) if k]
    if not readings:
        return _none(text)

    # 1. exact; 2. alias -- each tried on every reading before moving to the next step
    for kind, k in readings:
        codes = [c for c in index.official.get(k, ()) if _in_scope(c, province, kind)]
        if len(codes) == 1:
            return _found(text, codes[0], "exact", 1.0)
        if len(codes) > 1:
            return _none(text, codes)
    for kind, k in readings:
        rows = [a for a in index.aliases.get(k, ()) if _in_scope(a.code, province, kind)]
        codes = sorted({a.code for a in rows})
        if len(codes) == 1:
            return _found(text, codes[0], "alias", 1.0, alias=rows[0].alias)
        if len(codes) > 1:
            return _none(text, codes)

    # 3. fuzzy, on the reading without the kind word (it carries the kind as a filter)
    kind, k = readings[-1]
    if len(k) < MIN_FUZZY_LENGTH:
        return _none(text)
    keys, targets = _fuzzy_choices(province, kind)
    cutoff = (THRESHOLD - MARGIN) * 100
    best: dict[str, tuple[float, str | None]] = {}
    for _, score, i in process.extract(k, keys, scorer=fuzz.ratio, score_cutoff=cutoff,
                                       limit=20):
        code, alias = targets[i]
        if code not in best or score > best[code][0]:
            best[code] = (score, alias)
    if not best:
        return _none(text)
    ranked = sorted(best.items(), key=lambda item: -item[1][0])
    top_code, (top_score, top_alias) = ranked[0]
    runner_up = ranked[1][1][0] if len(ranked) > 1 else 0.0
    if top_score >= THRESHOLD * 100 and top_score - runner_up >= MARGIN * 100:
        return _found(text, top_code, "fuzzy", top_score / 100, alias=top_alias)
    return _none(text, [c for c, _ in ranked[:3]])


_PARENTHESIS = re.compile(r"^(?P<main>[^()]*?)\s*\((?P<aside>[^()]*)\)\s*$")


def _resolve_annotated(text: str, province: str | None) -> Resolution:
    """Resolve "Konawe Selatan (Konsel)", the way articles introduce an abbreviation.

    The part before the parenthesis decides. An aside naming a province scopes it
    ("Banjar (Kalsel)"); any other aside must name the same region, else the input
    contradicts itself and resolves to none.
    """
    match = _PARENTHESIS.match(text)
    if match is None or not match["main"].strip():
        return _resolve(text, province)
    aside = _resolve(match["aside"], None)  # unscoped, so that it can contradict the scope
    if aside.code is not None and regions.is_province_code(aside.code):
        if province not in (None, aside.code):
            return _none(text)
        province = aside.code
    main = _resolve(match["main"], province)
    if main.code is not None and aside.code not in (None, main.code, province):
        return _none(text, [main.code, aside.code])
    return replace(main, input=text)


def resolve_one(name: str, province: str | None = None) -> Resolution:
    """Resolve one free-text region name.

    Parameters
    ----------
    name
        As written by a person: "Kab. Konawe Selatan", "Konsel", "Kota Bau-Bau", "Sultra",
        "Konawe Selatan (Konsel)".
    province
        Province code ``PP`` to restrict the match to that province (and the province itself).

    Raises
    ------
    CakupanError
        If ``province`` is not one of the 38 province codes.
    """
    return _resolve_annotated(name, _check_province(province))


def resolve(names: Iterable[str], province: str | None = None) -> list[Resolution]:
    """Resolve many names, in order; see :func:`resolve_one`."""
    scope = _check_province(province)
    return [_resolve_annotated(name, scope) for name in names]


# --- reports (STYLE.md item 6: names are data, with warnings) -------------------------------

@dataclass(frozen=True)
class AliasReport:
    """Problems in the alias table, and aliases a batch of resolutions never used.

    ``redundant`` aliases equal their own region's official name, so the exact step always
    wins and the row is dead weight; ``collisions`` equal another region's official name, so
    they can never be reached and suggest a wrong row.
    """

    unknown_codes: list[str]  # "alias -> code" rows whose code is not in the reference
    duplicates: list[str]  # normalised alias keys listed more than once
    collisions: list[str]  # aliases equal to another region's official name
    redundant: list[str]  # aliases equal to their own region's official name
    unused: list[str]  # aliases that none of the given resolutions used

    @property
    def ok(self) -> bool:
        """Whether the table itself is sound (``unused`` depends on the input, not the table)."""
        return not (self.unknown_codes or self.duplicates or self.collisions or self.redundant)


def alias_report(resolutions: Iterable[Resolution] | None = None,
                 aliases: list[Alias] | None = None) -> AliasReport:
    """Check the alias table; with ``resolutions``, also list the aliases they never used.

    Parameters
    ----------
    resolutions
        Results of :func:`resolve` for a batch of names (an import, the seed list). Without
        them ``unused`` lists every alias.
    aliases
        Rows to check instead of ``data/region_aliases.csv`` (for tests).
    """
    rows = load_aliases() if aliases is None else aliases
    official = _official_index()
    counts = Counter(key(a.alias) for a in rows)
    used = {r.alias for r in resolutions or () if r.alias is not None}
    unknown, collisions, redundant = [], [], []
    for a in rows:
        if not regions.is_valid_code(a.code):
            unknown.append(f"{a.alias} -> {a.code}")
            continue
        owners = official.get(key(a.alias), ())
        if a.code in owners:
            redundant.append(a.alias)
        elif owners:
            collisions.append(f"{a.alias} ({a.code}) = official name of {', '.join(owners)}")
    return AliasReport(
        unknown_codes=unknown,
        duplicates=sorted(k for k, n in counts.items() if n > 1),
        collisions=collisions,
        redundant=redundant,
        unused=[a.alias for a in rows if a.alias not in used],
    )


def unmatched(resolutions: Iterable[Resolution]) -> list[str]:
    """Inputs that got no code, in order and without repeats, for a "could not match" notice."""
    seen: dict[str, None] = {}
    for r in resolutions:
        if r.code is None:
            seen.setdefault(r.input, None)
    return list(seen)
