"""The list's order in SQL: blanks last in every sort, a "then by" field, positions and the
jump to the first row starting with some letters, checked against the same order in Python."""

from __future__ import annotations

import itertools

import pytest

from tests.factories import customer
from xoro_tui.data.customers.customer_list import customer_spec
from xoro_tui.data.search.list_query import Filter, WindowQuery

NAMES = ["Beta", "alpha", "Gamma", "beta", "Delta", "alpha", "Epsilon", "gamma"]
EMAILS = ["b@x.uk", None, "a@x.uk", "", "C@x.uk", "a@x.uk", None, "d@x.uk"]
REPS = ["Ann", "Bob", None, "Ann", "", "Bob", "Ann", None]


@pytest.fixture
def rows(db):
    made = []
    for name, email, rep in itertools.islice(
        zip(itertools.cycle(NAMES), itertools.cycle(EMAILS), itertools.cycle(REPS)), 40
    ):
        c = customer(db, name=name, email=email or None, bill_to_city=rep or None)
        if rep == "":
            db.conn.execute("UPDATE customers SET bill_to_city = '' WHERE id = ?", (c.id,))
        if email == "":
            db.conn.execute("UPDATE customers SET email = '' WHERE id = ?", (c.id,))
        made.append(c.id)
    db.conn.commit()
    return db


def expected(db, sort: tuple[str, bool], then_by: tuple[str, bool] | None) -> list[int]:
    """The order the table promises, worked out in Python: blanks last, ties by key."""
    table = {"name": "name", "email": "email", "bill_to_city": "bill_to_city"}
    data = db.conn.execute(
        "SELECT id, name, email, bill_to_city FROM customers WHERE state = 'active'"
    ).fetchall()
    index = {"name": 1, "email": 2, "bill_to_city": 3}

    def fold(v):
        return v.casefold() if isinstance(v, str) else v

    def blank(v) -> bool:
        return v is None or v == ""

    def ordered(items, field, desc, key_desc):
        filled = [r for r in items if not blank(r[index[field]])]
        blanks = [r for r in items if blank(r[index[field]])]
        # a stable sort by key then by value gives value order with ties by key
        filled.sort(key=lambda r: r[0], reverse=key_desc)
        filled.sort(key=lambda r: fold(r[index[field]]) if field != "bill_to_city" else r[3],
                    reverse=desc)  # fmt: skip
        return filled, blanks

    assert table
    key_desc = sort[1]

    def then_sorted(group):
        if then_by is None:
            return sorted(group, key=lambda r: r[0], reverse=key_desc)
        filled, blanks = ordered(group, then_by[0], then_by[1], key_desc)
        return filled + sorted(blanks, key=lambda r: r[0], reverse=key_desc)

    filled, blanks = ordered(data, sort[0], sort[1], key_desc)
    out: list = []
    for _value, group in itertools.groupby(
        filled, key=lambda r: fold(r[index[sort[0]]]) if sort[0] != "bill_to_city" else r[3]
    ):
        out.extend(then_sorted(list(group)))
    out.extend(then_sorted(blanks))
    return [r[0] for r in out]


SORTS = [
    (("email", False), None),
    (("email", True), None),
    (("bill_to_city", False), None),
    (("bill_to_city", True), None),
    (("name", False), ("email", False)),
    (("name", True), ("email", False)),
    (("name", False), ("bill_to_city", True)),
    (("email", False), ("name", True)),
    (("bill_to_city", True), ("email", True)),
]


@pytest.mark.parametrize(("sort", "then_by"), SORTS)
def test_windows_and_positions_follow_the_order(rows, sort, then_by) -> None:
    query = WindowQuery(rows.conn, customer_spec())
    want = expected(rows, sort, then_by)
    total = len(want)
    got = [r[0] for r in query.window(Filter(), sort, ["name"], 0, 100, then_by=then_by)]
    assert got == want
    for offset, limit in [(3, 5), (10, 7), (17, 20), (33, 10), (38, 5)]:
        for known in (None, total):
            page = query.window(Filter(), sort, ["name"], offset, limit, total=known,
                                then_by=then_by)  # fmt: skip
            assert [r[0] for r in page] == want[offset : offset + limit], (offset, known)
    for place, key in enumerate(want):
        assert query.position(Filter(), sort, key, then_by) == place


def test_blanks_sort_last_both_ways(rows) -> None:
    query = WindowQuery(rows.conn, customer_spec())
    up = [r[1] for r in query.window(Filter(), ("email", False), ["email"], 0, 100)]
    down = [r[1] for r in query.window(Filter(), ("email", True), ["email"], 0, 100)]
    assert (
        up[0] == "a@x.uk"
        and up[-1] in (None, "")
        and down[0] == "d@x.uk"
        and down[-1] in (None, "")
    )
    assert {v for v in up[-15:]} == {None, ""}


@pytest.mark.parametrize("sort", [("name", False), ("name", True)])
def test_first_row_starting_with_letters(rows, sort) -> None:
    query = WindowQuery(rows.conn, customer_spec())
    order = [r[1] for r in query.window(Filter(), sort, ["name"], 0, 100)]
    for prefix in ("a", "AL", "Gam", "e", "b"):
        place = query.first_starting(Filter(), sort, prefix)
        first = next(i for i, n in enumerate(order) if n.casefold().startswith(prefix.casefold()))
        assert place == first
    assert query.first_starting(Filter(), sort, "zz") is None
    assert query.first_starting(Filter(search="gamma"), sort, "G") == 0


@pytest.mark.parametrize("desc", [False, True])
def test_an_export_puts_blanks_last_as_the_table_does(rows, desc) -> None:
    from xoro_tui.documents.export_sources import list_export

    spec = customer_spec()
    _header, exported, _kinds = list_export(rows, spec, Filter(), ("email", desc), ["email"])
    emails = [r[-1] or "" for r in exported]  # blanks look alike, NULL or empty
    query = WindowQuery(rows.conn, spec)
    shown = [r[1] or "" for r in query.window(Filter(), ("email", desc), ["email"], 0, 100)]
    assert emails == shown
    assert not any(emails[-15:]) and emails[0]


@pytest.mark.parametrize(("sort", "then_by"), SORTS)
def test_an_export_follows_the_sort_and_then_by_as_the_table_does(rows, sort, then_by) -> None:
    from xoro_tui.documents.export_sources import list_export

    spec = customer_spec()
    _header, exported, _kinds = list_export(
        rows, spec, Filter(), sort, ["account_number"], then_by=then_by
    )
    numbers = dict(rows.conn.execute("SELECT account_number, id FROM customers"))
    assert [numbers[r[0]] for r in exported] == expected(rows, sort, then_by)
