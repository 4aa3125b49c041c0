"""The importer: a branch's own spreadsheet in, tidy observations or row-level errors out.

Modules, from the bottom up (each may import only those below it; ``pyproject.toml`` checks):

- ``limits``: the declared limits of one upload (size, rows, XLSX unpacking, CPU, memory,
  errors kept), read from ``cakupan.core.settings``;
- ``messages``: every error and warning sentence, in Bahasa Indonesia and English, plain or
  Markdown-escaped, worded for the app or the command line;
- ``numbers``, ``periods``: Indonesian numbers ("1.356", "40,5%") and periods ("Okt 2018");
- ``read``: bytes to cells (CSV with any delimiter and encoding, XLSX after a look at its zip
  and XML prologs), within the limits;
- ``headers``: what each column holds, from the words people write in headers;
- ``cells``, ``results``: one cell's text; row errors and the outcome of a parse or import;
- ``region_column``: the region of every row (code, name, province scope, ``pemprov``);
- ``keys``: the keys a file has shown so far (repeats name their first row, across chunks);
- ``parse``: :func:`parse_file`, pure: the whole table, in any of its layouts (a header
  ``Plan`` and a ``BodyParser`` that also takes the rows chunk by chunk);
- ``stream``: a big file on disk parsed in chunks to the same result, memory bounded by a
  chunk (two streamed passes: survey, then parse);
- ``sandbox``: :func:`parse_file_limited`, the same in a child process with CPU-time and
  memory limits (what files from outside go through), and :func:`stream_limited` for a
  streamed parse there (a CPU-time allowance per chunk);
- ``importer``: :func:`import_file`: parse, then write one batch through the store;
- ``bulk``: :func:`import_large_file`: the command line's import of a file on disk, in
  chunks into one transaction, within :meth:`Limits.for_command_line`;
- ``template``: the downloadable template people can fill in.

Callers use the package: ``from cakupan import ingest; ingest.parse_file(...)``; the public
names are re-exported below. May import: ``cakupan.store``, ``cakupan.regions``,
``cakupan.core``.
"""

from cakupan.ingest.bulk import import_large_file
from cakupan.ingest.importer import content_key, import_file, source_for
from cakupan.ingest.limits import Limits
from cakupan.ingest.parse import (
    HEADER_SEARCH_ROWS,
    MAX_BYTES,
    MEASURES,
    SEGMENTS,
    TOTAL_ROW_LABELS,
    parse_file,
)
from cakupan.ingest.read import ImportUnavailable, IngestError, xlsx_sheet_names
from cakupan.ingest.region_column import Resolver, saved_alias_resolver
from cakupan.ingest.results import (
    KEY_COLUMNS,
    OBSERVATION_COLUMNS,
    ImportResult,
    ParseResult,
    RowError,
)
from cakupan.ingest.sandbox import parse_file_limited, stream_limited, warm_up
from cakupan.ingest.stream import StreamedParse, parse_file_chunked

__all__ = [
    "HEADER_SEARCH_ROWS", "KEY_COLUMNS", "MAX_BYTES", "MEASURES", "OBSERVATION_COLUMNS",
    "SEGMENTS", "TOTAL_ROW_LABELS", "ImportResult", "ImportUnavailable", "IngestError",
    "Limits", "ParseResult", "Resolver", "RowError", "StreamedParse", "content_key",
    "import_file", "import_large_file", "parse_file", "parse_file_chunked",
    "parse_file_limited", "saved_alias_resolver", "source_for", "stream_limited", "warm_up",
    "xlsx_sheet_names",
]
