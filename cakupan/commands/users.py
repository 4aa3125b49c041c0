"""``users add EMAIL --role viewer|editor|admin [--provinces 81,74]``, ``users list``,
``users remove EMAIL`` (all with ``--json``).

Only roles are stored: identities come from the sign-in provider, and no password is ever kept.
JSON: ``add`` -> ``{"email", "role", "provinces"}``; ``list`` -> an array of those plus
``added_by`` and ``added_at``; ``remove`` -> ``{"email", "removed": bool}``.
"""

from __future__ import annotations

import argparse

from cakupan import store
from cakupan.commands.acting import actor_of
from cakupan.commands.cli import Outcome


def run(args: argparse.Namespace) -> Outcome:
    engine = store.get_engine()
    actor = actor_of(args, engine)
    if args.action == "add":
        provinces = [p for p in args.provinces.split(",") if p.strip()]
        row = store.add_user(engine, args.email, args.role, provinces, actor=actor)
        scope = f" for {', '.join(row['provinces'])}" if row["provinces"] else ""
        return Outcome(row, f"{row['email']}: {row['role']}{scope}")
    if args.action == "remove":
        removed = store.remove_user(engine, args.email, actor=actor)
        text = f"{args.email}: " + ("role removed (a viewer now)" if removed else "had no role")
        return Outcome({"email": args.email.strip().lower(), "removed": removed}, text)
    users = store.list_users(engine)
    rows = [{"email": r["email"], "role": r["role"],
             "provinces": [p for p in str(r["provinces"]).split(",") if p],
             "added_by": r["added_by"], "added_at": r["added_at"]}
            for r in users.to_dict("records")]
    text = "\n".join(f"{r['email']}  {r['role']}  {','.join(r['provinces'])}" for r in rows)
    return Outcome(rows, text or "no users with a role (everyone is a viewer)")
