"""Base for small pop-ups that never take focus: :class:`RowMenu` and :class:`ConfirmPrompt`.

Why not a ``ModalScreen``: pushing one repaints the whole terminal (about 40 KB at
120x40), too much over a slow SSH link. An overlay is mounted once on the screen's
``overlay`` layer (the screen declares ``layers: base overlay``), is positioned with
``position: absolute`` + ``offset`` and is shown / hidden by toggling
``styles.visibility``; only the cells it covers are redrawn.

Key routing: the overlay never takes focus (a focus change would repaint the footer
and the focused widget). Instead the focused widget feeds it keys: ``VirtualTable``
does this for overlays registered with ``table.attach_overlay(overlay)``; any other
widget or screen can do the same in its ``on_key``::

    if overlay.is_open:
        event.stop()
        event.prevent_default()
        overlay.take_key(event.key, event.character)

While open an overlay is modal: ``take_key`` swallows every key it gets.
"""

from __future__ import annotations

from textual.geometry import Offset
from textual.widget import Widget


class KeyOverlay(Widget, can_focus=False):
    """A pop-up on the overlay layer, shown by visibility and fed keys by its owner."""

    DEFAULT_CSS = """
    KeyOverlay {
        layer: overlay;
        position: absolute;
        visibility: hidden;
        width: auto;
        height: auto;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._open = False

    @property
    def is_open(self) -> bool:
        return self._open

    def take_key(self, key: str, character: str | None = None) -> bool:
        """Act on a key while open; return True when the key was consumed.

        Not Textual's ``handle_key`` (async, given the event), which this once shadowed."""
        return self._open

    def click_outside(self) -> None:
        """The user clicked the owner while this was open; the click does nothing else."""

    def _show(self, x: int, y: int) -> None:
        """Show at screen cell (x, y); the caller has already set the contents.

        The new size is laid out while still hidden and the overlay made visible
        only after that refresh, so opening paints it once, not twice.
        """
        origin = self.parent.content_region.offset if isinstance(self.parent, Widget) else None
        origin = origin or Offset(0, 0)
        self._open = True
        self.refresh(layout=True)
        self.styles.offset = (x - origin.x, y - origin.y)
        self.call_after_refresh(self._reveal)

    def _reveal(self) -> None:
        if self._open:
            self.styles.visibility = "visible"

    def _hide(self) -> None:
        self._open = False
        self.styles.visibility = "hidden"
