"""Which login may run which command: the one place the command line asks.

Roles rank clerk < approver < admin. With no roles at all (single-user mode) every login
may do everything, except that the first role is given only by the database file's owner
or root: otherwise any login could make itself admin. Commands that only read (``users
list``, ``backup``, ``check``, ``audit``, ``export``) need no role: whoever may read the
file may read its data. The refund rules (four eyes, locks by status) are the refund
policy's, which the refund routes call.
"""

from __future__ import annotations

import sqlite_utils

from xoro_tui.data.store.clock import os_user
from xoro_tui.data.store.errors import Refused
from xoro_tui.data.store.users import ROLES, UserRepository

#: the least role each command that changes data needs
COMMAND_ROLES: dict[str, str] = {
    "import customers": "clerk",
    "import refunds": "clerk",
    "purge": "admin",
    "settings": "admin",
    "users add": "admin",
    "init": "admin",
    "seed": "admin",
}


def rank(role: str | None) -> int:
    return ROLES.index(role) + 1 if role in ROLES else 0


def require(db: sqlite_utils.Database, command: str, user: str | None = None) -> None:
    """Raise :class:`Refused` unless the acting login may run ``command``."""
    needed = COMMAND_ROLES.get(command)
    if needed is None:
        return
    users = UserRepository(db)
    if users.single_user_mode():
        return
    user = user or os_user()
    mine = users.role_of(user)
    if rank(mine) < rank(needed):
        held = f"{user} is a {mine}" if mine else f"{user} has no role"
        raise Refused(f"{command} needs the {needed} role or above ({held})")
