"""The data-scale benchmark's own parts: the national panel it generates is the file the
issue describes (shape, unique keys, honest figures, imports without an error), and
``bench --only`` picks a measurement's figures by their prefix."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cakupan.benchmarks import data_scale
from cakupan.benchmarks.registry import selected
from cakupan.ingest import parse_file

pytestmark = pytest.mark.unit

CODES = ["74.01", "74.02", "81.71"]
MONTHS = ["2023-11", "2023-12", "2024-01"]


@pytest.mark.parametrize("programmes", [False, True])
def test_the_panel_has_one_row_per_key_and_parses_cleanly(tmp_path: Path,
                                                          programmes: bool) -> None:
    path = tmp_path / "panel.csv"
    rows = data_scale.write_panel(path, programmes=programmes, codes=CODES, months=MONTHS)
    assert rows == len(CODES) * len(MONTHS) * 6 * (4 if programmes else 1)
    result = parse_file(path.read_bytes(), path.name)
    assert result.ok and result.rows == rows and len(result.observations) == rows
    obs = result.observations
    assert not obs.duplicated(["period", "region_code", "segment", "programme"]).any()
    assert (obs["registered"] <= obs["eligible"]).all() and (obs["registered"] > 0).all()
    assert set(obs["programme"]) == ({"jkk", "jkm", "jht", "jp"} if programmes else {"any"})
    growth = obs[obs["programme"].isin(["any", "jkk"])].sort_values("period").groupby(
        ["region_code", "segment"])["registered"].apply(lambda s: s.is_monotonic_increasing)
    assert growth.all()  # registration grows month by month, as the generator says


def test_the_full_panels_are_the_issue_sizes() -> None:
    assert data_scale.SEGMENT_ROWS == 514 * 96 * 6 == 296_064
    assert data_scale.PROGRAMME_ROWS == 1_184_256
    assert len(data_scale.MONTHS) == 96 and data_scale.MONTHS[0] == "2017-01"


def test_only_picks_a_measurement_by_its_prefix() -> None:
    assert selected("data_scale_page_ratio", ["data_scale"])
    assert selected("data_scale_pg_import_1m_s", ["data_scale"])
    assert selected("store_map_query_ms", ["store_map_query_ms"])
    assert not selected("data_scale_page_ratio", ["data_scal"])
    assert selected("store_map_query_ms", ["store_map"])  # a prefix up to an underscore
    assert not selected("store_map_query_ms", ["store_ma"])
    assert selected("anything", None)


def test_page_work_runs_every_page_on_a_store(tmp_path: Path) -> None:
    """The timed work is real: each page's function returns the page's numbers."""
    from cakupan import store

    engine = store.get_engine(f"sqlite:///{tmp_path / 's.sqlite'}")
    work = data_scale.page_work(engine)
    assert set(work) == {"tren", "peta_national", "peta_province", "ringkasan",
                         "ringkasan_national"}
    national = work["peta_national"]()
    assert isinstance(national, pd.DataFrame) and len(national) == 514
    assert work["ringkasan"]().region == "81"
