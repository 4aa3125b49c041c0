"""A throwaway PostgreSQL cluster for a test (:mod:`cakupan.hosting.postgres`).

Its folder is made directly under ``/tmp``: pytest's own temporary folders are closed to other
users (mode 0700), and as root the server runs as the ``postgres`` user, which must reach it.
Skipped locally without Debian's server binaries; a failure in CI (``CAKUPAN_REQUIRE_PG=1``).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cakupan.hosting import postgres
from tests.conftest import require


def require_binaries() -> None:
    require("CAKUPAN_REQUIRE_PG", postgres.find_bin_dir() is not None,
            "PostgreSQL server binaries not found (/usr/lib/postgresql/<version>/bin)")


@contextmanager
def cluster_folder() -> Iterator[Path]:
    """An empty folder for a cluster, removed afterwards whatever happened."""
    folder = Path(tempfile.mkdtemp(prefix="cakupan-pg-", dir="/tmp"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
