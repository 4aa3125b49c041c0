"""Names people picked for a region at review time, kept so the next file resolves them.

The committed alias table (``data/region_aliases.csv``) is reviewed data; these are a branch's
own spellings ("Kab. Tual", "Kota Tual (SBT)"), saved by an editor of that region, audited and
consulted before the fuzzy matcher on the next import.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from cakupan import regions
from cakupan.core.access import Actor, require
from cakupan.core.errors import CakupanError
from cakupan.regions.resolve import key
from cakupan.store import schema
from cakupan.store.audit import now, record
from cakupan.store.database import writing


def save_alias(engine: Engine, alias: str, code: str, *, actor: Actor | None) -> None:
    """Remember that ``alias`` means region ``code`` (an editor of its province, audited)."""
    name = " ".join(str(alias or "").split())
    if not name or len(name) > 200:
        raise CakupanError("an alias needs 1 to 200 characters")
    if not regions.is_valid_code(code):
        raise CakupanError(f"{code!r} is not a region code such as '81.03'")
    who = require(actor, "alias", [code[:2]])
    with writing(engine) as conn:
        conn.execute(schema.aliases.delete().where(schema.aliases.c.alias == key(name)))
        conn.execute(schema.aliases.insert().values(alias=key(name), code=code,
                                                    saved_by=who.id, saved_at=now()))
        record(conn, who, "alias", regions=[code], alias=name)


def saved_aliases(engine: Engine) -> dict[str, str]:
    """Normalised alias -> code, as :func:`cakupan.regions.resolve.key` normalises names."""
    with engine.connect() as conn:
        return dict(conn.execute(sa.select(schema.aliases.c.alias, schema.aliases.c.code)).all())
