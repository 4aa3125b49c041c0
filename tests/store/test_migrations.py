"""Schema versions: a database written by schema 1 upgrades without losing anything."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from cakupan import store
from cakupan.core import access
from cakupan.store import schema

ADMIN = access.operator()

pytestmark = pytest.mark.unit

# Schema 1 exactly as a version-1 Cakupan left it on disk: written out here by hand, not taken
# from store_schema, so that editing the old migration cannot make this test pass by accident.
V1_DDL = [
    "CREATE TABLE meta (key VARCHAR(64) PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE sources (id VARCHAR(120) PRIMARY KEY, kind VARCHAR(20) NOT NULL,"
    " publisher TEXT, title TEXT, url TEXT, published VARCHAR(10), accessed VARCHAR(10),"
    " quote TEXT, licence TEXT, notes TEXT)",
    "CREATE TABLE batches (id VARCHAR(40) PRIMARY KEY, seq INTEGER NOT NULL UNIQUE,"
    " file_name TEXT NOT NULL, sha256 VARCHAR(64) NOT NULL, imported_at VARCHAR(32) NOT NULL,"
    " rows INTEGER NOT NULL, imported_by TEXT NOT NULL, kind VARCHAR(20) NOT NULL,"
    " status VARCHAR(20) NOT NULL)",
    "CREATE TABLE observations (id {serial} PRIMARY KEY, batch_id VARCHAR(40) NOT NULL"
    " REFERENCES batches(id), period VARCHAR(7) NOT NULL, region_code VARCHAR(5) NOT NULL,"
    " scope VARCHAR(10) NOT NULL, segment VARCHAR(20) NOT NULL, programme VARCHAR(10) NOT NULL,"
    " registered BIGINT, eligible BIGINT, coverage_pct FLOAT, illustrative BOOLEAN NOT NULL,"
    " source_id VARCHAR(120) NOT NULL, note TEXT)",
    "CREATE TABLE targets (row_id {serial} PRIMARY KEY, batch_id VARCHAR(40) NOT NULL"
    " REFERENCES batches(id), id VARCHAR(120) NOT NULL, region_code VARCHAR(5) NOT NULL,"
    " segment VARCHAR(20) NOT NULL, programme VARCHAR(10) NOT NULL, target_pct FLOAT,"
    " target_count BIGINT, deadline VARCHAR(7), baseline_period VARCHAR(7), basis TEXT NOT NULL,"
    " source_id VARCHAR(120) NOT NULL, illustrative BOOLEAN NOT NULL, note TEXT)",
    "CREATE TABLE premium_rates (row_id {serial} PRIMARY KEY, batch_id VARCHAR(40) NOT NULL"
    " REFERENCES batches(id), programme VARCHAR(20) NOT NULL, segment VARCHAR(20) NOT NULL,"
    " rupiah_per_person_month INTEGER NOT NULL, valid_from VARCHAR(7) NOT NULL,"
    " source_id VARCHAR(120) NOT NULL, note TEXT)",
]
V1_ROWS = [
    "INSERT INTO meta VALUES ('schema_version', '1')",
    "INSERT INTO sources VALUES ('zs', 'article', 'Zonasultra', 'Non ASN Sultra', NULL,"
    " '2018-10', NULL, 'Konsel 202 orang.', NULL, NULL)",
    "INSERT INTO batches VALUES ('b1', 1, 'sultra.csv', 'abc', '2024-01-01T00:00:00+00:00', 2,"
    " 'old version', 'upload', 'active')",
    "INSERT INTO observations VALUES (1, 'b1', '2018-10', '74.05', 'region', 'non_asn', 'any',"
    " 202, NULL, NULL, FALSE, 'zs', 'v1 row')",
    "INSERT INTO observations VALUES (2, 'b1', '2018-10', '74', 'pemprov', 'non_asn', 'any',"
    " 977, 1000, NULL, FALSE, 'zs', NULL)",
    "INSERT INTO targets VALUES (1, 'b1', 't1', '74', 'non_asn', 'any', 100, NULL, NULL, NULL,"
    " 'Inpres 2/2021', 'zs', FALSE, NULL)",
    "INSERT INTO premium_rates VALUES (1, 'b1', 'jkk+jkm', 'bpu', 16800, '2021-01', 'zs', NULL)",
]


def make_v1(url: str) -> None:
    engine = sa.create_engine(url)
    serial = "SERIAL" if url.startswith("postgresql") else "INTEGER"  # as version 1 made them
    with engine.begin() as conn:
        for statement in V1_DDL:
            conn.exec_driver_sql(statement.replace("{serial}", serial))
        for statement in V1_ROWS:
            conn.exec_driver_sql(statement)
        if url.startswith("postgresql"):  # rows inserted with explicit ids: move the sequences on
            for table, column in (("observations", "id"), ("targets", "row_id"),
                                  ("premium_rates", "row_id")):
                conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{table}', "
                                     f"'{column}'), (SELECT max({column}) FROM {table}))")
    engine.dispose()


def test_a_v1_database_upgrades_without_losing_rows(store_url: str) -> None:
    make_v1(store_url)
    engine = store.get_engine(store_url, seed=False)
    with engine.connect() as conn:
        assert schema.schema_version(conn) == schema.SCHEMA_VERSION == len(schema.MIGRATIONS) >= 6
        indexes = {ix["name"] for ix in sa.inspect(conn).get_indexes("observations")}
    assert {schema.SLICE_INDEX, schema.HISTORY_INDEX, schema.NATIONAL_INDEX} <= indexes
    assert not {schema.MAP_INDEX, schema.BATCH_INDEX} & indexes  # superseded by v5
    # v4 backfilled each batch's months from the rows the old version stored
    assert store.periods(engine) == store.periods(engine, "non_asn") == ["2018-10"]
    assert store.periods(engine, "pu") == []

    got = store.current_observations(engine, segment="non_asn", period="2018-10",
                                     province="74").set_index("region_code")
    assert got.loc["74.05", "registered"] == 202
    assert got.loc["74.05", "note"] == "v1 row"
    assert got.loc["74", "registered"] == 977
    assert got.loc["74", "eligible"] == 1000
    assert got.loc["74.05", "source_title"] == "Non ASN Sultra"
    assert got["quote"].isna().all()  # a column the old version did not have
    assert store.targets(engine)["basis"].tolist() == ["Inpres 2/2021"]
    assert store.premium_rates(engine)["rupiah_per_person_month"].tolist() == [16800]
    assert store.list_batches(engine)["imported_by"].tolist() == ["old version"]

    # and the upgraded store takes new batches that supersede the old figures
    store.write_batch(engine, got.reset_index().loc[[1], ["period", "region_code", "segment",
                                                          "source_id"]].assign(registered=250),
                      file_name="new.csv", sha256="new", actor=ADMIN)
    history = store.observation_history(engine, "74.05", "non_asn")
    assert history["registered"].tolist() == [202, 250]


def test_an_upgraded_store_holds_region_keys_longer_than_a_regency_code(store_url: str) -> None:
    """Schema 6: a v1 column was VARCHAR(5); PostgreSQL refused a village code until widened."""
    make_v1(store_url)
    engine = store.get_engine(store_url, seed=False)
    key = "81.03.07.2001"  # a village of Kepulauan Tanimbar: 13 characters
    with engine.begin() as conn:
        conn.execute(schema.aliases.insert().values(alias="x", code=key, saved_by="t",
                                                    saved_at="2026-12-02T00:00:00Z"))
        lengths = {c["name"]: getattr(c["type"], "length", None)
                   for c in sa.inspect(conn).get_columns("observations")}
    with engine.connect() as conn:
        assert conn.execute(sa.select(schema.aliases.c.code)).scalar() == key
    if store_url.startswith("postgresql"):
        assert lengths["region_code"] == schema.REGION_KEY_LENGTH


def test_migrated_schema_matches_the_declared_tables(store_url: str) -> None:
    engine = store.get_engine(store_url, seed=False)
    with engine.connect() as conn:
        inspector = sa.inspect(conn)
        for table in schema.metadata.sorted_tables:
            on_disk = {c["name"] for c in inspector.get_columns(table.name)}
            assert on_disk == {c.name for c in table.columns}, table.name


def test_migrating_twice_runs_nothing(store_url: str) -> None:
    engine = store.get_engine(store_url, seed=False)
    assert schema.migrate(engine.begin) == 0


def test_a_database_newer_than_the_code_is_refused(store_url: str) -> None:
    engine = store.get_engine(store_url, seed=False)
    with engine.begin() as conn:
        conn.execute(schema.meta.update().where(schema.meta.c.key == "schema_version")
                     .values(value="99"))
    store.clear_engines()
    with pytest.raises(RuntimeError, match="newer than this Cakupan"):
        store.get_engine(store_url, seed=False)
