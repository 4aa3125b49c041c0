"""Turn the bytes of an uploaded CSV or XLSX file into rows of cells, within declared limits.

Only rows that hold something are kept, each with the row number the user sees in Excel
(``Table.numbers``), so every message can name that row and a sheet whose only row claims
to be row 20,000,000 costs one row, not twenty million empty ones. Nothing here interprets
the cells: that is ``cakupan.ingest``'s job.

Text files are decoded honestly: UTF-8 (with or without BOM), UTF-16 when it starts with a
BOM (Excel's "Unicode text"), otherwise Windows-1252 (what Excel on Windows writes as "CSV"),
and Latin-1 only for the five bytes Windows-1252 leaves undefined. The delimiter (``,`` ``;``
or tab) is the one that splits most of the first lines into the same number of fields.

An XLSX is a zip of XML parts, so before openpyxl opens one, :func:`inspect_xlsx` looks at
the zip's directory and at the start of every part: too much unpacked data, an entry that
compresses like a zip bomb, or a DOCTYPE/ENTITY declaration (entity expansion, "billion
laughs"; Excel never writes one) refuse the file before any of it is expanded.
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any, BinaryIO
from xml.parsers import expat

from cakupan.core.errors import CakupanError
from cakupan.ingest.limits import RATIO_FLOOR_BYTES, Limits, megabytes
from cakupan.ingest.messages import format_message
from cakupan.ingest.numbers import Percent

log = logging.getLogger(__name__)

DELIMITERS = (",", ";", "\t")
CSV_SUFFIXES = (".csv", ".txt", ".tsv")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
_SNIFF_LINES = 50
#: The edge of an Excel sheet: a cell beyond it was not written by a spreadsheet program.
EXCEL_MAX_ROW = 1_048_576
EXCEL_MAX_COLUMN = 16_384
#: Zip entries in one XLSX; a workbook has a few per sheet, so this only stops a zip made of
#: hundreds of thousands of tiny entries (each one costs a look at its start).
XLSX_MAX_ENTRIES = 10_000
_XML_SUFFIXES = (".xml", ".rels")
_PROLOG_CHUNK = 16 * 1024


def _rebuild(cls: type[IngestError], key: str, params: dict[str, object]) -> IngestError:
    return cls(key, **params)


class IngestError(CakupanError):
    """A problem with the whole file (not one row), with a message key and parameters.

    :meth:`message` is the text for a person: in their language, worded for where it is shown
    (``context="app"`` by default: a web page never names a command-line flag), as plain text
    or Markdown-escaped. ``str()`` is the Indonesian command-line wording, for the CLI and logs.
    The error pickles by key and parameters, so the sandbox's child can hand it back whole.
    """

    def __init__(self, key: str, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(format_message(key, params, "id", context="cli"))

    def message(self, lang: str = "id", *, context: str = "app", markdown: bool = False) -> str:
        """The message in ``lang``; ``markdown=True`` escapes what came from the file."""
        return format_message(self.key, self.params, lang, context=context, markdown=markdown)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.key, self.params))


class ImportUnavailable(IngestError):
    """The import could not finish for a reason that is not the file's fault (the store is
    down or full, the checker has a bug). The message says so and asks to try again later;
    the exception itself is logged where it happened, never shown."""


@dataclass
class Table:
    """The non-empty rows of one sheet: ``rows[i]`` is sheet row ``numbers[i]``; ``None`` is
    an empty cell and trailing empty cells are dropped."""

    rows: list[list[object]]
    numbers: list[int]
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    encoding: str | None = None
    delimiter: str | None = None


def check_upload_size(n_bytes: int, limits: Limits) -> None:
    """Refuse a file above ``limits.upload_bytes`` before any of it is read."""
    if n_bytes > limits.upload_bytes:
        raise IngestError("file_too_large", size_mb=megabytes(n_bytes, up=True),
                          limit_mb=megabytes(limits.upload_bytes))


def decode(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding that read it (module docstring)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits most of the first lines into the same number (> 1) of fields.

    Title lines above the header have one field and are outvoted; quoted Indonesian numbers
    such as "1.356,5" in a comma file do not disturb the count because the csv module honours
    the quotes.
    """
    lines = []
    for line in io.StringIO(text, newline=None):  # not splitlines(): 50 lines, not all
        if line.strip():
            lines.append(line.rstrip("\r\n"))
            if len(lines) == _SNIFF_LINES:
                break
    best, best_score = ",", (-1, -1)
    for delim in DELIMITERS:
        counts = [len(r) for r in csv.reader(lines, delimiter=delim)]
        modal, votes = Counter(counts).most_common(1)[0] if counts else (1, 0)
        score = (votes if modal > 1 else 0, modal)
        if score > best_score:
            best, best_score = delim, score
    return best


def _compact(cells: list[object]) -> list[object]:
    """Blank strings to ``None``, trailing ``None`` cells dropped (an empty row becomes [])."""
    out = [None if (c is None or (isinstance(c, str) and not c.strip())) else c for c in cells]
    while out and out[-1] is None:
        out.pop()
    return out


class _RowCollector:
    """Keeps non-empty rows with their sheet numbers and refuses row ``max_rows + 1``."""

    def __init__(self, limits: Limits, extra_rows: int) -> None:
        self.limits = limits
        self.cap = limits.rows + extra_rows
        self.rows: list[list[object]] = []
        self.numbers: list[int] = []

    def add(self, number: int, cells: list[object]) -> None:
        if not cells:
            return
        if len(self.rows) >= self.cap:
            raise IngestError("too_many_rows", limit=self.limits.rows)
        self.rows.append(cells)
        self.numbers.append(number)


def read_csv(data: bytes, file_name: str, *, limits: Limits | None = None,
             extra_rows: int = 0) -> Table:
    """Rows of a CSV file; at most ``limits.rows + extra_rows`` non-empty rows.

    ``extra_rows`` is the allowance for title and header rows above the data (the caller
    checks the data rows themselves against ``limits.rows``).
    """
    limits = limits or Limits.from_settings()
    text, encoding = decode(data)
    delimiter = sniff_delimiter(text)
    collected = _RowCollector(limits, extra_rows)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for number, record in enumerate(reader, start=1):
            collected.add(number, _compact([c.strip() or None for c in record]))
    except csv.Error as err:
        log.info("CSV %r unreadable: %s", file_name, err)
        raise IngestError("file_unreadable", file=file_name, kind="CSV") from err
    return Table(collected.rows, collected.numbers, encoding=encoding, delimiter=delimiter)


# --- XLSX ------------------------------------------------------------------------------------


class _RootReached(Exception):
    """The prolog is over: the part's root element starts, and no DOCTYPE came before it."""


class _Declaration(Exception):
    """The part declares a DOCTYPE or an entity."""


def _declares_doctype(part: zipfile.ZipExtFile) -> bool:
    """Whether an XML part has a DOCTYPE/ENTITY declaration, reading only its prolog.

    A DOCTYPE may only come before the root element, so parsing stops at the root's start
    tag: the cost is a few kilobytes per part whatever the part's size, and nothing is
    expanded (the handlers raise before expat would define an entity).

    Raises
    ------
    expat.ExpatError
        When the start of the part is not XML.
    """

    def declaration(*_args: object) -> None:
        raise _Declaration

    def root(*_args: object) -> None:
        raise _RootReached

    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = declaration
    parser.EntityDeclHandler = declaration
    parser.StartElementHandler = root
    try:
        while chunk := part.read(_PROLOG_CHUNK):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _Declaration:
        return True
    except _RootReached:
        return False
    return False


def inspect_xlsx(data: bytes | BinaryIO, file_name: str, limits: Limits) -> None:
    """Refuse an XLSX whose zip would unpack too much, compresses like a bomb, or declares
    a DOCTYPE/ENTITY in any XML part; nothing is decompressed beyond each part's prolog.

    The sizes checked are those the zip's directory declares; :mod:`zipfile` (which openpyxl
    reads through) stops every entry at its declared size, so a lying entry fails its CRC
    instead of growing.

    Raises
    ------
    IngestError
        ``file_unreadable``, ``xlsx_too_big_unpacked``, ``xlsx_compression`` or
        ``xlsx_doctype``.
    """
    try:
        book = zipfile.ZipFile(io.BytesIO(data) if isinstance(data, bytes | bytearray)
                               else data)
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        log.info("XLSX %r is not a zip: %s", file_name, err)
        raise IngestError("file_unreadable", file=file_name, kind="XLSX") from err
    with book:
        infos = book.infolist()
        if len(infos) > XLSX_MAX_ENTRIES:
            log.info("XLSX %r has %d zip entries", file_name, len(infos))
            raise IngestError("file_unreadable", file=file_name, kind="XLSX")
        total = sum(info.file_size for info in infos)
        if total > limits.xlsx_unpacked_bytes:
            raise IngestError("xlsx_too_big_unpacked", size_mb=megabytes(total, up=True),
                              limit_mb=megabytes(limits.xlsx_unpacked_bytes))
        for info in infos:
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size >= RATIO_FLOOR_BYTES and ratio > limits.xlsx_ratio:
                raise IngestError("xlsx_compression", part=info.filename, ratio=ratio,
                                  limit=limits.xlsx_ratio)
        for info in infos:
            if info.is_dir():
                continue
            xml_name = info.filename.lower().endswith(_XML_SUFFIXES)
            try:
                with book.open(info) as part:
                    declared = _declares_doctype(part)
            except expat.ExpatError:
                if not xml_name:
                    continue  # an image or a binary part: openpyxl does not parse it as XML
                log.info("XLSX %r: part %s is not XML", file_name, info.filename)
                raise IngestError("file_unreadable", file=file_name, kind="XLSX") from None
            except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError,
                    EOFError) as err:
                log.info("XLSX %r: part %s unreadable: %s", file_name, info.filename, err)
                raise IngestError("file_unreadable", file=file_name, kind="XLSX") from err
            if declared:
                raise IngestError("xlsx_doctype", part=info.filename)


#: Largest workbook part (the list of sheets) read by :func:`xlsx_sheet_names`.
_WORKBOOK_PART_MAX_BYTES = 4 << 20
_RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_OFFICE_DOCUMENT = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                    "officeDocument")


def xlsx_sheet_names(data: bytes, file_name: str, limits: Limits | None = None) -> list[str]:
    """The sheet names of an XLSX, for a sheet picker, without opening any sheet.

    ``openpyxl.load_workbook(read_only=True).sheetnames`` reads every sheet in full when it
    has no ``<dimension>`` (looking for one), in the calling process: a zip bomb would be
    unpacked in the server. This checks the zip (:func:`inspect_xlsx`) and reads only the
    workbook part, which lists the sheets.

    Raises
    ------
    IngestError
        As :func:`inspect_xlsx`, ``file_too_large``, or ``file_unreadable``.
    """
    from xml.etree import ElementTree

    limits = limits or Limits.from_settings()
    check_upload_size(len(data), limits)
    inspect_xlsx(data, file_name, limits)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            target = "xl/workbook.xml"
            if "_rels/.rels" in book.namelist():
                rels = ElementTree.fromstring(book.read("_rels/.rels"))
                for rel in rels.iter(f"{_RELS_NS}Relationship"):
                    if rel.get("Type") == _OFFICE_DOCUMENT and rel.get("Target"):
                        target = rel.get("Target", target).lstrip("/")
            if book.getinfo(target).file_size > _WORKBOOK_PART_MAX_BYTES:
                raise IngestError("file_unreadable", file=file_name, kind="XLSX")
            workbook = ElementTree.fromstring(book.read(target))
    except IngestError:
        raise
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError, OSError, ValueError) as err:
        log.info("XLSX %r: no readable workbook part: %s", file_name, err)
        raise IngestError("file_unreadable", file=file_name, kind="XLSX") from err
    names = [el.get("name", "") for el in workbook.iter() if el.tag.endswith("}sheet")]
    return [n for n in names if n]


def _cell_text(value: object) -> object:
    if isinstance(value, str):
        return value.strip() or None
    return value


def _sheet_rows(ws: Any, book: Any) -> Iterator[tuple[int, list[object]]]:
    """``(sheet row number, cells)`` of each row the sheet's XML stores, nothing in between.

    openpyxl's own row iterator pads: every row number skipped yields an empty row, and in
    read-only mode every row is widened to the ``<dimension>`` the file declares (which a
    hostile file sets to ``A1:XFD1048576``). Its sheet parser (``WorkSheetParser``, the
    engine of that iterator, stable across openpyxl 3.1) yields only the rows stored, each
    with its number; cells are placed by column and only cells with a value widen a row.
    """
    from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet._reader import WorkSheetParser

    percent_style: dict[int, bool] = {}

    def is_percent(style_id: int) -> bool:
        if style_id not in percent_style:
            fmt_id = book._cell_styles[style_id].numFmtId if style_id < len(
                book._cell_styles) else 0
            fmt = (BUILTIN_FORMATS.get(fmt_id, "General") if fmt_id < BUILTIN_FORMATS_MAX_SIZE
                   else book._number_formats[fmt_id - BUILTIN_FORMATS_MAX_SIZE])
            percent_style[style_id] = "%" in (fmt or "")
        return percent_style[style_id]

    previous = 0
    with ws._get_source() as source:
        parser = WorkSheetParser(source, ws._shared_strings, data_only=True, epoch=book.epoch,
                                 date_formats=book._date_formats,
                                 timedelta_formats=book._timedelta_formats)
        for number, cells in parser.parse():
            if number > EXCEL_MAX_ROW or number < 1:
                raise IngestError("xlsx_beyond_sheet", cell=f"A{number}")
            if number <= previous:
                raise IngestError("xlsx_rows_out_of_order", row=number, previous=previous)
            previous = number
            placed: dict[int, object] = {}
            for cell in cells:
                value = _cell_text(cell["value"])
                if value is None:
                    continue
                column = cell["column"]
                if column > EXCEL_MAX_COLUMN or column < 1:
                    raise IngestError("xlsx_beyond_sheet",
                                      cell=f"{get_column_letter(min(column, 18_278))}{number}")
                if (isinstance(value, int | float) and not isinstance(value, bool)
                        and is_percent(int(cell["style_id"] or 0))):
                    value = Percent(value * 100)
                placed[column] = value
            if not placed:
                yield number, []
                continue
            row: list[object] = [None] * max(placed)
            for column, value in placed.items():
                row[column - 1] = value
            yield number, row


def read_xlsx(data: bytes, file_name: str, sheet: str | None = None, *,
              limits: Limits | None = None, extra_rows: int = 0) -> Table:
    """Rows of one sheet of an XLSX (default the first), after :func:`inspect_xlsx`."""
    from openpyxl import load_workbook  # imported here: CSV-only callers do not pay for it

    limits = limits or Limits.from_settings()
    inspect_xlsx(data, file_name, limits)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except MemoryError:
        raise
    except Exception as err:  # openpyxl raises many types on damaged files
        log.info("XLSX %r unreadable: %s: %s", file_name, type(err).__name__, err)
        raise IngestError("file_unreadable", file=file_name, kind="XLSX") from err
    collected = _RowCollector(limits, extra_rows)
    try:
        names = list(book.sheetnames)
        if not names:
            raise IngestError("file_unreadable", file=file_name, kind="XLSX")
        if sheet is not None and sheet not in names:
            raise IngestError("sheet_unknown", sheet=sheet, sheets=", ".join(names))
        chosen = sheet if sheet is not None else names[0]
        for number, cells in _sheet_rows(book[chosen], book):
            collected.add(number, cells)
    except (IngestError, MemoryError):
        raise
    except Exception as err:  # openpyxl raises many types on damaged files
        log.info("XLSX %r unreadable: %s: %s", file_name, type(err).__name__, err)
        raise IngestError("file_unreadable", file=file_name, kind="XLSX") from err
    finally:
        book.close()
    return Table(collected.rows, collected.numbers, sheet=chosen, sheets=names)


def read_table(data: bytes, file_name: str, sheet: str | None = None, *,
               limits: Limits | None = None, extra_rows: int = 0) -> Table:
    """Rows of the file, as CSV or XLSX by its name (or its content, for a ZIP-based file).

    Raises
    ------
    IngestError
        ``file_too_large``, ``file_empty``, ``file_type``, ``file_unreadable``,
        ``csv_is_zip``, ``sheet_unknown``, ``too_many_rows`` or one of the XLSX refusals of
        :func:`inspect_xlsx` and :func:`read_xlsx`.
    """
    limits = limits or Limits.from_settings()
    check_upload_size(len(data), limits)
    if not data.strip():
        raise IngestError("file_empty", file=file_name)
    suffix = PurePath(file_name).suffix.lower()
    is_zip = data.startswith(b"PK\x03\x04")
    if suffix in XLSX_SUFFIXES or (is_zip and suffix not in CSV_SUFFIXES):
        return read_xlsx(data, file_name, sheet, limits=limits, extra_rows=extra_rows)
    if suffix in CSV_SUFFIXES or suffix == "":
        if is_zip:
            raise IngestError("csv_is_zip", file=file_name)
        return read_csv(data, file_name, limits=limits, extra_rows=extra_rows)
    raise IngestError("file_type", file=file_name)


# --- streaming a file on disk (the command line's big files) ---------------------------------

_BLOCK = 1 << 20


@dataclass
class RowStream:
    """The non-empty rows of one sheet of a file on disk, read as they are asked for:
    ``rows`` yields ``(sheet row number, cells)`` exactly as :class:`Table` would hold them,
    so memory is what the caller keeps, not the file. :meth:`close` ends the reading (also
    when the caller stops early)."""

    rows: Iterator[tuple[int, list[object]]]
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    encoding: str | None = None
    delimiter: str | None = None
    _close: Callable[[], None] | None = None

    def close(self) -> None:
        close, self._close = self._close, None
        if hasattr(self.rows, "close"):
            self.rows.close()  # type: ignore[union-attr]
        if close is not None:
            close()


def _blank_file(path: Path) -> bool:
    """Whether the file holds only ASCII whitespace, as ``data.strip()`` would say."""
    with path.open("rb") as fh:
        while block := fh.read(_BLOCK):
            if block.strip():
                return False
    return True


def sniff_encoding(path: Path) -> tuple[str, str]:
    """The codec that reads a CSV file on disk and its name, decided as :func:`decode` decides
    (UTF-16 by BOM, else UTF-8 if every byte is, else Windows-1252, else Latin-1), reading
    the file in blocks with incremental decoders instead of holding it whole."""
    with path.open("rb") as fh:
        if fh.read(2) in (b"\xff\xfe", b"\xfe\xff"):
            return "utf-16", "utf-16"
        for codec, label in (("utf-8-sig", "utf-8"), ("cp1252", "cp1252")):
            fh.seek(0)
            decoder = codecs.getincrementaldecoder(codec)()
            try:
                while block := fh.read(_BLOCK):
                    decoder.decode(block)
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                continue
            return codec, label
    return "latin-1", "latin-1"


def _sniff_file_delimiter(path: Path, codec: str) -> str:
    """:func:`sniff_delimiter` on the first lines of the file (only they decide)."""
    lines: list[str] = []
    with path.open("r", encoding=codec, errors="replace", newline=None) as text:
        for line in text:
            if line.strip():
                lines.append(line.rstrip("\r\n"))
                if len(lines) == _SNIFF_LINES:
                    break
    return sniff_delimiter("\n".join(lines))


def _csv_stream(path: Path, file_name: str) -> RowStream:
    codec, label = sniff_encoding(path)
    delimiter = _sniff_file_delimiter(path, codec)

    def rows() -> Iterator[tuple[int, list[object]]]:
        try:
            with path.open("r", encoding=codec, newline="") as text:
                reader = csv.reader(text, delimiter=delimiter)
                for number, record in enumerate(reader, start=1):
                    cells = _compact([c.strip() or None for c in record])
                    if cells:
                        yield number, cells
        except (csv.Error, UnicodeDecodeError) as err:
            log.info("CSV %r unreadable: %s", file_name, err)
            raise IngestError("file_unreadable", file=file_name, kind="CSV") from err

    return RowStream(rows(), encoding=label, delimiter=delimiter)


def _xlsx_stream(path: Path, file_name: str, sheet: str | None, limits: Limits) -> RowStream:
    from openpyxl import load_workbook

    fh = path.open("rb")
    try:
        inspect_xlsx(fh, file_name, limits)
        fh.seek(0)
        book = load_workbook(fh, read_only=True, data_only=True)
    except IngestError:
        fh.close()
        raise
    except MemoryError:
        fh.close()
        raise
    except Exception as err:  # openpyxl raises many types on damaged files
        fh.close()
        log.info("XLSX %r unreadable: %s: %s", file_name, type(err).__name__, err)
        raise IngestError("file_unreadable", file=file_name, kind="XLSX") from err

    def close() -> None:
        book.close()
        fh.close()

    names = list(book.sheetnames)
    if not names or (sheet is not None and sheet not in names):
        close()
        if not names:
            raise IngestError("file_unreadable", file=file_name, kind="XLSX")
        raise IngestError("sheet_unknown", sheet=sheet, sheets=", ".join(names))
    chosen = sheet if sheet is not None else names[0]

    def rows() -> Iterator[tuple[int, list[object]]]:
        try:
            for number, cells in _sheet_rows(book[chosen], book):
                if cells:
                    yield number, cells
        except (IngestError, MemoryError):
            raise
        except Exception as err:  # openpyxl raises many types on damaged files
            log.info("XLSX %r unreadable: %s: %s", file_name, type(err).__name__, err)
            raise IngestError("file_unreadable", file=file_name, kind="XLSX") from err

    return RowStream(rows(), sheet=chosen, sheets=names, _close=close)


def stream_table(path: str | Path, file_name: str | None = None, sheet: str | None = None,
                 *, limits: Limits | None = None) -> RowStream:
    """:func:`read_table` for a file on disk, without reading it whole: the same checks
    (size first, by the file's size on disk; empty; type; XLSX zip and prologs) and the same
    rows, yielded one by one. Rows are not counted here: the caller holds the row limit.

    Raises
    ------
    IngestError
        As :func:`read_table`, when the stream is opened or while it is read.
    """
    limits = limits or Limits.from_settings()
    path = Path(path)
    name = file_name or path.name
    try:
        check_upload_size(path.stat().st_size, limits)
        if _blank_file(path):
            raise IngestError("file_empty", file=name)
        with path.open("rb") as fh:
            is_zip = fh.read(4) == b"PK\x03\x04"
    except OSError as err:
        raise CakupanError(f"cannot read {path}: {err.strerror or err}") from err
    suffix = PurePath(name).suffix.lower()
    if suffix in XLSX_SUFFIXES or (is_zip and suffix not in CSV_SUFFIXES):
        return _xlsx_stream(path, name, sheet, limits)
    if suffix in CSV_SUFFIXES or suffix == "":
        if is_zip:
            raise IngestError("csv_is_zip", file=name)
        return _csv_stream(path, name)
    raise IngestError("file_type", file=name)
