"""Quick search over every text column: each customer below is found by one value only,
through Any Field and through that value's own field; phone numbers by their digits;
and the search stays exact after saves change what a customer is found by."""

from __future__ import annotations

import pytest

from tests.factories import customer
from xoro_tui.data.customers.customer_list import FIELDS, SEARCH_FIELDS, customer_spec
from xoro_tui.data.customers.customer_repo import CustomerRepository
from xoro_tui.data.models.entities import CustomerIn
from xoro_tui.data.search.list_query import Filter, WindowQuery, where_sql
from xoro_tui.data.search.phones import typed_phone_digits
from xoro_tui.data.search.search_sync import SEARCH_COLUMNS
from xoro_tui.data.store.connection import is_postgres

#: (field offered by the chooser, what is typed, the customer's values that hold it)
ONLY_WAY: list[tuple[str, str, dict]] = [
    ("sales_rep", "Greta Holm", {"sales_rep": "Greta Holm"}),
    ("ship_to_city", "Malmö", {"ship_to_city": "Malmö", "ship_to_country": "Sweden"}),
    ("tags", "Quokka Club", {"tags": ["Quokka Club"]}),
    ("brands", "Zebrawood", {"brands": ["Zebrawood"]}),
    ("references", "PO-778899", {"references": ["PO-778899"]}),
    ("phone", "2079460011", {"phone": "+44 20 7946 0011"}),
    ("bill_to_city", "Trondheim", {"bill_to_city": "Trondheim"}),
    ("payment_terms", "Net 97", {"payment_terms": "Net 97"}),
]


def found(db, term: str, field: str = "any") -> set[str]:
    """Names in the Centre's list for a quick search (the window and the count agree)."""
    query = WindowQuery(db.conn, customer_spec())
    flt = Filter(search=term, search_field=field)
    total = query.count(flt)
    rows = query.window(flt, None, ["name"], 0, 100, total)
    where, args = where_sql(customer_spec(), flt, postgres=is_postgres(db.conn))
    exact = db.conn.execute(f"SELECT count(*) FROM customers c WHERE {where}", args).fetchone()
    assert total == len(rows) == exact[0]
    return {row[1] for row in rows}


@pytest.fixture
def only_ways(db):
    customer(db, name="Plain Ltd", phone="555 0100")
    for field, _typed, values in ONLY_WAY:
        customer(db, name=f"Only {field}", **values)
    return db


@pytest.mark.parametrize(("field", "typed"), [(f, t) for f, t, _ in ONLY_WAY])
def test_each_value_finds_its_customer_through_any_field_and_its_own(
    only_ways, field: str, typed: str
) -> None:
    assert field in SEARCH_FIELDS
    assert found(only_ways, typed) == {f"Only {field}"}
    assert found(only_ways, typed.upper(), field) == {f"Only {field}"}
    assert found(only_ways, typed, "name") == set()


def test_the_chooser_offers_every_text_column_and_the_index_holds_one_each() -> None:
    texts = {f.title for f in FIELDS.values() if f.kind in ("text", "lookup")}
    offered = set(SEARCH_FIELDS.values())
    # the postal code is offered as before, by its old key
    assert texts - {"Ship To Postal/Zip"} <= offered
    assert "Cur" in offered
    assert {"Sales Rep", "Ship To City", "Tags", "Brands", "References"} <= offered
    assert len(SEARCH_COLUMNS) == len(set(SEARCH_COLUMNS))


def test_every_site_of_a_customer_is_searched(db) -> None:
    made = customer(db, name="Nordic Depots AB", ship_to_city="Lund")
    db.conn.execute(
        "INSERT INTO sites(customer_id, name, line1, city, postal_code, country, is_default,"
        " created_at) VALUES (?, 'Depot', 'Hamngatan 4', 'Malmö', '211 22', 'Sweden', 0, 'x')",
        (made.id,),
    )
    db.conn.commit()
    assert found(db, "malmo") == {"Nordic Depots AB"}
    assert found(db, "Hamngatan", "ship_to_line1") == {"Nordic Depots AB"}
    assert found(db, "lund", "ship_to_city") == {"Nordic Depots AB"}


@pytest.mark.parametrize(
    "typed",
    ["2079460011", "+44 20 7946 0011", "0044 20 7946 0011", "+44 (20) 7946-0011",
     "020 7946 0011", "(020) 7946-0011", "020-7946-0011", "7946 0011", "79460011"],
)  # fmt: skip
@pytest.mark.parametrize("field", ["any", "phone"])
def test_phone_found_however_it_is_typed(db, typed: str, field: str) -> None:
    customer(db, name="Stored International", phone="+44 20 7946 0011")
    customer(db, name="Stored National", phone="020 7946 0011")
    customer(db, name="Stored Dashes", phone="(020) 7946-0011")
    customer(db, name="Someone Else", phone="+44 20 7946 0999")
    names = found(db, typed, field)
    assert "Someone Else" not in names
    assert "Stored International" in names or typed.startswith(("020", "(020)"))
    if not typed.startswith(("+", "00")):
        assert {"Stored National", "Stored Dashes"} <= names


def test_typed_phone_digits() -> None:
    assert typed_phone_digits("+44 (20) 7946-0011") == "442079460011"
    assert typed_phone_digits("0044 20 7946 0011") == "442079460011"
    assert typed_phone_digits("020 7946 0011") == "2079460011"
    assert typed_phone_digits("000123") == "000123"  # too few digits left to strip
    assert typed_phone_digits("C-000123") is None
    assert typed_phone_digits("12 34") is None


def test_an_account_number_is_not_taken_for_a_phone(db) -> None:
    customer(db, name="By Account", account_number="A-700123")
    customer(db, name="By Phone", phone="700 123 4")
    assert found(db, "700123", "account_number") == {"By Account"}
    assert found(db, "700123") == {"By Account", "By Phone"}


def _save(db, customer_id: int, **changes) -> None:
    repo = CustomerRepository(db)
    current = repo.get(customer_id)
    fields = current.model_dump(include=set(CustomerIn.model_fields))
    repo.update(customer_id, current.version, CustomerIn.model_validate({**fields, **changes}))


def test_saves_keep_the_search_exact(db) -> None:
    made = customer(db, name="Moving Co", ship_to_city="Malmö", tags=["Quokka Club"],
                    sales_rep="Greta Holm", brands=["Zebrawood"])  # fmt: skip
    customer(db, name="Bystander")
    assert found(db, "malmö") == found(db, "quokka") == {"Moving Co"}
    _save(db, made.id, ship_to_city="Göteborg", tags=["Wombat Society"])
    assert found(db, "malmö") == set()
    assert found(db, "malmö", "ship_to_city") == set()
    assert found(db, "quokka") == set()
    assert found(db, "quokka", "tags") == set()
    assert found(db, "goteborg") == found(db, "Göteborg", "ship_to_city") == {"Moving Co"}
    assert found(db, "wombat") == found(db, "WOMBAT", "tags") == {"Moving Co"}
    _save(db, made.id, sales_rep="Ivo Stanek", brands=[], references=["LEGACY-42"])
    assert found(db, "greta holm") == found(db, "zebrawood") == set()
    assert found(db, "ivo stanek", "sales_rep") == {"Moving Co"}
    assert found(db, "legacy-42", "references") == found(db, "legacy-42", "refs") == {"Moving Co"}
    assert found(db, "moving", "references") == set()
    if is_postgres(db.conn):
        return  # no FTS5 there: Any Field reads customer_search, kept by its own triggers
    db.conn.execute("INSERT INTO customer_fts(customer_fts) VALUES ('integrity-check')")
    columns = ", ".join(SEARCH_COLUMNS)
    stale = db.conn.execute(
        f"SELECT count(*) FROM (SELECT id, {columns} FROM customer_search_source "
        f"EXCEPT SELECT rowid, {columns} FROM customer_fts)"
    ).fetchone()[0]
    assert stale == 0


def test_a_customer_found_by_its_currency_alone(db) -> None:
    """Cur, a column of a few codes, is looked up by a code typed whole, not indexed."""
    import datetime as dt

    from xoro_tui.data.customers.sales_documents import DocumentRepository
    from xoro_tui.data.models.choices import DocumentType
    from xoro_tui.data.models.entities import DocumentIn

    docs = DocumentRepository(db)
    for name, currency in (("Dollar Ltd", "USD"), ("Krona AB", "SEK"), ("Nothing Yet", None)):
        made = customer(db, name=name)
        if currency:
            docs.create(DocumentIn(doc_type=DocumentType.INVOICE, customer_id=made.id,
                                   doc_date=dt.date(2024, 5, 1), currency=currency, total=100))  # fmt: skip
    assert found(db, "sek") == {"Krona AB"}
    assert found(db, "SEK", "currency") == {"Krona AB"}
    assert found(db, "usd", "currency") == {"Dollar Ltd"}
    assert found(db, "se", "currency") == set() and found(db, "krona", "currency") == set()
    assert found(db, "krona") == {"Krona AB"}  # the name still found as before
