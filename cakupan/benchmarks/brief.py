"""Benchmarks of the briefing exports (issue 5): a province deck as PPTX and PDF.

Measured end to end as a scheduled ``brief`` run does it (deck from the store, pictures,
file), on Maluku's latest month with data, warm: the store and the boundary files are loaded
once before timing, as they would be in a running app.
"""

from __future__ import annotations

from functools import cache

from cakupan import briefing
from cakupan.benchmarks.registry import benchmark, best_of

REGION = "81"
SEGMENT = "all"


@cache
def _setup() -> tuple[object, str]:
    from cakupan import store

    engine = store.get_engine()
    period = store.periods(engine, segment=SEGMENT)[-1]
    return engine, period


def _file(fmt: str) -> bytes:
    from cakupan.briefing.export import export

    engine, period = _setup()
    deck = briefing.build_deck(engine, region=REGION, period=period, segment=SEGMENT)
    return export(deck, fmt)


@benchmark("brief_pptx_s", budget=15.0, unit="s", issue=5)
def brief_pptx_s() -> float:
    """Seconds to build the Maluku deck and write it as PPTX (warm)."""
    _file("pptx")
    return best_of(lambda: _file("pptx"), repeat=2)


@benchmark("brief_pdf_s", budget=15.0, unit="s", issue=5)
def brief_pdf_s() -> float:
    """Seconds to build the Maluku deck and write it as PDF (warm)."""
    _file("pdf")
    return best_of(lambda: _file("pdf"), repeat=2)


@benchmark("brief_file_mb", budget=10.0, unit="MB", issue=5)
def brief_file_mb() -> float:
    """Size of the larger of the two files, in MB (10^6 bytes)."""
    return max(len(_file("pptx")), len(_file("pdf"))) / 1e6
