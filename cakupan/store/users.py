"""Who has which role: the ``users`` table, managed by admins (the app's page or the command
line) and read on every sign-in to turn an identity into an :class:`~cakupan.core.access.Actor`.

No password is ever stored: identities come from the sign-in provider (or the operator's
shell); an address without a row here is a viewer.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from cakupan import regions
from cakupan.core.access import ROLES, Actor, person, require
from cakupan.core.errors import CakupanError
from cakupan.store import schema
from cakupan.store.audit import now, record
from cakupan.store.database import writing

USER_COLUMNS = ["email", "role", "provinces", "added_by", "added_at"]


def _email(value: str) -> str:
    address = str(value or "").strip().lower()
    if "@" not in address or len(address) > 254 or any(c.isspace() for c in address):
        raise CakupanError(f"{value!r} is not an e-mail address")
    return address


def _provinces(role: str, provinces: Iterable[str]) -> list[str]:
    codes = sorted({str(p).strip() for p in provinces if str(p).strip()})
    bad = [c for c in codes if not regions.is_province_code(c)]
    if bad:
        raise CakupanError(f"not province codes: {', '.join(bad)} (expected e.g. 81, 74)")
    if role == "editor" and not codes:
        raise CakupanError("an editor needs at least one province (--provinces 81,74)")
    return codes if role == "editor" else []


def add_user(engine: Engine, email: str, role: str, provinces: Iterable[str] = (), *,
             actor: Actor | None) -> dict:
    """Give ``email`` a role (replacing any earlier one); admins only; audited."""
    require(actor, "users")
    if role not in ROLES:
        raise CakupanError(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
    address, codes = _email(email), _provinces(role, provinces)
    row = {"email": address, "role": role, "provinces": ",".join(codes),
           "added_by": actor.id, "added_at": now()}  # type: ignore[union-attr]
    with writing(engine) as conn:
        before = conn.execute(sa.select(schema.users).where(
            schema.users.c.email == address)).mappings().first()
        if before is None:
            conn.execute(schema.users.insert().values(**row))
        else:
            conn.execute(schema.users.update().where(schema.users.c.email == address)
                         .values(**row))
        record(conn, actor, "users", regions=codes, change="add", email=address, role=role,
               before=dict(before) if before else None)
    return {k: row[k] for k in ("email", "role")} | {"provinces": codes}


def remove_user(engine: Engine, email: str, *, actor: Actor | None) -> bool:
    """Take ``email``'s role away (it becomes a viewer); admins only; audited."""
    require(actor, "users")
    address = _email(email)
    with writing(engine) as conn:
        gone = conn.execute(schema.users.delete().where(schema.users.c.email == address)).rowcount
        if gone:
            record(conn, actor, "users", change="remove", email=address)
    return bool(gone)


def list_users(engine: Engine) -> pd.DataFrame:
    with engine.connect() as conn:
        result = conn.execute(sa.select(schema.users).order_by(schema.users.c.email))
        return pd.DataFrame.from_records(result.fetchall(), columns=USER_COLUMNS)


def actor_for(engine: Engine, email: str) -> Actor:
    """The actor a signed-in address acts as: its stored role, or a viewer."""
    address = str(email or "").strip().lower()
    with engine.connect() as conn:
        row = conn.execute(sa.select(schema.users).where(
            schema.users.c.email == address)).mappings().first()
    if row is None:
        return person(address, "viewer")
    provinces = [p for p in str(row["provinces"] or "").split(",") if p]
    return person(address, row["role"], provinces)
