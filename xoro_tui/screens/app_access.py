"""Typed access to what the running app offers the screens: the database and its readers.

Textual types ``self.app`` as a plain ``App``; the screens need the app's database, its
path, a reader connection and the start-up count. :class:`XoroServices` names those, the
app satisfies it (checked in app.py by the type checker), and :func:`xoro_app` hands the
app out typed, so screens say ``xoro_app(self).db`` without importing app.py (the app
sits above the screens in the layers contract).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast

from xoro_tui.data.postgres.pg_url import PgUrl

if TYPE_CHECKING:
    import sqlite_utils
    from textual.message_pump import MessagePump

    from xoro_tui.data.search.early_count import EarlyCount


class KeysAhead(Protocol):
    """What a screen may ask the app's key gate (key_order.KeyGate)."""

    def typing_ahead(self) -> bool: ...


class XoroServices(Protocol):
    """The app's own attributes the screens use (everything else is Textual's ``App``)."""

    db: sqlite_utils.Database
    db_path: Path | PgUrl  # a SQLite file, or a PostgreSQL URL (password masked as text)
    #: the Customer Centre's first count, taken while the app was loading
    early_count: EarlyCount | None

    @property
    def key_gate(self) -> KeysAhead: ...

    def open_reader(self) -> sqlite_utils.Database: ...


def xoro_app(node: MessagePump) -> XoroServices:
    """The running app of ``node`` (a screen, dialog or widget), typed."""
    return cast("XoroServices", node.app)
