"""What the importer reports: row-level errors that name the row and column, and the outcome
of a parse or an import (the JSON of CONTRACTS.md command 3).

Errors are capped while they are collected: a file of a million bad rows keeps the first
``keep`` errors (in sheet order) with their text, and only *counts* the rest, in total and per
message key, so the answer stays small and the person still learns how much is wrong.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from cakupan.ingest.messages import format_message

OBSERVATION_COLUMNS = (
    "period", "region_code", "scope", "segment", "programme", "registered", "eligible",
    "coverage_pct", "illustrative", "source_id", "batch_id", "note",
)
KEY_COLUMNS = ("period", "region_code", "scope", "segment", "programme")


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
    #: All errors found; ``errors`` holds only the first ones (``Limits.errors_kept``).
    error_count: int | None = None
    #: Errors per message key (all of them, not only those kept).
    error_counts: dict[str, int] = field(default_factory=dict)
    #: What was kept but is worth saying (a month read from a title row, an old extent, a
    #: province total that is not the sum of its regencies), each naming its row and column.
    warnings: list[RowError] = field(default_factory=list)

    def __post_init__(self) -> None:
        _complete_counts(self)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.error_count


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
    #: Keys where a published figure exists (shown at review; kept unless preferred).
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    #: The parsed figures (for the review step's preview); not part of the JSON.
    observations: pd.DataFrame | None = field(default=None, repr=False, compare=False)
    #: All errors found (``errors`` may hold only the first ones); default ``len(errors)``.
    error_count: int | None = None
    #: Errors per message key, all of them.
    error_counts: dict[str, int] = field(default_factory=dict)
    #: Kept, not refused (CONTRACTS.md command 3, ``warnings``): see ``ParseResult.warnings``.
    warnings: list[RowError] = field(default_factory=list)

    def __post_init__(self) -> None:
        _complete_counts(self)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.error_count

    def to_dict(self) -> dict[str, Any]:
        """CONTRACTS.md command 3, with its ``error_count`` and ``warnings`` extensions."""
        return {"batch_id": self.batch_id, "rows": self.rows, "imported": self.imported,
                "errors": [e.to_dict() for e in self.errors], "unmatched": list(self.unmatched),
                "conflicts": list(self.conflicts), "error_count": int(self.error_count or 0),
                "warnings": [w.to_dict() for w in self.warnings]}


def _complete_counts(result: ParseResult | ImportResult) -> None:
    """Fill ``error_count``/``error_counts`` from ``errors`` when a caller gave only the list
    (a file-level refusal wrapped as one error on row 0, a test's hand-made result)."""
    if result.error_count is None:
        result.error_count = len(result.errors)
    if not result.error_counts and result.errors:
        result.error_counts = dict(Counter(e.key for e in result.errors))


#: Errors kept when a caller does not say (``Limits.errors_kept`` in the importer).
DEFAULT_KEEP = 100
#: Rows marked in a bitmap (8 MB at most); a larger row number, which no sheet has, in a set.
_BITMAP_ROWS = 1 << 26


class RowErrors:
    """Collects row errors once per (row, column, key), keeping only the first ``keep`` in
    sheet order (row, then column position, then key) and counting the rest.

    Memory is bounded by what must be remembered to count honestly: one small integer per
    distinct (row, column, key) and one bit per row, never a message or a parameter dict
    for an error that will not be shown. The text of a kept error is made when it is
    asked for (:meth:`sorted`), so an error pushed out by an earlier row costs no formatting.
    """

    def __init__(self, lang: str, order: dict[str, int], keep: int = DEFAULT_KEEP) -> None:
        self.lang = lang
        self.order = order
        self.keep = max(1, keep)
        self.total = 0
        self.counts: Counter[str] = Counter()
        self._row_bits = bytearray()  # bit r: sheet row r has an error
        self._far_rows: set[int] = set()  # rows beyond the bitmap (none in a real sheet)
        self._seen: set[int | tuple[int, int]] = set()
        self._labels: dict[tuple[str, str], int] = {}
        # (sort key, row, column, key, params) of candidates; trimmed to ``keep`` when it
        # reaches twice that, so adding stays amortised O(log keep).
        self._kept: list[tuple[tuple[int, int, str], int, str, str, dict[str, Any]]] = []
        self._worst: tuple[int, int, str] | None = None

    def add(self, row: int, column: str, key: str, **params: Any) -> None:
        label = self._labels.setdefault((column, key), len(self._labels))
        slot: int | tuple[int, int] = (row << 20) | label if label < 1 << 20 else (row, label)
        if slot in self._seen:
            return
        self._seen.add(slot)
        self._mark(row)
        self.total += 1
        self.counts[key] += 1
        rank = (row, self.order.get(column, 10_000), key)
        if self._worst is not None and rank >= self._worst:
            return  # beyond the first ``keep`` already held: counted, not kept
        self._kept.append((rank, row, column, key, params))
        if len(self._kept) >= 2 * self.keep:
            self._trim()

    def _trim(self) -> None:
        self._kept.sort(key=lambda item: item[0])
        del self._kept[self.keep:]
        self._worst = self._kept[-1][0] if len(self._kept) == self.keep else None

    def _mark(self, row: int) -> None:
        if not 0 <= row < _BITMAP_ROWS:
            self._far_rows.add(row)
            return
        byte = row >> 3
        if byte >= len(self._row_bits):  # grow geometrically: amortised O(1)
            self._row_bits.extend(bytes(max(byte + 1, 2 * len(self._row_bits))
                                        - len(self._row_bits)))
        self._row_bits[byte] |= 1 << (row & 7)

    def flags(self, rows: np.ndarray) -> np.ndarray:
        """For each sheet row in ``rows``, whether it has an error (kept or only counted)."""
        rows = np.asarray(rows, dtype=np.int64)
        out = np.zeros(len(rows), dtype=bool)
        bits = np.frombuffer(bytes(self._row_bits), dtype=np.uint8)
        inside = (rows >= 0) & (rows < len(bits) * 8)
        picked = rows[inside]
        out[inside] = ((bits[picked >> 3] >> (picked & 7)) & 1).astype(bool)
        if self._far_rows:
            out |= np.isin(rows, np.fromiter(self._far_rows, dtype=np.int64))
        return out

    def sorted(self) -> list[RowError]:
        """The first ``keep`` errors in sheet order, with their text in ``lang``."""
        self._trim()
        return [RowError(row, column, format_message(key, params, self.lang), key, params)
                for _, row, column, key, params in self._kept]

    def __len__(self) -> int:
        return self.total
