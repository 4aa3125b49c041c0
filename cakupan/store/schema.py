"""The store's tables and the ordered migrations that build them.

A database records its ``schema_version`` in the ``meta`` table. :func:`migrate` runs every
migration above that version, in order, each in its own transaction, so a database made by an
older Cakupan upgrades in place without losing rows. A migration is never edited once released:
a change to the schema is a new function appended to :data:`MIGRATIONS`.

The ``Table`` objects below describe the *latest* schema; queries use them. Migrations use their
own DDL, because they must reproduce what each old version looked like.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

metadata = sa.MetaData()

#: Longest region key the store holds (schema 6): a village's ``PP.RR.KK.DDDD`` is 13
#: characters, and keys of their own for old extents (Papua before the 2022 split) need room.
REGION_KEY_LENGTH = 16

meta = sa.Table(
    "meta", metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

sources = sa.Table(
    "sources", metadata,
    sa.Column("id", sa.String(120), primary_key=True),
    sa.Column("kind", sa.String(20), nullable=False),  # store.SOURCE_KINDS
    sa.Column("publisher", sa.Text),
    sa.Column("title", sa.Text),
    sa.Column("url", sa.Text),
    sa.Column("published", sa.String(10)),  # YYYY-MM-DD, YYYY-MM or YYYY
    sa.Column("accessed", sa.String(10)),
    sa.Column("quote", sa.Text),
    sa.Column("licence", sa.Text),
    sa.Column("notes", sa.Text),
    sa.Column("stored_copy", sa.Text),  # v2
)

batches = sa.Table(
    "batches", metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    # Monotonic import order: "newer batch wins" compares seq, never timestamps (clocks tie).
    sa.Column("seq", sa.Integer, nullable=False, unique=True),
    sa.Column("file_name", sa.Text, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False, index=True),
    sa.Column("imported_at", sa.String(32), nullable=False),  # UTC ISO 8601
    sa.Column("rows", sa.Integer, nullable=False),
    sa.Column("imported_by", sa.Text, nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),  # seed_published|seed_illustrative|upload
    sa.Column("status", sa.String(20), nullable=False),  # active|rolled_back
    # v3: an editor chose this upload's figures over published ones for the same keys.
    sa.Column("preferred", sa.Boolean, nullable=False, server_default=sa.false()),
)

observations = sa.Table(
    "observations", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("batch_id", sa.String(40), sa.ForeignKey("batches.id"), nullable=False),
    sa.Column("period", sa.String(7), nullable=False),
    sa.Column("region_code", sa.String(REGION_KEY_LENGTH), nullable=False),
    sa.Column("scope", sa.String(10), nullable=False),
    sa.Column("segment", sa.String(20), nullable=False),
    sa.Column("programme", sa.String(10), nullable=False),
    sa.Column("registered", sa.BigInteger),
    sa.Column("eligible", sa.BigInteger),
    sa.Column("coverage_pct", sa.Float),
    sa.Column("illustrative", sa.Boolean, nullable=False),
    sa.Column("source_id", sa.String(120), nullable=False),
    sa.Column("note", sa.Text),
    sa.Column("province_code", sa.String(2), nullable=False),  # v2, for the map query
    sa.Column("quote", sa.Text),  # v2
)

targets = sa.Table(
    "targets", metadata,
    sa.Column("row_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("batch_id", sa.String(40), sa.ForeignKey("batches.id"), nullable=False),
    sa.Column("id", sa.String(120), nullable=False),
    sa.Column("region_code", sa.String(REGION_KEY_LENGTH), nullable=False),
    sa.Column("segment", sa.String(20), nullable=False),
    sa.Column("programme", sa.String(10), nullable=False),
    sa.Column("target_pct", sa.Float),
    sa.Column("target_count", sa.BigInteger),
    sa.Column("deadline", sa.String(7)),
    sa.Column("baseline_period", sa.String(7)),
    sa.Column("basis", sa.Text, nullable=False),
    sa.Column("source_id", sa.String(120), nullable=False),
    sa.Column("illustrative", sa.Boolean, nullable=False),
    sa.Column("note", sa.Text),
    sa.Column("quote", sa.Text),  # v2
)

premium_rates = sa.Table(
    "premium_rates", metadata,
    sa.Column("row_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("batch_id", sa.String(40), sa.ForeignKey("batches.id"), nullable=False),
    sa.Column("programme", sa.String(20), nullable=False),
    sa.Column("segment", sa.String(20), nullable=False),
    sa.Column("rupiah_per_person_month", sa.Integer, nullable=False),
    sa.Column("valid_from", sa.String(7), nullable=False),
    sa.Column("source_id", sa.String(120), nullable=False),
    sa.Column("note", sa.Text),
    sa.Column("quote", sa.Text),  # v2
)

users = sa.Table(  # v3: who has which role (identities come from the sign-in provider)
    "users", metadata,
    sa.Column("email", sa.String(254), primary_key=True),
    sa.Column("role", sa.String(10), nullable=False),  # access.ROLES
    sa.Column("provinces", sa.Text, nullable=False),  # "74,81": an editor's scope
    sa.Column("added_by", sa.Text, nullable=False),
    sa.Column("added_at", sa.String(32), nullable=False),
)

audit = sa.Table(  # v3: append-only; on PostgreSQL the app's role may not UPDATE or DELETE it
    "audit", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.String(32), nullable=False),  # UTC ISO 8601
    sa.Column("actor", sa.Text, nullable=False),  # access.Actor.id
    sa.Column("action", sa.String(20), nullable=False),  # access.ACTIONS
    sa.Column("batch_id", sa.String(40)),
    sa.Column("file_name", sa.Text),
    sa.Column("sha256", sa.String(64)),
    sa.Column("rows", sa.Integer),
    sa.Column("regions", sa.Text),  # comma-separated codes touched
    sa.Column("totals_before", sa.Text),  # JSON {"registered": int, "eligible": int}
    sa.Column("totals_after", sa.Text),
    sa.Column("detail", sa.Text),  # JSON: what else the action needs to be understood
)

aliases = sa.Table(  # v3: names people picked for a region at review time
    "aliases", metadata,
    sa.Column("alias", sa.String(200), primary_key=True),
    sa.Column("code", sa.String(REGION_KEY_LENGTH), nullable=False),
    sa.Column("saved_by", sa.Text, nullable=False),
    sa.Column("saved_at", sa.String(32), nullable=False),
)

batch_periods = sa.Table(  # v4: the months of each batch, what the month pickers list
    "batch_periods", metadata,
    sa.Column("batch_id", sa.String(40), sa.ForeignKey("batches.id"), primary_key=True),
    sa.Column("segment", sa.String(20), primary_key=True),
    sa.Column("period", sa.String(7), primary_key=True),
)

published_measures = sa.Table(  # v7: published figures of other measures than UCJ coverage
    "published_measures", metadata,
    sa.Column("row_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("batch_id", sa.String(40), sa.ForeignKey("batches.id"), nullable=False),
    sa.Column("measure", sa.String(60), nullable=False),
    sa.Column("period", sa.String(10), nullable=False),  # YYYY, YYYY-MM or YYYY-MM-DD
    sa.Column("region_code", sa.String(REGION_KEY_LENGTH), nullable=False),
    sa.Column("members", sa.Text),  # regency codes joined by ";" (a branch office's area)
    sa.Column("segment", sa.String(20), nullable=False),
    sa.Column("value", sa.Float, nullable=False),
    sa.Column("value_high", sa.Float),  # the top of a published range ("80-90 persen")
    sa.Column("unit", sa.String(20), nullable=False),
    sa.Column("derived", sa.Boolean, nullable=False),
    sa.Column("source_id", sa.String(120), nullable=False),
    sa.Column("note", sa.Text),
    sa.Column("quote", sa.Text),
)

boundary_versions = sa.Table(  # v8: boundary files loaded by an admin (issue 15)
    "boundary_versions", metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("level", sa.String(10), nullable=False),  # regency | district | village
    sa.Column("source", sa.Text, nullable=False),  # the file's name and where it came from
    sa.Column("licence", sa.Text, nullable=False),  # as the admin entered it
    sa.Column("loaded_by", sa.Text, nullable=False),
    sa.Column("loaded_at", sa.String(32), nullable=False),  # UTC ISO 8601
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("scope", sa.String(10), nullable=False),  # all | covered
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("regions", sa.Text, nullable=False),  # the region codes it covers, joined by ","
    sa.Column("detail", sa.Text),  # JSON: format, CRS, matched, repaired, build figures
)

column_maps = sa.Table(  # v9: column mappings saved for a header signature (issue 12)
    "column_maps", metadata,
    sa.Column("signature", sa.String(16), primary_key=True),
    sa.Column("province", sa.String(2), primary_key=True),
    sa.Column("mapping", sa.Text, nullable=False),  # "region=A,registered=D" (import --map)
    sa.Column("saved_by", sa.Text, nullable=False),
    sa.Column("saved_at", sa.String(32), nullable=False),
)

#: Index names created by migration 2 (``ix_obs_map`` and ``ix_obs_batch`` dropped by 5).
MAP_INDEX = "ix_obs_map"  # (province_code, period, segment, programme): one province-month
HISTORY_INDEX = "ix_obs_history"  # (region_code, segment, programme, period)
BATCH_INDEX = "ix_obs_batch"


# --------------------------------------------------------------------------- migrations

def _v1_initial(conn: Connection) -> None:
    """Schema 1: sources, batches, observations, targets, premium rates (no quotes, no indexes)."""
    conn.exec_driver_sql(
        "CREATE TABLE sources (id VARCHAR(120) PRIMARY KEY, kind VARCHAR(20) NOT NULL,"
        " publisher TEXT, title TEXT, url TEXT, published VARCHAR(10), accessed VARCHAR(10),"
        " quote TEXT, licence TEXT, notes TEXT)")
    conn.exec_driver_sql(
        "CREATE TABLE batches (id VARCHAR(40) PRIMARY KEY, seq INTEGER NOT NULL UNIQUE,"
        " file_name TEXT NOT NULL, sha256 VARCHAR(64) NOT NULL, imported_at VARCHAR(32) NOT NULL,"
        " rows INTEGER NOT NULL, imported_by TEXT NOT NULL, kind VARCHAR(20) NOT NULL,"
        " status VARCHAR(20) NOT NULL)")
    conn.exec_driver_sql("CREATE INDEX ix_batches_sha256 ON batches (sha256)")
    serial = "SERIAL" if conn.dialect.name == "postgresql" else "INTEGER"
    conn.exec_driver_sql(
        f"CREATE TABLE observations (id {serial} PRIMARY KEY,"
        " batch_id VARCHAR(40) NOT NULL REFERENCES batches(id),"
        " period VARCHAR(7) NOT NULL, region_code VARCHAR(5) NOT NULL, scope VARCHAR(10) NOT NULL,"
        " segment VARCHAR(20) NOT NULL, programme VARCHAR(10) NOT NULL, registered BIGINT,"
        " eligible BIGINT, coverage_pct FLOAT, illustrative BOOLEAN NOT NULL,"
        " source_id VARCHAR(120) NOT NULL, note TEXT)")
    conn.exec_driver_sql(
        f"CREATE TABLE targets (row_id {serial} PRIMARY KEY,"
        " batch_id VARCHAR(40) NOT NULL REFERENCES batches(id), id VARCHAR(120) NOT NULL,"
        " region_code VARCHAR(5) NOT NULL, segment VARCHAR(20) NOT NULL,"
        " programme VARCHAR(10) NOT NULL, target_pct FLOAT, target_count BIGINT,"
        " deadline VARCHAR(7), baseline_period VARCHAR(7), basis TEXT NOT NULL,"
        " source_id VARCHAR(120) NOT NULL, illustrative BOOLEAN NOT NULL, note TEXT)")
    conn.exec_driver_sql(
        f"CREATE TABLE premium_rates (row_id {serial} PRIMARY KEY,"
        " batch_id VARCHAR(40) NOT NULL REFERENCES batches(id), programme VARCHAR(20) NOT NULL,"
        " segment VARCHAR(20) NOT NULL, rupiah_per_person_month INTEGER NOT NULL,"
        " valid_from VARCHAR(7) NOT NULL, source_id VARCHAR(120) NOT NULL, note TEXT)")


def _v2_quotes_and_map_index(conn: Connection) -> None:
    """Schema 2: the quoted sentence per figure, and a province column indexed for the map.

    ``province_code`` is backfilled from ``region_code`` so that a v1 database keeps answering
    province queries; the map query reads one (province, period, segment, programme) slice.
    """
    for table in ("observations", "targets", "premium_rates"):
        conn.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN quote TEXT")
    conn.exec_driver_sql("ALTER TABLE sources ADD COLUMN stored_copy TEXT")
    conn.exec_driver_sql(
        "ALTER TABLE observations ADD COLUMN province_code VARCHAR(2) NOT NULL DEFAULT ''")
    conn.exec_driver_sql("UPDATE observations SET province_code = substr(region_code, 1, 2)")
    conn.exec_driver_sql(f"CREATE INDEX {MAP_INDEX} ON observations"
                         " (province_code, period, segment, programme)")
    conn.exec_driver_sql(f"CREATE INDEX {HISTORY_INDEX} ON observations"
                         " (region_code, segment, programme, period)")
    conn.exec_driver_sql(f"CREATE INDEX {BATCH_INDEX} ON observations (batch_id)")
    conn.exec_driver_sql("CREATE INDEX ix_targets_batch ON targets (batch_id)")
    conn.exec_driver_sql("CREATE INDEX ix_rates_batch ON premium_rates (batch_id)")


def _v3_access_and_audit(conn: Connection) -> None:
    """Schema 3: roles, the audit trail, aliases saved at review, and preferred uploads."""
    serial = "SERIAL" if conn.dialect.name == "postgresql" else "INTEGER"
    false = "FALSE" if conn.dialect.name == "postgresql" else "0"
    conn.exec_driver_sql(
        f"ALTER TABLE batches ADD COLUMN preferred BOOLEAN NOT NULL DEFAULT {false}")
    conn.exec_driver_sql(
        "CREATE TABLE users (email VARCHAR(254) PRIMARY KEY, role VARCHAR(10) NOT NULL,"
        " provinces TEXT NOT NULL, added_by TEXT NOT NULL, added_at VARCHAR(32) NOT NULL)")
    conn.exec_driver_sql(
        f"CREATE TABLE audit (id {serial} PRIMARY KEY, at VARCHAR(32) NOT NULL,"
        " actor TEXT NOT NULL, action VARCHAR(20) NOT NULL, batch_id VARCHAR(40),"
        " file_name TEXT, sha256 VARCHAR(64), rows INTEGER, regions TEXT,"
        " totals_before TEXT, totals_after TEXT, detail TEXT)")
    conn.exec_driver_sql(
        "CREATE TABLE aliases (alias VARCHAR(200) PRIMARY KEY, code VARCHAR(5) NOT NULL,"
        " saved_by TEXT NOT NULL, saved_at VARCHAR(32) NOT NULL)")


#: Index of migration 4: one month of one segment and programme, every province (the
#: national map; the province map's index starts with the province).
NATIONAL_INDEX = "ix_obs_national"


def _v4_data_scale(conn: Connection) -> None:
    """Schema 4: the pages' queries stay flat as the store grows (issue 10, item 8).

    ``batch_periods`` holds the distinct (segment, month) pairs of each batch, written with the
    batch: the month pickers read a few hundred rows instead of scanning every observation
    (1.3 s with a national panel of 1.2M rows loaded, against 0.3 s without). A batch's
    rows never change, so the table needs no upkeep: rollback only flips the batch's status,
    which readers join on. Backfilled here from the observations already stored.
    ``ix_obs_national`` serves the national map (one month, segment, programme).
    """
    conn.exec_driver_sql(
        "CREATE TABLE batch_periods (batch_id VARCHAR(40) NOT NULL REFERENCES batches(id),"
        " segment VARCHAR(20) NOT NULL, period VARCHAR(7) NOT NULL,"
        " PRIMARY KEY (batch_id, segment, period))")
    conn.exec_driver_sql("INSERT INTO batch_periods (batch_id, segment, period)"
                         " SELECT DISTINCT batch_id, segment, period FROM observations")
    conn.exec_driver_sql(f"CREATE INDEX {NATIONAL_INDEX} ON observations"
                         " (period, segment, programme)")


#: Index of migration 5: one province's slice of one segment and programme, by month (the
#: trend page reads all its months, the province map one of them).
SLICE_INDEX = "ix_obs_slice"


def _v5_slice_index(conn: Connection) -> None:
    """Schema 5: the province pages read one index range, and PostgreSQL stops intersecting
    it with the batch index.

    ``ix_obs_slice`` (province_code, segment, programme, period) replaces ``ix_obs_map``
    (province_code, period, ...), which the trend page, having no month, could only use for
    its first column. ``ix_obs_batch`` goes: no page filters by batch, and with a national
    batch loaded PostgreSQL chose to AND its 400,000 entries per batch with the map index
    (the trend page's query 58 ms, 27 ms without it). What reads one batch (a rollback's
    rows) scans the table once instead; every insert maintains one index fewer.
    """
    conn.exec_driver_sql(f"CREATE INDEX {SLICE_INDEX} ON observations"
                         " (province_code, segment, programme, period)")
    conn.exec_driver_sql(f"DROP INDEX {MAP_INDEX}")
    conn.exec_driver_sql(f"DROP INDEX {BATCH_INDEX}")


def _v6_wider_region_keys(conn: Connection) -> None:
    """Schema 6: region keys up to 16 characters (villages; old extents), was 5 (``PP.RR``).

    SQLite does not enforce a VARCHAR length, so only PostgreSQL has anything to change; the
    column type is widened in place (no rewrite of the rows for a longer VARCHAR).
    """
    if conn.dialect.name != "postgresql":
        return
    for table in ("observations", "targets"):
        conn.exec_driver_sql(f"ALTER TABLE {table} ALTER COLUMN region_code"
                             f" TYPE VARCHAR({REGION_KEY_LENGTH})")
    conn.exec_driver_sql("ALTER TABLE aliases ALTER COLUMN code"
                         f" TYPE VARCHAR({REGION_KEY_LENGTH})")


def _v7_published_measures(conn: Connection) -> None:
    """Schema 7: published figures of other measures, kept apart from coverage observations.

    Kemnaker's active participants, BPS's employed population, village counts, awards and
    the like are published figures with a source, but not UCJ coverage: stored with the
    observations they would be summed, mapped and anchored as if they were. Each row is one
    figure of one measure (``measure``, ``unit``), carried by the published seed batch.
    """
    serial = "SERIAL" if conn.dialect.name == "postgresql" else "INTEGER"
    false = "FALSE" if conn.dialect.name == "postgresql" else "0"
    conn.exec_driver_sql(
        f"CREATE TABLE published_measures (row_id {serial} PRIMARY KEY,"
        " batch_id VARCHAR(40) NOT NULL REFERENCES batches(id), measure VARCHAR(60) NOT NULL,"
        f" period VARCHAR(10) NOT NULL, region_code VARCHAR({REGION_KEY_LENGTH}) NOT NULL,"
        " members TEXT, segment VARCHAR(20) NOT NULL, value FLOAT NOT NULL, value_high FLOAT,"
        f" unit VARCHAR(20) NOT NULL, derived BOOLEAN NOT NULL DEFAULT {false},"
        " source_id VARCHAR(120) NOT NULL, note TEXT, quote TEXT)")
    conn.exec_driver_sql("CREATE INDEX ix_measures_measure ON published_measures"
                         " (measure, period)")


def _v8_boundary_versions(conn: Connection) -> None:
    """Schema 8: boundary versions, each a file an admin loaded (source, licence, who, when,
    sha256, scope ``all`` or ``covered``); at most one is active (none: the default set). The
    built geometry lives on disk per version (``CAKUPAN_CACHE_DIR/byo/<id>``)."""
    false = "FALSE" if conn.dialect.name == "postgresql" else "0"
    conn.exec_driver_sql(
        "CREATE TABLE boundary_versions (id VARCHAR(40) PRIMARY KEY,"
        " level VARCHAR(10) NOT NULL, source TEXT NOT NULL, licence TEXT NOT NULL,"
        " loaded_by TEXT NOT NULL, loaded_at VARCHAR(32) NOT NULL, sha256 VARCHAR(64) NOT NULL,"
        f" scope VARCHAR(10) NOT NULL, active BOOLEAN NOT NULL DEFAULT {false},"
        " regions TEXT NOT NULL, detail TEXT)")


def _v9_column_maps(conn: Connection) -> None:
    """Schema 9: column mappings people saved in the import's mapping step, one per header
    signature and province, with who saved it and when (issue 12, item 2)."""
    conn.exec_driver_sql(
        "CREATE TABLE column_maps (signature VARCHAR(16) NOT NULL,"
        " province VARCHAR(2) NOT NULL, mapping TEXT NOT NULL, saved_by TEXT NOT NULL,"
        " saved_at VARCHAR(32) NOT NULL, PRIMARY KEY (signature, province))")


#: Ordered migrations: entry ``i`` upgrades a database from version ``i`` to ``i + 1``.
#: Append only; a helper adding a table appends its own function at the end.
MIGRATIONS: list[Callable[[Connection], None]] = [
    _v1_initial, _v2_quotes_and_map_index, _v3_access_and_audit, _v4_data_scale,
    _v5_slice_index, _v6_wider_region_keys, _v7_published_measures, _v8_boundary_versions,
    _v9_column_maps]
SCHEMA_VERSION: int = len(MIGRATIONS)

_PG_LOCK_KEY = 0x43414B55  # "CAKU": one advisory lock id for migrations and seeding


def _lock(conn: Connection) -> None:
    """Serialise concurrent migrators: a PostgreSQL advisory lock, SQLite's write lock."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
    else:  # a write statement takes SQLite's RESERVED lock (waiting up to busy_timeout), so
        # later reads in this transaction cannot go stale under another migrator
        conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS meta"
                             " (key VARCHAR(64) PRIMARY KEY, value TEXT NOT NULL)")
        conn.exec_driver_sql("UPDATE meta SET value = value WHERE key = 'schema_version'")


def schema_version(conn: Connection) -> int:
    """The version recorded in ``meta``; 0 for an empty database."""
    if not sa.inspect(conn).has_table("meta"):
        return 0
    value = conn.execute(sa.select(meta.c.value).where(meta.c.key == "schema_version")).scalar()
    return int(value) if value is not None else 0


def _check_not_newer(version: int) -> None:
    if version > SCHEMA_VERSION:
        raise RuntimeError(f"database schema {version} is newer than this Cakupan "
                           f"({SCHEMA_VERSION}); upgrade Cakupan")


def migrate(conn_factory: Callable[[], object],
            read: Callable[[], object] | None = None) -> int:
    """Bring the database up to :data:`SCHEMA_VERSION`; return the number of migrations run.

    ``conn_factory`` opens a writer's transaction (``engine.begin``, or
    :func:`cakupan.store.database.writing`): each migration commits on its own, so a failure
    leaves the database at the last good version rather than half-way through one.

    ``read`` (``engine.connect``) is asked first, in a plain read transaction: when the store
    is already current, as on every start but the first after an upgrade, nothing takes the
    write lock. On SQLite that lock is held by a running import for as long as it writes
    (longer than the busy timeout for a big file), so a ``query`` or an app start would
    otherwise wait for it and then fail.

    Raises
    ------
    RuntimeError
        If the database is newer than this code (it would be unsafe to write to it).
    """
    if read is not None:
        with read() as conn:  # type: ignore[attr-defined]
            version = schema_version(conn)
        _check_not_newer(version)
        if version == SCHEMA_VERSION:
            return 0
    ran = 0
    while True:
        with conn_factory() as conn:  # type: ignore[attr-defined]
            _lock(conn)
            if not sa.inspect(conn).has_table("meta"):  # no DDL at all on an up-to-date store,
                # so an app login without CREATE rights (PostgreSQL grants) can open it
                conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS meta"
                                     " (key VARCHAR(64) PRIMARY KEY, value TEXT NOT NULL)")
            version = schema_version(conn)
            _check_not_newer(version)
            if version == SCHEMA_VERSION:
                return ran
            MIGRATIONS[version](conn)
            _set(conn, "schema_version", str(version + 1))
            ran += 1


def _set(conn: Connection, key: str, value: str) -> None:
    updated = conn.execute(meta.update().where(meta.c.key == key).values(value=value)).rowcount
    if not updated:
        conn.execute(meta.insert().values(key=key, value=value))
