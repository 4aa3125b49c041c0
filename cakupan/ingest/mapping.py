"""The column mapping: what each column holds, said by the person when detection is unsure.

Header detection (:mod:`cakupan.ingest.headers`) reads the words people write; a ministry
export with its own wording ("Jml TK Aktif s.d. Bulan Ini") or two columns that both look like
"peserta" defeats it. Then the person says it instead, in the app's mapping step or on the
command line (``import --map region=B,registered=D``), and the parse takes the mapping's word
over detection's for those columns (:func:`cakupan.ingest.parse.plan_rows`, ``column_map``).
Columns the mapping does not name are still detected (a month per column stays a month).

A column is named by its header text (compared as :func:`~cakupan.ingest.headers.normalise`
does, so case and punctuation do not matter) or by its spreadsheet letter (``A``, ``D``,
``AA``); header text is tried first, so a header that happens to read "B" is that column.
``header=ROW`` says which sheet row holds the headers when the mapping alone cannot find it
(the first of the top rows where every named column is found and, for a letter, not empty).

The *header signature* (:func:`header_signature`) is a short hash of the normalised header
cells: the same export next month (other figures, another title "Posisi Juli 2024") has the
same signature, so a mapping remembered for it is offered again; any change to the headers
gives another signature.

This module is below :mod:`cakupan.ingest.parse` and imports only what the header row needs.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime

from cakupan.ingest.cells import cell_text
from cakupan.ingest.headers import Header, classify_row, normalise
from cakupan.ingest.limits import Limits
from cakupan.ingest.messages import MAPPING_FIXES
from cakupan.ingest.read import IngestError, read_table

#: Fields a mapping may name, as written in ``--map`` and the app -> the parse's field name.
FIELD_NAMES: dict[str, str] = {
    "region": "region", "code": "code", "province": "province",
    "registered": "registered", "eligible": "eligible",
    "coverage_pct": "coverage", "coverage": "coverage",
    "period": "period", "month": "month", "year": "year",
    "segment": "segment", "programme": "programme", "program": "programme",
    "scope": "scope", "note": "note",
}
#: The fields the app's mapping step offers, in the order it shows them.
STEP_FIELDS: tuple[str, ...] = ("region", "code", "registered", "eligible", "coverage_pct",
                                "period", "segment", "programme")
#: The refusals a mapping can fix -> the fields that fix them (named in the refusal's hint).
FIXES = MAPPING_FIXES
HEADER_KEY = "header"
_LETTERS = re.compile(r"^[A-Za-z]{1,3}$")
_NUMBER_LIKE = re.compile(r"^[+-]?(rp\.?)?[\d.,]+%?$")
#: Longest ``--map`` text taken (a typo should not become a megabyte of message).
MAX_MAP_CHARS = 2000


class MapError(IngestError):
    """A mapping that cannot be read (a usage error on the command line): ``map_syntax``,
    ``map_field_unknown``, ``map_field_twice``, ``map_column_twice``, ``map_header_row``."""


def column_letter(position: int) -> str:
    """0 -> "A", 25 -> "Z", 26 -> "AA" (a spreadsheet's column letters)."""
    letters = ""
    n = position + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def letter_position(letters: str) -> int:
    """ "A" -> 0, "d" -> 3, "AA" -> 26; the inverse of :func:`column_letter`."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - ord("A") + 1)
    return n - 1


@dataclass(frozen=True)
class ColumnMap:
    """What the person said: ``columns`` pairs a field (as in :data:`FIELD_NAMES`) with a
    column (header text or letter); ``header_row`` is the sheet row of the headers, or
    ``None`` to find it. Picklable (it crosses into the sandbox's child)."""

    columns: tuple[tuple[str, str], ...] = ()
    header_row: int | None = None

    def __bool__(self) -> bool:
        return bool(self.columns)

    @classmethod
    def parse(cls, text: str) -> ColumnMap:
        """``"region=B,registered=Jumlah Peserta,header=3"`` as a mapping.

        Raises
        ------
        MapError
            Naming the bad part: no ``=``, an unknown field, a field or column twice, a
            header row that is not a number.
        """
        text = str(text or "")[:MAX_MAP_CHARS]
        columns: list[tuple[str, str]] = []
        header_row: int | None = None
        for part in (p.strip() for p in text.split(",")):
            if not part:
                continue
            field, sep, column = (s.strip() for s in part.partition("="))
            field = field.lower()
            if not sep or not field or not column:
                raise MapError("map_syntax", part=part)
            if field == HEADER_KEY:
                if not column.isdigit() or int(column) < 1:
                    raise MapError("map_header_row", value=column)
                header_row = int(column)
                continue
            if field not in FIELD_NAMES:
                raise MapError("map_field_unknown", value=field,
                               fields=", ".join(STEP_FIELDS))
            if any(FIELD_NAMES[f] == FIELD_NAMES[field] for f, _ in columns):
                raise MapError("map_field_twice", value=field)
            if any(_same_column(c, column) for _, c in columns):
                raise MapError("map_column_twice", value=column)
            columns.append((field, column))
        if not columns:
            raise MapError("map_syntax", part=text.strip() or "—")
        return cls(tuple(columns), header_row)

    @classmethod
    def from_positions(cls, positions: dict[str, int], header_row: int | None = None
                       ) -> ColumnMap:
        """A mapping by column letters from the app's pickers (field -> column position),
        in :data:`STEP_FIELDS` order."""
        order = {f: i for i, f in enumerate(STEP_FIELDS)}
        ordered = sorted(positions.items(), key=lambda item: order.get(item[0], len(order)))
        return cls(tuple((f, column_letter(p)) for f, p in ordered), header_row)

    def without_header_row(self) -> ColumnMap:
        """The mapping to remember: the header row is found again in next month's file."""
        return ColumnMap(self.columns)

    def positions_in(self, cells: list[object]) -> dict[str, int]:
        """Field (as the step names it) -> position of each column found in this header row
        (to preset the pickers with a saved mapping); columns not found are left out."""
        keys = [normalise(cell_text(c) or "") for c in cells]
        found: dict[str, int] = {}
        for field, column in self.columns:
            wanted = normalise(column)
            by_text = [p for p, k in enumerate(keys) if k and k == wanted]
            if by_text:
                found[_step_name(field)] = by_text[0]
            elif _LETTERS.match(column):
                found[_step_name(field)] = letter_position(column)
        return found

    def to_text(self) -> str:
        """The mapping as ``--map`` takes it (what the store keeps): ``region=B,...``."""
        parts = [f"{f}={c}" for f, c in self.columns]
        if self.header_row is not None:
            parts.append(f"{HEADER_KEY}={self.header_row}")
        return ",".join(parts)

    def locate(self, rows: list[list[object]], numbers: list[int],
               search_rows: int) -> tuple[int, list[Header]]:
        """The header row among the top rows (sheet rows up to ``search_rows``) and its
        headers with the mapping applied: what :func:`~cakupan.ingest.parse.plan_rows` uses
        instead of detection's guess.

        Raises
        ------
        IngestError
            ``map_column_not_found`` (naming the column), ``map_header_row`` (the row is not
            among the top rows), or ``no_region_column``/``no_figure_column`` when neither
            the mapping nor detection gives one.
        """
        top = [i for i, n in enumerate(numbers[:search_rows]) if n <= search_rows]
        if self.header_row is not None:
            top = [i for i in top if numbers[i] == self.header_row]
            if not top:
                raise IngestError("map_header_row", value=str(self.header_row))
        missing = self.columns[0][1] if self.columns else ""
        for index in top:
            positions, missing = self._resolve(rows[index], strict=self.header_row is None)
            if positions is not None:
                return index, self._headers(rows[index], positions)
        raise IngestError("map_column_not_found", column=missing)

    def _resolve(self, cells: list[object], *, strict: bool
                 ) -> tuple[dict[str, int] | None, str]:
        """Field -> column position in this row, or ``(None, the first column not found)``."""
        keys = [normalise(cell_text(c) or "") for c in cells]
        positions: dict[str, int] = {}
        for field, column in self.columns:
            wanted = normalise(column)
            by_text = [p for p, k in enumerate(keys) if k and k == wanted]
            if by_text:
                positions[FIELD_NAMES[field]] = by_text[0]
            elif _LETTERS.match(column):
                p = letter_position(column)
                if strict and (p >= len(cells) or cells[p] is None):
                    return None, column
                positions[FIELD_NAMES[field]] = p
            else:
                return None, column
        if len(set(positions.values())) < len(positions):
            return None, self.columns[0][1]
        return positions, ""

    def _headers(self, cells: list[object], positions: dict[str, int]) -> list[Header]:
        """Detection's headers of the row, with every mapped column taking its mapped field
        and any other column detection gave that field set aside (it is listed as ignored)."""
        by_position = {p: f for f, p in positions.items()}
        out = []
        for h in classify_row(cells):
            if h.position in by_position:
                continue
            out.append(Header(h.position, h.text) if h.field in positions else h)
        for field, p in positions.items():
            text = cell_text(cells[p]) if p < len(cells) else None
            out.append(Header(p, text or column_letter(p), field=field))
        out.sort(key=lambda h: h.position)
        fields = {h.field for h in out}
        if not fields & {"region", "code"}:
            raise IngestError("no_region_column")
        if not fields & {"registered", "eligible", "coverage"} and not any(h.wide for h in out):
            raise IngestError("no_figure_column")
        return out


def _step_name(field: str) -> str:
    """The name the step and ``--map`` use for a field ("coverage" is "coverage_pct")."""
    internal = FIELD_NAMES.get(field, field)
    return "coverage_pct" if internal == "coverage" else internal


def detected_positions(cells: list[object]) -> dict[str, int]:
    """What detection makes of a header row, as the step's pickers (field -> position): the
    starting point of a mapping opened on demand."""
    found: dict[str, int] = {}
    for h in classify_row(cells):
        name = _step_name(h.field) if h.field else None
        if name in STEP_FIELDS and name not in found:
            found[name] = h.position
    return found


def _same_column(a: str, b: str) -> bool:
    if _LETTERS.match(a) and _LETTERS.match(b):
        return a.upper() == b.upper()
    return normalise(a) == normalise(b)


def _is_label(cell: object) -> bool:
    """A cell that reads as a header: text that is not a number, or a date (a month header)."""
    if isinstance(cell, date | datetime):
        return True
    if not isinstance(cell, str):
        return False
    text = cell.strip().lower().replace(" ", "")
    return bool(text) and not _NUMBER_LIKE.match(text)


def guess_header_index(rows: list[list[object]], numbers: list[int], search_rows: int) -> int:
    """The row among the top ones most likely to be the header: the first with the most
    label cells (a title row has one, a data row a name or two and then numbers)."""
    best, best_count = 0, -1
    for index, cells in enumerate(rows):
        if index >= len(numbers) or numbers[index] > search_rows:
            break
        count = sum(1 for c in cells if _is_label(c))
        if count > best_count:
            best, best_count = index, count
    return best


def signature_of(cells: list[object]) -> str:
    """The signature of one header row: 16 hex digits of the sha256 of its normalised cells,
    in order (an empty cell counts, so moving a column changes it)."""
    keys = [normalise(cell_text(c) or "") for c in cells]
    while keys and not keys[-1]:
        keys.pop()
    return hashlib.sha256("\x1f".join(keys).encode()).hexdigest()[:16]


def header_signature(rows: list[list[object]], numbers: list[int], search_rows: int) -> str:
    """The signature of a file's header row (:func:`guess_header_index`): the same for the
    same export with other figures or another title, different when a header changes."""
    if not rows:
        return signature_of([])
    return signature_of(rows[guess_header_index(rows, numbers, search_rows)])


@dataclass(frozen=True)
class Head:
    """The top of a file, for the mapping step: its first rows as text, where the header row
    probably is, the header's signature and its columns (letter and header text)."""

    rows: list[list[str]]
    numbers: list[int]
    header_index: int
    signature: str
    sheet: str | None

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    @property
    def columns(self) -> list[tuple[str, str]]:
        """(letter, header text) of every column of the header row, for the pickers."""
        header = self.rows[self.header_index] if self.rows else []
        return [(column_letter(p), header[p] if p < len(header) else "")
                for p in range(self.width)]


def head_of(rows: list[list[object]], numbers: list[int], sheet: str | None,
            search_rows: int, shown: int) -> Head:
    """:class:`Head` of a table's first rows (``shown`` rows kept, as one-line text)."""
    index = guess_header_index(rows, numbers, search_rows)
    signature = header_signature(rows, numbers, search_rows)
    text = [[" ".join((cell_text(c) or "").split())[:80] for c in r] for r in rows[:shown]]
    return Head(text, list(numbers[:shown]), min(index, max(0, len(text) - 1)), signature,
                sheet)


def file_head(data: bytes, file_name: str, *, sheet: str | None = None,
              limits: Limits | None = None, search_rows: int = 20, shown: int = 12) -> Head:
    """:class:`Head` of a file's bytes, read within ``limits`` (run it in the sandbox for a
    file from outside: :func:`cakupan.ingest.sandbox.head_limited`)."""
    table = read_table(data, file_name, sheet, limits=limits or Limits.from_settings(),
                       extra_rows=search_rows)
    return head_of(table.rows[:max(shown, search_rows)], table.numbers[:max(shown, search_rows)],
                   table.sheet, search_rows, shown)
