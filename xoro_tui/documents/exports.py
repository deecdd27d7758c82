"""Exports of any list to CSV, plain text, Word, Excel 97, Excel and PDF.

One module serves the Customer Centre, the Credit Card Report, the Refund Centre and the
command line; it knows nothing of Textual. CSV, text and .xlsx stream with flat memory
at any size; Word, .xls and PDF are built in memory, so they refuse more than
``MEMORY_LIMITS`` cells before writing anything.

Files are written to a private temporary file beside the target (mode 0o600, 0o660 with
``XORO_TUI_GROUP``) and renamed into place when complete: a failed or cancelled export
leaves no half file and never a world-readable one.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from xoro_tui.data.store.connection import secure_file
from xoro_tui.data.store.errors import DataError, Refused

FORMATS: tuple[str, ...] = ("csv", "txt", "xlsx", "xls", "docx", "pdf")
STREAMING_FORMATS: tuple[str, ...] = ("csv", "txt", "xlsx")
FORMAT_NAMES: dict[str, str] = {
    "csv": "CSV",
    "txt": "plain text",
    "xlsx": "Excel (.xlsx)",
    "xls": "Excel 97 (.xls)",
    "docx": "Word",
    "pdf": "PDF",
}
KINDS = frozenset({"text", "number", "money", "date", "bool", "lookup"})
#: cells (rows x columns) the in-memory formats accept, so that an export stays well under
#: 300 MB. Peaks measured with ``bench/export_bench.py --synthetic --formats docx,xls,pdf``:
#: Word 198 MB at 13,000 x 15 cells (0.75 KB a cell: the XML tree); .xls 212 MB at
#: 200,000 x 15 (its shared strings: real data has more distinct ones); PDF 177 MB at
#: 100,000 x 15 (page content, and about 0.5 ms a row)
MEMORY_LIMITS: dict[str, int] = {"docx": 250_000, "xls": 1_500_000, "pdf": 1_500_000}
#: rows between two calls of ``progress`` and ``cancelled``
PROGRESS_EVERY = 2_000

Progress = Callable[[int, int], None]


class ExportCancelled(DataError):
    """The user cancelled the export; nothing was written."""


@dataclass(frozen=True, slots=True)
class ExportResult:
    path: Path
    rows: int
    seconds: float
    #: what the user should know about the file (characters no font could draw)
    warnings: tuple[str, ...] = ()


def row_limit(fmt: str, columns: int) -> int | None:
    """The most rows an in-memory format takes with this many columns; None when unlimited."""
    cells = MEMORY_LIMITS.get(fmt)
    return None if cells is None else max(cells // max(columns, 1), 1)


def check_size(fmt: str, rows: int, columns: int) -> None:
    """Refuse an in-memory format for more rows than it takes, naming the streaming ones."""
    limit = row_limit(fmt, columns)
    if limit is not None and rows > limit:
        raise Refused(
            f"{FORMAT_NAMES[fmt]} files are built in memory and hold at most {limit:,} rows "
            f"of {columns} columns; this export has {rows:,} rows. Use CSV, plain text (txt) "
            "or Excel (xlsx) for large exports, or narrow the filter"
        )


def export_rows(
    header: list[str],
    rows: Iterable[Sequence[object]],
    kinds: list[str],
    path: Path,
    fmt: str,
    *,
    title: str = "",
    filter_text: str = "",
    delimiter: str = ",",
    total: int | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    like: Path | None = None,
) -> ExportResult:
    """Write ``header`` and ``rows`` to ``path`` in ``fmt``; ``kinds`` type each column.

    ``total`` (the row count, when known) lets an in-memory format refuse before anything
    is written; ``progress(done, total)`` is called every few thousand rows (``total`` 0
    when unknown) and ``cancelled()`` checked as often: when it answers True the export
    stops, its temporary file is removed and :class:`ExportCancelled` is raised. ``like``
    (the database file) gives the file its group and mode: owner-only, or owner and group.
    """
    from xoro_tui.documents.export_formats import Options, writer_for

    if fmt not in FORMATS:
        raise Refused(f"unknown export format {fmt!r}; use one of: {', '.join(FORMATS)}")
    if delimiter not in (",", ";"):
        raise Refused("the CSV delimiter is , or ;")
    if len(kinds) != len(header) or not header:
        raise ValueError("one kind per column, and at least one column")
    unknown = set(kinds) - KINDS
    if unknown:
        raise ValueError(f"unknown column kinds {sorted(unknown)}")
    if total is not None:
        check_size(fmt, total, len(header))
    started = time.monotonic()
    target = Path(path).expanduser()
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)  # mkstemp made it 0o600
    temp = Path(name)
    counter = _Counter(fmt, len(header), total, progress, cancelled)
    try:
        secure_file(temp, like)
        options = Options(title=title, filter_text=filter_text, delimiter=delimiter)
        notes = writer_for(fmt)(temp, list(header), counter.count(rows), list(kinds), options)
        secure_file(temp, like)
        os.replace(temp, target)
    except BaseException:
        with suppress(OSError):
            temp.unlink()
        raise
    if progress is not None:
        progress(counter.done, total if total is not None else counter.done)
    return ExportResult(target, counter.done, time.monotonic() - started, tuple(notes or ()))


class _Counter:
    """Counts the rows as the writer takes them; reports progress, checks cancel and size."""

    def __init__(
        self,
        fmt: str,
        columns: int,
        total: int | None,
        progress: Progress | None,
        cancelled: Callable[[], bool] | None,
    ) -> None:
        self.fmt = fmt
        self.columns = columns
        self.limit = row_limit(fmt, columns)
        self.total = total
        self.progress = progress
        self.cancelled = cancelled
        self.done = 0

    def count(self, rows: Iterable[Sequence[object]]) -> Iterator[Sequence[object]]:
        self._check(0)
        n = 0
        every = PROGRESS_EVERY
        for n, row in enumerate(rows, start=1):  # noqa: B007 - n is read after the loop
            if n % every == 0:
                self._check(n)
            yield row
        self.done = n
        if self.limit is not None and n > self.limit:
            check_size(self.fmt, n, self.columns)

    def _check(self, n: int) -> None:
        self.done = n
        if self.cancelled is not None and self.cancelled():
            raise ExportCancelled("export cancelled; no file was written")
        if self.limit is not None and n > self.limit:
            check_size(self.fmt, n, self.columns)
        if self.progress is not None and n:
            self.progress(n, self.total or 0)


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str, limit: int = 30) -> str:
    """``Smith & Sons, Zoë`` → ``smith-sons-zoe``: ASCII letters and digits, cut at a hyphen."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(ch for ch in decomposed if ch.isascii()).lower()
    out = _NOT_SLUG.sub("-", ascii_text).strip("-")
    if len(out) > limit:
        out = out[:limit]
        out = out.rsplit("-", 1)[0] if "-" in out else out
    return out.strip("-")


def default_file_name(centre: str, filter_text: str, fmt: str, today: dt.date | str) -> str:
    """``customers-smith-2026-11-23.xlsx``: the centre, a short slug of the filter, the date."""
    day = today.isoformat() if isinstance(today, dt.date) else str(today)
    parts = [slug(centre) or "export", slug(filter_text), day]
    return "-".join(p for p in parts if p) + f".{fmt}"
