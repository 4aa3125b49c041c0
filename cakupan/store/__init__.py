"""The coverage store: observations, targets, premium rates and sources, each tied to a batch.

Modules, from the bottom up (each may import only those below it; ``pyproject.toml`` checks):

- ``schema``: the tables and their ordered migrations (``meta.schema_version``);
- ``columns``: the vocabulary and column lists of each table;
- ``database``: opening SQLite or PostgreSQL (``CAKUPAN_DATABASE_URL``), cached per URL;
- ``checks``: the store's own guard on every frame before it is written (``measures``:
  the same for published figures of other measures than coverage);
- ``current``: which figure is current (real over illustrative, published over uploads
  unless an editor preferred the upload, newest first);
- ``audit``: the append-only audit trail, written in the transaction of each change;
- ``writes``: one import = one batch, all or nothing, checked against the actor's role and
  provinces (a big file chunk by chunk, one transaction: ``write_batch_chunks``); rollback
  marks a batch withdrawn; an upload may be preferred over published;
- ``reads``: the current figure of every key, histories, targets, rates, sources, versions,
  conflicts with published figures;
- ``column_maps``: column mappings saved for a file's header signature (the import's
  mapping step), checked and audited like aliases;
- ``boundaries``: boundary versions loaded by admins, and the one the maps draw;
- ``users``: who has which role (no passwords: identities come from the sign-in provider);
- ``demo``: the illustrative monthly panel (flagged illustrative everywhere);
- ``seed``: the embedded default dataset (``data/published/`` plus the panel);
- ``engine``: :func:`get_engine`, which opens the store and seeds it once per process.

Callers use the package: ``from cakupan import store; store.current_observations(...)``; the
public names are re-exported below. May import: ``cakupan.geo``, ``cakupan.regions`` and
``cakupan.core``.
"""

from cakupan.store import boundaries
from cakupan.store.aliases import save_alias, saved_aliases
from cakupan.store.audit import AUDIT_COLUMNS, audit_trail, grant_app_role
from cakupan.store.checks import (
    prepare_observations,
    prepare_rates,
    prepare_sources,
    prepare_targets,
)
from cakupan.store.column_maps import save_column_map, saved_column_map
from cakupan.store.columns import (
    BATCH_KINDS,
    MEASURE_COLUMNS,
    MEASURE_UNITS,
    NATIONAL_KEY,
    OBS_COLUMNS,
    OBS_KEY,
    PROGRAMMES,
    RATE_COLUMNS,
    SCOPES,
    SEGMENTS,
    SOURCE_COLUMNS,
    SOURCE_KINDS,
    TARGET_COLUMNS,
)
from cakupan.store.engine import (
    clear_engines,
    get_engine,
    is_open,
)
from cakupan.store.reads import (
    batch_provinces,
    current_observations,
    data_version,
    list_batches,
    observation_history,
    periods,
    premium_rates,
    published_conflicts,
    published_measures,
    published_observations,
    sources,
    targets,
)
from cakupan.store.users import USER_COLUMNS, actor_for, add_user, list_users, remove_user
from cakupan.store.writes import (
    BatchId,
    prefer_upload,
    rollback_batch,
    write_batch,
    write_batch_chunks,
)

__all__ = [
    "AUDIT_COLUMNS",
    "BATCH_KINDS",
    "MEASURE_COLUMNS",
    "MEASURE_UNITS",
    "NATIONAL_KEY",
    "OBS_COLUMNS",
    "OBS_KEY",
    "PROGRAMMES",
    "RATE_COLUMNS",
    "SCOPES",
    "SEGMENTS",
    "SOURCE_COLUMNS",
    "SOURCE_KINDS",
    "TARGET_COLUMNS",
    "USER_COLUMNS",
    "BatchId",
    "actor_for",
    "add_user",
    "audit_trail",
    "batch_provinces",
    "boundaries",
    "clear_engines",
    "current_observations",
    "data_version",
    "get_engine",
    "grant_app_role",
    "is_open",
    "list_batches",
    "list_users",
    "observation_history",
    "periods",
    "prefer_upload",
    "premium_rates",
    "prepare_observations",
    "prepare_rates",
    "prepare_sources",
    "prepare_targets",
    "published_conflicts",
    "published_measures",
    "published_observations",
    "remove_user",
    "rollback_batch",
    "save_alias",
    "save_column_map",
    "saved_aliases",
    "saved_column_map",
    "sources",
    "targets",
    "write_batch",
    "write_batch_chunks",
]
