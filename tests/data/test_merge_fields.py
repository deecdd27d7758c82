"""Merge field by field: the choices offered, picks, distinct site names, and undo of all."""

from __future__ import annotations

import pytest

from tests.factories import customer
from xoro_tui.data.customers.customer_repo import CustomerRepository
from xoro_tui.data.customers.customer_writes import snapshot
from xoro_tui.data.customers.merge import merge, merge_preview, undo_merge
from xoro_tui.data.customers.merge_fields import MERGE_FIELDS
from xoro_tui.data.store.errors import Refused


def site_names(db, customer_id: int) -> list[str]:
    return [s.name for s in CustomerRepository(db).sites(customer_id)]


@pytest.fixture
def pair(db):
    p = customer(db, name="Primary Co", email="p@example.com", phone="555 0100",
                 bill_to_city="Paris", ship_to_line1="1 P St", is_restricted=False)  # fmt: skip
    a = customer(db, name="Alpha Ltd", email="a@example.com", phone="555 0100",
                 bill_to_line1="2 A Rd", bill_to_city="Leeds", sales_rep="Ann",
                 ship_to_line1="2 A Rd", is_restricted=True)  # fmt: skip
    return p, a


def test_the_preview_offers_only_fields_that_differ(db, pair) -> None:
    p, a = pair
    preview = merge_preview(db, p.id, [a.id])
    by_key = {c.key: c for c in preview.choices}
    assert set(by_key) == {"name", "email", "bill_to", "is_restricted"}
    email = by_key["email"]
    assert [(o.account_number, o.values["email"]) for o in email.options] == [
        (p.account_number, "p@example.com"),
        (a.account_number, "a@example.com"),
    ]
    assert email.default == 0  # the primary's
    assert by_key["bill_to"].options[1].values["bill_to_line1"] == "2 A Rd"
    # an empty field of the primary is not a choice: it takes the value that exists
    assert preview.merged_fields()["sales_rep"] == ("Ann", a.account_number)
    picked = preview.merged_fields({"email": a.id})
    assert picked["email"] == ("a@example.com", a.account_number)


def test_picks_take_the_other_value_and_undo_restores_every_field(db, pair) -> None:
    p, a = pair
    before_p, before_a = snapshot(db.conn, p.id), snapshot(db.conn, a.id)
    result = merge(db, p.id, [a.id], picks={"email": a.id, "bill_to": a.id, "name": p.id})
    merged = CustomerRepository(db).get(p.id)
    assert merged.email == "a@example.com"
    assert (merged.bill_to_line1, merged.bill_to_city) == ("2 A Rd", "Leeds")  # whole group
    assert merged.name == "Primary Co" and merged.phone == "555 0100"
    assert merged.sales_rep == "Ann" and merged.is_restricted is False
    assert result.filled["email"] == ("a@example.com", a.account_number)

    report = undo_merge(db, result.merge_id)
    assert {"email", "bill_to_line1", "bill_to_city", "sales_rep"} <= set(report.restored_fields)
    after_p, after_a = snapshot(db.conn, p.id), snapshot(db.conn, a.id)
    for f in MERGE_FIELDS:
        assert after_p[f] == before_p[f], f
        assert after_a[f] == before_a[f], f
    assert after_a["state"] == "active"


def test_a_bad_pick_is_refused_and_changes_nothing(db, pair) -> None:
    p, a = pair
    other = customer(db, name="Outsider")
    with pytest.raises(Refused, match="not one of the customers"):
        merge(db, p.id, [a.id], picks={"email": other.id})
    with pytest.raises(Refused, match="not a field"):
        merge(db, p.id, [a.id], picks={"credit": a.id})
    with pytest.raises(Refused, match="has no type name"):
        merge(db, p.id, [a.id], picks={"type_name": a.id})
    assert CustomerRepository(db).get(a.id).state == "active"
    assert db.conn.execute("SELECT count(*) FROM merges").fetchone()[0] == 0


def test_without_picks_the_primary_keeps_its_values(db, pair) -> None:
    p, a = pair
    merge(db, p.id, [a.id])
    merged = CustomerRepository(db).get(p.id)
    assert (merged.name, merged.email, merged.bill_to_city) == (
        "Primary Co",
        "p@example.com",
        "Paris",
    )
    assert merged.bill_to_line1 is None and merged.is_restricted is False


def test_sites_of_one_name_get_distinct_names_and_undo_puts_them_back(db, pair) -> None:
    p, a = pair
    b = customer(db, name="Beta", ship_to_line1="3 B Way")
    assert site_names(db, p.id) == site_names(db, a.id) == site_names(db, b.id) == ["Default"]
    preview = merge_preview(db, p.id, [a.id, b.id])
    assert preview.site_renames == [
        (a.account_number, "Default", f"Default ({a.account_number})"),
        (b.account_number, "Default", f"Default ({b.account_number})"),
    ]
    result = merge(db, p.id, [a.id, b.id])
    names = site_names(db, p.id)
    assert sorted(names) == sorted(
        ["Default", f"Default ({a.account_number})", f"Default ({b.account_number})"]
    )
    assert len({n.casefold() for n in names}) == len(names)
    undo_merge(db, result.merge_id)
    assert site_names(db, p.id) == ["Default"]
    assert site_names(db, a.id) == site_names(db, b.id) == ["Default"]
    # the moved-back site is the default again
    assert [s.is_default for s in CustomerRepository(db).sites(a.id)] == [True]
