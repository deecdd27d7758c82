"""Batch Update: preview, one transaction with journal and audit, modes, undo, the size limit."""

from __future__ import annotations

import json

import pytest

from tests.factories import customer
from xoro_tui.data.customers import batch
from xoro_tui.data.customers.batch import (
    BATCH_COLUMNS,
    batch_preview,
    batch_update,
    last_batches,
    undo_batch,
)
from xoro_tui.data.customers.customer_list import customer_spec
from xoro_tui.data.customers.customer_repo import CustomerRepository
from xoro_tui.data.customers.lookups import names
from xoro_tui.data.models.entities import CustomerIn
from xoro_tui.data.search.list_query import Filter, WindowQuery
from xoro_tui.data.store.errors import Invalid, Refused


def audit_rows(db, action: str) -> list[tuple[str, dict]]:
    return [
        (key, json.loads(changes))
        for key, changes in db.conn.execute(
            "SELECT record_key, changes FROM audit_log WHERE action = ? ORDER BY id", (action,)
        )
    ]


def test_the_columns_offered() -> None:
    assert list(BATCH_COLUMNS) == [
        "Sales Rep",
        "Default Payment Method",
        "Show Invoice Credit Deposit on Portal?",
        "Payment Terms",
        "Customer Group",
        "Order Type",
        "Tags",
        "Default Shipping Terms",
        "Is Restricted",
        "Brands",
        "Is Active",
    ]
    assert BATCH_COLUMNS["Default Shipping Terms"].lookup == "shipping_terms"
    assert BATCH_COLUMNS["Is Restricted"].kind == "bool"
    assert BATCH_COLUMNS["Tags"].kind == "multi"


def test_sales_rep_for_a_filter_with_preview_journal_audit_and_undo(db) -> None:
    a = customer(db, sales_rep="Ann")
    b = customer(db, sales_rep="Bob")
    c = customer(db)
    gone = customer(db, sales_rep="Ann")
    CustomerRepository(db).delete(gone.id, gone.version)
    all_ids = WindowQuery(db.conn, customer_spec()).keys(Filter(), batch=2)
    preview = batch_preview(db, "Sales Rep", "bob", [a.id, b.id, c.id, gone.id])
    assert (preview.selected, preview.changing, preview.refused) == (3, 2, None)

    result = batch_update(db, "Sales Rep", "Cy", all_ids)
    assert (result.changed, result.unchanged) == (3, 0)
    assert "Cy" in names(db.conn, "sales_reps")  # a new value joins the lookup
    repo = CustomerRepository(db)
    assert [repo.get(i).sales_rep for i in (a.id, b.id, c.id)] == ["Cy", "Cy", "Cy"]
    assert repo.get(gone.id).sales_rep == "Ann"  # deleted: not in the Centre, not touched
    assert repo.get(a.id).version == a.version + 1
    rows = audit_rows(db, "batch_update")
    assert (a.account_number, {"sales_rep": ["Ann", "Cy"]}) in rows and len(rows) == 3
    [summary] = last_batches(db, 5)
    assert (summary.customers, summary.field, summary.undone_at) == (3, "sales_rep", None)

    # an edit made since wins over the undo
    edited = repo.get(b.id)
    data = edited.model_dump(include=set(CustomerIn.model_fields))
    repo.update(b.id, edited.version, CustomerIn(**{**data, "sales_rep": "Dee"}))
    undone = undo_batch(db, result.batch_id)
    assert (undone.changed, undone.unchanged) == (2, 1)
    assert [repo.get(i).sales_rep for i in (a.id, b.id, c.id)] == ["Ann", "Dee", None]
    assert (c.account_number, {"sales_rep": ["Cy", None]}) in audit_rows(db, "undo_batch")
    with pytest.raises(Refused, match="already undone"):
        undo_batch(db, result.batch_id)


def test_bool_columns_take_yes_and_no(db) -> None:
    a = customer(db)
    b = customer(db, is_restricted=True)
    assert batch_preview(db, "Is Restricted", "Yes", [a.id, b.id]).changing == 1
    result = batch_update(db, "is_restricted", "yes", [a.id, b.id])
    assert result.changed == 1
    assert CustomerRepository(db).get(a.id).is_restricted is True
    batch_update(db, "Show Invoice Credit Deposit on Portal?", True, [a.id])
    assert CustomerRepository(db).get(a.id).show_invoice_credit_deposit_on_portal is True
    undo_batch(db, result.batch_id)
    assert CustomerRepository(db).get(a.id).is_restricted is False
    with pytest.raises(Invalid):
        batch_update(db, "Is Active", "maybe", [a.id])


def test_tags_replace_add_remove_and_undo(db) -> None:
    a = customer(db, tags=["vip", "old"])
    b = customer(db, tags=["old"])
    c = customer(db)
    ids = [a.id, b.id, c.id]
    repo = CustomerRepository(db)
    added = batch_update(db, "Tags", "VIP", ids, mode="add")  # matched in any case
    assert added.changed == 2
    assert [repo.get(i).tags for i in ids] == [["old", "vip"], ["old", "vip"], ["vip"]]
    removed = batch_update(db, "Tags", ["old"], ids, mode="remove")
    assert removed.changed == 2
    assert [repo.get(i).tags for i in ids] == [["vip"], ["vip"], ["vip"]]
    replaced = batch_update(db, "Brands", "Acme|Zed", ids, mode="replace")
    assert replaced.changed == 3 and repo.get(c.id).brands == ["Acme", "Zed"]
    undo_batch(db, removed.batch_id)
    assert [repo.get(i).tags for i in ids] == [["old", "vip"], ["old", "vip"], ["vip"]]
    with pytest.raises(Invalid, match="replaced"):
        batch_update(db, "Sales Rep", "Ann", ids, mode="add")


def test_nothing_to_change_leaves_no_batch(db) -> None:
    a = customer(db, sales_rep="Ann")
    result = batch_update(db, "Sales Rep", "Ann", [a.id])
    assert (result.batch_id, result.changed) == (None, 0)
    assert last_batches(db) == []


def test_progress_is_reported(db) -> None:
    ids = [customer(db).id for _ in range(3)]
    seen: list[tuple[int, int]] = []
    batch_update(
        db, "Order Type", "Web", [ids[:2], ids[2:]], progress=lambda d, t: seen.append((d, t))
    )
    assert seen[-1] == (3, 3)


def test_too_many_customers_are_refused_up_front(db, monkeypatch) -> None:
    ids = [customer(db).id for _ in range(3)]
    monkeypatch.setattr(batch, "MAX_BATCH", 2)
    with pytest.raises(Refused, match="at most 2 customers at once; narrow the filter"):
        batch_update(db, "Sales Rep", "Ann", ids)
    assert "at most 2" in (batch_preview(db, "Sales Rep", "Ann", ids).refused or "")
    assert db.conn.execute("SELECT count(*) FROM batches").fetchone()[0] == 0


def test_a_failure_half_way_changes_nothing(db, monkeypatch) -> None:
    ids = [customer(db, sales_rep="Ann").id for _ in range(3)]
    monkeypatch.setattr(batch, "_STEP", 1)
    calls = {"n": 0}
    real = batch._write_scalar

    def flaky(*args, **kw):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk full")
        return real(*args, **kw)

    monkeypatch.setattr(batch, "_write_scalar", flaky)
    with pytest.raises(RuntimeError):
        batch_update(db, "Sales Rep", "Bob", ids)
    assert {CustomerRepository(db).get(i).sales_rep for i in ids} == {"Ann"}
    assert db.conn.execute("SELECT count(*) FROM batch_items").fetchone()[0] == 0
    assert audit_rows(db, "batch_update") == []


def test_limits_of_the_customer_form_apply(db) -> None:
    a = customer(db)
    with pytest.raises(Invalid, match="at most 255 characters"):
        batch_update(db, "sales_rep", "x" * 500, [a.id])
    with pytest.raises(Invalid, match="control characters"):
        batch_update(db, "tags", "ok|bad\x1b[31m", [a.id], mode="add")
    assert db.conn.execute("SELECT count(*) FROM batches").fetchone()[0] == 0
    assert db.conn.execute("SELECT count(*) FROM sales_reps WHERE length(name) > 255"
                           ).fetchone()[0] == 0  # fmt: skip


def test_undo_removes_a_created_lookup_value_only_while_nobody_uses_it(db) -> None:
    a, b = customer(db), customer(db)
    first = batch_update(db, "sales_rep", "Newrep", [a.id])
    tags = batch_update(db, "tags", "fresh-tag", [a.id], mode="add")
    undone = undo_batch(db, tags.batch_id)
    assert undone.removed_lookups == ["fresh-tag"]
    assert not db.conn.execute("SELECT 1 FROM tags WHERE name = 'fresh-tag'").fetchone()
    stored = CustomerRepository(db).get(b.id)
    data = stored.model_dump(include=set(CustomerIn.model_fields)) | {"sales_rep": "Newrep"}
    CustomerRepository(db).update(b.id, stored.version, CustomerIn(**data))
    assert undo_batch(db, first.batch_id).removed_lookups == []  # b uses it now
    assert db.conn.execute("SELECT 1 FROM sales_reps WHERE name = 'Newrep'").fetchone()
    audit = db.conn.execute(
        "SELECT table_name, record_key FROM audit_log WHERE action = 'undo_batch' "
        "AND table_name = 'tags'"
    ).fetchall()
    assert audit == [("tags", "fresh-tag")]
