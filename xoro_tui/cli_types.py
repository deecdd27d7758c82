"""What the command line's parsers and commands share: argument types, and the database
file the arguments name."""

from __future__ import annotations

import argparse
from pathlib import Path

from xoro_tui.data.postgres.pg_url import PgUrl

#: a SQLite file's path or a PostgreSQL URL (xoro_tui.config.Location)
Location = Path | PgUrl


def database_file(text: str) -> Location:
    """``--db``'s type: a path or a ``postgresql://`` URL, never a URL taken for a folder
    name."""
    from xoro_tui.config import DatabaseLocationError, database_location

    try:
        return database_location(text)
    except DatabaseLocationError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def db_path(args: argparse.Namespace) -> Location:
    from xoro_tui.config import default_db_path

    explicit = getattr(args, "cmd_db", None) or args.db
    if isinstance(explicit, PgUrl):
        return explicit
    return Path(explicit).expanduser() if explicit else default_db_path()


def existing_db(args: argparse.Namespace):
    """Commands that read or change data refuse a missing file (a typo must not make one)
    or a PostgreSQL database without the schema (only init makes it)."""
    from xoro_tui.data.store.opening import open_database

    return open_database(db_path(args), create=False)
