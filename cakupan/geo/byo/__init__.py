"""Boundary files brought by an admin ("bring your own boundaries", issue 15).

- ``limits``: what such a file may cost (size, zip entries and unpacked bytes, features);
- ``errors``: its one-line, translated refusals;
- ``read``: the file's bytes to polygons in EPSG:4326 with their attributes (GeoJSON, zipped
  Shapefile, GeoPackage, KML; meant for the limited child process of uploads);
- ``match``: features to regions of the reference, by code and name together;
- ``versions``: a version's matched geometry, its views built as the default set's, and the
  pointer to the version the maps draw.

Below ``cakupan.geo.loaders`` (which asks :func:`versions.folder_for` per view) and above
``cakupan.geo.build``. The store keeps the record of versions; the ingest package runs
``read`` in its sandbox.
"""

from cakupan.geo.byo.errors import BoundaryFileError
from cakupan.geo.byo.limits import GeoFileLimits
from cakupan.geo.byo.match import LEVELS, Match, MatchReport, Unmatched, match
from cakupan.geo.byo.read import RawBoundaries, read_boundary_bytes
from cakupan.geo.byo.versions import (
    SCOPES,
    attribution,
    build_version,
    folder_for,
    save_matched,
    selection,
    version_dir,
    write_selection,
)

__all__ = [
    "LEVELS",
    "SCOPES",
    "BoundaryFileError",
    "GeoFileLimits",
    "Match",
    "MatchReport",
    "RawBoundaries",
    "Unmatched",
    "attribution",
    "build_version",
    "folder_for",
    "match",
    "read_boundary_bytes",
    "save_matched",
    "selection",
    "version_dir",
    "write_selection",
]
