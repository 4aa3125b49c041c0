"""Store behaviour on SQLite and PostgreSQL: write, supersede, history, rollback, atomicity."""

from __future__ import annotations

import pandas as pd
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from cakupan import store
from cakupan.core import access
from cakupan.core.errors import CakupanError
from cakupan.store import schema, writes

ADMIN = access.operator()

pytestmark = pytest.mark.unit

ARTICLE = {"id": "src-a", "kind": "article", "publisher": "Test Daily", "title": "Figures",
           "published": "2018-10-04", "quote": "Konsel 202 orang."}


def obs(*rows: tuple) -> pd.DataFrame:
    """Rows of (period, region_code, segment, registered[, eligible[, scope]])."""
    records = []
    for row in rows:
        period, code, segment, registered, *rest = row
        records.append({"period": period, "region_code": code, "segment": segment,
                        "registered": registered,
                        "eligible": rest[0] if rest else None,
                        "scope": rest[1] if len(rest) > 1 else "region",
                        "source_id": "src-a"})
    return pd.DataFrame(records)


def write(engine: Engine, frame: pd.DataFrame, sha: str, **kw: object) -> str:
    kw.setdefault("source", ARTICLE)
    batch = store.write_batch(engine, frame, file_name=f"{sha}.csv", sha256=sha,
                              actor=ADMIN, **kw)
    assert batch is not None
    return batch


def counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar()
                for t in (schema.batches, schema.observations, schema.targets,
                          schema.premium_rates, schema.sources)}


def registered_of(engine: Engine, code: str, period: str = "2018-10",
                  segment: str = "non_asn") -> list:
    frame = store.current_observations(engine, segment=segment, period=period,
                                       region_codes=[code])
    return frame["registered"].tolist()


def test_write_then_read_back_every_column(engine: Engine) -> None:
    frame = obs(("2018-10", "74.05", "non_asn", 202), ("2018-10", "74", "non_asn", 977, None,
                                                        "pemprov"),
                ("2018-10", "74.07", "non_asn", 0), ("2024-11", "81", "all", None))
    frame.loc[3, "coverage_pct"] = 40.0
    frame["note"] = ["a", None, None, "reported"]
    batch = write(engine, frame, "s1")
    got = store.current_observations(engine).set_index(["region_code", "scope"])
    assert got.loc[("74.05", "region"), "registered"] == 202
    assert got.loc[("74", "pemprov"), "registered"] == 977
    assert got.loc[("74.07", "region"), "registered"] == 0
    assert pd.isna(got.loc[("74.05", "region"), "eligible"])
    assert got.loc[("81", "region"), "coverage_pct"] == 40.0
    assert got.loc[("81", "region"), "note"] == "reported"
    assert set(got["batch_id"]) == {batch}
    assert set(got["source_title"]) == {"Figures"}
    assert set(got["source_published"]) == {"2018-10-04"}
    assert not got["illustrative"].any()
    assert got.loc[("74.05", "region"), "programme"] == "any"


def test_filters_select_a_province_month(engine: Engine) -> None:
    write(engine, obs(("2018-10", "74.05", "non_asn", 202), ("2018-10", "74", "non_asn", 977,
                                                               None, "pemprov"),
                      ("2018-11", "74.05", "non_asn", 210), ("2018-10", "71.01", "non_asn", 5),
                      ("2018-10", "74.05", "bpu", 7)), "s1")
    got = store.current_observations(engine, segment="non_asn", period="2018-10", province="74")
    assert sorted(zip(got["region_code"], got["registered"], strict=True)) == [
        ("74", 977), ("74.05", 202)]
    assert store.periods(engine) == ["2018-10", "2018-11"]
    assert store.periods(engine, segment="bpu") == ["2018-10"]


def test_an_old_extent_is_stored_under_its_own_key_and_a_made_up_key_is_refused(
        engine: Engine) -> None:
    """Old Papua (before the 2022 splits) is a key of its own, distinct from today's 91."""
    write(engine, obs(("2023-12", "91~pra2022", "all", 1000), ("2023-12", "91", "all", 400)),
          "s1")
    got = store.current_observations(engine, segment="all", period="2023-12",
                                     region_codes=["91~pra2022", "91"]).set_index("region_code")
    assert got.loc["91~pra2022", "registered"] == 1000 and got.loc["91", "registered"] == 400
    with pytest.raises(CakupanError, match="old extent such as '91~pra2022'"):
        write(engine, obs(("2023-12", "81~pra2022", "all", 5)), "s2")


def test_newer_batch_supersedes_and_history_keeps_both(engine: Engine) -> None:
    first = write(engine, obs(("2018-10", "74.05", "non_asn", 202)), "s1")
    second = write(engine, obs(("2018-10", "74.05", "non_asn", 250)), "s2")
    assert registered_of(engine, "74.05") == [250]
    history = store.observation_history(engine, "74.05", "non_asn")
    assert history["registered"].tolist() == [202, 250]
    assert history["batch_id"].tolist() == [first, second]
    assert history["current"].tolist() == [False, True]
    assert history["file_name"].tolist() == ["s1.csv", "s2.csv"]


def test_rollback_brings_back_the_previous_figure(engine: Engine) -> None:
    write(engine, obs(("2018-10", "74.05", "non_asn", 202)), "s1")
    second = write(engine, obs(("2018-10", "74.05", "non_asn", 250),
                               ("2018-10", "74.06", "non_asn", 9)), "s2")
    assert store.rollback_batch(engine, second, actor=ADMIN) == 2
    assert registered_of(engine, "74.05") == [202]
    assert registered_of(engine, "74.06") == []  # only that batch had it
    assert store.rollback_batch(engine, second, actor=ADMIN) == 0
    batches = store.list_batches(engine).set_index("id")
    assert batches.loc[second, "status"] == "rolled_back"
    history = store.observation_history(engine, "74.05", "non_asn")
    assert history["batch_status"].tolist() == ["active", "rolled_back"]
    with pytest.raises(CakupanError, match="no import batch"):
        store.rollback_batch(engine, "b99999-nothere", actor=ADMIN)


def test_reimporting_the_same_file_changes_nothing(engine: Engine) -> None:
    first = write(engine, obs(("2018-10", "74.05", "non_asn", 202)), "same")
    before, version = counts(engine), store.data_version(engine)
    again = write(engine, obs(("2018-10", "74.05", "non_asn", 202)), "same")
    assert again == first
    assert counts(engine) == before
    assert store.data_version(engine) == version


def test_reimport_after_rollback_makes_a_new_batch(engine: Engine) -> None:
    first = write(engine, obs(("2018-10", "74.05", "non_asn", 202)), "same")
    store.rollback_batch(engine, first, actor=ADMIN)
    again = write(engine, obs(("2018-10", "74.05", "non_asn", 202)), "same")
    assert again != first
    assert registered_of(engine, "74.05") == [202]


def test_published_beats_a_newer_illustrative_figure(engine: Engine) -> None:
    write(engine, obs(("2018-10", "74.05", "non_asn", 202)), "pub", kind="seed_published")
    demo = {**ARTICLE, "id": "demo", "kind": "illustrative"}
    panel = obs(("2018-10", "74.05", "non_asn", 999), ("2018-10", "74.06", "non_asn", 50))
    write(engine, panel.assign(source_id="demo"), "demo", kind="seed_illustrative", source=demo)
    got = store.current_observations(engine, period="2018-10").set_index("region_code")
    assert got.loc["74.05", "registered"] == 202
    assert not got.loc["74.05", "illustrative"]
    assert got.loc["74.06", "registered"] == 50  # no published figure: the illustrative one
    assert got.loc["74.06", "illustrative"]


def test_a_refused_batch_leaves_the_store_unchanged(engine: Engine) -> None:
    write(engine, obs(("2018-10", "74.05", "non_asn", 202)), "s1")
    before, version = counts(engine), store.data_version(engine)
    bad_code = obs(("2018-10", "74.05", "non_asn", 300), ("2018-10", "74.99", "non_asn", 1))
    with pytest.raises(CakupanError, match=r"row 2: region_code '74.99'"):
        write(engine, bad_code, "s2")
    negative = obs(("2018-10", "74.05", "non_asn", -3))
    with pytest.raises(CakupanError, match="registered"):
        write(engine, negative, "s3")
    with pytest.raises(CakupanError, match="unknown source ids"):
        write(engine, obs(("2018-10", "74.05", "non_asn", 1)).assign(source_id="ghost"), "s4",
              source=None, kind="seed_published")
    assert counts(engine) == before
    assert store.data_version(engine) == version
    assert registered_of(engine, "74.05") == [202]


def test_a_failure_half_way_through_rolls_the_whole_batch_back(
        engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    write(engine, obs(("2018-10", "74.05", "non_asn", 202)), "s1")
    before, version = counts(engine), store.data_version(engine)
    real = writes._insert_rows

    def failing(conn: sa.Connection, table: sa.Table, rows: list[dict]) -> None:
        if table is schema.targets:  # observations are already in when this fails
            raise RuntimeError("disk full")
        real(conn, table, rows)

    monkeypatch.setattr(writes, "_insert_rows", failing)
    target = pd.DataFrame([{"id": "t1", "region_code": "74", "segment": "non_asn",
                            "target_pct": 100, "basis": "Inpres 2/2021", "source_id": "src-a"}])
    with pytest.raises(RuntimeError, match="disk full"):
        write(engine, obs(("2018-10", "74.05", "non_asn", 300)), "s2", targets=target)
    assert counts(engine) == before
    assert store.data_version(engine) == version
    assert registered_of(engine, "74.05") == [202]


def test_dry_run_checks_but_writes_nothing(engine: Engine) -> None:
    before = counts(engine)
    assert store.write_batch(engine, obs(("2018-10", "74.05", "non_asn", 202)), file_name="x",
                             sha256="x", actor=ADMIN, source=ARTICLE, dry_run=True) is None
    assert counts(engine) == before
    with pytest.raises(CakupanError, match="unknown source ids"):
        store.write_batch(engine, obs(("2018-10", "74.05", "non_asn", 1)).assign(
            source_id="ghost"), file_name="x", sha256="x", actor=ADMIN,
            kind="seed_published", dry_run=True)


def test_an_upload_without_source_cites_its_file(engine: Engine) -> None:
    frame = obs(("2018-10", "74.05", "non_asn", 202)).drop(columns="source_id")
    store.write_batch(engine, frame, file_name="konsel.xlsx", sha256="abcdef0123456789",
                      actor=ADMIN)
    got = store.current_observations(engine)
    assert got["source_id"].tolist() == ["upload-abcdef012345"]
    assert got["source_title"].tolist() == ["konsel.xlsx"]
    kinds = store.sources(engine).set_index("id")["kind"]
    assert kinds["upload-abcdef012345"] == "upload"


def test_duplicate_keys_in_one_batch_are_refused(engine: Engine) -> None:
    frame = obs(("2018-10", "74.05", "non_asn", 202), ("2018-10", "74.05", "non_asn", 203))
    with pytest.raises(CakupanError, match="repeat a key"):
        write(engine, frame, "dup")


def test_pemprov_scope_needs_a_province_code(engine: Engine) -> None:
    frame = obs(("2018-10", "74.05", "non_asn", 5, None, "pemprov"))
    with pytest.raises(CakupanError, match="pemprov"):
        write(engine, frame, "p")


def test_data_version_changes_on_every_write_and_rollback(engine: Engine) -> None:
    v0 = store.data_version(engine)
    batch = write(engine, obs(("2018-10", "74.05", "non_asn", 202)), "s1")
    v1 = store.data_version(engine)
    store.rollback_batch(engine, batch, actor=ADMIN)
    v2 = store.data_version(engine)
    assert len({v0, v1, v2}) == 3


def test_targets_and_rates_follow_the_newest_batch(engine: Engine) -> None:
    def target(pct: float) -> pd.DataFrame:
        return pd.DataFrame([{"id": "maluku-2024", "region_code": "81", "segment": "all",
                              "target_pct": pct, "deadline": "2024-12", "basis": "Target",
                              "source_id": "src-a"},
                             {"id": "kkt", "region_code": "81.03", "segment": "pekerja_rentan",
                              "target_count": 1300, "basis": "Plan", "source_id": "src-a"}])

    rate = pd.DataFrame([{"programme": "jkk+jkm", "segment": "bpu",
                          "rupiah_per_person_month": 16800, "valid_from": "2021-01",
                          "source_id": "src-a"}])
    write(engine, obs(("2024-11", "81", "all", None)), "t1", targets=target(50),
          premium_rates=rate)
    second = write(engine, obs(("2024-11", "81", "all", None)), "t2", targets=target(55))
    got = store.targets(engine, province="81").set_index("id")
    assert got.loc["maluku-2024", "target_pct"] == 55.0
    assert got.loc["kkt", "target_count"] == 1300
    assert pd.isna(got.loc["kkt", "deadline"])
    assert store.targets(engine, region_code="81.03")["id"].tolist() == ["kkt"]
    assert store.premium_rates(engine)["rupiah_per_person_month"].tolist() == [16800]
    store.rollback_batch(engine, second, actor=ADMIN)
    assert store.targets(engine, region_code="81")["target_pct"].tolist() == [50.0]


def test_get_engine_is_cached_per_url(store_url: str) -> None:
    assert store.get_engine(store_url, seed=False) is store.get_engine(store_url, seed=False)


def test_sqlite_store_runs_in_wal_mode(tmp_path: object) -> None:
    url = f"sqlite:///{tmp_path}/wal.sqlite"
    engine = store.get_engine(url, seed=False)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    store.clear_engines()


def test_concurrent_writers_queue_instead_of_failing(engine: Engine) -> None:
    """Four threads importing at once: every batch lands, with distinct consecutive seq."""
    from concurrent.futures import ThreadPoolExecutor

    def job(i: int) -> str:
        return write(engine, obs(("2018-10", "74.05", "non_asn", i)), f"c{i}")

    with ThreadPoolExecutor(max_workers=4) as pool:
        ids = list(pool.map(job, range(12)))
    batches = store.list_batches(engine)
    assert sorted(batches["id"]) == sorted(ids)
    assert sorted(batches["seq"]) == list(range(1, 13))
    newest = batches.loc[batches["seq"].idxmax(), "id"]
    assert store.current_observations(engine)["batch_id"].tolist() == [newest]


@pytest.mark.parametrize("step", ["open", "add_user"])
def test_a_sqlite_writer_waits_for_another_process_lock(tmp_path: object, step: str) -> None:
    """Another connection holds SQLite's write lock for ~1 s (as another process's import
    would): opening a store that needs migrating and a read-then-write change wait for it
    instead of failing at once with "database is locked". (Opening a current store does not
    take the lock at all: tests/store/test_open_during_import.py.)"""
    import sqlite3
    import threading
    import time

    path = f"{tmp_path}/busy.sqlite"
    url = f"sqlite:///{path}"
    if step == "add_user":
        engine = store.get_engine(url, seed=False)
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("PRAGMA journal_mode=WAL")  # as every store file is once created
    holder.execute("BEGIN IMMEDIATE")
    if step == "add_user":
        holder.execute("UPDATE meta SET value = value || '' WHERE key = 'store_id'")
    else:  # a new file: opening it must migrate, which needs the lock
        holder.execute("CREATE TABLE held (x INTEGER)")

    def release() -> None:
        time.sleep(1.0)
        holder.execute("COMMIT")

    threading.Thread(target=release).start()
    start = time.monotonic()
    if step == "open":
        engine = store.get_engine(url, seed=False)
    else:
        store.add_user(engine, "a@example.org", "admin", actor=ADMIN)
    waited = time.monotonic() - start
    holder.close()
    assert waited >= 0.8  # it did wait for the lock (and then went through)
    if step == "add_user":
        assert store.list_users(engine)["email"].tolist() == ["a@example.org"]
    else:
        assert store.data_version(engine)
    store.clear_engines()
