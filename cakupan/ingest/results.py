"""What the importer reports: row-level errors that name the row and column, and the outcome
of a parse or an import (the JSON of CONTRACTS.md command 3).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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


class RowErrors:
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
