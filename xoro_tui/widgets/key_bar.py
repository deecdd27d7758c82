"""The keys that work here, on one line at the foot of a screen.

Textual's Footer is a widget per key, recomposed (all of them mounted again) whenever the
focus moves: at start-up that was two extra repaints of the line and a tenth of a second of
styling. This is one line of text, rebuilt from the screen's active bindings and redrawn
only when its text changes; the keys carry one style, the words none of their own.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.keys import key_to_character
from textual.screen import Screen
from textual.widget import Widget

#: characters of key names Textual's ``key_to_character`` does not know
_CHARACTERS = {"slash": "/", "plus": "+", "asterisk": "*", "question_mark": "?", "minus": "-"}


def _typed_in(widget: Widget, key: str) -> bool:
    """Whether the focused ``widget`` consumes ``key`` itself (an Input types ``/`` or ``+``)."""
    return widget.check_consume_key(key, _CHARACTERS.get(key) or key_to_character(key))


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
        first = tuple(getattr(self.screen, "KEY_BAR_FIRST", ()))
        order: list[int] = []
        focused = self.app.focused
        for node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if not binding.show or not enabled or binding.action in seen:
                continue
            if focused is not None and node is not focused and _typed_in(focused, binding.key):
                continue  # a text field takes this key as a character: it does not act here
            seen.add(binding.action)
            shown.append((self.app.get_key_display(binding), binding.description))
            if binding.action in first:
                order.append(len(shown) - 1)
        # a screen may name its own keys to lead (``KEY_BAR_FIRST``): they stay in view
        # on a narrow terminal ahead of the focused table's many keys
        lead = [shown[i] for i in order]
        return [*lead, *(pair for i, pair in enumerate(shown) if i not in order)]

    def _bindings_changed(self, screen: Screen) -> None:
        if not self.is_attached or screen is not self.screen:
            return
        shown = (self.size.width or self.app.size.width, [*self.keys(), ("", self._more_key())])
        if shown != self._shown:
            self._shown = shown
            self._line_text = self._line(shown[0], shown[1][:-1])
            self.refresh()

    def render(self) -> Text:
        return self._line_text

    def _more_key(self) -> str:
        """The key that lists every key: ``?``, or F1 where ``?`` would be typed."""
        focused = self.app.focused
        if focused is not None and focused.check_consume_key("question_mark", "?"):
            return "f1"
        return "?"

    def _line(self, width: int, shown: list[tuple[str, str]]) -> Text:
        """As many keys as fit; when some do not, the last place says which key lists
        them all (help), so every key can be found."""
        key_style = self.get_component_rich_style("key-bar--key", partial=True)
        pieces = [(f" {key}", f" {description} ") for key, description in shown]
        if sum(cell_len(k + d) for k, d in pieces) > width:
            more = (f" {self._more_key()}", " More ")
            room = width - cell_len(more[0] + more[1])
            kept: list[tuple[str, str]] = []
            for key, description in pieces:
                if sum(cell_len(k + d) for k, d in kept) + cell_len(key + description) > room:
                    break
                kept.append((key, description))
            pieces = [*kept, more]
        line = Text(no_wrap=True, overflow="crop", end="")
        for key, description in pieces:
            line.append(key, key_style)
            line.append(description)
        return line
