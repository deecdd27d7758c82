"""Where things live and which mode the app runs in, from flags, environment and defaults."""

from __future__ import annotations

import os
from pathlib import Path

from xoro_tui.settings_env import env_settings

APP_NAME = "xoro-tui"


def data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_db_path(demo: bool = False) -> Path:
    """``$XORO_TUI_DB``, else a file in the user's data directory."""
    db = env_settings().db
    if not demo and db is not None:
        return db
    return data_dir() / ("demo.sqlite" if demo else "xoro.sqlite")


def exports_dir() -> Path:
    """``$XORO_TUI_EXPORTS``, else a folder in the user's documents (or data) directory."""
    exports = env_settings().exports
    if exports is not None:
        return exports
    import platformdirs

    documents = Path(platformdirs.user_documents_dir())
    if documents.is_dir():
        return documents / APP_NAME
    return data_dir() / "exports"


def log_path() -> Path:
    return data_dir() / "xoro-tui.log"


def env_low_bandwidth() -> bool:
    return env_settings().low_bandwidth


def poor_terminal() -> bool:
    """A terminal without colour or the Linux console: choose the light defaults."""
    term = os.environ.get("TERM", "")
    return term in {"linux", "dumb", "vt100", "vt220", "xterm-mono"} or (
        term == "xterm" and not os.environ.get("COLORTERM")
    )
