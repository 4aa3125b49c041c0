"""Importer budget (issue 3): a 100,000-row CSV imported into a fresh SQLite store in <= 10 s.

The file is what a national export looks like: ``;``-separated, Indonesian thousands
separators, every regency by official name and code, seven segments, monthly rows.
"""

from __future__ import annotations

import itertools
import tempfile
import time
from pathlib import Path

from cakupan import regions
from cakupan.benchmarks.registry import benchmark

ROWS = 100_000
SEGMENT_LABELS = ("Non ASN", "Aparatur Desa", "Pekerja Rentan", "PU", "BPU", "Jakon", "Semua")


def _id_int(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def make_csv(rows: int = ROWS) -> bytes:
    """A deterministic ``;`` CSV of ``rows`` data rows with unique (region, month, segment)."""
    regencies = regions.regencies()[["code", "name"]].itertuples(index=False, name=None)
    months = [f"{y}-{m:02d}" for y in range(2017, 2025) for m in range(1, 13)]
    lines = ["Kode;Kabupaten/Kota;Periode;Segmen;Peserta;Potensi"]
    combos = itertools.product(list(regencies), months, SEGMENT_LABELS)
    for i, ((code, name), month, segment) in enumerate(itertools.islice(combos, rows)):
        eligible = 2_000 + (i * 7919) % 50_000
        registered = eligible * ((i * 31) % 100) // 100
        lines.append(f"{code};{name};{month};{segment};{_id_int(registered)};{_id_int(eligible)}")
    return ("\n".join(lines) + "\n").encode("utf-8")


@benchmark("import_100k_rows_s", budget=10.0, unit="s", issue=3)
def import_100k_rows() -> float:
    """Wall time of parse + validation + one all-or-nothing write into a new SQLite store."""
    from cakupan import store
    from cakupan.ingest import import_file

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "national_100k.csv"
        path.write_bytes(make_csv())
        engine = store.get_engine(f"sqlite:///{Path(tmp) / 'bench.sqlite'}")  # seeded here
        start = time.perf_counter()
        result = import_file(path, segment=None, engine=engine, imported_by="bench")
        elapsed = time.perf_counter() - start
        engine.dispose()
    if result.errors or result.imported != ROWS:
        raise RuntimeError(f"benchmark file did not import cleanly: {result.imported} rows, "
                           f"first errors {[e.to_dict() for e in result.errors[:3]]}")
    return elapsed
