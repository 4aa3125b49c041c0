"""The importer: a branch's own spreadsheet in, tidy observations or row-level errors out.

Modules, from the bottom up (each may import only those below it; ``pyproject.toml`` checks):

- ``messages``: every error and warning sentence, in Bahasa Indonesia and English;
- ``numbers``, ``periods``: Indonesian numbers ("1.356", "40,5%") and periods ("Okt 2018");
- ``read``: bytes to cells (CSV with any delimiter and encoding, XLSX), with their limits;
- ``headers``: what each column holds, from the words people write in headers;
- ``cells``, ``results``: one cell's text; row errors and the outcome of a parse or import;
- ``region_column``: the region of every row (code, name, province scope, ``pemprov``);
- ``parse``: :func:`parse_file`, pure: the whole table, in any of its layouts;
- ``importer``: :func:`import_file`: parse, then write one batch through the store;
- ``template``: the downloadable template people can fill in.

Callers use the package: ``from cakupan import ingest; ingest.parse_file(...)``; the public
names are re-exported below. May import: ``cakupan.store``, ``cakupan.regions``,
``cakupan.core``.
"""

from cakupan.ingest.importer import content_key, import_file, source_for
from cakupan.ingest.parse import (
    HEADER_SEARCH_ROWS,
    MAX_BYTES,
    MEASURES,
    SEGMENTS,
    TOTAL_ROW_LABELS,
    parse_file,
)
from cakupan.ingest.read import IngestError
from cakupan.ingest.region_column import Resolver
from cakupan.ingest.results import (
    KEY_COLUMNS,
    OBSERVATION_COLUMNS,
    ImportResult,
    ParseResult,
    RowError,
)

__all__ = [
    "HEADER_SEARCH_ROWS", "KEY_COLUMNS", "MAX_BYTES", "MEASURES", "OBSERVATION_COLUMNS",
    "SEGMENTS", "TOTAL_ROW_LABELS", "ImportResult", "IngestError", "ParseResult", "Resolver",
    "RowError", "content_key", "import_file", "parse_file", "source_for",
]
