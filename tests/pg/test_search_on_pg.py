"""The quick search on PostgreSQL finds what it finds on SQLite: the same customers and
refunds for the same data, searched in Any Field and in single fields, through the
Centres' own list queries (pg_search.py on one side, the FTS5 tables on the other); and
the Customer Centre's conditions and sorts give the same rows, counts and places."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import customer
from xoro_tui.data.customers.customer_list import customer_spec
from xoro_tui.data.customers.customer_repo import CustomerRepository
from xoro_tui.data.refunds.refund_list import refund_spec
from xoro_tui.data.refunds.refund_repo import RefundRepository
from xoro_tui.data.search import matching
from xoro_tui.data.search.list_query import Condition, Filter, WindowQuery
from xoro_tui.data.store.connection import write_tx

CUSTOMERS: list[dict[str, Any]] = [
    {"name": "Alpha Ltd", "email": "accounts@alpha.example", "phone": "+44 20 7946 0011",
     "bill_to_city": "London", "tags": ["wholesale"], "references": ["PO-778"]},
    {"name": "Zoë Ångström", "email": "zoe@example.se", "phone": "020 7946 0011",
     "bill_to_city": "Malmö", "sales_rep": "Ann Ek"},
    {"name": "Beta GmbH", "email": "info@beta.example", "phone": "(555) 123-4567",
     "bill_to_city": "Berlin", "type_name": "Retail"},
    {"name": "Smith & Sons", "email": "smith@sons.example", "phone": "555.987.6543",
     "bill_to_city": "Leeds", "brands": ["Acme"]},
    {"name": "100% Cotton Co", "email": "hello@cotton.example", "bill_to_city": "Lyon",
     "customer_group": "Textiles"},
    {"name": "Ab_Normal", "email": None, "phone": None, "bill_to_city": "São Paulo"},
]  # fmt: skip
MEMOS = ["Returned goods", "Overpaid twice", "Zoë asked", "cheque lost", None, "100% back"]

SEARCHES: list[tuple[str, str]] = [
    ("any", "alpha"), ("any", "zoe"), ("any", "ZOË"), ("any", "malmo"), ("any", "ex"),
    ("any", "a"), ("any", "20"), ("any", "%"), ("any", "_"), ("any", "0% c"),
    ("any", "2079460011"), ("any", "020 7946 0011"), ("any", "+44 20 7946 0011"),
    ("any", "555 123 4567"), ("any", "wholesale"), ("any", "po-778"), ("any", "nothing here"),
    ("any", "usd"), ("any", "paris"), ("any", "ann ek"), ("any", "textiles"), ("any", "acme"),
    ("name", "son"), ("name", "sm"), ("name", "ab"), ("email", "example"),
    ("email", "@alpha"), ("phone", "7946"), ("phone", "5551234567"), ("phone", "020 7946 0011"),
    ("bill_to_city", "lyon"), ("bill_to_city", "sao"), ("ship_to_city", "paris"),
    ("postal", "75001"), ("refs", "po-7"), ("sales_rep", "ann"), ("tags", "whole"),
    ("brands", "ac"), ("type_name", "ret"), ("customer_group", "tex"),
]  # fmt: skip
REFUND_SEARCHES: list[tuple[str, str]] = [
    ("any", "returned"), ("any", "zoe"), ("any", "re"), ("any", "%"), ("any", "alpha"),
    ("any", "usd"), ("any", "ach"), ("memo", "twice"), ("memo", "0% b"), ("memo", "e"),
    ("customer", "smith"), ("customer", "C-0003"), ("refund_number", "1"),
    ("created_by", "me"), ("reference", "ref-2"), ("status", "draft"), ("any", "nowhere"),
]  # fmt: skip


def _seed(db: Any) -> None:
    repo = RefundRepository(db, user="me")
    for n, fields in enumerate(CUSTOMERS, start=1):
        site = {"ship_to_city": "Paris", "ship_to_postal_code": "75001"} if n in (2, 4) else {}
        made = customer(db, account_number=f"C-{n:04d}", **fields, **site)
        repo.create(
            made.id, amount=1000 * n, currency="USD", refund_date="2026-01-0" + str(n),
            payment_method="ACH", memo=MEMOS[n - 1], reference=f"REF-{n}",
        )  # fmt: skip


@pytest.fixture
def both(db, pg_db) -> tuple[Any, Any]:
    _seed(db)
    _seed(pg_db)
    return db, pg_db


def _found(database: Any, spec: Any, key: str, field: str, term: str) -> list[str]:
    """The ``key`` of every row the list's quick search finds, in ``key`` order."""
    query = WindowQuery(database.conn, spec)
    flt = Filter(search=term, search_field=field)
    total = query.count(flt)
    rows = query.window(flt, (key, False), [key], 0, 100, total)
    assert len(rows) == total
    return [row[1] for row in rows]


def _customers(database: Any, field: str, term: str) -> list[str]:
    return _found(database, customer_spec(), "account_number", field, term)


def _refunds(database: Any, field: str, term: str) -> list[str]:
    return _found(database, refund_spec(), "refund_number", field, term)


def test_customer_searches_find_the_same_customers_on_both_engines(both) -> None:
    sqlite_db, pg_db = both
    for field, term in SEARCHES:
        on_sqlite = _customers(sqlite_db, field, term)
        assert _customers(pg_db, field, term) == on_sqlite, (field, term)
    assert _customers(pg_db, "any", "zoe") == ["C-0002"]
    assert _customers(pg_db, "phone", "020 7946 0011") == ["C-0001", "C-0002"]
    assert _customers(pg_db, "name", "sm") == ["C-0004"]
    assert _customers(pg_db, "postal", "75001") == ["C-0002", "C-0004"]
    assert _customers(pg_db, "any", "%") == ["C-0005"]


def test_refund_searches_find_the_same_refunds_on_both_engines(both) -> None:
    sqlite_db, pg_db = both
    for field, term in REFUND_SEARCHES:
        assert _refunds(pg_db, field, term) == _refunds(sqlite_db, field, term), (field, term)
    assert _refunds(pg_db, "any", "zoe") == ["RF-000002", "RF-000003"]  # customer, memo
    assert len(_refunds(pg_db, "memo", "0% b")) == 1


def test_a_deleted_customer_is_not_found_on_postgresql(both) -> None:
    _sqlite_db, pg_db = both
    repo = CustomerRepository(pg_db)
    (gone_id,) = pg_db.conn.execute(
        "SELECT id FROM customers WHERE account_number = 'C-0001'"
    ).fetchone()
    repo.delete(gone_id, repo.get(gone_id).version)
    assert _customers(pg_db, "any", "alpha") == []


def test_quick_add_offers_the_same_customers_on_both_engines(both) -> None:
    sqlite_db, pg_db = both
    for text in ("alpha", "020 7946 0011", "+44 20 7946 0011", "5551234567", "C-0003", "sm"):
        on_sqlite = [m.account_number for m in matching.likely_matches(sqlite_db, text)]
        assert [m.account_number for m in matching.likely_matches(pg_db, text)] == on_sqlite
    assert [m.reason for m in matching.likely_matches(pg_db, "5551234567")][0] == "same phone"


@pytest.mark.parametrize(
    ("field", "term", "index"),
    [
        ("name", "alpha", "customers_name_trgm"),
        ("email", "example", "customers_email_trgm"),
        ("account_number", "c-00", "customers_account_trgm"),
        ("phone", "5551234567", "customers_phone_digits_trgm"),
    ],
)
def test_a_field_search_on_postgresql_reads_its_trigram_index(
    pg_db, field: str, term: str, index: str
) -> None:
    """The search's expressions are those pg_extra.sql indexes (with the table scans
    priced out, as on a large table)."""
    from xoro_tui.data.customers.customer_list import pg_search_sql

    built = pg_search_sql(term, field)
    assert built is not None
    pg_db.conn.execute("SET enable_seqscan = off")
    pg_db.conn.raw.execute("SET enable_seqscan = off")  # one row: the index must be usable
    plan = "\n".join(
        str(row[0])
        for row in pg_db.conn.execute(
            f"EXPLAIN SELECT c.id FROM customers c WHERE {built[0]}", built[1]
        ).fetchall()
    )
    assert index in plan, plan


def test_any_field_follows_edits_and_reads_its_index_on_postgresql(pg_db) -> None:
    """Any Field reads each customer's kept search text: a rename, a new tag, a site and a
    deletion show in the next search, and the search is an index scan."""
    from xoro_tui.data.models.entities import CustomerIn

    repo = CustomerRepository(pg_db)
    made = customer(pg_db, account_number="K-1", name="Kestrel Ltd", tags=["falcon"])
    assert _customers(pg_db, "any", "kestrel") == ["K-1"]
    assert _customers(pg_db, "any", "falcon") == ["K-1"]
    current = repo.get(made.id)
    fields = current.model_dump(include=set(CustomerIn.model_fields))
    fields.update(name="Osprey Ltd", tags=["hawk"], ship_to_city="Quimper")
    repo.update(made.id, current.version, CustomerIn(**fields))
    assert _customers(pg_db, "any", "kestrel") == []
    assert _customers(pg_db, "any", "falcon") == []
    assert _customers(pg_db, "any", "osprey") == ["K-1"]
    assert _customers(pg_db, "any", "hawk") == ["K-1"]
    assert _customers(pg_db, "any", "quimper") == ["K-1"]
    pg_db.conn.raw.execute("SET enable_seqscan = off")  # one row: the index must be usable
    plan = "\n".join(
        r[0]
        for r in pg_db.conn.raw.execute(
            "EXPLAIN SELECT s.customer_id FROM customer_search s WHERE s.doc LIKE '%osprey%'"
        )
    )
    assert "customer_search_trgm" in plan
    repo.delete(made.id, repo.get(made.id).version)
    assert _customers(pg_db, "any", "osprey") == []


def test_redact_leaves_no_card_number_in_the_search_text(pg_db) -> None:
    """The kept search text follows what redact masks: no full card number stays there."""
    from xoro_tui.data.store.connection import write_tx
    from xoro_tui.data.store.redaction import redact

    made = customer(pg_db, account_number="R-1", name="Card holder")
    with write_tx(pg_db) as conn:  # as an older import left it: the form refuses it now
        conn.execute(
            "UPDATE customers SET name = 'Card 4111 1111 1111 1111' WHERE id = ?", (made.id,)
        )

    def texts() -> list[str]:
        return [r[0] for r in pg_db.conn.execute("SELECT doc FROM customer_search")]

    assert any("4111 1111 1111 1111" in t for t in texts())
    redact(pg_db)
    assert not any("4111 1111 1111 1111" in t for t in texts())
    assert _customers(pg_db, "any", "4111") == []


#: Advanced Search as the bench's rows use it (Open Balance > 1000; Type Name is Retail and
#: Customer Name starts with B), and forms reading other plans
CONDITIONS: list[Filter] = [
    Filter(),
    Filter(conditions=(Condition("open_balance", "gt", 1000.0),)),
    Filter(conditions=(Condition("open_balance", "gt", -1.0),)),  # nearly everyone
    Filter(conditions=(Condition("type_name", "eq", "Retail"), Condition("name", "starts", "B"))),
    Filter(conditions=(Condition("type_name", "eq", "retail"),)),
    Filter(conditions=(Condition("name", "starts", "a"), Condition("open_balance", "gt", 1000.0)),
           combine="or"),
    Filter(search="alpha", conditions=(Condition("open_balance", "ge", 0.0),)),
    Filter(conditions=(Condition("name", "starts", "zo"),)),
    Filter(conditions=(Condition("name", "starts", "100%"),)),
    Filter(conditions=(Condition("name", "starts", "Ab_"), Condition("email", "empty")),
           combine="or"),
]  # fmt: skip
SORTS: list[tuple[str, bool]] = [
    ("name", False), ("name", True), ("type_name", False), ("type_name", True),
    ("email", False), ("email", True), ("account_number", True), ("open_balance", False),
    ("open_balance", True), ("last_activity", True),
]  # fmt: skip


def _owe(database: Any, amounts: dict[str, tuple[str, int]]) -> None:
    """An invoice per account number: its currency and what is still owed (minor units)."""
    with write_tx(database) as conn:
        for number, (currency, owed) in amounts.items():
            conn.execute(
                "INSERT INTO documents(doc_type, number, customer_id, doc_date, currency, total,"
                " balance, created_at) SELECT 'invoice', ?, id, '2025-12-01', ?, ?, ?,"
                " '2025-12-01T00:00:00+00:00' FROM customers WHERE account_number = ?",
                (f"INV-{number}", currency, owed, owed, number),
            )


def _listed(database: Any, flt: Filter, sort: tuple[str, bool], total: int | None) -> list[Any]:
    query = WindowQuery(database.conn, customer_spec())
    return query.window(flt, sort, ["account_number", "name"], 0, 100, total)


def test_conditions_and_sorts_give_the_same_rows_on_both_engines(both) -> None:
    """Each condition and sort lists the same customers in the same order on PostgreSQL as
    on SQLite, whether the count is known (a big list's plans) or not yet (a first screen
    shown while counting); the counts and each row's place agree too."""
    owed = {"C-0001": ("USD", 250_000), "C-0003": ("EUR", 100_001), "C-0004": ("USD", 99_999),
            "C-0006": ("JPY", 5_000)}  # fmt: skip
    for database in both:
        _owe(database, owed)
    sqlite_db, pg_db = both
    for flt in CONDITIONS:
        count = WindowQuery(sqlite_db.conn, customer_spec()).count(flt)
        assert WindowQuery(pg_db.conn, customer_spec()).count(flt) == count, flt
        for sort in SORTS:
            expected = _listed(sqlite_db, flt, sort, count)
            for total in (None, count, 10**6):
                assert _listed(pg_db, flt, sort, total) == expected, (flt, sort, total)
            for key, *_ in expected:
                places = [WindowQuery(d.conn, customer_spec()).position(flt, sort, key)
                          for d in both]  # fmt: skip
                assert places[0] == places[1], (flt, sort, key)
    over = WindowQuery(pg_db.conn, customer_spec()).count(CONDITIONS[1])
    assert over == 3  # 2,500.00 USD, 1,000.01 EUR, 5,000 JPY (999.99 USD is not over)


@pytest.mark.parametrize(
    ("sort", "index"),
    [
        (("name", False), "customers_state_name|customers_name"),
        (("name", True), "customers_state_name|customers_name"),
        (("type_name", False), "customers_type"),
        (("email", True), "customers_email"),
    ],
)
def test_a_window_in_a_fields_order_reads_its_index_on_postgresql(
    pg_db, sort: tuple[str, bool], index: str
) -> None:
    """PostgreSQL's indexes hold SQLite's order (case aside where SQLite's index is
    NOCASE, then the row's id): a window is read off the index with no sort, ties and all."""
    for n in range(3):
        customer(pg_db, name=f"Same Name {n % 2}", type_name="Retail", email=f"s{n}@x.example")
    pg_db.conn.raw.execute("SET enable_seqscan = off")  # a few rows: priced as a large table
    pg_db.conn.raw.execute("SET enable_sort = off")
    seen: list[str] = []
    real = pg_db.conn.execute

    def explained(sql: str, params: Any = ()) -> Any:
        if sql.lstrip().upper().startswith("SELECT C.ID,") and "ORDER BY" in sql:
            seen.extend(str(r[0]) for r in real(f"EXPLAIN {sql}", params).fetchall())
        return real(sql, params)

    pg_db.conn.execute = explained
    try:
        WindowQuery(pg_db.conn, customer_spec()).window(Filter(), sort, ["name"], 0, 60, 10**6)
    finally:
        del pg_db.conn.execute
    plan = "\n".join(seen)
    assert any(f" {name} " in plan for name in index.split("|")), plan
    assert "Sort Key" not in plan, plan


def test_a_name_prefix_reads_the_name_index_on_postgresql(pg_db) -> None:
    """Customer Name starts with B is a range of the name index beside its ILIKE (which
    no index serves), on a database ordering text by its characters as the tests' does."""
    for n in range(3):
        customer(pg_db, name=f"Bee {n}", type_name="Retail")
    flt = Filter(
        conditions=(Condition("type_name", "eq", "Retail"), Condition("name", "starts", "b"))
    )
    query = WindowQuery(pg_db.conn, customer_spec())
    where, args = query._where(flt)
    pg_db.conn.raw.execute("SET enable_seqscan = off")  # a few rows: priced as a large table
    plan = "\n".join(
        str(row[0])
        for row in pg_db.conn.execute(
            f"EXPLAIN SELECT count(*) FROM customers c WHERE {where}", args
        ).fetchall()
    )
    assert "Index Cond" in plan and "::citext >= " in plan, plan
    assert query.count(flt) == 3
