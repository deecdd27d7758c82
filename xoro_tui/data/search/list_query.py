"""Filter, sort and window any list the Centres show, in SQL, never in Python.

A list is described by :class:`ListSpec` (its FROM clause, its fields as SQL expressions,
its search). :class:`WindowQuery` answers counts, windows of rows and positions for a
:class:`Filter` and a sort, with keyset paging so that a window deep in a million rows
costs no more than the first one.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

Kind = Literal["text", "number", "money", "date", "bool", "lookup"]

OPERATORS: dict[str, str] = {
    "eq": "equals",
    "ne": "not equals",
    "contains": "contains",
    "not_contains": "does not contain",
    "starts": "starts with",
    "ends": "ends with",
    "gt": "greater than",
    "ge": "greater or equal",
    "lt": "less than",
    "le": "less or equal",
    "between": "between",
    "empty": "is empty",
    "not_empty": "is not empty",
    "one_of": "is one of",
}
TEXT_OPERATORS = (
    "eq",
    "ne",
    "contains",
    "not_contains",
    "starts",
    "ends",
    "empty",
    "not_empty",
    "one_of",
)
ORDERED_OPERATORS = ("eq", "ne", "gt", "ge", "lt", "le", "between", "empty", "not_empty", "one_of")
BOOL_OPERATORS = ("eq", "ne")


@dataclass(frozen=True, slots=True)
class FieldDef:
    """One field of a list: how to select it, filter on it and sort by it."""

    key: str
    title: str
    sql: str
    kind: Kind = "text"
    width: int = 12
    sortable: bool = True
    lookup: str | None = None
    filter_sql: str | None = None
    #: the sort expression; NOT NULL ones allow keyset paging
    sort_sql: str | None = None
    not_null: bool = False
    #: the same value read through a join, as ``(join clause, expression)``: when every
    #: row is read (an export), fields sharing one join cost one lookup instead of one each
    joined: tuple[str, str] | None = None
    #: a list of values (tags): ``(its rows, correlated to the list's row, their value)``,
    #: e.g. ``("customer_tags e WHERE e.customer_id = c.id", "e.tag")``; a condition then
    #: holds when one of the values meets it ("does not" forms: when none does)
    each: tuple[str, str] | None = None

    @property
    def operators(self) -> tuple[str, ...]:
        if self.kind == "bool":
            return BOOL_OPERATORS
        if self.kind in ("number", "money", "date"):
            return ORDERED_OPERATORS
        return TEXT_OPERATORS


@dataclass(frozen=True, slots=True)
class Condition:
    field: str
    op: str
    value: Any = None
    value2: Any = None


@dataclass(frozen=True, slots=True)
class Filter:
    """What narrows a list: quick search, advanced conditions and named extras."""

    search: str = ""
    search_field: str = "any"
    conditions: tuple[Condition, ...] = ()
    combine: Literal["and", "or"] = "and"
    extras: tuple[tuple[str, Any], ...] = ()

    def extra(self, name: str, default: Any = None) -> Any:
        return dict(self.extras).get(name, default)

    def with_extra(self, name: str, value: Any) -> Filter:
        items = {**dict(self.extras), name: value}
        return Filter(
            self.search,
            self.search_field,
            self.conditions,
            self.combine,
            tuple((k, v) for k, v in items.items() if v not in (None, "", ())),
        )


SearchBuilder = Callable[[str, str], tuple[str, list[Any]] | None]
ExtraBuilder = Callable[[Filter], tuple[list[str], list[Any]]]


@dataclass(frozen=True)
class ListSpec:
    name: str
    from_sql: str
    key_sql: str
    base_where: str
    fields: dict[str, FieldDef]
    search: SearchBuilder
    extras: ExtraBuilder = lambda f: ([], [])
    default_sort: str = "name"
    count_from_sql: str | None = None
    #: the search as a per-row test, for searches with many matches (see WindowQuery.window)
    search_probe: SearchBuilder | None = None
    #: a fast exact count of a search-only filter, when the list has one
    search_count: Callable[[sqlite3.Connection, str, str], int | None] | None = None


def like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def condition_sql(spec: ListSpec, cond: Condition) -> tuple[str, list[Any]]:
    """SQL for one advanced-search condition; values are always bound, never spliced."""
    fdef = spec.fields.get(cond.field)
    if fdef is None:
        raise ValueError(f"unknown column {cond.field!r}")
    if cond.op not in fdef.operators:
        raise ValueError(f"{OPERATORS.get(cond.op, cond.op)!r} does not apply to {fdef.title}")
    if fdef.each is not None:
        return _each_sql(spec, fdef, cond)
    expr = fdef.filter_sql or fdef.sql
    text = fdef.kind in ("text", "lookup")
    nocase = " COLLATE NOCASE" if text else ""
    op, value = cond.op, cond.value
    if op == "empty":
        return (f"({expr} IS NULL OR {expr} = '')", [])
    if op == "not_empty":
        return (f"({expr} IS NOT NULL AND {expr} != '')", [])
    if op in ("contains", "not_contains", "starts", "ends"):
        pattern = {
            "contains": "%{}%",
            "not_contains": "%{}%",
            "starts": "{}%",
            "ends": "%{}",
        }[op].format(like_escape(str(value or "")))
        if op == "not_contains":
            return (f"({expr} IS NULL OR {expr} NOT LIKE ? ESCAPE '\\')", [pattern])
        return (f"{expr} LIKE ? ESCAPE '\\'", [pattern])
    if op == "one_of":
        values = [v for v in (value or []) if v not in (None, "")]
        if not values:
            return ("0", [])
        marks = ", ".join("?" * len(values))
        return (f"{expr}{nocase} IN ({marks})", list(values))
    if op == "between":
        return (f"{expr} BETWEEN ? AND ?", [value, cond.value2])
    if op == "ne":
        return (f"({expr} IS NULL OR {expr}{nocase} != ?)", [value])
    symbol = {"eq": "=", "gt": ">", "ge": ">=", "lt": "<", "le": "<="}[op]
    return (f"{expr}{nocase} {symbol} ?", [value])


def _each_sql(spec: ListSpec, fdef: FieldDef, cond: Condition) -> tuple[str, list[Any]]:
    """A condition on a list of values: one of them meets it (none, for "not" and "empty")."""
    rows, value = fdef.each or ("", "")
    if cond.op in ("empty", "not_empty"):
        exists = f"EXISTS (SELECT 1 FROM {rows} AND {value} != '')"
        return (exists if cond.op == "not_empty" else f"NOT {exists}", [])
    positive = {"ne": "eq", "not_contains": "contains"}.get(cond.op, cond.op)
    single = replace(spec, fields={fdef.key: replace(fdef, filter_sql=value, each=None)})
    test, args = condition_sql(single, replace(cond, op=positive))
    exists = f"EXISTS (SELECT 1 FROM {rows} AND {test})"
    return (exists if positive == cond.op else f"NOT {exists}", args)


def describe_condition(fields: dict[str, FieldDef], cond: Condition) -> str:
    """One condition in words, as the filter line and exported files show it."""
    fdef = fields.get(cond.field)
    title = fdef.title if fdef else cond.field
    op = OPERATORS.get(cond.op, cond.op)
    if cond.op in ("empty", "not_empty"):
        return f"{title} {op}"
    if cond.op == "between":
        return f"{title} between {cond.value} and {cond.value2}"
    if cond.op == "one_of":
        return f"{title} is one of {', '.join(map(str, cond.value or ()))}"
    value = ("Yes" if cond.value else "No") if fdef and fdef.kind == "bool" else cond.value
    return f'{title} {op} "{value}"'


#: above this many matches a window tests rows in sort order instead of collecting matches
PROBE_ABOVE = 5_000


def where_sql(spec: ListSpec, flt: Filter, *, probe: bool = False) -> tuple[str, list[Any]]:
    parts: list[str] = [spec.base_where] if spec.base_where else []
    args: list[Any] = []
    if flt.search.strip():
        built = None
        if probe and spec.search_probe is not None:
            built = spec.search_probe(flt.search, flt.search_field)
        if built is None:
            built = spec.search(flt.search, flt.search_field)
        if built:
            parts.append(built[0])
            args.extend(built[1])
    if flt.conditions:
        sqls: list[str] = []
        for cond in flt.conditions:
            sql, cargs = condition_sql(spec, cond)
            sqls.append(sql)
            args.extend(cargs)
        joiner = " OR " if flt.combine == "or" else " AND "
        parts.append("(" + joiner.join(sqls) + ")")
    keys = flt.extra("keys")
    if keys:
        parts.append(f"{spec.key_sql} IN (SELECT value FROM json_each(?))")
        args.append(json.dumps(sorted(keys)))
    extra_parts, extra_args = spec.extras(flt)
    parts.extend(extra_parts)
    args.extend(extra_args)
    return (" AND ".join(parts) if parts else "1", args)


@dataclass
class _Anchor:
    offset: int
    sort_value: Any
    key: int


@dataclass
class WindowQuery:
    """Counts and windows of one list for one connection."""

    conn: sqlite3.Connection
    spec: ListSpec
    _anchors: dict[str, list[_Anchor]] = field(default_factory=dict)

    def count(self, flt: Filter) -> int:
        only_search = not flt.conditions and not flt.extras and flt.search.strip()
        if only_search and self.spec.search_count is not None:
            fast = self.spec.search_count(self.conn, flt.search, flt.search_field)
            if fast is not None:
                return fast
        where, args = where_sql(self.spec, flt)
        source = self.spec.count_from_sql or self.spec.from_sql
        return int(
            self.conn.execute(f"SELECT count(*) FROM {source} WHERE {where}", args).fetchone()[0]
        )

    def _order(self, sort: tuple[str, bool] | None, reverse: bool = False) -> tuple[str, FieldDef]:
        key, desc = sort or (self.spec.default_sort, False)
        fdef = self.spec.fields.get(key) or self.spec.fields[self.spec.default_sort]
        expr = fdef.sort_sql or fdef.sql
        if reverse:
            desc = not desc
        direction = " DESC" if desc else ""
        return (f"{expr}{direction}, {self.spec.key_sql}{direction}", fdef)

    def window(
        self,
        flt: Filter,
        sort: tuple[str, bool] | None,
        columns: Sequence[str],
        offset: int,
        limit: int,
        total: int | None = None,
    ) -> list[tuple]:
        """Rows ``offset .. offset+limit`` as tuples ``(key, *columns)``."""
        if limit <= 0 or offset < 0:
            return []
        probe = total is not None and total > PROBE_ABOVE
        where, args = where_sql(self.spec, flt, probe=probe)
        selects = ", ".join([self.spec.key_sql, *(self.spec.fields[c].sql for c in columns)])
        sort_key = sort or (self.spec.default_sort, False)
        fdef = self.spec.fields.get(sort_key[0]) or self.spec.fields[self.spec.default_sort]
        sort_expr = fdef.sort_sql or fdef.sql
        base = f"SELECT {selects}, {sort_expr} FROM {self.spec.from_sql} WHERE {where}"
        if total is not None and offset > total // 2 and offset + limit >= total - 50_000:
            order, _ = self._order(sort, reverse=True)
            start = max(total - offset - limit, 0)
            count = min(limit, total - offset)
            rows = self.conn.execute(
                f"{base} ORDER BY {order} LIMIT ? OFFSET ?", (*args, count, start)
            ).fetchall()
            rows.reverse()
        else:
            rows = self._forward(base, flt, args, sort, fdef, offset, limit)
        if fdef.not_null and rows:
            self._remember(flt, sort, offset, rows)
        return [row[:-1] for row in rows]

    def _forward(
        self,
        base: str,
        flt: Filter,
        args: list[Any],
        sort: tuple[str, bool] | None,
        fdef: FieldDef,
        offset: int,
        limit: int,
    ) -> list[tuple]:
        order, _ = self._order(sort)
        anchor = self._anchor_before(flt, sort, offset) if fdef.not_null and offset else None
        if anchor is None:
            return self.conn.execute(
                f"{base} ORDER BY {order} LIMIT ? OFFSET ?", (*args, limit, offset)
            ).fetchall()
        desc = bool(sort and sort[1])
        sort_expr = fdef.sort_sql or fdef.sql
        comparison = "<" if desc else ">"
        keyset = f"({sort_expr}, {self.spec.key_sql}) {comparison} (?, ?)"
        return self.conn.execute(
            f"{base} AND {keyset} ORDER BY {order} LIMIT ? OFFSET ?",
            (*args, anchor.sort_value, anchor.key, limit, offset - anchor.offset - 1),
        ).fetchall()

    def invalidate(self) -> None:
        """Forget keyset anchors (after a write, offsets may have moved)."""
        self._anchors.clear()

    def _anchor_before(
        self, flt: Filter, sort: tuple[str, bool] | None, offset: int
    ) -> _Anchor | None:
        anchors = self._anchors.get(repr((flt, sort)), [])
        near = [a for a in anchors if a.offset < offset and offset - a.offset <= 20_000]
        return max(near, key=lambda a: a.offset) if near else None

    def _remember(
        self, flt: Filter, sort: tuple[str, bool] | None, offset: int, rows: list[tuple]
    ) -> None:
        key = repr((flt, sort))
        if key not in self._anchors:
            self._anchors.clear()
        anchors = self._anchors.setdefault(key, [])
        last = rows[-1]
        anchors.append(_Anchor(offset + len(rows) - 1, last[-1], last[0]))
        if len(anchors) > 256:
            del anchors[:128]

    def position(self, flt: Filter, sort: tuple[str, bool] | None, key: int) -> int | None:
        """Where a row stands in the filtered, sorted list (None when it is not in it)."""
        where, args = where_sql(self.spec, flt)
        sort_key = sort or (self.spec.default_sort, False)
        fdef = self.spec.fields.get(sort_key[0]) or self.spec.fields[self.spec.default_sort]
        sort_expr = fdef.sort_sql or fdef.sql
        row = self.conn.execute(
            f"SELECT {sort_expr} FROM {self.spec.from_sql} WHERE {where} AND {self.spec.key_sql} = ?",
            (*args, key),
        ).fetchone()
        if row is None:
            return None
        value = row[0]
        desc = bool(sort_key[1])
        before = "<" if not desc else ">"
        if value is None:
            # NULLs sort first ascending, last descending
            if not desc:
                cond, cargs = f"({sort_expr} IS NULL AND {self.spec.key_sql} {before} ?)", [key]
            else:
                cond = f"({sort_expr} IS NOT NULL OR {self.spec.key_sql} {before} ?)"
                cargs = [key]
        else:
            if not desc:
                cond = (
                    f"({sort_expr} IS NULL OR {sort_expr} < ? OR "
                    f"({sort_expr} = ? AND {self.spec.key_sql} < ?))"
                )
            else:
                cond = f"({sort_expr} > ? OR ({sort_expr} = ? AND {self.spec.key_sql} > ?))"
            cargs = [value, value, key]
        return int(
            self.conn.execute(
                f"SELECT count(*) FROM {self.spec.from_sql} WHERE {where} AND {cond}",
                (*args, *cargs),
            ).fetchone()[0]
        )

    def keys(self, flt: Filter, batch: int = 10_000) -> Iterator[list[int]]:
        """Every key of the filter, in batches (for bulk actions on "all checked")."""
        where, args = where_sql(self.spec, flt)
        cursor = self.conn.execute(
            f"SELECT {self.spec.key_sql} FROM {self.spec.from_sql} WHERE {where} "
            f"ORDER BY {self.spec.key_sql}",
            args,
        )
        while True:
            rows = cursor.fetchmany(batch)
            if not rows:
                return
            yield [r[0] for r in rows]
