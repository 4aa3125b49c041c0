"""Importing a big file from the server's disk: a branch's national export (1.2M rows, 45 MB)
streamed in chunks, still all-or-nothing. What ``python -m cakupan import`` (the operator)
runs, and what an admin tool that takes files already on the server should call.

The web upload (:func:`~cakupan.ingest.importer.import_file`) holds the whole file, its parse
and its rows in memory at once, which is why it keeps its 25 MB and 200,000-row caps. Here:

- the file is read by a sandboxed child (:func:`~cakupan.ingest.sandbox.stream_limited`),
  twice, in chunks (:mod:`cakupan.ingest.stream`): each chunk within the CPU-time and memory
  limits an upload has, the file within :meth:`Limits.for_command_line` (size, rows);
- chunks go straight into one transaction (:func:`cakupan.store.write_batch_chunks`, with
  ``COPY`` on PostgreSQL) under a staging batch that becomes active in its final update;
- a row error anywhere, the last chunk included, rolls all of it back, and the answer is the
  one :func:`import_file` gives for the same file: rows, errors (the first ones, all counted),
  unmatched names, conflicts with published figures, the batch.

Memory is a chunk's in each process, whatever the file's size (measured: README,
"Performance"; ``python -m cakupan bench --only data_scale``).
"""

from __future__ import annotations

import hashlib
import itertools
from pathlib import Path
from typing import Any

import pandas as pd

from cakupan import store
from cakupan.core import settings
from cakupan.core.access import ANONYMOUS, Actor, require
from cakupan.core.errors import CakupanError
from cakupan.ingest.importer import _conflicts, saving, source_for
from cakupan.ingest.limits import Limits
from cakupan.ingest.mapping import ColumnMap
from cakupan.ingest.read import ImportUnavailable, check_upload_size
from cakupan.ingest.region_column import Resolver
from cakupan.ingest.results import ImportResult
from cakupan.ingest.sandbox import stream_limited

_BLOCK = 1 << 20


class _RowsRefused(Exception):
    """Raised into the writer after the last chunk when a row had an error: it rolls back."""


def file_keys(path: Path, **options: str | None) -> tuple[str, str]:
    """The file's sha256 and its batch key, read in blocks: the same values
    :func:`~cakupan.ingest.importer.content_key` gives for the file's bytes, so a file
    imported by either path is the same batch to the other."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(_BLOCK):
            digest.update(block)
    file_sha = digest.hexdigest()
    used = {k: v for k, v in sorted(options.items()) if v is not None}
    if used:
        digest.update(b"\0cakupan-import-options\0" + repr(sorted(used.items())).encode())
    return file_sha, digest.hexdigest()


def import_large_file(path: str | Path, file_name: str | None = None, *,
                      segment: str | None = None, period: str | None = None,
                      sheet: str | None = None, province: str | None = None,
                      dry_run: bool = False, actor: Actor | None = None, engine: Any = None,
                      lang: str = "id", resolver: Resolver | None = None,
                      prefer_upload: bool = False, limits: Limits | None = None,
                      chunk_rows: int | None = None,
                      column_map: ColumnMap | None = None) -> ImportResult:
    """:func:`~cakupan.ingest.importer.import_file` for a file on disk of any size up to
    ``limits`` (default :meth:`Limits.for_command_line`), read and written in chunks of
    ``chunk_rows`` (default ``CAKUPAN_IMPORT_CHUNK_ROWS``).

    Same arguments, result and errors as :func:`import_file`, except that the result holds
    no ``observations`` frame (they went to the store chunk by chunk). ``actor`` is checked
    before a byte is read and, per chunk, for the provinces its rows touch.

    Raises
    ------
    CakupanError
        The file refused whole (:class:`IngestError`: size, type, header, rows over the
        limit, a chunk over its CPU time or memory), a refused actor, the store failing.
    """
    who = actor or ANONYMOUS
    if not dry_run:
        require(who, "import")
    limits = limits or Limits.for_command_line()
    chunk_rows = chunk_rows or settings.import_chunk_rows()
    path = Path(path)
    name = file_name or path.name
    try:
        check_upload_size(path.stat().st_size, limits)
        file_sha, sha = file_keys(path, segment=segment, period=period, sheet=sheet,
                                  province=province,
                                  column_map=column_map.to_text() if column_map else None)
    except OSError as err:
        raise CakupanError(f"cannot read {path}: {err.strerror or err}") from err
    allowed = None if who.role == "admin" or not who.signed_in else who.provinces
    source = source_for(name, file_sha)
    parse = stream_limited(path, name, segment=segment, period=period, sheet=sheet,
                           province=province, lang=lang, resolver=resolver, limits=limits,
                           chunk_rows=chunk_rows, allowed_provinces=allowed,
                           column_map=column_map or None)
    counts = {"observations": 0, "refused": 0}
    conflicts: list[dict[str, Any]] = []

    def checked() -> Any:
        """Chunks to write while every row so far is good; then only counted. Raises
        :class:`_RowsRefused` at the end if any row had an error, which rolls back."""
        for observations, errors_so_far in parse:
            counts["observations"] += len(observations)
            if errors_so_far:
                counts["refused"] = errors_so_far
                continue
            if len(observations):
                yield observations.assign(source_id=source["id"])
        if counts["refused"] or (parse.result is not None and not parse.result.ok):
            raise _RowsRefused

    def conflicts_of(observations: pd.DataFrame) -> None:
        conflicts.extend(_conflicts(store.published_conflicts(engine, observations)))

    batch_id = None
    try:
        with saving(name):
            engine = engine if engine is not None else store.get_engine()
            chunks = checked()
            try:
                first = next(chunks, None)  # the survey and the first chunk: nothing to write
                if first is None:  # is no batch, as for the whole-file import
                    pass
                elif dry_run:
                    for observations in itertools.chain([first], chunks):
                        conflicts_of(observations)
                else:
                    batch_id = store.write_batch_chunks(
                        engine, itertools.chain([first], chunks), file_name=name, sha256=sha,
                        actor=who, source=source, on_chunk=conflicts_of)
            except _RowsRefused:
                batch_id = None
            if prefer_upload and batch_id is not None and conflicts:
                store.prefer_upload(engine, batch_id, actor=who)
    finally:
        parse.close()
    parsed = parse.result
    if parsed is None:  # the child ended without its answer and raised nothing: a bug
        raise ImportUnavailable("check_failed")
    result = ImportResult(batch_id, parsed.rows, 0, parsed.errors, parsed.unmatched,
                          would_import=counts["observations"], dry_run=dry_run, sha256=sha,
                          error_count=parsed.error_count,
                          error_counts=dict(parsed.error_counts),
                          warnings=list(parsed.warnings))
    if not parsed.ok:
        result.batch_id = None
        return result
    result.conflicts = conflicts
    result.already_imported = batch_id is not None and not batch_id.created
    result.imported = (0 if result.already_imported or batch_id is None
                       else counts["observations"])
    return result
