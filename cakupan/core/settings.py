"""Every setting the project reads from the environment, with its default, in one place.

See the table in README.md ("Settings"); CONTRACTS.md fixes the names.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
DATA_DIR = PROJECT_DIR / "data"
GEO_DIR = PROJECT_DIR / "geo"

#: Pinned upstream commit of cahyadsn/wilayah_boundaries (see geo/README.md).
GEO_UPSTREAM_COMMIT = "3c5a7960f4d227a38489094d84252bdbb3f978a5"
GEO_UPSTREAM_BASE = (
    "https://raw.githubusercontent.com/cahyadsn/wilayah_boundaries/" + GEO_UPSTREAM_COMMIT
)


def database_url() -> str:
    """SQLAlchemy URL of the store: ``CAKUPAN_DATABASE_URL`` or a SQLite file in ``data/``."""
    url = os.environ.get("CAKUPAN_DATABASE_URL", "").strip()
    return url or f"sqlite:///{DATA_DIR / 'cakupan.sqlite'}"


def geo_source() -> str:
    """Where boundary files come from: ``CAKUPAN_GEO_MIRROR`` (folder or URL) or upstream."""
    return os.environ.get("CAKUPAN_GEO_MIRROR", "").strip() or GEO_UPSTREAM_BASE


def cache_dir() -> Path:
    """Folder for built boundary files (git-ignored by default)."""
    raw = os.environ.get("CAKUPAN_CACHE_DIR", "").strip()
    return Path(raw) if raw else GEO_DIR / "cache"


# --- limits of the importer (README, "Limits"; STYLE.md 19) ----------------------------------
# Each is read when an upload is checked, so an operator (or a test) can change it in the
# environment without a code change. Defaults fit the largest honest file with room to spare
# (every regency, every month of ten years, one segment, long layout: 514 x 120 = 61,680 rows)
# while keeping one hostile upload from taking the server's memory or a CPU for minutes.

#: Default upload limit in MB (``.streamlit/config.toml`` ``server.maxUploadSize`` says the same).
UPLOAD_MAX_MB_DEFAULT = 25.0


def _number(name: str, default: float) -> float:
    """A positive number from the environment (``_`` allowed as in ``200_000``), or
    ``default`` when unset or empty.

    Raises ``ValueError`` naming the variable for anything else: a typo in a limit must stop
    the operator, not silently turn the limit off.
    """
    raw = os.environ.get(name, "").strip().replace("_", "")
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{name}={raw!r} is not a number (default {default:g})") from None
    if not 0 < value < float("inf"):
        raise ValueError(f"{name}={raw!r} must be a positive number (default {default:g})")
    return value


def upload_max_bytes() -> int:
    """Largest file the importer reads: ``CAKUPAN_UPLOAD_MAX_MB`` (default 25 MB, 1 MB = 2**20)."""
    return int(_number("CAKUPAN_UPLOAD_MAX_MB", UPLOAD_MAX_MB_DEFAULT) * 2**20)


def import_max_rows() -> int:
    """Most data rows in one file: ``CAKUPAN_IMPORT_MAX_ROWS`` (default 200,000)."""
    return max(1, int(_number("CAKUPAN_IMPORT_MAX_ROWS", 200_000)))


def xlsx_max_uncompressed_bytes() -> int:
    """Most bytes the entries of one XLSX may unpack to: ``CAKUPAN_XLSX_MAX_UNCOMPRESSED_MB``
    (default 200 MB): a 25 MB workbook of real figures unpacks to well under that."""
    return int(_number("CAKUPAN_XLSX_MAX_UNCOMPRESSED_MB", 200.0) * 2**20)


def xlsx_max_ratio() -> float:
    """Highest compression ratio of one XLSX entry: ``CAKUPAN_XLSX_MAX_RATIO`` (default 100;
    real sheets compress 5 to 20 times, a zip bomb thousands of times)."""
    return _number("CAKUPAN_XLSX_MAX_RATIO", 100.0)


def parse_cpu_seconds() -> int:
    """CPU seconds one file may take to check: ``CAKUPAN_PARSE_CPU_SECONDS`` (default 20;
    whole seconds, as ``RLIMIT_CPU`` counts them)."""
    return max(1, round(_number("CAKUPAN_PARSE_CPU_SECONDS", 20.0)))


def parse_memory_bytes() -> int:
    """Address space of the process that checks one file: ``CAKUPAN_PARSE_MEMORY_MB``
    (default 1536 MB, of which Python with pandas takes about 400 MB before reading)."""
    return int(_number("CAKUPAN_PARSE_MEMORY_MB", 1536.0) * 2**20)


def errors_kept() -> int:
    """Row errors kept and shown per file: ``CAKUPAN_ERRORS_KEPT`` (default 100); the rest are
    counted (in total and per kind of error), not kept."""
    return max(1, int(_number("CAKUPAN_ERRORS_KEPT", 100)))


def freshness_seconds() -> float:
    """How often an open page checks whether new data was published: ``CAKUPAN_FRESHNESS_S``
    (default 5 s; 0 turns the check off). Each check reads one row (the data version)."""
    if os.environ.get("CAKUPAN_FRESHNESS_S", "").strip() in ("0", "0.0"):
        return 0.0
    return _number("CAKUPAN_FRESHNESS_S", 5.0)


# --- the store's timeouts (README, "Settings" and "Limits"; STYLE.md 19) -----------------------
# PostgreSQL only: SQLite is a local file (its writers wait up to a fixed 30 s busy timeout).


def db_connect_timeout_s() -> int:
    """Seconds to wait for PostgreSQL to accept a connection and log in:
    ``CAKUPAN_DB_CONNECT_TIMEOUT_S`` (default 5; whole seconds, at least 2, as libpq counts).

    A server that accepts the TCP connection but never answers (a stopped VM behind a live
    address, a wedged proxy) otherwise holds a command or a page without end.
    """
    return max(2, round(_number("CAKUPAN_DB_CONNECT_TIMEOUT_S", 5.0)))


def db_statement_timeout_s() -> float:
    """Longest one SQL statement may run: ``CAKUPAN_DB_STATEMENT_TIMEOUT_S`` (default 30 s);
    PostgreSQL then cancels it (``statement_timeout``) and the transaction rolls back. Page
    queries take milliseconds; a writer waiting this long for another's lock gives up."""
    return _number("CAKUPAN_DB_STATEMENT_TIMEOUT_S", 30.0)


def db_import_statement_timeout_s() -> float:
    """The same limit inside an import's transaction: ``CAKUPAN_DB_IMPORT_STATEMENT_TIMEOUT_S``
    (default 600 s). Set there with ``SET LOCAL`` so a big file's inserts (a million rows and
    more from the command line) are not cut by the page limit, while a stuck import still ends.
    """
    return _number("CAKUPAN_DB_IMPORT_STATEMENT_TIMEOUT_S", 600.0)


# --- the operator's command line: a national file in chunks (README, "Limits") --------------
# ``python -m cakupan import`` reads a file from the server's disk, streamed in chunks, so its
# size is bounded by what the operator allows, not by the serving process's memory. The web
# upload keeps the limits above.


def cli_import_max_bytes() -> int:
    """Largest file ``python -m cakupan import`` reads: ``CAKUPAN_CLI_IMPORT_MAX_MB`` (default
    200 MB; the 1.2M-row national panel by programme is about 45 MB)."""
    return int(_number("CAKUPAN_CLI_IMPORT_MAX_MB", 200.0) * 2**20)


def cli_import_max_rows() -> int:
    """Most data rows of one file imported from the command line:
    ``CAKUPAN_CLI_IMPORT_MAX_ROWS`` (default 2,000,000; the national panel by programme has
    1,184,256)."""
    return max(1, int(_number("CAKUPAN_CLI_IMPORT_MAX_ROWS", 2_000_000)))


def import_chunk_rows() -> int:
    """Rows checked and written at a time by the command line's import:
    ``CAKUPAN_IMPORT_CHUNK_ROWS`` (default 50,000). Memory grows with it; each chunk is
    checked within ``CAKUPAN_PARSE_CPU_SECONDS`` and ``CAKUPAN_PARSE_MEMORY_MB``."""
    return max(1, int(_number("CAKUPAN_IMPORT_CHUNK_ROWS", 50_000)))


# --- a boundary file brought by an admin (``geo load``, Kelola Data; README, "Limits") --------
# Read in the same limited child process as spreadsheets (CPU seconds and memory above); these
# bound what the file itself may be. A national regency file written as GeoJSON at full detail
# is about 60 MB; a provincial Shapefile zip a few MB.


def geo_file_max_bytes() -> int:
    """Largest boundary file read: ``CAKUPAN_GEO_FILE_MAX_MB`` (default 100 MB)."""
    return int(_number("CAKUPAN_GEO_FILE_MAX_MB", 100.0) * 2**20)


def geo_zip_max_entries() -> int:
    """Most entries in a zipped boundary file: ``CAKUPAN_GEO_ZIP_MAX_ENTRIES`` (default 50; a
    Shapefile has 4 to 8 parts)."""
    return max(1, int(_number("CAKUPAN_GEO_ZIP_MAX_ENTRIES", 50)))


def geo_zip_max_uncompressed_bytes() -> int:
    """Most bytes a zipped boundary file may unpack to: ``CAKUPAN_GEO_ZIP_MAX_UNCOMPRESSED_MB``
    (default 400 MB)."""
    return int(_number("CAKUPAN_GEO_ZIP_MAX_UNCOMPRESSED_MB", 400.0) * 2**20)


def geo_file_max_features() -> int:
    """Most features in one boundary file: ``CAKUPAN_GEO_FILE_MAX_FEATURES`` (default 100,000;
    Indonesia has about 84,000 villages)."""
    return max(1, int(_number("CAKUPAN_GEO_FILE_MAX_FEATURES", 100_000)))
