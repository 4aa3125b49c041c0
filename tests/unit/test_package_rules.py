"""Architecture rules that keep the domain package usable without Streamlit."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "cakupan"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.unit
def test_domain_package_never_imports_streamlit() -> None:
    offenders = [
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*.py")
        if "streamlit" in _imports(p)
    ]
    assert offenders == []


def _subpackages() -> list[Path]:
    return sorted(p.parent for p in PACKAGE.glob("*/__init__.py"))


@pytest.mark.unit
def test_every_subpackage_says_what_lives_there_and_what_it_may_import() -> None:
    missing = []
    for folder in _subpackages():
        doc = ast.get_docstring(ast.parse((folder / "__init__.py").read_text(encoding="utf-8")))
        if not doc or "May import" not in doc:
            missing.append(folder.name)
    assert missing == []


@pytest.mark.unit
def test_every_subpackage_has_its_own_layers_contract_and_sits_in_the_top_one() -> None:
    import tomllib

    config = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    top = next(c for c in contracts if c["id"] == "layers")
    layered = {name.strip() for layer in top["layers"] for name in layer.split("|")}
    contained = {c["containers"][0] for c in contracts if c.get("containers")}
    names = {folder.name for folder in _subpackages()}
    assert names <= layered
    # Layers are exhaustive: a module added to a subpackage must be placed in its contract.
    assert {f"cakupan.{n}" for n in names} <= contained
    assert all(c.get("exhaustive") for c in contracts if c["type"] == "layers")
