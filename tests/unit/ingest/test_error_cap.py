"""Errors kept and counted: the first N in sheet order with their text, every one counted,
in total and per message key; a flood of bad rows never becomes a flood of objects."""

from __future__ import annotations

import tracemalloc
from dataclasses import replace

import numpy as np
import pytest

from cakupan.benchmarks.ingest import many_rows_csv
from cakupan.ingest import ImportResult, Limits, RowError, import_file, parse_file
from cakupan.ingest.results import RowErrors

pytestmark = pytest.mark.unit


def test_parse_keeps_the_first_errors_in_sheet_order_and_counts_all() -> None:
    lim = replace(Limits.from_settings(), errors_kept=10)
    result = parse_file(many_rows_csv(5_000, bad=True), "buruk.csv", limits=lim)
    assert [e.row for e in result.errors] == list(range(2, 12))
    assert {e.key for e in result.errors} == {"number_invalid"}
    assert result.error_count == 5_000
    assert result.error_counts == {"number_invalid": 5_000}
    assert not result.ok and result.observations.empty


def test_counts_per_key_cover_the_errors_not_kept() -> None:
    text = "Kabupaten;Periode;Segmen;Peserta;Potensi\n" + "".join(
        f"Konsel;Okt 2018;Non ASN;{'banyak' if i % 2 else 5};{'x' if i % 3 == 0 else 9}\n"
        for i in range(300))
    lim = replace(Limits.from_settings(), errors_kept=5)
    result = parse_file(text.encode(), "campur.csv", limits=lim)
    assert len(result.errors) == 5
    assert result.error_counts["number_invalid"] == 150 + 100
    assert result.error_count == sum(result.error_counts.values())


def test_import_result_json_has_the_error_count(tmp_path) -> None:
    lim = replace(Limits.from_settings(), errors_kept=3)
    path = tmp_path / "buruk.csv"
    path.write_bytes(many_rows_csv(40, bad=True))
    result = import_file(path, dry_run=True, limits=lim)
    payload = result.to_dict()
    assert len(payload["errors"]) == 3 and payload["error_count"] == 40
    assert result.error_counts == {"number_invalid": 40}


def test_hand_made_results_count_their_errors() -> None:
    refused = ImportResult(None, 0, 0, [RowError(0, "", "file refused", "file_empty")], [])
    assert refused.to_dict()["error_count"] == 1 and refused.error_counts == {"file_empty": 1}
    assert ImportResult(None, 2, 2, [], []).to_dict()["error_count"] == 0


def test_collector_counts_duplicates_once() -> None:
    errors = RowErrors("id", {"Peserta": 0, "Potensi": 1}, keep=2)
    for _ in range(3):
        errors.add(5, "Peserta", "number_invalid", value="x")
    errors.add(5, "Potensi", "number_invalid", value="y")
    errors.add(4, "Potensi", "number_negative", value="-1")
    assert errors.total == 3
    assert [(e.row, e.column) for e in errors.sorted()] == [(4, "Potensi"), (5, "Peserta")]
    assert errors.flags(np.array([3, 4, 5, 6])).tolist() == [False, True, True, False]


def test_a_flood_of_errors_keeps_only_the_first_in_bounded_memory() -> None:
    n = 200_000
    errors = RowErrors("id", {"Peserta": 0}, keep=100)
    tracemalloc.start()
    for row in range(n + 1, 1, -1):  # worst order: every new error is the first so far
        if row % 2:
            errors.add(row, "Peserta", "number_invalid", value=f"x{row}")
        else:
            errors.add(row, "Peserta", "number_negative", value=f"-{row}")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    kept = errors.sorted()
    assert [e.row for e in kept] == list(range(2, 102))
    assert errors.total == n
    assert dict(errors.counts) == {"number_invalid": n // 2, "number_negative": n // 2}
    # A RowError kept with its message and parameters takes about 600 bytes (measured);
    # what is left per error is one integer in a set and one bit per row.
    assert peak / n < 150
