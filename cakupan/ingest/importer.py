"""Importing a file: parse it and, only when no row has an error, write it as one batch through
:func:`cakupan.store.write_batch` (all-or-nothing; the same file twice is a no-op there).
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any

import pandas as pd

from cakupan import store
from cakupan.core.errors import CakupanError
from cakupan.ingest.limits import Limits
from cakupan.ingest.read import ImportUnavailable, check_upload_size
from cakupan.ingest.region_column import Resolver
from cakupan.ingest.results import ImportResult
from cakupan.ingest.sandbox import parse_file_limited

log = logging.getLogger(__name__)


def _read_bytes(path_or_bytes: bytes | str | Path, file_name: str | None,
                limits: Limits) -> tuple[bytes, str]:
    """The file's bytes and name; a file on disk above the upload limit is refused by its
    size, before a byte of it is read."""
    if isinstance(path_or_bytes, bytes | bytearray | memoryview):
        check_upload_size(len(path_or_bytes), limits)
        return bytes(path_or_bytes), file_name or "upload"
    path = Path(path_or_bytes)
    name = file_name or path.name
    try:
        check_upload_size(path.stat().st_size, limits)
        return path.read_bytes(), name
    except OSError as err:
        raise CakupanError(f"cannot read {path}: {err.strerror or err}") from err


def content_key(data: bytes, **options: str | None) -> str:
    """The batch's sha256: of the bytes alone, or of bytes + options when options were given.

    The same bytes read with another ``--segment``, ``--period``, ``--sheet`` or province are
    different figures; hashing only the bytes would make the store treat the second import
    as "already imported" and silently keep the wrong ones.
    """
    used = {k: v for k, v in sorted(options.items()) if v is not None}
    digest = hashlib.sha256(data)
    if used:
        digest.update(b"\0cakupan-import-options\0" + repr(sorted(used.items())).encode())
    return digest.hexdigest()


def source_for(file_name: str, file_sha256: str, imported_by: str) -> dict[str, Any]:
    """The ``sources`` row of an uploaded file (kind "upload"), keyed by its content."""
    today = pd.Timestamp.now(tz="UTC").strftime("%Y-%m-%d")
    return {"id": f"upload-{file_sha256[:12]}", "kind": "upload", "publisher": imported_by,
            "title": file_name, "url": None, "published": None, "accessed": today,
            "quote": None, "notes": f"uploaded file {file_name}, sha256 {file_sha256}"}


def import_file(path_or_bytes: bytes | str | Path, file_name: str | None = None, *,
                segment: str | None = None, period: str | None = None,
                sheet: str | None = None, province: str | None = None,
                dry_run: bool = False, imported_by: str = "cli", engine: Any = None,
                lang: str = "id", resolver: Resolver | None = None,
                limits: Limits | None = None) -> ImportResult:
    """Parse a file and, if no row has an error, write it as one batch (all-or-nothing).

    The file is parsed in a sandboxed child process
    (:func:`~cakupan.ingest.sandbox.parse_file_limited`) within ``limits`` (default: the
    environment's, :meth:`Limits.from_settings`).

    Raises
    ------
    CakupanError
        For problems with the whole file (:class:`IngestError`) and store failures; row
        problems are returned in ``errors``, never raised.
    """
    limits = limits or Limits.from_settings()
    data, name = _read_bytes(path_or_bytes, file_name, limits)
    file_sha = hashlib.sha256(data).hexdigest()
    sha = content_key(data, segment=segment, period=period, sheet=sheet, province=province)
    try:
        parsed = parse_file_limited(data, name, segment=segment, period=period, sheet=sheet,
                                    province=province, lang=lang, resolver=resolver,
                                    limits=limits)
    except CakupanError:
        raise
    except Exception as err:  # a bug on our side: logged, one sentence for the person
        log.exception("checking %r failed", name)
        raise ImportUnavailable("check_failed") from err
    result = ImportResult(None, parsed.rows, 0, parsed.errors, parsed.unmatched,
                          would_import=len(parsed.observations), dry_run=dry_run, sha256=sha,
                          error_count=parsed.error_count,
                          error_counts=dict(parsed.error_counts))
    if not parsed.ok or dry_run or parsed.observations.empty:
        return result
    source = source_for(name, file_sha, imported_by)
    obs = parsed.observations.assign(source_id=source["id"])
    try:
        engine = engine if engine is not None else store.get_engine()
        existing = _batch_with_sha(store, engine, sha)
        batch_id = store.write_batch(engine, obs, file_name=name, sha256=sha,
                                     imported_by=imported_by, kind="upload", source=source)
    except CakupanError:
        raise
    except Exception as err:  # the store failed (down, locked, disk full): not the file
        log.exception("saving %r failed", name)
        raise ImportUnavailable("save_failed") from err
    result.batch_id = batch_id
    result.already_imported = existing is not None and existing == batch_id
    result.imported = 0 if result.already_imported else len(obs)
    return result


def _batch_with_sha(store: Any, engine: Any, sha: str) -> str | None:
    """Id of an active batch that already holds these exact bytes, if any."""
    batches = store.list_batches(engine)
    if batches is None or batches.empty or "sha256" not in batches:
        return None
    active = batches.get("status", pd.Series("active", index=batches.index)) == "active"
    upload = batches.get("kind", pd.Series("upload", index=batches.index)) == "upload"
    hit = batches[(batches["sha256"] == sha) & active & upload]
    return None if hit.empty else str(hit.iloc[0]["id"])
