"""The importer's declared limits (STYLE.md 19; README, "Limits"), as one value.

Every limit is one setting in :mod:`cakupan.core.settings` (an environment variable with a
default). :meth:`Limits.from_settings` reads them all when a file is checked; the parent
process reads them and hands the value to the sandboxed child, so a child forked from a
long-lived fork server still obeys what the environment says *now*. Tests pass their own small
:class:`Limits` (``dataclasses.replace(Limits.from_settings(), rows=10)``) instead of
monkeypatching constants.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from cakupan.core import settings
from cakupan.core.errors import CakupanError


@dataclass(frozen=True)
class Limits:
    """What one uploaded file may cost.

    Attributes
    ----------
    upload_bytes
        Size of the file as uploaded; checked before anything is read.
    rows
        Data rows (non-empty rows below the header).
    xlsx_unpacked_bytes, xlsx_ratio
        Sum of the uncompressed sizes of an XLSX's zip entries, and the highest
        uncompressed/compressed ratio of one entry (entries under
        :data:`RATIO_FLOOR_BYTES` are exempt: a tiny part says nothing about a bomb).
    cpu_seconds, memory_bytes
        CPU time and address space of the child process that parses the file.
    errors_kept
        Row errors kept with their text; the rest are only counted.
    """

    upload_bytes: int
    rows: int
    xlsx_unpacked_bytes: int
    xlsx_ratio: float
    cpu_seconds: int
    memory_bytes: int
    errors_kept: int

    @classmethod
    def from_settings(cls) -> Limits:
        """The limits the environment sets now (defaults in :mod:`cakupan.core.settings`).

        Raises
        ------
        CakupanError
            When a variable is set to something that is not a positive number; the message
            names the variable (a typo must not silently lift a limit).
        """
        try:
            return cls(
                upload_bytes=settings.upload_max_bytes(),
                rows=settings.import_max_rows(),
                xlsx_unpacked_bytes=settings.xlsx_max_uncompressed_bytes(),
                xlsx_ratio=settings.xlsx_max_ratio(),
                cpu_seconds=settings.parse_cpu_seconds(),
                memory_bytes=settings.parse_memory_bytes(),
                errors_kept=settings.errors_kept(),
            )
        except ValueError as err:
            raise CakupanError(f"invalid import limit: {err}") from err

    @classmethod
    def for_command_line(cls) -> Limits:
        """The operator's limits (``python -m cakupan import``): the file size and the rows
        of ``CAKUPAN_CLI_IMPORT_MAX_MB`` and ``CAKUPAN_CLI_IMPORT_MAX_ROWS`` instead of the
        web upload's; the rest as :meth:`from_settings` (a chunk's CPU time and memory, XLSX
        unpacking, errors kept).

        Why a pair of its own: a branch's national export (1.2M rows, about 45 MB) is read
        from the server's disk in chunks by the person who runs the server, so memory does
        not grow with it; the web upload lands whole in the serving process's memory and
        keeps its smaller caps.
        """
        limits = cls.from_settings()
        try:
            return replace(limits, upload_bytes=settings.cli_import_max_bytes(),
                           rows=settings.cli_import_max_rows())
        except ValueError as err:
            raise CakupanError(f"invalid import limit: {err}") from err


#: Entries smaller than this are not held to the ratio limit: 1 MiB unpacks to 1 MiB however
#: well it compresses, and the total limit still counts it.
RATIO_FLOOR_BYTES = 1 << 20


def megabytes(n_bytes: float, *, up: bool = False) -> float:
    """``n_bytes`` in MB (2**20): one decimal from 1 MB up, two significant digits below (a
    test's 2 KB limit reads "0,002 MB", not "0 MB"). ``up`` rounds up, so a file one byte
    over a 25 MB limit reads "25,1 MB", never "25 MB; the limit is 25 MB".

    >>> megabytes(25 * 2**20 + 1, up=True), megabytes(25 * 2**20), megabytes(2097)
    (25.1, 25.0, 0.002)
    """
    value = n_bytes / 2**20
    if value <= 0:
        return 0.0
    digits = 1 if value >= 1 else 1 - math.floor(math.log10(value))
    scale = 10**digits
    return math.ceil(value * scale) / scale if up else round(value, digits)
