"""Who may read the files the app makes: the database's owner and, in a shared deployment,
its group; nobody else.

Many OS logins share one database file. Three rules keep them from locking each other out:

* a process never changes the mode, owner or group of a file it did not create (it could
  not anyway: only the owner or root may, and ``chmod`` on another login's ``-wal`` fails
  with "Operation not permitted");
* files that belong with a database (its ``-wal`` and ``-shm``, backups, exports, the
  seed's temporaries) take the database file's group and mode, whatever the environment
  of the process that makes them says, so one session with a missing variable cannot
  make a file the others cannot open;
* ``XORO_TUI_GROUP``, or a setgid folder, only chooses the group and mode of a NEW
  folder or database.

SQLite makes ``-wal`` and ``-shm`` with the database file's mode itself (its unix VFS
copies it); the group comes from the folder when the folder is setgid, as ``init`` makes
it. :func:`follow_database` mends the group of a ``-wal``/``-shm`` this login created in
a folder that is not setgid.
"""

from __future__ import annotations

import contextlib
import grp
import os
import stat
from pathlib import Path

from xoro_tui.settings_env import env_settings

#: what a file beside a database may allow at most: read and write for owner and group
SHARED_BITS = 0o660


def deployment_gid() -> int | None:
    """The group ``XORO_TUI_GROUP`` names, if it names one that exists."""
    name = env_settings().group
    if not name:
        return None
    try:
        return grp.getgrnam(name).gr_gid
    except KeyError:
        return int(name) if name.isdigit() else None


def new_file_mode(folder: Path) -> int:
    """Mode for a new database: group-shared in a group deployment, else owner-only."""
    if env_settings().group:
        return SHARED_BITS
    with contextlib.suppress(OSError):
        if folder.stat().st_mode & stat.S_ISGID:
            return SHARED_BITS
    return 0o600


def mode_and_group_of(database: Path) -> tuple[int, int | None]:
    """The mode (at most owner+group read/write) and group a database's companions take."""
    try:
        info = database.stat()
    except OSError:
        return 0o600, None
    return (info.st_mode & SHARED_BITS) | 0o600, info.st_gid


def create_file(path: Path, *, like: Path | None = None) -> None:
    """Create ``path`` (it must not exist) readable only by those who may read ``like``.

    Without ``like``: owner-only, or owner and group in a group deployment.
    """
    if like is not None:
        mode, gid = mode_and_group_of(like)
    else:
        mode, gid = new_file_mode(path.parent), deployment_gid()
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    try:
        _apply(fd, mode, gid)
    finally:
        os.close(fd)


def match_file(path: Path, like: Path) -> None:
    """Give ``path``, which this process created, the mode and group of ``like``."""
    mode, gid = mode_and_group_of(like)
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        try:
            if os.fstat(fd).st_uid == os.geteuid():
                _apply(fd, mode, gid)
        finally:
            os.close(fd)


def follow_database(database: Path) -> None:
    """A ``-wal``/``-shm`` this login owns gets the database's group and mode.

    Files owned by another login are left alone: they were made with the database's mode
    by SQLite, and only their owner may change them. Only path operations here: opening
    and closing a descriptor of ``-shm`` would drop the WAL locks this process holds.
    """
    mode, gid = mode_and_group_of(database)
    for suffix in ("-wal", "-shm"):
        companion = Path(f"{database}{suffix}")
        with contextlib.suppress(OSError):
            info = companion.lstat()
            if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid():
                continue
            if gid is not None and info.st_gid != gid:
                with contextlib.suppress(OSError):
                    os.chown(companion, -1, gid, follow_symlinks=False)
                    info = companion.lstat()
            wanted = mode if gid is None or info.st_gid == gid else mode & 0o700
            if stat.S_IMODE(info.st_mode) != wanted:
                os.chmod(companion, wanted)


def _apply(fd: int, mode: int, gid: int | None) -> None:
    if gid is not None and os.fstat(fd).st_gid != gid:
        # a login may give its own file to a group it belongs to; if it does not belong to
        # that group, the file keeps the login's group and owner-only bits still protect it
        with contextlib.suppress(OSError):
            os.fchown(fd, -1, gid)
    if os.fstat(fd).st_gid != gid and gid is not None:
        mode &= 0o700
    os.fchmod(fd, mode)


def make_shared_folder(folder: Path, gid: int) -> bool:
    """Create ``folder`` setgid and group-writable, no access for others; True if made."""
    if folder.exists():
        return False
    folder.mkdir(parents=True, mode=0o700)
    os.chown(folder, -1, gid)
    os.chmod(folder, 0o2770)
    return True
