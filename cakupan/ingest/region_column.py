"""The region of every row: a Kemendagri code, a name to resolve, or both cross-checked; the
province scope and the ``pemprov`` (provincial government as employer) rows.

Decisions (pinned by tests): a code wins over a name; a name that resolves to another region is
an error (looked up in the code's province, then in the whole country); a name the resolver
cannot place anywhere is accepted when the code is valid. In a province table (a "Provinsi"
column and no regency column) names resolve to provinces only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from cakupan import regions
from cakupan.ingest.cells import cell_text, code_text, map_distinct
from cakupan.ingest.headers import SCOPE_LABELS, Header, normalise
from cakupan.ingest.results import RowErrors

_PEMPROV = re.compile(r"^\s*(pemprov|pemerintah\s+provinsi|pemda\s+provinsi|pemda\s+prov)\b",
                      re.IGNORECASE)

#: ``resolver(names, province) -> [obj with .code]``; by default
#: :func:`cakupan.regions.resolve.resolve`.
Resolver = Callable[[list[str], str | None], Sequence[Any]]


def default_resolver(names: list[str], province: str | None) -> Sequence[Any]:
    from cakupan.regions.resolve import resolve  # the resolver loads its alias table on first use

    return resolve(names, province=province)


class SavedAliasResolver:
    """A resolver that knows the names editors saved at review (normalised alias -> code)
    before it asks ``fallback`` (default: the project's resolver).

    A class rather than a closure so it can be pickled into the parsing child process.
    """

    def __init__(self, saved: dict[str, str], fallback: Resolver | None = None) -> None:
        self.saved = dict(saved)
        self.fallback = fallback

    def __call__(self, names: list[str], province: str | None) -> list[Any]:
        from cakupan.regions.resolve import Resolution, key

        rest = [n for n in names if key(n) not in self.saved]
        resolver = self.fallback or default_resolver
        found = dict(zip(rest, resolver(rest, province) if rest else [], strict=True))
        out: list[Any] = []
        for name in names:
            code = self.saved.get(key(name))
            if code is not None and (province is None or code[:2] == province):
                out.append(Resolution(name, code, regions.name_of(code), "alias", 1.0))
            elif code is not None:
                out.append(Resolution(name, None, None, "none", 0.0))
            else:
                out.append(found[name])
        return out


def saved_alias_resolver(saved: dict[str, str], fallback: Resolver | None = None) -> Resolver:
    """:class:`SavedAliasResolver` over ``saved`` (what the app and the CLI pass on)."""
    return SavedAliasResolver(saved, fallback)


def resolve_provinces(names: list[str], resolver: Resolver) -> dict[str, str | None]:
    """Province names to province codes. A name that is also a city's ("Jambi", "Bengkulu",
    "Gorontalo") is ambiguous on its own, but not in a province column: it is asked again
    as "Provinsi X". Anything that is not a province is ``None``."""
    out: dict[str, str | None] = {}
    for name, res in zip(names, resolver(names, None) if names else [], strict=True):
        out[name] = res.code if res.code and regions.is_province_code(res.code) else None
    retry = [n for n, code in out.items() if code is None]
    hinted = [f"Provinsi {n}" for n in retry]
    for name, res in zip(retry, resolver(hinted, None) if retry else [], strict=True):
        if res.code and regions.is_province_code(res.code):
            out[name] = res.code
    return out


def resolve_regions(cells: pd.DataFrame, sheet_rows: np.ndarray, fields: dict[str, Header],
                     province: str | None, resolver: Resolver, errors: RowErrors,
                     allowed: frozenset[str] | None = None, *, level: str = "regency",
                     ) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Region code and scope of every data row (``None`` where the row has an error).

    ``allowed``: the provinces the importing editor may change; a row outside them is an
    error that names the row, so the whole file is refused before anything is written.
    ``level="province"``: the region column is a "Provinsi" column (a province table), its
    names resolve to province codes only.

    A code and a name in one row must agree: the name is resolved within the code's
    province and, when it is not found there, in the whole country, so "Kabupaten Bombana"
    beside 81.71 (Kota Ambon) is refused rather than filed under Ambon.
    """
    n = len(cells)
    col = {f: (cells[h.position] if h.position in cells else pd.Series([None] * n))
           for f, h in fields.items()}
    names = (np.array(map_distinct(col["region"], cell_text), dtype=object) if "region" in col
             else np.full(n, None))
    codes = (np.array(map_distinct(col["code"], code_text), dtype=object) if "code" in col
             else np.full(n, None))
    region_h = fields.get("region") or fields.get("code")
    code_h = fields.get("code") or region_h
    assert region_h is not None and code_h is not None

    # Province scope per row: the province column, else the whole-file choice.
    scopes = np.full(n, province, dtype=object)
    if "province" in fields:
        prov_text = map_distinct(col["province"], code_text)
        wanted = sorted({p for p in prov_text if p})
        lookup: dict[str, str | None] = {}
        by_name = [p for p in wanted if not regions.is_province_code(p)]
        for p in wanted:
            lookup[p] = p if regions.is_province_code(p) else None
        lookup.update(resolve_provinces(by_name, resolver))
        for i, p in enumerate(prov_text):
            if p:
                if lookup[p] is None:
                    errors.add(int(sheet_rows[i]), fields["province"].text, "province_invalid",
                               value=p)
                else:
                    scopes[i] = lookup[p]

    # Scope of the figure: the scope column, else "pemprov" for "Pemprov X" names.
    kinds = np.full(n, "region", dtype=object)
    if "scope" in fields:
        for i, raw in enumerate(map_distinct(col["scope"], cell_text)):
            label = SCOPE_LABELS.get(normalise(raw or ""))
            if label is None:
                errors.add(int(sheet_rows[i]), fields["scope"].text, "scope_invalid", value=raw)
            else:
                kinds[i] = label
    for i, name in enumerate(names):
        if name and _PEMPROV.match(name):
            kinds[i] = "pemprov"

    # Codes first: they decide the province scope for cross-checking the name.
    valid_code = np.array([bool(c) and regions.is_valid_code(c) for c in codes], dtype=bool)
    name_scope = scopes.copy()
    for i in np.flatnonzero(valid_code):
        if name_scope[i] is None:
            name_scope[i] = regions.province_of(codes[i])

    # Resolve each distinct (name, province) once.
    pairs: dict[str | None, list[str]] = {}
    for name, scope in zip(names, name_scope, strict=True):
        if name:
            pairs.setdefault(scope, []).append(name)
    resolved: dict[tuple[str, str | None], str | None] = {}
    if level == "province":
        found = resolve_provinces(list(dict.fromkeys(n for n in names if n)), resolver)
        others = [n for n, code in found.items() if code is None]
        for name, res in zip(others, resolver(others, None) if others else [], strict=True):
            found[name] = res.code  # a regency's name: refused below as not a province
        for name, scope in zip(names, name_scope, strict=True):
            if name:
                resolved[(name, scope)] = found[name]
    else:
        for scope, group in pairs.items():
            unique = list(dict.fromkeys(group))
            for name, res in zip(unique, resolver(unique, scope), strict=True):
                resolved[(name, scope)] = res.code
    # A name beside a code that is not found in the code's province: asked nationally, so a
    # name of another province's region is a contradiction, not an unknown name.
    nationally: dict[str, str | None] = {}
    lost = list(dict.fromkeys(
        name for name, code, ok, scope in zip(names, codes, valid_code, name_scope, strict=True)
        if name and code and ok and scope is not None and resolved.get((name, scope)) is None))
    for name, res in zip(lost, resolver(lost, None) if lost else [], strict=True):
        nationally[name] = res.code

    out = np.full(n, None, dtype=object)
    unmatched: dict[str, None] = {}  # ordered set: a list's `in` made 200k names quadratic
    for i in range(n):
        row = int(sheet_rows[i])
        name, code = names[i], codes[i]
        by_name = resolved.get((name, name_scope[i])) if name else None
        if name and code and by_name is None:
            by_name = nationally.get(name)
        if code and not valid_code[i]:
            errors.add(row, code_h.text, "code_invalid", value=code)
            continue
        if code:
            if by_name and by_name != code:
                errors.add(row, code_h.text, "code_name_mismatch", code=code,
                           code_name=regions.name_of(code), value=name,
                           name_name=regions.name_of(by_name), name_code=by_name)
                continue
            chosen = code
        elif name:
            if not by_name:
                scope_note = (f" ({regions.name_of(name_scope[i])})" if name_scope[i] else "")
                errors.add(row, region_h.text, "region_unmatched", value=name, scope=scope_note)
                unmatched.setdefault(name)
                continue
            chosen = by_name
        else:
            errors.add(row, region_h.text, "region_missing")
            continue
        if scopes[i] and regions.province_of(chosen) != scopes[i]:
            errors.add(row, (code_h if code else region_h).text, "region_outside_province",
                       value=code or name, code=chosen, province=regions.name_of(scopes[i]))
            continue
        if level == "province" and not regions.is_province_code(chosen):
            errors.add(row, (code_h if code else region_h).text, "province_invalid",
                       value=code or name)
            continue
        if kinds[i] == "pemprov" and not regions.is_province_code(chosen):
            errors.add(row, region_h.text, "pemprov_not_province", value=name or code)
            continue
        if allowed is not None and regions.province_of(chosen) not in allowed:
            errors.add(row, (code_h if code else region_h).text, "region_outside_scope",
                       value=code or name, code=chosen, provinces=", ".join(sorted(allowed)))
            continue
        out[i] = chosen
    return out, kinds, list(unmatched)
