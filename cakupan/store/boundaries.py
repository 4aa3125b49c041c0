"""The record of boundary versions: each file an admin loaded, and which one the maps draw.

Applying a version and switching between versions are writes: admins only
(:func:`cakupan.core.access.require` with ``"boundaries"``), each with its audit row in the
same transaction. At most one version is active; none means the default (pinned) set. After
each change the geometry's pointer on disk (:func:`cakupan.geo.byo.write_selection`) is
rewritten from the store, so the store stays the record and the maps follow it.
"""

from __future__ import annotations

import json
import uuid

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from cakupan.core.access import Actor, require
from cakupan.core.errors import CakupanError
from cakupan.geo import byo
from cakupan.geo.cache import NATIONAL
from cakupan.store import schema
from cakupan.store.audit import now, record
from cakupan.store.database import writing

VERSION_COLUMNS = ["id", "level", "source", "licence", "loaded_by", "loaded_at", "sha256",
                   "scope", "active", "regions", "detail"]


def new_version_id() -> str:
    """A short id that is also a folder name (``b`` + 11 hex digits)."""
    return "b" + uuid.uuid4().hex[:11]


def add_version(engine: Engine, *, actor: Actor | None, version_id: str, level: str,
                source: str, licence: str, sha256: str, scope: str, regions: list[str],
                detail: dict, activate: bool = True) -> dict:
    """Record a loaded (and built) version; with ``activate`` the maps draw it from now on."""
    require(actor, "boundaries")
    if scope not in byo.SCOPES:
        raise CakupanError(f"unknown scope {scope!r}; expected one of {', '.join(byo.SCOPES)}")
    licence = " ".join(str(licence or "").split())
    if not licence:
        raise CakupanError("a boundary version needs the licence text of its source")
    row = {"id": version_id, "level": level, "source": " ".join(str(source).split())[:500],
           "licence": licence[:2000], "loaded_by": actor.id,  # type: ignore[union-attr]
           "loaded_at": now(), "sha256": sha256, "scope": scope, "active": False,
           "regions": ",".join(sorted(regions)),
           "detail": json.dumps(detail, ensure_ascii=False, default=str)}
    t = schema.boundary_versions
    with writing(engine) as conn:
        conn.execute(t.insert().values(**row))
        if activate:
            conn.execute(t.update().values(active=False))
            conn.execute(t.update().where(t.c.id == version_id).values(active=True))
        record(conn, actor, "boundaries", sha256=sha256, file_name=row["source"],
               rows=len(regions), regions=regions, change="apply", version=version_id,
               scope=scope, active=activate)
    sync_selection(engine)
    return {**row, "active": activate}


def activate(engine: Engine, version_id: str | None, *, actor: Actor | None) -> None:
    """Make ``version_id`` the version the maps draw; ``None`` switches back to the default."""
    require(actor, "boundaries")
    t = schema.boundary_versions
    with writing(engine) as conn:
        before = conn.execute(sa.select(t.c.id).where(t.c.active)).scalar()
        if version_id is not None:
            exists = conn.execute(sa.select(t.c.regions).where(t.c.id == version_id)).first()
            if exists is None:
                raise CakupanError(f"no boundary version {version_id!r}")
        conn.execute(t.update().values(active=False))
        if version_id is not None:
            conn.execute(t.update().where(t.c.id == version_id).values(active=True))
        record(conn, actor, "boundaries", change="activate", version=version_id,
               previous=before)
    sync_selection(engine)


def list_versions(engine: Engine) -> pd.DataFrame:
    """Every version, newest first (``VERSION_COLUMNS``)."""
    t = schema.boundary_versions
    with engine.connect() as conn:
        rows = conn.execute(sa.select(*[t.c[c] for c in VERSION_COLUMNS])
                            .order_by(t.c.loaded_at.desc(), t.c.id)).fetchall()
    frame = pd.DataFrame.from_records(rows, columns=VERSION_COLUMNS)
    frame["active"] = frame["active"].astype(bool)
    return frame


def active_version(engine: Engine) -> dict | None:
    """The active version's row (``detail`` parsed), or ``None`` for the default set."""
    t = schema.boundary_versions
    with engine.connect() as conn:
        row = conn.execute(sa.select(*[t.c[c] for c in VERSION_COLUMNS])
                           .where(t.c.active)).mappings().first()
    if row is None:
        return None
    out = dict(row)
    out["detail"] = json.loads(out["detail"] or "{}")
    return out


def selection_of(row: dict | None) -> dict | None:
    """The pointer the geometry loaders read, for an active version's row."""
    if row is None:
        return None
    codes = [c for c in str(row["regions"]).split(",") if c]
    return {"id": row["id"], "scope": row["scope"], "level": row["level"],
            "views": [NATIONAL, *sorted({c[:2] for c in codes})], "source": row["source"],
            "licence": row["licence"], "loaded_at": row["loaded_at"],
            "sha256": row["sha256"], "regions": len(codes)}


def sync_selection(engine: Engine) -> dict | None:
    """Rewrite the maps' pointer from the store (after a change, and at an app's start); a
    version whose geometry is not on this machine is rebuilt from its kept features when
    they are here, else the maps keep the default set."""
    chosen = selection_of(active_version(engine))
    if chosen is not None:
        try:
            byo.build_version(chosen["id"], chosen["scope"])
        except CakupanError:
            chosen = None
    byo.write_selection(chosen)
    return chosen
