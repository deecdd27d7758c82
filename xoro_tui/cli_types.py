"""Argument types shared by the command line's parsers."""

from __future__ import annotations

import argparse
from pathlib import Path


def database_file(text: str) -> Path:
    """``--db``'s type: a path, never a URL taken for a folder name."""
    from xoro_tui.config import DatabaseLocationError, database_location

    try:
        return database_location(text)
    except DatabaseLocationError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
