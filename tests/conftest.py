"""Shared fixtures: a real database file per test, and short busy timeouts."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("XORO_TUI_BUSY_TIMEOUT_MS", "5000")


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Keep logs, demo databases and exports out of the real home directory."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XORO_TUI_EXPORTS", str(home / "exports"))
    monkeypatch.delenv("XORO_TUI_DB", raising=False)
    monkeypatch.delenv("XORO_TUI_GROUP", raising=False)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "xoro.sqlite"


@pytest.fixture
def db(db_path: Path):
    from xoro_tui.data.store.opening import open_database

    database = open_database(db_path, create=True)
    yield database
    database.conn.close()
