"""Write the illustrative panel to a CSV for inspection, and check that it meets the published data.

The store's seed calls ``cakupan.store.demo.illustrative_panel`` directly; this script exists so a
person can open the panel in a spreadsheet, and so a reviewer can see in one command that every
published figure is met exactly (the same check as ``tests/unit/test_demo.py``).

Usage::

    .venv/bin/python scripts/make_illustrative.py      # -> artifacts/illustrative_panel.csv
    .venv/bin/python scripts/make_illustrative.py --out /tmp/panel.csv --start 2020-01
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cakupan import regions  # noqa: E402
from cakupan.store import demo  # noqa: E402

PUBLISHED_CSV = ROOT / "data" / "published" / "observations.csv"
DEFAULT_OUT = ROOT / "artifacts" / "illustrative_panel.csv"


def read_published(path: Path = PUBLISHED_CSV) -> pd.DataFrame:
    """Published observations as typed columns (counts as nullable integers)."""
    text_columns = ["period", "region_code", "scope", "segment", "programme", "source_id"]
    frame = pd.read_csv(path, dtype=dict.fromkeys(text_columns, str), keep_default_na=False,
                        na_values={c: [""] for c in ("registered", "eligible", "coverage_pct")})
    return frame.astype({"registered": "Int64", "eligible": "Int64", "coverage_pct": "Float64"})


def misses(panel: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """Published "any" figures the panel does not meet exactly (empty when all are met).

    A count must equal the panel's count, an eligible its eligible, and a reported percentage
    must equal round(pct x eligible / 100) of the panel row.
    """
    key = ["period", "region_code", "scope", "segment", "programme"]
    pub = published[published["programme"] == "any"]
    both = pub.merge(panel, on=key, how="left", suffixes=("_pub", ""))
    expected_from_pct = (both["coverage_pct_pub"] * both["eligible"] / 100).round()
    ok = (
        both["registered"].notna()
        & (both["registered_pub"].isna() | (both["registered_pub"] == both["registered"]))
        & (both["eligible_pub"].isna() | (both["eligible_pub"] == both["eligible"]))
        & (both["coverage_pct_pub"].isna() | both["registered_pub"].notna()
           | (expected_from_pct == both["registered"]))
    ).fillna(False)
    return both.loc[~ok.astype(bool), [*key, "registered_pub", "eligible_pub",
                                       "coverage_pct_pub", "registered", "eligible"]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--start", default="2017-01")
    parser.add_argument("--end", default="2024-12")
    args = parser.parse_args(argv)

    published = read_published()
    began = time.perf_counter()
    panel = demo.illustrative_panel(regions.load_regions(), published,
                                    start=args.start, end=args.end)
    seconds = time.perf_counter() - began
    args.out.parent.mkdir(parents=True, exist_ok=True)
    panel.to_csv(args.out, index=False)
    in_range = published[published["period"].between(args.start, args.end)]
    missed = misses(panel, in_range)
    checked = int((in_range["programme"] == "any").sum())
    print(f"{len(panel):,} rows in {seconds:.2f} s -> {args.out}")
    print(f"published figures (programme 'any') met exactly: {checked - len(missed)} of "
          f"{checked}")
    if len(missed):
        print(missed.to_string(index=False))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
