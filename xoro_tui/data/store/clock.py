"""Time and the acting user, in one place so tests can pin them."""

from __future__ import annotations

import datetime as dt
import os
import pwd


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def today() -> dt.date:
    return dt.date.today()


def os_user() -> str:
    """The passwd name of the process's uid; ``$USER`` can be set by anyone, so it is not used."""
    try:
        return pwd.getpwuid(os.getuid()).pw_name
    except KeyError:
        return f"uid{os.getuid()}"
