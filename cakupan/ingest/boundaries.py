"""A boundary file from an admin, end to end: read (limited child), match, preview, apply.

Nothing is applied until the admin confirms: :func:`preview_file` reads and matches and
returns what the preview shows (matched, unmatched with suggestions, duplicates, regions
missing from the file, geometries repaired); :func:`apply_preview` is the write, admins only
(checked here, before any building), which keeps the matched features, builds the version's
views exactly as the default set's and records the version (active unless told otherwise).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import shapely
from sqlalchemy.engine import Engine

from cakupan import regions
from cakupan.core.access import Actor, require
from cakupan.core.errors import CakupanError
from cakupan.geo import byo
from cakupan.geo.byo import GeoFileLimits, MatchReport, RawBoundaries
from cakupan.ingest.boundary_file import read_limited
from cakupan.ingest.limits import Limits
from cakupan.store import boundaries as versions


@dataclass
class BoundaryPreview:
    """What an admin sees before confirming; ``seconds`` of reading and of matching."""

    raw: RawBoundaries
    report: MatchReport
    read_seconds: float
    match_seconds: float

    @property
    def level(self) -> str:
        return self.report.level

    def to_json(self, *, version: str | None = None, applied: bool = False) -> dict:
        """The ``geo load --json`` object (CONTRACTS.md, command 8)."""
        return {"version": version, "level": self.level, "features": self.raw.features,
                "matched": len(self.report.codes()),
                "unmatched": [u.label for u in self.report.unmatched],
                "missing": list(self.report.missing), "repaired": self.raw.repaired,
                "applied": applied}

    def details(self) -> dict:
        """More than the contract: fields used, CRS, duplicates, correspondences, times."""
        r = self.report
        return {"format": self.raw.format, "crs": self.raw.crs, "layer": self.raw.layer,
                "sha256": self.raw.sha256, "bytes": self.raw.size,
                "code_field": r.code_field, "name_field": r.name_field,
                "code_system": r.code_system, "provinces": r.provinces,
                "duplicates": r.duplicates, "correspondences": r.correspondences,
                "without_geometry": self.raw.empty,
                "suggestions": {u.label: [c for c, _ in u.suggestions] for u in r.unmatched},
                "read_seconds": round(self.read_seconds, 3),
                "match_seconds": round(self.match_seconds, 3)}


def preview_file(data: bytes, file_name: str, *, level: str = "regency",
                 code_field: str | None = None, name_field: str | None = None,
                 picks: dict[int, str] | None = None, limits: Limits | None = None,
                 geo_limits: GeoFileLimits | None = None,
                 raw: RawBoundaries | None = None) -> BoundaryPreview:
    """Read ``data`` in the limited child and match it (``raw``: an earlier read of the same
    file, so that picking a suggestion does not read the file again).

    Raises :class:`cakupan.geo.byo.BoundaryFileError` (one line, translated) for a file
    that cannot be used.
    """
    start = time.perf_counter()
    if raw is None:
        raw = read_limited(data, file_name, limits=limits, geo_limits=geo_limits)
    read_s = time.perf_counter() - start
    start = time.perf_counter()
    report = byo.match(raw, level=level, code_field=code_field, name_field=name_field,
                       picks=picks)
    return BoundaryPreview(raw, report, read_s, time.perf_counter() - start)


def _regions_geometry(preview: BoundaryPreview) -> tuple[list[str], list[str], np.ndarray]:
    """One geometry per matched region (a region's several features are united)."""
    geoms = preview.raw.geometries()
    by_code: dict[str, list] = {}
    for m in preview.report.matched:
        by_code.setdefault(m.code, []).append(geoms[m.index])
    codes = sorted(by_code)
    united = np.array([parts[0] if len(parts) == 1 else shapely.union_all(parts)
                       for parts in (by_code[c] for c in codes)], dtype=object)
    return codes, [regions.name_of(c) for c in codes], united


def apply_preview(preview: BoundaryPreview, engine: Engine, *, actor: Actor | None,
                  licence: str, source: str | None = None, scope: str = "covered",
                  activate: bool = True) -> dict:
    """Store the previewed file as a new boundary version, built and (by default) active.

    Returns the version's row with ``build`` (the build's summary) and ``build_seconds``.

    Raises
    ------
    PermissionDenied
        Anyone but an admin (checked before anything is written or built).
    CakupanError
        No matched region, no licence text, or an unknown scope.
    """
    require(actor, "boundaries")
    if preview.level != "regency":  # district and village maps are per regency (issue 13)
        raise byo.BoundaryFileError("level_apply_unsupported", level=preview.level)
    if scope not in byo.SCOPES:
        raise CakupanError(f"unknown scope {scope!r}; expected one of {', '.join(byo.SCOPES)}")
    if not " ".join(str(licence or "").split()):
        raise CakupanError("a boundary version needs the licence text of its source")
    if not preview.report.matched:
        raise CakupanError("no feature of the file matched a region; nothing to apply")
    version_id = versions.new_version_id()
    codes, names, geoms = _regions_geometry(preview)
    start = time.perf_counter()
    byo.save_matched(version_id, codes, names, geoms)
    summary = byo.build_version(version_id, scope)
    build_s = time.perf_counter() - start
    detail = {**preview.details(), "features": preview.raw.features,
              "repaired": preview.raw.repaired, "unmatched": len(preview.report.unmatched),
              "build_seconds": round(build_s, 3), "bytes_by_view": summary["bytes"]}
    row = versions.add_version(engine, actor=actor, version_id=version_id,
                               level=preview.level, source=source or preview.raw.file_name,
                               licence=licence, sha256=preview.raw.sha256, scope=scope,
                               regions=codes, detail=detail, activate=activate)
    return {**row, "build": summary, "build_seconds": round(build_s, 3)}
