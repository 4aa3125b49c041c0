"""Streamlit replicas: one ``streamlit run app.py`` per port, bound to one address.

A replica is an ordinary Streamlit server; what makes several of them one app is what they
share, and all of it is outside the process: the store (PostgreSQL, ``CAKUPAN_DATABASE_URL``),
the cookie secret (``server.cookieSecret``, so a cookie set by one is valid on another), the
sign-in secrets file (``[auth].cookie_secret``) and nginx's sticky cookie in front (Streamlit
keeps a session's state and uploads in the process that holds its websocket).

Why loopback by default: ``streamlit run`` binds every interface unless told otherwise, and
whoever reaches a replica directly bypasses nginx, including its request-size limit and the
staff entrance's header rules.
"""

from __future__ import annotations

import contextlib
import os
import signal
import ssl
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from cakupan.core import settings
from cakupan.core.errors import CakupanError

HEALTH_PATH = "/_stcore/health"
#: How long a replica may take to answer its health check after it was started.
START_TIMEOUT_S = 90.0


@dataclass(frozen=True)
class ReplicaSpec:
    """What every replica of one deployment shares; only the port differs between them."""

    host: str = "127.0.0.1"
    cookie_secret: str = ""
    secrets_file: Path | None = None
    trusted_user_headers: str | None = None  # JSON, for the staff entrance
    allowed_hosts: tuple[str, ...] = ()
    env: dict[str, str] = field(default_factory=dict)


def replica_command(spec: ReplicaSpec, port: int, python: str = sys.executable) -> list[str]:
    """The command line of the replica on ``port``.

    The cookie secret is not on it: Streamlit 1.67 refuses ``--server.cookieSecret`` as a
    flag, and a command line is visible to every user of the machine (``ps``); it goes
    through the environment (:func:`replica_env`).

    No file watcher: a served replica never reloads its code (``runOnSave`` is off; a new
    release restarts it), yet Streamlit's watcher walks every imported module for every
    session after every script run, on the server's event loop. Measured with ``bench --load``
    (10 sessions on one replica, py-spy ``--gil``): 37 % of the replica's Python time, and
    replica CPU 22.5 s against 6.2 s of script runs; off: 12.3 s against 6.9 s.
    """
    cmd = [python, "-m", "streamlit", "run", str(settings.PROJECT_DIR / "app.py"),
           "--server.address", spec.host, "--server.port", str(port),
           "--server.headless", "true", "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none"]
    if spec.secrets_file is not None:
        cmd += ["--secrets.files", str(spec.secrets_file)]
    if spec.trusted_user_headers:
        cmd += ["--server.trustedUserHeaders", spec.trusted_user_headers]
    for host in spec.allowed_hosts:
        cmd += ["--server.allowedHosts", host]
    return cmd


def replica_env(spec: ReplicaSpec, base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a replica: the caller's, the spec's extras, the shared secret."""
    env = dict(os.environ if base is None else base)
    env.update(spec.env)
    if spec.cookie_secret:
        env["STREAMLIT_SERVER_COOKIE_SECRET"] = spec.cookie_secret
    return env


def reachable(host: str) -> str:
    """Where this machine reaches a server bound to ``host``: a wildcard bind (every
    interface) is reached on loopback."""
    return "127.0.0.1" if host in ("0.0.0.0", "::", "") else host


def healthy(base_url: str, timeout_s: float = 2.0,
            context: ssl.SSLContext | None = None) -> bool:
    """Whether ``base_url`` answers Streamlit's health check with ``ok`` (``context``: the
    TLS settings for an ``https://`` URL, e.g. nginx's entrance; default: verified)."""
    try:
        with urllib.request.urlopen(base_url + HEALTH_PATH, timeout=timeout_s,
                                    context=context) as r:
            return r.status == 200 and r.read().strip() == b"ok"
    except OSError:
        return False


@dataclass
class Replica:
    """One running replica: its port, its process and where its log goes."""

    port: int
    spec: ReplicaSpec
    log_path: Path
    proc: subprocess.Popen | None = None
    restarts: int = 0

    @property
    def url(self) -> str:
        return f"http://{reachable(self.spec.host)}:{self.port}"

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc is not None else None

    def start(self) -> None:
        """Start the process (in a process group of its own, so that stopping it also stops
        the import sandbox's fork server and its children)."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                replica_command(self.spec, self.port), cwd=settings.PROJECT_DIR,
                env=replica_env(self.spec), stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def wait_healthy(self, timeout_s: float = START_TIMEOUT_S) -> None:
        """Block until the replica answers its health check; :class:`CakupanError` naming the
        log if it exits or does not answer in time."""
        deadline = time.monotonic() + timeout_s
        while not healthy(self.url, timeout_s=1.0):
            if not self.alive():
                code = self.proc.returncode if self.proc is not None else None
                raise CakupanError(f"replica on port {self.port} exited ({code}); see "
                                   f"{self.log_path}")
            if time.monotonic() > deadline:
                raise CakupanError(f"replica on port {self.port} did not answer "
                                   f"{HEALTH_PATH} within {timeout_s:.0f} s; see "
                                   f"{self.log_path}")
            time.sleep(0.2)

    def terminate(self) -> None:
        """Ask the replica to stop (SIGTERM) without waiting; :meth:`stop` then waits."""
        if self.alive():
            with contextlib.suppress(ProcessLookupError):
                self.proc.terminate()  # type: ignore[union-attr]

    def stop(self, timeout_s: float = 10.0) -> None:
        """SIGTERM (Streamlit closes its sessions), then SIGKILL to whatever is left of the
        process group: no orphan fork server or sandbox child outlives its replica."""
        proc = self.proc
        if proc is None:
            return
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                proc.terminate()
            try:
                proc.wait(timeout_s)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout_s)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
