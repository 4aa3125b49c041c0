"""Importing a file: parse it and, only when no row has an error, write it as one batch through
:func:`cakupan.store.write_batch` (all-or-nothing; the same file twice is a no-op there).
"""

from __future__ import annotations

import errno
import hashlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from cakupan import store
from cakupan.core.access import ANONYMOUS, Actor, require
from cakupan.core.errors import CakupanError
from cakupan.ingest.limits import Limits
from cakupan.ingest.mapping import ColumnMap
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


def source_for(file_name: str, file_sha256: str) -> dict[str, Any]:
    """The ``sources`` row of an uploaded file (kind "upload"), keyed by its content.

    Cited by its file name: sources are public, so who uploaded it (an e-mail address) stays
    in the batch and the audit trail, not in the citation.
    """
    today = pd.Timestamp.now(tz="UTC").strftime("%Y-%m-%d")
    return {"id": f"upload-{file_sha256[:12]}", "kind": "upload", "publisher": None,
            "title": file_name, "url": None, "published": None, "accessed": today,
            "quote": None, "notes": f"uploaded file {file_name}, sha256 {file_sha256}"}


def import_file(path_or_bytes: bytes | str | Path, file_name: str | None = None, *,
                segment: str | None = None, period: str | None = None,
                sheet: str | None = None, province: str | None = None,
                dry_run: bool = False, actor: Actor | None = None, engine: Any = None,
                lang: str = "id", resolver: Resolver | None = None,
                prefer_upload: bool = False, limits: Limits | None = None,
                column_map: ColumnMap | None = None) -> ImportResult:
    """Parse a file and, if no row has an error, write it as one batch (all-or-nothing).

    The file is parsed in a sandboxed child process
    (:func:`~cakupan.ingest.sandbox.parse_file_limited`) within ``limits`` (default: the
    environment's, :meth:`Limits.from_settings`).

    ``actor`` is who imports: an editor's file may only hold rows of its provinces (rows
    outside are row errors), and the store checks again where it writes. Keys that already
    have a published figure come back in ``conflicts``; the published figure stays the one
    shown unless ``prefer_upload`` (an editor's recorded, reversible choice).

    Raises
    ------
    CakupanError
        For problems with the whole file (:class:`IngestError`), a refused actor
        (:class:`~cakupan.core.access.PermissionDenied`) and store failures; row problems are
        returned in ``errors``, never raised.
    """
    who = actor or ANONYMOUS
    if not dry_run:
        require(who, "import")  # before reading a byte: an anonymous caller learns nothing
    limits = limits or Limits.from_settings()
    data, name = _read_bytes(path_or_bytes, file_name, limits)
    file_sha = hashlib.sha256(data).hexdigest()
    sha = content_key(data, segment=segment, period=period, sheet=sheet, province=province,
                      column_map=column_map.to_text() if column_map else None)
    allowed = None if who.role == "admin" or not who.signed_in else who.provinces
    try:
        parsed = parse_file_limited(data, name, segment=segment, period=period, sheet=sheet,
                                    province=province, lang=lang, resolver=resolver,
                                    allowed_provinces=allowed, limits=limits,
                                    column_map=column_map or None)
    except CakupanError:
        raise
    except Exception as err:  # a bug on our side: logged, one sentence for the person
        log.exception("checking %r failed", name)
        raise ImportUnavailable("check_failed") from err
    result = ImportResult(None, parsed.rows, 0, parsed.errors, parsed.unmatched,
                          would_import=len(parsed.observations), dry_run=dry_run, sha256=sha,
                          observations=parsed.observations, error_count=parsed.error_count,
                          error_counts=dict(parsed.error_counts),
                          warnings=list(parsed.warnings))
    if not parsed.ok or parsed.observations.empty:
        return result
    source = source_for(name, file_sha)
    obs = parsed.observations.assign(source_id=source["id"])
    with saving(name):
        engine = engine if engine is not None else store.get_engine()
        result.conflicts = _conflicts(store.published_conflicts(engine, obs))
        if dry_run:
            return result
        batch_id = store.write_batch(engine, obs, file_name=name, sha256=sha, actor=who,
                                     kind="upload", source=source)
        if prefer_upload and batch_id is not None and result.conflicts:
            store.prefer_upload(engine, batch_id, actor=who)
    result.batch_id = batch_id
    result.already_imported = batch_id is not None and not batch_id.created
    result.imported = 0 if result.already_imported else len(obs)
    return result


@contextmanager
def saving(name: str) -> Iterator[None]:
    """Around an import's writes: a store failure (down, locked, disk full) is not the file's
    fault, so it becomes :class:`ImportUnavailable` with the reason a person can act on, and
    the details go to the log. Refusals meant for people (CakupanError) pass unchanged."""
    try:
        yield
    except CakupanError:
        raise
    except Exception as err:
        log.exception("saving %r failed", name)
        raise ImportUnavailable("store_full" if storage_full(err) else "save_failed") from err


#: How each driver says "no space left": SQLite's result code, PostgreSQL's SQLSTATE
#: ``disk_full`` (class 53, insufficient resources), and the operating system's ``ENOSPC``.
_SQLITE_FULL = "SQLITE_FULL"
_PG_DISK_FULL = "53100"


def storage_full(err: BaseException) -> bool:
    """Whether ``err`` (or what caused it) is the store's disk being full.

    Why it matters: every other store failure may pass ("try again later"), a full disk does
    not until someone frees space, so the person is told that instead. Read from the driver's
    error code, never from its message text (which is worded per version and language). The
    chain is walked because SQLAlchemy wraps the driver's error (``.orig``, ``__cause__``).
    """
    seen: set[int] = set()
    todo: list[BaseException | None] = [err]
    while todo:
        current = todo.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if (getattr(current, "sqlite_errorname", None) == _SQLITE_FULL
                or getattr(current, "sqlstate", None) == _PG_DISK_FULL
                or (isinstance(current, OSError) and current.errno == errno.ENOSPC)):
            return True
        orig = getattr(current, "orig", None)
        todo += [orig if isinstance(orig, BaseException) else None,
                 current.__cause__, current.__context__]
    return False


def _conflicts(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Conflicts as JSON-ready rows (CONTRACTS.md command 3, ``conflicts``)."""
    out = []
    for row in frame.to_dict("records"):
        out.append({
            "period": row["period"], "region": row["region_code"], "scope": row["scope"],
            "segment": row["segment"], "programme": row["programme"],
            "published": {k: _plain(row[k]) for k in ("registered", "eligible", "coverage_pct")},
            "upload": {k: _plain(row[f"upload_{k}"])
                       for k in ("registered", "eligible", "coverage_pct")},
            "source_id": row["source_id"]})
    return out


def _plain(value: object) -> object:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return None
    try:
        return int(value) if float(value).is_integer() else float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
