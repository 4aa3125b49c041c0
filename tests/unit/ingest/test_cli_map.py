"""``python -m cakupan import FILE --map FIELD=COLUMN,...`` (CONTRACTS.md, command 3): the
same mapping as the app's step, a bad ``--map`` a one-line usage refusal (exit 2), a column the
file lacks a refusal of the file (exit 1), never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.unit

EXPORT = ("Laporan Kepesertaan Non ASN Posisi Juni 2024;;;\n"
          "Nama Pemda;Jml TK Aktif;Jml Sasaran;Ket\n"
          "Kota Ambon;1.200;2.000;kota\n"
          "Buru;50;80;\n")


def cli(path: Path, *args: str, db: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "CAKUPAN_DATABASE_URL": f"sqlite:///{db}"}
    return subprocess.run([sys.executable, "-m", "cakupan", "import", str(path), *args,
                           "--json"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=180)


@pytest.fixture
def export(tmp_path: Path) -> Path:
    path = tmp_path / "ekspor.csv"
    path.write_text(EXPORT, encoding="utf-8")
    return path


def test_map_imports_what_detection_refuses_and_the_refusal_names_map(
        export: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite"
    refused = cli(export, "--segment", "non_asn", "--period", "2024-06", "--dry-run", db=db)
    assert refused.returncode == 1
    assert "--map" in refused.stderr and "registered" in refused.stderr.split("--map")[1]
    mapped = cli(export, "--segment", "non_asn", "--period", "2024-06",
                 "--map", "registered=B,eligible=Jml Sasaran", db=db)
    assert mapped.returncode == 0, mapped.stderr
    payload = json.loads(mapped.stdout)
    assert payload["rows"] == 2 and payload["imported"] == 2 and payload["errors"] == []
    query = subprocess.run([sys.executable, "-m", "cakupan", "query", "coverage", "--region",
                            "81.04", "--segment", "non_asn", "--period", "2024-06", "--json"],
                           cwd=ROOT, env={**os.environ, "CAKUPAN_DATABASE_URL":
                                          f"sqlite:///{db}"},
                           capture_output=True, text=True, timeout=180)
    got = json.loads(query.stdout)
    assert (got["registered"], got["eligible"]) == (50, 80)


@pytest.mark.parametrize(("value", "named"), [
    ("regoin=B", "'regoin'"),
    ("registered", "'registered'"),
    ("region=A,region=C", "'region'"),
])
def test_a_bad_map_is_a_one_line_usage_refusal_naming_the_bad_part(
        export: Path, tmp_path: Path, value: str, named: str) -> None:
    proc = cli(export, "--map", value, db=tmp_path / "s.sqlite")
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: --map:") and named in lines[0]
    assert "Traceback" not in proc.stderr
    assert json.loads(proc.stdout)["kind"] == "usage"  # still one JSON object on stdout


def test_a_mapped_column_the_file_lacks_is_a_refusal_of_the_file(
        export: Path, tmp_path: Path) -> None:
    proc = cli(export, "--segment", "pu", "--period", "2024-06", "--map",
               "registered=Peserta Aktif", db=tmp_path / "s.sqlite")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    payload = json.loads(proc.stdout)
    assert payload["imported"] == 0 and "'Peserta Aktif'" in payload["errors"][0]["message"]
