"""Read a boundary file someone brought: GeoJSON, a zipped Shapefile, GeoPackage or KML.

Pure and in-process: :func:`read_boundary_bytes` takes the file's bytes and returns its
polygons in EPSG:4326 (repaired where invalid) and its attribute columns as text. It is
meant to run in the limited child process of uploads (:mod:`cakupan.ingest.boundary_file`),
because GDAL parsing a hostile file is exactly what that child is for; nothing here trusts
the file:

- the size is checked before anything is read;
- a zip is inspected before anything is unpacked: at most ``zip_entries`` entries, their
  declared sizes summed against ``zip_unpacked_bytes``, no absolute name, no ``..`` part, no
  symbolic link; only the entries needed are written, under names we choose, and each is read
  with a byte budget so a lying header cannot unpack more than declared;
- the feature count is read from the layer's header before the features;
- the layer's CRS is required unless the coordinates are plainly longitude/latitude.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import numpy as np
import shapely

from cakupan.geo import shape as geo_shape
from cakupan.geo.byo.errors import BoundaryFileError
from cakupan.geo.byo.limits import GeoFileLimits

FORMATS = ("geojson", "shapefile", "gpkg", "kml")
_EXTENSIONS = {".geojson": "geojson", ".json": "geojson", ".gpkg": "gpkg", ".kml": "kml",
               ".zip": "zip", ".kmz": "zip"}
#: Shapefile parts kept from a zip; anything else in it is ignored (never unpacked).
_SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
_SINGLE_FILES = {".geojson": "geojson", ".json": "geojson", ".gpkg": "gpkg", ".kml": "kml"}
_POLYGONAL = ("Polygon", "MultiPolygon", "Polygon Z", "MultiPolygon Z", "Unknown")


@dataclass
class RawBoundaries:
    """A boundary file's features, ready to be matched: geometries in EPSG:4326 (WKB, valid),
    attribute columns as text (``None`` for an empty cell), and what reading found."""

    file_name: str
    format: str
    sha256: str
    size: int
    crs: str | None
    layer: str | None
    fields: dict[str, list[str | None]]
    wkb: list[bytes | None]
    invalid_as_given: int = 0
    repaired: int = 0
    empty: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def features(self) -> int:
        return len(self.wkb)

    def geometries(self) -> np.ndarray:
        """The geometries as shapely objects (``None`` for a feature without one)."""
        return np.array([shapely.from_wkb(b) if b is not None else None for b in self.wkb],
                        dtype=object)


def sniff(data: bytes, file_name: str) -> str:
    """``geojson``, ``gpkg``, ``kml`` or ``zip``: by the name's extension, else by the first
    bytes; anything else is refused with the formats accepted."""
    ext = Path(file_name or "").suffix.lower()
    if ext in _EXTENSIONS:
        return _EXTENSIONS[ext]
    head = data[:512].lstrip()
    if data[:4] == b"PK\x03\x04":
        return "zip"
    if data[:16] == b"SQLite format 3\x00":
        return "gpkg"
    if head[:1] == b"{":
        return "geojson"
    if head[:5] == b"<?xml" or head[:4] == b"<kml":
        return "kml"
    raise BoundaryFileError("format", formats="GeoJSON, Shapefile (zip), GeoPackage, KML")


def _safe_member(name: str) -> bool:
    """False for a zip entry that would land outside the folder it is unpacked into."""
    if not name or name.startswith(("/", "\\")) or "\\" in name or ":" in name:
        return False
    return ".." not in PurePosixPath(name).parts


def _is_link(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def _check_zip(archive: zipfile.ZipFile, limits: GeoFileLimits) -> list[zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > limits.zip_entries:
        raise BoundaryFileError("zip_entries", entries=len(infos), limit=limits.zip_entries)
    unsafe = [i for i in infos if not _safe_member(i.filename) or _is_link(i)]
    if unsafe:
        raise BoundaryFileError("zip_path")
    declared = sum(i.file_size for i in infos)
    if declared > limits.zip_unpacked_bytes:
        raise BoundaryFileError("zip_unpacked", mb=round(declared / 2**20, 1),
                                limit_mb=round(limits.zip_unpacked_bytes / 2**20, 1))
    return [i for i in infos if not i.is_dir()]


def _extract(archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path,
             budget: list[int]) -> None:
    """Write one entry to ``target``, never more bytes than the remaining budget."""
    with archive.open(info) as src, open(target, "wb") as out:
        while chunk := src.read(1 << 20):
            budget[0] -= len(chunk)
            if budget[0] < 0:
                raise BoundaryFileError("zip_unpacked", mb="?",
                                        limit_mb=round(budget[1] / 2**20, 1))
            out.write(chunk)


def _unpack(data: bytes, folder: Path, limits: GeoFileLimits) -> tuple[Path, str]:
    """The one dataset inside a zip, unpacked under ``folder``: ``(path, format)``."""
    import io

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = _check_zip(archive, limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as err:
        raise BoundaryFileError("zip_broken") from err
    by_ext: dict[str, list[zipfile.ZipInfo]] = {}
    for info in members:
        if PurePosixPath(info.filename).name.startswith("."):
            continue  # macOS resource forks (__MACOSX/._x.shp) and hidden files
        by_ext.setdefault(PurePosixPath(info.filename).suffix.lower(), []).append(info)
    budget = [limits.zip_unpacked_bytes, limits.zip_unpacked_bytes]
    shps = by_ext.get(".shp", [])
    if len(shps) > 1:
        raise BoundaryFileError("zip_many", count=len(shps))
    if shps:
        stem = PurePosixPath(shps[0].filename).with_suffix("")
        parts: dict[str, zipfile.ZipInfo] = {}
        for ext in _SHAPEFILE_PARTS:
            for info in by_ext.get(ext, []):
                if PurePosixPath(info.filename).with_suffix("") == stem:
                    parts[ext] = info
        lacking = [e for e in (".shp", ".shx", ".dbf") if e not in parts]
        if lacking:
            raise BoundaryFileError("shp_parts", lacking=", ".join(lacking))
        for ext, info in parts.items():
            _extract(archive, info, folder / f"layer{ext}", budget)
        return folder / "layer.shp", "shapefile"
    singles = [(i, _SINGLE_FILES[e]) for e, infos in by_ext.items() if e in _SINGLE_FILES
               for i in infos]
    if len(singles) != 1:
        raise BoundaryFileError("zip_none" if not singles else "zip_many", count=len(singles))
    info, fmt = singles[0]
    target = folder / f"layer{PurePosixPath(info.filename).suffix.lower()}"
    _extract(archive, info, target, budget)
    return target, fmt


def _pick_layer(path: Path) -> str | None:
    """The polygon layer to read: the only one, or the first polygonal of several."""
    import pyogrio

    layers = pyogrio.list_layers(path)
    if len(layers) <= 1:
        return None
    polygonal = [str(name) for name, kind in layers if kind is None or str(kind) in _POLYGONAL]
    return polygonal[0] if polygonal else str(layers[0][0])


def _text(value: object) -> str | None:
    """A cell as text: numbers without a spurious ``.0`` (a dbf's 8103.0 is the code 8103)."""
    if value is None:
        return None
    if isinstance(value, float | np.floating):
        if np.isnan(value):
            return None
        if float(value).is_integer():
            return str(int(value))
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    text = " ".join(str(value).split())
    return text or None


def _to_wgs84(geoms: np.ndarray, crs: str | None) -> np.ndarray:
    from pyproj import CRS, Transformer
    from pyproj.exceptions import CRSError

    present = [g for g in geoms if g is not None]
    if crs is None:
        bounds = shapely.total_bounds(np.array(present, dtype=object)) if present else None
        if bounds is not None and (-180 <= bounds[0] <= bounds[2] <= 180
                                   and -90 <= bounds[1] <= bounds[3] <= 90):
            return geoms  # no CRS, but plainly longitude/latitude (GeoJSON's own default)
        raise BoundaryFileError("no_crs")
    try:
        source = CRS.from_user_input(crs)
    except CRSError as err:
        raise BoundaryFileError("no_crs") from err
    if source.equals(CRS.from_epsg(4326), ignore_axis_order=True):
        return geoms
    transformer = Transformer.from_crs(source, "EPSG:4326", always_xy=True)
    out = np.empty(len(geoms), dtype=object)
    for i, geom in enumerate(geoms):
        out[i] = None if geom is None else shapely.transform(
            geom, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1])))
    return out


def _read_path(path: Path, fmt: str, limits: GeoFileLimits
               ) -> tuple[str | None, str | None, dict[str, list[str | None]], np.ndarray]:
    import pyogrio
    from pyogrio.errors import DataLayerError, DataSourceError

    try:
        layer = _pick_layer(path)
        info = pyogrio.read_info(path, layer=layer)
        count = int(info.get("features") or 0)
        if count > limits.features:
            raise BoundaryFileError("features", features=count, limit=limits.features)
        meta, _, wkb, values = pyogrio.raw.read(path, layer=layer, encoding=None)
    except (DataSourceError, DataLayerError, OSError, ValueError, RuntimeError) as err:
        raise BoundaryFileError("unreadable", format=fmt) from err
    if len(wkb) > limits.features:
        raise BoundaryFileError("features", features=len(wkb), limit=limits.features)
    fields = {str(name): [_text(v) for v in column]
              for name, column in zip(meta["fields"], values, strict=True)}
    geoms = np.array([shapely.from_wkb(b) if b is not None else None for b in wkb],
                     dtype=object)
    return meta.get("crs"), layer, fields, geoms


def read_boundary_bytes(data: bytes, file_name: str,
                        limits: GeoFileLimits | None = None) -> RawBoundaries:
    """The file's polygons in EPSG:4326, repaired, with its attribute columns as text.

    Raises
    ------
    BoundaryFileError
        A one-line, translated refusal: too big, not a format we read, a zip that breaks its
        limits or tries to leave its folder, no polygons, no CRS, unreadable.
    """
    limits = limits or GeoFileLimits.from_settings()
    if len(data) > limits.file_bytes:
        raise BoundaryFileError("too_big", mb=round(len(data) / 2**20, 1),
                                limit_mb=round(limits.file_bytes / 2**20, 1))
    if not data:
        raise BoundaryFileError("empty_file")
    kind = sniff(data, file_name)
    with tempfile.TemporaryDirectory(prefix="cakupan-geo-") as tmp:
        folder = Path(tmp)
        if kind == "zip":
            path, fmt = _unpack(data, folder, limits)
        else:
            fmt = kind
            path = folder / {"geojson": "layer.geojson", "gpkg": "layer.gpkg",
                             "kml": "layer.kml"}[kind]
            path.write_bytes(data)
        os.environ.setdefault("SHAPE_RESTORE_SHX", "NO")
        crs, layer, fields, geoms = _read_path(path, fmt, limits)
    if len(geoms) == 0:
        raise BoundaryFileError("no_features")
    return finish(file_name, fmt, data, crs, layer, fields, geoms)


def finish(file_name: str, fmt: str, data: bytes, crs: str | None, layer: str | None,
           fields: dict[str, list[str | None]], geoms: np.ndarray) -> RawBoundaries:
    """Keep polygons, reproject to EPSG:4326 and repair what is invalid, counting each."""
    polygonal = np.array([g if g is not None and not g.is_empty
                          and geo_shape.polygonal_parts(g) else None for g in geoms],
                         dtype=object)
    empty = int(sum(g is None for g in polygonal))
    if empty == len(polygonal):
        raise BoundaryFileError("no_polygons")
    projected = _to_wgs84(polygonal, crs)
    present = np.flatnonzero([g is not None for g in projected])
    valid = shapely.is_valid(projected[present])
    broken = present[~valid]
    if len(broken):
        projected[broken] = geo_shape.repair(projected[broken])
    wkb = [None if g is None or g.is_empty else shapely.to_wkb(g) for g in projected]
    return RawBoundaries(
        file_name=file_name, format=fmt, sha256=hashlib.sha256(data).hexdigest(),
        size=len(data), crs=crs, layer=layer, fields=fields, wkb=wkb,
        invalid_as_given=len(broken), repaired=len(broken), empty=empty)
