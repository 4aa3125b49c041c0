"""``python -m cakupan serve``: the production topology in the foreground (CONTRACTS.md, 6).

Prints one line once every part answers its health check (with ``--json`` the contract's
JSON object), then watches the parts until SIGINT or SIGTERM and stops all of them.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
from argparse import Namespace
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from types import FrameType

from cakupan.commands.cli import Outcome
from cakupan.core import settings
from cakupan.core.errors import CakupanError
from cakupan.hosting import nginx
from cakupan.hosting.topology import ServePlan, Topology

#: How often the supervisor looks at its children.
WATCH_S = 0.5


def plan_from(args: Namespace, database_url: str) -> ServePlan:
    """The :class:`ServePlan` the command line asks for."""
    staff = None
    if args.staff_port is not None:
        if not args.htpasswd:
            raise CakupanError("--staff-port needs --htpasswd FILE (htpasswd -B)")
        staff = nginx.StaffEntrance(listen=f"{args.host}:{args.staff_port}",
                                    htpasswd=Path(args.htpasswd).resolve())
    return ServePlan(
        replicas=args.replicas, port=args.port, host=args.host,
        replica_host=args.replica_host, replica_port=args.replica_port, only=args.only,
        upstreams=list(args.upstream or []),
        run_dir=Path(args.run_dir) if args.run_dir else settings.PROJECT_DIR / "run" / "serve",
        database_url=database_url,
        cookie_secret=os.environ.get("CAKUPAN_COOKIE_SECRET", "").strip(),
        secrets_file=Path(args.secrets).resolve() if args.secrets else None,
        staff=staff, allowed_hosts=tuple(args.allowed_host or ()),
        tls_cert=Path(args.tls_cert).resolve() if args.tls_cert else None,
        tls_key=Path(args.tls_key).resolve() if args.tls_key else None,
        upload_max_mb=settings.upload_max_bytes() / 2**20)


def _human(top: Topology) -> str:
    parts = [f"replica {r['port']} (pid {r['pid']})" for r in top.describe()["replicas"]]
    if top.nginx_proc is not None:
        parts.append(f"nginx (pid {top.nginx_proc.pid})")
    return f"Cakupan at {top.url}: {', '.join(parts)}. Ctrl+C stops every part."


def run(args: Namespace) -> Outcome:
    stop, started = threading.Event(), threading.Event()

    def _on_signal(_signum: int, _frame: FrameType | None) -> None:
        if not started.is_set():  # still starting: unwind now (Topology stops what it began)
            raise KeyboardInterrupt
        stop.set()

    previous = {sig: signal.signal(sig, _on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        with _postgres(args) as url, Topology(plan_from(args, url)) as top:
            line = json.dumps(top.describe()) if args.json else _human(top)
            sys.stdout.write(line + "\n")
            sys.stdout.flush()
            started.set()
            while not stop.wait(WATCH_S):
                for event in top.watch():
                    print(event, file=sys.stderr, flush=True)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return Outcome(payload=None, text="", printed=True)


def _postgres(args: Namespace) -> AbstractContextManager[str]:
    """The store URL: a throwaway local PostgreSQL with ``--start-postgres``, else
    ``CAKUPAN_DATABASE_URL`` (or the SQLite default)."""
    if not args.start_postgres:
        return nullcontext(settings.database_url())
    from cakupan.hosting import postgres

    folder = (Path(args.run_dir) if args.run_dir else settings.PROJECT_DIR / "run" / "serve")
    # Kept between runs: a trial stopped and started again has its data (and URL) back.
    return postgres.trial_cluster(folder.resolve() / "postgres", keep=True)
