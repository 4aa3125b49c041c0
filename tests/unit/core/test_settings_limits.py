"""The importer's limits in core.settings: defaults, environment overrides, refused typos."""

from __future__ import annotations

import pytest

from cakupan.core import settings

pytestmark = pytest.mark.unit

LIMIT_VARIABLES = {
    "CAKUPAN_UPLOAD_MAX_MB": (settings.upload_max_bytes, 25 * 2**20),
    "CAKUPAN_IMPORT_MAX_ROWS": (settings.import_max_rows, 200_000),
    "CAKUPAN_XLSX_MAX_UNCOMPRESSED_MB": (settings.xlsx_max_uncompressed_bytes, 200 * 2**20),
    "CAKUPAN_XLSX_MAX_RATIO": (settings.xlsx_max_ratio, 100.0),
    "CAKUPAN_PARSE_CPU_SECONDS": (settings.parse_cpu_seconds, 20),
    "CAKUPAN_PARSE_MEMORY_MB": (settings.parse_memory_bytes, 1536 * 2**20),
    "CAKUPAN_ERRORS_KEPT": (settings.errors_kept, 100),
    "CAKUPAN_CLI_IMPORT_MAX_MB": (settings.cli_import_max_bytes, 200 * 2**20),
    "CAKUPAN_CLI_IMPORT_MAX_ROWS": (settings.cli_import_max_rows, 2_000_000),
    "CAKUPAN_IMPORT_CHUNK_ROWS": (settings.import_chunk_rows, 50_000),
}


@pytest.mark.parametrize("name", sorted(LIMIT_VARIABLES))
def test_default_when_unset_or_empty(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    func, default = LIMIT_VARIABLES[name]
    monkeypatch.delenv(name, raising=False)
    assert func() == default
    monkeypatch.setenv(name, "  ")
    assert func() == default


def test_environment_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAKUPAN_UPLOAD_MAX_MB", "0.5")
    monkeypatch.setenv("CAKUPAN_IMPORT_MAX_ROWS", "1_000")
    monkeypatch.setenv("CAKUPAN_PARSE_CPU_SECONDS", "2.4")
    monkeypatch.setenv("CAKUPAN_ERRORS_KEPT", "7")
    assert settings.upload_max_bytes() == 2**19
    assert settings.import_max_rows() == 1000
    assert settings.parse_cpu_seconds() == 2
    assert settings.errors_kept() == 7


@pytest.mark.parametrize("raw", ["banyak", "-1", "0", "inf", "nan"])
def test_a_typo_is_refused_naming_the_variable(raw: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAKUPAN_IMPORT_MAX_ROWS", raw)
    with pytest.raises(ValueError, match="CAKUPAN_IMPORT_MAX_ROWS"):
        settings.import_max_rows()


def test_streamlit_upload_limit_matches_the_importer_default(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import tomllib

    monkeypatch.delenv("CAKUPAN_UPLOAD_MAX_MB", raising=False)
    config = tomllib.loads((settings.PROJECT_DIR / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] == settings.UPLOAD_MAX_MB_DEFAULT
    assert settings.upload_max_bytes() == config["server"]["maxUploadSize"] * 2**20


def test_the_command_line_limits_replace_only_size_and_rows(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from cakupan.ingest import Limits

    monkeypatch.setenv("CAKUPAN_UPLOAD_MAX_MB", "1")
    monkeypatch.setenv("CAKUPAN_IMPORT_MAX_ROWS", "10")
    monkeypatch.setenv("CAKUPAN_CLI_IMPORT_MAX_MB", "300")
    monkeypatch.setenv("CAKUPAN_PARSE_CPU_SECONDS", "7")
    web, cli = Limits.from_settings(), Limits.for_command_line()
    assert (web.upload_bytes, web.rows) == (2**20, 10)
    assert (cli.upload_bytes, cli.rows) == (300 * 2**20, 2_000_000)
    assert cli.cpu_seconds == web.cpu_seconds == 7 and cli.errors_kept == web.errors_kept
