"""``python -m cakupan import`` under the declared limits (set through the environment): a
refused file is exit status 1, one line on stderr and no traceback, as CONTRACTS.md says.

The command line reads files in chunks within its own size and row limits
(``CAKUPAN_CLI_IMPORT_MAX_MB``, ``CAKUPAN_CLI_IMPORT_MAX_ROWS``); each chunk
(``CAKUPAN_IMPORT_CHUNK_ROWS``) within the upload's CPU time and memory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cakupan.benchmarks.ingest import entity_xlsx, many_rows_csv

pytestmark = pytest.mark.unit
ROOT = Path(__file__).resolve().parents[3]


def cli(path: Path, *args: str, db: Path, **env: str) -> subprocess.CompletedProcess:
    full = {**os.environ, "CAKUPAN_DATABASE_URL": f"sqlite:///{db}", **env}
    return subprocess.run([sys.executable, "-m", "cakupan", "import", str(path), *args,
                           "--json"], cwd=ROOT, env=full, capture_output=True, text=True,
                          timeout=120)


@pytest.mark.parametrize(("make", "name", "env", "words"), [
    (lambda: many_rows_csv(6), "enam.csv", {"CAKUPAN_CLI_IMPORT_MAX_ROWS": "5"},
     "lebih dari 5 baris data"),
    (lambda: b"x" * 3000, "besar.csv", {"CAKUPAN_CLI_IMPORT_MAX_MB": "0.002"},
     "File terlalu besar (0,0029 MB); batasnya 0,002 MB."),
    (lambda: entity_xlsx("sheet"), "tawa.xlsx", {}, "DOCTYPE/ENTITY"),
    (lambda: many_rows_csv(200_000), "berat.csv",
     {"CAKUPAN_PARSE_CPU_SECONDS": "1", "CAKUPAN_IMPORT_CHUNK_ROWS": "200000"},
     "1 detik waktu prosesor"),
])
def test_refused_by_a_limit_is_one_line_and_exit_1(tmp_path: Path, make, name: str,
                                                   env: dict[str, str], words: str) -> None:
    path = tmp_path / name
    path.write_bytes(make())
    proc = cli(path, "--dry-run", "--segment", "non_asn", db=tmp_path / "s.sqlite", **env)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and words in proc.stderr
    payload = json.loads(proc.stdout)
    assert payload["errors"][0]["row"] == 0 and words in payload["errors"][0]["message"]


def test_segment_needed_names_the_flag_on_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "tanpa_segmen.csv"
    path.write_text("Kabupaten;Peserta\nKonsel;1\n", encoding="utf-8")
    proc = cli(path, "--dry-run", "--period", "2018-10", db=tmp_path / "s.sqlite")
    assert proc.returncode == 1 and "--segment" in proc.stderr


@pytest.mark.parametrize("variable", ["CAKUPAN_IMPORT_MAX_ROWS", "CAKUPAN_CLI_IMPORT_MAX_ROWS",
                                      "CAKUPAN_CLI_IMPORT_MAX_MB"])
def test_a_limit_set_to_nonsense_is_one_line_naming_the_variable(tmp_path: Path,
                                                                  variable: str) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(many_rows_csv(2))
    proc = cli(path, "--dry-run", db=tmp_path / "s.sqlite", **{variable: "banyak"})
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert variable in proc.stderr


def test_the_web_caps_do_not_bind_the_command_line(tmp_path: Path) -> None:
    """A file over the upload's size and row caps goes in from the command line (its own,
    larger limits), and the same file one row over the command line's row cap does not."""
    path = tmp_path / "nasional.csv"
    text = "Kabupaten;Periode;Segmen;Peserta;Potensi\n" + "".join(
        f"Konsel;{y}-{m:02d};Non ASN;{10 + m};350\n" for y in (2023, 2024) for m in range(1, 13))
    path.write_text(text, encoding="utf-8")
    web_caps = {"CAKUPAN_UPLOAD_MAX_MB": "0.0001", "CAKUPAN_IMPORT_MAX_ROWS": "3"}
    done = cli(path, db=tmp_path / "s.sqlite", **web_caps, CAKUPAN_CLI_IMPORT_MAX_ROWS="24")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["imported"] == 24
    refused = cli(path, "--dry-run", db=tmp_path / "s.sqlite", CAKUPAN_CLI_IMPORT_MAX_ROWS="23")
    assert refused.returncode == 1 and "lebih dari 23 baris data" in refused.stderr
