"""Per-test PostgreSQL schemas, so store tests never share rows (helpers for the fixtures)."""

from __future__ import annotations

import uuid

import sqlalchemy as sa


def isolated_url(url: str) -> tuple[str, str | None]:
    """For PostgreSQL: a fresh schema and a URL that uses it; SQLite URLs pass through."""
    if not url.startswith("postgresql"):
        return url, None
    name = f"t_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {name}")
    engine.dispose()
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3D{name}", name


def drop_schema(url: str, name: str | None) -> None:
    if name is None:
        return
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA {name} CASCADE")
    engine.dispose()
