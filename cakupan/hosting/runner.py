"""Run Debian's nginx in the foreground from one run folder (tests now, ``serve`` later).

``nginx -p RUN_DIR -c nginx.conf -e RUN_DIR/logs/error.log -g 'daemon off;'``: the pid
file, logs and temporary files all live in ``RUN_DIR``, so it needs no write access to
``/var`` or ``/run`` and runs as an ordinary user; as root it works too, with
``worker_user`` in the configuration (:func:`cakupan.hosting.nginx.render_nginx_conf`).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from cakupan.core.errors import CakupanError

#: Debian's nginx (package ``nginx``); ``CAKUPAN_NGINX`` is not read here, callers choose.
DEFAULT_NGINX = "/usr/sbin/nginx"
TEMP_DIRS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


def find_nginx(nginx: str = DEFAULT_NGINX) -> str | None:
    """The nginx executable if it is there (a path or a name on ``PATH``), else ``None``."""
    if Path(nginx).is_file() and os.access(nginx, os.X_OK):
        return nginx
    return shutil.which(nginx)


def prepare_run_dir(run_dir: Path, conf_text: str, conf_name: str = "nginx.conf") -> Path:
    """Make ``logs/`` and ``tmp/*`` in ``run_dir`` and write the configuration; its path."""
    for sub in ("logs", *(f"tmp/{name}" for name in TEMP_DIRS)):
        (run_dir / sub).mkdir(parents=True, exist_ok=True)
    conf = run_dir / conf_name
    conf.write_text(conf_text, encoding="utf-8")
    return conf


def nginx_command(run_dir: Path, conf_name: str = "nginx.conf",
                  nginx: str = DEFAULT_NGINX) -> list[str]:
    """The foreground command line for a configuration written by :func:`prepare_run_dir`."""
    return [nginx, "-p", str(run_dir), "-c", str(run_dir / conf_name),
            "-e", str(run_dir / "logs" / "error.log"), "-g", "daemon off;"]


def check_config(run_dir: Path, conf_name: str = "nginx.conf",
                 nginx: str = DEFAULT_NGINX) -> str:
    """``nginx -t`` on the configuration; its report, or :class:`CakupanError` with it."""
    cmd = nginx_command(run_dir, conf_name, nginx)
    done = subprocess.run([*cmd[:-2], "-t"], capture_output=True, text=True, timeout=30,
                          check=False)
    report = (done.stdout + done.stderr).strip()
    if done.returncode != 0:
        raise CakupanError(f"nginx refused the configuration: {report}")
    return report


def accepting(address: str) -> bool:
    """Whether ``HOST:PORT`` accepts a TCP connection now."""
    host, _, port = address.rpartition(":")
    try:
        with socket.create_connection((host.strip("[]") or "127.0.0.1", int(port)), 0.5):
            return True
    except OSError:
        return False


def start(run_dir: Path, ready: Callable[[], bool], *, conf_name: str = "nginx.conf",
          nginx: str = DEFAULT_NGINX, timeout_s: float = 15,
          waiting_for: str = "answer") -> subprocess.Popen:
    """Start nginx in the foreground and return once ``ready()`` is true.

    nginx runs in a process group of its own (so :func:`stop` can leave no worker behind);
    its output goes to ``run_dir/logs/nginx.out``. If it exits, or is not ready within
    ``timeout_s``, it is stopped and :class:`CakupanError` says so and where its logs are.
    """
    with (run_dir / "logs" / "nginx.out").open("ab") as out:
        proc = subprocess.Popen(nginx_command(run_dir, conf_name, nginx), stdout=out,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)
    deadline = time.monotonic() + timeout_s
    try:
        while not ready():
            if proc.poll() is not None:
                raise CakupanError(f"nginx exited with {proc.returncode}; see "
                                   f"{run_dir / 'logs'}")
            if time.monotonic() > deadline:
                raise CakupanError(f"nginx did not {waiting_for} within {timeout_s:.0f} s; "
                                   f"see {run_dir / 'logs'}")
            time.sleep(0.05)
    except BaseException:
        stop(proc)
        raise
    return proc


@contextlib.contextmanager
def running_nginx(run_dir: Path, listens: Sequence[str], conf_name: str = "nginx.conf",
                  nginx: str = DEFAULT_NGINX, timeout_s: float = 15) -> Iterator[
                      subprocess.Popen]:
    """Start nginx in the foreground, wait until every ``HOST:PORT`` in ``listens`` accepts,
    and stop it (and its workers) on exit: on the master SIGQUIT (graceful), then SIGTERM,
    and anything left in its process group SIGKILL, so no worker outlives the block.
    """
    check_config(run_dir, conf_name, nginx)
    proc = start(run_dir, lambda: all(accepting(a) for a in listens), conf_name=conf_name,
                 nginx=nginx, timeout_s=timeout_s, waiting_for=f"listen on {', '.join(listens)}")
    try:
        yield proc
    finally:
        stop(proc)


def stop(proc: subprocess.Popen, timeout_s: float = 10) -> None:
    """Stop an nginx started by :func:`running_nginx`: its master, then its process group."""
    for sig in (signal.SIGQUIT, signal.SIGTERM):
        if proc.poll() is not None:
            break
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout_s / 2)
    if proc.poll() is None:
        proc.kill()
        proc.wait(timeout_s)
    # The group is the one start_new_session made for this master (its pid): workers only.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
