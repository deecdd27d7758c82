"""A new document starts in its kind's status and, unless told otherwise, in the currency
the customer is billed in."""

from __future__ import annotations

import pytest

from tests.factories import customer
from xoro_tui.data.customers.billing_currency import country_currency, customer_currency
from xoro_tui.data.customers.sales_documents import DocumentRepository
from xoro_tui.data.models.choices import DocumentType
from xoro_tui.data.models.entities import DocumentIn, LineIn

DAY = "2026-11-23"


@pytest.mark.parametrize(
    ("doc_type", "status", "balance"),
    [
        (DocumentType.ESTIMATE, "Open", 0),
        (DocumentType.SALES_ORDER, "Open", 0),
        (DocumentType.INVOICE, "Open", 1250),
        (DocumentType.SALES_RECEIPT, "Paid", 0),
        (DocumentType.CUSTOMER_DEPOSIT, "Open", 1250),
        (DocumentType.CREDIT_MEMO, "Open", 1250),
    ],
)
def test_each_kind_starts_in_its_status_in_the_customers_currency(
    db, doc_type: DocumentType, status: str, balance: int
) -> None:
    german = customer(db, name="Berlin GmbH", bill_to_country="Germany")
    if doc_type in (DocumentType.CUSTOMER_DEPOSIT, DocumentType.CREDIT_MEMO):
        data = DocumentIn(doc_type=doc_type, customer_id=german.id, doc_date=DAY, total=1250)
    else:
        line = LineIn(item="Bolt", quantity="1", rate=1250)
        data = DocumentIn(doc_type=doc_type, customer_id=german.id, doc_date=DAY, lines=[line])
    saved = DocumentRepository(db).create(data)
    assert (saved.status, saved.currency, saved.balance) == (status, "EUR", balance)


def test_an_invoice_of_nothing_is_paid(db) -> None:
    c = customer(db)
    line = LineIn(item="Free sample", quantity="1", rate=0)
    data = DocumentIn(doc_type=DocumentType.INVOICE, customer_id=c.id, doc_date=DAY, lines=[line])
    assert DocumentRepository(db).create(data).status == "Paid"


def test_a_named_currency_wins(db) -> None:
    german = customer(db, bill_to_country="DE")
    data = DocumentIn(
        doc_type=DocumentType.CUSTOMER_DEPOSIT,
        customer_id=german.id,
        doc_date=DAY,
        currency="GBP",
        total=100,
    )
    assert DocumentRepository(db).create(data).currency == "GBP"


def test_billing_currency_comes_from_sales_then_country_then_other_documents(db) -> None:
    repo = DocumentRepository(db)
    irish = customer(db, bill_to_country="Ireland")
    assert customer_currency(db.conn, irish.id) == "EUR"
    # a credit memo in USD does not say what the customer is billed in
    repo.create(
        DocumentIn(
            doc_type=DocumentType.CREDIT_MEMO,
            customer_id=irish.id,
            doc_date=DAY,
            currency="USD",
            total=5,
        )
    )
    assert customer_currency(db.conn, irish.id) == "EUR"
    # an invoice does
    repo.create(
        DocumentIn(
            doc_type=DocumentType.INVOICE,
            customer_id=irish.id,
            doc_date=DAY,
            currency="GBP",
            lines=[LineIn(item="x", rate=1)],
        )
    )
    assert customer_currency(db.conn, irish.id) == "GBP"
    nowhere = customer(db, ship_to_country="Sweden")
    assert customer_currency(db.conn, nowhere.id) == "SEK"  # the ship-to site's country
    unknown = customer(db, bill_to_country="Atlantis")
    assert customer_currency(db.conn, unknown.id) == "USD"


@pytest.mark.parametrize(
    ("country", "currency"),
    [("Germany", "EUR"), (" united  kingdom ", "GBP"), ("jp", "JPY"), ("", None), (None, None)],
)
def test_country_currency(country: str | None, currency: str | None) -> None:
    assert country_currency(country) == currency
