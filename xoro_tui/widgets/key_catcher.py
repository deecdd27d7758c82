"""Takes the next key pressed, whatever it is, for the Keys dialog ("press the new key").

While it has focus it claims every key (``check_consume_key``), so neither the screen's
nor the app's bindings (priority ones included) act on it: the key comes here and is
posted as :class:`KeyCatcher.Caught`; Escape or ctrl+g post :class:`KeyCatcher.Cancelled`."""

from __future__ import annotations

from textual import events
from textual.message import Message
from textual.widgets import Static


class KeyCatcher(Static, can_focus=True):
    class Caught(Message):
        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    class Cancelled(Message):
        pass

    def check_consume_key(self, key: str, character: str | None) -> bool:
        return True

    async def _on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        if event.key in ("escape", "ctrl+g"):
            self.post_message(self.Cancelled())
        else:
            self.post_message(self.Caught(event.key))
