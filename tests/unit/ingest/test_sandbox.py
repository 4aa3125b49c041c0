"""The sandboxed parse: same answers as in-process, and a file that needs more CPU time or
memory than allowed is refused with a one-line message naming the limit, never a traceback.

Resolvers used here are module-level functions, so the child can import them by name.
"""

from __future__ import annotations

import logging
import time
from dataclasses import replace

import pandas as pd
import pytest

from cakupan.benchmarks.ingest import column_jump_xlsx, many_rows_csv
from cakupan.ingest import (
    ImportUnavailable,
    IngestError,
    Limits,
    parse_file,
    parse_file_limited,
    sandbox,
)
from cakupan.ingest.region_column import default_resolver

pytestmark = pytest.mark.unit

GOOD = "Kabupaten;Periode;Peserta;Potensi\nKonsel;Okt 2018;202;350\nKolaka;Okt 2018;-1;\n"


def limits(**kw: int) -> Limits:
    return replace(Limits.from_settings(), **kw)


def failing_resolver(names: list[str], province: str | None) -> list:
    raise RuntimeError("secret internal detail: sqlite3.OperationalError at /srv/x")


def sleeping_resolver(names: list[str], province: str | None) -> list:
    time.sleep(60)
    return default_resolver(names, province)


def test_same_answer_as_in_process() -> None:
    inside = parse_file(GOOD.encode(), "f.csv", segment="non_asn", lang="en")
    outside = parse_file_limited(GOOD.encode(), "f.csv", segment="non_asn", lang="en",
                                 resolver=default_resolver)
    pd.testing.assert_frame_equal(inside.observations, outside.observations)
    assert outside.errors == inside.errors and outside.error_count == 1
    assert outside.errors[0].message == inside.errors[0].message  # in the language asked
    assert (outside.rows, outside.header_row, outside.layout) == (2, 1, "long")


def test_file_refusals_come_back_as_the_same_error() -> None:
    with pytest.raises(IngestError) as err:
        parse_file_limited(b"Nama;Alamat\nBudi;Kendari\n", "f.csv")
    assert err.value.key == "no_header" and err.value.params == {"rows": 2}


def test_an_oversized_file_never_reaches_a_child(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_child(*_args: object, **_kw: object) -> None:
        raise AssertionError("a child was started for a file refused by its size")

    monkeypatch.setattr(sandbox, "run_limited", no_child)
    with pytest.raises(IngestError) as err:
        parse_file_limited(b"x" * 2_000, "besar.csv", limits=limits(upload_bytes=1_000))
    assert err.value.key == "file_too_large"


def test_cpu_limit_refuses_a_file_too_heavy_to_check() -> None:
    data = many_rows_csv(200_000)  # about 5 CPU seconds to check on the development machine
    start = time.monotonic()
    with pytest.raises(IngestError) as err:
        parse_file_limited(data, "berat.csv", segment="non_asn",
                           limits=limits(cpu_seconds=1, rows=200_000))
    assert time.monotonic() - start < 10
    assert err.value.key == "parse_limit_cpu" and err.value.params == {"seconds": 1}
    assert err.value.message("en") == (
        "This file is too big or too complex to check: checking it went past the limit of 1 "
        "seconds of processor time. Split it into smaller files.")
    assert "\n" not in err.value.message("id")


def test_memory_limit_refuses_a_file_too_big_to_hold() -> None:
    # 5,000 rows each as wide as a sheet (a value in column XFD): 640 MB of cells from a file
    # of a few KB; the child may grow by 64 MB.
    data = column_jump_xlsx(5_000)
    assert len(data) < 100_000
    ceiling = sandbox.child_address_space_bytes() + 64 * 2**20
    with pytest.raises(IngestError) as err:
        parse_file_limited(data, "lebar.xlsx", segment="pu", period="2018-10",
                           limits=limits(memory_bytes=ceiling))
    assert err.value.key == "parse_limit_memory"
    assert err.value.params == {"limit_mb": round(ceiling / 2**20)}
    assert "memory limit" in err.value.message("en") and "memori" in err.value.message("id")


def test_the_default_memory_limit_leaves_room_above_the_child_start() -> None:
    # A library that reserves address space at start (pyarrow's mimalloc did: 1 GB) would
    # leave no room under RLIMIT_AS; keep the child's start well under the default limit.
    assert sandbox.child_address_space_bytes() < Limits.from_settings().memory_bytes / 2


def test_a_child_that_stalls_is_stopped_by_the_wall_clock(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sandbox, "WALL_FACTOR", 0)
    monkeypatch.setattr(sandbox, "WALL_GRACE_S", 1.0)
    start = time.monotonic()
    with pytest.raises(IngestError) as err:
        parse_file_limited(GOOD.encode(), "f.csv", segment="pu", resolver=sleeping_resolver)
    assert time.monotonic() - start < 8
    assert err.value.key == "parse_limit_time" and err.value.params == {"seconds": 1}


def test_a_bug_in_the_checker_is_logged_and_not_shown(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="cakupan.ingest.sandbox"), \
            pytest.raises(ImportUnavailable) as err:
        parse_file_limited(GOOD.encode(), "f.csv", segment="pu", resolver=failing_resolver)
    assert err.value.key == "check_failed"
    for lang in ("id", "en"):
        text = err.value.message(lang)
        assert "secret" not in text and "Error" not in text and "\n" not in text
    assert "not in your file" in err.value.message("en")
    assert "secret internal detail" in caplog.text and "Traceback" in caplog.text


def test_a_resolver_that_cannot_cross_into_the_child_is_a_programming_error() -> None:
    with pytest.raises(TypeError, match="pickle"):
        parse_file_limited(GOOD.encode(), "f.csv", segment="pu",
                           resolver=lambda names, province: [])
