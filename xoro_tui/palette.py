"""The command palette's entries (ctrl+p): the two Centres, help, imports, the screen's own
commands, and quit."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Protocol

from textual.app import SystemCommand

if TYPE_CHECKING:
    from textual.screen import Screen


class _Actions(Protocol):
    """The app's own actions the palette offers (the app is above this module)."""

    def action_show_customers(self) -> None: ...
    def action_show_refunds(self) -> None: ...
    def action_help(self) -> None: ...
    def exit(self, result: Any = None, return_code: int = 0, message: Any = None) -> None: ...


def system_commands(app: _Actions, screen: Screen) -> Iterable[SystemCommand]:
    yield SystemCommand("Customer Centre", "Every customer", app.action_show_customers)
    yield SystemCommand(
        "Customer Refund Centre", "Every refund and its status", app.action_show_refunds
    )
    yield SystemCommand("Help", "Every key", app.action_help)
    yield from _import_commands(screen)
    yield from screen_commands(screen)
    yield SystemCommand("Quit", "Leave xoro-tui", app.exit)


def _import_commands(screen: Screen) -> Iterable[SystemCommand]:
    from xoro_tui.screens.dialogs.import_screen import open_import

    for kind in ("customers", "refunds"):
        yield SystemCommand(f"Import {kind}", "From a CSV, .xlsx or .xls file, mapped column "
                            "by column", lambda k=kind: open_import(screen, k))  # fmt: skip


def screen_commands(screen: Screen) -> Iterable[SystemCommand]:
    """The commands a screen offers of its own (its ``palette_commands``), if any."""
    commands = getattr(screen, "palette_commands", None)
    if callable(commands):
        yield from commands()
