"""Boundary versions (issue 15): applying and switching are admin-only, audited writes, and
the maps draw from the active version. SQLite and PostgreSQL (the ``engine`` fixture)."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from cakupan import geo
from cakupan.core import access
from cakupan.core.access import ANONYMOUS, PermissionDenied
from cakupan.geo import byo
from cakupan.ingest import boundaries
from cakupan.store import boundaries as versions
from cakupan.store import schema
from tests.unit.geo import byo_files as files

ADMIN = access.operator()
EDITOR_81 = access.person("editor81@example.org", "editor", ["81"])


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("CAKUPAN_CACHE_DIR", str(tmp_path / "cache"))
    yield tmp_path / "cache"
    geo.clear_memory()


def preview(data: bytes | None = None, name: str = "maluku.geojson"
            ) -> boundaries.BoundaryPreview:
    data = data if data is not None else files.kemendagri_geojson()
    return boundaries.preview_file(data, name, raw=byo.read_boundary_bytes(data, name))


def audit_rows(engine: Engine) -> list[dict]:
    with engine.connect() as conn:
        rows = conn.execute(sa.select(schema.audit).where(
            schema.audit.c.action == "boundaries").order_by(schema.audit.c.id)).mappings()
        return [dict(r) for r in rows]


@pytest.mark.parametrize("actor", [ANONYMOUS, EDITOR_81, None])
def test_only_an_admin_may_apply(engine: Engine, cache, actor) -> None:
    with pytest.raises(PermissionDenied):
        boundaries.apply_preview(preview(), engine, actor=actor, licence="CC BY 4.0",
                                 scope="all")
    assert versions.list_versions(engine).empty and audit_rows(engine) == []
    assert not (cache / "byo").exists()  # refused before anything was built


def test_applied_version_is_active_audited_and_drawn(engine: Engine, cache) -> None:
    row = boundaries.apply_preview(preview(), engine, actor=ADMIN, licence="CC BY 4.0",
                                   source="BAPPEDA Maluku", scope="all")
    active = versions.active_version(engine)
    assert active["id"] == row["id"] and active["scope"] == "all"
    assert active["regions"].split(",") == [c for c, *_ in files.MALUKU]
    assert active["licence"] == "CC BY 4.0" and active["loaded_by"] == ADMIN.id
    assert len(active["sha256"]) == 64 and active["detail"]["features"] == 11
    (audit,) = audit_rows(engine)
    assert audit["actor"] == ADMIN.id and json.loads(audit["detail"])["change"] == "apply"
    # The map of Maluku now draws the file's squares (lon 127-129), not the default set.
    view = geo.view_geojson("81")
    assert sorted(f["properties"]["code"] for f in view["features"]) == active[
        "regions"].split(",")
    minx, _, maxx, _ = geo.view_bounds("81")
    assert (minx, maxx) == pytest.approx((127.0, 129.0), abs=1e-3)
    assert row["id"] in byo.attribution("en", "81") and "CC BY 4.0" in byo.attribution("en")


def test_switching_back_is_one_write_and_audited(engine: Engine, cache) -> None:
    first = boundaries.apply_preview(preview(), engine, actor=ADMIN, licence="CC BY 4.0",
                                     scope="all")
    second = boundaries.apply_preview(preview(files.bps_geojson(), "bps.geojson"), engine,
                                      actor=ADMIN, licence="Open Data", scope="all")
    assert versions.active_version(engine)["id"] == second["id"]
    with pytest.raises(PermissionDenied):
        versions.activate(engine, None, actor=EDITOR_81)
    versions.activate(engine, first["id"], actor=ADMIN)
    assert byo.selection()["id"] == first["id"]
    versions.activate(engine, None, actor=ADMIN)
    assert versions.active_version(engine) is None and byo.selection() is None
    assert byo.folder_for("81") is None  # the default set again
    changes = [json.loads(r["detail"])["change"] for r in audit_rows(engine)]
    assert changes == ["apply", "apply", "activate", "activate"]
    assert versions.list_versions(engine)["active"].tolist() == [False, False]


def test_the_maps_pointer_follows_the_store(engine: Engine, cache) -> None:
    """A replica that starts after a switch (its pointer gone) takes the store's version; one
    that cannot draw it (its geometry not on this host) keeps the default set."""
    import shutil

    row = boundaries.apply_preview(preview(), engine, actor=ADMIN, licence="CC BY 4.0",
                                   scope="all")
    (cache / "byo" / "active.json").unlink()
    assert byo.selection() is None
    assert versions.sync_selection(engine)["id"] == row["id"] == byo.selection()["id"]
    shutil.rmtree(byo.version_dir(row["id"]))
    assert versions.sync_selection(engine) is None and byo.folder_for("81") is None
    assert versions.active_version(engine)["id"] == row["id"]  # the record is unchanged
