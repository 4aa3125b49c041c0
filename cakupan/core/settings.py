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
