"""How the human formats (PDF, plain text, Word) lay out a list without cutting a value.

The rules, shared by the three writers:

- **Whole values.** Columns that identify or count (numbers, amounts, dates, flags, and
  text columns whose header names an identifier, or whose values are all one short
  word: account and refund numbers, currency codes, statuses) are "atoms": they are as
  wide as their widest value *over all rows* and never wrap. Other text columns wrap
  at spaces (a word longer than the column breaks between characters); nothing is cut.
- **Widths from content.** To see every row before the first is written, the rows are
  spooled (as text) to an unlinked private temporary file while the widths and the
  totals are measured, then read back: memory stays flat at any size.
- **Orientation.** Portrait when the columns fit it at their natural width, landscape
  otherwise (text columns shrink towards their longest word before anything else).
- **Splitting.** When even the narrowest layout is wider than a landscape page, the
  columns are split into *panels*: each set of rows is printed once per panel, and the
  key columns (the first column, and the second too when it is a name or an account
  number) are repeated on every panel so that every line can be identified.
- **Totals.** When the list has a ``currency`` column and amounts, it ends with one
  total per currency and amount column, and the number of rows in that currency.
"""

from __future__ import annotations

import pickle
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from xoro_tui.data.models import money
from xoro_tui.documents.export_formats.common import (
    NUMERIC_KINDS,
    as_decimal,
    clean,
    human,
    width,
)

SAMPLE_ROWS = 1000
#: how many of the widest values of an atom column are kept to be measured in a font
KEEP_WIDEST = 6
_BATCH = 1000
#: headers naming a value that identifies or counts: never wrapped
_ATOM_HEADER = re.compile(
    r"(number|#|\bno\b|\bid\b|account.?(number|no\b)|currency|code|document|last ?4|date|cheque"
    r"|_at$|\bat$|month|year|expir)",
    re.IGNORECASE,
)
#: a text column whose sampled values are all one word of at most this many columns
ATOM_WORD = 24


@dataclass
class ColumnStats:
    """What the spool learnt of one column."""

    title: str
    kind: str
    atom: bool = False
    #: the widest values seen (terminal columns), widest first
    widest: list[str] = field(default_factory=list)
    max_width: int = 0
    #: the width a value must pass to be among the widest kept
    floor: int = -1
    #: the first rows' values, to size the text columns that wrap
    sample: list[str] = field(default_factory=list)

    @property
    def right(self) -> bool:
        return self.kind in NUMERIC_KINDS


@dataclass(frozen=True, slots=True)
class Total:
    """The sum of each amount column in one currency."""

    currency: str
    rows: int
    sums: tuple[str, ...]


class Spool:
    """Every row as the text people read, held in a private temporary file.

    ``Spool(header, kinds, rows)`` consumes ``rows`` once (measuring as it goes);
    :meth:`rows` reads them back as many times as needed. Close it (or use it in a
    ``with``) to free the file.
    """

    def __init__(
        self, header: Sequence[str], kinds: Sequence[str], rows: Iterable[Sequence[Any]]
    ) -> None:
        self.header = [clean(" ".join(str(h).split())) for h in header]
        self.kinds = list(kinds)
        self.columns = [ColumnStats(h, k) for h, k in zip(self.header, self.kinds, strict=True)]
        self.count = 0
        # private (0o600) and already unlinked: closed by close(), or at once on an error
        self._file: IO[bytes] = tempfile.TemporaryFile(prefix="xoro-export-")  # noqa: SIM115
        self._totals = _Totals(self.header, self.kinds)
        try:
            self._fill(rows)
        except BaseException:
            self._file.close()
            raise
        self._decide_atoms()

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._file.close()

    def _fill(self, rows: Iterable[Sequence[Any]]) -> None:
        texts = [human(k) for k in self.kinds]
        columns = self.columns
        batch: list[list[str]] = []
        totals = self._totals
        for values in rows:
            cells = [f(v) for f, v in zip(texts, values, strict=True)]
            totals.add(values)
            if self.count < SAMPLE_ROWS:
                for stats, text in zip(columns, cells, strict=True):
                    stats.sample.append(text)
            for stats, text in zip(columns, cells, strict=True):
                if len(text) * (1 if text.isascii() else 2) > stats.floor:
                    _keep_widest(stats, text)
            batch.append(cells)
            self.count += 1
            if len(batch) >= _BATCH:
                pickle.dump(batch, self._file, protocol=pickle.HIGHEST_PROTOCOL)
                batch = []
        if batch:
            pickle.dump(batch, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self._file.flush()

    def _decide_atoms(self) -> None:
        for stats in self.columns:
            if stats.kind != "text" and stats.kind != "lookup":
                stats.atom = True
            elif _ATOM_HEADER.search(stats.title):
                stats.atom = stats.max_width <= 40
            else:
                words = [t for t in stats.sample if t]
                stats.atom = (
                    bool(words)
                    and all(" " not in t and width(t) <= ATOM_WORD for t in words)
                    and stats.max_width <= ATOM_WORD
                )

    def rows(self) -> Iterator[list[str]]:
        """The rows as text, in order."""
        self._file.seek(0)
        while True:
            try:
                batch = pickle.load(self._file)  # noqa: S301 - our own private file
            except EOFError:
                return
            yield from batch

    def totals(self) -> list[Total]:
        return self._totals.result()

    def totals_header(self) -> list[str]:
        """``Currency``, ``Rows`` and the titles of the amount columns."""
        return ["Currency", "Rows", *(self.header[i] for i in self._totals.money_at)]


def _keep_widest(stats: ColumnStats, text: str) -> None:
    size = width(text)
    if size > stats.max_width:
        stats.max_width = size
    if text in stats.widest:
        return
    stats.widest.append(text)
    stats.widest.sort(key=width, reverse=True)
    del stats.widest[KEEP_WIDEST:]
    if len(stats.widest) == KEEP_WIDEST:
        stats.floor = width(stats.widest[-1])


class _Totals:
    """Sums of the amount columns per currency (when the list has a currency column)."""

    def __init__(self, header: Sequence[str], kinds: Sequence[str]) -> None:
        names = [h.strip().lower() for h in header]
        self.currency_at = names.index("currency") if "currency" in names else None
        self.money_at = [i for i, k in enumerate(kinds) if k == "money"]
        if self.currency_at is None:
            self.money_at = []
        self.sums: dict[str, list[Decimal]] = {}
        self.rows: dict[str, int] = {}

    def add(self, values: Sequence[Any]) -> None:
        if not self.money_at or self.currency_at is None:
            return
        code = str(values[self.currency_at] or "").strip().upper()
        sums = self.sums.get(code)
        if sums is None:
            sums = self.sums[code] = [Decimal(0)] * len(self.money_at)
            self.rows[code] = 0
        self.rows[code] += 1
        for n, i in enumerate(self.money_at):
            amount = as_decimal(values[i])
            if amount is not None:
                sums[n] += amount

    def result(self) -> list[Total]:
        out: list[Total] = []
        for code in sorted(self.sums):
            try:
                places: int | None = money.exponent(code)
            except ValueError:
                places = None
            sums = tuple(
                f"{s:,.{places}f}" if places is not None else f"{s:,}" for s in self.sums[code]
            )
            out.append(Total(code or "(none)", self.rows[code], sums))
        return out


# --- planning the columns on a page ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class Plan:
    """Where the columns go: one or more panels of (column index, width)."""

    landscape: bool
    panels: list[list[tuple[int, float]]]
    keys: list[int]

    @property
    def split(self) -> bool:
        return len(self.panels) > 1


def key_columns(header: Sequence[str]) -> list[int]:
    """The columns repeated on every panel: the first, and the second when it names."""
    keys = [0]
    if len(header) > 2 and re.search(r"name|account", header[1], re.IGNORECASE):
        keys.append(1)
    return keys


def plan(
    natural: Sequence[float],
    minimum: Sequence[float],
    portrait: float,
    landscape: float,
    keys: Sequence[int],
) -> Plan:
    """Widths for the columns (see the module docstring); all figures in one unit."""
    n = len(natural)
    if sum(natural) <= portrait:
        return Plan(False, [list(enumerate(natural))], list(keys))
    if sum(minimum) <= landscape:
        return Plan(True, [_fill(list(range(n)), natural, minimum, landscape)], list(keys))
    keys = [k for k in keys if k < n]
    room = landscape - sum(minimum[k] for k in keys)
    groups: list[list[int]] = [[]]
    used = 0.0
    for i in range(n):
        if i in keys:
            continue
        if groups[-1] and used + minimum[i] > room:
            groups.append([])
            used = 0.0
        groups[-1].append(i)
        used += minimum[i]
    panels = [_fill([*keys, *group], natural, minimum, landscape) for group in groups]
    return Plan(True, panels, list(keys))


def _fill(
    indexes: list[int], natural: Sequence[float], minimum: Sequence[float], room: float
) -> list[tuple[int, float]]:
    """Give these columns ``room``: their minimum, then a share of the rest towards their
    natural width, then (when everything is natural) the rest in proportion."""
    low = sum(minimum[i] for i in indexes)
    high = sum(natural[i] for i in indexes)
    if high <= room:
        scale = min(room / high, 1.6) if high else 1.0
        return [(i, natural[i] * scale) for i in indexes]
    share = (room - low) / (high - low) if high > low else 0.0
    share = max(0.0, min(share, 1.0))
    return [(i, minimum[i] + (natural[i] - minimum[i]) * share) for i in indexes]


def wrap(text: str, room: float, measure: Callable[[str], float]) -> list[str]:
    """``text`` in lines no wider than ``room`` (by ``measure``); nothing is dropped.

    Lines break at spaces (and after ``_`` in long words); a word wider than the room
    breaks between characters.
    """
    room += 1e-6  # widths sized to a text must let that text through despite rounding
    if not text or measure(text) <= room:
        return [text]
    lines: list[str] = []
    current = ""
    for word in _words(text):
        candidate = f"{current} {word}" if current else word
        if measure(candidate) <= room:
            current = candidate
            continue
        if current:
            lines.append(current)
            current = ""
        if measure(word) <= room:
            current = word
            continue
        for ch in word:
            if current and measure(current + ch) > room:
                lines.append(current)
                current = ""
            current += ch
    if current:
        lines.append(current)
    return lines or [text]


def _words(text: str) -> list[str]:
    out: list[str] = []
    for word in text.split():
        if "_" in word:
            out.extend(p for p in re.split(r"(?<=_)", word) if p)
        else:
            out.append(word)
    return out


def longest_word(text: str, measure: Callable[[str], float]) -> float:
    return max((measure(w) for w in _words(text)), default=0.0)


def describe_split(spool: Spool, plan_: Plan, *, tables: bool = False) -> str:
    """One sentence for the top of a split list: how it reads (``tables``: Word's)."""
    keys = " and ".join(spool.header[k] for k in plan_.keys)
    if tables:
        return (
            f"{len(spool.header)} columns are wider than a page: the list is given in "
            f"{len(plan_.panels)} tables of different columns, {keys} repeated in each."
        )
    return (
        f"{len(spool.header)} columns are wider than a page: each set of rows is printed "
        f"on {len(plan_.panels)} pages side by side, {keys} repeated on each."
    )
