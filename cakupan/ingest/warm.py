"""Imported by the sandbox's fork server only (``sandbox._PRELOAD``): warms what every parse
would otherwise load again in each child.

A child is a ``fork()`` of the fork server, so whatever the server has loaded, the child
has for free; what it has *not* loaded, every child loads anew and throws away. Importing
this module parses a two-row CSV and a two-row XLSX once, which loads the region reference
and alias table, compiles the header and number patterns and imports openpyxl's reader
(about 80 ms per upload otherwise). The side effect on import is the point of the module;
nothing else imports it.
"""

from __future__ import annotations

import contextlib
import io

from cakupan.ingest.parse import parse_file

_CSV = b"Kabupaten;Kode;Periode;Segmen;Peserta;Potensi\nKonsel;74.05;Okt 2018;Non ASN;202;350\n"


def warm() -> None:
    """Run both readers and the resolver once (errors are irrelevant here, so ignored)."""
    from openpyxl import Workbook

    book = Workbook()
    for row in _CSV.decode().splitlines():
        book.active.append(row.split(";"))
    buffer = io.BytesIO()
    book.save(buffer)
    for data, name in ((_CSV, "warm.csv"), (buffer.getvalue(), "warm.xlsx")):
        with contextlib.suppress(Exception):  # warming must never stop the fork server
            parse_file(data, name)


warm()
