"""The CSV conventions shared by the import and the export.

Reading: UTF-8 with or without a BOM, CRLF or LF line ends, ``,`` or ``;`` as the
delimiter (whichever the header line uses), RFC 4180 quoting. Writing: the same
quoting, booleans as ``true``/``false``, multi-value cells joined with ``|``, ISO
dates, amounts with ``.`` decimals in the currency's own decimals, and every text
cell passed through :func:`neutralise` so a spreadsheet never runs it as a formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Callable, Generator, Iterable, Sequence
from pathlib import Path
from typing import Any

from xoro_tui.data.models import money
from xoro_tui.data.store.errors import Refused

DELIMITERS: tuple[str, ...] = (",", ";")
MULTI_SEPARATOR = "|"

#: characters a spreadsheet may treat as the start of a formula
_ALWAYS = ("=", "@", "\t", "\r")
_SIGNS = ("+", "-")
#: one or more quotes in front of a formula character: the form an export writes
_QUOTED = re.compile(r"'+[=+\-@\t\r]")
_NUMBER_BODY = r"(?:\d+(?:\.\d*)?|\.\d+)"
_PHONE_BODY = r"\d[\d ().\-]*\d"
_PLAIN_NUMBER = re.compile(rf"[+-]?{_NUMBER_BODY}")
_PHONE = re.compile(rf"\+{_PHONE_BODY}")


def neutralise(text: str) -> str:
    """Make a text cell safe to open in a spreadsheet: prefix ``'`` to a would-be formula.

    A cell starting with ``=``, ``@``, tab or CR, or with ``+``/``-`` when it is not a
    plain number or a phone number, gets a leading ``'``. So does a cell that already
    starts with quotes followed by one of those characters, so that
    :func:`unneutralise` gives back exactly the original.
    """
    if not text:
        return text
    first = text[0]
    if first in _ALWAYS or _QUOTED.match(text):
        return "'" + text
    if first in _SIGNS and not (_PLAIN_NUMBER.fullmatch(text) or _PHONE.fullmatch(text)):
        return "'" + text
    return text


def formula_cell_finder(delimiter: str) -> Callable[[str], re.Match[str] | None]:
    """A search over a line of cells joined by ``delimiter`` that finds a cell
    :func:`neutralise` would change: one call for the whole line instead of one per cell.

    Only for lines whose cells hold no delimiter (the line has one fewer delimiter than
    cells), so that every cell follows a delimiter once one is put in front of the line
    (a pattern that starts with a literal is searched several times faster).
    """
    d = re.escape(delimiter)
    end = rf"(?:{d}|\Z)"
    search = re.compile(
        rf"{d}(?:[=@\t\r]|'+[=+\-@\t\r]"
        rf"|\+(?!{_NUMBER_BODY}{end})(?!{_PHONE_BODY}{end})"
        rf"|-(?!{_NUMBER_BODY}{end}))"
    ).search

    def find(line: str) -> re.Match[str] | None:
        return search(delimiter + line)

    return find


def unneutralise(text: str) -> str:
    """Undo :func:`neutralise`: drop exactly one leading ``'`` in front of a formula character.

    ``'=SUM(A1)`` becomes ``=SUM(A1)`` and ``''=x`` becomes ``'=x``; anything else is
    returned unchanged.
    """
    if text[:1] == "'" and _QUOTED.match(text):
        return text[1:]
    return text


def format_bool(value: bool) -> str:
    return "true" if value else "false"


def join_multi(values: Iterable[str]) -> str:
    return MULTI_SEPARATOR.join(values)


def format_date(value: dt.date | str | None) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def format_amount(minor: int, currency: str) -> str:
    return money.plain(minor, currency)


def cell(value: Any) -> str:
    """One value as the file writes it (text neutralised, None as an empty cell)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return format_bool(value)
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, list | tuple):
        return neutralise(join_multi(str(v) for v in value))
    if isinstance(value, int):
        return str(value)
    return neutralise(str(value))


def write_csv(
    path: Path | str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    delimiter: str = ",",
    bom: bool = False,
) -> int:
    """Write a CSV file with CRLF line ends and minimal RFC 4180 quoting; return the row count."""
    if delimiter not in DELIMITERS:
        raise ValueError(f"delimiter must be one of {DELIMITERS}")
    count = 0
    encoding = "utf-8-sig" if bom else "utf-8"
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow(headers)
        for row in rows:
            writer.writerow([cell(v) for v in row])
            count += 1
    return count


def detect_delimiter(header_line: str) -> str:
    """``;`` when the header line has more semicolons than commas outside quotes, else ``,``."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for ch in header_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    return ";" if counts[";"] > counts[","] else ","


#: the encodings an import reads, as (Python codec, the name a user knows)
UTF8 = ("utf-8-sig", "UTF-8")
CP1252 = ("cp1252", "Windows-1252")
_CHUNK = 1 << 20


def detect_encoding(path: Path | str) -> tuple[str, str]:
    """UTF-8 (with or without a BOM) when the whole file is UTF-8; else Windows-1252 when
    every byte is one (what Excel on Windows saves as "CSV"); else a one-line Refused
    naming the first byte that is neither. Returns (codec, name)."""
    path = Path(path)
    try:
        if _decodes(path, "utf-8") is None:
            return UTF8
        if _decodes(path, "cp1252") is None:
            return CP1252
    except FileNotFoundError:
        raise Refused(f"no file at {path} (check the path)") from None
    except IsADirectoryError:
        raise Refused(f"{path} is a directory, not a CSV file") from None
    except OSError as exc:
        raise Refused(f"cannot read {path}: {exc.strerror or exc}") from None
    where = _decodes(path, "cp1252")  # the byte no Windows-1252 text has
    assert where is not None
    _, byte, line = where
    raise Refused(
        f"{path} is neither UTF-8 nor Windows-1252 text (byte 0x{byte:02X} on line {line}); "
        "save it from its program as CSV UTF-8 and import that"
    )


def _decodes(path: Path, codec: str) -> tuple[int, int, int] | None:
    """None when all of ``path`` decodes as ``codec``; else (offset, byte, line) of the
    first byte that does not."""
    import codecs

    decoder = codecs.getincrementaldecoder(codec)()
    done, lines = 0, 0
    with open(path, "rb") as handle:
        while True:
            chunk = handle.read(_CHUNK)
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                # the decoder may hold back a few bytes: find the byte within this chunk
                at = max(0, exc.start - (len(exc.object) - len(chunk)))
                at = min(at, len(chunk) - 1) if chunk else 0
                byte = chunk[at] if chunk else exc.object[exc.start]
                return done + at, byte, lines + chunk.count(b"\n", 0, at) + 1
            if not chunk:
                return None
            done += len(chunk)
            lines += chunk.count(b"\n")


def read_csv(
    path: Path | str, encoding: str = "utf-8-sig"
) -> tuple[list[str], Generator[list[str], None, None]]:
    """The header names (stripped) and an iterator over the data rows (cells as written).

    Blank lines are skipped. Raises :class:`Refused` with one sentence when the file
    cannot be read, is not UTF-8 (or the ``encoding`` given), is empty or its quoting is
    broken; problems found while iterating are raised from the iterator; ``close()`` it to
    stop early.
    """
    path = Path(path)
    try:
        handle = open(path, encoding=encoding, newline="")  # noqa: SIM115 - closed by _rows
    except FileNotFoundError:
        raise Refused(f"no file at {path} (check the path)") from None
    except IsADirectoryError:
        raise Refused(f"{path} is a directory, not a CSV file") from None
    except OSError as exc:
        raise Refused(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        try:
            first = handle.readline()
        except UnicodeDecodeError:
            raise _not_utf8(path) from None
        handle.seek(0)
        if not first.strip():
            raise Refused(f"{path} is empty or has no header line")
        reader = csv.reader(handle, delimiter=detect_delimiter(first), strict=True)
        headers = [h.strip() for h in _next_row(reader, path) or []]
    except BaseException:
        handle.close()
        raise
    return headers, _rows(handle, reader, path)


def _rows(handle: Any, reader: Any, path: Path) -> Generator[list[str], None, None]:
    with handle:
        while True:
            row = _next_row(reader, path)
            if row is None:
                return
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            yield row


def _next_row(reader: Any, path: Path) -> list[str] | None:
    try:
        return next(reader)
    except StopIteration:
        return None
    except UnicodeDecodeError:
        raise _not_utf8(path) from None
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise Refused(
                f"{path} line {reader.line_num}: a cell is longer than "
                f"{csv.field_size_limit():,} characters"
            ) from None
        raise Refused(f"{path} line {reader.line_num}: broken CSV quoting ({exc})") from None
    except OSError as exc:
        raise Refused(f"cannot read {path}: {exc.strerror or exc}") from None


def _not_utf8(path: Path) -> Refused:
    """Name the line of the first byte that is not UTF-8 (the decoder only knows its chunk)."""
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return Refused(
            f"{path} is not UTF-8 (byte 0x{data[exc.start]:02X} on line {line}); "
            "save it as UTF-8 and import it again"
        )
    return Refused(f"{path} is not UTF-8; save it as UTF-8 and import it again")
