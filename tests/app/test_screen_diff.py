"""A frame rewritten as the cells that change shows, in a terminal, exactly what the frame
itself shows; the terminal's status answers never reach the app as keys."""

from __future__ import annotations

import pyte
from hypothesis import given, settings
from hypothesis import strategies as st

from xoro_tui.driver import compress, join_rows
from xoro_tui.frame_pacing import AnswerFilter, frame_spans, merge_spans
from xoro_tui.screen_diff import ScreenCopy

WIDTH, HEIGHT = 24, 6
STYLES = ("", "\x1b[1m", "\x1b[38;5;3m", "\x1b[48;5;17m", "\x1b[38;5;195;48;5;32m", "\x1b[7m")
#: narrow letters, a blank, an accented letter and a wide character
TEXT = st.text(alphabet="ab é漢", min_size=1, max_size=8)


def cells_of(text: str) -> int:
    return sum(2 if char == "漢" else 1 for char in text)


@st.composite
def frames(draw: st.DrawFn) -> str:
    """A frame as Textual writes one: pieces of lines, each a cursor move and segments,
    each segment its style, its text and a reset; a line break between lines; the cursor
    moved last."""
    out: list[str] = []
    for _ in range(draw(st.integers(1, 6))):
        row = draw(st.integers(0, HEIGHT - 1))
        column = draw(st.integers(0, WIDTH - 1))
        out.append(f"\x1b[{row + 1};{column + 1}H")
        for _ in range(draw(st.integers(1, 3))):
            text = draw(TEXT)
            if column + cells_of(text) > WIDTH:
                break
            column += cells_of(text)
            style = draw(st.sampled_from(STYLES))
            out.append(f"{style}{text}\x1b[0m" if style else text)
        if row < HEIGHT - 1 and draw(st.booleans()):  # never on the last line: it scrolls
            out.append("\n")
    if draw(st.booleans()):
        out.append(f"\x1b[{draw(st.integers(1, HEIGHT))};{draw(st.integers(1, WIDTH))}H")
    return "".join(out)


def shown(writes: list[str]) -> list[list[tuple[str, str, str, bool, bool]]]:
    screen = pyte.Screen(WIDTH, HEIGHT)
    stream = pyte.Stream(screen)
    for data in writes:
        stream.feed(data)
    return [
        [
            (c.data, c.fg, c.bg, c.bold, c.reverse)
            for c in (screen.buffer[y][x] for x in range(WIDTH))
        ]
        for y in range(HEIGHT)
    ]


@settings(max_examples=300, deadline=None)
@given(st.lists(frames(), min_size=1, max_size=8))
def test_only_the_changed_cells_show_the_same_screen(sequence: list[str]) -> None:
    copy = ScreenCopy()
    written = [join_rows(copy.diff(frame, WIDTH, HEIGHT)) for frame in sequence]
    assert shown(written) == shown(sequence)
    assert sum(map(len, written)) <= sum(map(len, sequence)) + 8 * len(sequence)


@settings(max_examples=150, deadline=None)
@given(st.lists(frames(), min_size=1, max_size=6))
def test_low_bandwidth_changes_show_the_same_characters(sequence: list[str]) -> None:
    copy = ScreenCopy()
    written = [join_rows(compress(copy.diff(frame, WIDTH, HEIGHT), WIDTH)) for frame in sequence]
    text = [[(char, bg) for char, _fg, bg, _b, _r in row] for row in shown(written)]
    assert text == [[(char, bg) for char, _fg, bg, _b, _r in row] for row in shown(sequence)]


def test_a_frame_that_repaints_the_same_cells_sends_almost_nothing() -> None:
    copy = ScreenCopy()
    row = "\x1b[38;5;3m" + "Smith Ltd".ljust(WIDTH) + "\x1b[0m"
    frame = "".join(f"\x1b[{y};1H{row}\n" for y in range(1, HEIGHT + 1)) + "\x1b[2;3H"
    assert copy.diff(frame, WIDTH, HEIGHT) != "\x1b[2;3H"  # the first time: all of it
    assert copy.diff(frame, WIDTH, HEIGHT) == "\x1b[2;3H"  # again: only the cursor
    changed = frame.replace("Smith Ltd", "Smyth Ltd", 1)
    assert copy.diff(changed, WIDTH, HEIGHT) == "\x1b[1;3H\x1b[38;5;3my\x1b[0m\x1b[2;3H"


def test_what_cannot_be_followed_is_written_as_it_is_and_forgotten() -> None:
    copy = ScreenCopy()
    frame = "\x1b[1;1Habc"
    assert copy.diff(frame, WIDTH, HEIGHT) == frame
    assert copy.diff("\x1b[2J", WIDTH, HEIGHT) == "\x1b[2J"  # a clear: nothing known now
    assert copy.diff(frame, WIDTH, HEIGHT) == frame
    assert copy.diff(frame, WIDTH + 1, HEIGHT) == frame  # a new size: nothing known
    assert copy.diff(frame, WIDTH + 1, HEIGHT) == ""
    assert copy.diff("\x1b[?1049h", WIDTH + 1, HEIGHT) == "\x1b[?1049h"  # another screen
    assert copy.diff(frame, WIDTH + 1, HEIGHT) == frame


def test_a_bell_or_a_mode_switch_keeps_what_is_known() -> None:
    copy = ScreenCopy()
    frame = "\x1b[1;1Habc"
    copy.diff(frame, WIDTH, HEIGHT)
    for harmless in ("\x07", "\x1b[?25l", "\x1b[?1002h", "\x1b[5n", "\x1b]0;title\x07"):
        assert copy.diff(harmless, WIDTH, HEIGHT) == harmless
    assert copy.diff(frame, WIDTH, HEIGHT) == ""


def test_status_answers_are_taken_out_of_the_input_however_cut() -> None:
    answers = AnswerFilter()
    assert answers.feed("a\x1b[0nb", expecting=True) == ("ab", 1)
    assert answers.feed("x\x1b[", expecting=True) == ("x", 0)
    assert answers.keeping
    assert answers.feed("0n\x1b[A", expecting=True) == ("\x1b[A", 1)
    # not expecting an answer: a bare escape at the end of a read is the Escape key
    assert answers.feed("\x1b", expecting=False) == ("\x1b", 0)
    assert answers.feed("\x1b", expecting=True) == ("", 0)
    assert answers.flush() == "\x1b"


def test_the_regions_of_a_frame() -> None:
    frame = "\x1b[3;5H\x1b[1mab\x1b[0m漢\n\x1b[4;1Hxyz\x1b[3;7Hc\x1b[9;9H"
    assert frame_spans(frame) == [(2, 4, 8), (3, 0, 3), (2, 6, 7)]
    assert merge_spans(frame_spans(frame) or []) == [(2, 4, 8), (3, 0, 3)]
    assert frame_spans("hello\x1b[1;1Hx") is None
