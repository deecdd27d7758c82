"""Everything ``xoro_tui`` imports from outside the standard library is declared in pyproject.

A package that only arrives as another one's dependency (``rich`` through ``textual``) can
vanish with that package's next release; declaring it keeps a fresh install working.
"""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return {
        _normalise(re.split(r"[\s<>=!~;\[(]", spec, maxsplit=1)[0])
        for spec in project["dependencies"]
    }


def _third_party_imports() -> dict[str, set[str]]:
    """Top-level module name -> the files that import it (absolute imports only)."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / "xoro_tui").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top != "xoro_tui" and top not in sys.stdlib_module_names:
                    found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


def test_the_scan_sees_the_known_imports() -> None:
    imports = _third_party_imports()
    assert {"textual", "rich", "sqlite_utils", "pydantic"} <= set(imports)


def test_every_third_party_import_is_declared() -> None:
    distributions = importlib.metadata.packages_distributions()
    declared = _declared()
    missing = []
    for module, files in sorted(_third_party_imports().items()):
        owners = {_normalise(d) for d in distributions.get(module, [module])}
        if not owners & declared:
            missing.append(f"{module} ({', '.join(sorted(owners))}) in {sorted(files)[0]}")
    assert not missing, "imported but not declared in pyproject.toml: " + "; ".join(missing)
