"""``query coverage --region CODE [--segment S] [--programme P] [--period YYYY-MM] [--json]``.

Reads the current figures from the store and lets :func:`cakupan.analysis.metrics.snapshot`
decide the coverage, the status and (for a province code) the province total, exactly as the
map does, so the command line and the app never disagree. Without ``--period`` the latest month
with data for that region is used.

JSON (CONTRACTS.md command 4, plus ``programme`` and the region's ``targets``)::

    {"region": "74.05", "segment": "non_asn", "period": "2018-10", "registered": 202,
     "eligible": null, "coverage_pct": null, "status": "registered", "illustrative": false,
     "sources": ["zonasultra-2018-10-04"], "programme": "any", "targets": [...]}
"""

from __future__ import annotations

import argparse
import math
import re

import pandas as pd

from cakupan import regions, store
from cakupan.analysis import metrics
from cakupan.commands.cli import Outcome
from cakupan.core.errors import CakupanError

_PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _latest_period(obs: pd.DataFrame, code: str) -> str | None:
    """Latest month with a figure for ``code`` (for a province: its own or its regencies')."""
    rows = obs if len(code) == 2 else obs[obs["region_code"] == code]
    return str(rows["period"].max()) if len(rows) else None


def _plain(value: object) -> object:
    """JSON-safe scalars: numpy/pandas numbers to int/float, NA and NaN to None."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):
        value = value.item()  # type: ignore[union-attr]
    return value


def _targets(engine: object, code: str, segment: str) -> list[dict]:
    frame = store.targets(engine, region_code=code, segment=segment)  # type: ignore[arg-type]
    keep = ["id", "target_pct", "target_count", "deadline", "baseline_period", "basis",
            "source_id", "illustrative"]
    return [{k: _plain(row[k]) for k in keep} for _, row in frame.iterrows()]


def coverage_of(code: str, segment: str = "all", programme: str = "any",
                period: str | None = None, engine: object | None = None) -> dict:
    """The ``query coverage`` answer for one region as a dict (the JSON payload).

    Raises
    ------
    CakupanError
        Unknown region code or a period not written ``YYYY-MM``.
    """
    region = regions.get(code)
    if period is not None and not _PERIOD.match(period):
        raise CakupanError(f"period {period!r} is not YYYY-MM (e.g. 2018-10)")
    engine = engine or store.get_engine()
    obs = store.current_observations(engine, segment=segment, programme=programme,  # type: ignore[arg-type]
                                     province=region.province_code)
    period = period or _latest_period(obs, region.code)
    if period is None:  # nothing at all for this region: report the store's latest month
        months = store.periods(engine, segment)  # type: ignore[arg-type]
        period = months[-1] if months else None
    if period is None:
        row: dict = {"registered": None, "eligible": None, "coverage_pct": None,
                     "status": "no_data", "illustrative": False, "sources": []}
    else:
        snap = metrics.snapshot(obs, period=period, segment=segment, programme=programme,
                                codes=[region.code])
        row = snap.iloc[0].to_dict()
    pct = _plain(row["coverage_pct"])
    return {
        "region": region.code, "segment": segment, "period": period,
        "registered": _plain(row["registered"]), "eligible": _plain(row["eligible"]),
        "coverage_pct": round(float(pct), 2) if pct is not None else None,
        "status": str(row["status"]), "illustrative": bool(row["illustrative"]),
        "sources": [str(s) for s in row["sources"]],
        "programme": programme, "targets": _targets(engine, region.code, segment),
    }


def _text(payload: dict, name: str) -> str:
    def num(value: object) -> str:
        return "-" if value is None else f"{value:,}"

    pct = payload["coverage_pct"]
    lines = [
        f"{name} ({payload['region']}), {payload['segment']}"
        + ("" if payload["programme"] == "any" else f" {payload['programme']}")
        + f", {payload['period'] or 'no period'}",
        f"  registered {num(payload['registered'])}   eligible {num(payload['eligible'])}"
        f"   coverage {'-' if pct is None else f'{pct:g}%'}   status {payload['status']}"
        + ("   (illustrative)" if payload["illustrative"] else ""),
        f"  sources: {', '.join(payload['sources']) or '-'}",
    ]
    for t in payload["targets"]:
        goal = f"{t['target_pct']:g}%" if t["target_pct"] is not None else f"{t['target_count']:,}"
        lines.append(f"  target: {goal} by {t['deadline'] or 'no deadline'} ({t['basis']})")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> Outcome:
    if args.action != "coverage":  # the parser allows only "coverage" today
        raise ValueError(f"unknown query action {args.action!r}")
    payload = coverage_of(args.region.strip(), segment=args.segment,
                          programme=args.programme or "any", period=args.period)
    return Outcome(payload, _text(payload, regions.get(payload["region"]).name))
