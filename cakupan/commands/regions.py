"""``regions resolve [--province PP | --regency PP.RR [--district KK]] [--json] NAME...``:
free-text region names, or village names within a regency, to Kemendagri codes.

Exit status 0 even when some names do not resolve: an unresolved name is an answer
(``code: null``), not a failure. Only a bad ``--province`` is an error (exit 1).
"""

from __future__ import annotations

import argparse

from cakupan.commands.cli import Outcome
from cakupan.core.errors import CakupanError
from cakupan.regions import resolve, village_names


def _table(results: list[resolve.Resolution]) -> str:
    """A small fixed-width table; ambiguous names list their candidates in the name column."""
    rows = [("input", "code", "name", "method", "score")]
    for r in results:
        name = r.name or (f"? {' / '.join(r.candidates)}" if r.candidates else "-")
        rows.append((r.input, r.code or "-", name, r.method, f"{r.score:.2f}"))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row[:4], widths, strict=True))
             + "  " + row[4] for row in rows]
    unmatched = resolve.unmatched(results)
    if unmatched:
        lines.append(f"\n{len(unmatched)} of {len(results)} not resolved: {', '.join(unmatched)}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> Outcome:
    if args.action != "resolve":  # the parser allows only "resolve" today
        raise ValueError(f"unknown regions action {args.action!r}")
    regency = getattr(args, "regency", None)
    district = getattr(args, "district", None)
    if regency is not None:
        if args.province is not None:
            raise CakupanError("give --province or --regency, not both")
        results = village_names.resolve_villages(args.names, regency, district)
    elif district is not None:
        raise CakupanError("--district needs --regency PP.RR")
    else:
        results = resolve.resolve(args.names, province=args.province)
    return Outcome([r.to_dict() for r in results], _table(results))
