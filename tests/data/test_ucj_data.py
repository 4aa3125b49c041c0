"""data/ucj_categories.csv: provenance beside it, and the assumption stated in both."""

from __future__ import annotations

import hashlib
import json

import pandas as pd

from tests.conftest import ROOT

CSV = ROOT / "data" / "ucj_categories.csv"


def test_ucj_thresholds_have_metadata_with_a_matching_checksum_and_the_assumption() -> None:
    meta = json.loads(CSV.with_name("ucj_categories.meta.json").read_text("utf-8"))
    assert meta["file"] == "data/ucj_categories.csv"
    assert meta["sha256"] == hashlib.sha256(CSV.read_bytes()).hexdigest()
    frame = pd.read_csv(CSV, dtype=str, keep_default_na=False)
    assert meta["rows"] == len(frame) == 4
    assert meta["columns"] == list(frame.columns)
    assert meta["notes"][0].startswith("ASSUMPTION")
    assert set(frame["basis"]) == {"assumption"}
