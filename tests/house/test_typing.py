"""Typed access to the app: no ``attr-defined`` ignores (``make lint`` runs mypy on the rest)."""

from __future__ import annotations

import re
from pathlib import Path

from xoro_tui.app import XoroApp
from xoro_tui.screens.app_access import XoroServices, xoro_app

ROOT = Path(__file__).resolve().parents[2]


def test_no_attr_defined_ignores() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "xoro_tui").rglob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if re.search(r"type:\s*ignore\[[^]]*attr-defined", line)
    ]
    assert found == []


def test_the_app_has_what_the_screens_expect(db, db_path: Path) -> None:
    app = XoroApp(db, db_path)
    wanted = [name for name in dir(XoroServices) if not name.startswith("_")]
    wanted += list(XoroServices.__annotations__)
    assert {"db", "db_path", "early_count", "open_reader"} <= set(wanted)
    assert all(hasattr(app, name) for name in wanted)


async def test_a_screen_reaches_the_database_through_xoro_app(db, db_path: Path) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert xoro_app(app.screen).db is db
