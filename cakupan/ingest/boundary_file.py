"""Read a boundary file in the same limited child process as spreadsheet uploads.

GDAL parsing a file from outside is what :mod:`cakupan.ingest.sandbox` exists for: the child
(forked from the same fork server) gets the importer's CPU-time and memory limits
(:class:`cakupan.ingest.limits.Limits`), reads the file with
:func:`cakupan.geo.byo.read_boundary_bytes` under the boundary file's own limits
(:class:`cakupan.geo.byo.GeoFileLimits`) and answers with the features or the file's
refusal; a child that dies is reported as the limit it hit, in one line, never a traceback.
"""

from __future__ import annotations

import logging
import time
from multiprocessing.connection import Connection
from typing import Any

from cakupan.geo.byo import BoundaryFileError, GeoFileLimits, RawBoundaries, read_boundary_bytes
from cakupan.ingest import sandbox
from cakupan.ingest.limits import Limits

log = logging.getLogger(__name__)


def _child(conn: Connection, data: bytes, file_name: str, geo_limits: GeoFileLimits,
           limits: Limits) -> None:
    reserve: bytearray | None = bytearray(sandbox._RESERVE_BYTES)
    try:
        try:
            sandbox._apply_limits(limits)
            payload: tuple[Any, ...] = ("ok", read_boundary_bytes(data, file_name, geo_limits))
        except BoundaryFileError as err:
            payload = ("refused", err)
        except MemoryError:
            reserve = None
            payload = ("memory", None)
        except BaseException as err:  # a bug in the reader: the parent logs it
            payload = ("failed", f"{type(err).__name__}: {err}")
        del data
        try:
            conn.send((*payload, *sandbox._usage()))
        except MemoryError:
            reserve = None
            conn.send(("memory", None, *sandbox._usage()))
    finally:
        del reserve
        conn.close()


def read_limited(data: bytes, file_name: str, *, limits: Limits | None = None,
                 geo_limits: GeoFileLimits | None = None) -> RawBoundaries:
    """:func:`~cakupan.geo.byo.read_boundary_bytes` in a sandboxed child.

    The size is checked here first, so an oversized file never reaches a child.

    Raises
    ------
    BoundaryFileError
        The file's refusal, or ``limit_cpu``/``limit_memory``/``limit_time`` when the child hit
        a limit, or ``check_failed`` when the reader itself failed (logged).
    """
    limits = limits or Limits.from_settings()
    geo_limits = geo_limits or GeoFileLimits.from_settings()
    if len(data) > geo_limits.file_bytes:
        raise BoundaryFileError("too_big", mb=round(len(data) / 2**20, 1),
                                limit_mb=round(geo_limits.file_bytes / 2**20, 1))
    wait = limits.cpu_seconds * sandbox.WALL_FACTOR + sandbox.WALL_GRACE_S
    start = time.monotonic()
    payload, timed_out, exitcode = sandbox.run_child(
        _child, (data, file_name, geo_limits, limits), name="cakupan-geo-read", wait_s=wait)
    status = payload[0] if payload is not None else (
        "time" if timed_out else sandbox._classify_death(exitcode))
    log.info("boundary file %r read in a child: %s after %.1f s (exit code %s)", file_name,
             status, time.monotonic() - start, exitcode)
    if status == "ok":
        return payload[1]
    if status == "refused":
        raise payload[1]
    if status == "cpu":
        raise BoundaryFileError("limit_cpu", seconds=limits.cpu_seconds)
    if status == "memory":
        raise BoundaryFileError("limit_memory", limit_mb=round(limits.memory_bytes / 2**20))
    if status == "time":
        raise BoundaryFileError("limit_time", seconds=round(wait))
    log.error("the boundary file reader failed on %r: %s", file_name,
              payload[1] if payload else f"exit code {exitcode}")
    raise BoundaryFileError("check_failed")
