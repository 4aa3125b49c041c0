"""Column mappings people saved for a header signature, so next month's export of the same
shape is read the same way without asking again (issue 12, item 2).

A mapping is what the person said each column holds (``region=A,registered=D``, as
``import --map`` takes it; made and read by :mod:`cakupan.ingest.mapping`, which the store does
not import); the signature is a short hash of the file's normalised header row. Saving one is
a write like saving an alias: the actor must be an editor of the provinces of the file it was
checked on (an admin anywhere), one row is kept per (signature, province) and every save is
in the audit trail. An editor is offered only mappings saved for its own provinces.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from cakupan import regions
from cakupan.core.access import Actor, require
from cakupan.core.errors import CakupanError
from cakupan.store import schema
from cakupan.store.audit import now, record
from cakupan.store.database import writing

_SIGNATURE = re.compile(r"^[0-9a-f]{16}$")
#: Longest mapping text kept (a mapping names a handful of columns).
MAX_MAPPING_CHARS = 2000


def save_column_map(engine: Engine, signature: str, mapping: str, *,
                    provinces: Iterable[str], actor: Actor | None) -> None:
    """Remember ``mapping`` for files whose header has ``signature``, for ``provinces`` (the
    provinces of the file it was checked on), as ``actor`` (checked, audited).

    Raises
    ------
    CakupanError
        A malformed signature, an empty or over-long mapping, no or unknown provinces;
        :class:`~cakupan.core.access.PermissionDenied` for an actor who may not change them.
    """
    if not isinstance(signature, str) or not _SIGNATURE.match(signature):
        raise CakupanError("a header signature is 16 hexadecimal digits")
    text = " ".join(str(mapping or "").split())
    if not text or len(text) > MAX_MAPPING_CHARS:
        raise CakupanError(f"a column mapping needs 1 to {MAX_MAPPING_CHARS} characters")
    wanted = sorted(set(provinces))
    if not wanted or not all(regions.is_province_code(p) for p in wanted):
        raise CakupanError("a column mapping is saved for the provinces of a checked file")
    who = require(actor, "mapping", wanted)
    table = schema.column_maps
    with writing(engine) as conn:
        conn.execute(table.delete().where(table.c.signature == signature,
                                          table.c.province.in_(wanted)))
        at = now()
        conn.execute(table.insert(), [{"signature": signature, "province": p, "mapping": text,
                                       "saved_by": who.id, "saved_at": at} for p in wanted])
        record(conn, who, "mapping", regions=wanted, signature=signature, mapping=text)


def saved_column_map(engine: Engine, signature: str, *,
                     provinces: Iterable[str] | None = None) -> dict[str, Any] | None:
    """The newest mapping saved for ``signature`` in one of ``provinces`` (``None``: any), as
    ``{"mapping", "province", "saved_by", "saved_at"}``, or ``None``."""
    table = schema.column_maps
    query = (sa.select(table.c.mapping, table.c.province, table.c.saved_by, table.c.saved_at)
             .where(table.c.signature == signature)
             .order_by(table.c.saved_at.desc(), table.c.province))
    if provinces is not None:
        wanted = sorted(set(provinces))
        if not wanted:
            return None
        query = query.where(table.c.province.in_(wanted))
    with engine.connect() as conn:
        row = conn.execute(query.limit(1)).mappings().first()
    return dict(row) if row is not None else None
