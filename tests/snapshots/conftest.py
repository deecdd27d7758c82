"""What makes a screenshot the same on every run and every machine.

The demo database is built once per test process for a fixed day; the app opens a copy of
it under the fixed relative name ``demo.sqlite`` (the header shows the path); the clock,
"today" and the OS login are pinned; animations are off and text cursors do not blink.
Each screenshot is taken once the screen has finished: its workers are done and the
condition the test names (rows shown, counts read) holds.
"""

from __future__ import annotations

import datetime as dt
import importlib
import shutil
import sys
import types
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import settle, wait_until

#: the demo data's "today": every date in it, and every date the app shows, follows from it
TODAY = dt.date(2026, 1, 15)
NOW = dt.datetime(2026, 1, 15, 9, 30, tzinfo=dt.UTC)
#: the login the screenshots are taken as (roles and saved views are per login)
LOGIN = "mchen"
#: the file name the header shows
DB_NAME = "demo.sqlite"
SIZES = [(80, 24), (120, 40)]
SIZE_IDS = ["80x24", "120x40"]
#: customers deleted in the demo copy, for the Deleted customers list
DELETED = ("Zoe Angstrom", "ACME Trading Limited")

#: modules that read the date or time from ``datetime`` directly rather than from the
#: clock module: a "today" shown in a field, and the start-up purge of deleted customers
_DATETIME_READERS = (
    "xoro_tui.screens.customers.document_form",
    "xoro_tui.screens.lists.download_dialog",
    "xoro_tui.screens.refunds.new_refund",
    "xoro_tui.data.customers.purge",
)


class _FixedDate(dt.date):
    @classmethod
    def today(cls) -> dt.date:
        return TODAY


class _FixedDateTime(dt.datetime):
    @classmethod
    def now(cls, tz: dt.tzinfo | None = None) -> dt.datetime:  # type: ignore[override]
        return NOW if tz is None else NOW.astimezone(tz)


def _frozen_datetime_module() -> types.ModuleType:
    frozen = types.ModuleType("datetime")
    frozen.__dict__.update(vars(dt))
    frozen.date = _FixedDate  # type: ignore[attr-defined]
    frozen.datetime = _FixedDateTime  # type: ignore[attr-defined]
    return frozen


def pin_time_and_login(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pin the clock module (and every name already imported from it) and the few
    modules that ask ``datetime`` themselves."""
    from xoro_tui.data.store import clock

    pinned = {
        "today": lambda: TODAY,
        "now_iso": lambda: NOW.isoformat(timespec="seconds"),
        "os_user": lambda: LOGIN,
    }
    originals = {name: getattr(clock, name) for name in pinned}
    for module in [m for name, m in list(sys.modules.items()) if name.startswith("xoro_tui")]:
        for name, original in originals.items():
            if getattr(module, name, None) is original:
                monkeypatch.setattr(module, name, pinned[name])
    frozen = _frozen_datetime_module()
    for name in _DATETIME_READERS:
        monkeypatch.setattr(importlib.import_module(name), "dt", frozen)


@pytest.fixture(scope="session")
def demo_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database for :data:`TODAY`, with two customers deleted; built once."""
    from xoro_tui.data.customers.deletion import batch_delete
    from xoro_tui.data.seed.demo import create_demo
    from xoro_tui.data.store.opening import open_database

    path = tmp_path_factory.mktemp("snapshot-demo") / DB_NAME
    create_demo(path, today=TODAY)
    db = open_database(path)
    try:
        ids = [
            row[0]
            for row in db.conn.execute(
                "SELECT id FROM customers WHERE name IN (?, ?) ORDER BY id", DELETED
            )
        ]
        assert len(ids) == len(DELETED)
        batch_delete(db, [ids])
        stamp = NOW.isoformat(timespec="seconds")
        with db.conn:
            db.conn.execute(
                "UPDATE customers SET deleted_at = ?, updated_at = ? WHERE state = 'deleted'",
                (stamp, stamp),
            )
    finally:
        db.conn.close()
    return path


@pytest.fixture
def demo_app(demo_source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The app on a fresh copy of the demo, opened as ``demo.sqlite`` from its folder."""
    import os

    import xoro_tui.app  # noqa: F401 - imported before pinning: its names are pinned too
    from xoro_tui.app import XoroApp
    from xoro_tui.data.store.opening import open_database

    # what this machine's environment could change on screen: colours, the retention
    # days in a header, the company name, the exports folder shown in the Download dialog
    for variable in list(os.environ):
        if (
            variable in ("NO_COLOR", "COLORTERM", "TEXTUAL_ANIMATIONS", "TEXTUAL_COLOR_SYSTEM")
            or variable.startswith("XORO_TUI_")
            and variable != "XORO_TUI_BUSY_TIMEOUT_MS"
        ):
            monkeypatch.delenv(variable)
    monkeypatch.setenv("XORO_TUI_EXPORTS", "exports")
    pin_time_and_login(monkeypatch)
    shutil.copy(demo_source, tmp_path / DB_NAME)
    monkeypatch.chdir(tmp_path)
    db = open_database(Path(DB_NAME))
    app = XoroApp(db, Path(DB_NAME))
    app.animation_level = "none"
    app.theme = "textual-dark"  # Textual's default, whatever $TEXTUAL_THEME said at import
    yield app
    db.conn.close()


Steps = Callable[[Any, Any], Awaitable[None]]


def status_of(screen: Any) -> str:
    """The list's status line as shown ("12 of 312 customers")."""
    from textual.widgets import Static

    return str(screen.query_one("#status", Static).render())


def list_ready(screen: Any) -> bool:
    """A list screen is finished when its count is known and its rows are drawn."""
    source = getattr(screen, "source", None)
    if source is None or source.counting or not screen.is_mounted:
        return False
    status = status_of(screen)
    return " of " in status and "counting" not in status and screen.table.current_row() is not None


def toasts(app: Any) -> list[Any]:
    """The notifications shown on any screen of the stack (a dialog shows the screen
    beneath it, toasts and all)."""
    from textual.widgets._toast import Toast

    return [toast for screen in app.screen_stack for toast in screen.query(Toast)]


def still_cursors(app: Any) -> None:
    """No text cursor blinks: it is drawn, steadily, where it is."""
    from textual.widgets import Input, TextArea

    for widget in app.screen.query(Input):
        widget.cursor_blink = False
    for widget in app.screen.query(TextArea):
        widget.cursor_blink = False


async def press_each(
    app: Any, pilot: Any, pressed: tuple[str, ...], *, check_all: bool = False
) -> None:
    """Check every row shown (``*``) if asked, then press each key, the screen settled
    after each."""
    if check_all:
        await pilot.press("asterisk")
        await settle(app, pilot)
    for key in pressed:
        await pilot.press(key)
        await settle(app, pilot)


def shoot(
    snap_compare: Callable[..., bool],
    app: Any,
    size: tuple[int, int],
    steps: Steps | None = None,
    ready: Callable[[Any], object] | None = None,
) -> bool:
    """Start the app, wait for the Customer Centre, run ``steps``, wait for ``ready(app)``
    and for the app to have nothing left to do, and compare the screen with its SVG."""

    async def run_before(pilot: Any) -> None:
        await settle(app, pilot)
        await wait_until(pilot, lambda: list_ready(app.screen))
        if steps is not None:
            await steps(app, pilot)
        await settle(app, pilot)
        if ready is not None:
            await wait_until(pilot, lambda: ready(app))
        # a toast goes after a few seconds: whether it is still there depends on the clock
        app.clear_notifications()
        await wait_until(pilot, lambda: not toasts(app))
        still_cursors(app)
        await settle(app, pilot)

    return snap_compare(app, terminal_size=size, run_before=run_before)
