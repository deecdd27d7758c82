"""The import-linter contracts in pyproject.toml hold (``make lint`` runs the same check)."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ["cli", "app", "screens", "widgets", "documents", "data"]


def _contracts() -> list[dict]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]


def test_the_layers_contract_names_every_layer_in_order() -> None:
    layered = [c for c in _contracts() if c["type"] == "layers" and "xoro_tui.cli" in c["layers"]]
    assert len(layered) == 1
    assert layered[0]["layers"] == [f"xoro_tui.{name}" for name in LAYERS]


def test_lint_imports_passes() -> None:
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache", "--no-logo"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Contracts: {len(_contracts())} kept, 0 broken." in result.stdout
