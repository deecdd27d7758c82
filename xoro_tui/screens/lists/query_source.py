"""A TableSource over a data-layer WindowQuery: the bridge between a list and the table."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

from xoro_tui.data.search.list_query import FieldDef, Filter, WindowQuery
from xoro_tui.widgets.table_source import Column, RowKey, TableRow

Formatter = Callable[[Any, dict[str, Any]], str]


def format_value(fdef: FieldDef, value: Any) -> str:
    if value is None:
        return ""
    if fdef.kind == "bool":
        return "Yes" if value else "No"
    if fdef.kind == "date" and isinstance(value, str) and "T" in value:
        return value[:16].replace("T", " ")
    return str(value)


class QuerySource:
    """Filter, sort and visible columns of one list; the rows come from SQL windows."""

    def __init__(
        self,
        query: WindowQuery,
        columns: Sequence[str],
        *,
        formatters: Mapping[str, Formatter] | None = None,
        hidden_needs: Mapping[str, Sequence[str]] | None = None,
        frozen: Sequence[str] = (),
    ) -> None:
        self.query = query
        self.fields = query.spec.fields
        self.filter = Filter()
        self._sort: tuple[str, bool] | None = None
        #: the second sort field: rows with equal values of the first, in its order
        self._then_by: tuple[str, bool] | None = None
        self._visible = [c for c in columns if c in self.fields]
        #: key columns: drawn first and kept in place when the table scrolls right
        self._frozen = [c for c in frozen if c in self._visible]
        #: column widths the user set (``[`` and ``]``), by field key
        self.widths: dict[str, int] = {}
        self._formatters = formatters or {}
        #: extra fields a formatter needs (an amount needs its currency)
        self._needs = hidden_needs or {}
        self._count: int | None = None
        #: the count is provisional (rows read so far) while the exact one is counted
        self.counting = False
        self._visible_memo: tuple[object, list[Column]] | None = None

    # -- TableSource
    @property
    def all_columns(self) -> list[Column]:
        return [self._column(f) for f in self.fields.values()]

    @property
    def visible_columns(self) -> list[Column]:
        # the table asks on every line it draws: build them once per layout
        layout = (tuple(self._visible), tuple(self.widths.get(k) for k in self._visible))
        memo = self._visible_memo
        if memo is None or memo[0] != layout:
            columns = [self._column(self.fields[k], self.widths.get(k)) for k in self._visible]
            memo = self._visible_memo = (layout, columns)
        return list(memo[1])

    @property
    def frozen_count(self) -> int:
        """How many of the first visible columns stay in place when scrolling right."""
        return len(self._frozen)

    @property
    def frozen_keys(self) -> list[str]:
        return list(self._frozen)

    def set_frozen(self, keys: Sequence[str]) -> None:
        """Make these the key columns; they move to the front, in their visible order."""
        wanted = set(keys)
        self._frozen = [k for k in self._visible if k in wanted]
        self._visible = [*self._frozen, *(k for k in self._visible if k not in wanted)]

    def set_width(self, key: str, width: int) -> None:
        """Draw column ``key`` this many cells wide (3 to 120)."""
        if key in self.fields:
            self.widths[key] = max(3, min(120, width))

    @property
    def visible_keys(self) -> list[str]:
        return list(self._visible)

    @property
    def sort(self) -> tuple[str, bool] | None:
        return self._sort

    def set_sort(self, key: str, descending: bool) -> None:
        if key in self.fields and self.fields[key].sortable:
            if self._sort is None or self._sort[0] != key or self._then_by == (key, descending):
                self._then_by = None  # a new sort field starts a new order
            self._sort = (key, descending)

    @property
    def then_by(self) -> tuple[str, bool] | None:
        return self._then_by

    def set_then_by(self, key: str | None, descending: bool = False) -> bool:
        """Sort rows with equal values of the sort field by ``key`` (None: by nothing more);
        False when it cannot (not sortable, or the sort field itself)."""
        if key is None:
            self._then_by = None
            return True
        first = self._sort[0] if self._sort else self.query.spec.default_sort
        if key == first or key not in self.fields or not self.fields[key].sortable:
            return False
        self._then_by = (key, descending)
        return True

    def sort_field(self) -> tuple[str, str]:
        """The title and kind (``text``, ``number`` ...) of the field the list is sorted by."""
        key = self._sort[0] if self._sort else self.query.spec.default_sort
        fdef = self.fields.get(key) or self.fields[self.query.spec.default_sort]
        return fdef.title, fdef.kind

    def first_starting(self, prefix: str) -> int | None:
        """Where the first row whose sort value starts with ``prefix`` stands (SQL)."""
        return self.query.first_starting(self.filter, self._sort, prefix, self._then_by)

    def count(self) -> int:
        if self._count is None:
            self._count = self.query.count(self.filter)
        return self._count

    def window(self, offset: int, limit: int) -> list[TableRow]:
        # a provisional count must not choose how rows are read (from the end, say)
        total = None if self.counting else self.count()
        return self.read_window(self.query, self.filter, total, offset, limit)

    def layout(self) -> tuple[object, tuple[str, ...]]:
        """Sort and visible columns: rows read ahead for one layout fit no other."""
        return (self._sort, self._then_by), tuple(self._visible)

    def read_window(
        self, query: WindowQuery, flt: Filter, total: int | None, offset: int, limit: int
    ) -> list[TableRow]:
        """Rows of ``flt`` in this sort and these columns, through ``query`` (a worker
        reads ahead on a connection of its own)."""
        wanted = list(self._visible)
        extra = [n for k in wanted for n in self._needs.get(k, ()) if n not in wanted]
        rows = query.window(
            flt, self._sort, [*wanted, *extra], offset, limit, total=total, then_by=self._then_by
        )
        names = [*wanted, *extra]
        out: list[TableRow] = []
        for row in rows:
            record = dict(zip(names, row[1:], strict=True))
            values = tuple(self._format(k, record) for k in wanted)
            out.append(TableRow(key=row[0], values=values))
        return out

    def position_of(self, key: RowKey) -> int | None:
        return self.query.position(self.filter, self._sort, key, self._then_by)

    # -- for screens
    def set_filter(self, flt: Filter, count: int | None = None, *, counting: bool = False) -> None:
        """``counting``: ``count`` is only the rows read so far; :meth:`set_count` follows."""
        self.filter = flt
        self._count = count
        self.counting = counting and count is not None
        self.query.invalidate()

    def set_count(self, count: int) -> None:
        """The exact count of the filter, after rows were shown with a provisional one."""
        self._count = count
        self.counting = False

    def invalidate(self) -> None:
        """Data changed underneath: forget the count and paging anchors."""
        self._count = None
        self.counting = False
        self.query.invalidate()

    def set_visible(self, keys: Sequence[str]) -> None:
        """Show these columns in this order (key columns stay first; a hidden one stops
        being a key column)."""
        self._visible = [k for k in keys if k in self.fields] or self._visible
        self._frozen = [k for k in self._frozen if k in self._visible]
        self.set_frozen(self._frozen)

    def _format(self, key: str, record: dict[str, Any]) -> str:
        formatter = self._formatters.get(key)
        if formatter:
            return formatter(record.get(key), record)
        return format_value(self.fields[key], record.get(key))

    @staticmethod
    def _column(fdef: FieldDef, width: int | None = None) -> Column:
        align: Literal["left", "right"] = "right" if fdef.kind in ("number", "money") else "left"
        return Column(
            key=fdef.key,
            title=fdef.title,
            width=width or fdef.width,
            fixed=width is not None,
            align=align,
            kind=fdef.kind,
            sortable=fdef.sortable,
        )
