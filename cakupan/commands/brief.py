"""``brief --region PP [--period YYYY-MM] [--segment S] --lang id|en --format pptx|pdf|html
--out FILE``.

For scheduled briefings: the same deck and the same bytes as the app's download button
(both call :func:`cakupan.briefing.export.export`); ``html`` is one self-contained file
that opens with no network (:mod:`cakupan.briefing.html_deck`).
JSON: ``{"out", "format", "slides", "bytes", "seconds"}``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from cakupan import briefing, store
from cakupan.analysis import published
from cakupan.briefing.export import export
from cakupan.commands.cli import Outcome
from cakupan.core.errors import CakupanError


def _latest_period(engine: object, segment: str, region: str | None = None) -> str:
    """The month the app's briefing page opens on without a ``period`` in its URL: the latest
    with a published figure for the region when there is one, else the latest with data for
    the segment (CONTRACTS.md command 7 makes ``--period`` optional)."""
    months = store.periods(engine, segment)
    if not months:
        raise CakupanError(f"no figures for segment {segment!r} yet: import data or pass "
                           "--period YYYY-MM")
    return published.opening_month(store.published_observations(engine, segment=segment),
                                   months, segment, region) or months[-1]


def run(args: argparse.Namespace) -> Outcome:
    start = time.perf_counter()
    out = Path(args.out)
    if not out.parent.is_dir():
        raise CakupanError(f"cannot write {out}: folder {out.parent} does not exist")
    engine = store.get_engine()
    period = args.period or _latest_period(engine, args.segment, args.region)
    deck = briefing.build_deck(engine, region=args.region, period=period,
                               segment=args.segment, lang=args.lang)
    if getattr(args, "villages", None):
        from cakupan.briefing.village_slide import with_village_slide

        deck = with_village_slide(deck, engine, args.villages)
    data = export(deck, args.format)
    try:
        out.write_bytes(data)
    except OSError as err:
        raise CakupanError(f"cannot write {out}: {err.strerror}") from err
    seconds = round(time.perf_counter() - start, 3)
    payload = {"out": str(out), "format": args.format, "slides": len(deck.slides),
               "bytes": len(data), "seconds": seconds}
    text = (f"{out}: {len(deck.slides)} slides, {len(data):,} bytes, {args.format.upper()}, "
            f"{seconds:.1f} s — {deck.title}")
    return Outcome(payload, text)
