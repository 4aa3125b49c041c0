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


def _load(args: argparse.Namespace) -> Outcome:
    """``geo load FILE``: report the match; with ``--apply`` store and activate a version."""
    from cakupan import store
    from cakupan.commands.acting import actor_of
    from cakupan.core.access import require
    from cakupan.geo import byo
    from cakupan.ingest import boundaries

    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise CakupanError(f"cannot read {path}: {err.strerror or err}") from err
    engine = actor = None
    if args.apply:  # refused before reading when the actor may not apply
        if args.level != "regency":
            raise byo.BoundaryFileError("level_apply_unsupported", level=args.level)
        if not (args.licence or "").strip():
            raise CakupanError("--apply needs --licence TEXT (the licence of the file's source)")
        engine = store.get_engine()
        actor = require(actor_of(args, engine), "boundaries")
    preview = boundaries.preview_file(data, path.name, level=args.level,
                                      code_field=args.code_field, name_field=args.name_field)
    version = None
    build_seconds = None
    if args.apply:
        row = boundaries.apply_preview(preview, engine, actor=actor, licence=args.licence,
                                       source=args.source or path.name, scope=args.scope)
        version, build_seconds = row["id"], row["build_seconds"]
    payload = preview.to_json(version=version, applied=version is not None)
    r = preview.report
    lines = [f"{path.name}: {payload['features']} features ({preview.raw.format}, "
             f"{preview.raw.crs or 'no CRS'}); matched {payload['matched']} regions "
             f"(code field {r.code_field or '-'}, name field {r.name_field or '-'}, "
             f"codes {r.code_system or '-'}); repaired {payload['repaired']}",
             f"read {preview.read_seconds:.2f} s, match {preview.match_seconds:.2f} s"
             + (f", build {build_seconds:.2f} s" if build_seconds is not None else "")]
    for u in r.unmatched[:20]:
        hint = ", ".join(f"{c} {n}" for c, n in u.suggestions)
        lines.append(f"unmatched: {u.label}" + (f" (nearest: {hint})" if hint else ""))
    for code, idx in r.duplicates.items():
        lines.append(f"duplicate: {code} in {len(idx)} features (united)")
    if r.missing:
        lines.append(f"missing from the file: {', '.join(r.missing)}")
    lines.append(f"applied: version {version}" if version else
                 "not applied (report only; --apply --licence TEXT stores it)")
    return Outcome(payload, "\n".join(lines))


def _versions(args: argparse.Namespace) -> Outcome:
    """``geo versions`` lists the loaded versions; ``geo use ID|default`` switches (admins)."""
    from cakupan import store
    from cakupan.commands.acting import actor_of

    engine = store.get_engine()
    if args.action == "use":
        wanted = None if args.version == "default" else args.version
        store.boundaries.activate(engine, wanted, actor=actor_of(args, engine))
    frame = store.boundaries.list_versions(engine)
    rows = [{**{k: v for k, v in r.items() if k not in ("detail", "regions")},
             "active": bool(r["active"]), "regions": len(str(r["regions"]).split(","))}
            for r in frame.to_dict("records")]
    active = next((r["id"] for r in rows if r["active"]), None)
    lines = [f"{'*' if r['active'] else ' '} {r['id']} {r['level']} {r['scope']} "
             f"{r['loaded_at']} {r['source']} ({r['licence']})" for r in rows]
    lines.append(f"in use: {active or 'default set'}")
    return Outcome({"active": active, "versions": rows}, "\n".join(lines))


def run(args: argparse.Namespace) -> Outcome:
    if args.action == "build":
        return _build(args)
    if args.action == "export":
        return _export(args)
    if args.action == "villages":
        return _villages(args)
    if args.action == "load":
        return _load(args)
    if args.action in ("versions", "use"):
        return _versions(args)
    raise CakupanError(f"unknown geo action {args.action!r}")
