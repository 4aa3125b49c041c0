"""import_file and ``python -m cakupan import``: all-or-nothing, idempotent, contract JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from cakupan.core.access import operator
from cakupan.ingest import ImportResult, import_file
from cakupan.ingest.template import template_csv

pytestmark = pytest.mark.unit
ROOT = Path(__file__).resolve().parents[3]

GOOD = "Kabupaten;Periode;Peserta;Potensi\nKonsel;Okt 2018;202;350\nKolaka;Okt 2018;295;\n"
# Row 3 is fine, row 4 has registered above eligible: the whole file must be refused.
BAD = "Kabupaten;Periode;Peserta;Potensi\nKonsel;Okt 2018;202;350\nKonawe;Okt 2018;3.301;1.000\n"
CONTRACT_KEYS = {"batch_id", "rows", "imported", "errors", "unmatched"}


def cli(*args: str, db: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "CAKUPAN_DATABASE_URL": f"sqlite:///{db}"}
    return subprocess.run([sys.executable, "-m", "cakupan", "import", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


ADMIN = operator()


# --- without a store: dry runs and refusals never open the database ------------------------


def test_dry_run_counts_but_writes_nothing(tmp_path: Path) -> None:
    # A dry run reads the store (to show conflicts with published figures), never writes.
    from cakupan import store

    before = len(store.list_batches(store.get_engine()))
    result = import_file(GOOD.encode(), "f.csv", segment="non_asn", dry_run=True)
    got = result.to_dict()
    conflicts = got.pop("conflicts")
    assert got == {"batch_id": None, "rows": 2, "imported": 0, "errors": [],
                   "unmatched": [], "error_count": 0, "warnings": []}
    assert result.would_import == 2
    # Both regencies have Zonasultra's October 2018 figures in the embedded dataset.
    assert [(c["region"], c["upload"]["registered"]) for c in conflicts] == [
        ("74.01", 295), ("74.05", 202)]
    assert len(store.list_batches(store.get_engine())) == before


def test_refused_file_returns_errors_and_no_batch() -> None:
    result = import_file(BAD.encode(), "bad.csv", segment="non_asn", engine=object(),
                         actor=ADMIN)
    assert result.batch_id is None and result.imported == 0
    assert [(e["row"], e["column"]) for e in result.to_dict()["errors"]] == [(3, "Peserta")]


def test_path_input_uses_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "sultra.csv"
    path.write_text(GOOD, encoding="utf-8")
    result = import_file(path, segment="non_asn", dry_run=True)
    assert isinstance(result, ImportResult) and result.rows == 2


def test_cli_bad_file_exit_1_json_and_one_line_stderr(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(BAD, encoding="utf-8")
    proc = cli(str(path), "--segment", "non_asn", "--json", db=tmp_path / "s.sqlite")
    assert proc.returncode == 1
    payload = json.loads(proc.stdout)
    assert set(payload) >= CONTRACT_KEYS and payload["error_count"] == 1
    assert payload["batch_id"] is None and payload["imported"] == 0 and payload["rows"] == 2
    assert [(e["row"], e["column"]) for e in payload["errors"]] == [(3, "Peserta")]
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr


def test_cli_unreadable_file_is_one_error_on_row_0(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not a workbook")
    proc = cli(str(path), "--json", db=tmp_path / "s.sqlite")
    assert proc.returncode == 1
    payload = json.loads(proc.stdout)
    assert payload["errors"][0]["row"] == 0 and payload["rows"] == 0
    assert "Traceback" not in proc.stderr


def test_cli_dry_run_exit_0(tmp_path: Path) -> None:
    path = tmp_path / "good.csv"
    path.write_text(GOOD, encoding="utf-8")
    proc = cli(str(path), "--segment", "non_asn", "--dry-run", "--json", db=tmp_path / "s.sqlite")
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout)
    conflicts = got.pop("conflicts")
    assert got == {"batch_id": None, "rows": 2, "imported": 0, "errors": [], "unmatched": [],
                   "error_count": 0, "warnings": []}
    assert [c["region"] for c in conflicts] == ["74.01", "74.05"]  # Zonasultra's, published


def test_cli_usage_error_exit_2(tmp_path: Path) -> None:
    proc = cli("x.csv", "--segment", "pns", db=tmp_path / "s.sqlite")
    assert proc.returncode == 2


# --- with the store -----------------------------------------------------------------------


@pytest.fixture
def store():
    from cakupan import store as store_package

    return store_package


def _count(store, engine) -> tuple[int, int]:
    batches = store.list_batches(engine)
    obs = store.current_observations(engine, segment="non_asn", period="2018-10")
    return len(batches), len(obs)


@pytest.mark.pg
def test_import_is_all_or_nothing_and_idempotent(store, db_url: str) -> None:
    engine = store.get_engine(db_url)
    before = _count(store, engine)
    version = store.data_version(engine)

    refused = import_file(BAD.encode(), "bad.csv", segment="non_asn", engine=engine, actor=ADMIN)
    assert refused.imported == 0 and refused.batch_id is None
    assert _count(store, engine) == before and store.data_version(engine) == version

    # A unique file for this run, so a shared PostgreSQL database cannot already hold it.
    good = (GOOD + f"Wakatobi;Okt 2018;0;{uuid.uuid4().int % 10**9 + 1}\n").encode()
    first = import_file(good, "good.csv", segment="non_asn", engine=engine, actor=ADMIN)
    assert first.errors == [] and first.imported == 3 and first.batch_id
    batches = store.list_batches(engine)
    row = batches[batches["id"] == first.batch_id].iloc[0]
    assert row["file_name"] == "good.csv" and row["kind"] == "upload"
    assert row["sha256"] == first.sha256

    again = import_file(good, "good.csv", segment="non_asn", engine=engine, actor=ADMIN)
    assert (again.batch_id, again.imported) == (first.batch_id, 0)
    assert len(store.list_batches(engine)) == len(batches)

    # The same bytes read as another segment are other figures: a new batch, not a no-op.
    other = import_file(good, "good.csv", segment="pu", engine=engine, actor=ADMIN)
    assert other.imported == 3 and other.batch_id not in (None, first.batch_id)


def test_cli_imports_the_template_into_sqlite(store, tmp_path: Path) -> None:
    path = tmp_path / "template.csv"
    path.write_bytes(template_csv())
    db = tmp_path / "cli.sqlite"
    proc = cli(str(path), "--json", db=db)
    assert proc.returncode == 0, proc.stderr
    payload = json.loads(proc.stdout)
    assert payload["imported"] == 8 and payload["errors"] == [] and payload["batch_id"]
    engine = store.get_engine(f"sqlite:///{db}")
    obs = store.current_observations(engine, segment="non_asn", period="2018-10",
                                     region_codes=["74.05"])
    assert obs.loc[obs["region_code"] == "74.05", "registered"].tolist() == [202]
    again = json.loads(cli(str(path), "--json", db=db).stdout)
    assert (again["batch_id"], again["imported"]) == (payload["batch_id"], 0)


def test_cli_refused_file_leaves_the_sqlite_file_byte_for_byte(store, tmp_path: Path) -> None:
    import hashlib

    db = tmp_path / "bytes.sqlite"
    template = tmp_path / "template.csv"
    template.write_bytes(template_csv())
    assert cli(str(template), db=db).returncode == 0

    def digest() -> dict[str, str]:
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(tmp_path.glob("bytes.sqlite*"))}

    before = digest()
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD, encoding="utf-8")
    assert cli(str(bad), "--segment", "non_asn", db=db).returncode == 1
    assert digest() == before


def test_an_anonymous_import_is_refused_before_the_file_is_read() -> None:
    from cakupan.core.access import PermissionDenied

    with pytest.raises(PermissionDenied, match="sign in"):
        import_file(b"\x00not even a table", "x.csv", segment="non_asn", engine=object())
