"""Shared fixtures: which database, browser and boundary files the tests may use.

Services that may be missing on a developer's machine (PostgreSQL, Chromium, boundary files)
skip their tests locally with a reason, but CI sets ``CAKUPAN_REQUIRE_*=1`` so that a missing
service fails the run instead of silently skipping it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def require(flag: str, available: bool, reason: str) -> None:
    """Skip when a service is missing, unless CI demands it (then fail)."""
    if available:
        return
    if os.environ.get(flag) == "1":
        pytest.fail(f"{reason} (required because {flag}=1)")
    pytest.skip(reason)


@pytest.fixture(scope="session", autouse=True)
def _isolated_store(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Never touch the developer's own store: tests get a fresh SQLite file by default."""
    if not os.environ.get("CAKUPAN_TEST_KEEP_DB_URL"):
        db = tmp_path_factory.mktemp("store") / "cakupan.sqlite"
        os.environ["CAKUPAN_DATABASE_URL"] = f"sqlite:///{db}"


@pytest.fixture(scope="session")
def pg_url() -> str:
    url = os.environ.get("CAKUPAN_TEST_PG_URL", "")
    require("CAKUPAN_REQUIRE_PG", bool(url), "CAKUPAN_TEST_PG_URL is not set (no PostgreSQL)")
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database URL for store tests: each runs once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.sqlite'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = os.environ.get("CAKUPAN_CHROMIUM", "/usr/bin/chromium")
    require("CAKUPAN_REQUIRE_BROWSER", Path(path).exists() or bool(shutil.which(path)),
            f"Chromium not found at {path}")
    return path


@pytest.fixture(scope="session")
def geo_ready() -> None:
    """Build (or reuse) the boundary cache once per session; skip/fail if no source."""
    from cakupan import geo

    try:
        geo.build()
    except Exception as err:  # GeoUnavailable or a network error: report, don't hide
        require("CAKUPAN_REQUIRE_GEO", False, f"boundaries unavailable: {err}")
