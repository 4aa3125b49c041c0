"""Import a branch's own coverage spreadsheet, or refuse it with messages that say what to fix.

Two steps, so the app can preview before writing:

* :func:`parse_file` is pure: bytes in, tidy observations (the shared schema of the store) and
  row-level errors out. It reads CSV (``,`` ``;`` or tab; UTF-8, UTF-16 or Windows-1252) and
  XLSX, finds the header row below any title rows, and accepts the long layout (one row per
  region, period, segment) and the wide layouts people keep (one column per month or per
  segment). Helpers: :mod:`cakupan.ingest.read` (bytes to cells), :mod:`cakupan.ingest.headers`
  (headers and labels), :mod:`cakupan.ingest.numbers`, :mod:`cakupan.ingest.periods`,
  :mod:`cakupan.ingest.messages`.
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
* A coverage more than :data:`COVERAGE_TOLERANCE_POINTS` from registered / eligible in the
  same row is an error; a file with no data rows is refused whole (``no_data_rows``).
* Kept but said (``ParseResult.warnings``): a month taken from a title row, a unit in a
  header, a note row left out, an old extent (Papua before the 2022 splits, see
  ``BodyParser._old_extents``), a province row or a total row that is not the sum of the rows
  it sums.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from cakupan import regions
from cakupan.core import settings, vocabulary
from cakupan.ingest.cells import cell_text, code_text, map_distinct
from cakupan.ingest.headers import (
    PROGRAMME_LABELS,
    SEGMENT_LABELS,
    Header,
    classify_row,
    combine_header_rows,
    header_score,
    is_group_row,
    is_sub_header_row,
    normalise,
)
from cakupan.ingest.keys import KeyIndex
from cakupan.ingest.limits import Limits
from cakupan.ingest.mapping import ColumnMap
from cakupan.ingest.messages import format_message
from cakupan.ingest.numbers import ParsedColumn, parse_numbers
from cakupan.ingest.periods import PeriodError, parse_period, period_in_text
from cakupan.ingest.read import IngestError, read_table
from cakupan.ingest.region_column import Resolver, default_resolver, resolve_regions
from cakupan.ingest.results import (
    KEY_COLUMNS,
    OBSERVATION_COLUMNS,
    ParseResult,
    RowError,
    RowErrors,
)

#: The default upload limit (a coverage table of every regency for ten years is well under
#: 5 MB); the limit in force is ``Limits.upload_bytes`` (``CAKUPAN_UPLOAD_MAX_MB``).
MAX_BYTES = int(settings.UPLOAD_MAX_MB_DEFAULT * 2**20)
#: How far down the header row is looked for (title rows of exported reports).
HEADER_SEARCH_ROWS = 20
SEGMENTS = vocabulary.SEGMENTS
MEASURES = ("registered", "eligible", "coverage")
#: How a note under a table starts when it is written in the region column.
_NOTE_MARK = re.compile(r"^\s*(\*|\(\*|(sumber|catatan|keterangan|ket|note|notes|source|diolah)\b)",
                        re.IGNORECASE)
def _no_code(value: object) -> bool:
    """An empty code cell, or the "00" some tables give their national total."""
    return value is None or code_text(value) in ("0", "00")


def _is_note(value: object) -> bool:
    return isinstance(value, str) and bool(_NOTE_MARK.match(value))


#: How far a reported coverage may be from registered / eligible in the same row, in
#: percentage points, before the row is refused.
COVERAGE_TOLERANCE_POINTS = 1.0
TOTAL_ROW_LABELS = frozenset({
    "jumlah", "total", "grand total", "jumlah total", "total keseluruhan", "jumlah keseluruhan",
    "jumlah seluruhnya", "sub total", "subtotal", "jumlah akhir",
    # The national total of a province table: never a region of its own.
    "indonesia", "nasional", "total nasional", "jumlah nasional", "total indonesia",
    "jumlah indonesia", "indonesia nasional", "national", "national total",
})


# --- options and header ---------------------------------------------------------------------


def check_options(segment: str | None, period: str | None,
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


def _find_header(rows: list[list[object]], numbers: list[int]) -> tuple[int, list[Header]]:
    """Index of the header row: the first of the top rows (sheet rows up to
    :data:`HEADER_SEARCH_ROWS`) that names a region, code or province column and a figure
    column (a field or a wide column), below any title rows. A two-row header (a group
    header over PU | BPU | Jakon, above or below the row found) is read as one row
    (:func:`~cakupan.ingest.headers.combine_header_rows`); the index is then its lower row's."""
    best: tuple[int, int, list[Header]] = (0, -1, [])
    top = sum(1 for n in numbers[:HEADER_SEARCH_ROWS] if n <= HEADER_SEARCH_ROWS)
    for index, cells in enumerate(rows[:top]):
        headers = classify_row(cells)
        fields = {h.field for h in headers}
        has_region = bool(fields & {"region", "code", "province"})
        has_figure = bool(fields & set(MEASURES)) or any(h.wide for h in headers)
        if has_region and has_figure:
            return _two_rows(rows, numbers, index, headers)
        score = header_score(headers)
        if score > best[1]:
            best = (index, score, headers)
    index, score, headers = best
    if score < 2:
        raise IngestError("no_header", rows=min(numbers[-1] if numbers else 0,
                                                HEADER_SEARCH_ROWS))
    if not {h.field for h in headers} & {"region", "code", "province"}:
        raise IngestError("no_region_column")
    raise IngestError("no_figure_column")


def _two_rows(rows: list[list[object]], numbers: list[int], index: int,
              headers: list[Header]) -> tuple[int, list[Header]]:
    """The header found at ``index`` joined with a group row right above it or a sub-header
    row right below it (consecutive sheet rows), when there is one."""
    def adjacent(a: int, b: int) -> bool:
        return 0 <= a < len(rows) and 0 <= b < len(rows) and numbers[b] == numbers[a] + 1

    if adjacent(index, index + 1) and is_sub_header_row(rows[index + 1], headers):
        return index + 1, _joined(headers, rows[index], rows[index + 1])
    if adjacent(index - 1, index) and is_group_row(rows[index - 1], headers):
        return index, _joined(headers, rows[index - 1], rows[index])
    return index, headers


def _joined(found: list[Header], upper: list[object], lower: list[object]) -> list[Header]:
    """The two rows read as one; a column the joined text leaves unread keeps what the row
    found said alone (a title that happens to sit over a figure column reads nothing)."""
    joined = classify_row(combine_header_rows(upper, lower))
    alone = {h.position: h for h in found}
    out = [alone[h.position] if not (h.field or h.wide) and h.position in alone
           and (alone[h.position].field or alone[h.position].wide) else h for h in joined]
    return out if header_score(out) >= header_score(found) else found


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
        joined = [None if (a is None and b is None)
                  else f"{cell_text(a) or ''} {cell_text(b) or ''}"
                  for a, b in zip(cells[m.position], cells[y.position], strict=True)]
        return _map_unique(pd.Series(joined, dtype=object), parse_period), f"{m.text}/{y.text}"
    h = fields.get("month") or fields.get("year")
    if h is not None:
        return _map_unique(cells[h.position], parse_period), h.text
    return [None] * len(cells), ""


def _label(mapping: dict[str, str], value: object) -> str | None:
    text = cell_text(value)
    return mapping.get(normalise(text)) if text else mapping.get("")


# --- parse -------------------------------------------------------------------------------


def parse_file(data: bytes, file_name: str, *, segment: str | None = None,
               period: str | None = None, sheet: str | None = None,
               province: str | None = None, lang: str = "id",
               resolver: Resolver | None = None,
               allowed_provinces: Iterable[str] | None = None,
               limits: Limits | None = None,
               column_map: ColumnMap | None = None) -> ParseResult:
    """Read a coverage file into observations and row errors, without writing anything.

    Pure and in-process: the size, row, XLSX and error limits apply here, but not CPU time
    or memory; files from outside go through
    :func:`cakupan.ingest.sandbox.parse_file_limited`, which runs this in a child process
    that has those limits too.

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
        Name resolver (tests inject one); default ``cakupan.regions.resolve.resolve``.
    allowed_provinces
        The provinces the importing editor may change (``None``: any); a row outside them is
        a row error, so a file that strays is refused whole, naming its rows.
    limits
        Default :meth:`Limits.from_settings` (the environment).
    column_map
        What the person said each column holds (:mod:`cakupan.ingest.mapping`), taken over
        header detection for those columns; ``None``: detection alone.

    Raises
    ------
    IngestError
        For problems with the whole file (size, type, sheet, header, missing columns, rows
        beyond ``limits.rows``, a refused XLSX).
    """
    limits = limits or Limits.from_settings()
    segment, period, province = check_options(segment, period, province)
    table = read_table(data, file_name, sheet, limits=limits, extra_rows=HEADER_SEARCH_ROWS)
    plan = plan_rows(table.rows, table.numbers, table.sheet, segment=segment, period=period,
                     column_map=column_map)
    body = BodyParser(plan, segment=segment, period=period, province=province, lang=lang,
                      resolver=resolver, allowed_provinces=allowed_provinces, limits=limits)
    rows, numbers = table.rows[plan.header_index + 1:], table.numbers[plan.header_index + 1:]
    del table
    return body.result(body.parse(rows, numbers))


@dataclass(frozen=True)
class Plan:
    """What a file's header row says, decided once per file: a file read in chunks
    (:mod:`cakupan.ingest.stream`) parses every chunk by the same plan."""

    headers: list[Header]
    fields: dict[str, Header]
    wide: list[Header]
    ignored: list[str]
    header_index: int  # among the rows given to :func:`plan_rows`
    header_row: int  # as the sheet numbers it
    sheet: str | None
    #: "province" when the only region column is a "Provinsi" column (a province table).
    level: str = "regency"
    #: The month a title row above the header states, used when nothing else gives one.
    title_period: str | None = None
    #: What the plan decided that the person should know: (row, column, key, params).
    notes: tuple[tuple[int, str, str, dict[str, Any]], ...] = ()

    @property
    def width(self) -> int:
        return max(h.position for h in self.headers) + 1

    @property
    def layout(self) -> str:
        return _layout(self.wide)

    @property
    def order(self) -> dict[str, int]:
        return {h.text: h.position for h in self.headers}

    @property
    def numeric_positions(self) -> list[int]:
        """Columns read as numbers (wide columns and the measure fields)."""
        wanted = [h.position for h in self.wide]
        wanted += [self.fields[m].position for m in MEASURES if m in self.fields]
        return sorted(set(wanted))


def plan_rows(rows: list[list[object]], numbers: list[int], sheet: str | None, *,
              segment: str | None, period: str | None,
              column_map: ColumnMap | None = None) -> Plan:
    """The header among the top rows (title rows above it allowed) and what it needs.

    Raises
    ------
    IngestError
        ``no_header``, ``no_region_column``, ``no_figure_column``, ``duplicate_column``,
        ``segment_needed`` or ``period_needed``.
    """
    if column_map:  # the person's mapping (mapping.py) instead of detection's guess
        header_index, headers = column_map.locate(rows, numbers, HEADER_SEARCH_ROWS)
    else:
        header_index, headers = _find_header(rows, numbers)
    fields = _fields(headers)
    level = "regency"
    if "province" in fields and not {"region", "code"} & set(fields):
        # A province table: the "Provinsi" column is the region column, and names in it
        # resolve to province codes (region_column.resolve_regions, ``level``).
        h = fields.pop("province")
        fields["region"] = Header(h.position, h.text, field="region")
        headers = [fields["region"] if x.position == h.position else x for x in headers]
        level = "province"
    wide = [h for h in headers if h.wide]
    used = {h.position for h in wide} | {h.position for h in fields.values()}
    ignored = [h.text for h in headers if h.position not in used]
    header_row = int(numbers[header_index])
    notes: list[tuple[int, str, str, dict[str, Any]]] = [
        (header_row, h.text, "unit_scaled", {"factor": h.scale})
        for h in headers if h.scale != 1 and h.position in used]
    if "segment" not in fields and segment is None and not any(h.segment for h in wide):
        raise IngestError("segment_needed")
    has_period_col = bool({"period", "month", "year"} & set(fields))
    title_period = None
    if not has_period_col and not any(h.period for h in wide):
        found = _title_period(rows[:header_index], numbers[:header_index])
        if found is not None and period is None:
            title_period = found[0]
            notes.append((found[1], "", "period_from_title",
                          {"period": found[0], "value": found[2]}))
        elif found is not None and found[0] != period:
            notes.append((found[1], "", "period_title_differs",
                          {"period": period, "title_period": found[0], "value": found[2]}))
    if not has_period_col and period is None and title_period is None and not any(
            h.period for h in wide):
        raise IngestError("period_needed")
    return Plan(headers, fields, wide, ignored, header_index, header_row, sheet, level,
                title_period, tuple(notes))


def _title_period(rows: list[list[object]], numbers: list[int]) -> tuple[str, int, str] | None:
    """(month, sheet row, text) of the one title row above the header that states a month
    ("Posisi: September 2022"); ``None`` when none does, or two rows state different ones."""
    found = []
    for cells, number in zip(rows, numbers, strict=True):
        for cell in cells:
            if isinstance(cell, str) and (month := period_in_text(cell)):
                found.append((month, int(number), cell.strip()))
    return found[0] if len({f[0] for f in found}) == 1 else None


class BodyParser:
    """Parses the data rows below the header into observations: all at once
    (:func:`parse_file`), or chunk by chunk with one row count, one error collector (errors
    kept in sheet order, all counted) and one index of keys seen, so a chunked parse finds
    the same errors, duplicates across chunks included, as a whole-file one.

    ``evidence`` gives, per numeric column position, the conventions the *whole* column
    proves (:func:`~cakupan.ingest.numbers.column_evidence`); without it each call decides
    from the rows it is given, which is right when they are the whole file.
    """

    def __init__(self, plan: Plan, *, segment: str | None, period: str | None,
                 province: str | None, lang: str = "id", resolver: Resolver | None = None,
                 allowed_provinces: Iterable[str] | None = None, limits: Limits,
                 evidence: dict[int, frozenset[str]] | None = None) -> None:
        self.plan = plan
        self.segment, self.period, self.province = segment, period, province
        self.resolver = resolver or default_resolver
        self.allowed = frozenset(allowed_provinces) if allowed_provinces is not None else None
        self.limits = limits
        self.evidence = evidence
        self.errors = RowErrors(lang, plan.order, keep=limits.errors_kept)
        self.keys = KeyIndex()
        self.kept = 0  # non-empty rows so far (what the row limit counts)
        self.rows = 0  # data rows so far, the sheet's own total rows left out
        self.unmatched: dict[str, None] = {}
        self.lang = lang
        # A month stated only in a title row stands in for the whole-file choice.
        self.period = period or plan.title_period
        self.observed = 0  # observations so far
        #: Warnings found in the rows: (row, column, key, params), formatted in result().
        self.notes: list[tuple[int, str, str, dict[str, Any]]] = []
        self.provinces_seen: set[str] = set()
        self.regency_seen = False  # a table of provinces only, so far
        #: (period, segment, programme, province) -> (row, registered, eligible) of a
        #: province's own row, and the sums of its regencies' rows (with their count).
        self.province_rows: dict[tuple[str, ...], tuple[int, float, float]] = {}
        self.regency_sums: dict[tuple[str, ...], list[float]] = {}
        #: The table's own total rows (left out) and, per column of counts, the sum of the
        #: data rows' figures: one total row that does not add up is a warning.
        self.total_rows: list[tuple[int, dict[int, object]]] = []
        self.column_sums: dict[int, float] = {}

    def cells(self, body: list[list[object]], numbers: list[int]
              ) -> tuple[pd.DataFrame, np.ndarray]:
        """The data rows as a frame of cells (padded to the header's width) and their sheet
        numbers: empty rows and the sheet's own "Jumlah"/"Total" rows left out, the row limit
        checked on the running count.

        Raises
        ------
        IngestError
            ``too_many_rows`` once the rows so far exceed ``limits.rows``.
        """
        fields, width = self.plan.fields, self.plan.width
        sheet_rows_all = np.asarray(numbers, dtype=np.int64)
        padded = [(r + [None] * width)[:width] for r in body]
        keep = np.array([any(c is not None for c in r) for r in padded], dtype=bool)
        self.kept += int(keep.sum())
        if self.kept > self.limits.rows:
            raise IngestError("too_many_rows", limit=self.limits.rows)
        cells = pd.DataFrame([r for r, k in zip(padded, keep, strict=True) if k],
                             columns=range(width), dtype=object)
        del padded
        sheet_rows = sheet_rows_all[keep] if len(keep) else sheet_rows_all
        label = fields.get("region") or fields.get("province")  # where "Jumlah" is written
        if label is not None and len(cells):
            region_keys = pd.Series(map_distinct(cells[label.position],
                                                 lambda v: normalise(v) if isinstance(v, str)
                                                 else ""), index=cells.index)
            no_code = (cells[fields["code"].position].map(_no_code) if "code" in fields
                       else pd.Series(True, index=cells.index))
            totals = (region_keys.isin(TOTAL_ROW_LABELS) & no_code).to_numpy()
            for i in np.flatnonzero(totals):
                self._keep_total(int(sheet_rows[i]), cells.iloc[i])
            cells = cells[~totals].reset_index(drop=True)
            sheet_rows = sheet_rows[~totals]
        if len(cells):
            cells, sheet_rows = self._drop_unplaced(cells, sheet_rows)
        return cells, sheet_rows

    def _keep_total(self, row: int, cells: pd.Series) -> None:
        """Remember a table's own total row (at most a few) to compare with its rows."""
        if len(self.total_rows) < 2:  # two or more: sub-totals, nothing certain to compare
            self.total_rows.append((row, {p: cells[p] for p in self.plan.numeric_positions}))
        else:
            self.total_rows.append((row, {}))

    def _drop_unplaced(self, cells: pd.DataFrame, sheet_rows: np.ndarray
                       ) -> tuple[pd.DataFrame, np.ndarray]:
        """Rows with no region and no code: a total labelled in another column ("Jumlah" in
        the "No" column) is the table's own sum and a row without any figure is a note
        ("Sumber: ...", "*) angka sementara"); both are left out, the note with a warning.
        So is a row without any figure whose region cell starts like a note (:data:`_NOTE_MARK`).
        Any other such row stays, to be refused as ``region_missing``."""
        fields = self.plan.fields
        places = [fields[f].position for f in ("region", "code") if f in fields]
        unplaced = np.logical_and.reduce([cells[p].isna().to_numpy() for p in places])
        marked = np.logical_or.reduce([np.array(map_distinct(cells[p], _is_note), dtype=bool)
                                       for p in places])
        unplaced |= marked
        if not unplaced.any():
            return cells, sheet_rows
        figures = self.plan.numeric_positions
        drop = np.zeros(len(cells), dtype=bool)
        for i in np.flatnonzero(unplaced):
            row = cells.iloc[i]
            texts = [v for p, v in row.items() if p not in figures and isinstance(v, str)]
            if not marked[i] and any(normalise(v) in TOTAL_ROW_LABELS for v in texts):
                drop[i] = True
                self._keep_total(int(sheet_rows[i]), row)
            elif all(row[p] is None for p in figures):
                drop[i] = True
                first = next((v for v in row.tolist() if v is not None), "")
                self.notes.append((int(sheet_rows[i]), "", "row_note_skipped",
                                   {"value": str(first)}))
        return cells[~drop].reset_index(drop=True), sheet_rows[~drop]

    def parse(self, body: list[list[object]], numbers: list[int]) -> pd.DataFrame:
        """Observations of these rows (row errors go to :attr:`errors`)."""
        cells, sheet_rows = self.cells(body, numbers)
        del body
        n = len(cells)
        self.rows += n
        if n == 0:
            return _empty_observations()
        fields, wide, errors = self.plan.fields, self.plan.wide, self.errors
        codes, scopes, unmatched = resolve_regions(cells, sheet_rows, fields, self.province,
                                                    self.resolver, errors, self.allowed,
                                                    level=self.plan.level)
        for name in unmatched:
            self.unmatched.setdefault(name)
        row_periods, period_col = _row_periods(cells, fields)

        def texts(f: str) -> list[Any]:
            return (map_distinct(cells[fields[f].position], cell_text) if f in fields
                    else [None] * n)

        row_segments, row_programmes, notes = texts("segment"), texts("programme"), texts("note")
        parsed: dict[int, ParsedColumn] = {}

        def numbers_of(h: Header, integer: bool) -> ParsedColumn:
            if h.position not in parsed:
                proven = self.evidence.get(h.position) if self.evidence is not None else None
                col = parse_numbers(cells[h.position], integer=integer and h.scale == 1,
                                    proven=proven)
                if h.scale != 1:  # "(ribu)": 12,3 thousand is 12,300 people
                    col = ParsedColumn(np.round(col.values * h.scale, 6), col.percent,
                                       col.errors)
                parsed[h.position] = col
                for pos, err in col.errors.items():
                    errors.add(int(sheet_rows[pos]), h.text, err.key, value=err.value,
                               **err.params)
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
                col = numbers_of(h, integer=h.measure != "coverage")
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
                    col = numbers_of(fields[m], integer=m != "coverage")
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
        for h in (*wide, *fields.values()):
            if h.position in parsed and h.measure != "coverage" and h.field != "coverage":
                col = parsed[h.position]
                counts = np.where(col.percent, np.nan, col.values)
                self.column_sums[h.position] = (self.column_sums.get(h.position, 0.0)
                                                + float(np.nansum(counts)))
        obs, obs_rows = _finish(rec, codes, scopes, row_periods, period_col, row_segments,
                                row_programmes, notes, sheet_rows, fields, self.period,
                                self.segment, errors, self.keys, long=not wide)
        distinct = obs["region_code"].unique()
        self.provinces_seen.update(c for c in distinct if regions.is_province_code(c))
        self.regency_seen = self.regency_seen or any("." in c for c in distinct)
        obs = self._old_extents(obs, obs_rows)
        obs_rows = self._kept_rows
        self._tally(obs, obs_rows)
        self.observed += len(obs)
        return obs

    def _old_extents(self, obs: pd.DataFrame, rows: np.ndarray) -> pd.DataFrame:
        """Papua and Papua Barat rows that mean the provinces before the 2022 splits go to
        the old extent's key (``91~pra2022``, ``92~pra2022``), never to today's smaller
        province nor spread over the new ones: when the figure's month is before the split
        (Papua before 2022-07, Papua Barat before 2022-12), or the file is a 34-province
        table (at least 30 provinces and none of 93-96, as the Kemnaker 2023 table).

        A province created by the splits (93-96) given a figure for a month before it
        existed is refused: before 2022 the codes meant other provinces (94 was Papua, 91
        Papua Barat), so such a row is old numbering or a typo, and either way not today's."""
        obs = self._before_creation(obs, rows)
        rows = self._kept_rows
        hit = np.flatnonzero(obs["region_code"].isin([k.split("~")[0]
                                                       for k in regions.OLD_EXTENTS])
                             & obs["scope"].eq("region"))
        if not len(hit):
            return obs
        seen = self.provinces_seen
        old_table = (not self.regency_seen and len(seen) >= 30
                     and not seen & {"93", "94", "95", "96"})
        codes = obs["region_code"].to_numpy(dtype=object).copy()
        column = (self.plan.fields.get("region") or self.plan.fields["code"]).text
        said: set[tuple[int, str]] = set()  # one warning per row, not per segment column
        refused: list[int] = []
        for j in hit:
            extent = next(e for e in regions.OLD_EXTENTS.values()
                          if e.key.startswith(codes[j] + "~"))
            if obs.at[j, "period"] <= extent.until:
                key = "old_extent_period"
            elif old_table:
                key = "old_extent_table"
            else:
                continue
            if codes[j] == "91" and not {"region", "province"} & set(self.plan.fields):
                # A bare 91 before the splits: Papua as Kemnaker codes it, or Papua Barat in
                # the numbering before 2022. Only a name can tell.
                self.errors.add(int(rows[j]), column, "old_code_ambiguous", code=codes[j],
                                period=obs.at[j, "period"])
                refused.append(j)
                continue
            if (int(rows[j]), key) not in said:
                said.add((int(rows[j]), key))
                self.notes.append((int(rows[j]), column, key, {
                    "code": codes[j], "key": extent.key, "name": extent.name,
                    "name_en": extent.name_en, "until": extent.until,
                    "successors": ", ".join(extent.successors)}))
            codes[j] = extent.key
        obs = obs.assign(region_code=codes)
        if refused:
            keep = np.ones(len(obs), dtype=bool)
            keep[refused] = False
            self._kept_rows = rows[keep]
            obs = obs.loc[keep].reset_index(drop=True)
        return obs

    def _before_creation(self, obs: pd.DataFrame, rows: np.ndarray) -> pd.DataFrame:
        """Rows of a province made by the 2022 splits for a month before it existed, refused
        (naming the row); the others, with their rows in :attr:`_kept_rows`."""
        self._kept_rows = rows
        new = {c: e for e in regions.OLD_EXTENTS.values() for c in e.successors
               if c != e.key.split("~")[0]}
        hit = np.flatnonzero(obs["region_code"].isin(list(new)))
        late = [j for j in hit if obs.at[j, "period"] <= new[obs.at[j, "region_code"]].until]
        if not late:
            return obs
        column = (self.plan.fields.get("code") or self.plan.fields["region"]).text
        for j in late:
            code = obs.at[j, "region_code"]
            extent = new[code]
            self.errors.add(int(rows[j]), column, "province_not_yet", code=code,
                            name=regions.name_of(code), period=obs.at[j, "period"],
                            old=extent.key.split("~")[0], old_name=extent.name,
                            old_name_en=extent.name_en)
        keep = np.ones(len(obs), dtype=bool)
        keep[late] = False
        self._kept_rows = rows[keep]
        return obs.loc[keep].reset_index(drop=True)

    def _tally(self, obs: pd.DataFrame, rows: np.ndarray) -> None:
        """Remember each province's own row and the sums of its regencies' rows, per period,
        segment and programme, for the check in :meth:`result` (bounded by the keys, not the
        rows, so a chunked national file costs the same)."""
        if not len(obs):
            return
        region = obs["scope"].eq("region").to_numpy()
        codes = obs["region_code"].astype(str)
        is_province = codes.str.fullmatch(r"\d{2}").to_numpy() & region
        is_regency = codes.str.fullmatch(r"\d{2}\.\d{2}").to_numpy() & region
        if not is_province.any() and not is_regency.any():
            return
        reg = obs["registered"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        eli = obs["eligible"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        for j in np.flatnonzero(is_province):
            key = (obs["period"].iat[j], obs["segment"].iat[j], obs["programme"].iat[j],
                   codes.iat[j])
            self.province_rows[key] = (int(rows[j]), reg[j], eli[j])
        if not is_regency.any():
            return
        frame = pd.DataFrame({
            "period": obs["period"].to_numpy()[is_regency],
            "segment": obs["segment"].to_numpy()[is_regency],
            "programme": obs["programme"].to_numpy()[is_regency],
            "province": codes.str.slice(0, 2).to_numpy()[is_regency],
            "reg": reg[is_regency], "eli": eli[is_regency]})
        frame["reg_missing"] = np.isnan(frame["reg"])
        frame["eli_missing"] = np.isnan(frame["eli"])
        grouped = frame.groupby(["period", "segment", "programme", "province"], sort=False).agg(
            count=("reg", "size"), reg=("reg", "sum"), reg_missing=("reg_missing", "sum"),
            eli=("eli", "sum"), eli_missing=("eli_missing", "sum"))
        for key, g in zip(grouped.index, grouped.itertuples(index=False), strict=True):
            tally = self.regency_sums.setdefault(tuple(key), [0, 0, 0, 0, 0])
            tally[0] += int(g.count)
            tally[1] += float(g.reg)  # NaN-free: pandas' sum skips them, counted apart
            tally[2] += int(g.reg_missing)
            tally[3] += float(g.eli)
            tally[4] += int(g.eli_missing)

    def _total_warnings(self) -> list[tuple[int, str, str, dict[str, Any]]]:
        """A province row whose figure is not the sum of its regencies' rows in the file:
        kept as reported, with a warning naming the row (a partial list of regencies, or a
        province figure that counts what no regency row does, both happen)."""
        out = []
        column = (self.plan.fields.get("region") or self.plan.fields.get("code"))
        for key, (row, reg, eli) in self.province_rows.items():
            tally = self.regency_sums.get(key)
            if tally is None:
                continue
            count = tally[0]
            for name, own, total, missing in (("registered", reg, tally[1], tally[2]),
                                              ("eligible", eli, tally[3], tally[4])):
                if np.isnan(own) or missing or own == total:
                    continue
                out.append((row, column.text if column else "", "province_total_differs", {
                    "field": name, "value": int(own), "sum": int(total), "count": count,
                    "province": key[3], "province_name": regions.name_of(key[3]),
                    "period": key[0], "segment": key[1]}))
        return out

    def _table_total_warnings(self) -> list[tuple[int, str, str, dict[str, Any]]]:
        """The table's one total row against the sum of its rows, column by column (counts
        only): a figure read a thousand-fold wrong, or a row missing, shows here."""
        if len(self.total_rows) != 1 or (self.province_rows and self.regency_sums):
            return []  # sub-totals, or a province row that its regencies' rows also count
        row, cells = self.total_rows[0]
        out = []
        for h in self.plan.headers:
            if h.position not in self.column_sums or h.position not in cells:
                continue
            value = parse_numbers([cells[h.position]], integer=h.scale == 1)
            if value.errors or np.isnan(value.values[0]) or value.percent[0]:
                continue
            reported = round(float(value.values[0]) * h.scale, 6)
            total = self.column_sums[h.position]
            if abs(reported - total) > 0.5:
                out.append((row, h.text, "table_total_differs",
                            {"value": reported, "sum": total}))
        return out

    def warnings(self) -> list[RowError]:
        """Everything kept but worth saying, in sheet order: the plan's notes (a month from a
        title row, a unit), rows left out, old extents and totals that do not add up."""
        found = [*self.plan.notes, *self.notes, *self._total_warnings(),
                 *self._table_total_warnings()]
        found.sort(key=lambda w: (w[0], self.plan.order.get(w[1], -1), w[2]))
        return [RowError(row, column, format_message(key, params, self.lang), key, params)
                for row, column, key, params in found[:max(1, self.limits.errors_kept)]]

    def result(self, observations: pd.DataFrame | None = None) -> ParseResult:
        """What the rows so far came to; ``observations`` are the ones to hand back (a
        chunked parse hands its chunks on as they come and gives none here).

        Raises
        ------
        IngestError
            ``no_data_rows`` for a file with a header and nothing under it, or rows that
            hold no figure at all: refused, not imported as zero rows.
        """
        plan = self.plan
        if self.rows == 0 or (self.observed == 0 and self.errors.total == 0):
            raise IngestError("no_data_rows", row=plan.header_row)
        obs = observations if observations is not None else _empty_observations()
        return ParseResult(obs, self.errors.sorted(), list(self.unmatched), self.rows,
                           plan.header_row, plan.layout, plan.ignored, plan.sheet,
                           error_count=self.errors.total,
                           error_counts=dict(self.errors.counts), warnings=self.warnings())


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
            period: str | None, segment: str | None, errors: RowErrors,
            keys: KeyIndex, long: bool) -> tuple[pd.DataFrame, np.ndarray]:
    """Labels, checks and duplicates on the records; returns the observations without errors
    and the sheet row of each."""
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
    # A reported coverage must be what the counts in the same row say, to within a point
    # (rounding to whole or one-decimal percentages stays well inside it).
    with np.errstate(divide="ignore", invalid="ignore"):
        computed = np.where(eli > 0, reg / eli * 100, np.nan)
    off = np.flatnonzero(np.abs(computed - cov) > COVERAGE_TOLERANCE_POINTS)
    for j in off:
        if j in more:
            continue
        errors.add(int(rows[j]), rec.at[j, "coverage_col"], "coverage_disagrees",
                   value=round(float(cov[j]), 2), computed=round(float(computed[j]), 2),
                   registered=reg[j], eligible=eli[j])
    bad[off] = True
    if long:  # a row whose figure could not be read already has its error
        has_error = errors.flags(rows)
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
    bad |= errors.flags(rows)

    # Duplicated keys: every repeat names the first row with that key (in this file: an
    # earlier chunk's row when the file is read in chunks).
    complete = ~bad
    keyed = obs.loc[complete, list(KEY_COLUMNS)]
    firsts = keys.first_rows(keyed, rows[complete])
    region_col = (fields.get("region") or fields.get("code"))
    for p in np.flatnonzero(firsts >= 0):
        j = keyed.index[p]
        key = keyed.iloc[p]
        errors.add(int(rows[j]), region_col.text if region_col else "", "duplicate",
                   first=int(firsts[p]), region=key["region_code"], period=key["period"],
                   segment=key["segment"], programme=key["programme"])
        bad[j] = True
    obs = obs.loc[~bad].reset_index(drop=True)
    for c in ("registered", "eligible"):
        obs[c] = obs[c].round().astype("Int64")
    return _typed(obs), rows[~bad]


def _show(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
