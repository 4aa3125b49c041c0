"""The embedded default dataset: read ``data/published/`` and load it (plus the demo panel).

A new store is seeded on first use (:func:`cakupan.store.get_engine`) so every page has data out
of the box: first the published figures (with their sources, targets and premium rates) as one
``seed_published`` batch, then the illustrative monthly panel of :mod:`cakupan.store.demo` as one
``seed_illustrative`` batch. Each batch is keyed by a hash of what produced it, so a new release
of the published files or of the panel script loads once, as a newer batch, on the next start;
a seed batch someone rolled back is not loaded again.

Seeding is all or nothing: both batches are written in one transaction, so a store that
cannot hold the whole default dataset (a full disk, a size limit) keeps none of it and the next
start tries again from the beginning. Committing the published batch alone, as before, left a
store that every page took as seeded, with only a few hundred figures, for good when the store
stayed too small.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from cakupan import regions
from cakupan.core.access import SYSTEM
from cakupan.core.datafile import read_checked_csv
from cakupan.core.settings import DATA_DIR
from cakupan.store import demo, schema
from cakupan.store.columns import MEASURE_COLUMNS
from cakupan.store.database import writing
from cakupan.store.writes import write_batch

log = logging.getLogger(__name__)

PUBLISHED_DIR: Path = DATA_DIR / "published"

#: File -> the columns it must have (in this order); the loader refuses anything else.
FILES: dict[str, list[str]] = {
    "sources.csv": ["id", "kind", "publisher", "title", "url", "published", "accessed", "quote",
                    "licence", "stored_copy", "notes"],
    "observations.csv": ["period", "region_code", "scope", "segment", "programme", "registered",
                         "eligible", "coverage_pct", "source_id", "note", "quote"],
    "targets.csv": ["id", "region_code", "segment", "programme", "target_pct", "target_count",
                    "deadline", "baseline_period", "basis", "source_id", "note", "quote"],
    "premium_rates.csv": ["programme", "segment", "rupiah_per_person_month", "valid_from",
                          "source_id", "note", "quote"],
    "measures.csv": list(MEASURE_COLUMNS),
}

ILLUSTRATIVE_SOURCE_ID = "cakupan-illustrative"
ILLUSTRATIVE_SOURCE = {
    "id": ILLUSTRATIVE_SOURCE_ID, "kind": "illustrative", "publisher": "Cakupan project",
    "title": "Illustrative monthly panel 2017-2024 (demonstration figures, not real data)",
    "url": None, "published": None, "accessed": None, "quote": None,
    "licence": "CC0-1.0",
    "notes": "Made by cakupan.store.demo.illustrative_panel from the regions reference and the "
             "published figures; passes through every published figure at its month; flagged "
             "illustrative everywhere.",
    "stored_copy": None,
}


@dataclass(frozen=True)
class Published:
    """The published dataset as frames in the store's schema, and the hash of its files."""

    sources: pd.DataFrame
    observations: pd.DataFrame
    targets: pd.DataFrame
    premium_rates: pd.DataFrame
    sha256: str
    #: Published figures of other measures (Kemnaker, BPS, villages, ...): never observations.
    measures: pd.DataFrame = field(default_factory=pd.DataFrame)


def _read(path: Path, columns: list[str]) -> pd.DataFrame:
    return read_checked_csv(path, columns, missing_hint="published data file").replace("", None)


def files_sha256(folder: Path = PUBLISHED_DIR) -> str:
    """One hash over the published files, in a fixed order: the seed batch's identity."""
    digest = hashlib.sha256()
    for name in FILES:
        digest.update(name.encode())
        digest.update((folder / name).read_bytes())
    return digest.hexdigest()


def read_published(folder: Path = PUBLISHED_DIR) -> Published:
    """Read and check the published files (uncached; :func:`load_published` caches).

    Raises
    ------
    CakupanError
        A file is missing or lacks a column; the message names the file and what was expected.
    """
    frames = {name: _read(folder / name, columns) for name, columns in FILES.items()}
    obs = frames["observations.csv"]
    for column in ("registered", "eligible"):
        obs[column] = pd.to_numeric(obs[column]).astype("Int64")
    obs["coverage_pct"] = pd.to_numeric(obs["coverage_pct"]).astype(float)
    obs["illustrative"] = False
    tgt = frames["targets.csv"]
    tgt["target_pct"] = pd.to_numeric(tgt["target_pct"]).astype(float)
    tgt["target_count"] = pd.to_numeric(tgt["target_count"]).astype("Int64")
    tgt["illustrative"] = False
    rates = frames["premium_rates.csv"]
    rates["rupiah_per_person_month"] = pd.to_numeric(rates["rupiah_per_person_month"])
    measures = frames["measures.csv"]
    for column in ("value", "value_high"):
        measures[column] = pd.to_numeric(measures[column]).astype(float)
    measures["derived"] = measures["derived"].astype(str).str.lower() == "true"
    return Published(frames["sources.csv"], obs, tgt, rates, files_sha256(folder), measures)


@cache
def load_published() -> Published:
    """The shipped published dataset, read once per process."""
    return read_published()


def checksum_problems(folder: Path = PUBLISHED_DIR) -> list[str]:
    """Files whose sha256 differs from the one in their ``.meta.json`` (empty list = all good)."""
    problems = []
    for name in FILES:
        meta_path = folder / name.replace(".csv", ".meta.json")
        if not meta_path.exists():
            problems.append(f"{meta_path.name} missing")
            continue
        expected = json.loads(meta_path.read_text(encoding="utf-8")).get("sha256")
        actual = hashlib.sha256((folder / name).read_bytes()).hexdigest()
        if expected != actual:
            problems.append(f"{name}: sha256 {actual} but {meta_path.name} says {expected}")
    return problems


# --------------------------------------------------------------------------- seeding

def illustrative_key(published: Published) -> str:
    """Hash of what the panel is made from: the demo script, the regions, the published data."""
    digest = hashlib.sha256()
    digest.update(Path(demo.__file__).read_bytes())
    digest.update(regions.REGIONS_CSV.read_bytes())
    digest.update(published.sha256.encode())
    return digest.hexdigest()


def _seed_hashes(conn: sa.Connection) -> set[str]:
    """What seed batches the store has had (rolled back ones too: those stay out)."""
    b = schema.batches
    return set(conn.execute(sa.select(b.c.sha256).where(
        b.c.kind.in_(["seed_published", "seed_illustrative"]))).scalars())


def ensure_seeded(engine: Engine, *, illustrative: bool = True) -> dict[str, str | None]:
    """Load whatever part of the default dataset this store lacks; return the new batch ids.

    Cheap when there is nothing to do (one read, no write lock), so it runs on every first use
    of a store. Whatever is missing is written in one transaction: both batches or neither.

    Raises
    ------
    sqlalchemy.exc.DBAPIError
        The store refused the rows (full, read-only); nothing of the seed is committed.
    """
    published = load_published()
    with engine.connect() as conn:
        done = _seed_hashes(conn)
    key = illustrative_key(published)
    want_published = published.sha256 not in done
    want_panel = illustrative and key not in done
    added: dict[str, str | None] = {"published": None, "illustrative": None}
    if not (want_published or want_panel):
        return added
    panel = None
    if want_panel:  # made before the write lock is taken: about a second of pandas
        panel = demo.illustrative_panel(regions.load_regions(), published.observations)
        if "source_id" not in panel.columns:
            panel = panel.assign(source_id=ILLUSTRATIVE_SOURCE_ID)
    with writing(engine, bulk=True) as conn:
        done = _seed_hashes(conn)  # again, under the lock: another process may have seeded
        want_published = published.sha256 not in done
        if panel is not None and key in done:
            panel = None
        if want_published:
            added["published"] = write_batch(
                engine, published.observations, file_name="data/published",
                sha256=published.sha256, actor=SYSTEM, kind="seed_published",
                source=published.sources, targets=published.targets,
                premium_rates=published.premium_rates, measures=published.measures,
                within=conn)
        if panel is not None:
            added["illustrative"] = write_batch(
                engine, panel, file_name="cakupan.store.demo.illustrative_panel", sha256=key,
                actor=SYSTEM, kind="seed_illustrative", source=ILLUSTRATIVE_SOURCE,
                within=conn)
    if panel is not None:
        log.info("seeded %d illustrative rows", len(panel))
    return added
