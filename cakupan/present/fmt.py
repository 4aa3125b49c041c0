"""Numbers, percentages, rupiah and months as people read them in each language.

Indonesian writes "1.356" for one thousand three hundred and fifty-six and "40,5%" for forty
and a half per cent; English writes "1,356" and "40.5%". Babel holds those conventions (and
the month names: "Okt", "Des"), so every figure the app shows passes through here.

Choices made once for the whole app:

* Rounding is half-up on the decimal text of the number (40,25 -> "40,3"), as people round
  by hand; Babel's default half-even would print "40,2".
* A missing figure (``None`` or NaN) prints as an en dash "–", never "0" or "nan".
* Large rupiah amounts are spelled with words ("Rp2,4 miliar"), never compact letters: in
  Indonesian "M" means *miliar* (10^9) but an English reader takes it for million.
* Percentages are given as percentage values (40.5), not fractions (0.405), because that is
  how the data store and the sources state them.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
import re
from functools import cache
from numbers import Integral

from babel.dates import format_date, get_month_names
from babel.numbers import get_decimal_symbol, get_group_symbol

from cakupan.core.i18n import babel_locale, plural_key, t

#: What a missing figure looks like.
MISSING = "–"

_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")

#: Amounts from this size on are spelled with a word (juta/million...).
_WORD_SCALES: tuple[tuple[float, str], ...] = (
    (1e12, "num.trillion"),
    (1e9, "num.billion"),
    (1e6, "num.million"),
)


def _missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return math.isnan(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def _decimal(value: object) -> decimal.Decimal:
    """The number as its shortest decimal text, so 0.1 + 0.2 rounds as 0.3 would."""
    if isinstance(value, decimal.Decimal):
        return value
    if isinstance(value, Integral):
        return decimal.Decimal(int(value))
    return decimal.Decimal(str(float(value)))  # type: ignore[arg-type]


def _round(value: object, digits: int) -> decimal.Decimal:
    return _decimal(value).quantize(decimal.Decimal(1).scaleb(-digits),
                                    rounding=decimal.ROUND_HALF_UP)


@cache
def _separators(lang: str) -> dict[int, str]:
    """Babel's decimal and group symbols of the locale, as a ``str.translate`` table."""
    locale = babel_locale(lang)
    return str.maketrans({".": get_decimal_symbol(locale), ",": get_group_symbol(locale)})


def _format(value: object, digits: int, lang: str, *, trim: bool = False) -> str:
    """Grouped and rounded half-up to ``digits`` places; ``trim`` drops trailing zeros.

    The symbols come from Babel's locale data; the digits are laid out by Python's own
    formatting, which is some 20 times faster than ``babel.numbers.format_decimal`` and
    matters when a chart formats thousands of hover labels. Both locales group by three.
    """
    rounded = _round(value, digits)
    if rounded == 0:
        rounded = abs(rounded)  # no "-0"
    text = f"{rounded:,.{digits}f}"
    if trim and digits:
        text = text.rstrip("0").rstrip(".")
    return text.translate(_separators(lang))


def number(n: float | None, lang: str = "id", digits: int = 0) -> str:
    """A plain number: ``number(1356)`` -> "1.356", ``number(1356, "en")`` -> "1,356"."""
    return MISSING if _missing(n) else _format(n, digits, lang)  # type: ignore[arg-type]


def pct(x: float | None, lang: str = "id", digits: int = 1) -> str:
    """A percentage value: ``pct(40.5)`` -> "40,5%", ``pct(40.5, "en")`` -> "40.5%"."""
    return MISSING if _missing(x) else f"{_format(x, digits, lang)}%"  # type: ignore[arg-type]


def pct_as_published(x: float | None, lang: str = "id") -> str:
    """A percentage with the decimals a source gave, up to two: "39,45%", "40%", "40,5%".

    A published figure is quoted as published: rounding 39.45 to "39,5%" would put a number
    in the source's mouth that it never said, and "40,00%" a precision it never claimed.
    """
    return MISSING if _missing(x) else f"{_format(x, 2, lang, trim=True)}%"  # type: ignore[arg-type]


def points(x: float | None, lang: str = "id", digits: int = 1, *, signed: bool = False) -> str:
    """Percentage points, for gaps and changes: "15 poin" / "15 points", "+3,2 poin".

    Whole numbers print without decimals ("15 poin", not "15,0 poin"), because a headline
    such as "kurang 15 poin" reads better that way.
    """
    if _missing(x):
        return MISSING
    text = _format(x, digits, lang, trim=True)  # type: ignore[arg-type]
    if signed and float(x) > 0 and text.strip("0,.") != "":  # type: ignore[arg-type]
        text = f"+{text}"
    shown = float(_round(abs(x), digits))  # type: ignore[arg-type]  # plural of what is printed
    return t(plural_key("unit.points", shown, lang), lang, n=text)


def rupiah(n: float | None, lang: str = "id") -> str:
    """Rupiah without decimals: "Rp16.800" / "Rp16,800"; negatives as "-Rp16.800".

    The "Rp" symbol is used in both languages (Babel's English form would be "IDR16,800.00").
    """
    if _missing(n):
        return MISSING
    text = _format(abs(n), 0, lang)  # type: ignore[arg-type]
    return f"-Rp{text}" if float(n) < 0 and text != "0" else f"Rp{text}"  # type: ignore[arg-type]


def rupiah_words(n: float | None, lang: str = "id", digits: int = 1) -> str:
    """Rupiah with a scale word from a million up: "Rp2,4 miliar" / "Rp2.4 billion".

    Below a million the full figure is clearer ("Rp16.800"). Rounding that reaches the next
    scale moves up a word (999.960.000 is "Rp1 miliar", not "Rp1.000 juta").
    """
    if _missing(n):
        return MISSING
    value = float(n)  # type: ignore[arg-type]
    for scale, key in _WORD_SCALES:
        scaled = _round(abs(value) / scale, digits)
        if scaled >= 1:
            words = t(key, lang, n=_format(scaled, digits, lang, trim=True))
            return f"-Rp{words}" if value < 0 else f"Rp{words}"
    return rupiah(value, lang)


def people(n: float | None, lang: str = "id") -> str:
    """A head count: "1.356 orang" / "1,356 people" ("1 person")."""
    return count(n, "people", lang)


def count(n: float | None, unit: str, lang: str = "id", digits: int = 0) -> str:
    """A number with a unit word from the catalogue (``unit.<unit>.one|other``):
    ``count(3, "months", "en")`` -> "3 months", ``count(11, "regions")`` -> "11 wilayah"."""
    if _missing(n):
        return MISSING
    text = _format(n, digits, lang)  # type: ignore[arg-type]
    shown = float(_round(abs(n), digits))  # type: ignore[arg-type]  # plural of what is printed
    return t(plural_key(f"unit.{unit}", shown, lang), lang, n=text)


def parse_period(period: str) -> dt.date:
    """The first day of a ``"YYYY-MM"`` period.

    Raises
    ------
    ValueError
        When ``period`` is not ``YYYY-MM`` with a month from 01 to 12.
    """
    match = _PERIOD.match(str(period))
    if not match:
        raise ValueError(f"period {period!r} is not YYYY-MM")
    return dt.date(int(match.group(1)), int(match.group(2)), 1)


def month(period: str | dt.date | None, lang: str = "id", style: str = "short") -> str:
    """A month for people: "Okt 2018" / "Oktober 2018" (id), "Oct 2018" / "October 2018" (en).

    Parameters
    ----------
    period
        ``"YYYY-MM"`` or a date; ``None`` gives "–".
    style
        ``"short"`` (abbreviated month) or ``"long"`` (full month name).
    """
    if period is None:
        return MISSING
    day = period if isinstance(period, dt.date) else parse_period(period)
    width = {"short": "abbreviated", "long": "wide"}.get(style)
    if width is None:
        raise ValueError(f"style {style!r}; expected 'short' or 'long'")
    return f"{_month_names(width, lang)[day.month]} {day.year}"


@cache
def _month_names(width: str, lang: str) -> dict[int, str]:
    return dict(get_month_names(width, "stand-alone", locale=babel_locale(lang)))


def date(value: dt.date | dt.datetime | str | None, lang: str = "id", style: str = "medium") -> str:
    """A calendar date: "4 Okt 2018" / "Oct 4, 2018" (medium), "4 Oktober 2018" (long).

    ``value`` may be a date, a datetime or ISO text ("2018-10-04"); ``style`` is Babel's
    "short", "medium", "long" or "full".
    """
    if value is None or value == "":
        return MISSING
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    if isinstance(value, dt.datetime):
        value = value.date()
    return format_date(value, style, locale=babel_locale(lang))


def plotly_separators(lang: str = "id") -> str:
    """plotly's ``layout.separators``: decimal mark then thousands mark (",." for id)."""
    babel_locale(lang)  # rejects unknown languages
    return ",." if lang == "id" else ".,"
