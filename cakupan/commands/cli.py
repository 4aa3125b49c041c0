"""Command line: ``python -m cakupan ...`` (the forms are fixed by CONTRACTS.md).

Each sub-command lives in ``cakupan/commands/<name>.py`` as ``run(args) -> Outcome``; this
module only parses arguments and applies the output rules every command shares:

* with ``--json`` stdout holds exactly one JSON document and nothing else;
* exit 0 on success, 1 for bad input or a refused operation (one line on stderr, no
  traceback), 2 for usage errors (argparse's own convention);
* a :class:`CakupanError` raised by a command under ``--json`` is printed as
  ``{"error": message, "kind": kind}`` (``kind`` ``store_unavailable`` when the store cannot
  be reached); any other exception as one line too (``kind`` ``internal``; the traceback only
  with ``CAKUPAN_DEBUG=1``).
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import os
import sys
from dataclasses import dataclass
from typing import Any

from cakupan.core import access, vocabulary
from cakupan.core.errors import CakupanError

SEGMENTS = vocabulary.SEGMENTS
PROGRAMMES = vocabulary.PROGRAMMES


@dataclass
class Outcome:
    """What a command produced: the JSON payload, the human text, the exit status."""

    payload: Any
    text: str
    status: int = 0
    message: str = ""  # one line for stderr when status != 0
    printed: bool = False  # the command wrote its own output already (serve, long-running)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m cakupan", description=__doc__.splitlines()[0])
    p.add_argument("--as", dest="as_email", metavar="EMAIL",
                   help="act (and be scoped) as this user; default: the operator, an admin "
                        "recorded as cli:<os user>")
    sub = p.add_subparsers(dest="command", required=True)

    geo = sub.add_parser("geo", help="regency boundaries").add_subparsers(
        dest="action", required=True)
    g = geo.add_parser("build", help="download or read, verify, repair, simplify, cache")
    g.add_argument("--force", action="store_true", help="rebuild even if the cache is fresh")
    g.add_argument("--json", action="store_true")
    g = geo.add_parser("export", help="write one view's browser payload as GeoJSON")
    g.add_argument("--view", required=True, help="'national' or a province code PP")
    g.add_argument("--out", required=True)
    g.add_argument("--json", action="store_true")

    g = geo.add_parser("villages", help="one regency's village and district boundaries: "
                                         "fetch, verify, repair, simplify, cache, report")
    g.add_argument("--regency", required=True, help="regency code PP.RR")
    g.add_argument("--force", action="store_true", help="rebuild even if cached")
    g.add_argument("--json", action="store_true")

    g = geo.add_parser("load", help="read a boundary file (GeoJSON, zipped Shapefile, "
                                    "GeoPackage, KML), match it to the regions and report; "
                                    "--apply stores it as a new boundary version")
    g.add_argument("file")
    g.add_argument("--level", default="regency", choices=["regency", "district", "village"])
    g.add_argument("--code-field", help="the field holding region codes (default: detected)")
    g.add_argument("--name-field", help="the field holding region names (default: detected)")
    g.add_argument("--apply", action="store_true",
                   help="store it as a boundary version the maps draw (default: only report)")
    g.add_argument("--scope", default="covered", choices=["covered", "all"],
                   help="with --apply: replace only the regions the file covers (default), "
                        "or draw the touched views from the file alone")
    g.add_argument("--licence", help="with --apply: the licence text of the file's source")
    g.add_argument("--source", help="with --apply: where the file comes from (default: its name)")
    g.add_argument("--json", action="store_true")

    g = geo.add_parser("versions", help="the boundary versions loaded, and the one in use")
    g.add_argument("--json", action="store_true")
    g = geo.add_parser("use", help="draw the maps from a loaded boundary version, or from "
                                   "the default set ('default')")
    g.add_argument("version", help="a version id from 'geo versions', or 'default'")
    g.add_argument("--json", action="store_true")

    reg = sub.add_parser("regions", help="region reference").add_subparsers(
        dest="action", required=True)
    r = reg.add_parser("resolve", help="resolve free-text region names to Kemendagri codes")
    r.add_argument("--province", help="province code PP to scope fuzzy matching")
    r.add_argument("--regency", help="regency code PP.RR: resolve village (desa/kelurahan) "
                                     "names within it instead")
    r.add_argument("--district", help="with --regency: district code PP.RR.KK or name")
    r.add_argument("--json", action="store_true")
    r.add_argument("names", nargs="+", metavar="NAME")

    i = sub.add_parser("import", help="import a CSV or XLSX coverage file (all-or-nothing)")
    i.add_argument("file", metavar="FILE")
    i.add_argument("--segment", choices=SEGMENTS)
    i.add_argument("--period", help="YYYY-MM, for files without a period column")
    i.add_argument("--sheet", help="XLSX sheet name (default: the first sheet)")
    i.add_argument("--dry-run", action="store_true", help="check only, write nothing")
    i.add_argument("--prefer-upload", action="store_true",
                   help="show this file's figures where they meet published ones (recorded)")
    i.add_argument("--map", dest="column_map", metavar="FIELD=COLUMN[,FIELD=COLUMN...]",
                   help="what each column holds when detection is unsure (fields: region, "
                        "code, registered, eligible, coverage_pct, period, segment, "
                        "programme; columns by header text or letter; header=ROW), "
                        "e.g. region=B,registered=D")
    i.add_argument("--regency", help="PP.RR: the file holds village rows (desa/kelurahan by "
                                     "code or name) of this regency")
    i.add_argument("--json", action="store_true")

    q = sub.add_parser("query", help="read figures from the store").add_subparsers(
        dest="action", required=True)
    c = q.add_parser("coverage", help="coverage of one region")
    c.add_argument("--region", required=True, help="PP or PP.RR")
    c.add_argument("--segment", choices=SEGMENTS, default="all")
    c.add_argument("--programme", choices=PROGRAMMES)
    c.add_argument("--period", help="YYYY-MM (default: the latest with data)")
    c.add_argument("--json", action="store_true")

    b = sub.add_parser("bench", help="measure the project's performance budgets")
    b.add_argument("--json", action="store_true")
    b.add_argument("--only", help="comma-separated benchmark names")
    b.add_argument("--load", action="store_true",
                   help="the served topology under real browsers (issue 10; PostgreSQL, minutes)")
    b.add_argument("--network", choices=("regional",),
                   help="first visit, revisit and a month step on an emulated link, beside the "
                        "naive peer (issue 11; Chromium, nginx, minutes)")
    b.add_argument("--screens", action="store_true",
                   help="every public page at five screen sizes in both languages, "
                        "screenshots and what is drawn checked (issue 16; Chromium, minutes)")

    br = sub.add_parser("brief", help="export a briefing deck")
    br.add_argument("--region", required=True)
    br.add_argument("--period", help="YYYY-MM (default: the latest month with data, as in the app)")
    br.add_argument("--segment", choices=SEGMENTS, default="all")
    br.add_argument("--lang", choices=("id", "en"), default="id")
    br.add_argument("--format", choices=("pptx", "pdf", "html"), default="pptx")
    br.add_argument("--villages", metavar="PP.RR",
                    help="add the village slide of this regency (desa registered, Inpres 4/2022 "
                         "gap and its cost, village map)")
    br.add_argument("--out", required=True)
    br.add_argument("--json", action="store_true")
    u = sub.add_parser("users", help="who may change data (roles by province)").add_subparsers(
        dest="action", required=True)
    a = u.add_parser("add", help="give EMAIL a role (replaces an earlier one)")
    a.add_argument("email", metavar="EMAIL")
    a.add_argument("--role", required=True, choices=access.ROLES)
    a.add_argument("--provinces", default="", help="an editor's provinces, e.g. 81,74")
    a.add_argument("--json", action="store_true")
    a = u.add_parser("list", help="every user with a role")
    a.add_argument("--json", action="store_true")
    a = u.add_parser("remove", help="take EMAIL's role away (a viewer again)")
    a.add_argument("email", metavar="EMAIL")
    a.add_argument("--json", action="store_true")

    d = sub.add_parser("db", help="database administration").add_subparsers(
        dest="action", required=True)
    a = d.add_parser("init", help="create, migrate and seed the store now (serve runs it "
                                  "once before the replicas start)")
    a.add_argument("--json", action="store_true")
    a = d.add_parser("grant", help="PostgreSQL: let ROLE use the store, audit append-only")
    a.add_argument("role", metavar="ROLE")
    a.add_argument("--json", action="store_true")

    s = sub.add_parser("serve", help="the production topology: replicas behind nginx "
                                     "(foreground; Ctrl+C stops it)")
    s.add_argument("--replicas", type=int, default=2, help="Streamlit replicas (default 2)")
    s.add_argument("--port", type=int, default=8080, help="nginx's public port (default 8080)")
    s.add_argument("--host", default="127.0.0.1", help="nginx listens here (default loopback)")
    s.add_argument("--replica-host", default="127.0.0.1",
                   help="replicas bind here (default loopback; 0.0.0.0 in a container)")
    s.add_argument("--replica-port", type=int, default=8601,
                   help="first replica's port, then +1 each (default 8601)")
    s.add_argument("--only", choices=("replicas", "nginx"),
                   help="run one part only (a many-machine deployment)")
    s.add_argument("--upstream", action="append", metavar="HOST:PORT",
                   help="with --only nginx: a replica to proxy to (repeat for each)")
    s.add_argument("--start-postgres", action="store_true",
                   help="a throwaway local PostgreSQL cluster in the run folder (a trial)")
    s.add_argument("--run-dir", help="pid, logs, nginx.conf, cookie secret (default run/serve)")
    s.add_argument("--secrets", metavar="FILE", help="Streamlit secrets file ([auth] sign-in)")
    s.add_argument("--staff-port", type=int, help="staff entrance port (needs --htpasswd)")
    s.add_argument("--htpasswd", metavar="FILE", help="bcrypt password file of the staff")
    s.add_argument("--allowed-host", action="append", metavar="NAME",
                   help="host names the websocket accepts (server.allowedHosts; repeat)")
    s.add_argument("--tls-cert", metavar="FILE",
                   help="PEM certificate chain: every entrance speaks HTTPS and HTTP/2 "
                        "(needs --tls-key; e.g. certbot's fullchain.pem)")
    s.add_argument("--tls-key", metavar="FILE",
                   help="PEM private key of --tls-cert (e.g. certbot's privkey.pem)")
    s.add_argument("--json", action="store_true")
    return p


_MODULES = {
    "geo": "cakupan.commands.geo",
    "regions": "cakupan.commands.regions",
    "import": "cakupan.commands.imports",
    "query": "cakupan.commands.query",
    "bench": "cakupan.commands.bench",
    "brief": "cakupan.commands.brief",
    "users": "cakupan.commands.users",
    "db": "cakupan.commands.db",
    "serve": "cakupan.commands.serve",
}


class _OneLine(logging.Formatter):
    """Log lines without tracebacks on the console: a command's stderr is for people
    (CONTRACTS.md: one line, no traceback); ``CAKUPAN_DEBUG=1`` shows them again."""

    def format(self, record: logging.LogRecord) -> str:
        if os.environ.get("CAKUPAN_DEBUG") == "1":
            return super().format(record)
        quiet = logging.makeLogRecord(record.__dict__)
        quiet.exc_info = quiet.exc_text = quiet.stack_info = None
        return super().format(quiet)


def _failed(args: argparse.Namespace, message: str, kind: str) -> int:
    """Exit 1: the one line on stderr and, under ``--json``, the one JSON object on stdout."""
    print(f"error: {message}", file=sys.stderr)
    if getattr(args, "json", False):
        sys.stdout.write(json.dumps({"error": message, "kind": kind}, ensure_ascii=False) + "\n")
    return 1


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_OneLine("%(message)s"))
    logging.basicConfig(level=logging.WARNING, handlers=[handler])
    try:
        module = importlib.import_module(_MODULES[args.command])
        outcome: Outcome = module.run(args)
    except CakupanError as err:
        return _failed(args, str(err), err.kind)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 1
    except Exception:  # a bug, or a failure nobody named: one line, never a traceback
        if os.environ.get("CAKUPAN_DEBUG") == "1":
            raise
        return _failed(args, f"python -m cakupan {args.command} failed unexpectedly; "
                             "CAKUPAN_DEBUG=1 shows the details", "internal")
    if outcome.printed:
        pass
    elif getattr(args, "json", False):
        sys.stdout.write(json.dumps(outcome.payload, ensure_ascii=False) + "\n")
    elif outcome.text:
        print(outcome.text)
    if outcome.status and outcome.message:
        print(f"error: {outcome.message}", file=sys.stderr)
    return outcome.status
