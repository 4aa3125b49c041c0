"""Test hosts on one machine: Linux network namespaces on a bridge (Debian ``iproute2``).

Why namespaces: a deployment on several machines breaks on whatever silently assumes one
host (``127.0.0.1``, a Unix socket, a file beside the app). A namespace has its own
interfaces, addresses, ports and loopback, so a part started in one can reach another only
through the address the test gave it, as across a network.

The lab is a "switch" namespace holding a bridge, one namespace per test host with ``eth0``
(a veth pair whose other end is a bridge port) on ``10.77.N.0/24``, and one veth from the
root namespace (``.254``, where the test and its browser run) to the bridge. Nothing else is
added to the root namespace: deleting the switch namespace removes every bridge port, and
with them their peers.

Also here: a throwaway PostgreSQL cluster inside one lab host (``initdb`` and ``pg_ctl`` as
the ``postgres`` user), listening on that host's address only, with ``pg_hba.conf`` letting in
the lab subnet alone, and its Unix socket in its own folder (sockets are files: they are not
separated by network namespaces, and the machine's own cluster uses the default folder).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import selectors
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import require

#: The lab subnets are ``10.77.N.0/24``; the root namespace is ``.254`` on it.
SUBNET_PREFIX = "10.77"
ROOT_HOST = 254
POSTGRES_USER = "postgres"  # the OS user Debian's packages run PostgreSQL as
CMD_TIMEOUT_S = 30


def _run(cmd: Sequence[str], *, check: bool = True, timeout_s: float = CMD_TIMEOUT_S,
         ) -> subprocess.CompletedProcess[str]:
    """One command, its output captured; a failure says which command and what it printed."""
    done = subprocess.run(list(cmd), capture_output=True, text=True, timeout=timeout_s,
                          check=False)
    if check and done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {done.returncode}: "
                           f"{(done.stdout + done.stderr).strip()}")
    return done


def require_netns(flag: str) -> str:
    """The ``ip`` command, root and a namespace that can be made, or a skip (a failure
    where ``flag`` is ``1``, i.e. in CI, which runs as root and installs ``iproute2``)."""
    ip = shutil.which("ip")
    require(flag, ip is not None, "`ip` not found: apt-get install iproute2")
    require(flag, os.geteuid() == 0, "network namespaces need root (ip netns add)")
    probe = f"ckprobe{os.getpid()}"
    made = _run([str(ip), "netns", "add", probe], check=False)
    if made.returncode == 0:
        _run([str(ip), "netns", "del", probe], check=False)
    require(flag, made.returncode == 0,
            f"cannot create a network namespace: {(made.stdout + made.stderr).strip()}")
    return str(ip)


def namespaces() -> list[str]:
    """Names of every network namespace ``ip netns`` knows."""
    out = _run(["ip", "-j", "netns", "list"]).stdout.strip()
    return [entry["name"] for entry in json.loads(out or "[]")]


def _links() -> list[str]:
    return [entry["ifname"] for entry in json.loads(_run(["ip", "-j", "link", "show"]).stdout)]


def _subnet_in_use(prefix: str) -> bool:
    """Whether the root namespace already has an address or a route in ``prefix.0/24``."""
    text = " ".join([_run(["ip", "-4", "-o", "addr", "show"]).stdout,
                     _run(["ip", "-4", "route", "show"]).stdout]).split()
    return any(word.startswith(f"{prefix}.") for word in text)


@dataclass(frozen=True)
class Host:
    """One test host: its namespace and its address on the lab subnet."""

    name: str
    namespace: str
    address: str

    def command(self, cmd: Sequence[str]) -> list[str]:
        """``cmd`` run inside this host (``ip netns exec`` replaces itself with ``cmd``: the
        pid of the process started is the pid of ``cmd``)."""
        return ["ip", "netns", "exec", self.namespace, *cmd]


@dataclass
class Lab:
    """Namespaces on one bridge. Use :func:`lab`, which always takes it down again."""

    number: int
    names: Sequence[str]
    hosts: dict[str, Host] = field(default_factory=dict)

    @property
    def prefix(self) -> str:
        return f"{SUBNET_PREFIX}.{self.number}"

    @property
    def subnet(self) -> str:
        return f"{self.prefix}.0/24"

    @property
    def switch(self) -> str:
        return f"ckmh{self.number}-switch"

    @property
    def root_link(self) -> str:
        return f"ckmh{self.number}"  # interface names are at most 15 characters

    @property
    def root_address(self) -> str:
        return f"{self.prefix}.{ROOT_HOST}"

    def __getitem__(self, name: str) -> Host:
        return self.hosts[name]

    def all_namespaces(self) -> list[str]:
        return [self.switch, *(f"ckmh{self.number}-{name}" for name in self.names)]

    def up(self) -> None:
        """Make the switch, the hosts and the root's link; addresses; every link up."""
        sw = self.switch
        _run(["ip", "netns", "add", sw])
        _run(["ip", "-n", sw, "link", "set", "dev", "lo", "up"])
        _run(["ip", "-n", sw, "link", "add", "br0", "type", "bridge"])
        _run(["ip", "-n", sw, "link", "set", "dev", "br0", "up"])
        for index, name in enumerate(self.names, start=1):
            host = Host(name, f"ckmh{self.number}-{name}", f"{self.prefix}.{index}")
            ns = host.namespace
            _run(["ip", "netns", "add", ns])
            self.hosts[name] = host
            _run(["ip", "-n", ns, "link", "set", "dev", "lo", "up"])
            _run(["ip", "link", "add", "eth0", "netns", ns, "type", "veth",
                  "peer", "name", f"p-{index}", "netns", sw])
            _run(["ip", "-n", sw, "link", "set", "dev", f"p-{index}", "master", "br0", "up"])
            _run(["ip", "-n", ns, "addr", "add", f"{host.address}/24", "dev", "eth0"])
            _run(["ip", "-n", ns, "link", "set", "dev", "eth0", "up"])
        _run(["ip", "link", "add", self.root_link, "type", "veth",
              "peer", "name", "p-root", "netns", sw])
        _run(["ip", "-n", sw, "link", "set", "dev", "p-root", "master", "br0", "up"])
        _run(["ip", "addr", "add", f"{self.root_address}/24", "dev", self.root_link])
        _run(["ip", "link", "set", "dev", self.root_link, "up"])

    def pids(self) -> dict[str, list[int]]:
        """The processes still running in each of the lab's namespaces (none once down)."""
        found: dict[str, list[int]] = {}
        for ns in set(self.all_namespaces()) & set(namespaces()):
            out = _run(["ip", "netns", "pids", ns], check=False).stdout.split()
            if out:
                found[ns] = [int(pid) for pid in out]
        return found

    def down(self) -> None:
        """Kill whatever still runs inside, delete every namespace and the root's link.

        Callers stop their processes properly first; this is the net under them, so that a
        failed test leaves nothing behind (a namespace lives on while a process is in it).
        """
        deadline = time.monotonic() + 15
        while (left := self.pids()) and time.monotonic() < deadline:
            for pids in left.values():
                for pid in pids:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
            time.sleep(0.1)
        if self.root_link in _links():
            _run(["ip", "link", "del", "dev", self.root_link], check=False)
        for ns in reversed(self.all_namespaces()):
            if ns in namespaces():
                _run(["ip", "netns", "del", ns], check=False)

    def leftovers(self) -> list[str]:
        """What of the lab still exists: namespaces, the root's link, processes inside."""
        left = [f"namespace {ns}" for ns in set(self.all_namespaces()) & set(namespaces())]
        left += [f"link {self.root_link}"] if self.root_link in _links() else []
        left += [f"pid {pid} in {ns}" for ns, pids in self.pids().items() for pid in pids]
        return sorted(left)


@contextlib.contextmanager
def lab(names: Sequence[str]) -> Iterator[Lab]:
    """Hosts ``names`` (``.1``, ``.2``, ... in that order) on a subnet nobody here uses; taken
    down when the block ends, whatever happened inside."""
    taken = set(namespaces())
    number = next(n for n in range(77, 250)
                  if f"ckmh{n}-switch" not in taken and not _subnet_in_use(f"{SUBNET_PREFIX}.{n}"))
    made = Lab(number, list(names))
    try:
        made.up()
        yield made
    finally:
        made.down()


# --- PostgreSQL on one lab host -----------------------------------------------------------

def postgres_bin() -> Path | None:
    """The folder of Debian's PostgreSQL server programs (newest version), if installed."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
                   key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit()
                   else 0)
    if found:
        return found[-1].parent
    pg_ctl = shutil.which("pg_ctl")
    return Path(pg_ctl).resolve().parent if pg_ctl else None


@dataclass(frozen=True)
class Cluster:
    """A running throwaway cluster: the URL the other hosts use, its folder and postmaster."""

    url: str
    folder: Path
    host: Host

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def postmaster_pid(self) -> int | None:
        path = self.data / "postmaster.pid"
        with contextlib.suppress(OSError, ValueError, IndexError):
            return int(path.read_text().splitlines()[0])
        return None


@contextlib.contextmanager
def postgres_on(host: Host, subnet: str, folder: Path, port: int = 5432,
                database: str = "cakupan") -> Iterator[Cluster]:
    """A fresh cluster on ``host``'s address only, for clients from ``subnet`` only
    (``scram-sha-256``; a login ``cakupan`` with a random password), stopped and deleted on
    exit. ``folder`` must be reachable by the ``postgres`` user."""
    bin_dir = postgres_bin()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL server programs not found: apt-get install postgresql")
    password = secrets.token_urlsafe(16)
    folder.mkdir(parents=True, exist_ok=True)
    sock = folder / "socket"
    sock.mkdir()
    pwfile = folder / "pwfile"
    pwfile.write_text(password + "\n", encoding="utf-8")
    shutil.chown(folder, POSTGRES_USER)
    shutil.chown(sock, POSTGRES_USER)
    shutil.chown(pwfile, POSTGRES_USER)
    data = folder / "data"
    as_pg = ["runuser", "-u", POSTGRES_USER, "--"]
    _run([*as_pg, str(bin_dir / "initdb"), "-D", str(data), "-U", "cakupan",
          f"--pwfile={pwfile}", "-E", "UTF8", "--no-sync", "--auth-local=trust",
          "--auth-host=scram-sha-256"], timeout_s=120)
    (data / "pg_hba.conf").write_text(
        "# Written by tests/hosting/netns.py: the socket for its own setup, the lab subnet.\n"
        "local all all trust\n"
        f"host all all {subnet} scram-sha-256\n", encoding="utf-8")
    options = (f"-c listen_addresses={host.address} -c port={port} "
               f"-c unix_socket_directories={sock} -c fsync=off -c full_page_writes=off "
               "-c synchronous_commit=off")
    cluster = Cluster(f"postgresql+psycopg://cakupan:{password}@{host.address}:{port}/"
                      f"{database}", folder, host)
    try:
        _run(host.command([*as_pg, str(bin_dir / "pg_ctl"), "-D", str(data), "-l",
                           str(folder / "postgres.log"), "-o", options, "-w", "-t", "60",
                           "start"]), timeout_s=90)
        _run([*as_pg, str(bin_dir / "createdb"), "-h", str(sock), "-p", str(port),
              "-U", "cakupan", database])
        yield cluster
    finally:
        if (data / "postmaster.pid").exists():
            _run([*as_pg, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w",
                  "-t", "30", "stop"], check=False, timeout_s=60)


# --- python -m cakupan serve on one lab host ----------------------------------------------

@dataclass
class Started:
    """One ``serve`` started inside a lab host: its process, then the JSON line it printed."""

    host: Host
    proc: subprocess.Popen
    run_dir: Path
    info: dict = field(default_factory=dict)

    def wait_line(self, timeout_s: float) -> dict:
        """The one JSON line ``serve --json`` prints once healthy; an error naming the logs
        if it exits or stays silent."""
        sel = selectors.DefaultSelector()
        sel.register(self.proc.stdout, selectors.EVENT_READ)  # type: ignore[arg-type]
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if sel.select(timeout=0.5):
                line = self.proc.stdout.readline().decode()  # type: ignore[union-attr]
                if line:
                    self.info = json.loads(line)
                    return self.info
            if self.proc.poll() is not None:
                break
        raise AssertionError(f"serve on {self.host.name} printed nothing (exit "
                             f"{self.proc.poll()}); see {self.run_dir / 'serve.err'} and "
                             f"{self.run_dir / 'logs'}")

    def pids(self) -> list[int]:
        """The serve process and every part it reported."""
        parts = [r["pid"] for r in self.info.get("replicas", [])]
        nginx_pid = self.info.get("nginx_pid")
        return [self.proc.pid, *parts, *([nginx_pid] if nginx_pid else [])]

    def stop(self, timeout_s: float = 30) -> None:
        """SIGTERM, as a service manager would; ``serve`` stops its parts itself."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout_s)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        if self.proc.stdout is not None:
            self.proc.stdout.close()


def start_serve(host: Host, python: str, args: Sequence[str], run_dir: Path, cwd: Path,
                env: dict[str, str]) -> Started:
    """``python -m cakupan serve --json --run-dir RUN_DIR ARGS`` inside ``host``, not waited
    for (several hosts start at once; :meth:`Started.wait_line` waits)."""
    run_dir.mkdir(parents=True, exist_ok=True)
    with (run_dir / "serve.err").open("wb") as err:
        proc = subprocess.Popen(
            host.command([python, "-m", "cakupan", "serve", "--json", "--run-dir",
                          str(run_dir), *args]),
            cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=err, stdin=subprocess.DEVNULL)
    return Started(host, proc, run_dir)


def alive(pids: Sequence[int]) -> list[int]:
    """Those of ``pids`` that still run (a zombie waiting for its parent counts as gone)."""
    running = []
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[-1][:1]
        except OSError:
            continue
        if state != "Z":
            running.append(pid)
    return running
