"""The audit trail: one append-only row per change, written in the same transaction as the
change itself, so a change without its audit row (or the reverse) cannot exist.

Rows are never updated or deleted by Cakupan; on PostgreSQL :func:`grant_app_role` gives the
app's database role INSERT and SELECT on ``audit`` only, so not even a bug could rewrite it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from cakupan.core.access import ACTIONS, Actor
from cakupan.store import schema
from cakupan.store.database import writing

AUDIT_COLUMNS = ["id", "at", "actor", "action", "batch_id", "file_name", "sha256", "rows",
                 "regions", "totals_before", "totals_after", "detail"]


def now() -> str:
    """UTC time as the store writes it: ISO 8601 to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def record(conn: Connection, actor: Actor, action: str, *, batch_id: str | None = None,
           file_name: str | None = None, sha256: str | None = None, rows: int | None = None,
           regions: Iterable[str] = (), totals_before: dict | None = None,
           totals_after: dict | None = None, **detail: Any) -> None:
    """Append one audit row on ``conn`` (the caller's write transaction)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    conn.execute(schema.audit.insert().values(
        at=now(), actor=actor.id, action=action, batch_id=batch_id, file_name=file_name,
        sha256=sha256, rows=rows, regions=",".join(sorted(set(regions))) or None,
        totals_before=json.dumps(totals_before) if totals_before is not None else None,
        totals_after=json.dumps(totals_after) if totals_after is not None else None,
        detail=json.dumps(detail, ensure_ascii=False, default=str) if detail else None))


def audit_trail(engine: Engine, *, actor: str | None = None, action: str | None = None,
                provinces: Iterable[str] | None = None, limit: int | None = None
                ) -> pd.DataFrame:
    """Audit rows, newest first, optionally filtered by actor id, action and the provinces
    whose regions a row touched (what an editor of those provinces is shown)."""
    a = schema.audit
    query = sa.select(*[a.c[c] for c in AUDIT_COLUMNS]).order_by(a.c.id.desc())
    if actor:
        query = query.where(a.c.actor == actor)
    if action:
        query = query.where(a.c.action == action)
    with engine.connect() as conn:
        result = conn.execute(query)
        frame = pd.DataFrame.from_records(result.fetchall(), columns=AUDIT_COLUMNS)
    if provinces is not None:
        wanted = set(provinces)
        codes = frame["regions"].fillna("")
        frame = frame[codes.map(lambda s: any(c[:2] in wanted for c in s.split(",") if c))]
    if limit is not None:
        frame = frame.head(limit)
    return frame.reset_index(drop=True)


def grant_app_role(engine: Engine, role: str) -> None:
    """PostgreSQL: let ``role`` (the app's login) read and write the store, but only read and
    append to the audit trail. Run by the tables' owner (the operator), never by the app."""
    if engine.dialect.name != "postgresql":
        raise ValueError("grants are a PostgreSQL feature; SQLite has no roles")
    quoted = engine.dialect.identifier_preparer.quote(role)
    others = [t.name for t in schema.metadata.sorted_tables if t.name != "audit"] + ["meta"]
    with writing(engine) as conn:
        for table in dict.fromkeys(others):
            conn.exec_driver_sql(f"GRANT SELECT, INSERT, UPDATE ON {table} TO {quoted}")
        conn.exec_driver_sql(f"REVOKE ALL ON audit FROM {quoted}")
        conn.exec_driver_sql(f"GRANT SELECT, INSERT ON audit TO {quoted}")
        schema_name = conn.exec_driver_sql("SELECT current_schema()").scalar()
        conn.exec_driver_sql(
            f"GRANT USAGE ON SCHEMA {engine.dialect.identifier_preparer.quote(schema_name)} "
            f"TO {quoted}")
        conn.exec_driver_sql(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA "
                             f"{engine.dialect.identifier_preparer.quote(schema_name)} "
                             f"TO {quoted}")
