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

from xoro_tui.data.store.connection import is_postgres

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
#: what Advanced Search and the filter line call an operator on numbers and on dates
NUMBER_OPERATORS: dict[str, str] = {
    "eq": "=", "ne": "<>", "gt": ">", "ge": ">=", "lt": "<", "le": "<=",
}  # fmt: skip
DATE_OPERATORS: dict[str, str] = {
    "eq": "on", "ne": "not on", "gt": "after", "ge": "on or after", "lt": "before",
    "le": "on or before",
}  # fmt: skip


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
    #: a condition tested in another table, through its indexes: the condition on
    #: ``filter_sql`` goes into the ``{}`` (``c.id IN (SELECT … WHERE {})``)
    filter_via: str | None = None
    #: the FROM clause for a window sorted by this field over many rows: its tables in the
    #: order that reads the sort's index first (a planner guessing a sort cheaper is wrong
    #: when only a window is wanted)
    sort_from: str | None = None
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

    def operator_label(self, op: str) -> str:
        """``>`` for numbers and amounts, ``before`` for dates, words for the rest."""
        names = {"date": DATE_OPERATORS, "number": NUMBER_OPERATORS, "money": NUMBER_OPERATORS}
        return names.get(self.kind, {}).get(op) or OPERATORS.get(op, op)


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


def fields_by_key(*fields: FieldDef) -> dict[str, FieldDef]:
    """A list's fields by their keys, in the order given (a list spec's ``FIELDS``)."""
    found = {f.key: f for f in fields}
    if len(found) != len(fields):
        raise ValueError("two fields of a list share a key")
    return found


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
    #: the quick search on PostgreSQL (no FTS5 there: see pg_search.py)
    pg_search: SearchBuilder | None = None
    #: its fast exact count, as ``search_count`` is SQLite's
    pg_search_count: Callable[[sqlite3.Connection, str, str], int | None] | None = None


def like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def condition_sql(spec: ListSpec, cond: Condition) -> tuple[str, list[Any]]:
    """SQL for one advanced-search condition; values are always bound, never spliced."""
    sql, args = _condition_sql(spec, cond)
    via = spec.fields[cond.field].filter_via
    return (via.format(sql), args) if via else (sql, args)


def _condition_sql(spec: ListSpec, cond: Condition) -> tuple[str, list[Any]]:
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


def _number_text(value: Any) -> str:
    """An amount as typed: ``1000`` (not ``1000.0``), ``12.5``."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


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
    op = fdef.operator_label(cond.op) if fdef else OPERATORS.get(cond.op, cond.op)
    if cond.op in ("empty", "not_empty"):
        return f"{title} {op}"
    if cond.op == "between":
        return f"{title} between {_number_text(cond.value)} and {_number_text(cond.value2)}"
    if cond.op == "one_of":
        return f"{title} is one of {', '.join(map(str, cond.value or ()))}"
    if fdef and fdef.kind in ("number", "money", "date"):
        return f"{title} {op} {_number_text(cond.value)}"
    value = ("Yes" if cond.value else "No") if fdef and fdef.kind == "bool" else cond.value
    return f'{title} {op} "{value}"'


def blank_sql(expr: str) -> str:
    """True when a value is blank: NULL or empty text (blanks sort last in every sort)."""
    return f"({expr} IS NULL OR {expr} = '')"


#: above this many matches a window tests rows in sort order instead of collecting matches
PROBE_ABOVE = 5_000


def where_sql(
    spec: ListSpec,
    flt: Filter,
    *,
    probe: bool = False,
    postgres: bool = False,
    ranges: bool = False,
) -> tuple[str, list[Any]]:
    """The WHERE of a filter; ``postgres``: for a connection to PostgreSQL (the quick
    search is the spec's ``pg_search`` there, SQLite's search tables being absent);
    ``ranges``: see :func:`_prefix_range`."""
    parts: list[str] = [spec.base_where] if spec.base_where else []
    args: list[Any] = []
    if flt.search.strip():
        built = None
        if postgres and spec.pg_search is not None:
            built = spec.pg_search(flt.search, flt.search_field)
        else:
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
            if ranges:
                sql, cargs = _prefix_range(spec, cond, sql, cargs)
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


def _prefix_range(
    spec: ListSpec, cond: Condition, sql: str, args: list[Any]
) -> tuple[str, list[Any]]:
    """ "Starts with" on a field sorted case aside, with the range of its sort index that
    holds those values beside it (on PostgreSQL, whose ``ILIKE`` reads no index): Customer
    Name starts with B reads the names from B on, not every name. Only for a database
    whose text order is its characters' (``C``), where every value starting with the
    letters lies in that range; the ``LIKE`` still decides."""
    fdef = spec.fields[cond.field]
    expr = fdef.sort_sql or ""
    if cond.op != "starts" or "COLLATE NOCASE" not in expr.upper() or not cond.value:
        return sql, args
    prefix = str(cond.value)
    return f"({sql} AND {expr} >= ? AND {expr} < ?)", [*args, prefix, prefix + "\U0010ffff"]


def _blank_as_null(expr: str) -> str:
    """``expr`` with empty text as NULL (keeping its collation): blanks tie in an order."""
    base, collate, collation = expr.rpartition(" COLLATE ")
    if collate and collation.isidentifier():
        return f"NULLIF({base}, '') COLLATE {collation}"
    return f"NULLIF({expr}, '')"


def _blank_terms(expr: str, desc: bool, value: Any) -> list[tuple[str, bool, Any]]:
    """A field that may be blank, as order terms: blank or not, then its value."""
    blank = value is None or value == ""
    # blank or not as a number, compared with a number on either engine (PostgreSQL has
    # no order between a boolean and an integer)
    flag = f"(CASE WHEN {blank_sql(expr)} THEN 1 ELSE 0 END)"
    return [(flag, False, int(blank))] + ([] if blank else [(expr, desc, value)])


def _before_sql(terms: Sequence[tuple[str, bool, Any]]) -> tuple[str, list[Any]]:
    """Rows ordered before the one whose ``(expression, descending, value)`` terms are
    given: ``t1 < v1 OR (t1 = v1 AND (t2 < v2 OR ...))``, ``>`` for a descending term."""
    expr, desc, value = terms[0]
    if len(terms) == 2 and terms[1][1] == desc and not expr.endswith(" ELSE 0 END)"):
        # one value and the key, one direction: a row value, which walks the index
        key, _, key_value = terms[1]
        return f"({expr}, {key}) {'>' if desc else '<'} (?, ?)", [value, key_value]
    less = f"{expr} {'>' if desc else '<'} ?"
    if len(terms) == 1:
        return less, [value]
    rest, rest_args = _before_sql(terms[1:])
    return f"({less} OR ({expr} = ? AND {rest}))", [value, value, *rest_args]


Sort = tuple[str, bool] | None


def sort_fields(
    spec: ListSpec, sort: Sort, then_by: Sort
) -> tuple[tuple[FieldDef, bool], tuple[FieldDef, bool] | None]:
    """The sort field and direction (the list's default when unknown), and the "then by"
    one (None when it is the same field, unknown or not sortable)."""
    key, desc = sort or (spec.default_sort, False)
    fdef = spec.fields.get(key) or spec.fields[spec.default_sort]
    second = None
    if then_by is not None and then_by[0] != fdef.key:
        other = spec.fields.get(then_by[0])
        if other is not None and other.sortable:
            second = (other, bool(then_by[1]))
    return (fdef, bool(desc)), second


def order_terms(spec: ListSpec, sort: Sort, then_by: Sort) -> list[tuple[str, bool]]:
    """The order a list is shown and exported in, as ``(SQL term, descending)``.

    The sort field, blanks (NULL or empty) last in either direction; rows with equal
    values by the "then by" field, its own blanks last; then the key, in the sort's
    direction. Blanks tie among themselves (read as NULL), so the key orders them."""
    (fdef, desc), second = sort_fields(spec, sort, then_by)
    expr = fdef.sort_sql or fdef.sql
    if fdef.not_null:
        terms = [(expr, desc)]
    else:
        terms = [(blank_sql(expr), False), (_blank_as_null(expr), desc)]
    if second is not None:
        expr2 = second[0].sort_sql or second[0].sql
        terms += [(blank_sql(expr2), False), (_blank_as_null(expr2), second[1])]
    return [*terms, (spec.key_sql, desc)]


def order_sql(
    spec: ListSpec, sort: Sort, then_by: Sort, *, reverse: bool = False, unindexed: bool = False
) -> str:
    """:func:`order_terms` as an ORDER BY clause (without the words), the other way round
    with ``reverse``. ``unindexed`` puts a ``+`` before each term (a no-op on any value)
    so that SQLite does not walk an index in sort order: reading every row (an export),
    it is faster to read the table in its own order and sort in bounded memory."""
    plus = "+" if unindexed else ""
    return ", ".join(
        f"{plus}{term}{' DESC' if desc != reverse else ''}"
        for term, desc in order_terms(spec, sort, then_by)
    )


@dataclass
class _Anchor:
    offset: int
    sort_value: Any
    key: int


@dataclass(frozen=True)
class _Picked:
    """What a window reads: ``SELECT key, value FROM rows``, ``rows`` being its source and
    WHERE; ``collect``: the matches are few (PostgreSQL), see :meth:`window_sql`."""

    key: str
    value: str
    rows: str
    collect: bool = False

    def window_sql(self, condition: str | None, terms: Sequence[tuple[str, bool]]) -> str:
        """The rows, with ``condition`` too if any, in the order of ``terms``, a window of
        them (``LIMIT ? OFFSET ?``).

        Collected, the matches are gathered first and only they are sorted: PostgreSQL would
        otherwise walk the sort's index testing each row in turn, the quicker way for many
        matches, but for a few thousand among a million it tests tens of thousands of rows
        (Open Balance > 1000: 150 ms, not 15)."""
        rows = self.rows if condition is None else f"{self.rows} AND {condition}"
        if not self.collect:
            order = ", ".join(f"{t}{' DESC' if d else ''}" for t, d in terms)
            return f"SELECT {self.key}, {self.value} FROM {rows} ORDER BY {order} LIMIT ? OFFSET ?"
        picked = ", ".join(f"{t} AS xoro_o{i}" for i, (t, _) in enumerate(terms))
        order = ", ".join(f"xoro_o{i}{' DESC' if d else ''}" for i, (_, d) in enumerate(terms))
        return (
            f"WITH xoro_hits AS MATERIALIZED (SELECT {self.key} AS xoro_k, "
            f"{self.value} AS xoro_v, {picked} FROM {rows}) "
            f"SELECT xoro_k, xoro_v FROM xoro_hits ORDER BY {order} LIMIT ? OFFSET ?"
        )


@dataclass
class WindowQuery:
    """Counts and windows of one list for one connection."""

    conn: sqlite3.Connection
    spec: ListSpec
    _anchors: dict[str, list[_Anchor]] = field(default_factory=dict)
    #: rows in one part of a blanks-last order, per filter (see :meth:`_segments`)
    _part_counts: dict[tuple[str, str, str], int] = field(default_factory=dict)

    def _where(self, flt: Filter, probe: bool = False) -> tuple[str, list[Any]]:
        """:func:`where_sql` for this connection's engine."""
        postgres = is_postgres(self.conn)
        ranges = False
        if postgres and any(c.op == "starts" for c in flt.conditions):
            from xoro_tui.data.postgres.pg_connection import ordered_by_characters

            ranges = ordered_by_characters(self.conn)  # type: ignore[arg-type]
        return where_sql(self.spec, flt, probe=probe, postgres=postgres, ranges=ranges)

    def count(self, flt: Filter) -> int:
        only_search = not flt.conditions and not flt.extras and flt.search.strip()
        postgres = is_postgres(self.conn)
        counted = self.spec.pg_search_count if postgres else self.spec.search_count
        if only_search and counted is not None:
            fast = counted(self.conn, flt.search, flt.search_field)
            if fast is not None:
                return fast
        where, args = self._where(flt)
        source = self.spec.count_from_sql or self.spec.from_sql
        return int(
            self.conn.execute(f"SELECT count(*) FROM {source} WHERE {where}", args).fetchone()[0]
        )

    def _sort_fields(
        self, sort: Sort, then_by: Sort
    ) -> tuple[tuple[FieldDef, bool], tuple[FieldDef, bool] | None]:
        return sort_fields(self.spec, sort, then_by)

    def _segments(self, sort: Sort, then_by: Sort) -> list[tuple[str, list[tuple[str, bool]]]]:
        """The order (:func:`order_terms`) as parts read one after the other:
        ``(condition, [(term, desc)])``.

        A sort field that may be blank is read as its filled rows in order, then its blank
        rows, each part walking the field's index (its plain expression: among filled
        rows it equals the blank-as-NULL one)."""
        (fdef, desc), _second = self._sort_fields(sort, then_by)
        terms = order_terms(self.spec, sort, then_by)
        if fdef.not_null:
            return [("1", terms)]
        expr = fdef.sort_sql or fdef.sql
        tail = terms[2:]
        return [(f"NOT {blank_sql(expr)}", [(expr, desc), *tail]), (blank_sql(expr), tail)]

    def _read_segments(
        self,
        base: _Picked,
        where_args: list[Any],
        count_sql: str,
        segments: list[tuple[str, list[tuple[str, bool]]]],
        offset: int,
        limit: int,
        reverse: bool = False,
    ) -> list[tuple]:
        """Rows ``offset .. offset+limit`` of the parts read one after the other."""
        if reverse:
            segments = [(c, [(t, not d) for t, d in terms]) for c, terms in reversed(segments)]
        rows: list[tuple] = []
        skip = offset
        for index, (condition, terms) in enumerate(segments):
            got = self.conn.execute(
                base.window_sql(condition, terms), (*where_args, limit - len(rows), skip)
            ).fetchall()
            rows.extend(got)
            if len(rows) >= limit or index == len(segments) - 1:
                break
            if got:
                skip = 0  # this part ran out within the window
            elif skip:
                memo = (count_sql, repr(where_args), condition)
                if memo not in self._part_counts:
                    self._part_counts[memo] = int(
                        self.conn.execute(f"{count_sql} AND {condition}", where_args).fetchone()[0]
                    )
                skip = max(0, skip - self._part_counts[memo])
        return rows

    def window(
        self,
        flt: Filter,
        sort: tuple[str, bool] | None,
        columns: Sequence[str],
        offset: int,
        limit: int,
        total: int | None = None,
        then_by: tuple[str, bool] | None = None,
    ) -> list[tuple]:
        """Rows ``offset .. offset+limit`` as tuples ``(key, *columns)``; ``then_by`` sorts
        rows with equal values of ``sort``."""
        if limit <= 0 or offset < 0:
            return []
        probe = total is not None and total > PROBE_ABOVE
        where, args = self._where(flt, probe)
        # the window is found by key and sort value alone; its columns are read for its
        # few rows afterwards (a search's 1,740 matches sorted by name no longer compute
        # each match's sites and balances to show 40 of them)
        keys = self._window_keys(where, args, flt, sort, then_by, offset, limit, total)
        return self._with_columns(keys, columns)

    def _window_keys(
        self,
        where: str,
        args: list[Any],
        flt: Filter,
        sort: tuple[str, bool] | None,
        then_by: tuple[str, bool] | None,
        offset: int,
        limit: int,
        total: int | None,
    ) -> list[Any]:
        """The keys of the window's rows, in order."""
        (fdef, _desc), second = self._sort_fields(sort, then_by)
        sort_expr = fdef.sort_sql or fdef.sql
        many = fdef.sort_from is not None and total is not None and total > PROBE_ABOVE
        source = fdef.sort_from if many else self.spec.from_sql
        few = bool(flt.conditions) and self._few(flt, total)
        base = _Picked(self.spec.key_sql, sort_expr, f"{source} WHERE {where}", collect=few)
        from_end = total is not None and offset > total // 2 and offset + limit >= total - 50_000
        if not fdef.not_null or second is not None:
            count_sql = f"SELECT count(*) FROM {base.rows}"
            segments = self._segments(sort, then_by)
            if from_end and total is not None:
                count = min(limit, total - offset)
                start = max(total - offset - limit, 0)
                rows = self._read_segments(base, args, count_sql, segments, start, count, True)
                rows.reverse()
            else:
                rows = self._read_segments(base, args, count_sql, segments, offset, limit)
            return [row[0] for row in rows]
        if from_end and total is not None:
            backwards = [(t, not d) for t, d in order_terms(self.spec, sort, None)]
            start = max(total - offset - limit, 0)
            count = min(limit, total - offset)
            rows = self.conn.execute(
                base.window_sql(None, backwards), (*args, count, start)
            ).fetchall()
            rows.reverse()
        else:
            rows = self._forward(base, flt, args, sort, fdef, offset, limit)
        if fdef.not_null and rows:
            self._remember(flt, sort, offset, rows)
        return [row[0] for row in rows]

    def _few(self, flt: Filter, total: int | None) -> bool:
        """Whether the filter holds few rows (:data:`PROBE_ABOVE` at most) on PostgreSQL,
        where a window then collects them before sorting (see :meth:`_Picked.window_sql`): the count
        when it is known, else the planner's estimate (a plan, not a count: a few ms) of
        the filter as written (a prefix's range beside its ``LIKE`` would count twice)."""
        if not is_postgres(self.conn):
            return False
        if total is not None:
            return total <= PROBE_ABOVE
        from xoro_tui.data.postgres.pg_connection import estimated_rows

        where, args = where_sql(self.spec, flt, postgres=True)
        source = self.spec.count_from_sql or self.spec.from_sql
        found = f"SELECT {self.spec.key_sql} FROM {source} WHERE {where}"
        return estimated_rows(self.conn, found, args) <= PROBE_ABOVE

    def _with_columns(self, keys: list[Any], columns: Sequence[str]) -> list[tuple]:
        """``(key, *columns)`` for each key, in the keys' order. A row deleted by another
        user between the two reads is left out, as a read a moment later would."""
        if not keys:
            return []
        selects = ", ".join([self.spec.key_sql, *(self.spec.fields[c].sql for c in columns)])
        marks = ", ".join("?" * len(keys))
        found = {
            row[0]: row
            for row in self.conn.execute(
                f"SELECT {selects} FROM {self.spec.from_sql} "
                f"WHERE {self.spec.key_sql} IN ({marks})",
                keys,
            )
        }
        return [found[key] for key in keys if key in found]

    def _forward(
        self,
        base: _Picked,
        flt: Filter,
        args: list[Any],
        sort: tuple[str, bool] | None,
        fdef: FieldDef,
        offset: int,
        limit: int,
    ) -> list[tuple]:
        terms = order_terms(self.spec, sort, None)
        anchor = self._anchor_before(flt, sort, offset) if fdef.not_null and offset else None
        if anchor is None:
            return self.conn.execute(
                base.window_sql(None, terms), (*args, limit, offset)
            ).fetchall()
        desc = bool(sort and sort[1])
        sort_expr = fdef.sort_sql or fdef.sql
        comparison = "<" if desc else ">"
        keyset = f"({sort_expr}, {self.spec.key_sql}) {comparison} (?, ?)"
        return self.conn.execute(
            base.window_sql(keyset, terms),
            (*args, anchor.sort_value, anchor.key, limit, offset - anchor.offset - 1),
        ).fetchall()

    def invalidate(self) -> None:
        """Forget keyset anchors (after a write, offsets may have moved)."""
        self._anchors.clear()
        self._part_counts.clear()

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

    def position(
        self,
        flt: Filter,
        sort: tuple[str, bool] | None,
        key: int,
        then_by: tuple[str, bool] | None = None,
    ) -> int | None:
        """Where a row stands in the filtered, sorted list (None when it is not in it)."""
        where, args = where_sql(self.spec, flt, postgres=is_postgres(self.conn))
        (fdef, desc), second = self._sort_fields(sort, then_by)
        expr = fdef.sort_sql or fdef.sql
        picked = [expr] + ([second[0].sort_sql or second[0].sql] if second else [])
        row = self.conn.execute(
            f"SELECT {', '.join(picked)} FROM {self.spec.from_sql} "
            f"WHERE {where} AND {self.spec.key_sql} = ?",
            (*args, key),
        ).fetchone()
        if row is None:
            return None
        # the row's place in the order, term by term: (blank?, value) of each sort field,
        # then the key; a blank value's own term is left out (blanks tie among themselves)
        terms: list[tuple[str, bool, Any]] = []
        if fdef.not_null:
            terms.append((expr, desc, row[0]))
        else:
            terms.extend(_blank_terms(expr, desc, row[0]))
        if second is not None:
            terms.extend(_blank_terms(picked[1], second[1], row[1]))
        terms.append((self.spec.key_sql, desc, key))
        before, cargs = _before_sql(terms)
        return int(
            self.conn.execute(
                f"SELECT count(*) FROM {self.spec.from_sql} WHERE {where} AND {before}",
                (*args, *cargs),
            ).fetchone()[0]
        )

    def first_starting(
        self,
        flt: Filter,
        sort: tuple[str, bool] | None,
        prefix: str,
        then_by: tuple[str, bool] | None = None,
    ) -> int | None:
        """The position of the first row, in this sort, whose sort value starts with
        ``prefix`` (case aside); None when no row does. One indexed range, then a count."""
        if not prefix:
            return None
        where, args = where_sql(self.spec, flt, postgres=is_postgres(self.conn))
        (fdef, desc), _second = self._sort_fields(sort, then_by)
        expr = fdef.sort_sql or fdef.sql
        upper = prefix + "\U0010ffff"
        ranged = "COLLATE NOCASE" in expr.upper()
        if ranged:
            test, targs = f"{expr} >= ? AND {expr} < ?", [prefix, upper]
        else:
            test, targs = f"{expr} LIKE ? ESCAPE '\\'", [like_escape(prefix) + "%"]
        condition, terms = self._segments(sort, then_by)[0]
        order = ", ".join(f"{t}{' DESC' if d else ''}" for t, d in terms)
        row = self.conn.execute(
            f"SELECT {self.spec.key_sql} FROM {self.spec.from_sql} WHERE {where} AND {test} "
            f"ORDER BY {order} LIMIT 1",
            (*args, *targs),
        ).fetchone()
        if row is None:
            return None
        if not ranged:
            return self.position(flt, sort, int(row[0]), then_by)
        # the rows before the first match are those (filled) below the letters, or above
        # every value starting with them when descending: one range of the field's index
        before, value = (f"{expr} >= ?", upper) if desc else (f"{expr} < ?", prefix)
        return int(
            self.conn.execute(
                f"SELECT count(*) FROM {self.spec.from_sql} "
                f"WHERE {where} AND {condition} AND {before}",
                (*args, value),
            ).fetchone()[0]
        )

    def keys(self, flt: Filter, batch: int = 10_000) -> Iterator[list[int]]:
        """Every key of the filter, in batches (for bulk actions on "all checked")."""
        where, args = where_sql(self.spec, flt, postgres=is_postgres(self.conn))
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
