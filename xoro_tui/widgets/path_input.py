"""A text field for a file path on the server, completed from the file system as typed.

The completion is shown after the cursor; Tab or → takes it (Tab moves on as usual when
there is nothing to take). A folder completes with its trailing ``/``, so the next Tab
goes on inside it. ``~`` stands for the home folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from textual.suggester import Suggester
from textual.widgets import Input

from xoro_tui.actions.registry import bindings

#: names looked at in one folder at most (a huge folder must not stall typing)
SCAN_LIMIT = 5_000


def complete_path(value: str) -> str | None:
    """The first existing path that starts with ``value`` (folders end with ``/``)."""
    if not value:
        return None
    folder_text, _, start = value.rpartition("/")
    folder = Path(os.path.expanduser(folder_text or ("/" if value.startswith("/") else ".")))
    if value.startswith("/") and not folder_text:
        folder = Path("/")
    try:
        entries = []
        with os.scandir(folder) as found:
            for i, entry in enumerate(found):
                if i >= SCAN_LIMIT:
                    break
                if entry.name.startswith(start) and (
                    start.startswith(".") or entry.name[:1] != "."
                ):
                    entries.append(entry)
    except OSError:
        return None
    if not entries:
        return None
    entries.sort(key=lambda e: (not _is_dir(e), e.name.casefold()))
    best = entries[0]
    prefix = value[: len(value) - len(start)]
    return prefix + best.name + ("/" if _is_dir(best) else "")


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


class PathSuggester(Suggester):
    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        found = complete_path(value)
        return found if found and found != value else None


class PathInput(Input):
    """An Input with :class:`PathSuggester`; Tab takes the completion when there is one."""

    BINDINGS = bindings("PathInput")

    def __init__(self, value: str = "", **kwargs: object) -> None:
        super().__init__(value, suggester=PathSuggester(), **kwargs)  # type: ignore[arg-type]

    def action_complete(self) -> None:
        if self._suggestion and self._suggestion != self.value:
            self.value = self._suggestion
            self.cursor_position = len(self.value)
        else:
            self.screen.focus_next()
