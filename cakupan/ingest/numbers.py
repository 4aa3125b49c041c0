"""Read numbers the way Indonesian spreadsheets write them.

Indonesian uses ``.`` to group thousands and ``,`` for decimals ("1.356.000", "40,5%"); files
exported from English software use the opposite. Most values say which convention they follow;
one kind does not:

**The ambiguity rule.** A value with a single separator followed by exactly three digits and no
other separator ("1.356", "1,356") could be either. It is decided by the *other values of the
same column*:

* if some value unambiguously uses the Indonesian convention ("1.356.000", "40,5",
  "1.356,5") and none uses the English one, it is Indonesian: "1.356" = 1356, "1,356" = 1.356;
* if some value unambiguously uses the English convention ("1,356,000", "40.5") and none uses
  the Indonesian one, it is English: "1,356" = 1356, "1.356" = 1.356;
* if the column gives no evidence, Indonesian is assumed for ``.`` ("1.356" = 1356). For ``,``
  a column of *counts of people* reads it as thousands ("1,356" = 1356; 1.356 people is
  impossible), any other column as an Indonesian decimal ("1,356" = 1.356);
* if the column holds both conventions, the ambiguous value is refused: guessing wrong would
  change a figure a thousand-fold.

Other forms: "Rp 11.000" / "Rp11.000,-" = 11000; "40,5%" = 40.5; "3,5 ribu" = 3500, "1,2 juta"
= 1200000 (also rb/jt/miliar/triliun and thousand/million/billion); "1 356" = 1356; "", "-",
"–" and "n/a" are missing. Numbers that are already numbers (Excel cells) pass through.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

Style = Literal["id", "en"]

#: Cell texts that mean "no figure" rather than zero.
MISSING = frozenset({"", "-", "–", "—", "--", "n/a", "na", "nan", "none", "null", "#n/a", "?"})

#: Words after a number that scale it. A bare "M" is left out on purpose: it is "miliar" (10^9)
#: in Indonesian and "million" (10^6) in English.
MULTIPLIERS: dict[str, float] = {
    "ribu": 1e3, "rb": 1e3, "k": 1e3, "thousand": 1e3,
    "juta": 1e6, "jt": 1e6, "million": 1e6,
    "miliar": 1e9, "milyar": 1e9, "billion": 1e9,
    "triliun": 1e12, "trillion": 1e12,
}

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_CURRENCY = re.compile(r"^(?:rp\.?|idr)\s*", re.IGNORECASE)
_DASH_TAIL = re.compile(r"[,.]\s*-+$")  # "11.000,-"
_CORE = re.compile(r"^(?P<sign>[-+−]?)(?P<num>\d[\d.,]*|[.,]\d+)(?P<pct>%?)$")
_WORD_TAIL = re.compile(r"^(?P<num>.*?\d)\s*(?P<word>[a-z]+)\.?$", re.IGNORECASE)


class Percent(float):
    """A number that a spreadsheet showed as a percentage (an Excel cell formatted "0%"),
    already multiplied by 100: ``Percent(40.5)`` is 40.5%."""


class NumberError(ValueError):
    """A cell that is not a number; ``key`` names the message (see ``cakupan.ingest.messages``)."""

    def __init__(self, key: str, value: str, **params: object) -> None:
        super().__init__(f"{key}: {value!r}")
        self.key = key
        self.value = value
        self.params = params


@dataclass(frozen=True)
class _Token:
    """A number's text cleaned of currency, spaces, percent and multiplier words."""

    sign: float
    digits: str  # only digits, "." and ","
    percent: bool
    multiplier: float


def _tokenise(raw: str) -> _Token | None:
    text = _SPACES.sub(" ", raw).strip()
    if text.lower() in MISSING:
        return None
    text = _CURRENCY.sub("", text)
    text = _DASH_TAIL.sub("", text).strip()
    multiplier = 1.0
    tail = _WORD_TAIL.match(text)
    if tail and tail.group("word").lower() in MULTIPLIERS:
        multiplier = MULTIPLIERS[tail.group("word").lower()]
        text = tail.group("num")
    # Spaces between digit groups ("1 356 000") group thousands.
    text = re.sub(r"(?<=\d) (?=\d)", "", text).replace(" %", "%").strip()
    core = _CORE.match(text)
    if not core:
        raise NumberError("number_invalid", raw)
    sign = -1.0 if core.group("sign") in ("-", "−") else 1.0
    return _Token(sign, core.group("num"), bool(core.group("pct")), multiplier)


def evidence(digits: str) -> Style | None:
    """Which convention a number's separators prove, or ``None`` if they prove nothing.

    >>> evidence("1.356.000"), evidence("40,5"), evidence("1,356"), evidence("40.5")
    ('id', 'id', None, 'en')
    """
    dots, commas = digits.count("."), digits.count(",")
    if dots and commas:
        return "id" if digits.rfind(",") > digits.rfind(".") else "en"
    if dots > 1:
        return "id"
    if commas > 1:
        return "en"
    if dots == 1 or commas == 1:
        sep = "." if dots else ","
        after = len(digits) - digits.index(sep) - 1
        if after == 3 and digits.index(sep) > 0:
            return None  # the ambiguous case
        return "en" if sep == "." else "id"
    return None


def _grouped(part: str, sep: str) -> bool:
    """Whether ``part`` is correctly grouped in threes by ``sep`` ("1.356.000")."""
    groups = part.split(sep)
    return 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:]) and all(
        g.isdigit() for g in groups)


def _value(digits: str, style: Style, raw: str) -> float:
    thousands, decimal = (".", ",") if style == "id" else (",", ".")
    if digits.count(decimal) > 1:
        raise NumberError("number_invalid", raw)
    whole, _, frac = digits.partition(decimal)
    if thousands in whole and not _grouped(whole, thousands):
        raise NumberError("number_invalid", raw)
    if frac and not frac.isdigit():
        raise NumberError("number_invalid", raw)
    whole = whole.replace(thousands, "") or "0"
    return float(f"{whole}.{frac}" if frac else whole)


def parse_number(value: object, *, style: Style | None = None,
                 integer: bool = False) -> float | None:
    """One cell as a float, or ``None`` when missing.

    Parameters
    ----------
    value
        Text ("1.356", "Rp 11.000,-", "40,5%", "3,5 ribu") or a number from an Excel cell.
    style
        The column's convention for ambiguous values (see the module docstring); ``None`` means
        no evidence.
    integer
        The column counts people, which decides "1,356" without evidence (= 1356).

    Raises
    ------
    NumberError
        ``number_invalid`` for text that is not a number, ``number_ambiguous`` is never raised
        here (the column decides); see :func:`parse_numbers`.

    Examples
    --------
    >>> parse_number("1.356"), parse_number("40,5%"), parse_number("Rp11.000,-")
    (1356.0, 40.5, 11000.0)
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        return None if math.isnan(float(value)) else float(value)
    token = _tokenise(str(value))
    if token is None:
        return None
    found = evidence(token.digits)
    if found is None and ("." in token.digits or "," in token.digits):
        if style is not None:
            found = style
        elif "." in token.digits:
            found = "id"
        else:
            found = "en" if integer else "id"
    number = _value(token.digits, found or "id", str(value))
    return token.sign * number * token.multiplier


def column_style(values: Sequence[object]) -> Style | Literal["mixed"] | None:
    """The convention a column's unambiguous values prove: "id", "en", "mixed" or ``None``."""
    seen: set[str] = set()
    for value in values:
        if not isinstance(value, str):
            continue
        try:
            token = _tokenise(value)
        except NumberError:
            continue
        if token is not None:
            style = evidence(token.digits)
            if style:
                seen.add(style)
                if len(seen) == 2:
                    return "mixed"
    return seen.pop() if seen else None


@dataclass(frozen=True)
class ParsedColumn:
    """Numbers of one column: ``values`` (float, NaN = missing), ``percent`` (cell had "%"),
    and ``errors`` as ``{position: NumberError}``."""

    values: np.ndarray
    percent: np.ndarray
    errors: dict[int, NumberError]


#: Vectorised shapes of the commonest cells: plain digits, and integers grouped in threes.
_SHAPES = {
    "plain": r"\d+",
    "id_grouped": r"\d{1,3}(?:\.\d{3}){2,}",  # 1.356.000: Indonesian
    "en_grouped": r"\d{1,3}(?:,\d{3}){2,}",  # 1,356,000: English
    "dot3": r"[1-9]\d{0,2}\.\d{3}",  # 1.356: ambiguous
    "comma3": r"[1-9]\d{0,2},\d{3}",  # 1,356: ambiguous
}


def column_evidence(values: Sequence[object] | pd.Series) -> frozenset[str]:
    """The conventions ("id", "en") that a column's unambiguous values prove.

    What :func:`parse_numbers` decides ambiguous values by, on its own: a file read in
    chunks unions the evidence of every chunk (it is a union of each value's evidence) and
    hands the whole column's to each chunk, so "1.356" reads the same in every chunk as in
    the whole file.
    """
    series = pd.Series(values, dtype=object)
    texts = pd.Series(series[series.map(type).eq(str).to_numpy()].unique(), dtype=object)
    if texts.empty:
        return frozenset()
    shape = {name: texts.str.fullmatch(rx).fillna(False).to_numpy(dtype=bool)
             for name, rx in _SHAPES.items()}
    rest = texts[~np.logical_or.reduce(list(shape.values()))]
    found = column_style(list(rest))
    seen = {"id", "en"} if found == "mixed" else ({found} if found else set())
    if shape["id_grouped"].any():
        seen.add("id")
    if shape["en_grouped"].any():
        seen.add("en")
    return frozenset(seen)


def parse_numbers(values: Sequence[object] | pd.Series, *, integer: bool = False,
                  proven: frozenset[str] | None = None) -> ParsedColumn:
    """Parse a whole column, deciding ambiguous values from the column (module docstring).

    ``proven`` is the whole column's evidence (:func:`column_evidence`) when ``values`` are
    only part of it (a chunk of a big file); by default they are the whole column.

    Fast on large files: the common shapes (plain and grouped integers) are classified and
    converted in vectorised steps; every other distinct text is parsed once.
    """
    series = pd.Series(values, dtype=object).reset_index(drop=True)
    out = np.full(len(series), np.nan)
    percent = np.zeros(len(series), dtype=bool)
    errors: dict[int, NumberError] = {}
    is_str = series.map(type).eq(str).to_numpy()
    for pos in np.flatnonzero(~is_str):
        value = series.iat[pos]
        out[pos] = np.nan if (n := parse_number(value)) is None else n
        percent[pos] = isinstance(value, Percent)
    texts = series[is_str].astype(str)
    shape = {name: texts.str.fullmatch(rx).fillna(False).to_numpy(dtype=bool)
             for name, rx in _SHAPES.items()}
    rest = texts[~np.logical_or.reduce(list(shape.values()))] if len(texts) else texts
    if proven is not None:
        seen: set[str | None] = set(proven)
    else:
        seen = {column_style(list(rest.unique()))} - {None}
        if shape["id_grouped"].any():
            seen.add("id")
        if shape["en_grouped"].any():
            seen.add("en")
    style: Style | Literal["mixed"] | None = (
        "mixed" if "mixed" in seen or len(seen) > 1 else (seen.pop() if seen else None))

    def put(mask: np.ndarray, numbers: pd.Series) -> None:
        out[texts.index[mask].to_numpy()] = numbers.to_numpy(dtype=float)

    put(shape["plain"], texts[shape["plain"]].astype("float64"))
    put(shape["id_grouped"], texts[shape["id_grouped"]].str.replace(".", "").astype("float64"))
    put(shape["en_grouped"], texts[shape["en_grouped"]].str.replace(",", "").astype("float64"))
    for name, sep in (("dot3", "."), ("comma3", ",")):
        mask = shape[name]
        if not mask.any():
            continue
        if style == "mixed":
            rest = pd.concat([rest, texts[mask]])
            continue
        thousands = ((sep == "." and style != "en") or (sep == "," and (
            style == "en" or (style is None and integer))))
        numbers = texts[mask].str.replace(sep, "" if thousands else ".")
        put(mask, numbers.astype("float64"))
    if rest.empty:
        return ParsedColumn(out, percent, errors)
    cache: dict[str, tuple[float, bool] | NumberError] = {}
    for text in rest.unique():
        try:
            token = _tokenise(text)
            if token is None:
                cache[text] = (np.nan, False)
                continue
            if style == "mixed" and evidence(token.digits) is None and (
                    "." in token.digits or "," in token.digits):
                a = parse_number(text, style="id")
                b = parse_number(text, style="en")
                raise NumberError("number_ambiguous", text, a=a, b=b)
            number = parse_number(text, style=None if style == "mixed" else style,
                                  integer=integer)
            cache[text] = (np.nan if number is None else number, token.percent)
        except NumberError as err:
            cache[text] = err
    for pos, text in rest.items():
        hit = cache[text]
        if isinstance(hit, NumberError):
            errors[pos] = hit
        else:
            out[pos], percent[pos] = hit
    return ParsedColumn(out, percent, errors)
