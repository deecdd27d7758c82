"""In-memory :class:`TableSource` implementations for tests, demos and benchmarks.

* :class:`ListSource` holds real rows in a list and really filters and sorts them.
* :class:`SyntheticSource` pretends to hold ``size`` rows (a million by default) and
  builds each one from its position when asked, so nothing is stored. Its "sort"
  only flips the order and its "filter" keeps every ``step``-th row: enough to prove
  the table never touches rows it does not draw.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from xoro_tui.widgets.table_source import Column, RowKey, TableRow


def _sort_value(kind: str, value: str) -> tuple[int, float | str]:
    if kind in ("number", "money"):
        try:
            return (0, float(value.replace(",", "")))
        except ValueError:
            return (1, value)
    return (0, value.casefold())


class ListSource:
    """Rows held in memory; ``values`` follow ``columns`` (all columns are visible)."""

    def __init__(self, columns: Sequence[Column], rows: Sequence[TableRow]) -> None:
        self._columns = tuple(columns)
        self._rows = list(rows)
        self._sort: tuple[str, bool] | None = None
        self._predicate: Callable[[TableRow], bool] | None = None
        self._view: list[TableRow] = list(self._rows)
        self._positions: dict[RowKey, int] | None = None
        self.window_calls: list[tuple[int, int]] = []
        """Every ``window`` call, so tests can check the table reads little."""

    @property
    def all_columns(self) -> Sequence[Column]:
        return self._columns

    @property
    def visible_columns(self) -> Sequence[Column]:
        return self._columns

    @property
    def sort(self) -> tuple[str, bool] | None:
        return self._sort

    def set_sort(self, key: str, descending: bool) -> None:
        self._sort = (key, descending)
        self._rebuild()

    def set_filter(self, predicate: Callable[[TableRow], bool] | None) -> None:
        self._predicate = predicate
        self._rebuild()

    def _rebuild(self) -> None:
        view = [r for r in self._rows if self._predicate is None or self._predicate(r)]
        if self._sort is not None:
            key, descending = self._sort
            index = next(i for i, c in enumerate(self._columns) if c.key == key)
            kind = self._columns[index].kind
            view.sort(key=lambda r: _sort_value(kind, r.values[index]), reverse=descending)
        self._view = view
        self._positions = None

    def count(self) -> int:
        return len(self._view)

    def window(self, offset: int, limit: int) -> list[TableRow]:
        self.window_calls.append((offset, limit))
        return self._view[max(0, offset) : max(0, offset + limit)]

    def position_of(self, key: RowKey) -> int | None:
        if self._positions is None:
            self._positions = {row.key: i for i, row in enumerate(self._view)}
        return self._positions.get(key)


SYNTHETIC_COLUMNS: tuple[Column, ...] = (
    Column("id", "No.", 8, align="right", kind="number"),
    Column("name", "Customer", 28),
    Column("city", "City", 14),
    Column("email", "E-mail", 26),
    Column("balance", "Balance", 12, align="right", kind="money"),
    Column("since", "Since", 10, kind="date"),
)

_CITIES = ("Leeds", "Bristol", "Cardiff", "Glasgow", "Belfast", "York", "Bath", "Derby")
_HOSTILE = ("Smith [/] Ltd", "[bold]ACME[/]", "\x1b[31mred\x1b[0m", "[link=http://x]y[/link]")


class SyntheticSource:
    """``size`` rows generated from their position; key ``k`` is row ``k - 1``.

    With ``hostile=True`` every 5th name is one of a few markup / escape-sequence traps.
    """

    def __init__(
        self, size: int = 1_000_000, *, hostile: bool = False, columns: Sequence[Column] = ()
    ) -> None:
        self.size = size
        self.hostile = hostile
        self._columns = tuple(columns) or SYNTHETIC_COLUMNS
        self._descending = False
        self._sort: tuple[str, bool] | None = None
        self.step = 1
        self.window_calls: list[tuple[int, int]] = []
        self.count_calls = 0

    @property
    def all_columns(self) -> Sequence[Column]:
        return self._columns

    @property
    def visible_columns(self) -> Sequence[Column]:
        return self._columns

    @property
    def sort(self) -> tuple[str, bool] | None:
        return self._sort

    def set_sort(self, key: str, descending: bool) -> None:
        self._sort = (key, descending)
        self._descending = descending

    def set_step(self, step: int) -> None:
        """Filter: keep only keys that are multiples of ``step`` (1 keeps all)."""
        self.step = max(1, step)

    def count(self) -> int:
        self.count_calls += 1
        return self.size // self.step

    def make_row(self, key: RowKey) -> TableRow:
        i = key - 1
        name = f"Customer {key:07d} Trading Company"
        if self.hostile and key % 5 == 0:
            name = _HOSTILE[(key // 5) % len(_HOSTILE)]
        values = {
            "id": str(key),
            "name": name,
            "city": _CITIES[i % len(_CITIES)],
            "email": f"accounts{key}@example.co.uk",
            "balance": f"{(key * 7919) % 100000 / 100:,.2f}",
            "since": f"20{10 + i % 15:02d}-{1 + i % 12:02d}-{1 + i % 28:02d}",
        }
        return TableRow(key, tuple(values.get(c.key, "") for c in self._columns))

    def _key_at(self, position: int) -> RowKey:
        n = self.size // self.step
        if self._descending:
            position = n - 1 - position
        return (position + 1) * self.step

    def window(self, offset: int, limit: int) -> list[TableRow]:
        self.window_calls.append((offset, limit))
        end = min(self.size // self.step, offset + limit)
        return [self.make_row(self._key_at(p)) for p in range(max(0, offset), end)]

    def position_of(self, key: RowKey) -> int | None:
        n = self.size // self.step
        if key <= 0 or key % self.step or key // self.step > n:
            return None
        position = key // self.step - 1
        return n - 1 - position if self._descending else position
