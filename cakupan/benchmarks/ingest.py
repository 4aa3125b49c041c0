"""Importer budgets: a 100,000-row CSV imported into a fresh SQLite store in <= 10 s (issue
3), and hostile uploads refused within 10 s each without the serving process growing (issue 9).

The 100k file is what a national export looks like: ``;``-separated, Indonesian thousands
separators, every regency by official name and code, seven segments, monthly rows. The hostile
files (zip bomb, entity expansion, row-number jump, 150 MB, a million rows) are built by the
functions below, which the tests reuse at a small scale.
"""

from __future__ import annotations

import io
import itertools
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import zipfile
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import BinaryIO

from cakupan import regions
from cakupan.benchmarks.registry import benchmark
from cakupan.core.access import operator
from cakupan.core.errors import CakupanError

ROWS = 100_000
SEGMENT_LABELS = ("Non ASN", "Aparatur Desa", "Pekerja Rentan", "PU", "BPU", "Jakon", "Semua")


def _id_int(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def make_csv(rows: int = ROWS) -> bytes:
    """A deterministic ``;`` CSV of ``rows`` data rows with unique (region, month, segment)."""
    regencies = regions.regencies()[["code", "name"]].itertuples(index=False, name=None)
    months = [f"{y}-{m:02d}" for y in range(2017, 2025) for m in range(1, 13)]
    lines = ["Kode;Kabupaten/Kota;Periode;Segmen;Peserta;Potensi"]
    combos = itertools.product(list(regencies), months, SEGMENT_LABELS)
    for i, ((code, name), month, segment) in enumerate(itertools.islice(combos, rows)):
        eligible = 2_000 + (i * 7919) % 50_000
        registered = eligible * ((i * 31) % 100) // 100
        lines.append(f"{code};{name};{month};{segment};{_id_int(registered)};{_id_int(eligible)}")
    return ("\n".join(lines) + "\n").encode("utf-8")


@benchmark("import_100k_rows_s", budget=10.0, unit="s", issue=3)
def import_100k_rows() -> float:
    """Wall time of parse + validation + one all-or-nothing write into a new SQLite store."""
    from cakupan import store
    from cakupan.ingest import import_file

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "national_100k.csv"
        path.write_bytes(make_csv())
        engine = store.get_engine(f"sqlite:///{Path(tmp) / 'bench.sqlite'}")  # seeded here
        start = time.perf_counter()
        result = import_file(path, segment=None, engine=engine, actor=operator())
        elapsed = time.perf_counter() - start
        engine.dispose()
    if result.errors or result.imported != ROWS:
        raise RuntimeError(f"benchmark file did not import cleanly: {result.imported} rows, "
                           f"first errors {[e.to_dict() for e in result.errors[:3]]}")
    return elapsed


# --- hostile uploads (issue 9) ---------------------------------------------------------------
# Each hostile file is built here, in memory (or streamed to disk), and refused through the
# same path as an upload: the size check, then the sandboxed parse. The tests in
# tests/unit/ingest/test_hostile.py build the same files at a small scale with small limits.

_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxml'
    'formats-officedocument.spreadsheetml.worksheet+xml"/>{shared}</Types>')
_SHARED_TYPE = ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
                'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{doctype}'
    f'<workbook {_NS} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/>{shared}</Relationships>')
_SHARED_REL = ('<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/'
               '2006/relationships/sharedStrings" Target="sharedStrings.xml"/>')
#: The header of every hostile sheet: what a real coverage file has, so refusals are about
#: the attack, not a missing column.
_HEADER_ROW = ('<row r="1"><c r="A1" t="inlineStr"><is><t>Kabupaten</t></is></c>'
               '<c r="B1" t="inlineStr"><is><t>Periode</t></is></c>'
               '<c r="C1" t="inlineStr"><is><t>Peserta</t></is></c></row>')


def _inline_row(number: int | None, cells: Iterable[tuple[str, object]]) -> str:
    out = []
    for ref, value in cells:
        if isinstance(value, str):
            out.append(f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>')
        else:
            out.append(f'<c r="{ref}"><v>{value}</v></c>')
    attr = f' r="{number}"' if number is not None else ""
    return f"<row{attr}>{''.join(out)}</row>"


def xlsx_from_sheet(sheet_chunks: Iterable[bytes], *, shared_strings: bytes | None = None,
                    workbook_doctype: str = "", out: BinaryIO | None = None,
                    compresslevel: int = 6) -> bytes:
    """A minimal one-sheet XLSX whose ``xl/worksheets/sheet1.xml`` is ``sheet_chunks``
    joined (streamed, so a sheet of hundreds of MB never sits in memory); written to ``out``
    when given (then ``b""`` is returned), else returned as bytes."""
    buffer = out if out is not None else io.BytesIO()
    shared_type = _SHARED_TYPE if shared_strings is not None else ""
    shared_rel = _SHARED_REL if shared_strings is not None else ""
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES.format(shared=shared_type))
        zf.writestr("_rels/.rels", _ROOT_RELS)
        zf.writestr("xl/workbook.xml", _WORKBOOK.format(doctype=workbook_doctype))
        zf.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS.format(shared=shared_rel))
        if shared_strings is not None:
            zf.writestr("xl/sharedStrings.xml", shared_strings)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            for chunk in sheet_chunks:
                sheet.write(chunk)
    return b"" if out is not None else buffer.getvalue()  # type: ignore[union-attr]


def _sheet(rows: Iterable[str], dimension: str = "") -> Iterator[bytes]:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    yield (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet {_NS}>{dim}'
           f"<sheetData>{_HEADER_ROW}").encode()
    batch: list[str] = []
    for row in rows:
        batch.append(row)
        if len(batch) == 4096:
            yield "".join(batch).encode()
            batch.clear()
    yield ("".join(batch) + "</sheetData></worksheet>").encode()


def zip_bomb_xlsx(unpacked_bytes: int, out: BinaryIO | None = None) -> bytes:
    """An XLSX whose sheet unpacks to about ``unpacked_bytes`` of one repeated row (deflate
    packs it about 250 times: 200 MB of sheet in well under 1 MB of file)."""
    row = _inline_row(None, [("A2", "Konsel"), ("B2", "Okt 2018"), ("C2", 1)])
    rows = (row for _ in range(max(1, unpacked_bytes // len(row))))
    return xlsx_from_sheet(_sheet(rows), out=out, compresslevel=9)


def billion_laughs(levels: int = 9, fan_out: int = 10) -> str:
    """The classic entity-expansion DOCTYPE: ``&lol{levels};`` expands to
    ``fan_out ** levels`` copies of "lol" (10**9 by default, about 3 GB)."""
    entities = ['<!ENTITY lol0 "lol">']
    for level in range(1, levels + 1):
        entities.append(f'<!ENTITY lol{level} "{f"&lol{level - 1};" * fan_out}">')
    return f"<!DOCTYPE lolz [{''.join(entities)}]>"


def entity_xlsx(part: str = "sheet", levels: int = 9) -> bytes:
    """An XLSX with a billion-laughs DOCTYPE in its ``sheet``, ``shared`` strings or
    ``workbook`` part; the sheet cell (or shared string) refers to the top entity."""
    doctype = billion_laughs(levels)
    top = f"&lol{levels};"
    if part == "workbook":
        return xlsx_from_sheet(_sheet([]), workbook_doctype=doctype)
    if part == "shared":
        shared = (f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<sst {_NS} count="1" '
                  f'uniqueCount="1"><si><t>{top}</t></si></sst>').encode()
        rows = ['<row r="2"><c r="A2" t="s"><v>0</v></c></row>']
        return xlsx_from_sheet(_sheet(rows), shared_strings=shared)
    head = f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<worksheet {_NS}><sheetData>'
    body = (f'{_HEADER_ROW}<row r="2"><c r="A2" t="inlineStr"><is><t>{top}</t></is></c></row>'
            "</sheetData></worksheet>")
    return xlsx_from_sheet([head.encode(), body.encode()])


def row_jump_xlsx(row: int = 20_000_000, dimension: str = "A1:XFD1048576") -> bytes:
    """A tiny XLSX whose only data row claims to be sheet row ``row``, with a ``<dimension>``
    that claims the whole sheet (openpyxl's read-only iterator pads up to both)."""
    data = _inline_row(row, [(f"A{row}", "Konsel"), (f"B{row}", "Okt 2018"), (f"C{row}", -1)])
    return xlsx_from_sheet(_sheet([data], dimension=dimension))


def column_jump_xlsx(rows: int) -> bytes:
    """``rows`` data rows that each hold one value in column XFD (16,384): a row as wide as a
    sheet, every row; only the memory limit stops it."""
    data = (_inline_row(n, [(f"A{n}", "Konsel"), (f"XFD{n}", 1)]) for n in range(2, rows + 2))
    return xlsx_from_sheet(_sheet(data))


def many_rows_csv(rows: int, *, bad: bool = False, short: bool = False) -> bytes:
    """``rows`` data rows of a valid long CSV, or with an unreadable figure in each.

    ``short`` rows hold only a region and a figure (9 bytes: a million rows in 9 MB, under
    the upload limit); the segment and period then come from the whole-file options.
    """
    figure = "banyak" if bad else "202"
    if short:
        return ("Kabupaten;Peserta\n" + f"Konsel;{figure}\n" * rows).encode()
    line = f"Konsel;Okt 2018;Non ASN;{figure};350\n"
    return ("Kabupaten;Periode;Segmen;Peserta;Potensi\n" + line * rows).encode()


@cache
def _refusal(kind: str) -> dict[str, float]:
    """Refuse one hostile file as an upload would be refused; seconds, parent peak MB (Python
    allocations, tracemalloc) and the child's max RSS MB (0 when no child was needed)."""
    from cakupan.ingest import Limits, import_file
    from cakupan.ingest.sandbox import run_limited, warm_up

    warm_up()  # the fork server is running in a served app; do not time its start here
    limits = Limits.from_settings()
    with tempfile.TemporaryDirectory() as tmp:
        if kind == "csv_150mb":
            path = Path(tmp) / "besar.csv"
            with path.open("wb") as fh:  # 150 MB on disk, never all in memory
                line = b"Konsel;Okt 2018;Non ASN;202;350\n"
                fh.write(b"Kabupaten;Periode;Segmen;Peserta;Potensi\n")
                for _ in range(150 * 2**20 // len(line) // 4096 + 1):
                    fh.write(line * 4096)
            tracemalloc.start()
            start = time.perf_counter()
            try:
                import_file(path, dry_run=True)
            except CakupanError as err:
                key = getattr(err, "key", type(err).__name__)
            else:
                raise RuntimeError("a 150 MB CSV was not refused")
            elapsed = time.perf_counter() - start
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            if key != "file_too_large":
                raise RuntimeError(f"150 MB CSV refused as {key}, not file_too_large")
            return {"s": elapsed, "parent_mb": peak / 2**20, "child_mb": 0.0}
        data, name, expected = {
            "zip_bomb": (lambda: zip_bomb_xlsx(512 * 2**20), "bom.xlsx",
                         "xlsx_too_big_unpacked"),
            "entity": (lambda: entity_xlsx("sheet"), "entitas.xlsx", "xlsx_doctype"),
            "row_jump": (lambda: row_jump_xlsx(20_000_000), "lompat.xlsx", "xlsx_beyond_sheet"),
            "csv_1m_rows": (lambda: many_rows_csv(1_000_000, short=True), "sejuta.csv",
                            "too_many_rows"),
        }[kind]
        payload = data()
        tracemalloc.start()
        start = time.perf_counter()
        outcome = run_limited(payload, name, {"segment": "non_asn", "period": "2018-10"},
                              limits)
        elapsed = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    got = outcome.error.key if outcome.error is not None else outcome.status
    if got != expected:
        raise RuntimeError(f"{kind}: refused as {got}, expected {expected}")
    return {"s": elapsed, "parent_mb": peak / 2**20,
            "child_mb": (outcome.max_rss_bytes or 0) / 2**20}


def _register_refusal(kind: str, what: str) -> None:
    def seconds() -> float:
        return _refusal(kind)["s"]

    def parent_mb() -> float:
        return _refusal(kind)["parent_mb"]

    def child_mb() -> float:
        return _refusal(kind)["child_mb"]

    seconds.__doc__ = f"Seconds from upload to refusal of {what}."
    parent_mb.__doc__ = f"Peak Python allocations in the serving process while refusing {what}."
    child_mb.__doc__ = f"Max RSS of the sandbox child that refused {what} (0: no child)."
    benchmark(f"refuse_{kind}_s", budget=10.0, unit="s", issue=9)(seconds)
    benchmark(f"refuse_{kind}_parent_mb", budget=100.0, unit="MB", issue=9)(parent_mb)
    benchmark(f"refuse_{kind}_child_mb", budget=1536.0, unit="MB", issue=9)(child_mb)


for _kind, _what in (
        ("zip_bomb", "an XLSX whose sheet unpacks to 512 MB (about 2 MB of file)"),
        ("entity", "an XLSX with a billion-laughs DOCTYPE in its sheet"),
        ("row_jump", "a tiny XLSX whose only row claims to be row 20,000,000"),
        ("csv_150mb", "a 150 MB CSV (by its size on disk, before reading it)"),
        ("csv_1m_rows", "a CSV of 1,000,000 rows (9 MB: under the size limit)")):
    _register_refusal(_kind, _what)


@benchmark("sandbox_overhead_ms", budget=150.0, unit="ms", issue=9)
def sandbox_overhead_ms() -> float:
    """Median extra wall time of a sandboxed parse over an in-process one, tiny CSV, warm
    fork server (11 runs each)."""
    from cakupan.ingest import parse_file, parse_file_limited, warm_up

    warm_up()
    data = many_rows_csv(3)
    inside, outside = [], []
    for _ in range(11):
        start = time.perf_counter()
        parse_file(data, "kecil.csv")
        inside.append(time.perf_counter() - start)
        start = time.perf_counter()
        parse_file_limited(data, "kecil.csv")
        outside.append(time.perf_counter() - start)
    return (statistics.median(outside) - statistics.median(inside)) * 1000


@benchmark("sandbox_first_start_s", budget=5.0, unit="s", issue=9)
def sandbox_first_start_s() -> float:
    """Seconds to start the fork server with its preload in a fresh process (what the first
    upload after a server start waits for, unless the app warms it up at start)."""
    code = "from cakupan.ingest import warm_up; print(warm_up())"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=120, cwd=Path(__file__).resolve().parents[2])
    return float(proc.stdout.strip().splitlines()[-1])
