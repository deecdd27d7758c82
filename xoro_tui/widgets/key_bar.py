"""The keys that work here, on one line at the foot of a screen.

Textual's Footer is a widget per key, recomposed (all of them mounted again) whenever the
focus moves: at start-up that was two extra repaints of the line and a tenth of a second of
styling. This is one line of text, rebuilt from the screen's active bindings and redrawn
only when its text changes; the keys carry one style, the words none of their own.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.screen import Screen
from textual.widget import Widget


class KeyBar(Widget):
    """``⏎ Open  space Check  / Search …`` for the focused widget, its screen and the app."""

    COMPONENT_CLASSES = {"key-bar--key"}

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        width: 1fr;
        background: $footer-background;
        color: $footer-description-foreground;
    }
    KeyBar > .key-bar--key {
        color: $footer-key-foreground;
        text-style: bold;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self._shown: tuple[int, list[tuple[str, str]]] = (0, [])
        self._line_text = Text()

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def on_resize(self) -> None:
        self._bindings_changed(self.screen)

    def keys(self) -> list[tuple[str, str]]:
        """(key as shown, what it does) for every shown, enabled binding, one per action."""
        seen: set[str] = set()
        shown: list[tuple[str, str]] = []
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if not binding.show or not enabled or binding.action in seen:
                continue
            seen.add(binding.action)
            shown.append((self.app.get_key_display(binding), binding.description))
        return shown

    def _bindings_changed(self, screen: Screen) -> None:
        if not self.is_attached or screen is not self.screen:
            return
        shown = (self.size.width or self.app.size.width, self.keys())
        if shown != self._shown:
            self._shown = shown
            self._line_text = self._line(*shown)
            self.refresh()

    def render(self) -> Text:
        return self._line_text

    def _line(self, width: int, shown: list[tuple[str, str]]) -> Text:
        key_style = self.get_component_rich_style("key-bar--key", partial=True)
        line = Text(no_wrap=True, overflow="crop", end="")
        for key, description in shown:
            piece = f" {key} {description} "
            if cell_len(line.plain) + cell_len(piece) > width:
                break
            line.append(f" {key}", key_style)
            line.append(f" {description} ")
        return line
