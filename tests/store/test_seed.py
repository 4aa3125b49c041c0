"""Seeding a new store with the embedded default dataset (published figures + demo panel)."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from cakupan import store
from cakupan.core import access
from cakupan.store import seed

ADMIN = access.operator()

pytestmark = pytest.mark.unit


def test_published_seed_loads_every_row_once(engine: Engine) -> None:
    published = seed.load_published()
    added = seed.ensure_seeded(engine, illustrative=False)
    assert added["published"] is not None
    batches = store.list_batches(engine)
    assert batches["kind"].tolist() == ["seed_published"]
    assert batches["rows"].tolist() == [len(published.observations)]
    assert batches["sha256"].tolist() == [seed.files_sha256()]
    current = store.current_observations(engine)
    assert len(current) == len(published.observations)
    assert not current["illustrative"].any()
    assert set(store.sources(engine)["id"]) == set(published.sources["id"])
    assert len(store.targets(engine)) == len(published.targets)
    assert len(store.premium_rates(engine)) == len(published.premium_rates)
    measures = store.published_measures(engine)
    assert len(measures) == len(published.measures) > 300
    assert measures["source_title"].notna().all()  # every measure comes with its source

    version = store.data_version(engine)
    assert seed.ensure_seeded(engine, illustrative=False) == {"published": None,
                                                               "illustrative": None}
    assert store.data_version(engine) == version


def test_a_rolled_back_seed_is_not_loaded_again(engine: Engine) -> None:
    batch = seed.ensure_seeded(engine, illustrative=False)["published"]
    store.rollback_batch(engine, batch, actor=ADMIN)
    assert seed.ensure_seeded(engine, illustrative=False)["published"] is None
    assert store.current_observations(engine).empty


def test_full_seed_on_sqlite_keeps_published_figures_on_top(tmp_path: object) -> None:
    engine = store.get_engine(f"sqlite:///{tmp_path}/full.sqlite")
    kinds = store.list_batches(engine)["kind"].tolist()
    assert kinds == ["seed_illustrative", "seed_published"]
    sultra = store.current_observations(engine, segment="non_asn", period="2018-10",
                                        province="74").set_index(["region_code", "scope"])
    assert sultra.loc[("74.05", "region"), "registered"] == 202
    assert not sultra.loc[("74.05", "region"), "illustrative"]
    # months without a published figure come from the panel, flagged as such
    later = store.current_observations(engine, segment="non_asn", period="2019-10",
                                       region_codes=["74.05"])
    assert later["illustrative"].tolist() == [True]
    assert later["source_id"].tolist() == [seed.ILLUSTRATIVE_SOURCE_ID]
    store.clear_engines()


def test_published_checksums_match_their_metadata() -> None:
    assert seed.checksum_problems() == []
