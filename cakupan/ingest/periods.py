"""Read the months people write in spreadsheets as ``"YYYY-MM"``.

Accepted: "Okt 2018", "Oktober 2018", "Oct 2018", "Okt-18", "2018-10", "2018/10", "10/2018",
dates written day first as Indonesians do ("04/10/2018" is 4 October 2018), ISO dates
("2018-10-04"), "4 Oktober 2018", Excel date cells and Excel date serial numbers.

A bare year ("2024") is refused (``period_year_only``): coverage is tracked month by month,
and silently putting a yearly figure on January or December would draw a false trend. The
importer lets the user supply the month for the whole file instead (see
``cakupan.ingest.parse_file``'s ``period``).
"""

from __future__ import annotations

import datetime as dt
import math
import re

import numpy as np

MONTHS: dict[str, int] = {}
for _number, _names in enumerate((
    ("januari", "january", "jan"),
    ("februari", "pebruari", "february", "feb", "peb"),
    ("maret", "march", "mar"),
    ("april", "apr"),
    ("mei", "may"),
    ("juni", "june", "jun"),
    ("juli", "july", "jul"),
    ("agustus", "august", "agu", "agt", "ags", "agus", "aug"),
    ("september", "sep", "sept"),
    ("oktober", "october", "okt", "oct"),
    ("november", "nopember", "nov", "nop"),
    ("desember", "december", "des", "dec"),
), start=1):
    for _name in _names:
        MONTHS[_name] = _number

#: Excel's day zero; serial 43374 is 2018-10-01.
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_EXCEL_SERIALS = (25000, 75000)  # 1968..2105: any other number is not a date
YEARS = (1990, 2100)

_Y_M = re.compile(r"(\d{4})[-/. ](\d{1,2})")
_M_Y = re.compile(r"(\d{1,2})[-/. ](\d{4})")
_D_M_Y = re.compile(r"(\d{1,2})[-/. ](\d{1,2})[-/. ](\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_NAME_Y = re.compile(r"([a-z]+)\.?[\s\-/'’]*(\d{4}|\d{2})")
_Y_NAME = re.compile(r"(\d{4})[\s\-/]+([a-z]+)\.?")
_D_NAME_Y = re.compile(r"(\d{1,2})[\s\-]+([a-z]+)\.?[\s\-]+(\d{4})")
_YEAR = re.compile(r"\d{4}")


class PeriodError(ValueError):
    """A cell that is not a month; ``key`` is ``period_invalid`` or ``period_year_only``."""

    def __init__(self, key: str, value: object) -> None:
        super().__init__(f"{key}: {value!r}")
        self.key = key
        self.value = value


def _month(year: int, month: int, raw: object) -> str:
    if not (1 <= month <= 12 and YEARS[0] <= year <= YEARS[1]):
        raise PeriodError("period_invalid", raw)
    return f"{year:04d}-{month:02d}"


def _from_text(text: str, raw: object) -> str:
    t = re.sub(r"\s+", " ", text.strip().lower())
    if m := _ISO.fullmatch(t):
        return _month(int(m[1]), int(m[2]), raw)
    if m := _Y_M.fullmatch(t):
        return _month(int(m[1]), int(m[2]), raw)
    if m := _M_Y.fullmatch(t):
        return _month(int(m[2]), int(m[1]), raw)
    if m := _D_M_Y.fullmatch(t):  # day first, as Indonesians write dates
        if not 1 <= int(m[1]) <= 31:
            raise PeriodError("period_invalid", raw)
        return _month(int(m[3]), int(m[2]), raw)
    if (m := _NAME_Y.fullmatch(t)) and m[1] in MONTHS:
        year = int(m[2]) + (2000 if len(m[2]) == 2 else 0)
        return _month(year, MONTHS[m[1]], raw)
    if (m := _Y_NAME.fullmatch(t)) and m[2] in MONTHS:
        return _month(int(m[1]), MONTHS[m[2]], raw)
    if (m := _D_NAME_Y.fullmatch(t)) and m[2] in MONTHS:
        return _month(int(m[3]), MONTHS[m[2]], raw)
    if _YEAR.fullmatch(t) and YEARS[0] <= int(t) <= YEARS[1]:
        raise PeriodError("period_year_only", raw)
    raise PeriodError("period_invalid", raw)


def parse_period(value: object) -> str | None:
    """One cell as ``"YYYY-MM"``, or ``None`` if the cell is empty.

    Raises
    ------
    PeriodError
        ``period_year_only`` for a bare year, ``period_invalid`` for anything else unreadable.

    Examples
    --------
    >>> parse_period("Okt 2018"), parse_period("04/10/2018"), parse_period("2018-10")
    ('2018-10', '2018-10', '2018-10')
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime | dt.date):
        return _month(value.year, value.month, value)
    if isinstance(value, bool):
        raise PeriodError("period_invalid", value)
    if isinstance(value, int | float | np.integer | np.floating):
        number = float(value)
        if math.isnan(number):
            return None
        if number.is_integer() and YEARS[0] <= number <= YEARS[1]:
            raise PeriodError("period_year_only", int(number))
        if _EXCEL_SERIALS[0] <= number <= _EXCEL_SERIALS[1]:
            day = _EXCEL_EPOCH + dt.timedelta(days=int(number))
            return _month(day.year, day.month, value)
        raise PeriodError("period_invalid", value)
    text = str(value).strip()
    if text in ("", "-"):
        return None
    return _from_text(text, value)


def header_period(value: object) -> str | None:
    """The month a column header names ("Jan 2024", "2024-01", an Excel date), else ``None``.

    Stricter than :func:`parse_period`: a bare year or a number is not a month column, so
    that a header such as "2024" or "No" is never mistaken for one.
    """
    if isinstance(value, int | float | bool | np.integer | np.floating) or value is None:
        return None
    try:
        return parse_period(value)
    except PeriodError:
        return None


_IN_TEXT = (
    re.compile(r"(?<![\w/.-])(?:(\d{1,2})\s+)?([a-z]+)\.?[\s\-']+(\d{4})(?!\w)"),  # 31 Des 2024
    re.compile(r"(?<![\w/.-])(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?![\w/])"),  # 31/12/2024
    re.compile(r"(?<![\w/.-])(\d{4})-(\d{1,2})(?![\w/-])"),  # 2024-12
    re.compile(r"(?<![\w/.-])(\d{1,2})/(\d{4})(?![\w/])"),  # 12/2024
)


def period_in_text(text: object) -> str | None:
    """The one month a title or note names ("Posisi: September 2022", "Per 31 Desember
    2024", "Data s.d. 2024-06"), else ``None``: also when it names two different months (a
    range such as "Januari - Desember 2024" is not one month's figure to guess from).

    >>> period_in_text("Posisi: September 2022"), period_in_text("Per 31 Desember 2024")
    ('2022-09', '2024-12')
    """
    if not isinstance(text, str):
        return None
    found: set[str] = set()
    named = 0
    lower = text.lower()
    by_name, dmy, ym, my = _IN_TEXT
    for m in by_name.finditer(lower):
        if m[2] in MONTHS:
            named += 1
            try:
                found.add(_month(int(m[3]), MONTHS[m[2]], text))
            except PeriodError:
                continue
    for pattern, year, month in ((dmy, 3, 2), (ym, 1, 2), (my, 2, 1)):
        for m in pattern.finditer(lower):
            try:
                found.add(_month(int(m[year]), int(m[month]), text))
            except PeriodError:
                continue
    if named != sum(1 for w in re.findall(r"[a-z]+", text.lower()) if w in MONTHS):
        return None  # another month without its year: "Januari - Desember 2024"
    return found.pop() if len(found) == 1 else None
