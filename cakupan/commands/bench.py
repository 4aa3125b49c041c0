"""``bench``: print every registered benchmark against its budget; ``--load`` runs the load
curve of the served topology instead (``cakupan.benchmarks.load``, minutes, PostgreSQL);
``--network regional`` the first visit, revisit and month step on an emulated mobile link
beside the naive peer (``cakupan.benchmarks.network``, minutes, Chromium and nginx);
``--screens`` every public page at five sizes in both languages (``cakupan.benchmarks.screens``).
"""

from __future__ import annotations

import argparse

from cakupan.benchmarks import registry as bench
from cakupan.commands.cli import Outcome


def run(args: argparse.Namespace) -> Outcome:
    if getattr(args, "load", False):
        return _load()
    if getattr(args, "network", None):
        return _network(args.network)
    if getattr(args, "screens", False):
        return _screens()
    only = [s.strip() for s in args.only.split(",")] if args.only else None
    results = bench.run(only)
    lines = [f"{'benchmark':<34} {'value':>12} {'budget':>12}  ok"]
    for r in results:
        lines.append(f"{r['name']:<34} {r['value']:>12,.3f} {r['budget']:>12,.3f} {r['unit']:<5}"
                     f" {'yes' if r['ok'] else 'NO'}" + (f"  ({r['error']})" if r["error"] else ""))
    return Outcome({"benchmarks": results, "all_ok": all(r["ok"] for r in results)},
                   "\n".join(lines))


def _load() -> Outcome:
    """The load curve; a missed goal is a finding to report, not a failed command."""
    from cakupan.benchmarks import load

    result = load.run()
    return Outcome({"load": result}, load.table(result))


def _screens() -> Outcome:
    """Every page at every size; a finding is reported in the table, not a failed command."""
    from cakupan.benchmarks import screens

    result = screens.run()
    return Outcome({"screens": result}, screens.table(result))


def _network(profile: str) -> Outcome:
    """The link benchmark; a missed budget is a finding to report, not a failed command."""
    from cakupan.benchmarks import network

    result = network.run(profile)
    return Outcome({"network": result}, network.result_table(result))
