"""safe_text / plain: user data always shows literally, on one line."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import Label, Static

from xoro_tui.widgets.safe_text import REPLACEMENT, plain, safe_text

HOSTILE = ["Smith [/] Ltd", "[bold]ACME[/]", "[link=http://x]y[/link]", "[@click=app.quit]x[/]"]


def test_markup_is_not_parsed() -> None:
    for value in HOSTILE:
        text = safe_text(value)
        assert text.plain == value
        assert not text.spans


def test_control_characters_are_replaced() -> None:
    assert plain("a\tb\nc\rd") == "a␉b␊c␍d"
    assert plain("\x1b[31mred\x1b[0m") == "␛[31mred␛[0m"
    assert plain("\x00\x7f") == "␀␡"
    assert plain("\x85\x9b") == REPLACEMENT * 2
    assert (
        plain("a\u202eb\u2066c\u2069\u200f")
        == f"a{REPLACEMENT}b{REPLACEMENT}c{REPLACEMENT}{REPLACEMENT}"
    )
    assert plain("line\u2028sep") == f"line{REPLACEMENT}sep"
    assert plain("bad\udcff") == f"bad{REPLACEMENT}"


def test_other_values() -> None:
    assert plain(None) == ""
    assert plain(12.5) == "12.5"
    assert plain(b"caf\xc3\xa9\xff") == f"café{REPLACEMENT}"
    assert plain("Zoë 東京") == "Zoë 東京"


def test_program_text_keeps_its_styles() -> None:
    text = Text("Name: ")
    text.append("Ann\nLee", style="bold")
    safe = safe_text(text)
    assert safe.plain == "Name: Ann␊Lee"
    assert [(s.start, s.end, s.style) for s in safe.spans] == [(6, 13, "bold")]


@given(st.text())
def test_plain_is_one_line_without_controls(value: str) -> None:
    result = plain(value)
    assert len(result) == len(value)
    for char in result:
        assert unicodedata.category(char) not in ("Cc", "Cs")
        assert char not in "\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    assert len(safe_text(value).split()) == 1
    assert cell_len(result) >= 0


class Show(App[None]):
    def compose(self) -> ComposeResult:
        yield Static(safe_text("Smith [/] Ltd"), id="static")
        yield Label(safe_text("[bold]x[/] \x1b[31mred"), id="label")


async def test_widgets_show_it_literally() -> None:
    async with Show().run_test(size=(60, 5)) as pilot:
        await pilot.pause()
        static = pilot.app.query_one("#static", Static)
        label = pilot.app.query_one("#label", Label)
        assert static.render_line(0).text.startswith("Smith [/] Ltd")
        assert label.render_line(0).text.startswith("[bold]x[/] ␛[31mred")
