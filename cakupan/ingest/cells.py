"""Reading one cell: spreadsheet values (numbers, text, Excel's floats) as the text a person
typed, computed once per distinct value because files repeat the same labels many times.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd


def cell_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def map_distinct(values: pd.Series, func: Callable[[object], Any]) -> list[Any]:
    """``[func(v) for v in values]``, computing ``func`` once per distinct value."""
    cache: dict[object, Any] = {}
    out = []
    for v in values.tolist():
        if v not in cache:
            cache[v] = func(v)
        out.append(cache[v])
    return out


def code_text(value: object) -> str | None:
    """A code cell as text: Excel turns 74.10 into the number 74.1, so floats keep 2 decimals."""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.2f}"
    return cell_text(value)
