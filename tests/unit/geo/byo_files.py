"""Small boundary files the tests write themselves (issue 15): Maluku's 11 regencies as a
grid of squares, in the spellings and code systems real files use.

The squares are not Maluku's shapes (tests need only that each feature is a polygon at a
plausible place); codes and names are facts: Kemendagri codes of the reference, BPS's
numbering of the same regencies, and names as geoportal files spell them.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import geopandas as gpd
import shapely

#: Kemendagri code, reference short name, geoportal-style name, BPS code (Badan Pusat
#: Statistik's regency numbering, which orders Maluku's regencies otherwise).
MALUKU = [
    ("81.01", "Maluku Tengah", "KAB. MALUKU TENGAH", "8103"),
    ("81.02", "Maluku Tenggara", "KAB. MALUKU TENGGARA", "8102"),
    ("81.03", "Kepulauan Tanimbar", "KAB. MALUKU TENGGARA BARAT", "8101"),
    ("81.04", "Buru", "KAB. BURU", "8104"),
    ("81.05", "Seram Bagian Timur", "SERAMBAGIANTIMUR", "8107"),
    ("81.06", "Seram Bagian Barat", "KAB. SERAM BAGIAN BARAT", "8106"),
    ("81.07", "Kepulauan Aru", "KEPULAUANARU", "8105"),
    ("81.08", "Maluku Barat Daya", "KAB. MALUKU BARAT DAYA", "8108"),
    ("81.09", "Buru Selatan", "BURUSELATAN", "8109"),
    ("81.71", "Ambon", "KOTAAMBON", "8171"),
    ("81.72", "Tual", "KOTA TUAL", "8172"),
]


def squares(n: int = len(MALUKU), size: float = 0.5) -> list:
    """``n`` neighbouring squares over Maluku (lon 127-130, lat -6 to -3), in rows of four."""
    return [shapely.box(127 + (i % 4) * size, -3 - (i // 4) * size,
                        127 + (i % 4 + 1) * size, -3 - (i // 4 + 1) * size) for i in range(n)]


def frame(columns: dict[str, list], crs: str = "EPSG:4326") -> gpd.GeoDataFrame:
    out = gpd.GeoDataFrame(columns, geometry=squares(len(next(iter(columns.values())))),
                           crs="EPSG:4326")
    return out.to_crs(crs)


def kemendagri_geojson() -> bytes:
    """GeoJSON, EPSG:4326, codes as ``81.03`` with official names."""
    f = frame({"kode": [c for c, *_ in MALUKU], "nama": [n for _, n, *_ in MALUKU]})
    return f.to_json().encode()


def bps_geojson() -> bytes:
    """GeoJSON with BPS codes (``KDBPS``) and geoportal names: only names can decide."""
    f = frame({"KDBPS": [b for *_, b in MALUKU], "WADMKK": [g for _, _, g, _ in MALUKU]})
    return f.to_json().encode()


def shapefile_zip(folder: Path, *, crs: str = "EPSG:32752", names: bool = True) -> bytes:
    """A zipped Shapefile in UTM zone 52S with geoportal-style names only (no code field)."""
    f = frame({"NAMOBJ": [g for _, _, g, _ in MALUKU]}, crs=crs)
    if not names:
        f = f.rename(columns={"NAMOBJ": "ID"}).assign(ID=range(len(f)))
    folder.mkdir(parents=True, exist_ok=True)
    f.to_file(folder / "batas_kab.shp", engine="pyogrio")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for ext in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
            if (folder / f"batas_kab{ext}").exists():
                archive.write(folder / f"batas_kab{ext}", f"BATAS_KAB/batas_kab{ext}")
    return buffer.getvalue()


def geopackage(folder: Path) -> bytes:
    """A GeoPackage in Web Mercator (EPSG:3857), codes without dots, names in capitals."""
    f = frame({"kode_kab": [c.replace(".", "") for c, *_ in MALUKU],
               "nama_kab": [n.upper() for _, n, *_ in MALUKU]}, crs="EPSG:3857")
    path = folder / "maluku.gpkg"
    folder.mkdir(parents=True, exist_ok=True)
    f.to_file(path, driver="GPKG", engine="pyogrio")
    return path.read_bytes()


def bowtie_geojson() -> bytes:
    """GeoJSON whose Ambon is a self-intersecting "bow tie" (invalid; repaired on load)."""
    data = json.loads(kemendagri_geojson())
    x, y = 127.0, -5.0
    data["features"][9]["geometry"] = {"type": "Polygon", "coordinates": [[
        [x, y], [x + 0.4, y - 0.4], [x + 0.4, y], [x, y - 0.4], [x, y]]]}
    return json.dumps(data).encode()


def traversal_zip() -> bytes:
    """A zip whose entries climb out of their folder (``../``)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../../etc/batas.shp", b"x" * 100)
        archive.writestr("../../etc/batas.shx", b"x" * 100)
        archive.writestr("../../etc/batas.dbf", b"x" * 100)
    return buffer.getvalue()


def geoportal_zip_of(view: gpd.GeoDataFrame, folder: Path, crs: str = "EPSG:32752") -> bytes:
    """Maluku's real regencies (``view``: ``code``, ``geometry``, e.g. ``geo.load_view("81")``)
    as a geoportal would hand them out: a zipped Shapefile in UTM zone 52S whose only field is
    the name in the geoportal's spelling (no code)."""
    names = {code: spelled for code, _, spelled, _ in MALUKU}
    f = gpd.GeoDataFrame({"NAMOBJ": [names[c] for c in view["code"]]},
                         geometry=list(view.geometry), crs="EPSG:4326").to_crs(crs)
    folder.mkdir(parents=True, exist_ok=True)
    f.to_file(folder / "BATAS_KABUPATEN_MALUKU.shp", engine="pyogrio")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for ext in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
            if (folder / f"BATAS_KABUPATEN_MALUKU{ext}").exists():
                archive.write(folder / f"BATAS_KABUPATEN_MALUKU{ext}",
                              f"BATAS_KABUPATEN_MALUKU{ext}")
    return buffer.getvalue()


def kml(folder: Path) -> bytes:
    """KML (always longitude/latitude), names in ``Name`` and codes in an extended field."""
    f = frame({"Name": [n for _, n, *_ in MALUKU], "kode": [c for c, *_ in MALUKU]})
    folder.mkdir(parents=True, exist_ok=True)
    f.to_file(folder / "maluku.kml", driver="KML", engine="pyogrio")
    return (folder / "maluku.kml").read_bytes()
