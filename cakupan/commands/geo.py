"""``geo build`` and ``geo export``: the boundary cache from the command line."""

from __future__ import annotations

import argparse
from pathlib import Path

from cakupan import geo
from cakupan.commands.cli import Outcome
from cakupan.core.errors import CakupanError


def _build(args: argparse.Namespace) -> Outcome:
    summary = geo.build(force=args.force)
    b = summary["bytes"]
    biggest = max(b["province"], key=b["province"].get)
    lines = [
        f"{summary['regencies']} regencies in {summary['provinces']} provinces; "
        f"invalid {summary['invalid']}, empty {summary['empty']}"
        + (" (from cache)" if summary.get("cached") else ""),
        f"payload: national {b['national']:,} bytes; largest province {biggest} "
        f"{b['province_max']:,} bytes",
        f"area: largest change {summary['area']['max_rel_change']:.1%} "
        f"(regencies > {summary['area']['min_km2']:.0f} km²)",
        f"{summary['seconds']:.1f} s; cache {geo.cache_path()}",
    ]
    return Outcome(summary, "\n".join(lines))


def _export(args: argparse.Namespace) -> Outcome:
    view = geo.check_view(args.view)
    text = geo.view_geojson_text(view)
    out = Path(args.out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    except OSError as err:
        raise CakupanError(f"cannot write {out}: {err.strerror or err}") from err
    size = len(text.encode("utf-8"))
    features = len(geo.view_geojson(view)["features"])
    return Outcome({"view": view, "out": str(out), "bytes": size, "features": features},
                   f"wrote {out}: view {view}, {features} regencies, {size:,} bytes")


def _villages(args: argparse.Namespace) -> Outcome:
    from cakupan.geo import villages  # only this action needs the village registry

    report = villages.build_regency(args.regency, force=args.force)
    missing = report["without_boundary"]
    extra = report["not_in_reference"]
    lines = [
        f"{report['regency']}: {report['reference']} villages in the reference, "
        f"{report['with_boundary']} with a boundary, {len(missing)} without"
        + (" (from cache)" if report.get("cached") else ""),
        f"boundary codes not in the reference: {len(extra)}"
        + (f" ({', '.join(e['code'] for e in extra[:10])})" if extra else ""),
        f"payload: villages {report['bytes']:,} bytes, districts {report['district_bytes']:,} "
        f"bytes; {report['seconds']:.2f} s",
    ]
    if missing:
        lines.insert(1, f"no boundary: {', '.join(missing[:10])}"
                        + (" ..." if len(missing) > 10 else ""))
    return Outcome(report, "\n".join(lines))


def run(args: argparse.Namespace) -> Outcome:
    if args.action == "build":
        return _build(args)
    if args.action == "export":
        return _export(args)
    if args.action == "villages":
        return _villages(args)
    raise CakupanError(f"unknown geo action {args.action!r}")
