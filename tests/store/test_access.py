"""Who may change what, checked where the write happens; every change in the audit trail.

Runs on SQLite and PostgreSQL (the ``engine`` fixture). The domain functions are called
directly, as an anonymous or out-of-scope actor would reach them, not through a page.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from cakupan import store
from cakupan.core import access
from cakupan.core.access import ANONYMOUS, PermissionDenied
from cakupan.core.errors import CakupanError
from cakupan.store import schema

ADMIN = access.operator()
EDITOR_81 = access.person("editor81@example.org", "editor", ["81"])
ARTICLE = {"id": "src-a", "kind": "article", "publisher": "Zonasultra", "title": "Non ASN"}


def obs(*rows: tuple) -> pd.DataFrame:
    return pd.DataFrame([{"period": p, "region_code": c, "segment": "non_asn",
                          "registered": r, "source_id": "src-a"} for p, c, r in rows])


def dump(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of every table: what must not change when a write is refused."""
    with engine.connect() as conn:
        return {t.name: sorted(map(tuple, conn.execute(sa.select(t)).all()), key=repr)
                for t in schema.metadata.sorted_tables}


def test_anonymous_may_neither_write_nor_roll_back(engine: Engine) -> None:
    batch = store.write_batch(engine, obs(("2024-06", "81.01", 10)), file_name="a.csv",
                              sha256="a", actor=ADMIN, source=ARTICLE)
    before = dump(engine)
    for actor in (None, ANONYMOUS):
        with pytest.raises(PermissionDenied, match="sign in"):
            store.write_batch(engine, obs(("2024-06", "81.01", 99)), file_name="b.csv",
                              sha256="b", actor=actor, source=ARTICLE)
        with pytest.raises(PermissionDenied, match="sign in"):
            store.rollback_batch(engine, batch, actor=actor)
        with pytest.raises(PermissionDenied):
            store.prefer_upload(engine, batch, actor=actor)
        with pytest.raises(PermissionDenied):
            store.add_user(engine, "x@example.org", "admin", actor=actor)
    assert dump(engine) == before


def test_an_editor_of_81_imports_maluku_but_not_a_file_with_a_74_row(engine: Engine) -> None:
    ok = store.write_batch(engine, obs(("2024-06", "81.01", 10), ("2024-06", "81.71", 20)),
                           file_name="maluku.csv", sha256="m", actor=EDITOR_81, source=ARTICLE)
    assert ok is not None and ok.created
    before = dump(engine)
    with pytest.raises(PermissionDenied, match="81 only, not 74"):
        store.write_batch(engine, obs(("2024-06", "81.01", 11), ("2024-06", "74.05", 5)),
                          file_name="mixed.csv", sha256="x", actor=EDITOR_81, source=ARTICLE)
    assert dump(engine) == before
    batches = store.list_batches(engine)
    assert batches["imported_by"].tolist() == ["email:editor81@example.org"]


def test_an_editor_of_81_cannot_roll_back_a_74_batch(engine: Engine) -> None:
    sultra = store.write_batch(engine, obs(("2018-10", "74.05", 202)), file_name="s.csv",
                               sha256="s", actor=ADMIN, source=ARTICLE)
    with pytest.raises(PermissionDenied, match="not 74"):
        store.rollback_batch(engine, sultra, actor=EDITOR_81)
    assert store.list_batches(engine)["status"].tolist() == ["active"]
    maluku = store.write_batch(engine, obs(("2024-06", "81.01", 10)), file_name="m.csv",
                               sha256="m", actor=EDITOR_81, source=ARTICLE)
    assert store.rollback_batch(engine, maluku, actor=EDITOR_81) == 1


def test_each_action_leaves_one_audit_row_with_totals_before_and_after(engine: Engine) -> None:
    first = store.write_batch(engine, obs(("2024-06", "81.01", 10)), file_name="a.csv",
                              sha256="a", actor=EDITOR_81, source=ARTICLE)
    second = store.write_batch(engine, obs(("2024-06", "81.01", 15)), file_name="b.csv",
                               sha256="b", actor=EDITOR_81, source=ARTICLE)
    store.rollback_batch(engine, second, actor=EDITOR_81)
    store.add_user(engine, "editor81@example.org", "editor", ["81"], actor=ADMIN)
    store.remove_user(engine, "editor81@example.org", actor=ADMIN)
    trail = store.audit_trail(engine).iloc[::-1].reset_index(drop=True)  # oldest first
    assert trail["action"].tolist() == ["import", "import", "rollback", "users", "users"]
    assert trail["actor"].tolist() == ["email:editor81@example.org"] * 3 + [ADMIN.id] * 2
    assert trail["batch_id"].tolist()[:3] == [first, second, second]
    assert trail.loc[0, "regions"] == "81.01" and trail.loc[0, "sha256"] == "a"
    assert json.loads(trail.loc[0, "totals_before"])["registered"] == 0
    assert json.loads(trail.loc[1, "totals_before"])["registered"] == 10
    assert json.loads(trail.loc[1, "totals_after"])["registered"] == 15
    assert json.loads(trail.loc[2, "totals_after"])["registered"] == 10  # 10 shows again
    assert json.loads(trail.loc[4, "detail"])["change"] == "remove"
    assert trail["at"].str.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$").all()


def test_a_refused_write_leaves_no_audit_row(engine: Engine) -> None:
    with pytest.raises(PermissionDenied):
        store.write_batch(engine, obs(("2018-10", "74.05", 1)), file_name="x.csv",
                          sha256="x", actor=EDITOR_81, source=ARTICLE)
    assert store.audit_trail(engine).empty


def test_an_upload_never_silently_replaces_a_published_figure(engine: Engine) -> None:
    published = obs(("2018-10", "74.71", 1135))
    store.write_batch(engine, published, file_name="data/published", sha256="p",
                      actor=access.SYSTEM, kind="seed_published", source=ARTICLE)
    upload = obs(("2018-10", "74.71", 1)).drop(columns="source_id")
    conflicts = store.published_conflicts(engine, upload)
    assert conflicts[["region_code", "registered", "upload_registered"]].values.tolist() == [
        ["74.71", 1135, 1]]
    batch = store.write_batch(engine, upload, file_name="one-row.csv", sha256="u",
                              actor=ADMIN)
    current = store.current_observations(engine, region_codes=["74.71"])
    assert current["registered"].tolist() == [1135]  # the published figure stays shown
    store.prefer_upload(engine, batch, actor=ADMIN)
    assert store.current_observations(engine, region_codes=["74.71"])[
        "registered"].tolist() == [1]
    history = store.observation_history(engine, "74.71", "non_asn")
    assert history.loc[history["current"], "registered"].tolist() == [1]
    assert sorted(history["registered"].tolist()) == [1, 1135]  # both stay visible
    store.prefer_upload(engine, batch, actor=ADMIN, preferred=False)  # and it is reversible
    assert store.current_observations(engine, region_codes=["74.71"])[
        "registered"].tolist() == [1135]
    actions = store.audit_trail(engine)["action"].tolist()
    assert actions.count("prefer_upload") == 2


def test_users_are_stored_and_turn_an_identity_into_an_actor(engine: Engine) -> None:
    store.add_user(engine, "Kacab.Ambon@Example.org", "editor", ["81", "82"], actor=ADMIN)
    actor = store.actor_for(engine, "kacab.ambon@example.org")
    assert (actor.role, sorted(actor.provinces)) == ("editor", ["81", "82"])
    assert store.actor_for(engine, "someone@example.org").role == "viewer"
    assert store.list_users(engine)["email"].tolist() == ["kacab.ambon@example.org"]
    with pytest.raises(PermissionDenied):
        store.add_user(engine, "x@example.org", "admin", actor=actor)  # editors manage no one
    with pytest.raises(CakupanError, match="at least one province"):
        store.add_user(engine, "y@example.org", "editor", [], actor=ADMIN)
    assert store.remove_user(engine, "kacab.ambon@example.org", actor=ADMIN)
    assert store.actor_for(engine, "kacab.ambon@example.org").role == "viewer"


def test_importing_the_same_content_twice_says_the_second_was_not_written(
        engine: Engine) -> None:
    first = store.write_batch(engine, obs(("2024-06", "81.01", 10)), file_name="a.csv",
                              sha256="same", actor=ADMIN, source=ARTICLE)
    again = store.write_batch(engine, obs(("2024-06", "81.01", 10)), file_name="a.csv",
                              sha256="same", actor=ADMIN, source=ARTICLE)
    assert (first.created, again.created) == (True, False)
    assert again == first
    assert store.audit_trail(engine)["action"].tolist() == ["import"]


@pytest.fixture
def app_role_url(pg_url: str) -> str:
    """A login of the app that does not own the tables (CI creates it; see .ci/run)."""
    import os

    from tests.conftest import require

    url = os.environ.get("CAKUPAN_TEST_PG_APP_URL", "")
    require("CAKUPAN_REQUIRE_PG", bool(url), "CAKUPAN_TEST_PG_APP_URL is not set")
    return url


def test_on_postgresql_the_apps_role_cannot_update_or_delete_audit_rows(
        pg_url: str, app_role_url: str) -> None:
    from tests.store.dbs import drop_schema, isolated_url

    owner_url, schema_name = isolated_url(pg_url)
    try:
        owner = store.get_engine(owner_url, seed=False)  # the owner migrates and grants
        app_user = sa.make_url(app_role_url).username
        store.grant_app_role(owner, app_user)
        separator = "&" if "?" in app_role_url else "?"
        app = store.get_engine(f"{app_role_url}{separator}options=-csearch_path%3D{schema_name}",
                               seed=False)
        batch = store.write_batch(app, obs(("2024-06", "81.01", 10)), file_name="a.csv",
                                  sha256="a", actor=ADMIN, source=ARTICLE)  # the app writes
        assert store.audit_trail(app)["batch_id"].tolist() == [batch]
        for statement in ("UPDATE audit SET actor = 'someone else'", "DELETE FROM audit"):
            with pytest.raises(sa.exc.ProgrammingError, match="permission denied"), \
                    app.begin() as conn:
                conn.exec_driver_sql(statement)
        assert store.audit_trail(app)["actor"].tolist() == [ADMIN.id]
    finally:
        store.clear_engines()
        drop_schema(pg_url, schema_name)


def test_two_imports_of_one_file_at_once_write_one_batch_and_say_so(engine: Engine) -> None:
    """The probe: both used to report every row imported. Now exactly one writes."""
    import threading

    from cakupan import ingest

    data = b"Kode;Periode;Peserta\n81.01;2030-04;10\n81.71;2030-04;20\n"
    results: list = []
    barrier = threading.Barrier(2)

    def one() -> None:
        barrier.wait()
        results.append(ingest.import_file(data, "sama.csv", segment="bpu", engine=engine,
                                          actor=ADMIN))

    threads = [threading.Thread(target=one) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert sorted(r.imported for r in results) == [0, 2]
    assert sorted(r.already_imported for r in results) == [False, True]
    assert results[0].batch_id == results[1].batch_id
    assert len(store.list_batches(engine)) == 1
    assert store.audit_trail(engine)["action"].tolist() == ["import"]


@pytest.mark.parametrize("hostile", ["zip_bomb", "entities", "row_jump", "too_big", "many_rows",
                                     "markup_name"])
def test_a_hostile_file_is_refused_and_changes_no_row_anywhere(
        engine: Engine, hostile: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each probe of issue 9 against a real store: refused by a declared limit (small ones
    here, so the files stay small), a message and no traceback, every table unchanged."""
    from cakupan import ingest
    from cakupan.benchmarks import ingest as hostile_files

    monkeypatch.setenv("CAKUPAN_UPLOAD_MAX_MB", "1")
    monkeypatch.setenv("CAKUPAN_IMPORT_MAX_ROWS", "1000")
    monkeypatch.setenv("CAKUPAN_XLSX_MAX_UNCOMPRESSED_MB", "5")
    store.write_batch(engine, obs(("2024-06", "81.01", 10)), file_name="before.csv",
                      sha256="before", actor=ADMIN, source=ARTICLE)
    files = {  # name, bytes, the limit (message key) that must refuse it
        "zip_bomb": ("bom.xlsx", lambda: hostile_files.zip_bomb_xlsx(20 * 2**20),
                     {"xlsx_too_big_unpacked", "xlsx_ratio"}),
        "entities": ("tawa.xlsx", hostile_files.entity_xlsx, {"xlsx_doctype"}),
        "row_jump": ("lompat.xlsx", lambda: hostile_files.row_jump_xlsx(100_000_000),
                     {"xlsx_beyond_sheet"}),
        "too_big": ("besar.csv",
                    lambda: b"Kode;Periode;Peserta\n" + b"81.01;2024-07;1\n" * 80_000,
                    {"file_too_large"}),
        "many_rows": ("baris.csv", lambda: hostile_files.many_rows_csv(5_000),
                      {"too_many_rows"}),
        "markup_name": ("<img src=x onerror=alert(1)>[tautan](http://evil).csv",
                        lambda: b"Kode;Periode;Peserta\n81.01;2024-07;1;\n=HYPERLINK(1)\n",
                        None),
    }
    name, make, keys = files[hostile]
    before = dump(engine)
    try:
        result = ingest.import_file(make(), name, segment="bpu", engine=engine, actor=ADMIN)
    except CakupanError as err:
        assert keys is not None and getattr(err, "key", None) in keys, (err, keys)
        message = str(err)
    else:
        assert keys is None and result.errors, "a hostile file must not be imported"
        message = result.errors[0].message
    assert message and "Traceback" not in message and "\n" not in message
    assert "<img" not in message or hostile == "markup_name"
    assert dump(engine) == before
