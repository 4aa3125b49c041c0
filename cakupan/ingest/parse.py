"""Import a branch's own coverage spreadsheet, or refuse it with messages that say what to fix.

Two steps, so the app can preview before writing:

* :func:`parse_file` is pure: bytes in, tidy observations (the shared schema of the store) and
  row-level errors out. It reads CSV (``,`` ``;`` or tab; UTF-8, UTF-16 or Windows-1252) and
  XLSX, finds the header row below any title rows, and accepts the long layout (one row per
  region, period, segment) and the wide layouts people keep (one column per month or per
  segment). Helpers: :mod:`cakupan.ingest_read` (bytes to cells), :mod:`cakupan.ingest_headers`
  (headers and labels), :mod:`cakupan.numbers`, :mod:`cakupan.ingest_periods`,
  :mod:`cakupan.ingest_messages`.
* :func:`import_file` parses and, only when no row has an error, writes one batch through
  ``cakupan.store.write_batch`` (all-or-nothing; the same file twice is a no-op there).

Decisions (pinned by tests):

* Rows are numbered as the spreadsheet shows them: the header is the row it is in (row 1 in a
  plain file), the first data row the next one, title rows above the header count.
* A region *code* wins over a name; a name that resolves to another region is an error, a name
  the resolver cannot place is accepted when the code is valid.
* "Pemprov X" / "Pemerintah Provinsi X" (or a scope column saying "pemprov") is the provincial
  government as an employer: scope ``pemprov`` on the province code.
* Rows whose region is just "Jumlah" or "Total" (with no code) are a sheet's own sums and are
  skipped; they are not counted in ``rows``.
* Registered greater than eligible is an error, not a warning: one of the two is wrong, and a
  coverage above 100% would be published otherwise.
* In a wide layout, an empty cell means "no figure for that month/segment" and is skipped;
  in the long layout a row with no figure at all is an error.
* Wide cells are registered counts unless the header names another measure ("Potensi Jan
  2024") or the cell is a percentage ("40,5%", or an Excel cell formatted as percent).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cakupan import regions
from cakupan.core.errors import CakupanError
from cakupan.ingest.headers import (
    PROGRAMME_LABELS,
    SCOPE_LABELS,
    SEGMENT_LABELS,
    Header,
    classify_row,
    header_score,
    normalise,
)
from cakupan.ingest.messages import format_message
from cakupan.ingest.numbers import ParsedColumn, parse_numbers
from cakupan.ingest.periods import PeriodError, parse_period
from cakupan.ingest.read import IngestError, read_table

__all__ = [
    "MAX_BYTES", "OBSERVATION_COLUMNS", "ImportResult", "IngestError", "ParseResult",
    "RowError", "import_file", "parse_file",
]

#: Files above this size are refused before they are parsed (a coverage table of every
#: regency for ten years is well under 5 MB).
MAX_BYTES = 20 * 1024 * 1024
#: How far down the header row is looked for (title rows of exported reports).
HEADER_SEARCH_ROWS = 20
SEGMENTS = ("non_asn", "aparatur_desa", "pekerja_rentan", "pu", "bpu", "jakon", "all")
MEASURES = ("registered", "eligible", "coverage")
OBSERVATION_COLUMNS = (
    "period", "region_code", "scope", "segment", "programme", "registered", "eligible",
    "coverage_pct", "illustrative", "source_id", "batch_id", "note",
)
KEY_COLUMNS = ("period", "region_code", "scope", "segment", "programme")
TOTAL_ROW_LABELS = frozenset({
    "jumlah", "total", "grand total", "jumlah total", "total keseluruhan", "jumlah keseluruhan",
    "jumlah seluruhnya", "sub total", "subtotal", "jumlah akhir",
})
_PEMPROV = re.compile(r"^\s*(pemprov|pemerintah\s+provinsi|pemda\s+provinsi|pemda\s+prov)\b",
                      re.IGNORECASE)

#: ``resolver(names, province) -> [obj with .code]``; by default ``cakupan.resolve.resolve``.
Resolver = Callable[[list[str], str | None], Sequence[Any]]


@dataclass(frozen=True)
class RowError:
    """One problem in one cell: ``row`` as the spreadsheet numbers it, ``column`` by its header.

    ``key`` and ``params`` let the app show the message in another language
    (:meth:`in_lang`); only ``row``, ``column`` and ``message`` are in the JSON.
    """

    row: int
    column: str
    message: str
    key: str = ""
    params: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def to_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}

    def in_lang(self, lang: str) -> RowError:
        return RowError(self.row, self.column, format_message(self.key, self.params, lang),
                        self.key, self.params)


@dataclass
class ParseResult:
    """What :func:`parse_file` found.

    ``observations`` has :data:`OBSERVATION_COLUMNS` (only rows without errors);
    ``rows`` counts the data rows read; ``ignored_columns`` lists headers that were not used,
    so the user can see that a "Target" or "Keterangan Lain" column was left out on purpose.
    """

    observations: pd.DataFrame
    errors: list[RowError]
    unmatched: list[str]
    rows: int
    header_row: int = 1
    layout: str = "long"  # "long" | "wide_period" | "wide_segment" | "wide"
    ignored_columns: list[str] = field(default_factory=list)
    sheet: str | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class ImportResult:
    """Outcome of :func:`import_file`; :meth:`to_dict` is the JSON of CONTRACTS.md command 3.

    ``imported`` is the number of observations written by this call: 0 for a dry run, for a
    refused file, and for a file that was already imported (``already_imported``).
    ``would_import`` is how many observations the file holds. ``sha256`` is the batch key
    (see :func:`content_key`).
    """

    batch_id: str | None
    rows: int
    imported: int
    errors: list[RowError]
    unmatched: list[str]
    would_import: int = 0
    dry_run: bool = False
    already_imported: bool = False
    sha256: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict[str, Any]:
        return {"batch_id": self.batch_id, "rows": self.rows, "imported": self.imported,
                "errors": [e.to_dict() for e in self.errors], "unmatched": list(self.unmatched)}


# --- options and header ---------------------------------------------------------------------


def _check_options(segment: str | None, period: str | None,
                   province: str | None) -> tuple[str | None, str | None, str | None]:
    """Whole-file choices, checked before reading so a typo is not reported once per row."""
    if segment is not None:
        seg = segment if segment in SEGMENTS else SEGMENT_LABELS.get(normalise(segment))
        if seg is None:
            raise IngestError("option_segment", value=segment)
        segment = seg
    if period is not None:
        try:
            parsed = parse_period(period)
        except PeriodError:
            parsed = None
        if parsed is None:
            raise IngestError("option_period", value=period)
        period = parsed
    if province is not None and not regions.is_province_code(province):
        raise IngestError("option_province", value=province)
    return segment, period, province


def _find_header(rows: list[list[object]]) -> tuple[int, list[Header]]:
    """Index of the header row: the first of the top rows that names a region or code column
    and a figure column (a field or a wide column), below any title rows."""
    best: tuple[int, int, list[Header]] = (0, -1, [])
    for index, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        headers = classify_row(cells)
        fields = {h.field for h in headers}
        has_region = bool(fields & {"region", "code"})
        has_figure = bool(fields & set(MEASURES)) or any(h.wide for h in headers)
        if has_region and has_figure:
            return index, headers
        score = header_score(headers)
        if score > best[1]:
            best = (index, score, headers)
    index, score, headers = best
    if score < 2:
        raise IngestError("no_header", rows=min(len(rows), HEADER_SEARCH_ROWS))
    if not {h.field for h in headers} & {"region", "code"}:
        raise IngestError("no_region_column")
    raise IngestError("no_figure_column")


def _fields(headers: list[Header]) -> dict[str, Header]:
    fields: dict[str, Header] = {}
    for h in headers:
        if h.field is None:
            continue
        if h.field in fields:
            raise IngestError("duplicate_column", first=fields[h.field].text, second=h.text,
                              field=h.field)
        fields[h.field] = h
    return fields


def _layout(wide: list[Header]) -> str:
    if not wide:
        return "long"
    if all(h.period and not h.segment for h in wide):
        return "wide_period"
    if all(h.segment and not h.period for h in wide):
        return "wide_segment"
    return "wide"


# --- per-row helpers ---------------------------------------------------------------------


class _Errors:
    """Collects row errors once per (row, column, key), in the requested language."""

    def __init__(self, lang: str, order: dict[str, int]) -> None:
        self.lang = lang
        self.order = order
        self.items: dict[tuple[int, str, str], RowError] = {}

    def add(self, row: int, column: str, key: str, **params: Any) -> None:
        slot = (row, column, key)
        if slot not in self.items:
            self.items[slot] = RowError(row, column, format_message(key, params, self.lang),
                                        key, params)

    def sorted(self) -> list[RowError]:
        return sorted(self.items.values(),
                      key=lambda e: (e.row, self.order.get(e.column, 10_000), e.key))


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _umap(values: pd.Series, func: Callable[[object], Any]) -> list[Any]:
    """``[func(v) for v in values]``, computing ``func`` once per distinct value."""
    cache: dict[object, Any] = {}
    out = []
    for v in values.tolist():
        if v not in cache:
            cache[v] = func(v)
        out.append(cache[v])
    return out


def _code_text(value: object) -> str | None:
    """A code cell as text: Excel turns 74.10 into the number 74.1, so floats keep 2 decimals."""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.2f}"
    return _text(value)


def _default_resolver(names: list[str], province: str | None) -> Sequence[Any]:
    from cakupan.regions.resolve import resolve  # the resolver loads its alias table on first use

    return resolve(names, province=province)


# --- regions -----------------------------------------------------------------------------


def _resolve_regions(cells: pd.DataFrame, sheet_rows: np.ndarray, fields: dict[str, Header],
                     province: str | None, resolver: Resolver,
                     errors: _Errors) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Region code and scope of every data row (``None`` where the row has an error)."""
    n = len(cells)
    col = {f: (cells[h.position] if h.position in cells else pd.Series([None] * n))
           for f, h in fields.items()}
    names = (np.array(_umap(col["region"], _text), dtype=object) if "region" in col
             else np.full(n, None))
    codes = (np.array(_umap(col["code"], _code_text), dtype=object) if "code" in col
             else np.full(n, None))
    region_h = fields.get("region") or fields.get("code")
    code_h = fields.get("code") or region_h
    assert region_h is not None and code_h is not None

    # Province scope per row: the province column, else the whole-file choice.
    scopes = np.full(n, province, dtype=object)
    if "province" in fields:
        prov_text = _umap(col["province"], _code_text)
        wanted = sorted({p for p in prov_text if p})
        lookup: dict[str, str | None] = {}
        by_name = [p for p in wanted if not regions.is_province_code(p)]
        found = resolver(by_name, None) if by_name else []
        for p in wanted:
            lookup[p] = p if regions.is_province_code(p) else None
        for p, res in zip(by_name, found, strict=True):
            lookup[p] = res.code if res.code and regions.is_province_code(res.code) else None
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
        for i, raw in enumerate(_umap(col["scope"], _text)):
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
    for scope, group in pairs.items():
        unique = list(dict.fromkeys(group))
        for name, res in zip(unique, resolver(unique, scope), strict=True):
            resolved[(name, scope)] = res.code

    out = np.full(n, None, dtype=object)
    unmatched: list[str] = []
    for i in range(n):
        row = int(sheet_rows[i])
        name, code = names[i], codes[i]
        by_name = resolved.get((name, name_scope[i])) if name else None
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
                if name not in unmatched:
                    unmatched.append(name)
                continue
            chosen = by_name
        else:
            errors.add(row, region_h.text, "region_missing")
            continue
        if scopes[i] and regions.province_of(chosen) != scopes[i]:
            errors.add(row, (code_h if code else region_h).text, "region_outside_province",
                       value=code or name, code=chosen, province=regions.name_of(scopes[i]))
            continue
        if kinds[i] == "pemprov" and not regions.is_province_code(chosen):
            errors.add(row, region_h.text, "pemprov_not_province", value=name or code)
            continue
        out[i] = chosen
    return out, kinds, unmatched


# --- labels ------------------------------------------------------------------------------


def _map_unique(values: pd.Series, func: Callable[[object], Any]) -> list[Any]:
    """Apply ``func`` once per distinct value (files repeat the same labels many times)."""
    cache: dict[Any, Any] = {}
    out = []
    for v in values:
        k = (type(v), v) if v is not None else None
        if k not in cache:
            try:
                cache[k] = func(v)
            except PeriodError as err:
                cache[k] = err
        out.append(cache[k])
    return out


def _row_periods(cells: pd.DataFrame, fields: dict[str, Header]) -> tuple[list[Any], str]:
    """Period of each row from a period column or month + year columns, and the header to
    blame; values are "YYYY-MM", ``None`` (empty) or a :class:`PeriodError`."""
    if "period" in fields:
        h = fields["period"]
        return _map_unique(cells[h.position], parse_period), h.text
    if "month" in fields and "year" in fields:
        m, y = fields["month"], fields["year"]
        joined = [None if (a is None and b is None) else f"{_text(a) or ''} {_text(b) or ''}"
                  for a, b in zip(cells[m.position], cells[y.position], strict=True)]
        return _map_unique(pd.Series(joined, dtype=object), parse_period), f"{m.text}/{y.text}"
    h = fields.get("month") or fields.get("year")
    if h is not None:
        return _map_unique(cells[h.position], parse_period), h.text
    return [None] * len(cells), ""


def _label(mapping: dict[str, str], value: object) -> str | None:
    text = _text(value)
    return mapping.get(normalise(text)) if text else mapping.get("")


# --- parse -------------------------------------------------------------------------------


def parse_file(data: bytes, file_name: str, *, segment: str | None = None,
               period: str | None = None, sheet: str | None = None,
               province: str | None = None, lang: str = "id",
               resolver: Resolver | None = None) -> ParseResult:
    """Read a coverage file into observations and row errors, without writing anything.

    Parameters
    ----------
    data, file_name
        The file's bytes and name (the suffix tells CSV from XLSX).
    segment, period
        Apply to every row of a file that has no such column (or an empty cell in it).
        ``period`` also completes a bare year in the file when the years agree.
    sheet
        XLSX sheet name; default the first sheet.
    province
        Province code ``PP`` that all rows belong to: scopes name matching, and a region
        outside it is an error.
    lang
        Language of the messages, "id" (default) or "en".
    resolver
        Name resolver (tests inject one); default ``cakupan.resolve.resolve``.

    Raises
    ------
    IngestError
        For problems with the whole file (size, type, sheet, header, missing columns).
    """
    if len(data) > MAX_BYTES:
        raise IngestError("file_too_large", size_mb=len(data) / 2**20, limit_mb=MAX_BYTES / 2**20)
    segment, period, province = _check_options(segment, period, province)
    resolver = resolver or _default_resolver
    table = read_table(data, file_name, sheet)
    header_index, headers = _find_header(table.rows)
    fields = _fields(headers)
    wide = [h for h in headers if h.wide]
    used = {h.position for h in wide} | {h.position for h in fields.values()}
    ignored = [h.text for h in headers if h.position not in used]
    if "segment" not in fields and segment is None and not any(h.segment for h in wide):
        raise IngestError("segment_needed")
    has_period_col = bool({"period", "month", "year"} & set(fields))
    if not has_period_col and period is None and not any(h.period for h in wide):
        raise IngestError("period_needed")

    width = max(h.position for h in headers) + 1
    body = table.rows[header_index + 1:]
    sheet_rows_all = np.arange(header_index + 2, header_index + 2 + len(body))
    padded = [(r + [None] * width)[:width] for r in body]
    keep = np.array([any(c is not None for c in r) for r in padded], dtype=bool)
    cells = pd.DataFrame([r for r, k in zip(padded, keep, strict=True) if k],
                         columns=range(width), dtype=object)
    sheet_rows = sheet_rows_all[keep]
    if "region" in fields and len(cells):
        region_keys = pd.Series(_umap(cells[fields["region"].position],
                                      lambda v: normalise(v) if isinstance(v, str) else ""),
                                index=cells.index)
        no_code = (cells[fields["code"].position].isna() if "code" in fields
                   else pd.Series(True, index=cells.index))
        totals = (region_keys.isin(TOTAL_ROW_LABELS) & no_code).to_numpy()
        cells = cells[~totals].reset_index(drop=True)
        sheet_rows = sheet_rows[~totals]
    n = len(cells)
    order = {h.text: h.position for h in headers}
    errors = _Errors(lang, order)
    base = ParseResult(_empty_observations(), [], [], n, header_index + 1, _layout(wide),
                       ignored, table.sheet)
    if n == 0:
        return base

    codes, scopes, unmatched = _resolve_regions(cells, sheet_rows, fields, province, resolver,
                                                errors)
    row_periods, period_col = _row_periods(cells, fields)
    def texts(f: str) -> list[Any]:
        return _umap(cells[fields[f].position], _text) if f in fields else [None] * n

    row_segments, row_programmes, notes = texts("segment"), texts("programme"), texts("note")

    parsed: dict[int, ParsedColumn] = {}

    def numbers(h: Header, integer: bool) -> ParsedColumn:
        if h.position not in parsed:
            col = parse_numbers(cells[h.position], integer=integer)
            parsed[h.position] = col
            for pos, err in col.errors.items():
                errors.add(int(sheet_rows[pos]), h.text, err.key, value=err.value, **err.params)
        return parsed[h.position]

    # One "slot" per (period, segment) of the wide columns; a long file has one empty slot.
    slots: dict[tuple[str | None, str | None], list[Header]] = {}
    for h in wide:
        slots.setdefault((h.period, h.segment), []).append(h)
    if not slots:
        slots[(None, None)] = []

    frames = []
    for (slot_period, slot_segment), slot_headers in slots.items():
        values = {m: np.full(n, np.nan) for m in MEASURES}
        blame = {m: np.full(n, "", dtype=object) for m in MEASURES}
        present = np.zeros(n, dtype=bool)
        for h in slot_headers:
            col = numbers(h, integer=h.measure != "coverage")
            filled = ~np.isnan(col.values) | np.isin(np.arange(n), list(col.errors))
            present |= filled
            if h.measure:
                targets = {h.measure: np.ones(n, dtype=bool)}
            else:
                targets = {"coverage": col.percent, "registered": ~col.percent}
            for m, mask in targets.items():
                values[m] = np.where(mask & ~np.isnan(col.values), col.values, values[m])
                blame[m] = np.where(mask, h.text, blame[m])
        for m in MEASURES:
            if m in fields and not any(h.measure == m for h in slot_headers):
                col = numbers(fields[m], integer=m != "coverage")
                empty = np.isnan(values[m])
                values[m] = np.where(empty, col.values, values[m])
                blame[m] = np.where(blame[m] == "", fields[m].text, blame[m])
        rows_in = present if slot_headers else np.ones(n, dtype=bool)
        idx = np.flatnonzero(rows_in)
        frames.append(pd.DataFrame({
            "src": idx, "slot_period": slot_period, "slot_segment": slot_segment,
            "slot_column": slot_headers[0].text if slot_headers else "",
            **{m: values[m][idx] for m in MEASURES},
            **{f"{m}_col": blame[m][idx] for m in MEASURES},
        }))
    rec = pd.concat(frames, ignore_index=True)
    obs = _finish(rec, codes, scopes, row_periods, period_col, row_segments, row_programmes,
                  notes, sheet_rows, fields, period, segment, errors, long=not wide)
    base.observations = obs
    base.errors = errors.sorted()
    base.unmatched = unmatched
    return base


def _empty_observations() -> pd.DataFrame:
    return _typed(pd.DataFrame({c: [] for c in OBSERVATION_COLUMNS}))


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.astype({
        "period": "str", "region_code": "str", "scope": "str", "segment": "str",
        "programme": "str", "registered": "Int64", "eligible": "Int64",
        "coverage_pct": "Float64", "illustrative": "bool", "source_id": "object",
        "batch_id": "object", "note": "object",
    })


def _finish(rec: pd.DataFrame, codes: np.ndarray, scopes: np.ndarray, row_periods: list[Any],
            period_col: str, row_segments: list[Any], row_programmes: list[Any],
            notes: list[Any], sheet_rows: np.ndarray, fields: dict[str, Header],
            period: str | None, segment: str | None, errors: _Errors,
            long: bool) -> pd.DataFrame:
    """Labels, checks and duplicates on the records; returns the observations without errors."""
    src = rec["src"].to_numpy()
    rows = sheet_rows[src]
    m = len(rec)
    bad = np.zeros(m, dtype=bool)
    slot_periods = rec["slot_period"].tolist()
    slot_segments = rec["slot_segment"].tolist()

    # Period.
    periods = np.full(m, None, dtype=object)
    for j in range(m):
        value = slot_periods[j] or row_periods[src[j]]
        if isinstance(value, PeriodError):
            year = value.value
            if value.key == "period_year_only" and period and period[:4] == str(year):
                value = period
            else:
                errors.add(int(rows[j]), period_col, value.key, value=value.value)
                bad[j] = True
                continue
        value = value or period
        if value is None:
            errors.add(int(rows[j]), period_col, "period_missing")
            bad[j] = True
        periods[j] = value

    # Segment and programme.
    seg_cache: dict[str | None, str | None] = {}
    segments = np.full(m, None, dtype=object)
    seg_col = fields["segment"].text if "segment" in fields else ""
    for j in range(m):
        if slot_segments[j]:
            segments[j] = slot_segments[j]
            continue
        raw = row_segments[src[j]]
        if raw not in seg_cache:
            seg_cache[raw] = SEGMENT_LABELS.get(normalise(raw)) if raw else segment
        segments[j] = seg_cache[raw]
        if segments[j] is None:
            key = "segment_invalid" if raw else "segment_missing"
            errors.add(int(rows[j]), seg_col, key, value=raw)
            bad[j] = True
    programmes = np.full(m, None, dtype=object)
    prog_cache: dict[str | None, str | None] = {}
    for j in range(m):
        raw = row_programmes[src[j]]
        if raw not in prog_cache:
            prog_cache[raw] = _label(PROGRAMME_LABELS, raw)
        programmes[j] = prog_cache[raw]
        if programmes[j] is None:
            errors.add(int(rows[j]), fields["programme"].text, "programme_invalid",
                       value=row_programmes[src[j]])
            bad[j] = True

    region_codes = codes[src]
    bad |= np.array([c is None for c in region_codes], dtype=bool)

    # Figures.
    reg, eli, cov = (rec[c].to_numpy(dtype=float) for c in MEASURES)
    for values, name in ((reg, "registered"), (eli, "eligible"), (cov, "coverage")):
        cols = rec[f"{name}_col"].to_numpy()
        neg = np.flatnonzero(values < 0)
        for j in neg:
            errors.add(int(rows[j]), cols[j], "number_negative", value=_show(values[j]))
        bad[neg] = True
        if name != "coverage":
            frac = np.flatnonzero(~np.isnan(values) & (values != np.round(values)))
            for j in frac:
                errors.add(int(rows[j]), cols[j], "number_not_whole", value=_show(values[j]))
            bad[frac] = True
    over = np.flatnonzero(cov > 100)
    for j in over:
        errors.add(int(rows[j]), rec.at[j, "coverage_col"], "coverage_over_100", value=cov[j])
    bad[over] = True
    more = np.flatnonzero(reg > eli)  # NaN compares False
    for j in more:
        errors.add(int(rows[j]), rec.at[j, "registered_col"], "registered_gt_eligible",
                   registered=reg[j], eligible=eli[j])
    bad[more] = True
    if long:  # a row whose figure could not be read already has its error
        has_error = np.isin(rows, np.array(sorted({r for r, _, _ in errors.items}), dtype=int))
        empty = np.flatnonzero(np.isnan(reg) & np.isnan(eli) & np.isnan(cov) & ~has_error)
        col = next((fields[f].text for f in MEASURES if f in fields), "")
        for j in empty:
            errors.add(int(rows[j]), col, "no_figures")
        bad[empty] = True

    obs = pd.DataFrame({
        "period": periods, "region_code": region_codes, "scope": scopes[src],
        "segment": segments, "programme": programmes,
        "registered": pd.array(np.where(np.isnan(reg), None, reg), dtype="Float64"),
        "eligible": pd.array(np.where(np.isnan(eli), None, eli), dtype="Float64"),
        "coverage_pct": pd.array(np.where(np.isnan(cov), None, cov), dtype="Float64"),
        "illustrative": False, "source_id": None, "batch_id": None,
        "note": [notes[s] for s in src],
    })

    # A record from a row with any error (e.g. an unreadable cell) is not an observation.
    bad |= np.isin(rows, np.array(sorted({r for r, _, _ in errors.items}), dtype=int))

    # Duplicated keys: every repeat names the first row with that key.
    complete = ~bad
    keyed = obs.loc[complete, list(KEY_COLUMNS)]
    dup = keyed.duplicated(keep="first")
    if dup.any():
        first_rows = {}
        for j, key in zip(keyed.index, keyed.itertuples(index=False, name=None), strict=True):
            if key in first_rows:
                region_col = (fields.get("region") or fields.get("code"))
                errors.add(int(rows[j]), region_col.text if region_col else "", "duplicate",
                           first=first_rows[key], region=key[1], period=key[0],
                           segment=key[3], programme=key[4])
                bad[j] = True
            else:
                first_rows[key] = int(rows[j])
    obs = obs.loc[~bad].reset_index(drop=True)
    for c in ("registered", "eligible"):
        obs[c] = obs[c].round().astype("Int64")
    return _typed(obs)


def _show(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


# --- import ------------------------------------------------------------------------------


def _read_bytes(path_or_bytes: bytes | str | Path, file_name: str | None) -> tuple[bytes, str]:
    if isinstance(path_or_bytes, bytes | bytearray | memoryview):
        return bytes(path_or_bytes), file_name or "upload"
    path = Path(path_or_bytes)
    name = file_name or path.name
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise IngestError("file_too_large", size_mb=size / 2**20, limit_mb=MAX_BYTES / 2**20)
        return path.read_bytes(), name
    except OSError as err:
        raise CakupanError(f"cannot read {path}: {err.strerror or err}") from err


def content_key(data: bytes, **options: str | None) -> str:
    """The batch's sha256: of the bytes alone, or of bytes + options when options were given.

    The same bytes read with another ``--segment``, ``--period``, ``--sheet`` or province are
    different figures; hashing only the bytes would make the store treat the second import
    as "already imported" and silently keep the wrong ones.
    """
    used = {k: v for k, v in sorted(options.items()) if v is not None}
    digest = hashlib.sha256(data)
    if used:
        digest.update(b"\0cakupan-import-options\0" + repr(sorted(used.items())).encode())
    return digest.hexdigest()


def source_for(file_name: str, file_sha256: str, imported_by: str) -> dict[str, Any]:
    """The ``sources`` row of an uploaded file (kind "upload"), keyed by its content."""
    today = pd.Timestamp.now(tz="UTC").strftime("%Y-%m-%d")
    return {"id": f"upload-{file_sha256[:12]}", "kind": "upload", "publisher": imported_by,
            "title": file_name, "url": None, "published": None, "accessed": today,
            "quote": None, "notes": f"uploaded file {file_name}, sha256 {file_sha256}"}


def import_file(path_or_bytes: bytes | str | Path, file_name: str | None = None, *,
                segment: str | None = None, period: str | None = None,
                sheet: str | None = None, province: str | None = None,
                dry_run: bool = False, imported_by: str = "cli", engine: Any = None,
                lang: str = "id", resolver: Resolver | None = None) -> ImportResult:
    """Parse a file and, if no row has an error, write it as one batch (all-or-nothing).

    Raises
    ------
    CakupanError
        For problems with the whole file (:class:`IngestError`) and store failures; row
        problems are returned in ``errors``, never raised.
    """
    data, name = _read_bytes(path_or_bytes, file_name)
    file_sha = hashlib.sha256(data).hexdigest()
    sha = content_key(data, segment=segment, period=period, sheet=sheet, province=province)
    try:
        parsed = parse_file(data, name, segment=segment, period=period, sheet=sheet,
                            province=province, lang=lang, resolver=resolver)
    except CakupanError:
        raise
    except Exception as err:  # a parser bug must not reach the user as a traceback
        raise CakupanError(f"{name}: {type(err).__name__}: {err}") from err
    result = ImportResult(None, parsed.rows, 0, parsed.errors, parsed.unmatched,
                          would_import=len(parsed.observations), dry_run=dry_run, sha256=sha)
    if parsed.errors or dry_run or parsed.observations.empty:
        return result
    source = source_for(name, file_sha, imported_by)
    obs = parsed.observations.assign(source_id=source["id"])
    from cakupan import store  # the store opens a database: only when writing

    try:
        engine = engine if engine is not None else store.get_engine()
        existing = _batch_with_sha(store, engine, sha)
        batch_id = store.write_batch(engine, obs, file_name=name, sha256=sha,
                                     imported_by=imported_by, kind="upload", source=source)
    except CakupanError:
        raise
    except Exception as err:  # database errors: one line for the user, details in the log
        raise CakupanError(f"could not save {name}: {type(err).__name__}: {err}") from err
    result.batch_id = batch_id
    result.already_imported = existing is not None and existing == batch_id
    result.imported = 0 if result.already_imported else len(obs)
    return result


def _batch_with_sha(store: Any, engine: Any, sha: str) -> str | None:
    """Id of an active batch that already holds these exact bytes, if any."""
    batches = store.list_batches(engine)
    if batches is None or batches.empty or "sha256" not in batches:
        return None
    active = batches.get("status", pd.Series("active", index=batches.index)) == "active"
    upload = batches.get("kind", pd.Series("upload", index=batches.index)) == "upload"
    hit = batches[(batches["sha256"] == sha) & active & upload]
    return None if hit.empty else str(hit.iloc[0]["id"])
