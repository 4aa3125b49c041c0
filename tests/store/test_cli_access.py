"""The command line acts as the operator, or as a stored user with ``--as``; ``users``
manages roles; ``import`` reports conflicts with published figures (CONTRACTS.md)."""

from __future__ import annotations

import getpass
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cakupan import store
from tests.conftest import ROOT

pytestmark = pytest.mark.unit


def run(db: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "CAKUPAN_DATABASE_URL": f"sqlite:///{db}"}
    return subprocess.run([sys.executable, "-m", "cakupan", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=180)


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_users_add_list_remove_and_act_as_an_editor(tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite"
    added = run(db, "users", "add", "Kacab.Ambon@example.org", "--role", "editor",
                "--provinces", "81", "--json")
    assert added.returncode == 0, added.stderr
    assert json.loads(added.stdout) == {"email": "kacab.ambon@example.org", "role": "editor",
                                        "provinces": ["81"]}
    listed = json.loads(run(db, "users", "list", "--json").stdout)
    assert [(u["email"], u["role"], u["provinces"], u["added_by"]) for u in listed] == [
        ("kacab.ambon@example.org", "editor", ["81"], f"cli:{getpass.getuser()}")]

    maluku = write(tmp_path, "maluku.csv", "Kode;Periode;Peserta\n81.01;2024-06;100\n")
    ok = run(db, "--as", "kacab.ambon@example.org", "import", maluku, "--segment", "bpu",
             "--json")
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["imported"] == 1

    mixed = write(tmp_path, "mixed.csv",
                  "Kode;Periode;Peserta\n81.01;2024-07;100\n74.05;2024-07;5\n")
    refused = run(db, "--as", "kacab.ambon@example.org", "import", mixed, "--segment", "bpu",
                  "--json")
    assert refused.returncode == 1
    errors = json.loads(refused.stdout)["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(3, "Kode")]
    assert "74.05" in errors[0]["message"] and refused.stderr.count("\n") == 1

    removed = run(db, "users", "remove", "kacab.ambon@example.org", "--json")
    assert json.loads(removed.stdout) == {"email": "kacab.ambon@example.org", "removed": True}
    viewer = run(db, "--as", "kacab.ambon@example.org", "import", maluku, "--segment", "pu")
    assert viewer.returncode == 1 and "may not import" in viewer.stderr
    assert "Traceback" not in viewer.stderr


def test_import_reports_a_conflict_and_keeps_the_published_figure(tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite"
    kendari = write(tmp_path, "kendari.csv", "Kode;Periode;Peserta\n74.71;2018-10;1\n")
    done = run(db, "import", kendari, "--segment", "non_asn", "--json")
    assert done.returncode == 0, done.stderr
    conflicts = json.loads(done.stdout)["conflicts"]
    assert [(c["region"], c["published"]["registered"], c["upload"]["registered"])
            for c in conflicts] == [("74.71", 1135, 1)]
    query = run(db, "query", "coverage", "--region", "74.71", "--segment", "non_asn",
                "--period", "2018-10", "--json")
    assert json.loads(query.stdout)["registered"] == 1135  # Zonasultra's figure stays
    trail = store.audit_trail(store.get_engine(f"sqlite:///{db}", seed=False))
    assert trail.loc[0, "actor"] == f"cli:{getpass.getuser()}"
    assert trail.loc[0, "file_name"] == "kendari.csv"

    preferred = write(tmp_path, "kendari2.csv", "Kode;Periode;Peserta\n74.71;2018-10;2\n")
    assert run(db, "import", preferred, "--segment", "non_asn", "--prefer-upload").returncode == 0
    query = run(db, "query", "coverage", "--region", "74.71", "--segment", "non_asn",
                "--period", "2018-10", "--json")
    assert json.loads(query.stdout)["registered"] == 2
