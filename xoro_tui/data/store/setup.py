"""``xoro-tui init``: the one command an admin runs to set up a shared folder for a group.

It makes the folder (setgid, group-writable, nothing for others) if it is missing, a new
database in it (owner and group may read and write), and the first admin. Files SQLite
makes beside the database later (``-wal``, ``-shm``) take the database's mode from SQLite
and its group from the setgid folder, whoever makes them.
"""

from __future__ import annotations

import grp
import os
import pwd
import stat
from dataclasses import dataclass
from pathlib import Path

from xoro_tui import settings_env
from xoro_tui.data.store import files
from xoro_tui.data.store.errors import Invalid, Refused
from xoro_tui.data.store.opening import create_database, open_database
from xoro_tui.data.store.users import UserRepository, valid_login


@dataclass(frozen=True)
class InitResult:
    folder: Path
    folder_made: bool
    database: Path
    group: str
    admin: str

    def describe(self) -> list[str]:
        folder_mode = stat.S_IMODE(self.folder.stat().st_mode)
        file_mode = stat.S_IMODE(self.database.stat().st_mode)
        return [
            f"folder:   {self.folder} ({'made' if self.folder_made else 'already there'}, "
            f"mode {folder_mode:04o}, group {_group_name(self.folder.stat().st_gid)})",
            f"database: {self.database} (mode {file_mode:04o}, "
            f"group {_group_name(self.database.stat().st_gid)})",
            f"group:    {self.group} (its members use the app; set XORO_TUI_DB={self.database})",
            f"admin:    {self.admin}",
        ]


def init_shared(path: Path, *, group: str, admin: str) -> InitResult:
    """Create the folder (if missing), the database and its first admin, or refuse."""
    path = Path(path).expanduser().absolute()
    if path.exists() or path.is_symlink():
        raise Refused(f"{path} exists already; init only makes a new database")
    try:
        gid = grp.getgrnam(group).gr_gid
    except KeyError:
        raise Invalid("group", f"no group named {group!r} on this server") from None
    if os.geteuid() != 0 and gid not in os.getgroups() and gid != os.getegid():
        raise Refused(f"init is run by root or a member of {group}")
    admin = admin.strip()
    if not valid_login(admin):
        raise Invalid("admin", "a login name without spaces or control characters")
    try:
        pwd.getpwnam(admin)
    except KeyError:
        raise Invalid("admin", f"no login named {admin!r} on this server") from None
    folder_made = files.make_shared_folder(path.parent, gid)
    with settings_env.overriding("GROUP", group):  # the new database's group and mode
        create_database(path)
    db = open_database(path)
    try:
        UserRepository(db).add(admin, "admin")
    finally:
        db.conn.close()
    return InitResult(path.parent, folder_made, path, group, admin)


def _group_name(gid: int) -> str:
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)
