"""No full card numbers anywhere: what counts as one, forms and batch update refuse it in
every free-text field, import masks it, ``check`` finds stored ones and ``redact`` masks
them everywhere, the audit log included."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

import xoro_tui.data.store.users as users_module
from tests.factories import customer
from xoro_tui.data.customers.batch import batch_update
from xoro_tui.data.models.entities import (
    CUSTOMER_REQUIRED_HEADERS,
    CustomerIn,
    RefundIn,
    SiteIn,
)
from xoro_tui.data.models.validators import (
    CARD_EXEMPT_FIELDS,
    CARD_REASON,
    looks_like_card_number,
    mask_card_numbers,
)
from xoro_tui.data.refunds.refund_repo import RefundRepository, RefundUpdate
from xoro_tui.data.store import clock
from xoro_tui.data.store.errors import Invalid, Refused
from xoro_tui.data.store.maintenance import integrity_check
from xoro_tui.data.store.redaction import find_card_numbers, redact
from xoro_tui.data.store.users import UserRepository
from xoro_tui.data.transfer.importer import import_customers, import_refunds

VISA = "4111111111111111"
SHAPES = [
    "4111111111111111",
    "4111 1111 1111 1111",
    "4111.1111.1111.1111",
    "4111-1111-1111-1111",
    "4111 1111 1111 1111 1234",  # a fifth group after a valid number
    "3782 822463 10005",  # 4-6-5 (Amex)
    "6011 0009 9013 9424 123".replace(" 123", ""),
    "Ref 4111111111111111 paid",
]
NOT_CARDS = [
    "4111111111111112",  # Luhn fails
    "1111 1111 1111 1117",  # starts with 1
    "41111111111111111111",  # 20 digits
    "+44 20 7946 0000",
    "2024-05-01 12:30",
    "411 1111 1111 1111 1",  # not a grouping
]


@pytest.mark.parametrize("text", SHAPES)
def test_card_numbers_in_every_shape_are_found_and_masked(text: str) -> None:
    assert looks_like_card_number(text)
    masked, count = mask_card_numbers(text)
    assert count == 1 and not looks_like_card_number(masked)
    assert "••••" in masked and not re.search(r"\d{5}", masked.replace(" 1234", ""))


@pytest.mark.parametrize("text", NOT_CARDS)
def test_other_digit_runs_are_not_card_numbers(text: str) -> None:
    assert not looks_like_card_number(text)


def test_masking_keeps_the_last_four_digits() -> None:
    assert mask_card_numbers(f"a {VISA} b 5555-5555-5555-4444") == ("a ••••1111 b ••••4444", 2)


def _luhn_complete(prefix: str) -> str:
    for last in "0123456789":
        digits = [int(c) for c in prefix + last]
        total = sum(
            (d * 2 - 9 if d * 2 > 9 else d * 2) if i % 2 else d
            for i, d in enumerate(reversed(digits))
        )
        if total % 10 == 0:
            return prefix + last
    raise AssertionError


@given(
    first=st.sampled_from("23456"),
    body=st.text("0123456789", min_size=14, max_size=14),
    sep=st.sampled_from(["", " ", ".", "-"]),
    before=st.sampled_from(["", "x ", "ref:"]),
)
def test_any_valid_sixteen_digit_number_is_masked(first, body, sep, before) -> None:
    number = _luhn_complete(first + body)
    grouped = sep.join(number[i : i + 4] for i in range(0, 16, 4)) if sep else number
    masked, count = mask_card_numbers(before + grouped)
    assert count == 1 and masked == f"{before}••••{number[-4:]}"


# --- forms and the data layer refuse ----------------------------------------------------------

CUSTOMER_TEXT = [
    f
    for f, info in CustomerIn.model_fields.items()
    if f not in CARD_EXEMPT_FIELDS
    and f not in {"account_number", "email", "portal_email", "mandate_date"}
    and not f.startswith(("is_", "show_", "portal_status", "mandate_status"))
]


@pytest.mark.parametrize("field", CUSTOMER_TEXT)
@pytest.mark.parametrize("text", ["4111 1111 1111 1111 1234", "4111.1111.1111.1111"])
def test_every_free_text_customer_field_refuses_a_card_number(field: str, text: str) -> None:
    data = {"account_number": "C-1", "name": "Ann", field: text}
    with pytest.raises(ValidationError) as info:
        CustomerIn(**data)
    assert CARD_REASON in str(info.value)


@pytest.mark.parametrize("field", ["phone", "bill_to_postal_code", "mandate_reference"])
def test_phone_postal_code_and_mandate_reference_are_excepted(field: str) -> None:
    value = "4111 1111 1111 1111" if field == "phone" else VISA
    assert getattr(CustomerIn(account_number="C-1", name="Ann", **{field: value}), field)
    assert SiteIn(postal_code=VISA).postal_code == VISA


@pytest.mark.parametrize("field", ["memo", "reference", "refund_account", "void_reason"])
def test_every_free_text_refund_field_refuses_a_card_number(db, field: str) -> None:
    with pytest.raises(ValidationError, match="full card number"):
        RefundUpdate(**{field: "4111-1111-1111-1111"})
    repo = RefundRepository(db, user="me")
    who = customer(db)
    refund = repo.create(
        who.id, amount=100, currency="USD", refund_date=dt.date(2024, 5, 1),
        payment_method="ACH",
    )  # fmt: skip
    if field in ("memo", "reference"):
        with pytest.raises(Invalid) as info:
            repo.create(
                who.id, amount=100, currency="USD", refund_date=dt.date(2024, 5, 1),
                payment_method="ACH", **{field: f"card {VISA}"},
            )  # fmt: skip
        assert (info.value.field, info.value.reason) == (field, CARD_REASON)
    assert repo.get(refund.id).version == refund.version


def test_batch_update_refuses_a_card_number_as_a_tag(db) -> None:
    who = customer(db)
    with pytest.raises(Invalid) as info:
        batch_update(db, "tags", "4111 1111 1111 1111", [who.id], mode="add")
    assert info.value.reason == CARD_REASON
    assert db.conn.execute("SELECT count(*) FROM tags").fetchone()[0] == 0


# --- import masks ------------------------------------------------------------------------------


def _write(path: Path, headers: list[str], rows: list[dict[str, str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        for row in rows:
            writer.writerow([row.get(h, "") for h in headers])
    return path


def test_import_masks_card_numbers_with_a_warning_per_row(db, tmp_path: Path) -> None:
    headers = [*CUSTOMER_REQUIRED_HEADERS, "references", "mandate_reference"]
    path = _write(
        tmp_path / "c.csv",
        headers,
        [
            {"account_number": "C-1", "name": "Ann 4111 1111 1111 1111", "is_active": "yes",
             "tags": "4111.1111.1111.1111|vip", "references": "PO-1|5555555555554444",
             "mandate_reference": "6011000990139424"},
            {"account_number": "C-2", "name": "Bob", "is_active": "yes"},
        ],
    )  # fmt: skip
    report = import_customers(db, path)
    assert report.inserted == 2 and report.errors == []
    assert report.format_warnings() == [
        f"row 1, column {column}: held a card number; imported with only its last 4 digits"
        for column in ("name", "tags", "references")
    ]
    name, mandate = db.conn.execute(
        "SELECT name, mandate_reference FROM customers WHERE account_number = 'C-1'"
    ).fetchone()
    assert (name, mandate) == ("Ann ••••1111", "6011000990139424")  # excepted
    tags = {t for (t,) in db.conn.execute("SELECT tag FROM customer_tags")}
    assert tags == {"••••1111", "vip"}
    audit = " ".join(c for (c,) in db.conn.execute("SELECT changes FROM audit_log"))
    assert "4111" not in audit.replace("••••1111", "") and "5555555555554444" not in audit


def test_refund_import_masks_memo_and_reference(db, tmp_path: Path) -> None:
    customer(db, account_number="C-1")
    headers = ["refund_number", "customer_account_number", "refund_date", "amount", "currency",
               "status", "payment_method", "refund_account", "cheque_number", "memo",
               "reference"]  # fmt: skip
    row = {"refund_number": "RF-1", "customer_account_number": "C-1",
           "refund_date": "2024-05-01", "amount": "1.00", "currency": "USD", "status": "Draft",
           "payment_method": "ACH", "memo": "card 4111 1111 1111 1111 1234",
           "reference": "4111-1111-1111-1111"}  # fmt: skip
    report = import_refunds(db, _write(tmp_path / "r.csv", headers, [row]))
    assert report.inserted == 1 and len(report.warnings) == 2
    memo, reference = db.conn.execute("SELECT memo, reference FROM refunds").fetchone()
    assert (memo, reference) == ("card ••••1111 1234", "••••1111")
    assert RefundIn  # the model the import validates with


# --- check and redact --------------------------------------------------------------------------


def _plant(db) -> int:
    """Card numbers stored the way an old version (or a raw SQL edit) left them."""
    who = customer(db, account_number="C-1")
    conn = db.conn
    conn.execute("UPDATE customers SET name = ?, bill_to_line1 = ? WHERE id = ?",
                 (f"Ann {VISA}", "4111 1111 1111 1111 1234", who.id))  # fmt: skip
    conn.execute("INSERT INTO customer_references VALUES (?, '4111.1111.1111.1111')", (who.id,))
    conn.execute("INSERT INTO tags(name) VALUES ('5555-5555-5555-4444')")
    conn.execute("INSERT INTO customer_tags VALUES (?, '5555-5555-5555-4444')", (who.id,))
    conn.execute(
        "INSERT INTO audit_log(at, user, table_name, record_key, action, changes)"
        " VALUES ('2024-01-01', 'old', 'customers', 'C-1', 'update', ?)",
        (json.dumps({"name": ["Ann", f"Ann {VISA}"], "phone": [None, VISA]}),),
    )
    return who.id


def test_check_reports_where_without_printing_the_number(db) -> None:
    _plant(db)
    found = {(f.table, f.field) for f in find_card_numbers(db)}
    assert found == {
        ("customers", "name"), ("customers", "bill_to_line1"),
        ("customer_references", "reference"), ("tags", "name"),
        ("customer_tags", "tag"), ("audit_log", "changes"),
    }  # fmt: skip
    lines = integrity_check(db)
    assert "card number stored in customers, row 1, field name" in lines
    assert lines[-1] == "mask them with: xoro-tui redact (an admin)"
    assert not any(re.search(r"\d{5}", line) for line in lines)


def test_redact_masks_everywhere_with_an_audit_row_each(db) -> None:
    who = _plant(db)
    version = db.conn.execute("SELECT version FROM customers WHERE id = ?", (who,)).fetchone()[0]
    report = redact(db, user="me")
    assert report.problems == [] and len(report.masked) == 5  # customer_tags follows its tag
    assert find_card_numbers(db) == [] and integrity_check(db) == []
    name, line1, now = db.conn.execute(
        "SELECT name, bill_to_line1, version FROM customers WHERE id = ?", (who,)
    ).fetchone()
    assert (name, line1, now) == ("Ann ••••1111", "••••1111 1234", version + 2)
    [changes] = db.conn.execute("SELECT changes FROM audit_log WHERE user = 'old'").fetchone()
    assert json.loads(changes) == {"name": ["Ann", "Ann ••••1111"], "phone": [None, VISA]}
    redactions = db.conn.execute(
        "SELECT table_name, record_key, user FROM audit_log WHERE action = 'redact' ORDER BY id"
    ).fetchall()
    assert len(redactions) == 5 and {u for _, _, u in redactions} == {"me"}
    assert ("customers", "C-1", "me") in redactions
    everything = " ".join(
        str(v) for table in ("customers", "customer_references", "tags", "customer_tags",
                             "audit_log")
        for row in db.conn.execute(f"SELECT * FROM {table}") for v in row
    )  # fmt: skip
    assert "5555-5555-5555-4444" not in everything and "4111.1111" not in everything


def test_the_audit_log_allows_no_other_change(db) -> None:
    import sqlite3

    _plant(db)
    audit_id = db.conn.execute("SELECT max(id) FROM audit_log").fetchone()[0]
    for sql in (
        "UPDATE audit_log SET changes = '{}' WHERE id = ?",
        "UPDATE audit_log SET user = 'someone' WHERE id = ?",
        "DELETE FROM audit_log WHERE id = ?",
    ):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            db.conn.execute(sql, (audit_id,))


def test_redact_needs_an_admin(db, monkeypatch: pytest.MonkeyPatch) -> None:
    _plant(db)
    monkeypatch.setattr(users_module, "os_user", lambda: "root")
    UserRepository(db).add("root", "admin")
    UserRepository(db).add("carl", "clerk")
    with pytest.raises(Refused, match=r"redact is refused: it needs an admin \(carl is a clerk\)"):
        redact(db, user="carl")
    assert len(find_card_numbers(db)) == 6
    assert len(redact(db, user="root").masked) == 5


def test_check_and_redact_on_the_command_line(db, db_path: Path) -> None:
    _plant(db)
    me = clock.os_user()

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "xoro_tui", *args, "--db", str(db_path)],
            capture_output=True, text=True, timeout=120, env={**os.environ},
        )  # fmt: skip

    checked = cli("check")
    assert checked.returncode == 1 and "card number stored in tags, row 1, field name" in (
        checked.stdout
    )
    assert VISA not in checked.stdout and "5555" not in checked.stdout
    redacted = cli("redact")
    assert redacted.returncode == 0, redacted.stderr
    assert redacted.stdout.splitlines()[-1] == "masked 5 card number field(s)"
    assert cli("check").stdout.strip() == "ok"
    assert me  # redact ran as this login in single-user mode


def test_a_refund_account_name_refuses_a_card_number(db) -> None:
    repo = RefundRepository(db, user="me")
    for field in ("name", "bank_name"):
        kw = {"name": "Main", "bank_name": None, field: "4111 1111 1111 1111"}
        with pytest.raises(Invalid) as info:
            repo.add_refund_account(**kw)
        assert (info.value.field, info.value.reason) == (field, CARD_REASON)
    repo.add_refund_account("Main", "First Bank", "4111111111111111")  # an account number
    assert find_card_numbers(db) == []  # a bank account number is not free text


def test_the_command_line_import_warns_and_masks(db, db_path: Path, tmp_path: Path) -> None:
    customer(db, account_number="C-1")
    path = tmp_path / "r.csv"
    path.write_text(
        "refund_number,customer_account_number,refund_date,amount,currency,status,"
        "payment_method,refund_account,cheque_number,memo\n"
        "RF-1,C-1,2024-05-01,1.00,USD,Draft,ACH,,,paid with 4111 1111 1111 1111\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "xoro_tui", "import", "refunds", str(path), "--db", str(db_path)],
        capture_output=True, text=True, timeout=120, env={**os.environ},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        "xoro-tui: warning: row 1, column memo: held a card number; imported with only its last 4 digits"
    ]
    assert db.conn.execute("SELECT memo FROM refunds").fetchone()[0] == "paid with ••••1111"
