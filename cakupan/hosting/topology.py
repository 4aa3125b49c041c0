"""The production topology on one machine: N Streamlit replicas behind nginx, one store.

``python -m cakupan serve`` (:mod:`cakupan.commands.serve`) is a thin shell over
:class:`Topology`. Each part is an existing engine run as it is: Streamlit for the pages,
nginx for balancing, stickiness, compression and caching, PostgreSQL for the data and the
data version every replica watches. This module only starts them in order, waits until each
answers its health check, restarts a replica that dies, and stops all of them.

The same code runs one part alone (``only="replicas"`` on each app machine, ``only="nginx"``
pointing at replicas elsewhere), so a many-machine deployment uses the same template.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pwd
import secrets
import socket
import ssl
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from cakupan.core import settings
from cakupan.core.errors import CakupanError
from cakupan.hosting import nginx, runner
from cakupan.hosting.replicas import (
    Replica,
    ReplicaSpec,
    healthy,
    reachable,
    replica_env,
)

log = logging.getLogger("cakupan.serve")

PARTS = ("replicas", "nginx")
#: A restarted replica waits this long first, doubling up to :data:`MAX_BACKOFF_S`, so a
#: replica that dies at start (a bad setting) does not spin the CPU.
FIRST_BACKOFF_S = 1.0
MAX_BACKOFF_S = 30.0
COOKIE_SECRET_FILE = "cookie_secret"
#: Migrating and seeding an empty store (59k rows) took 6-16 s here; a lock held by another
#: writer can add to it.
STORE_INIT_TIMEOUT_S = 600


@dataclass
class ServePlan:
    """What ``serve`` was asked to run. See :mod:`cakupan.commands.serve` for each option."""

    replicas: int = 2
    port: int = 8080
    host: str = "127.0.0.1"
    replica_host: str = "127.0.0.1"
    replica_port: int = 8601
    only: str | None = None
    upstreams: list[str] = field(default_factory=list)
    run_dir: Path = field(default_factory=lambda: settings.PROJECT_DIR / "run" / "serve")
    database_url: str = ""
    cookie_secret: str = ""
    secrets_file: Path | None = None
    staff: nginx.StaffEntrance | None = None
    allowed_hosts: tuple[str, ...] = ()
    upload_max_mb: float = settings.UPLOAD_MAX_MB_DEFAULT
    #: ``--tls-cert`` and ``--tls-key``: both (HTTPS with HTTP/2 on every entrance) or neither.
    tls_cert: Path | None = None
    tls_key: Path | None = None

    @property
    def tls(self) -> nginx.Tls | None:
        """The certificate nginx presents, or ``None`` for plain HTTP."""
        if self.tls_cert is None or self.tls_key is None:
            return None
        return nginx.Tls(cert=self.tls_cert, key=self.tls_key)

    def check(self) -> None:
        """Refuse a plan that cannot work, with the reason and the fix, before starting."""
        if self.only not in (None, *PARTS):
            raise CakupanError(f"--only takes one of {', '.join(PARTS)}")
        if self.only != "nginx":
            if self.replicas < 1:
                raise CakupanError("--replicas must be at least 1")
            if self.replicas > 1 and sa.make_url(self.database_url).get_backend_name() == \
                    "sqlite":
                raise CakupanError(
                    "SQLite is for one process: use --replicas 1, or set "
                    "CAKUPAN_DATABASE_URL to PostgreSQL (or add --start-postgres for a trial)")
        if self.only == "nginx" and not self.upstreams:
            raise CakupanError("--only nginx needs the replicas: --upstream HOST:PORT ...")
        if self.only == "replicas" and not self.cookie_secret:
            raise CakupanError(
                "--only replicas needs CAKUPAN_COOKIE_SECRET, the same on every machine: a "
                "secret made here would sign cookies other replicas refuse")
        if self.only != "nginx" and self.upstreams:
            raise CakupanError("--upstream is for --only nginx (replicas started here are "
                               "its upstreams)")
        self._check_tls()

    def _check_tls(self) -> None:
        """Both files or neither, each readable by whoever starts nginx (its master loads
        them at start, before its workers drop privileges): found here, it is one line;
        found by nginx, it is an exit and a log to read."""
        given = {"--tls-cert": self.tls_cert, "--tls-key": self.tls_key}
        if all(v is None for v in given.values()):
            return
        if any(v is None for v in given.values()):
            missing = next(flag for flag, v in given.items() if v is None)
            raise CakupanError(f"{missing} FILE is needed too: --tls-cert and --tls-key go "
                               "together (e.g. certbot's fullchain.pem and privkey.pem)")
        if self.only == "replicas":
            raise CakupanError("--tls-cert/--tls-key are for nginx: drop them with --only "
                               "replicas (the replicas speak plain HTTP to nginx)")
        tls = self.tls
        for flag, path in (("--tls-cert", tls.cert), ("--tls-key", tls.key)) if tls else ():
            if not path.is_file():
                raise CakupanError(f"{flag} {path}: no such file; give the PEM file's path")
            if not os.access(path, os.R_OK):
                raise CakupanError(f"{flag} {path}: not readable by this user; run serve as "
                                   "a user who can read it, or copy it (mode 0600) where "
                                   "this one can")


def _port_free(host: str, port: int) -> bool:
    """Whether a server could listen on ``port`` now. With ``SO_REUSEADDR``, as uvicorn and
    nginx bind: a port whose last connections wait in TIME_WAIT is free to them, and was
    refused here as "in use" (a loaded CI run, where every port is soon used by a client)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def load_cookie_secret(run_dir: Path, given: str = "") -> str:
    """The secret every replica signs cookies with: ``given`` (``CAKUPAN_COOKIE_SECRET``),
    else one generated once and kept in ``run_dir`` (mode 0600), so restarting ``serve`` or a
    replica signs no one out."""
    if given:
        return given
    path = run_dir / COOKIE_SECRET_FILE
    if path.is_file():
        return path.read_text(encoding="utf-8").strip()
    run_dir.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(value + "\n")
    return value


def _worker_user(run_dir: Path) -> str | None:
    """Started as root, nginx's workers drop to Debian's ``www-data``, who must be able to
    write the temporary and cache folders; unprivileged, they stay who they are."""
    if os.geteuid() != 0:
        return None
    try:
        user = pwd.getpwnam("www-data")
    except KeyError:
        return None
    for folder in run_dir.parents:  # every folder above must let others pass through
        if not folder.stat().st_mode & 0o001:
            raise CakupanError(
                f"nginx's workers (www-data) cannot reach {run_dir}: {folder} is closed to "
                "other users; choose a --run-dir they can reach (e.g. under /srv or /var/lib)")
    for path in [run_dir / "tmp", *(run_dir / "tmp").rglob("*")]:
        os.chown(path, user.pw_uid, user.pw_gid)
    return "www-data"


def _loopback_tls_context() -> ssl.SSLContext:
    """TLS without certificate checks, for serve's own readiness check of nginx only.

    That check asks ``https://127.0.0.1:PORT`` (or the listen address): a real certificate
    names the public host, not that address, and an operator's trial certificate is
    self-signed, so a verified request would fail either way. What is checked there is that
    nginx answers through the replicas, not who it is; nothing else uses this context.
    """
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


class Topology:
    """Start, watch and stop the parts of a :class:`ServePlan`.

    Use as a context manager: on entry every part is started and healthy (or
    :class:`CakupanError` says which one is not and where its log is); on exit everything
    is stopped, nginx first so no request reaches a replica that is going away.
    """

    def __init__(self, plan: ServePlan) -> None:
        plan.check()
        self.plan = plan
        self.run_dir = plan.run_dir.resolve()
        self.replicas: list[Replica] = []
        self.nginx_proc: subprocess.Popen | None = None
        self._backoff: dict[int, tuple[float, float]] = {}  # port -> (next start, delay)

    # --- start ---------------------------------------------------------------------------
    def __enter__(self) -> Topology:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def start(self) -> None:
        plan = self.plan
        self.run_dir.mkdir(parents=True, exist_ok=True)
        if plan.only != "nginx":
            self._start_replicas()
        if plan.only != "replicas":
            self._start_nginx()

    def _spec(self) -> ReplicaSpec:
        plan = self.plan
        env = self._spec_env()
        return ReplicaSpec(
            host=plan.replica_host,
            cookie_secret=load_cookie_secret(self.run_dir, plan.cookie_secret),
            secrets_file=plan.secrets_file,
            trusted_user_headers=(nginx.trusted_user_headers_json()
                                  if plan.staff is not None else None),
            allowed_hosts=plan.allowed_hosts, env=env)

    def _prepare_store(self) -> None:
        """Migrate and seed the store once, in a process of its own (``db init``), before
        any replica starts: N replicas would otherwise each do it on their first visitor,
        queueing on the migration lock while that visitor waits. Its own process: the
        supervisor stays small (no pandas) and a crash there is a message, not ours."""
        env = replica_env(ReplicaSpec(env=self._spec_env()))
        log_path = self.run_dir / "logs" / "db-init.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with log_path.open("ab") as log:
            done = subprocess.run([sys.executable, "-m", "cakupan", "db", "init"],
                                  cwd=settings.PROJECT_DIR, env=env, stdout=log,
                                  stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                  timeout=STORE_INIT_TIMEOUT_S, check=False)
        if done.returncode != 0:
            last = log_path.read_text(encoding="utf-8", errors="replace").strip()
            raise CakupanError(f"the store is not ready: {last.splitlines()[-1] if last else ''}"
                               f" (see {log_path})")

    def _spec_env(self) -> dict[str, str]:
        url = self.plan.database_url
        return {"CAKUPAN_DATABASE_URL": url} if url else {}

    def _start_replicas(self) -> None:
        self._prepare_store()
        plan, spec = self.plan, self._spec()
        ports = [plan.replica_port + i for i in range(plan.replicas)]
        busy = [p for p in ports if not _port_free(plan.replica_host, p)]
        if busy:
            raise CakupanError(f"replica port(s) {', '.join(map(str, busy))} already in use; "
                               "choose others with --replica-port")
        for port in ports:  # all at once: they warm up in parallel
            replica = Replica(port=port, spec=spec,
                              log_path=self.run_dir / "logs" / f"replica-{port}.log")
            replica.start()
            self.replicas.append(replica)
        for replica in self.replicas:
            replica.wait_healthy()

    def upstreams(self) -> list[str]:
        """``HOST:PORT`` of every replica nginx proxies to."""
        if self.plan.only == "nginx":
            return list(self.plan.upstreams)
        return [f"{r.url.removeprefix('http://')}" for r in self.replicas]

    def nginx_conf(self, worker_user: str | None = None) -> str:
        """The configuration this topology runs nginx with (rendered from the templates)."""
        plan = self.plan
        body = f"{int(plan.upload_max_mb) + 1}m"  # the upload limit plus its multipart envelope
        return nginx.render_nginx_conf(
            run_dir=self.run_dir, listen=f"{plan.host}:{plan.port}", replicas=self.upstreams(),
            staff=plan.staff, client_max_body_size=body, worker_user=worker_user,
            tls=plan.tls)

    def _start_nginx(self) -> None:
        plan = self.plan
        binary = runner.find_nginx()
        if binary is None:
            raise CakupanError("nginx is not installed (Debian: apt-get install nginx)")
        if not _port_free(plan.host, plan.port):
            raise CakupanError(f"port {plan.port} is already in use; choose another with --port")
        runner.prepare_run_dir(self.run_dir, "")  # folders first: their owner is in the conf
        runner.prepare_run_dir(self.run_dir, self.nginx_conf(_worker_user(self.run_dir)))
        runner.check_config(self.run_dir, nginx=binary)
        # Alone (--only nginx), the replicas may start later on their machines: nginx only has
        # to listen. With its replicas here (healthy already), it must answer through them.
        context = _loopback_tls_context() if plan.tls is not None else None
        ready = ((lambda: runner.accepting(f"{plan.host}:{plan.port}"))
                 if plan.only == "nginx" else
                 (lambda: healthy(self.url, timeout_s=1.0, context=context)))
        self.nginx_proc = runner.start(self.run_dir, ready, nginx=binary)

    # --- what is running -----------------------------------------------------------------
    @property
    def url(self) -> str:
        plan = self.plan
        if plan.only == "replicas":
            return self.replicas[0].url if self.replicas else ""
        scheme = "https" if plan.tls is not None else "http"
        return f"{scheme}://{reachable(plan.host)}:{plan.port}"

    def describe(self) -> dict:
        """The one JSON line ``serve --json`` prints (CONTRACTS.md, command 6)."""
        return {
            "url": self.url,
            "replicas": [{"port": r.port, "pid": r.pid} for r in self.replicas],
            "nginx_pid": self.nginx_proc.pid if self.nginx_proc is not None else None,
        } | ({"upstreams": self.upstreams()} if self.plan.only == "nginx" else {})

    # --- keep running --------------------------------------------------------------------
    def watch(self) -> list[str]:
        """One supervision step: restart what has died (with back-off); what it did."""
        done: list[str] = []
        now = time.monotonic()
        for replica in self.replicas:
            if replica.alive():
                self._backoff.pop(replica.port, None)
                continue
            when, delay = self._backoff.get(replica.port, (0.0, FIRST_BACKOFF_S))
            if now < when:
                continue
            code = replica.proc.returncode if replica.proc is not None else None
            log.warning("replica on port %d exited (%s); restarting", replica.port, code)
            replica.stop()  # whatever is left of its process group
            replica.start()
            replica.restarts += 1
            self._backoff[replica.port] = (now + delay, min(delay * 2, MAX_BACKOFF_S))
            done.append(f"restarted replica {replica.port}")
        if self.nginx_proc is not None and self.nginx_proc.poll() is not None:
            log.warning("nginx exited (%s); restarting", self.nginx_proc.returncode)
            self.nginx_proc = None
            self._start_nginx()
            done.append("restarted nginx")
        return done

    # --- stop ----------------------------------------------------------------------------
    def stop(self) -> None:
        """Stop nginx, then every replica (each with its process group). Idempotent."""
        if self.nginx_proc is not None:
            runner.stop(self.nginx_proc)
            self.nginx_proc = None
        for replica in self.replicas:  # all at once: each closes its sessions in parallel
            replica.terminate()
        for replica in self.replicas:
            with contextlib.suppress(Exception):
                replica.stop()
