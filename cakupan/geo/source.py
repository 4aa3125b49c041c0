"""Where the boundary files come from, and proof that they are the files we pinned.

The committed registry (``geo/registry.json``) names the upstream repository, the pinned
commit, and for every province file its path, raw URL and sha256. A source is either a local
folder laid out like the upstream repository (``CAKUPAN_GEO_MIRROR``) or a base URL (the
pinned upstream by default); downloads land in the cache's ``raw/`` folder and are verified
before use, so a changed upstream file is refused rather than silently drawn.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import urllib.error
import urllib.request
from functools import lru_cache
from pathlib import Path

from cakupan.core import settings
from cakupan.core.errors import CakupanError, GeoUnavailable

REGISTRY_PATH = settings.GEO_DIR / "registry.json"
UPSTREAM_REPOSITORY = "cahyadsn/wilayah_boundaries"
FILE_TEMPLATE = "db/kab/wilayah_boundaries_kab_{code}.sql"
DOWNLOAD_TIMEOUT_S = 30.0
PROBE_TIMEOUT_S = 3.0

UNAVAILABLE_MESSAGE = (
    "Peta tidak tersedia: batas wilayah belum diunduh — jalankan `python -m cakupan geo build` "
    "dengan internet, atau set CAKUPAN_GEO_MIRROR ke salinan lokal."
)

_DESC = re.compile(r"^desc\s*:\s*Data wilayah_boundaries kab (\d{2}) (.+?)\s*$", re.MULTILINE)


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file, read in chunks (the largest province file is ~1 MB)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def load_registry(path: Path = REGISTRY_PATH) -> dict:
    """Read and check the registry; say what was expected if it is malformed."""
    try:
        registry = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise CakupanError(f"boundary registry {path} is missing") from err
    except json.JSONDecodeError as err:
        raise CakupanError(f"boundary registry {path} is not valid JSON ({err.msg})") from err
    files = registry.get("files")
    if not isinstance(files, dict) or not files:
        raise CakupanError(f"boundary registry {path} lacks a 'files' object keyed by province")
    for code, entry in files.items():
        missing = [k for k in ("path", "sha256", "name") if k not in entry]
        if missing or not re.fullmatch(r"\d{2}", code):
            raise CakupanError(
                f"boundary registry {path}: entry {code!r} lacks {missing}; "
                "expected a 2-digit province code with path, sha256 and name"
            )
    return registry


def registry_digest(path: Path = REGISTRY_PATH) -> str:
    """sha256 of the registry file: part of the cache key, so new pins rebuild the cache."""
    return sha256_file(Path(path))


def province_codes(registry: dict) -> list[str]:
    """The province codes the registry pins, sorted."""
    return sorted(registry["files"])


def is_url(source: str) -> bool:
    return bool(re.match(r"^(https?|file)://", source))


def _one_line(err: BaseException) -> str:
    return " ".join(str(getattr(err, "reason", err) or type(err).__name__).split())


def unavailable(detail: str) -> GeoUnavailable:
    """The single-line error every caller shows when no source can be read."""
    return GeoUnavailable(f"{UNAVAILABLE_MESSAGE} ({' '.join(detail.split())})")


def verify(path: Path, entry: dict) -> None:
    """Refuse a file whose sha256 differs from the registry."""
    actual = sha256_file(path)
    if actual != entry["sha256"]:
        raise CakupanError(
            f"sha256 mismatch for {entry['path']}: expected {entry['sha256'][:12]}…, got "
            f"{actual[:12]}… — the source differs from the pinned registry; refusing to use it"
        )


def _download(url: str, target: Path) -> None:
    part = target.with_name(target.name + ".part")
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT_S) as resp, \
                open(part, "wb") as out:
            shutil.copyfileobj(resp, out)
    except (urllib.error.URLError, TimeoutError, OSError) as err:
        part.unlink(missing_ok=True)
        raise unavailable(f"{url}: {_one_line(err)}") from err
    part.replace(target)


def fetch(entry: dict, source: str, raw_dir: Path) -> Path:
    """A verified local copy of one registry file, from ``source`` or an earlier download.

    Raises
    ------
    GeoUnavailable
        When the file can be neither read from the folder nor downloaded.
    CakupanError
        When the file's sha256 differs from the registry (it is then deleted if downloaded).
    """
    if not is_url(source):
        path = Path(source) / entry["path"]
        if not path.is_file():
            raise unavailable(f"{path} tidak ada")
        verify(path, entry)
        return path
    target = raw_dir / Path(entry["path"]).name
    if target.is_file() and sha256_file(target) == entry["sha256"]:
        return target
    _download(source.rstrip("/") + "/" + entry["path"], target)
    try:
        verify(target, entry)
    except CakupanError:
        target.unlink(missing_ok=True)
        raise
    return target


def fetch_all(registry: dict, source: str, raw_dir: Path) -> dict[str, Path]:
    """Verified local paths of every province file, keyed by province code."""
    return {code: fetch(registry["files"][code], source, raw_dir)
            for code in province_codes(registry)}


@lru_cache(maxsize=8)
def _probe(url: str) -> bool:
    """One short HEAD request; remembered per process so a page never waits twice."""
    request = urllib.request.Request(url, method="HEAD")
    try:
        with urllib.request.urlopen(request, timeout=PROBE_TIMEOUT_S) as resp:
            return 200 <= resp.status < 400
    except (urllib.error.URLError, TimeoutError, OSError):
        return False


def reachable(registry: dict, source: str, raw_dir: Path) -> bool:
    """Whether every file can be had: local files exist, or a download looks possible."""
    entries = [registry["files"][c] for c in province_codes(registry)]
    if not is_url(source):
        return all((Path(source) / e["path"]).is_file() for e in entries)
    pending = [e for e in entries if not (raw_dir / Path(e["path"]).name).is_file()]
    return not pending or _probe(source.rstrip("/") + "/" + pending[0]["path"])


def make_registry(mirror: Path, commit: str = settings.GEO_UPSTREAM_COMMIT) -> dict:
    """Compute a registry from a local mirror (run once when the pin moves).

    Province names are read from each file's ``desc`` header line.
    """
    files = {}
    for path in sorted((Path(mirror) / "db" / "kab").glob("wilayah_boundaries_kab_*.sql")):
        head = path.read_text(encoding="utf-8", errors="replace")[:2000]
        match = _DESC.search(head)
        if match is None:
            raise CakupanError(f"{path}: no 'desc' header line naming the province")
        code, name = match.groups()
        rel = FILE_TEMPLATE.format(code=code)
        files[code] = {
            "name": name,
            "path": rel,
            "url": f"https://raw.githubusercontent.com/{UPSTREAM_REPOSITORY}/{commit}/{rel}",
            "bytes": path.stat().st_size,
            "sha256": sha256_file(path),
        }
    return {
        "upstream": {"repository": UPSTREAM_REPOSITORY, "commit": commit,
                     "base_url": f"https://raw.githubusercontent.com/{UPSTREAM_REPOSITORY}/{commit}",
                     "licence": "MIT"},
        "files": files,
    }


def write_registry(mirror: Path, path: Path = REGISTRY_PATH) -> dict:
    """Write :func:`make_registry` output as stable, diff-friendly JSON."""
    registry = make_registry(mirror)
    Path(path).write_text(json.dumps(registry, indent=1, ensure_ascii=False) + "\n",
                          encoding="utf-8")
    return registry
