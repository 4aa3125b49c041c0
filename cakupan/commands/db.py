"""``db grant ROLE [--json]``: on PostgreSQL, let the app's login ROLE read and write the store
while the audit trail stays append-only for it (SELECT and INSERT only).

Run by the operator as the tables' owner after the first start; the app then connects as ROLE.
JSON: ``{"role": str, "granted": true}``.
"""

from __future__ import annotations

import argparse

from cakupan import store
from cakupan.commands.cli import Outcome
from cakupan.core.errors import CakupanError


def run(args: argparse.Namespace) -> Outcome:
    engine = store.get_engine(seed=False)
    if engine.dialect.name != "postgresql":
        raise CakupanError("db grant needs PostgreSQL (CAKUPAN_DATABASE_URL); SQLite has no roles")
    store.grant_app_role(engine, args.role)
    return Outcome({"role": args.role, "granted": True},
                   f"{args.role}: may read and write the store; audit is append-only for it")
