"""Column mappings saved for a header signature (issue 12, item 2): saved by an editor of the
file's provinces, audited, offered only within an editor's provinces; refused for anyone else
(SQLite and PostgreSQL through the ``engine`` fixture)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy.engine import Engine

from cakupan import store
from cakupan.core import access
from cakupan.core.access import ANONYMOUS, PermissionDenied
from cakupan.core.errors import CakupanError
from cakupan.ingest.mapping import ColumnMap

pytestmark = pytest.mark.unit

SIG = "a3cb2ab3afabe11a"
EDITOR_81 = access.person("editor81@example.org", "editor", ["81"])
EDITOR_74 = access.person("editor74@example.org", "editor", ["74"])


def test_an_editor_saves_a_mapping_for_its_province_and_it_is_audited(engine: Engine) -> None:
    mapping = ColumnMap.parse("registered=B,eligible=Jml Sasaran").to_text()
    store.save_column_map(engine, SIG, mapping, provinces=["81"], actor=EDITOR_81)
    saved = store.saved_column_map(engine, SIG, provinces=["81"])
    assert saved is not None and saved["mapping"] == mapping
    assert saved["saved_by"] == "email:editor81@example.org" and saved["province"] == "81"
    assert ColumnMap.parse(saved["mapping"]) == ColumnMap.parse(mapping)
    trail = store.audit_trail(engine)
    assert trail["action"].tolist() == ["mapping"]
    assert trail["regions"].tolist() == ["81"]
    assert json.loads(trail["detail"][0]) == {"signature": SIG, "mapping": mapping}


def test_a_mapping_is_offered_only_within_the_editors_provinces(engine: Engine) -> None:
    store.save_column_map(engine, SIG, "registered=B", provinces=["81"], actor=EDITOR_81)
    assert store.saved_column_map(engine, SIG, provinces=EDITOR_74.provinces) is None
    assert store.saved_column_map(engine, SIG, provinces=["81", "74"])["mapping"] == (
        "registered=B")
    assert store.saved_column_map(engine, "0" * 16) is None  # another header
    # Saved again (another editor of 74 for its own file): each province keeps its own.
    store.save_column_map(engine, SIG, "registered=C", provinces=["74"], actor=EDITOR_74)
    assert store.saved_column_map(engine, SIG, provinces=["74"])["mapping"] == "registered=C"
    assert store.saved_column_map(engine, SIG, provinces=["81"])["mapping"] == "registered=B"
    store.save_column_map(engine, SIG, "registered=D", provinces=["81"], actor=EDITOR_81)
    assert store.saved_column_map(engine, SIG, provinces=["81"])["mapping"] == "registered=D"
    assert store.audit_trail(engine, provinces=["74"])["action"].tolist() == ["mapping"]


@pytest.mark.parametrize("actor", [ANONYMOUS, None, EDITOR_74,
                                   access.person("viewer@example.org", "viewer", ["81"])])
def test_anyone_but_an_editor_of_the_province_is_refused_and_nothing_is_kept(
        engine: Engine, actor: access.Actor | None) -> None:
    with pytest.raises(PermissionDenied):
        store.save_column_map(engine, SIG, "registered=B", provinces=["81"], actor=actor)
    assert store.saved_column_map(engine, SIG) is None
    assert store.audit_trail(engine).empty


@pytest.mark.parametrize(("signature", "mapping", "provinces"), [
    ("not-a-signature", "registered=B", ["81"]),
    (SIG, "  ", ["81"]),
    (SIG, "registered=B", []),
    (SIG, "registered=B", ["99"]),
])
def test_a_malformed_save_is_refused_before_any_write(
        engine: Engine, signature: str, mapping: str, provinces: list[str]) -> None:
    with pytest.raises(CakupanError):
        store.save_column_map(engine, signature, mapping, provinces=provinces,
                              actor=access.operator())
    assert store.saved_column_map(engine, SIG) is None and store.audit_trail(engine).empty
