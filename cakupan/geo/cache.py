"""Where built boundary views live: one cache folder per pinned registry and pipeline version.

The folder name is ``v<PIPELINE_VERSION>-<registry sha256 prefix>``, so a new pin or a new
pipeline builds a new folder and old ones are pruned; a folder counts only once its
:data:`MANIFEST` is written (the build's last step).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from cakupan.core import settings
from cakupan.core.errors import CakupanError
from cakupan.geo import source as geo_source

#: Bump when the pipeline's output changes, so stale caches rebuild.
PIPELINE_VERSION = 1
NATIONAL = "national"
ATTRIBUTION = (
    "Batas wilayah: cahyadsn/wilayah_boundaries (MIT), "
    "kode wilayah sesuai Kepmendagri No 300.2.2-2430 Tahun 2025"
)
#: File of a built cache folder that holds the build summary; present = the build finished.
MANIFEST = "manifest.json"


def registry_of_pins() -> dict:
    """The pinned registry of upstream files, re-read only when the file changes."""
    return _registry_cached(str(geo_source.REGISTRY_PATH),
                            geo_source.REGISTRY_PATH.stat().st_mtime_ns
                            if geo_source.REGISTRY_PATH.exists() else 0)


@lru_cache(maxsize=4)
def _registry_cached(path: str, _mtime: int) -> dict:
    return geo_source.load_registry(Path(path))


@lru_cache(maxsize=4)
def _digest(path: str, _mtime: int) -> str:
    return geo_source.registry_digest(Path(path))


def cache_key() -> str:
    """``v<pipeline>-<registry sha256 prefix>``: the name of the current cache folder."""
    path = geo_source.REGISTRY_PATH
    return f"v{PIPELINE_VERSION}-{_digest(str(path), path.stat().st_mtime_ns)[:12]}"


def cache_path() -> Path:
    """Folder holding the built views for the current registry and pipeline."""
    return settings.cache_dir() / cache_key()


def raw_dir() -> Path:
    """Where downloaded upstream files are kept (verified before every use)."""
    return settings.cache_dir() / "raw"


def views() -> list[str]:
    """Every valid view name: ``"national"`` and the province codes of the registry."""
    return [NATIONAL, *geo_source.province_codes(registry_of_pins())]


def check_view(view: str) -> str:
    """Return ``view`` if it names a view, else raise a one-line :class:`CakupanError`."""
    view = str(view).strip()
    codes = geo_source.province_codes(registry_of_pins())
    if view != NATIONAL and view not in codes:
        raise CakupanError(
            f"unknown view {view!r}: expected 'national' or a province code "
            f"({', '.join(codes[:3])}, …, {codes[-1]})"
        )
    return view
