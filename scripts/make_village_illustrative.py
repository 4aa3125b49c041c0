"""Make ``data/village_illustrative.csv.gz``: illustrative village figures for Maluku (81),
Sulawesi Tenggara (74) and NTT (53), consistent with every published count of villages.

Why a file and not figures made at run time: the village view, the importer's checks and the
tests all read one table whose provenance sits beside it (``.meta.json``), and a published
count that the file must honour is written down here, with its source, once.

What is made, per desa of the three provinces (kelurahan have no aparatur desa and no Dana
Desa, so they get no rows and show "no data"):

- ``aparatur_desa``: people registered and eligible (village apparatus, 7 per desa unless a
  source says otherwise) at every month a source counts villages, and at 2024-12;
- ``pekerja_rentan``: workers registered against Inpres 4/2022's quota of 100 per desa, with
  the funding source (``dana_desa``, ``apbd``, ``csr``), at those months and at 2024-12.

Which villages are registered is decided by a fixed hash of the village code, so the set of
registered villages at a larger count contains the set at a smaller one, and every run makes
the same file. Where a source gives a count, exactly that many desa are registered at that
month (:data:`PUBLISHED`); elsewhere the share is drawn per regency.

Usage::

    .venv/bin/python scripts/make_village_illustrative.py          # writes the file + meta
    .venv/bin/python scripts/make_village_illustrative.py --check  # exit 1 if stale
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "village_illustrative.csv.gz"
META = ROOT / "data" / "village_illustrative.meta.json"
VILLAGES = ROOT / "data" / "villages.csv.gz"
PROVINCES = ("81", "74", "53")
FINAL = "2024-12"
COLUMNS = ("code", "period", "segment", "registered", "eligible", "funding", "basis")
APARATUR_PER_DESA = 7
QUOTA = 100  # Inpres 4/2022: 100 pekerja rentan per desa

#: Published counts of villages the file must equal: (regency, segment, month, desa
#: registered, aparatur per desa or None, source, what the source says).
PUBLISHED: tuple[tuple[str, str, str, int, int | None, str, str], ...] = (
    ("81.03", "aparatur_desa", "2024-11", 80, 7, "antara-ambon-2024-kkt",
     "80 desa registered their aparatur desa, seven people per desa"),
    ("81.05", "aparatur_desa", "2021-09", 194, None,
     "https://beritabeta.com/194-desa-peroleh-bpjs-ketenagakerjaan-kabupaten-sbt-raih-predikat-terbaik",
     "194 desa registered"),
    ("81.05", "aparatur_desa", "2024-09", 194, None,
     "https://beritabeta.com/empat-desa-di-sbt-belum-terdaftar-sebagai-peserta-bpjs-ketenagakerjaan",
     "194 of 198 desa registered, 4 not"),
    ("81.02", "aparatur_desa", "2022-03", 180, None,
     "https://dharapos.com/keanggotaan-di-bpjs-ketenagakerjaan-jadi-syarat-pencairan-dana-ohoi/29/03/2022/",
     "10 ohoi not registered (of 190 desa in the reference; the article says 192)"),
    ("81.02", "aparatur_desa", "2022-12", 144, None,
     "https://www.marrinnews.com/2022/12/bupati-thaher-46-kepala-perangkat-ohoi.html",
     "46 ohoi whose heads and staff are not registered (of 190 desa in the reference)"),
    ("81.71", "aparatur_desa", "2022-10", 30, None, "https://puskominfo-ppdi.or.id/?p=4531",
     "perangkat desa 100% registered (all 30 desa/negeri of the reference)"),
    ("74.04", "aparatur_desa", "2024-12", 37, None, "published_regencies.csv (monev 2024)",
     "37 of 83 desa registered, 46 not (2024; month not stated: 2024-12 used)"),
    ("74.09", "aparatur_desa", "2019-10", 159, 10,
     "published_regencies.csv (2019-10-07)",
     "1,590 aparatur desa registered in 159 desa (10 per desa)"),
    ("53.01", "aparatur_desa", "2021-06", 2, None, "published_regencies.csv (ca. 2021-06-30)",
     "2 desa participating of about 160"),
    ("53.04", "pekerja_rentan", "2023-05", 69, None, "published_regencies.csv (2023-05-22)",
     "5,829 pekerja rentan registered in 69 desa (all desa of Belu)"),
)
#: Inpres 4/2022 had started only in Kota Ambon in March 2023 (terasmaluku-2023-03-29): every
#: other Maluku regency has no pekerja rentan registered through villages in that month.
MALUKU_RENTAN_ZERO = ("2023-03", "terasmaluku-2023-03-29")
#: Workers in the 69 desa of Belu (53.04) in 2023-05, shared out over them.
BELU_RENTAN_WORKERS = 5_829


def unit(*parts: str) -> float:
    """A fixed number in [0, 1) from the parts (sha256), so the file is the same every run."""
    digest = hashlib.sha256("|".join(parts).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def read_desa() -> dict[str, list[str]]:
    """Desa codes per regency of the three provinces, ranked by a fixed hash (rank 0 first)."""
    text = gzip.decompress(VILLAGES.read_bytes()).decode("utf-8")
    per: dict[str, list[str]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        if row["code"][:2] in PROVINCES and row["kind"] == "desa":
            per.setdefault(row["regency_code"], []).append(row["code"])
    return {r: sorted(codes, key=lambda c: unit(c, "rank")) for r, codes in sorted(per.items())}


def _aparatur(regency: str, desa: list[str]) -> list[dict[str, Any]]:
    counts = {p[2]: p for p in PUBLISHED if p[0] == regency and p[1] == "aparatur_desa"}
    latest = max(counts.values(), key=lambda p: p[2])[3] if counts else 0
    share = 0.3 + 0.65 * unit(regency, "aparatur")
    final = max(latest, round(share * len(desa)))
    per_desa = next((p[4] for p in counts.values() if p[4]), APARATUR_PER_DESA)
    # a published count of the final month wins over the drawn one
    months = {FINAL: (final, "illustrative"),
              **{m: (p[3], f"published: {p[6]} ({p[5]})") for m, p in counts.items()}}
    exact = {m for m, p in counts.items() if p[4]}  # "seven people per desa": all full
    rows = []
    for month, (n, basis) in sorted(months.items()):
        for rank, code in enumerate(desa):
            started = rank < n
            # once a source says every registered desa is full, later months stay full
            full = any(m <= month for m in exact) or unit(code, "partial") >= 0.15
            registered = (per_desa if full else 1 + int(unit(code, "k") * (per_desa - 1))
                          ) if started else 0
            rows.append({"code": code, "period": month, "segment": "aparatur_desa",
                         "registered": registered, "eligible": per_desa, "funding": "",
                         "basis": basis})
    return rows


def _funding(code: str) -> str:
    u = unit(code, "funding")
    if code.startswith("53"):  # NTT: provincial and regency APBD paid for many (2025 reports)
        return "apbd" if u < 0.35 else ("csr" if u < 0.4 else "dana_desa")
    return "csr" if u < 0.05 else ("apbd" if u < 0.15 else "dana_desa")


def _rentan(regency: str, desa: list[str]) -> list[dict[str, Any]]:
    months: dict[str, tuple[int, str]] = {}
    if regency.startswith("81") and regency != "81.71":
        months[MALUKU_RENTAN_ZERO[0]] = (0, f"published: Inpres 4/2022 started only in Kota "
                                            f"Ambon ({MALUKU_RENTAN_ZERO[1]})")
    for p in PUBLISHED:
        if p[0] == regency and p[1] == "pekerja_rentan":
            months[p[2]] = (p[3], f"published: {p[6]} ({p[5]})")
    latest = max((n for n, _ in months.values()), default=0)
    share = 0.1 + 0.5 * unit(regency, "rentan")
    months[FINAL] = (max(latest, round(share * len(desa))), "illustrative")
    rows = []
    for month, (n, basis) in sorted(months.items()):
        belu = regency == "53.04" and month == "2023-05"
        shares = _belu_shares(desa) if belu else {}
        for rank, code in enumerate(desa):
            started = rank < n
            workers = (shares[code] if belu else 20 + int(unit(code, "w", month) * 81)
                       ) if started else 0
            rows.append({"code": code, "period": month, "segment": "pekerja_rentan",
                         "registered": workers, "eligible": QUOTA,
                         "funding": _funding(code) if started else "", "basis": basis})
    return rows


def _belu_shares(desa: list[str]) -> dict[str, int]:
    """5,829 workers over Belu's 69 desa, none above the quota of 100."""
    weights = [0.5 + unit(c, "belu") for c in desa]
    raw = [min(QUOTA, int(BELU_RENTAN_WORKERS * w / sum(weights))) for w in weights]
    i = 0
    while sum(raw) < BELU_RENTAN_WORKERS:
        if raw[i % len(raw)] < QUOTA:
            raw[i % len(raw)] += 1
        i += 1
    return dict(zip(desa, raw, strict=True))


def build_rows() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for regency, desa in read_desa().items():
        rows += _aparatur(regency, desa) + _rentan(regency, desa)
    rows.sort(key=lambda r: (r["segment"], r["period"], r["code"]))
    return rows


def render(rows: list[dict[str, Any]]) -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return gzip.compress(buf.getvalue().encode("utf-8"), compresslevel=9, mtime=0)


def meta(data: bytes, rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "title": "Illustrative village figures (aparatur desa, pekerja rentan) for Maluku, "
                 "Sulawesi Tenggara and NTT",
        "file": "data/village_illustrative.csv.gz",
        "illustrative": True,
        "source_id": "cakupan-illustrative",
        "script": "scripts/make_village_illustrative.py",
        "sha256": hashlib.sha256(data).hexdigest(),
        "rows": len(rows),
        "columns": list(COLUMNS),
        "published_counts_honoured": [
            {"regency": p[0], "segment": p[1], "period": p[2], "desa_registered": p[3],
             "per_desa": p[4], "source": p[5], "says": p[6]} for p in PUBLISHED],
        "notes": [
            "ILLUSTRATIVE, not data: made up to show what the village view does. Every row is "
            "marked illustrative in the app.",
            "One row per desa, segment and month; kelurahan have none (no aparatur desa, no "
            "Dana Desa).",
            "aparatur_desa: registered and eligible people per desa (7 per desa unless a "
            "source says otherwise; 15% of registered desa are partly registered where no "
            "source says all are full).",
            "pekerja_rentan: registered workers against the Inpres 4/2022 quota of 100 per "
            "desa (eligible = 100); funding dana_desa, apbd or csr.",
            "Where a source counts registered villages (published_counts_honoured), exactly "
            "that many desa are registered in that month; tests/data pins each count.",
        ],
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--check", action="store_true")
    args = p.parse_args(argv)
    rows = build_rows()
    data = render(rows)
    if args.check:
        same = OUT.exists() and OUT.read_bytes() == data
        print(f"{OUT.relative_to(ROOT)} is {'up to date' if same else 'STALE'}")
        return 0 if same else 1
    OUT.write_bytes(data)
    META.write_text(json.dumps(meta(data, rows), indent=2, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)} ({len(rows)} rows, {len(data):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
