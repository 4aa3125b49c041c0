"""Published measures (schema 7): figures that are not coverage, kept in a table of their own."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy.engine import Engine

from cakupan import store
from cakupan.core import access
from cakupan.core.errors import CakupanError

ADMIN = access.operator()
SOURCE = {"id": "kemnaker-2023", "kind": "reference", "publisher": "Kemnaker Satu Data",
          "title": "Active participants by type of membership, 2023",
          "url": "https://example.org/kemnaker", "published": "2024-02-29"}


def _measures() -> pd.DataFrame:
    return pd.DataFrame([
        {"measure": "kemnaker_active_participants", "period": "2023", "region_code": "81",
         "segment": "pu", "value": 92695, "unit": "people", "source_id": "kemnaker-2023"},
        {"measure": "kemnaker_active_participants", "period": "2023", "region_code": "81",
         "segment": "all", "value": 205297, "unit": "people", "source_id": "kemnaker-2023"},
        {"measure": "kemnaker_active_participants", "period": "2023",
         "region_code": "91~pra2022", "segment": "all", "value": 1000, "unit": "people",
         "source_id": "kemnaker-2023"},
        {"measure": "bps_employed", "period": "2023-08", "region_code": "00",
         "segment": "all", "value": 139850, "unit": "thousand_people",
         "source_id": "kemnaker-2023"},
        {"measure": "branch_active_participants", "period": "2022-08", "region_code": "53",
         "members": "53.11;53.12", "segment": "bpu", "value": 4816, "unit": "people",
         "source_id": "kemnaker-2023"},
    ])


def _seed(engine: Engine, measures: pd.DataFrame, sha: str = "m1") -> str:
    return store.write_batch(engine, pd.DataFrame(columns=["period", "region_code", "segment"]),
                             file_name="data/published", sha256=sha, actor=ADMIN,
                             kind="seed_published", source=SOURCE, measures=measures)


def test_measures_are_read_back_with_their_source(engine: Engine) -> None:
    _seed(engine, _measures())
    maluku = store.published_measures(engine, "kemnaker_active_participants", province="81")
    assert maluku.set_index("segment")["value"].to_dict() == {"all": 205297.0, "pu": 92695.0}
    assert (maluku["source_url"] == SOURCE["url"]).all()
    assert (maluku["source_published"] == "2024-02-29").all()
    assert not maluku["derived"].any()
    papua = store.published_measures(engine, "kemnaker_active_participants", province="91")
    assert papua["region_code"].tolist() == ["91~pra2022"]  # the old extent, never today's 91
    national = store.published_measures(engine, "bps_employed", "2023-08", region_code="00")
    assert national["value"].tolist() == [139850.0]
    assert national["unit"].tolist() == ["thousand_people"]
    branch = store.published_measures(engine, "branch_active_participants")
    assert branch["members"].tolist() == ["53.11;53.12"]
    assert store.published_measures(engine, "bps_employed", "2023").empty
    # no coverage observation was made of any of them
    assert store.current_observations(engine).empty


def test_a_newer_published_batch_replaces_the_measures_and_a_rollback_restores_them(
        engine: Engine) -> None:
    _seed(engine, _measures())
    newer = _measures().assign(value=lambda f: f["value"] + 1)
    batch = _seed(engine, newer, sha="m2")
    assert 205298.0 in store.published_measures(engine, region_code="81")["value"].tolist()
    store.rollback_batch(engine, batch, actor=ADMIN)
    assert 205297.0 in store.published_measures(engine, region_code="81")["value"].tolist()


@pytest.mark.parametrize(("column", "value"), [
    ("region_code", "99"), ("unit", "litres"), ("period", "2023-13"), ("segment", "formal"),
    ("value", "banyak"), ("members", "74.02")])
def test_a_bad_measure_row_is_refused_and_nothing_is_written(engine: Engine, column: str,
                                                             value: str) -> None:
    bad = _measures().astype({column: object})
    bad.loc[4, column] = value
    with pytest.raises(CakupanError, match="published measures refused"):
        _seed(engine, bad)
    assert store.list_batches(engine).empty
