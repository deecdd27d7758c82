"""The rooms stay as a newcomer finds them: no folder grows past about twenty modules, no
two modules share a name (a search for ``user_keys.py`` finds one file), and ``app.py``
stays the short assembly it is."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

PACKAGE = Path(__file__).parents[2] / "xoro_tui"
#: "no folder over about 20 modules"
MOST_MODULES = 22
APP_LINES = 150


def _modules() -> list[Path]:
    return [p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts]


def test_no_folder_holds_more_than_about_twenty_modules() -> None:
    per_folder = Counter(p.parent for p in _modules() if p.name != "__init__.py")
    crowded = {str(f.relative_to(PACKAGE)): n for f, n in per_folder.items() if n > MOST_MODULES}
    assert crowded == {}


def test_no_two_modules_share_a_name() -> None:
    names = Counter(p.name for p in _modules() if p.name not in ("__init__.py", "__main__.py"))
    assert sorted(name for name, n in names.items() if n > 1) == []


def test_app_py_stays_short() -> None:
    assert len((PACKAGE / "app.py").read_text(encoding="utf-8").splitlines()) < APP_LINES
