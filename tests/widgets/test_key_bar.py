"""The key bar: the keys that work where the focus is, one line, redrawn only on change."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Input

from xoro_tui.widgets.key_bar import KeyBar


class Keys(App[None]):
    AUTO_FOCUS = None
    BINDINGS = [
        Binding("n", "new", "New"),
        Binding("ctrl+s", "save", "Save"),
        Binding("N", "new", "New too"),
        Binding("z", "noop", "Hidden", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Input(id="first")
        yield KeyBar()

    def action_noop(self) -> None:
        pass

    def action_new(self) -> None:
        pass

    def action_save(self) -> None:
        pass


async def test_shows_the_keys_of_the_app_and_the_focused_widget() -> None:
    app = Keys()
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        bar = app.query_one(KeyBar)
        text = str(bar.render())
        assert "n New" in text and "^s Save" in text
        assert "Hidden" not in text and "New too" not in text  # one key per action
        assert len(text) <= 80

        app.query_one(Input).focus()  # typing "n" there is a letter, not New
        await pilot.pause()
        text = str(bar.render())
        assert "n New" not in text and "^s Save" in text


async def test_a_narrow_terminal_drops_keys_that_do_not_fit_instead_of_wrapping() -> None:
    app = Keys()
    async with app.run_test(size=(15, 10)) as pilot:
        await pilot.pause()
        text = str(app.query_one(KeyBar).render())
        # " ^s Save" would not fit: the last place says which key lists every key
        assert text.strip() == "n New  ? More"
        assert len(text) <= 15
