"""The import-linter contract classifies every ``unionvol`` module.

A module the ``layers`` contract does not name is not checked at all, so a new kernel
module that imported an app would slip through ``lint-imports``. ``unionvol`` itself
cannot be one layer (its project files sit above the apps, its kernel below them), so
its modules are listed one by one and this test keeps the list complete.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _layers_contract() -> dict[str, object]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    return next(c for c in contracts if c.get("id") == "layers")


def _declared_modules() -> set[str]:
    layers = _layers_contract()["layers"]
    assert isinstance(layers, list)
    return {name.strip() for layer in layers for name in re.split(r"[:|]", layer)}


def test_every_unionvol_module_is_in_a_layer() -> None:
    children = {
        f"unionvol.{path.stem}"
        for path in (ROOT / "unionvol").iterdir()
        if (path.suffix == ".py" and path.stem != "__init__")
        or (path.is_dir() and (path / "__init__.py").exists())
    }
    missing = children - _declared_modules()
    assert not missing, f"add to a layer in pyproject.toml: {sorted(missing)}"


def test_the_layers_run_from_the_project_files_down_to_the_kernel() -> None:
    layers = [layer.strip() for layer in _layers_contract()["layers"]]  # type: ignore[attr-defined]
    assert layers[1:7] == ["reports", "relief", "service", "volunteers", "campaigns", "unions"]
    assert "unionvol.urls" in layers[0]
    assert "unionvol.scoping" in layers[-1]
