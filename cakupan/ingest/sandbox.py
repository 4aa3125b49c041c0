"""Parse an uploaded file in a child process that has a CPU-time and a memory limit.

:func:`cakupan.ingest.parse.parse_file` is pure but not cheap: a crafted file can make any
parser spin or swell. Running it in a child with ``RLIMIT_CPU`` and ``RLIMIT_AS`` (see
:class:`~cakupan.ingest.limits.Limits`) means a hostile file costs the server at most that
much, is refused in seconds with a one-line message, and cannot take the memory of the
process that serves every other viewer. Nothing in the child is trusted: it answers with a
:class:`ParseResult` (pickled) or an :class:`IngestError` by key, and if it dies the parent
says which limit it hit, never a traceback.

**Why forkserver.** The app is a threaded server; ``fork()`` from a process with threads
copies locks that other threads hold (a logging or malloc lock can deadlock the child). A
*fork server* is a fresh, single-threaded interpreter started once (fork+exec); each parse is
a ``fork()`` of it, so it is safe from threads and, because the server has already imported
pandas, openpyxl and the importer (``_PRELOAD``), cheap. Measured on the 2-core development
machine (``python -m cakupan bench --only sandbox_overhead_ms,sandbox_first_start_s``):

- first use in a process (starting the fork server and importing the preload): 1.2-2.0 s,
  which the app can pay at start-up with :func:`warm_up`;
- after that, per parse, a tiny CSV in the child vs in-process: 27-46 ms more (median);
- ``spawn`` (a fresh interpreter per parse, the alternative) costs 1.6-1.9 s per parse
  because every child imports pandas again.

The fork server lives as long as the process that started it (about 100 MB resident with
pandas imported); the children it forks start with its address space (about 380 MB virtual),
which counts against ``Limits.memory_bytes``.
"""

from __future__ import annotations

import logging
import math
import multiprocessing
import os
import pickle
import signal
import sys
import threading
import time
import traceback
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from cakupan.core.errors import CakupanError
from cakupan.ingest.limits import Limits
from cakupan.ingest.mapping import Head, file_head
from cakupan.ingest.parse import HEADER_SEARCH_ROWS, parse_file
from cakupan.ingest.read import ImportUnavailable, IngestError, check_upload_size
from cakupan.ingest.region_column import Resolver
from cakupan.ingest.results import ParseResult
from cakupan.ingest.stream import StreamedParse

log = logging.getLogger(__name__)

#: Imported once by the fork server, so each child starts with them ready: ``warm`` parses
#: a tiny CSV and XLSX (loading the region tables and openpyxl's reader), and ``__main__``
#: keeps every child from re-running the parent's main script (``streamlit``'s launcher).
_PRELOAD = ["__main__", "cakupan.ingest.sandbox", "cakupan.ingest.warm"]
#: Wall-clock allowance before the parent kills a child that is not using its CPU (blocked,
#: or starved on a busy machine): ``cpu_seconds * factor + grace``.
WALL_FACTOR = 3
WALL_GRACE_S = 10.0
#: Bytes the child sets aside and frees on ``MemoryError``, so it can still say so.
_RESERVE_BYTES = 2 << 20

_lock = threading.Lock()
_context: Any = None
#: Stands in for ``__main__`` while a child starts (see :func:`_start`).
_NEUTRAL_MAIN = types.ModuleType("__main__")
_start_lock = threading.Lock()


def _start(proc: Any) -> None:
    """Start ``proc`` without making it re-run the parent's main script.

    multiprocessing tells a forkserver/spawn child to import the parent's ``__main__`` by
    path. Inside a Streamlit server, ``__main__`` is the page script being run (router.py):
    the child would run the whole app and die. For the few milliseconds of the start, the
    child is shown a ``__main__`` without a file or spec, so it imports nothing of ours but
    the target's module.
    """
    with _start_lock:
        real = sys.modules.get("__main__")
        sys.modules["__main__"] = _NEUTRAL_MAIN
        try:
            proc.start()
        finally:
            if real is not None:
                sys.modules["__main__"] = real


def _get_context() -> Any:
    """The multiprocessing context (forkserver where the platform has it, else spawn)."""
    global _context
    with _lock:
        if _context is None:
            methods = multiprocessing.get_all_start_methods()
            ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods
                                              else "spawn")
            if ctx.get_start_method() == "forkserver":
                ctx.set_forkserver_preload(_PRELOAD)
            # pyarrow's default allocator (mimalloc) reserves about 1 GB of address space on
            # first use (pandas 3 reads text columns into arrow strings), which RLIMIT_AS
            # counts although nothing is used; the system allocator reserves nothing. Read
            # by processes started from now on (the fork server), not by this one, whose
            # pool was chosen when it imported pyarrow. An operator's own value wins.
            os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
            _context = ctx
        return _context


@dataclass
class Outcome:
    """What one sandboxed parse came to; :func:`parse_file_limited` turns it into a result or
    an exception, the benchmarks read its figures.

    ``status`` is "ok", "refused" (``error`` is the file's :class:`IngestError`), "cpu",
    "memory", "time" (a limit was hit) or "failed" (a bug in the checker, logged).
    ``max_rss_bytes`` and ``cpu_seconds`` are the child's own, when it lived to report them.
    """

    status: str
    result: ParseResult | None = None
    error: IngestError | None = None
    detail: str = ""
    exitcode: int | None = None
    wall_seconds: float = 0.0
    cpu_seconds: float | None = None
    max_rss_bytes: int | None = None


def _apply_limits(limits: Limits) -> None:
    import resource

    cpu = int(limits.cpu_seconds)
    # SIGXCPU (default action: terminate) at the soft limit; SIGKILL a second later.
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a killed child leaves no core file


def _usage() -> tuple[float, int]:
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024  # Linux: KiB


def _failure(err: BaseException) -> tuple[Any, ...]:
    """A child's answer for what stopped its parse: the file's refusal, out of memory, or a
    failure the parent logs (a CakupanError's sentence, else the traceback)."""
    if isinstance(err, IngestError):
        return ("refused", err)
    if isinstance(err, MemoryError):
        return ("memory", None)
    if isinstance(err, CakupanError):
        return ("failed", f"CakupanError: {err}")
    return ("failed", traceback.format_exc(limit=20))


def _child(conn: Connection, data: bytes, file_name: str, options: dict[str, Any],
           limits: Limits) -> None:
    """The child's whole life: set the limits, parse, send one answer, exit."""
    reserve: bytearray | None = bytearray(_RESERVE_BYTES)
    try:
        try:
            _apply_limits(limits)
            task = options.pop("task", parse_file)  # head_limited reads the top rows only
            payload: tuple[Any, ...] = ("ok", task(data, file_name, limits=limits, **options))
        except MemoryError:
            reserve = None  # frees room to send the answer
            payload = _failure(MemoryError())
        except BaseException as err:
            payload = _failure(err)
        del data
        try:
            conn.send((*payload, *_usage()))
        except MemoryError:  # the answer itself did not fit
            reserve = None
            payload = ("memory", None)
            conn.send((*payload, *_usage()))
    finally:
        del reserve
        conn.close()


def _classify_death(exitcode: int | None) -> str:
    """Which limit a child that died without answering most likely hit."""
    if exitcode == -signal.SIGXCPU:
        return "cpu"
    # Under RLIMIT_AS an allocation that fails in C code aborts or crashes instead of raising
    # MemoryError; SIGKILL is the kernel's out-of-memory killer.
    if exitcode in (-signal.SIGKILL, -signal.SIGSEGV, -signal.SIGABRT, -signal.SIGBUS):
        return "memory"
    return "failed"


def run_child(target: Callable[..., None], args: tuple[Any, ...], *, name: str,
              wait_s: float) -> tuple[tuple[Any, ...] | None, bool, int | None]:
    """Start ``target(send, *args)`` in a limited child, wait up to ``wait_s`` for its one
    answer on the pipe, and always reap it: ``(payload, timed_out, exitcode)``.

    Shared by every reader of untrusted files (spreadsheets here, boundary files in
    :mod:`cakupan.ingest.boundary_file`), so the kill-and-reap rules live in one place: a
    child that overruns is killed, one that answered but lingers gets five seconds, and a
    child that died before answering gives ``payload`` None and its exit code.
    """
    ctx = _get_context()
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=target, args=(send, *args), name=name, daemon=True)
    _start(proc)
    send.close()
    payload: tuple[Any, ...] | None = None
    timed_out = False
    try:
        if receive.poll(wait_s):
            payload = receive.recv()
        else:
            timed_out = True
    except (EOFError, OSError):
        payload = None  # died before or while answering
    finally:
        receive.close()
        if timed_out:
            proc.kill()
        proc.join(5)
        if proc.is_alive():
            proc.kill()
            proc.join()
    exitcode = proc.exitcode
    if hasattr(proc, "close"):
        proc.close()
    return payload, timed_out, exitcode


def run_limited(data: bytes, file_name: str, options: dict[str, Any] | None = None,
                limits: Limits | None = None) -> Outcome:
    """Parse ``data`` in a sandboxed child and report what happened, raising nothing for the
    file's sake (see :class:`Outcome`). ``options`` are :func:`parse_file`'s keywords."""
    limits = limits or Limits.from_settings()
    options = dict(options or {})
    resolver = options.get("resolver")
    if resolver is not None:
        try:
            pickle.dumps(resolver)
        except Exception as err:
            raise TypeError("the sandbox needs a resolver it can pickle (a module-level "
                            "function), not a lambda or a closure") from err
    start = time.monotonic()
    payload, timed_out, exitcode = run_child(
        _child, (data, file_name, options, limits), name="cakupan-parse",
        wait_s=limits.cpu_seconds * WALL_FACTOR + WALL_GRACE_S)
    outcome = Outcome("failed", exitcode=exitcode, wall_seconds=time.monotonic() - start)
    if payload is not None:
        status, body, cpu, rss = payload
        outcome.status, outcome.cpu_seconds, outcome.max_rss_bytes = status, cpu, rss
        if status == "ok":
            outcome.result = body
        elif status == "refused":
            outcome.error = body
        elif status == "failed":
            outcome.detail = str(body)
    elif timed_out:
        outcome.status = "time"
    else:
        outcome.status = _classify_death(exitcode)
        outcome.detail = f"child exit code {exitcode}"
    return outcome


def parse_file_limited(data: bytes, file_name: str, *, segment: str | None = None,
                       period: str | None = None, sheet: str | None = None,
                       province: str | None = None, lang: str = "id",
                       resolver: Resolver | None = None, limits: Limits | None = None,
                       **options: Any) -> ParseResult:
    """:func:`~cakupan.ingest.parse.parse_file` with the same arguments, in a child process
    with CPU-time and memory limits: what the app and :func:`import_file` use for files from
    outside.

    Any other keyword of :func:`parse_file` is passed on as given (it must pickle, like
    every argument). The upload size is checked here first, so an oversized file never
    reaches a child. ``resolver`` must be picklable (a module-level function or an instance
    of a module-level class).

    Raises
    ------
    IngestError
        The file's own refusals, as :func:`parse_file` raises them; ``parse_limit_cpu``,
        ``parse_limit_memory`` or ``parse_limit_time`` when the child hit a limit; and
        :class:`ImportUnavailable` (``check_failed``) when the checker itself failed (logged
        with its traceback; the person is told it is not their file's fault).
    """
    limits = limits or Limits.from_settings()
    check_upload_size(len(data), limits)
    options.update(segment=segment, period=period, sheet=sheet, province=province, lang=lang,
                   resolver=resolver)
    outcome = run_limited(data, file_name, options, limits)
    return _answer(outcome, file_name, limits)


def head_limited(data: bytes, file_name: str, *, sheet: str | None = None,
                 limits: Limits | None = None, shown: int = 12) -> Head:
    """:func:`~cakupan.ingest.mapping.file_head` (the first rows, for the mapping step) in a
    sandboxed child, within the same limits and with the same refusals as
    :func:`parse_file_limited`."""
    limits = limits or Limits.from_settings()
    check_upload_size(len(data), limits)
    options = {"task": file_head, "sheet": sheet, "search_rows": HEADER_SEARCH_ROWS,
               "shown": shown}
    return _answer(run_limited(data, file_name, options, limits), file_name, limits)


def _answer(outcome: Outcome, file_name: str, limits: Limits) -> Any:
    """The child's answer, or its refusal or failure raised as one sentence."""
    if outcome.status == "ok" and outcome.result is not None:
        return outcome.result
    if outcome.status == "refused" and outcome.error is not None:
        raise outcome.error
    # A limit hit is the refusal working (logged for the operator, not a warning); a failed
    # checker is a bug and is logged as an error with the child's traceback.
    log.info("sandboxed parse of %r ended %s after %.1f s (exit code %s)", file_name,
             outcome.status, outcome.wall_seconds, outcome.exitcode)
    if outcome.status == "cpu":
        raise IngestError("parse_limit_cpu", seconds=limits.cpu_seconds)
    if outcome.status == "memory":
        raise IngestError("parse_limit_memory", limit_mb=round(limits.memory_bytes / 2**20))
    if outcome.status == "time":
        raise IngestError("parse_limit_time",
                          seconds=round(limits.cpu_seconds * WALL_FACTOR + WALL_GRACE_S))
    log.error("the file checker failed on %r:\n%s", file_name, outcome.detail)
    raise ImportUnavailable("check_failed")


def _noop() -> None:
    """What :func:`warm_up` runs in a child: nothing, so only the start-up is paid."""


def warm_up() -> float:
    """Start the fork server (and its preload) now, so the first upload does not wait for it;
    returns the seconds it took. Safe to call from a background thread at app start."""
    start = time.monotonic()
    ctx = _get_context()
    proc = ctx.Process(target=_noop, name="cakupan-parse-warm-up", daemon=True)
    _start(proc)
    proc.join()
    return time.monotonic() - start


def child_address_space_bytes() -> int:
    """Address space a fresh sandbox child starts with (its ``VmSize``), what a memory limit
    must leave room above; 0 where ``/proc`` is missing."""
    ctx = _get_context()
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_report_vmsize, args=(send,), daemon=True)
    _start(proc)
    send.close()
    try:
        return int(receive.recv())
    finally:
        receive.close()
        proc.join()


def _report_vmsize(conn: Connection) -> None:
    size = 0
    try:
        with open(f"/proc/{os.getpid()}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    size = int(line.split()[1]) * 1024
    except OSError:
        pass
    conn.send(size)
    conn.close()


# --- a big file on disk, streamed (the command line) -------------------------------------------


def _cpu_used() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _allow_next_chunk(limits: Limits) -> None:
    """Give the next chunk its own ``limits.cpu_seconds`` (a soft ``RLIMIT_CPU`` raised
    after each chunk; the hard limit set at the start bounds the whole file)."""
    import resource

    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = math.ceil(_cpu_used()) + int(limits.cpu_seconds)
    resource.setrlimit(resource.RLIMIT_CPU, (min(soft, hard), hard))


def _stream_child(conn: Connection, path: str, file_name: str, options: dict[str, Any],
                  limits: Limits, chunk_rows: int) -> None:
    """A streamed parse's whole life: limits, then ("chunk", observations, errors so far)
    per chunk of the parse and ("tick",) after every chunk of either pass (the survey sends
    nothing else, and the parent's wall-clock allowance is per message), then one final
    answer as :func:`_child` sends it."""
    import resource

    reserve: bytearray | None = bytearray(_RESERVE_BYTES)
    try:
        try:
            chunks = 2 * (math.ceil(limits.rows / chunk_rows) + 2)  # two passes, and slack
            cpu = int(limits.cpu_seconds)
            resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu * chunks + 1))
            resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
            def after_chunk() -> None:  # each chunk its own CPU time and wall-clock wait
                _allow_next_chunk(limits)
                conn.send(("tick",))

            parse = StreamedParse(path, file_name, limits=limits, chunk_rows=chunk_rows,
                                  after_chunk=after_chunk, **options)
            for observations in parse.chunks():
                conn.send(("chunk", observations, parse.error_count))
            payload: tuple[Any, ...] = ("ok", parse.result())
        except MemoryError:
            reserve = None  # frees room to send the answer
            payload = _failure(MemoryError())
        except BaseException as err:
            payload = _failure(err)
        try:
            conn.send((*payload, *_usage()))
        except MemoryError:
            reserve = None
            conn.send(("memory", None, *_usage()))
    finally:
        del reserve
        conn.close()


class LimitedStream:
    """A file on disk parsed in chunks by a sandboxed child (:func:`stream_limited`).

    Iterating yields ``(observations, errors so far)`` per chunk as the child sends them (it
    waits while the caller writes one: the pipe holds about one chunk); afterwards
    :attr:`result` is the :class:`ParseResult` of the whole file (observations empty). The
    child is killed when iteration stops early or fails, so a failed write never leaves it
    running.

    Raises (while iterating) what :func:`parse_file_limited` raises: the file's
    :class:`IngestError`, ``parse_limit_cpu`` (a chunk took more than
    ``limits.cpu_seconds``), ``parse_limit_memory``, ``parse_limit_time`` (no answer within
    the wall-clock allowance of one chunk), or :class:`ImportUnavailable`.
    """

    def __init__(self, path: str, file_name: str, options: dict[str, Any], limits: Limits,
                 chunk_rows: int) -> None:
        self.file_name = file_name
        self.limits = limits
        self.result: ParseResult | None = None
        self.max_rss_bytes: int | None = None
        self.cpu_seconds: float | None = None
        ctx = _get_context()
        self._receive, send = ctx.Pipe(duplex=False)
        self._proc = ctx.Process(target=_stream_child,
                                 args=(send, path, file_name, options, limits, chunk_rows),
                                 name="cakupan-parse-stream", daemon=True)
        _start(self._proc)
        send.close()

    def _next(self) -> tuple[Any, ...]:
        wait = self.limits.cpu_seconds * WALL_FACTOR + WALL_GRACE_S
        try:
            if self._receive.poll(wait):
                return self._receive.recv()
        except (EOFError, OSError):
            self._proc.join(5)
            status = _classify_death(self._proc.exitcode)
            log.info("streamed parse of %r: the child died (exit code %s)", self.file_name,
                     self._proc.exitcode)
            self._raise(status, f"child exit code {self._proc.exitcode}")
        self._proc.kill()
        log.info("streamed parse of %r: no answer within %.0f s", self.file_name, wait)
        raise IngestError("parse_limit_time", seconds=round(wait))

    def _raise(self, status: str, detail: str) -> None:
        if status == "cpu":
            raise IngestError("parse_limit_cpu", seconds=self.limits.cpu_seconds)
        if status == "memory":
            raise IngestError("parse_limit_memory",
                              limit_mb=round(self.limits.memory_bytes / 2**20))
        log.error("the file checker failed on %r:\n%s", self.file_name, detail)
        raise ImportUnavailable("check_failed")

    def __iter__(self) -> Iterator[tuple[Any, int]]:
        try:
            while True:
                message = self._next()
                if message[0] == "tick":
                    continue
                if message[0] == "chunk":
                    yield message[1], int(message[2])
                    continue
                status, body, self.cpu_seconds, self.max_rss_bytes = message
                if status == "ok":
                    self.result = body
                    return
                if status == "refused":
                    raise body
                self._raise(status, str(body))
        finally:
            self.close()

    def close(self) -> None:
        """Stop the child (if it still runs) and release the pipe."""
        if self._proc.is_alive():
            self._proc.kill()
        self._proc.join(5)
        self._receive.close()


def stream_limited(path: str | os.PathLike[str], file_name: str | None = None, *,
                   segment: str | None = None, period: str | None = None,
                   sheet: str | None = None, province: str | None = None, lang: str = "id",
                   resolver: Resolver | None = None, limits: Limits | None = None,
                   chunk_rows: int = 50_000, **options: Any) -> LimitedStream:
    """:class:`~cakupan.ingest.stream.StreamedParse` of the file at ``path`` in a child with
    a CPU-time allowance per chunk and the memory limit: what the command line imports.

    The file is opened by the child (its size is checked there first, by the size on disk),
    so the calling process never holds more than a chunk of it.
    """
    limits = limits or Limits.from_settings()
    if resolver is not None:
        try:
            pickle.dumps(resolver)
        except Exception as err:
            raise TypeError("the sandbox needs a resolver it can pickle") from err
    options.update(segment=segment, period=period, sheet=sheet, province=province, lang=lang,
                   resolver=resolver)
    path = os.path.abspath(path)
    return LimitedStream(path, file_name or os.path.basename(path), options, limits,
                         chunk_rows)
