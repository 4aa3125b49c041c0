"""The coverage store: observations, targets, premium rates and sources, each tied to a batch.

Modules, from the bottom up (each may import only those below it; ``pyproject.toml`` checks):

- ``schema``: the tables and their ordered migrations (``meta.schema_version``);
- ``columns``: the vocabulary and column lists of each table;
- ``database``: opening SQLite or PostgreSQL (``CAKUPAN_DATABASE_URL``), cached per URL;
- ``checks``: the store's own guard on every frame before it is written;
- ``writes``: one import = one batch, all or nothing; rollback marks a batch withdrawn;
- ``reads``: the current figure of every key, histories, targets, rates, sources, versions;
- ``demo``: the illustrative monthly panel (flagged illustrative everywhere);
- ``seed``: the embedded default dataset (``data/published/`` plus the panel);
- ``engine``: :func:`get_engine`, which opens the store and seeds it once per process.

Callers use the package: ``from cakupan import store; store.current_observations(...)``; the
public names are re-exported below. May import: ``cakupan.regions`` and ``cakupan.core``.
"""

from cakupan.store.checks import (
    prepare_observations,
    prepare_rates,
    prepare_sources,
    prepare_targets,
)
from cakupan.store.columns import (
    BATCH_KINDS,
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
    current_observations,
    data_version,
    list_batches,
    observation_history,
    periods,
    premium_rates,
    sources,
    targets,
)
from cakupan.store.writes import (
    rollback_batch,
    write_batch,
)

__all__ = [
    "BATCH_KINDS",
    "OBS_COLUMNS",
    "OBS_KEY",
    "PROGRAMMES",
    "RATE_COLUMNS",
    "SCOPES",
    "SEGMENTS",
    "SOURCE_COLUMNS",
    "SOURCE_KINDS",
    "TARGET_COLUMNS",
    "clear_engines",
    "current_observations",
    "data_version",
    "get_engine",
    "is_open",
    "list_batches",
    "observation_history",
    "periods",
    "premium_rates",
    "prepare_observations",
    "prepare_rates",
    "prepare_sources",
    "prepare_targets",
    "rollback_batch",
    "sources",
    "targets",
    "write_batch",
]
