"""Moving the focus repaints what changed, not the whole screen.

Textual declares ``Screen.focused`` as a reactive that repaints the whole screen when it
changes: every ``/``, Enter, Escape or Tab sent every cell again, 6 KB at 120x40 and
12 KB for Enter back to the table, though only the search box, the table's cursor row
and the key bar changed. The widgets that gain and lose focus repaint themselves (their
``:focus`` styles change, and they refresh), so the screen-wide repaint is switched off.
"""

from __future__ import annotations

from textual.screen import Screen


def repaint_only_what_focus_changes() -> None:
    """Switch off the whole-screen repaint on a focus change (idempotent)."""
    focused = Screen.__dict__.get("focused")
    if focused is not None and getattr(focused, "_repaint", False):
        focused._repaint = False  # noqa: SLF001 - the one flag Textual offers no setter for
