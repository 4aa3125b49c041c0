"""Parse the upstream MySQL dumps of regency boundaries into shapely geometries.

The upstream files are ``INSERT INTO wilayah_boundaries(kode,nama,lat,lng,path) VALUES
(...),(...);`` statements. ``path`` is JSON in **[lat, lng]** order (the reverse of GeoJSON),
nested as a Polygon (3 levels) or a MultiPolygon (4 levels); both occur. A small scanner is
used instead of a regular expression over the whole file so that quoted values may hold
commas, parentheses and ``''``-escaped quotes, and so that a malformed file fails with a
message that says where and what was expected.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from cakupan.core.errors import CakupanError

REQUIRED_COLUMNS = ("kode", "nama", "path")

_INSERT = re.compile(
    r"INSERT\s+INTO\s+`?(\w+)`?\s*\(([^)]*)\)\s*VALUES\s*", re.IGNORECASE
)
_WS = re.compile(r"\s*")
# A quoted SQL string: '' and backslash escapes inside (MySQL accepts both).
_STRING = re.compile(r"'([^'\\]*(?:(?:''|\\.)[^'\\]*)*)'", re.DOTALL)
_BARE = re.compile(r"[^,)\s]+")
_BLOCK_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_BACKSLASH = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "\\": "\\", "'": "'", '"': '"'}


def _unquote(raw: str) -> str:
    """Undo SQL quoting: ``''`` -> ``'`` and MySQL backslash escapes."""
    out = raw.replace("''", "'")
    if "\\" in out:
        out = re.sub(r"\\(.)", lambda m: _BACKSLASH.get(m.group(1), m.group(1)), out)
    return out


def _error(where: str, pos: int, text: str, expected: str) -> CakupanError:
    line = text.count("\n", 0, pos) + 1
    found = text[pos:pos + 20].replace("\n", " ")
    return CakupanError(f"{where}: line {line}: expected {expected}, found {found!r}")


def iter_rows(text: str, where: str = "<sql>") -> Iterator[dict[str, str | None]]:
    """Yield each row of every ``INSERT ... VALUES`` statement as ``{column: value}``.

    Strings are unquoted; bare tokens (numbers, ``NULL``) are returned as text, ``NULL`` as
    ``None``. Comments outside statements are ignored.
    """
    # Header comments (licence text) may hold quotes and parentheses; drop them first.
    text = _BLOCK_COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    pos = 0
    while (m := _INSERT.search(text, pos)) is not None:
        columns = [c.strip().strip("`").lower() for c in m.group(2).split(",")]
        pos = m.end()
        while True:
            pos = _WS.match(text, pos).end()
            if text.startswith("(", pos):
                pos += 1
            else:
                raise _error(where, pos, text, "'(' starting a row")
            values: list[str | None] = []
            while True:
                pos = _WS.match(text, pos).end()
                if (s := _STRING.match(text, pos)) is not None:
                    values.append(_unquote(s.group(1)))
                    pos = s.end()
                elif (b := _BARE.match(text, pos)) is not None:
                    token = b.group(0)
                    values.append(None if token.upper() == "NULL" else token)
                    pos = b.end()
                else:
                    raise _error(where, pos, text, "a value")
                pos = _WS.match(text, pos).end()
                if text.startswith(",", pos):
                    pos += 1
                    continue
                if text.startswith(")", pos):
                    pos += 1
                    break
                raise _error(where, pos, text, "',' or ')' after a value")
            if len(values) != len(columns):
                raise _error(where, pos, text, f"{len(columns)} values per row, got {len(values)}")
            yield dict(zip(columns, values, strict=True))
            pos = _WS.match(text, pos).end()
            if text.startswith(",", pos):
                pos += 1
                continue
            if text.startswith(";", pos):
                pos += 1
                break
            raise _error(where, pos, text, "',' or ';' after a row")


def _depth(nested: object) -> int:
    depth = 0
    while isinstance(nested, list):
        if not nested:
            break
        nested = nested[0]
        depth += 1
    return depth


def _ring(points: list) -> list[tuple[float, float]] | None:
    """A closed ring in (lng, lat) order, or None when it encloses nothing."""
    ring = [(float(p[1]), float(p[0])) for p in points]
    if ring and ring[0] != ring[-1]:
        ring.append(ring[0])
    return ring if len(set(ring)) >= 3 else None


def _polygon(rings: list) -> Polygon | None:
    shell, *holes = rings
    outer = _ring(shell)
    if outer is None:
        return None
    inner = [r for r in (_ring(h) for h in holes) if r is not None]
    return Polygon(outer, inner)


def path_to_geometry(path: str) -> BaseGeometry:
    """Turn the upstream ``path`` JSON ([lat, lng] pairs) into a lng/lat (Multi)Polygon.

    The result may be invalid (the source has self-intersections); repair comes later.

    >>> path_to_geometry("[[[1,10],[1,11],[2,11],[1,10]]]").bounds
    (10.0, 1.0, 11.0, 2.0)
    """
    nested = json.loads(path)
    depth = _depth(nested)
    if depth == 3:
        parts = [nested]
    elif depth == 4:
        parts = nested
    else:
        raise CakupanError(
            f"boundary path nested {depth} levels deep; expected 3 (Polygon) or 4 (MultiPolygon)"
        )
    polygons = [p for p in (_polygon(rings) for rings in parts if rings) if p is not None]
    if not polygons:
        return shapely.from_wkt("POLYGON EMPTY")
    return polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)


def parse_sql(text: str, where: str = "<sql>") -> list[dict]:
    """Parse one upstream file into ``[{"code", "name", "geometry"}, ...]`` (lng/lat).

    Raises
    ------
    CakupanError
        If the file lacks the expected columns or a row cannot be read.
    """
    rows = []
    for row in iter_rows(text, where):
        missing = [c for c in REQUIRED_COLUMNS if c not in row]
        if missing:
            raise CakupanError(
                f"{where}: rows lack columns {missing}; expected {list(REQUIRED_COLUMNS)}"
            )
        if not row["kode"] or not row["path"]:
            raise CakupanError(f"{where}: a row has an empty kode or path")
        try:
            geometry = path_to_geometry(row["path"])
        except (ValueError, TypeError, IndexError) as err:
            raise CakupanError(f"{where}: {row['kode']}: unreadable path ({err})") from err
        rows.append({"code": row["kode"], "name": row["nama"] or "", "geometry": geometry})
    return rows
