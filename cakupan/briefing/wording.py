"""Words shared by every slide: percentages a room can read, citations per slide, lists of
names that stop before they overflow.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from cakupan.analysis import metrics
from cakupan.briefing.model import MAX_NAMES, BriefingData
from cakupan.present import fmt
from cakupan.present.deck_text import text


def whole_pct(value: float | None, lang: str) -> str:
    """"40%" for a whole percentage, "40,5%" otherwise: headlines should not say "40,0%"."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return fmt.MISSING
    digits = 0 if abs(round(float(value), 1) - round(float(value))) < 1e-9 else 1
    return fmt.pct(value, lang, digits)


def precise_pct(value: float | None, lang: str) -> str:
    """A percentage with the decimals its source gave, up to two: "39,45%", "40%".

    The headline of a published figure quotes it as published; rounding 39.45 to "39,5%"
    would put a number in the source's mouth it never said.
    """
    return fmt.pct_as_published(value, lang)


def published_when(figure: dict[str, Any], lang: str) -> str | None:
    """"31 Des 2024 (BPJS Ketenagakerjaan)": a published figure's own date and publisher, or
    ``None`` for a figure that is not published (illustrative, or no data)."""
    if figure.get("illustrative") or figure.get("status") in (None, "no_data"):
        return None
    as_of = str(figure.get("as_of") or figure.get("period") or "")
    if not as_of:
        return None
    day = fmt.date(as_of, lang) if len(as_of) == 10 else fmt.month(as_of[:7], lang)
    who = figure.get("source_name")
    return text("when_source", lang, date=day, source=who) if who else day


class Cites:
    """Collects citations for one slide (and remembers whether any is illustrative)."""

    def __init__(self, data: BriefingData) -> None:
        self.data = data
        self.ids: list[str] = []
        self.extra: list[str] = []
        self.illustrative = False

    def add(self, ids: object, illustrative: bool = False) -> None:
        if isinstance(ids, str):
            ids = [ids]
        for sid in ids or []:
            if sid and sid not in self.ids:
                self.ids.append(str(sid))
            if sid in self.data.illustrative_sources:
                self.illustrative = True
        self.illustrative = self.illustrative or bool(illustrative)

    def row(self, row: dict[str, Any] | None) -> None:
        if row:
            self.add(row.get("sources") or row.get("source_id"),
                     bool(row.get("illustrative")))
            self.add(row.get("extra_sources"))

    def frame(self, frame: pd.DataFrame) -> None:
        if len(frame):
            self.add(sorted({s for lst in frame["sources"] for s in lst}),
                     bool(frame["illustrative"].any()))

    def citations(self) -> list[str]:
        out = [self.data.citations.get(sid, sid) for sid in self.ids]
        return list(dict.fromkeys(out + self.extra))


def short_name(name: str) -> str:
    return str(name).removeprefix("Kabupaten ").removeprefix("Kota ")


def name_list(names: list[str], lang: str) -> str:
    shown = [short_name(n) for n in names[:MAX_NAMES]]
    rest = len(names) - len(shown)
    joined = ", ".join(shown)
    return f"{joined} {text('behind.more', lang, n=rest)}" if rest > 0 else joined


def status_counts(data: BriefingData) -> dict[str, int]:
    return {s: int((data.parts["status"] == s).sum()) for s in metrics.STATUSES}


def deadline_text(target: dict[str, Any] | None, lang: str) -> str | None:
    if not target or not target.get("deadline"):
        return None
    return fmt.month(str(target["deadline"]), lang, style="long")
