"""The deploy recipes (``Dockerfile``, ``compose.yaml``, ``.dockerignore``), checked without
Docker: no daemon runs on these machines, so the files are read, their commands parsed by
the real ``python -m cakupan`` parser, and their health checks run against a stand-in.

What could go wrong and is caught here: a flag ``serve`` does not accept, replicas that sign
cookies or store data differently, a port published by something other than nginx, an
upstream nginx cannot reach, a volume used but not declared, a secret with a default, the
local store or boundary cache sent into the image, the app running as root.
"""

from __future__ import annotations

import argparse
import fnmatch
import http.server
import re
import shlex
import subprocess
import sys
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
import yaml

from tests.conftest import ROOT

pytestmark = pytest.mark.unit

APPS = ("app1", "app2")
INVOCATION = ["python", "-m", "cakupan"]
#: Values a deployer's .env would hold, to read the compose file as compose would.
ENV = {"POSTGRES_PASSWORD": "pw-from-env", "CAKUPAN_COOKIE_SECRET": "secret-from-env"}
_VARIABLE = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[?-])(?P<arg>[^}]*))?\}")


# --- reading the files --------------------------------------------------------------------

def interpolate(value: Any, env: dict[str, str]) -> Any:
    """Compose's ``${VAR}``, ``${VAR:-default}`` and ``${VAR:?message}`` over a parsed file."""
    if isinstance(value, dict):
        return {k: interpolate(v, env) for k, v in value.items()}
    if isinstance(value, list):
        return [interpolate(v, env) for v in value]
    if not isinstance(value, str):
        return value

    def one(match: re.Match) -> str:
        name, op, arg = match["name"], match["op"], match["arg"]
        if env.get(name):
            return env[name]
        if op and op.endswith("?"):
            raise KeyError(f"{name}: {arg}")
        return arg if op and op.endswith("-") else ""

    return _VARIABLE.sub(one, value)


@pytest.fixture(scope="module")
def raw() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def compose(raw: dict) -> dict:
    return interpolate(raw, ENV)


@pytest.fixture(scope="module")
def services(compose: dict) -> dict:
    return compose["services"]


def dockerfile() -> list[tuple[str, str]]:
    """``(INSTRUCTION, arguments)`` pairs, continuation lines joined, comments dropped."""
    lines, current = [], ""
    for line in (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines():
        if not current and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.rstrip().endswith("\\"):
            current += line.rstrip()[:-1] + " "
            continue
        lines.append(current + line)
        current = ""
    out = []
    for line in lines:
        word, _, rest = line.strip().partition(" ")
        out.append((word.upper(), rest.strip()))
    return out


def exec_form(text: str) -> list[str]:
    """A CMD/ENTRYPOINT argument list (``["a", "b"]``; YAML reads JSON arrays)."""
    value = yaml.safe_load(text)
    assert isinstance(value, list), f"use the exec form (a JSON array), not {text!r}"
    return value


def serve_args(command: list[str]) -> argparse.Namespace:
    """``command`` parsed by the real CLI parser; it must be ``python -m cakupan serve``."""
    from cakupan.commands import cli

    parser = cli._parser()
    commands = next(a for a in parser._actions
                    if isinstance(a, argparse._SubParsersAction)).choices
    if "serve" not in commands:
        pytest.fail("`python -m cakupan serve` is missing from cakupan.commands.cli._parser(); "
                    "the deploy recipes run it")
    assert command[:3] == INVOCATION, command
    try:
        args = parser.parse_args(command[3:])
    except SystemExit:
        pytest.fail(f"the CLI parser refuses {shlex.join(command)}")
    assert args.command == "serve", command
    return args


def ignored(path: str, patterns: list[str]) -> bool:
    """Whether ``.dockerignore`` keeps ``path`` out of the build context (Docker's rules:
    ``*`` stays within one path segment, ``**`` spans any number, a pattern that matches a
    folder excludes what is inside it, ``!`` re-includes, the last match wins)."""

    def matches(pattern: list[str], parts: list[str]) -> bool:
        if not pattern:
            return not parts
        if pattern[0] == "**":
            return any(matches(pattern[1:], parts[i:]) for i in range(len(parts) + 1))
        return bool(parts) and fnmatch.fnmatchcase(parts[0], pattern[0]) and matches(
            pattern[1:], parts[1:])

    parts = path.split("/")
    excluded = False
    for line in patterns:
        negate = line.startswith("!")
        pattern = line[1:] if negate else line
        segments = [s for s in pattern.strip("/").split("/") if s not in ("", ".")]
        if any(matches(segments, parts[:n]) for n in range(1, len(parts) + 1)):
            excluded = not negate
    return excluded


def dockerignore() -> list[str]:
    text = (ROOT / ".dockerignore").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


@pytest.fixture(scope="module")
def health_stub() -> Iterator[dict[str, int]]:
    """Two tiny servers: one answers ``/_stcore/health`` with ``ok``, one with ``no``."""

    def handler(body: bytes) -> type[http.server.BaseHTTPRequestHandler]:
        class Answer(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                found = self.path == "/_stcore/health"
                self.send_response(200 if found else 404)
                self.end_headers()
                self.wfile.write(body if found else b"")

            def log_message(self, *_args: object) -> None:
                pass

        return Answer

    servers = {name: http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler(body))
               for name, body in (("ok", b"ok"), ("bad", b"no"))}
    for server in servers.values():
        threading.Thread(target=server.serve_forever, daemon=True).start()
    yield {name: server.server_address[1] for name, server in servers.items()}
    for server in servers.values():
        server.shutdown()
        server.server_close()


def run_health_check(test: list[str] | str, port: int, stub_port: int) -> int:
    """Run a health check's command with its port pointed at a stand-in; the exit status."""
    command = shlex.split(test) if isinstance(test, str) else list(test)
    if command[0] in ("CMD", "CMD-SHELL"):
        command = command[1:]
    assert command[:2] == ["python", "-c"], command  # the slim image has no curl or wget
    code = command[2].replace(f"127.0.0.1:{port}/", f"127.0.0.1:{stub_port}/")
    assert code != command[2], f"the check does not ask port {port}: {command[2]}"
    return subprocess.run([sys.executable, "-c", code], capture_output=True,
                          timeout=30).returncode


# --- compose.yaml ---------------------------------------------------------------------------

def test_the_topology_is_postgres_two_replicas_and_nginx(services: dict) -> None:
    assert set(services) == {"postgres", *APPS, "nginx"}
    assert services["postgres"]["image"].startswith("postgres:15")
    ours = [services[name] for name in (*APPS, "nginx")]
    assert {s["image"] for s in ours} == {"cakupan:local"}  # one image for every part
    assert {s["build"] for s in ours} == {"."} and (ROOT / "Dockerfile").is_file()


def test_only_nginx_publishes_a_port_and_it_is_the_one_nginx_listens_on(
        services: dict) -> None:
    assert [name for name, s in services.items() if s.get("ports")] == ["nginx"]
    args = serve_args(services["nginx"]["command"])
    published = [str(p).rsplit(":", 1)[-1] for p in services["nginx"]["ports"]]
    assert published == [str(args.port)]
    assert args.only == "nginx" and args.host == "0.0.0.0"


def test_every_replica_is_one_serve_replica_that_nginx_proxies_to(services: dict) -> None:
    ports = {}
    for name in APPS:
        args = serve_args(services[name]["command"])
        assert (args.only, args.replicas, args.replica_host) == ("replicas", 1, "0.0.0.0")
        assert str(args.replica_port) in [str(p) for p in services[name].get("expose", [])]
        ports[name] = args.replica_port
    upstreams = serve_args(services["nginx"]["command"]).upstream
    assert sorted(upstreams) == sorted(f"{name}:{port}" for name, port in ports.items())


def test_replicas_share_one_database_url_and_one_cookie_secret(
        services: dict, raw: dict) -> None:
    env = [services[name]["environment"] for name in APPS]
    assert len({e["CAKUPAN_DATABASE_URL"] for e in env}) == 1
    assert [e["CAKUPAN_COOKIE_SECRET"] for e in env] == [ENV["CAKUPAN_COOKIE_SECRET"]] * 2
    url = sa.make_url(env[0]["CAKUPAN_DATABASE_URL"])
    postgres = services["postgres"]["environment"]
    assert url.get_backend_name() == "postgresql" and url.host == "postgres"
    assert url.port == 5432 and url.database == postgres["POSTGRES_DB"]
    assert url.username == postgres["POSTGRES_USER"]
    assert url.password == postgres["POSTGRES_PASSWORD"] == ENV["POSTGRES_PASSWORD"]
    for name in APPS:  # nothing that would give each replica a value of its own
        assert not services[name].get("env_file")
    # No secret has a default or a literal value in the file: without .env compose refuses.
    for missing in ENV:
        with pytest.raises(KeyError, match=missing):
            interpolate(raw, {k: v for k, v in ENV.items() if k != missing})


def test_replicas_wait_for_a_healthy_postgres_and_nginx_for_healthy_replicas(
        services: dict) -> None:
    for name in APPS:
        assert services[name]["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    assert services["nginx"]["depends_on"] == {
        name: {"condition": "service_healthy"} for name in APPS}
    check = services["postgres"]["healthcheck"]["test"]
    assert check[0] == "CMD" and check[1] == "pg_isready"
    assert check[check.index("-U") + 1] == services["postgres"]["environment"]["POSTGRES_USER"]


def test_health_checks_ask_each_part_on_its_own_port(
        services: dict, health_stub: dict[str, int]) -> None:
    ports = {name: serve_args(services[name]["command"]).replica_port for name in APPS}
    ports["nginx"] = serve_args(services["nginx"]["command"]).port
    for name, port in ports.items():
        test = services[name]["healthcheck"]["test"]
        assert run_health_check(test, port, health_stub["ok"]) == 0, name
        assert run_health_check(test, port, health_stub["bad"]) != 0, name


def test_volumes_are_named_declared_and_used(compose: dict, services: dict) -> None:
    declared = set(compose["volumes"])
    used = {}
    for name, service in services.items():
        for mount in service.get("volumes", []):
            source, target = mount.split(":")[:2]
            assert not source.startswith((".", "/")), f"{name}: {mount} is a bind mount"
            used.setdefault(source, []).append((name, target))
    assert set(used) == declared
    assert used["pgdata"] == [("postgres", "/var/lib/postgresql/data")]
    caches = {name: target for volume, mounts in used.items() for name, target in mounts
              if name in APPS}
    assert set(caches) == set(APPS) and set(caches.values()) == {dockerfile_env()[
        "CAKUPAN_CACHE_DIR"]}


# --- Dockerfile and .dockerignore -------------------------------------------------------------

def dockerfile_env() -> dict[str, str]:
    env: dict[str, str] = {}
    for word, rest in dockerfile():
        if word == "ENV":
            env.update(dict(pair.split("=", 1) for pair in shlex.split(rest)))
    return env


def test_the_image_is_bookworm_python_311_with_nginx_and_the_requirements() -> None:
    steps = dockerfile()
    assert [rest for word, rest in steps if word == "FROM"] == ["python:3.11-slim-bookworm"]
    runs = [rest for word, rest in steps if word == "RUN"]
    installs = [shlex.split(r) for r in runs if "apt-get install" in r]
    assert installs and any("nginx" in words for words in installs)
    assert any(re.search(r"\bpip install -r requirements\.txt\b", r) for r in runs)
    assert not any("geo build" in r or "geo/cache" in r for r in runs)  # no boundary baked in


def test_the_image_runs_as_a_user_it_creates_not_root() -> None:
    steps = dockerfile()
    users = [rest for word, rest in steps if word == "USER"]
    assert users and users[-1] not in ("root", "0") and not users[-1].startswith("0:")
    created = " ".join(rest for word, rest in steps if word == "RUN")
    assert re.search(rf"useradd\b[^&]*\b{re.escape(users[-1])}\b", created)
    last_user = max(i for i, (word, _) in enumerate(steps) if word == "USER")
    assert last_user < max(i for i, (word, _) in enumerate(steps) if word == "CMD")


def test_the_default_command_is_one_replica_behind_nginx_on_an_exposed_port(
        health_stub: dict[str, int]) -> None:
    steps = dockerfile()
    cmd = exec_form([rest for word, rest in steps if word == "CMD"][-1])
    args = serve_args(cmd)
    assert args.replicas == 1 and args.only is None and args.host == "0.0.0.0"
    exposed = " ".join(rest for word, rest in steps if word == "EXPOSE").split()
    assert str(args.port) in exposed and "8501" in exposed
    check = [rest for word, rest in steps if word == "HEALTHCHECK"][-1]
    test = check.split(" CMD ", 1)[1]
    assert run_health_check(["CMD", *shlex.split(test)], args.port, health_stub["ok"]) == 0
    assert run_health_check(["CMD", *shlex.split(test)], args.port, health_stub["bad"]) != 0


def test_no_local_store_cache_or_secret_goes_into_the_image() -> None:
    steps = dockerfile()
    sources = [s for word, rest in steps if word in ("COPY", "ADD")
               for s in shlex.split(rest)[:-1] if not s.startswith("--")]
    assert not [s for s in sources if "geo/cache" in s or ".sqlite" in s or "secret" in s]
    patterns = dockerignore()
    for path in ("geo/cache/v3-abc/national.parquet", "geo/cache/raw/kab_81.sql",
                 "data/cakupan.sqlite", "data/cakupan.sqlite-wal", "data/cakupan.sqlite-shm",
                 ".streamlit/secrets.toml", ".env", ".venv/bin/python", ".git/config",
                 "run/serve/cookie_secret", "artifacts/screenshots/peta.png"):
        assert ignored(path, patterns), f"{path} would be copied into the image"
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.split()
    assert "app.py" in tracked and "geo/registry.json" in tracked
    left_out = [path for path in tracked if ignored(path, patterns)]
    assert left_out == [], "the image must hold the whole project"


def test_the_ignore_rules_are_read_as_docker_reads_them() -> None:
    """The matcher above, on Docker's documented cases, so the image test cannot pass by a
    matcher that ignores everything or nothing."""
    assert ignored("geo/cache/x.parquet", ["geo/cache"])
    assert not ignored("geo/cachet.py", ["geo/cache"])
    assert ignored("a/b/secrets.toml", ["**/secrets.toml"])
    assert ignored("secrets.toml", ["**/secrets.toml"])
    assert not ignored("data/x.sqlite", ["*.sqlite"])  # * stays in the top folder
    assert ignored("data/x.sqlite", ["data/*.sqlite"])
    assert not ignored("README.md", ["*.md", "!README.md"])
