"""Start ``python -m cakupan serve`` as an operator would, for the topology tests.

The command runs in a process of its own (its signal handling and its one JSON line are
part of what is tested); its store is a schema of its own in the test PostgreSQL.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import selectors
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.hosting.entrance import free_port, free_ports

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 150


@dataclass
class Served:
    """A running ``serve``: its process, the JSON line it printed, its run folder."""

    proc: subprocess.Popen
    info: dict
    run_dir: Path
    database_url: str

    @property
    def url(self) -> str:
        return self.info["url"]

    def access_log(self) -> list[str]:
        path = self.run_dir / "logs" / "access.log"
        return path.read_text(encoding="utf-8").splitlines() if path.exists() else []

    def error_log(self, tail: int = 20) -> str:
        """The last lines of nginx's error log, for an assertion's message."""
        path = self.run_dir / "logs" / "error.log"
        lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
        return "\n".join(lines[-tail:])

    def upstream_of(self, route: str) -> str:
        """Which replica (``HOST:PORT``) answers a browser holding sticky cookie ``route``."""
        # A marker of this request alone: with the route only, a probe repeated for the same
        # route could read an earlier probe's line (nginx writes it just after the answer;
        # under load, after the search began), e.g. from before a replica was killed.
        marker = f"/_stcore/health?probe={route}&n={secrets.token_hex(8)}"
        request = urllib.request.Request(f"{self.url}{marker}",
                                         headers={"Cookie": f"cakupan_route={route}"})
        with urllib.request.urlopen(request, timeout=10) as r:
            assert r.read() == b"ok"
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:  # nginx writes the line after the response
            for line in reversed(self.access_log()):
                if marker in line:
                    # "A, B" when A failed and B answered: the one that answered is last.
                    tried = re.search(r"upstream=(\S+(?:, \S+)*) cache=", line)[1]  # type: ignore[index]
                    return tried.split(", ")[-1]
            time.sleep(0.05)
        raise AssertionError(f"no access-log line for {marker}")


def open_run_dir(name: str) -> Path:
    """A run folder nginx's workers can reach when the tests run as root (they drop to
    www-data, and pytest's own temporary folders are closed to other users); the caller
    removes it."""
    folder = Path(tempfile.mkdtemp(prefix=f"cakupan-{name}-", dir="/tmp"))
    folder.chmod(0o711)
    return folder


def _read_line(proc: subprocess.Popen, timeout_s: float) -> str:
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)  # type: ignore[arg-type]
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if sel.select(timeout=0.5):
            return proc.stdout.readline().decode()  # type: ignore[union-attr]
        if proc.poll() is not None:
            break
    return ""


@contextlib.contextmanager
def serve(run_dir: Path, database_url: str, *, replicas: int = 2,
          extra: tuple[str, ...] = (), env: dict[str, str] | None = None,
          port: int | None = None) -> Iterator[Served]:
    """``serve --replicas N --json`` on free ports (nginx on ``port`` if given); yields once
    it printed its line, and stops it with SIGTERM (as a service manager would) afterwards."""
    port, first = port or free_port(), free_ports(replicas)
    full_env = {**os.environ, "CAKUPAN_DATABASE_URL": database_url, **(env or {})}
    run_dir.mkdir(parents=True, exist_ok=True)
    err = (run_dir / "serve.err").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "cakupan", "serve", "--replicas", str(replicas), "--port",
         str(port), "--replica-port", str(first), "--run-dir", str(run_dir), "--json", *extra],
        cwd=ROOT, env=full_env, stdout=subprocess.PIPE, stderr=err)
    try:
        line = _read_line(proc, START_TIMEOUT_S)
        if not line:
            raise AssertionError(f"serve printed nothing (exit {proc.poll()}); see "
                                 f"{run_dir / 'serve.err'} and {run_dir / 'logs'}")
        info = json.loads(line)
        if info.get("kind") == "error":  # serve said why it did not start: show that
            proc.wait(30)
            raise AssertionError(f"serve did not start: {info}; stderr: "
                                 f"{(run_dir / 'serve.err').read_text(errors='replace')[-2000:]}")
        yield Served(proc, info, run_dir, database_url)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)
        err.close()


def pids_alive(pids: list[int]) -> list[int]:
    """Those of ``pids`` that still exist (zombies of other parents count as gone)."""
    alive = []
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().split(") ")[-1][:1]
        except OSError:
            continue
        if state != "Z":
            alive.append(pid)
    return alive
