"""Month arithmetic on ``"YYYY-MM"`` periods, the one time unit of every coverage figure.

A period becomes an integer (months since year 0), so differences and ranges are integer
arithmetic with no calendar library and no time zones.
"""

from __future__ import annotations


def month_index(period: str) -> int:
    """Months since year 0 of a ``"YYYY-MM"`` period, so month arithmetic is integer arithmetic."""
    year, month = period.split("-")
    return int(year) * 12 + int(month) - 1


def period_at(index: int) -> str:
    """Inverse of :func:`month_index`."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def months_between(start: str, end: str) -> int:
    """Whole months from ``start`` to ``end`` (``"2024-06"`` -> ``"2024-12"`` is 6)."""
    return month_index(end) - month_index(start)


def period_range(start: str, end: str) -> list[str]:
    """Every month from ``start`` to ``end`` inclusive."""
    return [period_at(i) for i in range(month_index(start), month_index(end) + 1)]
