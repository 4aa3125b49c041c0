"""Database administration.

``db init [--json]``: create, migrate and seed the store at ``CAKUPAN_DATABASE_URL`` now, so
that the replicas ``serve`` starts next find it ready (instead of each migrating and seeding
at its first visitor). JSON: ``{"store": "sqlite" | "postgresql", "schema_version": int,
"seeded": {"published": str | null, "illustrative": str | null}}`` (ids of batches it added).

``db grant ROLE [--json]``: on PostgreSQL, let the app's login ROLE read and write the store
while the audit trail stays append-only for it (SELECT and INSERT only).
Run by the operator as the tables' owner after the first start; the app then connects as ROLE.
JSON: ``{"role": str, "granted": true}``.
"""

from __future__ import annotations

import argparse

from cakupan import store
from cakupan.commands.cli import Outcome
from cakupan.core.errors import CakupanError
from cakupan.store import schema, seed


def run(args: argparse.Namespace) -> Outcome:
    if args.action == "init":
        return _init()
    engine = store.get_engine(seed=False)
    if engine.dialect.name != "postgresql":
        raise CakupanError("db grant needs PostgreSQL (CAKUPAN_DATABASE_URL); SQLite has no roles")
    store.grant_app_role(engine, args.role)
    return Outcome({"role": args.role, "granted": True},
                   f"{args.role}: may read and write the store; audit is append-only for it")


def _init() -> Outcome:
    engine = store.get_engine(seed=False)
    added = seed.ensure_seeded(engine)
    version = schema.SCHEMA_VERSION
    new = [kind for kind, batch in added.items() if batch]
    return Outcome({"store": engine.dialect.name, "schema_version": version, "seeded": added},
                   f"store ready ({engine.dialect.name}, schema {version}); "
                   f"seeded: {', '.join(new) or 'nothing new'}")
