"""A frame rewritten as the cells that change shows, in a terminal, exactly what the frame
itself shows; the terminal's status answers never reach the app as keys."""

from __future__ import annotations

import pyte
from hypothesis import given, settings
from hypothesis import strategies as st

from xoro_tui.terminal.driver import compress, join_rows
from xoro_tui.terminal.frame_pacing import AnswerFilter, frame_spans, merge_spans
from xoro_tui.terminal.screen_diff import ScreenCopy

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
    # again: nothing, not even the cursor's move (it is there already)
    assert copy.diff(frame, WIDTH, HEIGHT) == ""
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


ROW_TEXT = st.text(alphabet="ab  é", min_size=WIDTH, max_size=WIDTH)


def whole_rows(rows: list[tuple[str, str]]) -> str:
    """A frame painting every row edge to edge, as Textual's after a layout change."""
    out = []
    for y, (style, text) in enumerate(rows, 1):
        out.append(f"\x1b[{y};1H" + (f"{style}{text}\x1b[0m" if style else text))
        if y < len(rows):
            out.append("\n")
    return "".join(out)


@st.composite
def moved_screens(draw: st.DrawFn) -> tuple[str, str]:
    """A screen, then the same screen with a band of rows moved up or down a few lines
    (a line appeared or went above them), some rows changed as well."""
    rows = [(draw(st.sampled_from(STYLES)), draw(ROW_TEXT)) for _ in range(HEIGHT)]
    top = draw(st.integers(0, HEIGHT - 3))
    bottom = draw(st.integers(top + 2, HEIGHT - 1))
    d = draw(st.integers(1, 2)) * draw(st.sampled_from([1, -1]))
    band = rows[top : bottom + 1]
    filler = [(draw(st.sampled_from(STYLES)), draw(ROW_TEXT)) for _ in range(abs(d))]
    band = filler + band[: len(band) - abs(d)] if d > 0 else band[abs(d) :] + filler
    after = rows[:top] + band + rows[bottom + 1 :]
    for _ in range(draw(st.integers(0, 2))):
        after[draw(st.integers(0, HEIGHT - 1))] = (draw(st.sampled_from(STYLES)), draw(ROW_TEXT))
    return whole_rows(rows), whole_rows(after) + "\x1b[2;3H"


@settings(max_examples=300, deadline=None)
@given(moved_screens(), st.lists(frames(), max_size=3), st.booleans())
def test_rows_moved_up_or_down_show_the_same_screen(
    moved: tuple[str, str], more: list[str], erase_blanks: bool
) -> None:
    """Rows moved with a scroll region, blanks erased in their colour, the cursor moved
    from where it is: the terminal shows what the frames themselves show."""
    copy = ScreenCopy(erase_blanks=erase_blanks)
    sequence = [*moved, *more]
    written = [copy.diff(frame, WIDTH, HEIGHT) for frame in sequence]
    assert shown(written) == shown(sequence)
    # low bandwidth: blanks at the ends of lines erased to the end of the line as well
    copy = ScreenCopy(erase_blanks=erase_blanks)
    written = [compress(copy.diff(frame, WIDTH, HEIGHT), WIDTH) for frame in sequence]
    text = [[(char, bg) for char, _fg, bg, _b, _r in row] for row in shown(written)]
    assert text == [[(char, bg) for char, _fg, bg, _b, _r in row] for row in shown(sequence)]


def test_a_table_moved_down_a_line_sends_the_new_line_only() -> None:
    """A line appearing over a table: the table's rows move down with a scroll region
    and insert line, and only the new line is written (the whole table was before)."""
    copy = ScreenCopy()
    names = ("Acme Ltd", "Beta plc", "Gamma GmbH", "Delta SA", "Epsilon AB")
    rows = [("", "Header".ljust(WIDTH))] + [("", f"{n} {name}".ljust(WIDTH)) for n, name in
                                             enumerate(names)]  # fmt: skip
    copy.diff(whole_rows(rows), WIDTH, HEIGHT)
    moved = [rows[0], ("\x1b[1m", "Filter: smith".ljust(WIDTH)), *rows[1:5]]
    written = copy.diff(whole_rows(moved), WIDTH, HEIGHT)
    assert written.startswith("\x1b[2;6r\x1b[2;1H\x1b[L\x1b[r")  # rows 2-6 down one line
    assert "Acme" not in written and "Filter: smith" in written
    assert shown([whole_rows(rows), written]) == shown([whole_rows(moved)])


def test_blanks_are_erased_only_where_the_terminal_erases_in_colour() -> None:
    frame = "\x1b[1;1H\x1b[48;5;17mab" + " " * 20 + "\x1b[0m"
    erasing, writing = ScreenCopy(erase_blanks=True), ScreenCopy()
    assert erasing.diff(frame, WIDTH, HEIGHT) == "\x1b[1;1H\x1b[48;5;17mab\x1b[20X\x1b[0m"
    assert writing.diff(frame, WIDTH, HEIGHT) == frame
    reverse = "\x1b[1;1H\x1b[7mab" + " " * 20 + "\x1b[0m"  # erased cells would lose it
    assert ScreenCopy(erase_blanks=True).diff(reverse, WIDTH, HEIGHT) == reverse
    # the cursor was left after "ab" (erasing does not move it): two columns back
    assert erasing.diff(reverse, WIDTH, HEIGHT) == "\x1b[2D\x1b[7mab" + " " * 20 + "\x1b[0m"


def test_the_terminal_erases_in_colour_where_terminfo_says_so() -> None:
    from xoro_tui.terminal.driver import erases_in_colour

    assert not erases_in_colour(None)
    assert not erases_in_colour("no-such-terminal-xyz")
