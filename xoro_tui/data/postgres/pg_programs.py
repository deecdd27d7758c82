"""Where PostgreSQL's server programs (``initdb``, ``pg_ctl``) are on this machine."""

from __future__ import annotations

import shutil
from pathlib import Path

#: the oldest PostgreSQL the app supports
OLDEST = 15


def server_bin_dir() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl`` (15 or newer): on PATH, else Debian's
    ``/usr/lib/postgresql/N/bin`` (newest first); None if there is none."""
    on_path = shutil.which("pg_ctl")
    candidates = [Path(on_path).parent] if on_path else []
    debian = Path("/usr/lib/postgresql")
    if debian.is_dir():
        versions = sorted(
            (p for p in debian.iterdir() if p.name.isdigit()), key=lambda p: -int(p.name)
        )
        candidates += [p / "bin" for p in versions if int(p.name) >= OLDEST]
    for folder in candidates:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    return None
