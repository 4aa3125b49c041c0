"""``query coverage``: the done-when checks of issue 3, on a fully seeded SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine

from cakupan import store
from cakupan.commands import cli
from cakupan.commands.query import coverage_of
from tests.store.dbs import drop_schema, isolated_url

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def seeded(request: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A store seeded with the default dataset, as on first start (once per module and DB)."""
    if request.param == "sqlite":
        base = f"sqlite:///{tmp_path_factory.mktemp('query')}/seeded.sqlite"
    else:
        base = request.getfixturevalue("pg_url")
    url, schema_name = isolated_url(base)
    yield store.get_engine(url)
    store.clear_engines()
    drop_schema(base, schema_name)


def test_konawe_selatan_october_2018(seeded: Engine) -> None:
    got = coverage_of("74.05", segment="non_asn", period="2018-10", engine=seeded)
    assert got["registered"] == 202
    assert got["status"] == "registered"
    assert got["illustrative"] is False
    assert any(s.startswith("zonasultra") for s in got["sources"])
    assert got["eligible"] is None


def test_sulawesi_tenggara_total_october_2018(seeded: Engine) -> None:
    got = coverage_of("74", segment="non_asn", period="2018-10", engine=seeded)
    assert got["registered"] == 7431
    assert got["illustrative"] is False


def test_wakatobi_is_unregistered(seeded: Engine) -> None:
    got = coverage_of("74.07", segment="non_asn", period="2018-10", engine=seeded)
    assert got["registered"] == 0
    assert got["status"] == "unregistered"


def test_maluku_2024_reads_40_percent_with_the_55_percent_target(seeded: Engine) -> None:
    got = coverage_of("81", segment="all", period="2024-11", engine=seeded)
    assert got["coverage_pct"] == 40.0
    assert got["status"] == "partial"
    assert got["illustrative"] is False
    goal = store.targets(seeded, region_code="81", segment="all").set_index("id")
    # the 2024 article's 55%, and BPJS Maluku's 2025 targets (TribunAmbon, 1 July 2025)
    assert goal.loc["maluku-2024-all-55", ["target_pct", "deadline"]].tolist() == [
        55.0, "2024-12"]
    assert sorted(goal["target_pct"]) == [55.0, 63.88, 72.74]
    assert goal.loc["r-81-all-2025-12-63-88", "target_count"] == 395239
    assert sorted(t["target_pct"] for t in got["targets"]) == [55.0, 63.88, 72.74]


def test_command_line_prints_one_json_object(seeded: Engine, capsys: pytest.CaptureFixture,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store, "get_engine", lambda url=None, seed=True: seeded)
    status = cli.main(["query", "coverage", "--region", "74.05", "--segment", "non_asn",
                       "--period", "2018-10", "--json"])
    out = capsys.readouterr().out
    assert status == 0
    payload = json.loads(out)
    assert {k: payload[k] for k in ("region", "segment", "period", "registered", "status")} == {
        "region": "74.05", "segment": "non_asn", "period": "2018-10", "registered": 202,
        "status": "registered"}
    for key in ("eligible", "coverage_pct", "illustrative", "sources"):
        assert key in payload


def test_bad_region_or_period_exit_1_with_one_line(seeded: Engine, capsys: pytest.CaptureFixture,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store, "get_engine", lambda url=None, seed=True: seeded)
    assert cli.main(["query", "coverage", "--region", "99.99", "--json"]) == 1
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and "99.99" in captured.err
    # --json: stdout still holds exactly one JSON object, the same line and its kind
    assert json.loads(captured.out) == {"error": captured.err.strip().removeprefix("error: "),
                                        "kind": "error"}
    assert cli.main(["query", "coverage", "--region", "74", "--period", "2018-1"]) == 1


def test_default_period_is_the_latest_with_data(seeded: Engine) -> None:
    got = coverage_of("74.05", segment="non_asn", engine=seeded)
    assert got["period"] == max(store.periods(seeded, segment="non_asn"))


def test_published_observations_hold_no_illustrative_row(seeded: Engine) -> None:
    """The published read is the current figures minus the illustrative panel, no more."""
    got = store.published_observations(seeded, segment="all", province="81")
    assert len(got) and not got["illustrative"].any()
    current = store.current_observations(seeded, segment="all", programme="any", province="81")
    real = current[~current["illustrative"]]
    assert sorted(zip(got["period"], got["region_code"], strict=True)) == \
        sorted(zip(real["period"], real["region_code"], strict=True))
    assert ("2024-11", "81") in set(zip(got["period"], got["region_code"], strict=True))
