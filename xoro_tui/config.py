"""Where things live and which mode the app runs in, from flags, environment and defaults."""

from __future__ import annotations

import os
from pathlib import Path

from xoro_tui.data.postgres.pg_url import SCHEMES as PG_SCHEMES
from xoro_tui.data.postgres.pg_url import PgUrl, mask_password, url_scheme
from xoro_tui.settings_env import env_settings

APP_NAME = "xoro-tui"


def data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


#: where the database is: a SQLite file, or a PostgreSQL database named by a libpq URI
Location = Path | PgUrl


class DatabaseLocationError(ValueError):
    """A ``--db`` or ``$XORO_TUI_DB`` value that names no database."""


def database_location(text: str) -> Location:
    """The database a ``--db`` or ``$XORO_TUI_DB`` value names: a file's path, or a
    ``postgresql://`` (``postgres://``) libpq URI.

    A value shaped like a URL of another scheme is refused rather than taken as a path:
    ``mysql://h/db`` would otherwise become a folder named ``mysql:`` with a new SQLite file
    inside. Every refusal repeats the value with any password masked.
    """
    scheme = url_scheme(text)
    if scheme is None:
        return Path(text).expanduser()
    if scheme in PG_SCHEMES:
        try:
            return PgUrl.parse(text)
        except ValueError as exc:
            raise DatabaseLocationError(str(exc)) from None
    raise DatabaseLocationError(
        f"{mask_password(text.strip())}: a {scheme}:// address is not a database; "
        "give the path of a database file or a postgresql:// URL"
    )


def default_db_path(demo: bool = False) -> Location:
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
