"""Where things live and which mode the app runs in, from flags, environment and defaults."""

from __future__ import annotations

import os
import re
from pathlib import Path

from xoro_tui.settings_env import env_settings

APP_NAME = "xoro-tui"


def data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


_URL = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?P<rest>.*)$", re.DOTALL)
_PASSWORD = re.compile(r"^(?P<user>[^/@:]*):[^/@]*@")


class DatabaseLocationError(ValueError):
    """A ``--db`` or ``$XORO_TUI_DB`` value that names no database file."""


def database_location(text: str) -> Path:
    """The database file a ``--db`` or ``$XORO_TUI_DB`` value names.

    A value shaped like a URL is refused rather than taken as a path: ``postgresql://h/db``
    would otherwise become a folder named ``postgresql:`` with a new SQLite file inside.
    The refusal repeats the value with any password masked.
    """
    url = _URL.match(text.strip())
    if url is None:
        return Path(text).expanduser()
    shown = f"{url['scheme']}://" + _PASSWORD.sub(r"\g<user>:***@", url["rest"])
    if url["scheme"].lower() in {"postgres", "postgresql"}:
        raise DatabaseLocationError(
            f"{shown}: this xoro-tui opens SQLite database files only, not PostgreSQL; "
            "give the path of a database file"
        )
    raise DatabaseLocationError(
        f"{shown}: a {url['scheme']}:// address is not a database file; "
        "give the path of a database file"
    )


def default_db_path(demo: bool = False) -> Path:
    """``$XORO_TUI_DB``, else a file in the user's data directory."""
    text = env_settings().db
    if not demo and text:
        return database_location(text)
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
