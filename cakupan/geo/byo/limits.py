"""What a boundary file brought by an admin may cost (STYLE.md 19), as one value.

The CPU seconds and memory of the child process that reads it are the spreadsheet importer's
(:class:`cakupan.ingest.limits.Limits`); these bound the file itself. Tests pass their own
small value (``dataclasses.replace(GeoFileLimits.from_settings(), zip_entries=2)``).
"""

from __future__ import annotations

from dataclasses import dataclass

from cakupan.core import settings
from cakupan.core.errors import CakupanError


@dataclass(frozen=True)
class GeoFileLimits:
    """``file_bytes``: the file as given; ``zip_entries`` and ``zip_unpacked_bytes``: a zip's
    entries and the sum of their uncompressed sizes (as declared, and as actually read);
    ``features``: features in the layer read."""

    file_bytes: int
    zip_entries: int
    zip_unpacked_bytes: int
    features: int

    @classmethod
    def from_settings(cls) -> GeoFileLimits:
        """The limits the environment sets now; a malformed variable is named, not ignored."""
        try:
            return cls(file_bytes=settings.geo_file_max_bytes(),
                       zip_entries=settings.geo_zip_max_entries(),
                       zip_unpacked_bytes=settings.geo_zip_max_uncompressed_bytes(),
                       features=settings.geo_file_max_features())
        except ValueError as err:
            raise CakupanError(f"invalid boundary file limit: {err}") from err
