"""Fixtures for the store tests: an empty store on SQLite and on PostgreSQL.

Each PostgreSQL test gets a schema of its own (through ``search_path`` in the URL), so tests
never see each other's rows, nor those of other suites sharing the same test database.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine

from cakupan import store
from tests.store.dbs import drop_schema, isolated_url


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the PostgreSQL variants ``pg`` so ``-m 'not pg'`` runs the SQLite half alone."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        # Only string parameters: a test elsewhere may be parametrized with frames, whose
        # == answers element-wise (this hook sees every collected item, not only store's).
        if callspec and any(isinstance(v, str) and v == "postgresql"
                            for v in callspec.params.values()):
            item.add_marker(pytest.mark.pg)


@pytest.fixture
def store_url(db_url: str) -> Iterator[str]:
    """A URL of an empty database (the ``db_url`` fixture: SQLite and PostgreSQL)."""
    url, schema_name = isolated_url(db_url)
    yield url
    store.clear_engines()
    drop_schema(db_url, schema_name)


@pytest.fixture
def engine(store_url: str) -> Engine:
    """An empty, migrated store (no default dataset: each test writes what it asserts on)."""
    return store.get_engine(store_url, seed=False)
