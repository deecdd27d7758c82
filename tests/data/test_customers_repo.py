"""Saving customers: exact storage of foreign text, versions, audit rows, refusals."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from tests.factories import customer
from xoro_tui.data.customers.customer_repo import CustomerRepository
from xoro_tui.data.models.entities import CardIn, CustomerIn, errors_by_field
from xoro_tui.data.store import audit
from xoro_tui.data.store.connection import write_tx
from xoro_tui.data.store.errors import Invalid, StaleEdit
from xoro_tui.data.store.maintenance import integrity_check

FOREIGN_NAMES = [
    "Smith [/] Ltd",
    "[bold]ACME[/]",
    "[link=http://evil]x[/link]",
    "=SUM(A1:A9)",
    "+44 trading",
    "Robert'); DROP TABLE customers;--",
    'Quote "Inc"',
    "Ελληνική Εταιρεία ΑΕ",
    "株式会社テスト",
    "שלום בע״מ",
    "Zoë Ångström & Søn",
    "x" * 200,
]


@pytest.mark.parametrize("name", FOREIGN_NAMES)
def test_foreign_but_valid_names_are_stored_exactly(db, name: str) -> None:
    saved = customer(db, name=name)
    assert CustomerRepository(db).get(saved.id).name == name


@pytest.mark.parametrize("postal", ["114 55", "D02 X285", "100-0005", "LS1 4AP"])
def test_postal_codes_are_free_text_and_state_may_be_empty(db, postal: str) -> None:
    saved = customer(db, ship_to_postal_code=postal, ship_to_state="", ship_to_country="SE")
    again = CustomerRepository(db).get(saved.id)
    assert again.ship_to_postal_code == postal
    assert again.ship_to_state is None


@pytest.mark.parametrize("bad", ["Bad\x00Name", "Line\nBreak", "Esc\x1b[31m"])
def test_control_characters_in_a_name_are_refused(bad: str) -> None:
    with pytest.raises(ValidationError) as info:
        CustomerIn(account_number="C-1", name=bad)
    assert errors_by_field(info.value)[0][0] == "name"


def test_email_and_phone_rules() -> None:
    ok = CustomerIn(
        account_number="C-1", name="A", email="Someone@Example.COM", phone="+1 (555) 010-0199 x12"
    )
    assert ok.email == "Someone@example.com"
    for field, value in (("email", "not-an-email"), ("phone", "call me")):
        with pytest.raises(ValidationError) as info:
            CustomerIn(account_number="C-1", name="A", **{field: value})
        assert errors_by_field(info.value)[0][0] == field


def test_duplicate_email_and_phone_are_allowed(db) -> None:
    customer(db, email="same@example.com", phone="+44 20 5555 0106")
    customer(db, email="same@example.com", phone="+44 20 5555 0106")


def test_stale_save_is_refused_and_names_what_changed(db) -> None:
    repo = CustomerRepository(db)
    original = customer(db, name="Before")
    fields = original.model_dump(include=set(CustomerIn.model_fields))
    repo.update(original.id, original.version, CustomerIn(**{**fields, "name": "Theirs"}))
    with pytest.raises(StaleEdit) as info:
        repo.update(original.id, original.version, CustomerIn(**{**fields, "name": "Mine"}))
    assert "changed by someone else" in str(info.value)
    assert any("'Before' → 'Theirs'" in line for line in info.value.changes)
    assert repo.get(original.id).name == "Theirs"


def test_every_change_writes_an_audit_row_with_old_and_new(db) -> None:
    repo = CustomerRepository(db)
    saved = customer(db, name="Old Name", tags="vip")
    fields = saved.model_dump(include=set(CustomerIn.model_fields))
    repo.update(saved.id, saved.version, CustomerIn(**{**fields, "name": "New Name"}))
    rows = db.conn.execute(
        "SELECT user, action, changes FROM audit_log WHERE record_key = ? ORDER BY id",
        (saved.account_number,),
    ).fetchall()
    assert [r[1] for r in rows] == ["insert", "update"]
    assert json.loads(rows[1][2]) == {"name": ["Old Name", "New Name"]}
    assert rows[0][0]


def test_audit_log_is_append_only(db) -> None:
    import sqlite3

    customer(db)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.conn.execute("UPDATE audit_log SET user = 'someone else'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.conn.execute("DELETE FROM audit_log")


def test_a_write_rolled_back_after_its_audit_row_leaves_the_check_clean(db) -> None:
    """A save that fails after writing its audit row takes the row back with it; ``check``
    must not call the id it used (which PostgreSQL's sequence never gives back) deleted."""
    customer(db, name="Before")
    with pytest.raises(RuntimeError), write_tx(db) as conn:
        audit.record(conn, "customers", "GONE-1", "update", {"name": ["a", "b"]}, user="me")
        raise RuntimeError("the save failed after its audit row")
    customer(db, name="After")
    assert (
        db.conn.execute("SELECT count(*) FROM audit_log WHERE record_key = 'GONE-1'").fetchone()[0]
        == 0
    )
    assert integrity_check(db) == []


def test_account_number_of_a_deleted_customer_stays_reserved(db) -> None:
    repo = CustomerRepository(db)
    saved = customer(db)
    repo.delete(saved.id, saved.version)
    with pytest.raises(Invalid, match="deleted; restore it first"):
        repo.create(CustomerIn(account_number=saved.account_number, name="Reuse"))


@pytest.mark.parametrize(
    "fields",
    [
        {"brand": "Visa", "last4": "4111111111111111", "exp_month": 1, "exp_year": 2030},
        {"brand": "Visa", "last4": "1111", "exp_month": 1, "exp_year": 2030, "cvv": "123"},
        {
            "brand": "Visa",
            "last4": "1111",
            "exp_month": 1,
            "exp_year": 2030,
            "card_number": "4111 1111 1111 1111",
        },
        {
            "brand": "Visa",
            "last4": "1111",
            "exp_month": 1,
            "exp_year": 2030,
            "cardholder": "4111 1111 1111 1111",
        },
    ],
)
def test_a_full_card_number_or_cvv_is_refused(fields: dict) -> None:
    with pytest.raises(ValidationError, match="never stored|full card number"):
        CardIn(**fields)


def test_saved_card_keeps_only_brand_last4_and_expiry(db) -> None:
    saved = customer(db)
    CustomerRepository(db).add_card(
        saved.id, CardIn(brand="Visa", last4="4242", exp_month=12, exp_year=2030)
    )
    row = db.conn.execute("SELECT * FROM saved_cards").fetchone()
    assert "4242" in row and not any(
        isinstance(v, str) and len(v) > 12 and v.isdigit() for v in row
    )
