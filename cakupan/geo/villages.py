"""Village and district boundaries of one regency: fetched, verified, repaired, simplified and
cached on demand (never all 514 regency files at start-up: upstream they weigh about 357 MB).

The pins live in their own registry (``geo/registry_villages.json``: the 38 district files and
all 514 village files of the same upstream commit, with sha256 from ``SHA256SUMS.kec`` and
``SHA256SUMS.kel.all``), so that pinning them did not change the regency cache's key.

One build per regency writes, into ``<cache>/villages-v<N>-<registry digest>/<PP.RR>/``:

- ``kel.geojson`` / ``kel.parquet``: one feature per village that has a boundary (budget
  :data:`VILLAGE_BUDGET` bytes as served, before transfer compression);
- ``kec.geojson``: the regency's district outlines (from the province's district file);
- ``report.json``: what the build saw -- reference villages with and without a boundary, and
  boundary codes missing from the reference (the two follow different 2025 decrees), which the
  village view lists instead of dropping them.

The village reference is passed in by callers (``reference_codes``), because ``geo`` may import
``regions`` but the reference is read lazily by the caller that needs it.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import time
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np

from cakupan.core import settings
from cakupan.core.errors import CakupanError, GeoUnavailable
from cakupan.geo import shape as geo_shape
from cakupan.geo import source as geo_source
from cakupan.geo.build import Prepared, ViewParams, make_view, repaired_coverage
from cakupan.geo.parse import parse_sql
from cakupan.regions import villages as village_ref

REGISTRY_PATH = settings.GEO_DIR / "registry_villages.json"
#: Bump when the output changes, so cached regency builds are remade.
PIPELINE_VERSION = 1
KEC_TEMPLATE = "db/kec/wilayah_boundaries_kec_{province}.sql"
KEL_TEMPLATE = "db/kel/{province}/wilayah_boundaries_kel_{regency}.sql"
#: Budget of one regency's village geometry as served to the browser (bytes, uncompressed).
VILLAGE_BUDGET = 250_000
#: Villages are a hundredth of a regency's size: finer specks and tolerances than a province.
VILLAGE_PARAMS = ViewParams(speck=2e-6, k=0.08, tiers=(0.0002, 0.0005, 0.001, 0.002, 0.004),
                            budget=VILLAGE_BUDGET)
DISTRICT_PARAMS = ViewParams(speck=1e-5, k=0.1, tiers=(0.0005, 0.001, 0.002, 0.005),
                             budget=120_000)
REPORT = "report.json"
_REGENCY = re.compile(r"^\d{2}\.\d{2}$")

UNAVAILABLE_MESSAGE = (
    "Batas desa {regency} belum tersedia: jalankan `python -m cakupan geo villages --regency "
    "{regency}` dengan internet, atau set CAKUPAN_GEO_MIRROR ke salinan yang memuat db/kel/{pp}/."
)


# --- the registry ------------------------------------------------------------------------

def make_registry(sums_dir: Path, commit: str = settings.GEO_UPSTREAM_COMMIT) -> dict:
    """The village registry from the mirror's checksum files (run once when the pin moves).

    ``SHA256SUMS.kec`` lists the 38 district files, ``SHA256SUMS.kel.all`` every upstream
    village file (paths relative to ``db/kel/``), mirrored or not.
    """
    def read(name: str) -> list[tuple[str, str]]:
        path = Path(sums_dir) / name
        if not path.is_file():
            raise CakupanError(f"{path} not found; expected the mirror's checksum file")
        return [tuple(line.split(None, 1)) for line in path.read_text().splitlines()
                if line.strip()]  # type: ignore[misc]

    base = f"https://raw.githubusercontent.com/{geo_source.UPSTREAM_REPOSITORY}/{commit}"
    kec = {}
    for digest, name in read("SHA256SUMS.kec"):
        province = name.strip().removeprefix("wilayah_boundaries_kec_").removesuffix(".sql")
        kec[province] = {"path": KEC_TEMPLATE.format(province=province), "sha256": digest}
    kel = {}
    for digest, name in read("SHA256SUMS.kel.all"):
        regency = Path(name.strip()).stem.removeprefix("wilayah_boundaries_kel_")
        kel[regency] = {"path": KEL_TEMPLATE.format(province=regency[:2], regency=regency),
                        "sha256": digest}
    return {"upstream": {"repository": geo_source.UPSTREAM_REPOSITORY, "commit": commit,
                         "base_url": base, "licence": "MIT"},
            "kec": dict(sorted(kec.items())), "kel": dict(sorted(kel.items()))}


def write_registry(sums_dir: Path, path: Path = REGISTRY_PATH) -> dict:
    registry = make_registry(sums_dir)
    Path(path).write_text(json.dumps(registry, indent=1) + "\n", encoding="utf-8")
    return registry


@lru_cache(maxsize=2)
def _registry(path: str, _mtime: int) -> dict:
    try:
        registry = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise CakupanError(f"village boundary registry {path} unreadable ({err})") from err
    if not isinstance(registry.get("kel"), dict) or not isinstance(registry.get("kec"), dict):
        raise CakupanError(f"village boundary registry {path} lacks 'kec' and 'kel' objects")
    return registry


def registry() -> dict:
    """The pinned district and village files (re-read only when the file changes)."""
    return _registry(str(REGISTRY_PATH), REGISTRY_PATH.stat().st_mtime_ns
                     if REGISTRY_PATH.exists() else 0)


def cache_root() -> Path:
    """``<cache>/villages-v<N>-<registry sha256 prefix>``: new pins build a new folder."""
    digest = geo_source.sha256_file(REGISTRY_PATH)[:12]
    return settings.cache_dir() / f"villages-v{PIPELINE_VERSION}-{digest}"


def check_regency(regency: str) -> str:
    """``regency`` if the registry pins its village file, else a one-line CakupanError."""
    regency = str(regency).strip()
    if not _REGENCY.match(regency) or regency not in registry()["kel"]:
        raise CakupanError(f"no village boundary file for {regency!r}; expected a regency code "
                           "PP.RR such as '81.03'")
    return regency


def unavailable_message(regency: str) -> str:
    return UNAVAILABLE_MESSAGE.format(regency=regency, pp=regency[:2])


def available(regency: str) -> bool:
    """Whether the regency's village map can be had without waiting: built, or on disk.

    A URL source (no mirror) counts as available only once downloaded, so a page never blocks
    on the network to decide; ``geo villages --regency`` or the first build fetches it.
    """
    try:
        regency = check_regency(regency)
    except CakupanError:
        return False
    if (cache_root() / regency / REPORT).is_file():
        return True
    entry = registry()["kel"][regency]
    src = settings.geo_source()
    if geo_source.is_url(src):
        return (geo_source_raw() / Path(entry["path"]).name).is_file() or _probe(src, entry)
    return (Path(src) / entry["path"]).is_file()


def _probe(src: str, entry: dict) -> bool:
    return geo_source._probe(src.rstrip("/") + "/" + entry["path"])  # remembered per process


def geo_source_raw() -> Path:
    return settings.cache_dir() / "raw"


# --- the build ---------------------------------------------------------------------------

def _fetch(entry: dict, regency: str) -> Path:
    try:
        return geo_source.fetch(entry, settings.geo_source(), geo_source_raw())
    except GeoUnavailable as err:
        raise GeoUnavailable(unavailable_message(regency)) from err


def _prepare(rows: list[dict], where: str) -> Prepared:
    codes, names, raw, _repaired, clean = repaired_coverage(
        rows, decimals=5, gap_width=2e-4, what=f"{where}: duplicate codes")
    import shapely  # local: only the stats need it here

    stats = {"invalid_as_given": int((~shapely.is_valid(raw)).sum()),
             "vertices_as_given": int(shapely.get_num_coordinates(raw).sum())}
    return Prepared(codes, names, clean, geo_shape.areas_km2(clean), stats)


def _report(regency: str, codes: list[str], names: list[str],
            reference: dict[str, str]) -> dict:
    drawn = set(codes)
    return {
        "regency": regency,
        "reference": len(reference),
        "with_boundary": sum(1 for c in reference if c in drawn),
        "without_boundary": sorted(c for c in reference if c not in drawn),
        "not_in_reference": [{"code": c, "name": n} for c, n in zip(codes, names, strict=True)
                             if c not in reference],
    }


def build_regency(regency: str, force: bool = False) -> dict:
    """Build (or read from the cache) one regency's village and district boundaries.

    Returns the build report: counts against the village reference, the codes on either side
    that the other lacks, bytes, vertices, seconds (``cached`` when nothing was built).

    Raises
    ------
    GeoUnavailable
        The regency's file is neither in the mirror nor downloadable (one line saying how).
    CakupanError
        A file's sha256 differs from the registry, or the data breaks an invariant.
    """
    start = time.perf_counter()
    regency = check_regency(regency)
    target = cache_root() / regency
    if not force and (target / REPORT).is_file():
        report = json.loads((target / REPORT).read_text(encoding="utf-8"))
        return {**report, "cached": True, "seconds": round(time.perf_counter() - start, 3)}
    pins = registry()
    kel_path = _fetch(pins["kel"][regency], regency)
    kec_path = _fetch(pins["kec"][regency[:2]], regency)
    where = Path(pins["kel"][regency]["path"]).name
    rows = parse_sql(kel_path.read_text(encoding="utf-8"), where=where)
    stray = [r["code"] for r in rows if not r["code"].startswith(regency + ".")]
    if stray:
        raise CakupanError(f"{where} holds villages of another regency: {stray[:3]}")
    districts = [r for r in parse_sql(kec_path.read_text(encoding="utf-8"),
                                      where=kec_path.name)
                 if r["code"].startswith(regency + ".")]
    prep = _prepare(rows, where)
    frame, text, stats = make_view(prep, np.arange(len(rows)), VILLAGE_PARAMS)
    dprep = _prepare(districts, kec_path.name)
    _, dtext, dstats = make_view(dprep, np.arange(len(districts)), DISTRICT_PARAMS)
    reference = dict(zip(*(village_ref.villages_of(regency)[c] for c in ("code", "name")),
                         strict=True))
    report = {**_report(regency, prep.codes, prep.names, reference),
              "districts": len(districts),
              "bytes": stats["bytes"], "district_bytes": dstats["bytes"],
              "vertices": stats["vertices"], "vertices_as_given": prep.stats["vertices_as_given"],
              "invalid_as_given": prep.stats["invalid_as_given"],
              "invalid": stats["invalid"], "empty": stats["empty"],
              "area_max_rel_change": stats["area_max_rel_change"],
              "params": stats["params"], "pipeline_version": PIPELINE_VERSION}
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{regency}-", dir=target.parent))
    try:
        frame.to_parquet(tmp / "kel.parquet")
        (tmp / "kel.geojson").write_text(text, encoding="utf-8")
        (tmp / "kec.geojson").write_text(dtext, encoding="utf-8")
        report["build_seconds"] = round(time.perf_counter() - start, 3)
        (tmp / REPORT).write_text(json.dumps(report, ensure_ascii=False, indent=1),
                                  encoding="utf-8")
        if target.exists():
            shutil.rmtree(target, ignore_errors=True)
        try:
            tmp.rename(target)
        except OSError:
            if not (target / REPORT).is_file():  # a concurrent build that won is kept
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    _forget()
    return {**report, "cached": False, "seconds": report["build_seconds"]}


# --- loaders -----------------------------------------------------------------------------

def _folder(regency: str) -> str:
    regency = check_regency(regency)
    folder = cache_root() / regency
    if not (folder / REPORT).is_file():
        build_regency(regency)
    return str(folder)


@lru_cache(maxsize=32)
def _text(folder: str, name: str) -> str:
    return (Path(folder) / name).read_text(encoding="utf-8")


@lru_cache(maxsize=32)
def _frame(folder: str) -> gpd.GeoDataFrame:
    return gpd.read_parquet(Path(folder) / "kel.parquet")


def _forget() -> None:
    _text.cache_clear()
    _frame.cache_clear()


def village_geojson_text(regency: str) -> str:
    """The regency's village boundaries as served: compact GeoJSON (``code``, ``name``)."""
    return _text(_folder(regency), "kel.geojson")


def district_geojson_text(regency: str) -> str:
    """The regency's district outlines as compact GeoJSON (``code``, ``name``)."""
    return _text(_folder(regency), "kec.geojson")


def load_village_shapes(regency: str) -> gpd.GeoDataFrame:
    """``code``, ``name``, ``lon``, ``lat``, ``area_km2``, ``geometry`` of each drawn village."""
    return _frame(_folder(regency)).copy()


def village_report(regency: str) -> dict:
    """The build report (see :func:`build_regency`), building first if needed."""
    return json.loads(_text(_folder(regency), REPORT))


def village_bounds(regency: str) -> tuple[float, float, float, float]:
    minx, miny, maxx, maxy = _frame(_folder(regency)).total_bounds
    return (float(minx), float(miny), float(maxx), float(maxy))
