"""A local PostgreSQL of its own in one folder: for a trial (``serve --start-postgres``) and for
tests that stop the database under a running import.

Debian's server binaries (``/usr/lib/postgresql/<version>/bin``, package ``postgresql``) make
a cluster with ``initdb`` in ``FOLDER/data`` and run it with ``pg_ctl`` on a loopback TCP port,
its Unix socket in ``FOLDER`` (never ``/var/run/postgresql``), its log in
``FOLDER/postgres.log``. As root the binaries run as the ``postgres`` OS user
(``runuser -u postgres --``; PostgreSQL refuses to run as root) and the folder is made theirs.
The cluster's superuser logs in only through that socket as its own OS user (``peer``); over
TCP there is one login, ``cakupan`` with a random password (scram-sha-256), which owns the
database the URL names. The password is kept in ``FOLDER/cluster.json`` (mode 0600) so that a
kept folder starts again with the same URL.

API
---
``with trial_cluster(folder) as url:`` — the SQLAlchemy URL of a fresh database, running until
the block ends; then stopped (no process left) and the folder removed (``keep=True`` keeps it,
and a kept folder is started again as it was).

``with LocalPostgres(folder, port=None) as pg:`` — the same, with the handle: ``pg.url``,
``pg.port``, ``pg.pid`` (the postmaster's), ``pg.running``, ``pg.stop(mode="fast")`` (or
``"immediate"``: every backend killed at once, as a crash; the next start recovers from the
WAL) and ``pg.start()`` again on the same port, so a test can take the database away
mid-operation and bring it back. Leaving the block stops it in any case.

Examples
--------
>>> with LocalPostgres(Path("/tmp/cakupan-pg")) as pg:      # doctest: +SKIP
...     engine = store.get_engine(pg.url)
...     pg.stop(mode="immediate"); pg.start()

Raises :class:`~cakupan.core.errors.CakupanError` with one line when the binaries are missing,
the folder cannot be reached by the ``postgres`` user (a parent folder closed to it, as
pytest's are: pick one under ``/tmp``), or the server does not start (the log's last lines
are in the message).
"""

from __future__ import annotations

import json
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

import sqlalchemy as sa

from cakupan.core.errors import CakupanError

#: Where Debian puts each major version's server binaries.
DEBIAN_ROOT = Path("/usr/lib/postgresql")
DATABASE = "cakupan"
LOGIN = "cakupan"
#: Seconds ``pg_ctl`` may take to start or stop the server.
TIMEOUT_S = 60
#: A Unix socket path longer than this is refused by the kernel (sun_path is 108 bytes).
_SOCKET_PATH_MAX = 100


def find_bin_dir(root: Path = DEBIAN_ROOT) -> Path | None:
    """The newest installed major version's ``bin`` folder with ``initdb`` and ``pg_ctl``."""
    if not root.is_dir():
        return None
    versions = sorted((p for p in root.iterdir() if p.name.isdigit()), key=lambda p: int(p.name))
    for version in reversed(versions):
        if (version / "bin" / "initdb").is_file() and (version / "bin" / "pg_ctl").is_file():
            return version / "bin"
    return None


def free_port() -> int:
    """A loopback TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class LocalPostgres:
    """One throwaway PostgreSQL cluster in ``folder`` (module docstring: how, and the API)."""

    def __init__(self, folder: Path | str, *, port: int | None = None,
                 bin_dir: Path | str | None = None, keep: bool = False) -> None:
        self.folder = Path(folder).resolve()
        found = Path(bin_dir) if bin_dir else find_bin_dir()
        if found is None or not (found / "pg_ctl").is_file():
            raise CakupanError("PostgreSQL's server binaries were not found in "
                               f"{bin_dir or DEBIAN_ROOT}/<version>/bin: install Debian's "
                               "postgresql package")
        self.bin_dir = found
        self.keep = keep
        self.data = self.folder / "data"
        self.log = self.folder / "postgres.log"
        self._state = self.folder / "cluster.json"
        self._as_root = os.geteuid() == 0
        self._made_folder = False
        saved = self._saved()
        self.port = port or saved.get("port") or free_port()
        self._password = saved.get("password") or secrets.token_urlsafe(24)

    # ------------------------------------------------------------------ what callers use

    @property
    def url(self) -> str:
        """SQLAlchemy URL of the cluster's database for the ``cakupan`` login (TCP)."""
        return sa.URL.create("postgresql+psycopg", username=LOGIN, password=self._password,
                             host="127.0.0.1", port=self.port,
                             database=DATABASE).render_as_string(hide_password=False)

    @property
    def pid(self) -> int | None:
        """The postmaster's process id while it runs (from ``postmaster.pid``), else None."""
        try:
            first = (self.data / "postmaster.pid").read_text().splitlines()[0]
        except (OSError, IndexError):
            return None
        pid = int(first) if first.strip().isdigit() else None
        return pid if pid is not None and _pid_alive(pid) else None

    @property
    def running(self) -> bool:
        return self.pid is not None

    def start(self) -> LocalPostgres:
        """Create the cluster and its database on first use, then start the server and wait
        until it accepts connections (idempotent: a running server is left as it is)."""
        if not (self.data / "PG_VERSION").is_file():
            self._create()
        if not self.running:
            self._pg_ctl("start", "-w", "-t", str(TIMEOUT_S), "-l", str(self.log))
        return self

    def stop(self, mode: str = "fast") -> None:
        """Stop the server: ``fast`` (roll back open transactions, then stop), ``smart``, or
        ``immediate`` (kill every backend now, as a crash would). Waits until the postmaster
        has exited; no process of the cluster is left."""
        if mode not in ("smart", "fast", "immediate"):
            raise ValueError(f"unknown stop mode {mode!r}; expected smart, fast or immediate")
        pid = self.pid
        if pid is None:
            return
        self._pg_ctl("stop", "-w", "-t", str(TIMEOUT_S), "-m", mode)
        deadline = time.monotonic() + TIMEOUT_S
        while _pid_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        if _pid_alive(pid):
            raise CakupanError(f"PostgreSQL in {self.folder} did not stop (pid {pid})")

    def remove(self) -> None:
        """Stop the server and delete the folder (everything in the cluster is lost)."""
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> LocalPostgres:
        try:
            return self.start()
        except BaseException:
            self._close()
            raise

    def __exit__(self, _type: type[BaseException] | None, _exc: BaseException | None,
                 _tb: TracebackType | None) -> None:
        self._close()

    # ------------------------------------------------------------------ how

    def _close(self) -> None:
        try:
            self.stop()
        finally:
            if not self.keep:
                shutil.rmtree(self.folder, ignore_errors=True)

    def _saved(self) -> dict:
        try:
            return json.loads(self._state.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def _run(self, args: Sequence[str], *, stdin: str | None = None) -> str:
        """Run a server binary (as ``postgres`` when root); its output, or CakupanError."""
        cmd = [str(self.bin_dir / args[0]), *args[1:]]
        if self._as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        done = subprocess.run(cmd, input=stdin, capture_output=True, text=True,
                              timeout=TIMEOUT_S + 30, check=False, cwd="/")
        if done.returncode != 0:
            tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
            log_tail = self._log_tail()
            raise CakupanError(f"{args[0]} {args[1] if len(args) > 1 else ''} failed for "
                               f"PostgreSQL in {self.folder}: {' / '.join(tail + log_tail)}")
        return done.stdout

    def _log_tail(self, lines: int = 3) -> list[str]:
        try:
            return self.log.read_text(errors="replace").strip().splitlines()[-lines:]
        except OSError:
            return []

    def _pg_ctl(self, *args: str) -> None:
        self._run(["pg_ctl", *args, "-D", str(self.data)])

    def _socket_dir_ok(self) -> None:
        if len(str(self.folder / f".s.PGSQL.{self.port}")) > _SOCKET_PATH_MAX:
            raise CakupanError(f"folder path too long for PostgreSQL's socket: {self.folder} "
                               f"(at most {_SOCKET_PATH_MAX - 16} characters)")

    def _own_folder(self) -> None:
        """Make the folder the server's (as root: the ``postgres`` user's) and reachable."""
        if not self.folder.exists():
            self.folder.mkdir(parents=True, mode=0o700)
            self._made_folder = True
        if not self._as_root:
            return
        entry = pwd.getpwnam("postgres")
        for path in (self.folder, *self.folder.rglob("*")):
            os.chown(path, entry.pw_uid, entry.pw_gid)
        reach = subprocess.run(["runuser", "-u", "postgres", "--", "test", "-w",
                                str(self.folder)], capture_output=True, check=False)
        if reach.returncode != 0:
            raise CakupanError(f"the postgres user cannot reach {self.folder}: a parent folder "
                               "is closed to it; choose a folder under /tmp or /var/tmp")

    def _create(self) -> None:
        """initdb, the server's settings, one start to make the login and the database."""
        self._socket_dir_ok()
        self._own_folder()
        if self.data.exists():  # a half-made cluster from an interrupted start
            shutil.rmtree(self.data)
        self._run(["initdb", "-D", str(self.data), "--auth-local=peer",
                   "--auth-host=scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8",
                   "--no-instructions"])
        settings = {
            "listen_addresses": "'127.0.0.1'",
            "port": str(self.port),
            "unix_socket_directories": f"'{self.folder}'",
            "max_connections": "50",  # a trial or a test: replicas' pools and a few shells
            "shared_buffers": "'64MB'",
        }
        with (self.data / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write("\n# cakupan.hosting.postgres\n")
            conf.writelines(f"{key} = {value}\n" for key, value in settings.items())
        self._pg_ctl("start", "-w", "-t", str(TIMEOUT_S), "-l", str(self.log))
        secret = self._password.replace("'", "''")
        self._run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", str(self.folder), "-p",
                   str(self.port), "-d", "postgres"],
                  stdin=f"CREATE ROLE {LOGIN} LOGIN PASSWORD '{secret}';\n"
                        f"CREATE DATABASE {DATABASE} OWNER {LOGIN};\n")
        self._state.write_text(json.dumps({"port": self.port, "password": self._password}),
                               encoding="utf-8")
        os.chmod(self._state, 0o600)


@contextmanager
def trial_cluster(folder: Path | str, *, port: int | None = None,
                  keep: bool = False) -> Iterator[str]:
    """A local PostgreSQL for the length of the block; yields its database's URL.

    ``python -m cakupan serve --start-postgres`` uses it: the store of a trial on one machine,
    stopped (no process left) when the block ends, and removed unless ``keep``.
    """
    with LocalPostgres(folder, port=port, keep=keep) as pg:
        yield pg.url
