"""Faults a hosted store meets (issue 10, item 5): the disk under SQLite fills up, and two
replicas publish at the same moment.

The disk is real: a small ``tmpfs`` mounted for the test (root, as here and in CI), with a
seeded store in it and the rest of it filled. Mounting needs root; where it cannot be done the
test skips locally and fails in CI (``CAKUPAN_REQUIRE_TMPFS=1``, set by ``.ci/run``). The two
publishers are two separate Python processes, as two replicas are, released by one barrier.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sqlite3
import subprocess
import sys
import types
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from cakupan import ingest, store
from cakupan.commands.query import coverage_of
from cakupan.core import access
from cakupan.ingest.messages import format_message
from tests.conftest import ROOT, require

ADMIN = access.operator()
#: Maluku regencies and the month both faults write to (the default store has figures there).
CODES = ["81.01", "81.02", "81.03"]
PERIOD, SEGMENT = "2024-06", "non_asn"


def run_cli(url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "CAKUPAN_DATABASE_URL": url}
    env.pop("CAKUPAN_DEBUG", None)  # the console as an operator sees it
    return subprocess.run([sys.executable, "-m", "cakupan", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=180)


def csv_of(registered: list[int]) -> bytes:
    lines = ["Kode;Periode;Peserta;Potensi"]
    lines += [f"{code};{PERIOD};{value};{value * 2}" for code, value in
              zip(CODES, registered, strict=True)]
    return ("\n".join(lines) + "\n").encode()


def figures(engine: Any) -> pd.DataFrame:
    """The current figures of the keys both faults touch, as a page would read them."""
    frame = store.current_observations(engine, segment=SEGMENT, period=PERIOD,
                                       region_codes=CODES)
    return frame.sort_values("region_code").reset_index(drop=True)


# --- disk full under SQLite ---------------------------------------------------------------

@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 64 MB tmpfs of its own, unmounted afterwards: room for seeding the default store
    (about 13 MB, plus as much again in its write-ahead log until the checkpoint)."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m,mode=0700", "tmpfs",
                           str(mount_point)], capture_output=True, text=True)
    require("CAKUPAN_REQUIRE_TMPFS", done.returncode == 0,
            f"cannot mount a tmpfs (root needed): {done.stderr.strip()}")
    try:
        yield mount_point
    finally:
        store.clear_engines()  # no open file may keep the mount busy
        if subprocess.run(["umount", str(mount_point)]).returncode != 0:
            subprocess.run(["umount", "-l", str(mount_point)], check=True)


def fill(folder: Path) -> Path:
    """Write zeros until the file system refuses (ENOSPC), unbuffered so nothing is pending."""
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as out:
        for chunk in (2**20, 4096, 512):
            try:
                while True:
                    out.write(b"\0" * chunk)
            except OSError as err:
                assert err.errno == 28, err  # ENOSPC, not some other refusal
    return filler


def test_disk_full_refuses_the_import_and_keeps_the_store_whole(
        small_disk: Path, tmp_path: Path) -> None:
    db = small_disk / "cakupan.sqlite"
    url = f"sqlite:///{db}"
    engine = store.get_engine(url)  # seeded with the default dataset, as on a first start
    with engine.connect() as conn:
        # Give the write-ahead log back to the disk, so the import needs new blocks (a WAL
        # left at its old size would silently absorb a small import). The pooled connection
        # stays open, as the app's does, so the WAL index file stays in place.
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    before = figures(engine)
    assert len(before) == len(CODES) and before["registered"].notna().all()
    answer_before = coverage_of(CODES[0], SEGMENT, period=PERIOD, engine=engine)
    batches_before = store.list_batches(engine)
    version_before = store.data_version(engine)
    upload = tmp_path / "laporan.csv"  # outside the full disk, as an upload would be
    upload.write_bytes(csv_of([11, 12, 13]))

    filler = fill(small_disk)
    assert os.statvfs(small_disk).f_bavail == 0
    done = run_cli(url, "import", str(upload), "--segment", SEGMENT, "--json")

    assert done.returncode == 1, done.stderr
    wanted = format_message("store_full", {}, "id", context="cli")
    payload = json.loads(done.stdout)
    assert payload["batch_id"] is None and payload["imported"] == 0
    assert [e["message"] for e in payload["errors"]] == [wanted]
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert errors == [f"error: {wanted}"]
    for driver_text in ("Traceback", "sqlite", "OperationalError", "disk is full", "SQL"):
        assert driver_text not in done.stderr and driver_text not in done.stdout

    with sqlite3.connect(db) as check:
        assert check.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    pd.testing.assert_frame_equal(figures(engine), before)
    assert store.data_version(engine) == version_before
    pd.testing.assert_frame_equal(store.list_batches(engine), batches_before)
    served = run_cli(url, "query", "coverage", "--region", CODES[0], "--segment", SEGMENT,
                     "--period", PERIOD, "--json")  # a second reader, as another replica
    assert served.returncode == 0, served.stderr
    assert json.loads(served.stdout) == json.loads(json.dumps(answer_before))

    filler.unlink()  # space again: the same file goes in, so the store was left writable
    result = ingest.import_file(upload, engine=engine, segment=SEGMENT, actor=ADMIN)
    assert result.imported == len(CODES)
    assert figures(engine)["registered"].tolist() == [11, 12, 13]


def test_a_store_on_a_full_disk_that_nobody_holds_open_says_so_in_one_line(
        small_disk: Path) -> None:
    """The app restarted while the disk is full: no process keeps the WAL index, and a new
    reader cannot create it. The command line says what is wrong (kind store_unavailable),
    no traceback; once space is freed the same store answers with its figures."""
    url = f"sqlite:///{small_disk / 'cakupan.sqlite'}"
    store.get_engine(url)
    store.clear_engines()  # nobody holds the store open any more
    filler = fill(small_disk)
    args = ("query", "coverage", "--region", CODES[0], "--segment", SEGMENT, "--json")
    refused = run_cli(url, *args)
    assert refused.returncode == 1
    payload = json.loads(refused.stdout)
    assert payload["kind"] == "store_unavailable" and "disk is full" in payload["error"]
    assert "Traceback" not in refused.stderr and "I/O" not in refused.stderr
    assert [line for line in refused.stderr.splitlines() if line.startswith("error:")] == [
        f"error: {payload['error']}"]
    filler.unlink()
    answered = run_cli(url, *args)
    assert answered.returncode == 0, answered.stderr
    assert json.loads(answered.stdout)["registered"] is not None


def test_the_disk_full_message_is_chosen_by_the_drivers_code_not_its_text() -> None:
    """What :func:`storage_full` recognises, and that a look-alike message is not enough."""
    import psycopg.errors
    from sqlalchemy.exc import OperationalError

    from cakupan.ingest.importer import storage_full

    full = sqlite3.OperationalError("database or disk is full")
    full.sqlite_errorname = "SQLITE_FULL"
    assert storage_full(OperationalError("INSERT", (), full))
    assert storage_full(OperationalError("INSERT", (), psycopg.errors.DiskFull("no space")))
    assert storage_full(RuntimeError("wrapped")) is False
    try:
        try:
            raise OSError(28, "No space left on device")
        except OSError as err:
            raise RuntimeError("while saving") from err
    except RuntimeError as outer:
        assert storage_full(outer)
    locked = sqlite3.OperationalError("database or disk is full")  # text alone, no code
    locked.sqlite_errorname = "SQLITE_BUSY"
    assert not storage_full(OperationalError("INSERT", (), locked))


# --- two publishes at the same moment -----------------------------------------------------

def publish(url: str, name: str, registered: list[int], barrier: Any, out: Any) -> None:
    """One replica's publish, in a process of its own (spawned: nothing inherited)."""
    try:
        engine = store.get_engine(url, seed=False)
        frame = pd.DataFrame({"period": PERIOD, "region_code": CODES, "segment": SEGMENT,
                              "registered": registered,
                              "eligible": [value * 2 for value in registered]})
        barrier.wait(timeout=120)  # both replicas are ready: go at the same moment
        batch = store.write_batch(engine, frame, file_name=f"{name}.csv",
                                  sha256=f"{name}-{uuid.uuid4().hex}", actor=ADMIN)
        out.put((name, str(batch), batch.created, None))
    except BaseException as err:  # reported to the parent, which fails the test with it
        out.put((name, None, False, repr(err)))


def test_two_replicas_publishing_at_once_are_serialised_and_both_audited(
        store_url: str, engine: Any) -> None:
    batches = {"replika-a": [100, 200, 300], "replika-b": [111, 222, 333]}
    context = multiprocessing.get_context("spawn")
    barrier, out = context.Barrier(len(batches)), context.Queue()
    workers = [context.Process(target=publish, args=(store_url, name, values, barrier, out))
               for name, values in batches.items()]
    # A spawned child imports the parent's __main__ by path. After AppTest has run pages in
    # this pytest process, __main__ may still be a page script, which each child would run
    # (and die in): start them with a neutral one, as cakupan.ingest.sandbox does.
    real_main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        for worker in workers:
            worker.start()
    finally:
        sys.modules["__main__"] = real_main
    results = {}
    try:
        for _ in workers:
            name, batch_id, created, error = out.get(timeout=180)
            results[name] = (batch_id, created, error)
    finally:
        for worker in workers:
            worker.join(30)
            if worker.is_alive():
                worker.kill()
    assert all(error is None for _, _, error in results.values()), results  # none refused
    assert all(created for _, created, _ in results.values()), results

    listed = store.list_batches(engine).set_index("id")
    ids = {name: batch_id for name, (batch_id, _, _) in results.items()}
    assert set(listed.index) == set(ids.values())
    seqs = {name: int(listed.loc[batch_id, "seq"]) for name, batch_id in ids.items()}
    assert sorted(seqs.values()) == [1, 2]  # one after the other, no seq shared or skipped
    first, last = sorted(seqs, key=seqs.get)

    trail = store.audit_trail(engine, action="import").iloc[::-1]  # oldest first
    assert trail["batch_id"].tolist() == [ids[first], ids[last]]
    # Serialised, not interleaved: the later publish saw the earlier one's result as "before".
    assert json.loads(trail["totals_before"].iloc[1]) == json.loads(trail["totals_after"].iloc[0])
    assert json.loads(trail["totals_after"].iloc[1])["registered"] == sum(batches[last])

    current = figures(engine)
    assert current["registered"].tolist() == batches[last]  # the later order, whole
    assert current["eligible"].tolist() == [value * 2 for value in batches[last]]
    assert set(current["batch_id"]) == {ids[last]}
