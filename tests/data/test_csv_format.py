"""The CSV conventions: reading any of the accepted dialects, and formula neutralising."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xoro_tui.data.store.errors import Refused
from xoro_tui.data.transfer import csv_format
from xoro_tui.data.transfer.csv_format import neutralise, read_csv, unneutralise, write_csv


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("@home", "'@home"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("-foo", "'-foo"),
        ("'=x", "''=x"),
        ("''-x", "'''-x"),
        ("-12.50", "-12.50"),
        ("+5", "+5"),
        ("+44 20 5555 0106", "+44 20 5555 0106"),
        ("+1 (555) 010-7788", "+1 (555) 010-7788"),
        ("'abc", "'abc"),
        ("plain", "plain"),
        ("", ""),
        ("a=b", "a=b"),
    ],
)
def test_neutralise(text: str, expected: str) -> None:
    assert neutralise(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("'=SUM(A1)", "=SUM(A1)"),
        ("''=x", "'=x"),
        ("'-5", "-5"),
        ("'+x", "+x"),
        ("'@x", "@x"),
        ("'\tx", "\tx"),
        ("'abc", "'abc"),
        ("'", "'"),
        ("=x", "=x"),
        ("", ""),
    ],
)
def test_unneutralise(text: str, expected: str) -> None:
    assert unneutralise(text) == expected


_tricky = st.text(alphabet="'=+-@\t\r 0123456789.()ab", max_size=12)


@given(st.one_of(st.text(), _tricky))
def test_unneutralise_undoes_neutralise(text: str) -> None:
    assert unneutralise(neutralise(text)) == text


@given(st.one_of(st.text(), _tricky))
def test_neutralised_cells_never_start_a_formula(text: str) -> None:
    out = neutralise(text)
    if out[:1] in ("=", "@", "\t", "\r"):
        pytest.fail(f"{out!r} still starts a formula")
    if out[:1] in ("+", "-"):
        assert all(ch in "+-0123456789 ().\n" for ch in out)


def test_read_bom_crlf_semicolon(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(
        b'\xef\xbb\xbfa;b;c\r\n1;"two; with ""quotes""";3\r\n\r\n;"multi\r\nline";\r\n'
    )
    headers, rows = read_csv(path)
    assert headers == ["a", "b", "c"]
    assert list(rows) == [["1", 'two; with "quotes"', "3"], ["", "multi\r\nline", ""]]


def test_read_lf_comma_without_bom(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text('name,note\n"Smith, Jones",a;b\n', encoding="utf-8")
    headers, rows = read_csv(path)
    assert headers == ["name", "note"]
    assert list(rows) == [["Smith, Jones", "a;b"]]


def test_delimiter_is_what_the_header_uses() -> None:
    assert csv_format.detect_delimiter("a;b;c") == ";"
    assert csv_format.detect_delimiter("a,b,c") == ","
    assert csv_format.detect_delimiter('"x;y;z",b') == ","


def test_not_utf8_is_refused_naming_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes(b"name\nok\nCaf\xe9\n")
    with pytest.raises(Refused, match=r"not UTF-8 \(byte 0xE9 on line 3\)"):
        _, rows = read_csv(path)  # small files are decoded in one chunk, so it may fail here
        list(rows)


def test_unreadable_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(Refused, match="no file at"):
        read_csv(tmp_path / "missing.csv")
    with pytest.raises(Refused, match="is a directory"):
        read_csv(tmp_path)
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(Refused, match="empty or has no header"):
        read_csv(tmp_path / "empty.csv")
    (tmp_path / "bad.csv").write_text('a,b\n"x"y,z\n')
    _, rows = read_csv(tmp_path / "bad.csv")
    with pytest.raises(Refused, match="broken CSV quoting"):
        list(rows)


def test_write_then_read_gives_the_values_back(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    write_csv(
        path,
        ["text", "flag", "tags", "day", "amount", "none"],
        [
            ["=SUM(A1)", True, ["vip", "new"], dt.date(2024, 5, 1), "-12.50", None],
            ["-foo", False, [], "2024-01-02", csv_format.format_amount(250000, "JPY"), None],
        ],
        delimiter=";",
        bom=True,
    )
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    headers, rows = read_csv(path)
    assert headers == ["text", "flag", "tags", "day", "amount", "none"]
    got = [[unneutralise(c) for c in row] for row in rows]
    assert got == [
        ["=SUM(A1)", "true", "vip|new", "2024-05-01", "-12.50", ""],
        ["-foo", "false", "", "2024-01-02", "250000", ""],
    ]


def test_amounts_use_the_currency_decimals() -> None:
    assert csv_format.format_amount(199999, "USD") == "1999.99"
    assert csv_format.format_amount(1500, "KWD") == "1.500"
    assert csv_format.format_amount(-1250, "USD") == "-12.50"


_CELL_TEXT = st.text(alphabet="=@\t+-'.() 0123456789٣x,;", max_size=8)


@given(st.lists(_CELL_TEXT, min_size=1, max_size=5), st.sampled_from([",", ";"]))
def test_formula_cell_finder_agrees_with_neutralise(cells: list[str], delimiter: str) -> None:
    """The export's one-search test of a whole line finds exactly the lines that have a
    cell ``neutralise`` changes (phone numbers and plain numbers stay as they are)."""
    cells = [c.replace(delimiter, "") for c in cells]
    found = csv_format.formula_cell_finder(delimiter)(delimiter.join(cells))
    assert (found is not None) == any(neutralise(c) != c for c in cells)
