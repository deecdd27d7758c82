"""The shortest style change shows what the whole style after a reset shows."""

from __future__ import annotations

import pyte
from hypothesis import given
from hypothesis import strategies as st

from xoro_tui.terminal.sgr_change import change

_PARTS = st.sampled_from(
    ["1", "3", "4", "7", "9", "38;5;214", "38;5;253", "48;5;17", "48;5;235", "31", "44",
     "38;2;10;20;30", "48;2;1;2;3", "39", "49", "22", "0"]
)  # fmt: skip
_STYLES = st.lists(st.lists(_PARTS, min_size=1, max_size=4), max_size=3).map(
    lambda seqs: "".join("\x1b[" + ";".join(seq) + "m" for seq in seqs)
)


def _shown(data: str) -> tuple:
    screen = pyte.Screen(4, 1)
    pyte.Stream(screen).feed(data)
    char = screen.buffer[0][1]
    return (char.data, char.fg, char.bg, char.bold, char.italics, char.underscore,
            char.reverse, char.strikethrough)  # fmt: skip


@given(_STYLES, _STYLES)
def test_the_change_shows_the_same_as_a_reset_and_the_whole_style(before: str, after: str) -> None:
    assert _shown(before + "a" + change(before, after) + "b") == _shown(
        before + "a" + "\x1b[0m" + after + "b"
    )


def test_a_key_bar_run_changes_only_what_differs() -> None:
    key, label = "\x1b[1;38;5;214;48;5;17m", "\x1b[38;5;253;48;5;17m"
    assert change(key, label) == "\x1b[22;38;5;253m"
    assert change(label, key) == "\x1b[1;38;5;214m"
    assert change("", key) == key
    assert change(key, "") == "\x1b[0m"
