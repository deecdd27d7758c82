"""The command palette's entries (ctrl+p), read from the action registry: the app's (the
two Centres, help), imports, the screen's own actions that have a palette title, whatever
else the screen offers (its ``palette_commands``), and quit last."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

from textual.app import SystemCommand

from xoro_tui.actions.registry import commands, enabled, scopes_of

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen


def system_commands(app: App, screen: Screen) -> Iterable[SystemCommand]:
    first: list[SystemCommand] = []
    last: list[SystemCommand] = []
    for command in registry_commands(app):
        (last if command.title == "Quit" else first).append(command)
    yield from first
    yield from _import_commands(screen)
    yield from registry_commands(screen)
    yield from screen_commands(screen)
    yield from last


def registry_commands(owner: App | Screen) -> Iterable[SystemCommand]:
    """The actions of ``owner``'s class and its bases (its own first) that have a palette
    title and that it lets run now."""
    for scope in reversed(scopes_of(type(owner))):
        for entry in commands(scope):
            if enabled(owner, entry):
                yield SystemCommand(
                    entry.command, entry.description, partial(owner.run_action, entry.handler)
                )


def _import_commands(screen: Screen) -> Iterable[SystemCommand]:
    from xoro_tui.screens.dialogs.import_screen import open_import

    for kind in ("customers", "refunds"):
        yield SystemCommand(f"Import {kind}", "From a CSV, .xlsx or .xls file, mapped column "
                            "by column", lambda k=kind: open_import(screen, k))  # fmt: skip


def screen_commands(screen: Screen) -> Iterable[SystemCommand]:
    """The commands a screen offers of its own (its ``palette_commands``), if any."""
    more = getattr(screen, "palette_commands", None)
    if callable(more):
        yield from more()
