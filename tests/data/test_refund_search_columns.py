"""The Refund Centre's quick search reaches its columns: each refund below is found by one
value only, through Any Field and through that column in the field chooser. Columns with a
handful of values (currency, status, payment method, refund account) are named by a whole
value or one of its words, and looked up through their own indexes."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import customer
from xoro_tui.data.customers.sales_documents import DocumentRepository
from xoro_tui.data.models.choices import DocumentType, RefundStatus
from xoro_tui.data.models.entities import DocumentIn
from xoro_tui.data.refunds.refund_list import FIELDS, SEARCH_FIELDS, TEXT_SEARCH_FIELDS, refund_spec
from xoro_tui.data.refunds.refund_repo import RefundRepository, RefundUpdate
from xoro_tui.data.search.list_query import Filter, WindowQuery, where_sql

DAY = dt.date(2024, 5, 1)
#: text columns the quick search does not reach yet
NOT_YET: set[str] = set()


def found(db, term: str, field: str = "any") -> set[str]:
    """References of the refunds a quick search lists (window, count and SQL agree)."""
    query = WindowQuery(db.conn, refund_spec())
    flt = Filter(search=term, search_field=field)
    total = query.count(flt)
    rows = query.window(flt, None, ["reference"], 0, 100, total)
    where, args = where_sql(refund_spec(), flt)
    exact = db.conn.execute(f"SELECT count(*) FROM refunds r WHERE {where}", args).fetchone()
    assert total == len(rows) == exact[0]
    return {row[1] for row in rows}


@pytest.fixture
def refunds(db):
    """Refunds alike (USD, ACH, Draft, account Main) but for one value each."""
    repo = RefundRepository(db, user="me")
    repo.add_refund_account("Main", "First Bank", "123-456", 1001)
    repo.add_refund_account("Harbour Fund", "Sea Bank", "789-000", 5001)
    who = customer(db, name="Alike Ltd")
    fields = {"amount": 1000, "currency": "USD", "refund_date": DAY, "payment_method": "ACH",
              "refund_account": "Main"}  # fmt: skip

    def make(reference: str, **kw):
        return repo.create(who.id, **{**fields, "reference": reference, **kw})

    make("plain")
    make("by-currency", currency="SEK")
    make("by-method", payment_method="Cash")
    make("by-account", refund_account="Harbour Fund")
    approved = make("by-status")
    for status in (RefundStatus.PENDING_APPROVAL, RefundStatus.APPROVED):
        approved = repo.update(approved.id, approved.version, RefundUpdate(status=status))
    deposit = DocumentRepository(db).create(
        DocumentIn(doc_type=DocumentType.CUSTOMER_DEPOSIT, customer_id=who.id, doc_date=DAY,
                   currency="USD", total=50000)
    )  # fmt: skip
    make("by-source", source_document_id=deposit.id)
    return db, deposit.number


@pytest.mark.parametrize(
    ("field", "typed", "reference"),
    [
        ("currency", "sek", "by-currency"),
        ("payment_method", "CASH", "by-method"),
        ("refund_account", "harbour fund", "by-account"),
        ("refund_account", "Harbour", "by-account"),
        ("status", "approved", "by-status"),
    ],
)
def test_each_value_finds_its_refund_through_any_field_and_its_own(
    refunds, field: str, typed: str, reference: str
) -> None:
    db, _number = refunds
    assert field in SEARCH_FIELDS
    assert found(db, typed) == {reference}
    assert found(db, typed, field) == {reference}
    assert found(db, typed, "reference") == set()


def test_a_source_document_by_its_number(refunds) -> None:
    db, number = refunds
    assert found(db, number) == {"by-source"}
    assert found(db, number.lower(), "source_document") == {"by-source"}


def test_a_part_of_a_word_names_no_value(refunds) -> None:
    db, _number = refunds
    assert found(db, "cas") == set()  # on the way to "casey", not every cash refund
    assert found(db, "harb") == set()
    assert found(db, "se", "currency") == set()


def test_every_text_column_is_searched_or_named_as_not_yet() -> None:
    texts = {k for k, f in FIELDS.items() if f.kind in ("text", "lookup")}
    # the customer's account number is searched with the customer's name (one column)
    reached = {*TEXT_SEARCH_FIELDS, *SEARCH_FIELDS, "customer_account_number"}
    assert texts - reached == NOT_YET


@pytest.fixture
def free_text(db):
    """Refunds alike but for one free-text value each: a memo, a void reason, a creator and
    an approver no other refund has (the others are made and approved by other users)."""
    fields = {"amount": 1000, "currency": "USD", "refund_date": DAY, "payment_method": "ACH"}
    who = customer(db, name="Alike Ltd")
    clerk = RefundRepository(db, user="me")

    def make(reference: str, repo: RefundRepository = clerk, **kw):
        return repo.create(who.id, **{**fields, "reference": reference, **kw})

    make("plain", memo="Overpayment")
    make("by-memo", memo="Quokka Reimbursement (Mañana)")
    voided = make("by-void-reason")
    clerk.void(voided.id, voided.version, "Wombat chewed the cheque")
    make("by-created-by", RefundRepository(db, user="zelda.k"))
    approved = make("by-approved-by")
    approved = clerk.update(approved.id, approved.version,
                            RefundUpdate(status=RefundStatus.PENDING_APPROVAL))  # fmt: skip
    RefundRepository(db, user="yvonne.p").update(
        approved.id, approved.version, RefundUpdate(status=RefundStatus.APPROVED)
    )
    return db


#: (chooser field, typed, the one refund it finds): the value is the only way to it
FREE_TEXT = [
    ("memo", "quokka", "by-memo"),
    ("memo", "MANANA", "by-memo"),  # folded: case and accents aside
    ("void_reason", "wombat chewed", "by-void-reason"),
    ("created_by", "zelda", "by-created-by"),
    ("approved_by", "YVONNE", "by-approved-by"),
]


@pytest.mark.parametrize(("field", "typed", "reference"), FREE_TEXT)
def test_free_text_finds_its_refund_through_any_field_and_its_own(
    free_text, field: str, typed: str, reference: str
) -> None:
    db = free_text
    assert SEARCH_FIELDS[field] == FIELDS[field].title
    assert found(db, typed) == {reference}
    assert found(db, typed, field) == {reference}
    for other in ("reference", "customer", *(f for f, _t, _r in FREE_TEXT if f != field)):
        assert found(db, typed, other) == set(), other


def test_short_searches_read_every_column(free_text) -> None:
    """One or two letters: the folded text of each column, literally (``%`` is no wildcard)."""
    db = free_text
    assert found(db, "yv") == {"by-approved-by"}
    assert found(db, "zk") == set()
    assert found(db, "a.", "created_by") == {"by-created-by"}
    assert found(db, "%") == set()


def test_existing_columns_find_what_they_found(free_text) -> None:
    db = free_text
    assert found(db, "by-memo", "reference") == {"by-memo"}
    assert len(found(db, "alike", "customer")) == 5
    assert found(db, "overpayment", "reference") == set()


def test_found_by_its_text_and_a_value_it_names_is_counted_once(refunds) -> None:
    db, _number = refunds
    repo = RefundRepository(db, user="me")
    who = customer(db, name="Other Ltd")
    fields = {"amount": 500, "currency": "USD", "refund_date": DAY, "refund_account": "Main"}
    repo.create(who.id, **fields, payment_method="Cash", memo="Paid in cash", reference="both")
    repo.create(who.id, **fields, payment_method="ACH", memo="cash back", reference="memo")
    assert found(db, "cash") == {"by-method", "both", "memo"}
    assert found(db, "cash", "payment_method") == {"by-method", "both"}
    assert found(db, "cash", "memo") == {"both", "memo"}
