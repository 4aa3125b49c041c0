"""Parse a big file on disk in chunks, with memory bounded by a chunk, to the same result as
:func:`~cakupan.ingest.parse.parse_file` on the whole file.

What the operator's command line imports (a branch's national export: 1.2M rows, 45 MB);
the web upload keeps the whole-file parse. Two passes over the file, both streamed
(:func:`~cakupan.ingest.read.stream_table`):

1. *survey*: the header (in the first rows, as the whole-file parse finds it), the row
   limit (a file over it is refused before anything is parsed or written), and, per numeric
   column, the conventions its values prove ("1.356.000" is Indonesian, "40.5" English):
   whether "1.356" means 1356 or 1.356 is decided by the *whole* column, so every chunk must
   be told what the whole column says;
2. *parse*: chunk by chunk through one :class:`~cakupan.ingest.parse.BodyParser`, which
   carries the row count, the errors (the first ones kept in sheet order, all counted) and
   the keys seen (a repeat names its first row, in whichever chunk that was).

Reading a CSV twice costs about 2 s per million rows here; it buys results that do not
depend on where the chunks happen to fall. Pure and in-process: the sandbox
(:func:`cakupan.ingest.sandbox.stream_limited`) runs it in a child with the CPU and memory
limits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from pathlib import Path

import pandas as pd

from cakupan.ingest.limits import Limits
from cakupan.ingest.mapping import ColumnMap
from cakupan.ingest.numbers import column_evidence
from cakupan.ingest.parse import (
    HEADER_SEARCH_ROWS,
    BodyParser,
    Plan,
    check_options,
    plan_rows,
)
from cakupan.ingest.read import RowStream, stream_table
from cakupan.ingest.region_column import Resolver
from cakupan.ingest.results import ParseResult

#: Rows per chunk when the caller does not say (``CAKUPAN_IMPORT_CHUNK_ROWS``).
CHUNK_ROWS = 50_000


class StreamedParse:
    """One file on disk, parsed in chunks: :meth:`chunks` yields each chunk's observations,
    then :meth:`result` says what the whole file came to (its ``observations`` empty: they
    were handed on as they came).

    The survey runs when the object is made, so a file refused whole (type, header, rows
    over the limit) raises :class:`~cakupan.ingest.read.IngestError` here, before any chunk.
    Arguments are :func:`~cakupan.ingest.parse.parse_file`'s, with ``path`` for the bytes;
    ``after_chunk`` is called after every chunk of either pass (the sandbox gives each chunk
    its own CPU-time allowance there).
    """

    def __init__(self, path: str | Path, file_name: str | None = None, *,
                 segment: str | None = None, period: str | None = None,
                 sheet: str | None = None, province: str | None = None, lang: str = "id",
                 resolver: Resolver | None = None,
                 allowed_provinces: Iterable[str] | None = None,
                 limits: Limits | None = None, chunk_rows: int = CHUNK_ROWS,
                 after_chunk: Callable[[], None] | None = None,
                 column_map: ColumnMap | None = None) -> None:
        self.path = Path(path)
        self.file_name = file_name or self.path.name
        self.sheet = sheet
        self.column_map = column_map
        self.limits = limits or Limits.from_settings()
        self.chunk_rows = max(1, int(chunk_rows))
        self.after_chunk = after_chunk or (lambda: None)
        self.segment, self.period, self.province = check_options(segment, period, province)
        self.options = {"segment": self.segment, "period": self.period,
                        "province": self.province, "lang": lang, "resolver": resolver,
                        "allowed_provinces": allowed_provinces, "limits": self.limits}
        self.plan, self.evidence = self._survey()
        self._body: BodyParser | None = None

    def _open(self) -> RowStream:
        return stream_table(self.path, self.file_name, self.sheet, limits=self.limits)

    def _pieces(self, stream: RowStream) -> tuple[Plan, Iterator[tuple[list, list]]]:
        """The plan from the top rows, and the body below the header in chunks of
        ``(rows, sheet numbers)``."""
        top = list(islice(stream.rows, HEADER_SEARCH_ROWS))
        plan = plan_rows([cells for _, cells in top], [n for n, _ in top], stream.sheet,
                         segment=self.segment, period=self.period, column_map=self.column_map)

        def chunks() -> Iterator[tuple[list, list]]:
            pending = top[plan.header_index + 1:]
            while True:
                if len(pending) < self.chunk_rows:
                    pending.extend(islice(stream.rows, self.chunk_rows - len(pending)))
                if not pending:
                    return
                piece, pending = pending[:self.chunk_rows], pending[self.chunk_rows:]
                yield [cells for _, cells in piece], [n for n, _ in piece]

        return plan, chunks()

    def _survey(self) -> tuple[Plan, dict[int, frozenset[str]]]:
        stream = self._open()
        try:
            plan, chunks = self._pieces(stream)
            counter = BodyParser(plan, **self.options)
            evidence: dict[int, set[str]] = {p: set() for p in plan.numeric_positions}
            for rows, numbers in chunks:
                cells, _ = counter.cells(rows, numbers)
                for position, seen in evidence.items():
                    if len(seen) < 2 and len(cells):
                        seen |= column_evidence(cells[position])
                self.after_chunk()
        finally:
            stream.close()
        return plan, {p: frozenset(seen) for p, seen in evidence.items()}

    def chunks(self) -> Iterator[pd.DataFrame]:
        """Each chunk's observations (rows with an error left out, as in a whole-file parse);
        row errors accumulate in :meth:`result`."""
        stream = self._open()
        try:
            plan, chunks = self._pieces(stream)
            self._body = BodyParser(plan, evidence=self.evidence, **self.options)
            for rows, numbers in chunks:
                yield self._body.parse(rows, numbers)
                self.after_chunk()
        finally:
            stream.close()

    @property
    def error_count(self) -> int:
        """Row errors found so far (all of them, not only those kept)."""
        return self._body.errors.total if self._body is not None else 0

    def result(self) -> ParseResult:
        """What the chunks read so far came to (call after :meth:`chunks` is exhausted)."""
        body = self._body or BodyParser(self.plan, evidence=self.evidence, **self.options)
        return body.result()


def parse_file_chunked(path: str | Path, file_name: str | None = None, *,
                       chunk_rows: int = CHUNK_ROWS, **options: object) -> ParseResult:
    """The whole result of a chunked parse, observations concatenated: for tests that compare
    it with :func:`~cakupan.ingest.parse.parse_file`, and small files."""
    parse = StreamedParse(path, file_name, chunk_rows=chunk_rows, **options)  # type: ignore[arg-type]
    frames = [frame for frame in parse.chunks() if len(frame)]
    result = parse.result()
    if frames:
        result.observations = pd.concat(frames, ignore_index=True)
    return result
