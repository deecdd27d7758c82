"""Run a write off the UI thread, then say how it went: the one helper every dialog uses.

The pattern it serves (merge, batch update, import, download, cheque test page): the
write runs in a thread worker on a connection of its own (``open_reader``), so the UI
thread keeps reading on ``app.db`` and the screen stays live; the connection is closed
when the write ends; back on the UI thread ``done(result)`` runs (show it, close the
dialog) or, when the write raised one of ``errors``, ``failed(message)`` (show it, keep
the dialog open). A write is one ``write_tx`` transaction in the data layer, so a failed
one left the database as it was.

The app is taken when the worker starts: after a hang-up the screen is gone before the
write ends, and the answer still reaches the app.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from xoro_tui.data.store.errors import DataError
from xoro_tui.screens.app_access import xoro_app

if TYPE_CHECKING:
    import sqlite_utils
    from textual.dom import DOMNode
    from textual.worker import Worker

T = TypeVar("T")

#: what a failed write raises by default: refused by the data layer, or by SQLite
WRITE_ERRORS: tuple[type[Exception], ...] = (DataError, sqlite3.Error)


def run_write(
    owner: DOMNode,
    write: Callable[[sqlite_utils.Database], T],
    done: Callable[[T], object],
    failed: Callable[[str], object],
    *,
    group: str,
    errors: tuple[type[Exception], ...] = WRITE_ERRORS,
    exclusive: bool = False,
) -> Worker[None]:
    """Run ``write(db)`` in a thread worker of ``owner`` (a screen, or the app for a write
    that outlives its dialog) on a connection of its own; then,
    on the UI thread, ``done(result)`` or ``failed(str(error))`` for one of ``errors``
    (anything else is a bug and reaches Textual's worker error handling)."""
    app = owner.app
    services = xoro_app(owner)

    def work() -> None:
        opener = getattr(app, "open_reader", None)
        db = opener() if callable(opener) else services.db
        try:
            result = write(db)
        except errors as exc:
            app.call_from_thread(failed, str(exc))
            return
        finally:
            if db is not services.db:
                db.conn.close()
        app.call_from_thread(done, result)

    return owner.run_worker(work, thread=True, group=group, exclusive=exclusive)
