"""Hostile input: the models, the CSV import and the searches never crash on it.

Generated text (empty, huge, control characters, right-to-left text, emoji, markup,
SQL, numbers out of range, malformed dates) goes through CustomerIn, RefundIn, CardIn,
RefundUpdate and the CSV import. What validation refuses is refused with the field
and a reason; what it allows is stored exactly; a refused import saves nothing. Quick
search and advanced search treat quotes, ``%``, ``_``, ``*``, backslashes and FTS
operators as data: their results equal a literal check done in Python.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from xoro_tui.data.customers.customer_list import customer_spec
from xoro_tui.data.customers.customer_repo import CustomerRepository
from xoro_tui.data.models.entities import (
    CUSTOMER_REQUIRED_HEADERS,
    REFUND_REQUIRED_HEADERS,
    CardIn,
    CustomerIn,
    RefundIn,
    errors_by_field,
)
from xoro_tui.data.refunds.refund_repo import RefundRepository, RefundUpdate
from xoro_tui.data.search.folding import fold
from xoro_tui.data.search.list_query import Condition, Filter, WindowQuery
from xoro_tui.data.store.connection import write_tx
from xoro_tui.data.store.errors import DataError, Refused
from xoro_tui.data.transfer.csv_format import unneutralise
from xoro_tui.data.transfer.importer import import_customers, import_refunds

HOSTILE = [
    "", " ", "   \t ", "Smith [/] Ltd", "[bold]x[/]", "[link=http://e]x[/link]", "[/]", "[",
    "Robert'); DROP TABLE customers;--", "' OR '1'='1", "1; DELETE FROM audit_log",
    "\u202eevil\u202c", "\u200fRTL mark", "שלום עולם", "مرحبا بالعالم", "🙂👍🏽 Ltd",
    "\x1b[31mred\x1b[0m", "\x07bell", "a\x00b", "line\nbreak", "tab\there", "\x7f", "\x85",
    "x" * 255, "x" * 256, "y" * 4001, "%_\\*", '"quoted"', "NEAR(a b)", "name:x", "^start",
    "a AND b OR c NOT d", "=SUM(A1)", "'=SUM(A1)", "+44 20 7946 0000", "4111 1111 1111 1111",
    "1e309", "NaN", "Infinity", "-0", "-1", "0", "13", "99999999999999999999", "0.001",
    "1_000", "１２", "2024-02-30", "31/12/2024", "2024-13-01", "0000-00-00", "2024-01-01",
    "Approved", "voided", "cheque", "JPY", "usd", "XXX", "ZZ",
]  # fmt: skip
#: any text, a known hostile value, or the two glued together
hostile = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=30),
    st.builds(lambda a, b: a + b, st.sampled_from(HOSTILE), st.text(max_size=8)),
)
FAST = settings(max_examples=120, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip
_counter = itertools.count(1)


def check_refusal(exc: ValidationError, model: type[BaseModel]) -> list[tuple[str, str]]:
    """Every refusal names a field of the model (or the whole row) and says why."""
    pairs = errors_by_field(exc)
    assert pairs, exc
    for field, reason in pairs:
        assert field in model.model_fields or field == "row", (field, reason)
        assert isinstance(reason, str) and reason.strip(), (field, reason)
    return pairs


def has_control(text: str, allow: str = "") -> bool:
    return any(ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F for ch in text if ch not in allow)


# -- the models


@FAST
@given(name=hostile, email=hostile, phone=hostile, line=hostile, tags=hostile, status=hostile,
       when=hostile, flag=hostile)  # fmt: skip
@example(name="Smith [/] Ltd", email="", phone="", line="'; DROP TABLE customers;--", tags="",
         status="", when="", flag="")  # fmt: skip
def test_customer_in(db, name, email, phone, line, tags, status, when, flag) -> None:
    """Refused with (field, reason), or created and read back exactly as validated."""
    cells = {"account_number": f"H-{next(_counter)}", "name": name, "email": email,
             "phone": phone, "bill_to_line1": line, "tags": tags, "portal_status": status,
             "mandate_date": when, "is_restricted": flag}  # fmt: skip
    try:
        data = CustomerIn.model_validate(cells)
    except ValidationError as exc:
        fields = {f for f, _ in check_refusal(exc, CustomerIn)}
        if has_control(name.strip()):
            assert "name" in fields
        if len(name.strip()) > 255 or not name.strip():
            assert "name" in fields
        return
    assert data.name == name.strip()
    assert not has_control(data.name)
    saved = CustomerRepository(db).create(data)
    stored = CustomerRepository(db).get(saved.id)
    for field in ("name", "email", "phone", "bill_to_line1", "tags", "portal_status",
                  "mandate_date", "is_restricted"):  # fmt: skip
        assert getattr(stored, field) == getattr(data, field), field


@FAST
@given(number=hostile, account=hostile, date=hostile, amount=hostile, currency=hostile,
       status=hostile, method=hostile, cheque=hostile, memo=hostile)  # fmt: skip
def test_refund_in(number, account, date, amount, currency, status, method, cheque, memo) -> None:
    """CSV cells of a refund: either a valid refund or refusals that name the field."""
    cells = {"refund_number": number, "customer_account_number": account, "refund_date": date,
             "amount": amount, "currency": currency, "status": status,
             "payment_method": method, "cheque_number": cheque, "memo": memo}  # fmt: skip
    cells = {k: v for k, v in cells.items() if v.strip()}  # blank cells are left out
    try:
        refund = RefundIn.model_validate(cells)
    except ValidationError as exc:
        check_refusal(exc, RefundIn)
        return
    assert refund.amount > 0 and isinstance(refund.amount, int)
    assert refund.cheque_number is None or 1 <= refund.cheque_number <= 10**12
    assert isinstance(refund.refund_date, dt.date)


numbers = st.one_of(st.integers(min_value=-(10**20), max_value=10**20), hostile)


@FAST
@given(brand=hostile, last4=hostile, month=numbers, year=numbers, holder=hostile, token=hostile)
@example(brand="Visa", last4="4242", month=1, year=2030, holder="[bold]Ann[/]", token="tok_1")
def test_card_in(db, brand, last4, month, year, holder, token) -> None:
    """No full card number or CVV ever validates; a valid card is stored exactly."""
    fields = {"brand": brand, "last4": last4, "exp_month": month, "exp_year": year,
              "cardholder": holder, "provider_token": token}  # fmt: skip
    try:
        card = CardIn.model_validate(fields)
    except ValidationError as exc:
        check_refusal(exc, CardIn)
        return
    assert 1 <= card.exp_month <= 12 and 2000 <= card.exp_year <= 2100
    assert re.fullmatch(r"\d{4}", card.last4)
    repo = CustomerRepository(db)
    owner = repo.create(CustomerIn(account_number=f"CARD-{next(_counter)}", name="Owner"))
    saved = repo.add_card(owner.id, card)
    assert (saved.brand, saved.cardholder, saved.provider_token) == (
        card.brand, card.cardholder, card.provider_token)  # fmt: skip


@pytest.fixture
def refund_setup(db) -> tuple[RefundRepository, int]:
    repo = RefundRepository(db)
    repo.add_refund_account("Main")
    owner = CustomerRepository(db).create(CustomerIn(account_number="RF-OWNER", name="Owner"))
    return repo, owner.id


update_fields = st.dictionaries(
    st.sampled_from(
        [
            "refund_date",
            "refund_account",
            "payment_method",
            "cheque_number",
            "reference",
            "memo",
            "status",
            "amount",
            "void_reason",
        ]
    ),  # fmt: skip
    st.one_of(hostile, st.none(), st.integers(-(10**14), 10**14)),
    max_size=4,
)


@FAST
@given(changes=update_fields)
@example(changes={"memo": "[bold]x[/] '; DROP TABLE refunds;--", "amount": "12.5"})
@example(changes={"status": "Voided"})
def test_refund_update(db, refund_setup, changes: dict[str, Any]) -> None:
    """The pop-up form's changes: refused by the model with (field, reason), or saved, or
    refused by the repository with a DataError leaving the refund exactly as it was."""
    repo, owner = refund_setup
    refund = repo.create(owner, amount=1000, currency="USD", refund_date=dt.date(2024, 1, 2),
                         payment_method="Cash")  # fmt: skip
    try:
        update = RefundUpdate.model_validate(changes)
    except ValidationError as exc:
        check_refusal(exc, RefundUpdate)
        return
    before = repo.get(refund.id)
    try:
        after = repo.update(refund.id, refund.version, update)
    except DataError as exc:
        assert str(exc)
        assert repo.get(refund.id) == before, "a refused save changed the refund"
        return
    for field in {"memo", "reference", "void_reason"} & update.model_fields_set:
        assert getattr(after, field) == getattr(update, field)


# -- the CSV import


def write_rows(path: Path, headers: tuple[str, ...], rows: list[dict[str, str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        writer.writerows([[row.get(h, "") for h in headers] for row in rows])


def counts(db) -> dict[str, int]:
    from xoro_tui.data.store.connection import is_postgres

    search = "customer_search" if is_postgres(db.conn) else "customer_fts"  # each engine's index
    tables = ("customers", "sites", "customer_tags", "customer_references", "tags", "sales_reps",
              "customer_types", "audit_log", "refunds", "refund_lines", "refund_accounts",
              "sequences", search)  # fmt: skip
    return {t: db.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


customer_rows = st.lists(
    st.fixed_dictionaries({"name": hostile, "email": hostile, "phone": hostile, "tags": hostile,
                           "sales_rep": hostile, "ship_to_city": hostile, "is_active": hostile}),
    min_size=1, max_size=3,
)  # fmt: skip


@settings(FAST, max_examples=60)
@given(rows=customer_rows)
def test_customer_import(db, tmp_path: Path, rows: list[dict[str, str]]) -> None:
    """Refused rows name (row, column, reason) and nothing at all is saved; an accepted
    file stores each name exactly (after the file's formula quote and trimming)."""
    for row in rows:
        row["account_number"] = f"CSV-{next(_counter)}"
    source = tmp_path / f"customers-{next(_counter)}.csv"
    write_rows(source, CUSTOMER_REQUIRED_HEADERS, rows)
    before = counts(db)
    report = import_customers(db, source)
    if report.errors:
        for number, column, reason in report.errors:
            assert 1 <= number <= len(rows)
            assert column in CUSTOMER_REQUIRED_HEADERS or column == "", column
            assert reason.strip()
        assert counts(db) == before, "a refused import saved something"
        return
    assert report.inserted == len(rows)
    repo = CustomerRepository(db)
    for row in rows:
        stored = repo.find_by_account(row["account_number"])
        assert stored is not None
        assert stored.name == unneutralise(row["name"]).strip()


refund_rows = st.lists(
    st.fixed_dictionaries({"refund_date": hostile, "amount": hostile, "currency": hostile,
                           "status": hostile, "payment_method": hostile,
                           "refund_account": hostile, "cheque_number": hostile, "memo": hostile}),
    min_size=1, max_size=3,
)  # fmt: skip


@settings(FAST, max_examples=60)
@given(rows=refund_rows)
@example(rows=[{"refund_date": "2024-01-02", "amount": "12.50", "currency": "usd",
                "status": "Draft", "payment_method": "Cash", "refund_account": "[bold]Main[/]",
                "cheque_number": "", "memo": "Robert'); DROP TABLE refunds;--"}])  # fmt: skip
def test_refund_import(db, tmp_path: Path, rows: list[dict[str, str]]) -> None:
    """The same for refunds: named refusals and nothing saved, or stored exactly."""
    owner = CustomerRepository(db).create(CustomerIn(account_number=f"RO-{next(_counter)}",
                                                     name="Owner"))  # fmt: skip
    for row in rows:
        row["refund_number"] = f"HR-{next(_counter)}"
        row["customer_account_number"] = owner.account_number
    source = tmp_path / f"refunds-{next(_counter)}.csv"
    write_rows(source, REFUND_REQUIRED_HEADERS, rows)
    before = counts(db)
    report = import_refunds(db, source)
    if report.errors:
        for number, column, reason in report.errors:
            assert 1 <= number <= len(rows)
            assert column in REFUND_REQUIRED_HEADERS or column == "", column
            assert reason.strip()
        assert counts(db) == before, "a refused import saved something"
        return
    repo = RefundRepository(db)
    for row in rows:
        stored = repo.by_number(row["refund_number"])
        assert stored is not None
        assert stored.memo == (unneutralise(row["memo"]) or None if row["memo"].strip() else None)


def test_a_cell_past_the_csv_field_limit_is_refused_whole(db, tmp_path: Path) -> None:
    """A 200,000-character cell: the file is refused with one sentence; nothing saved."""
    source = tmp_path / "huge.csv"
    write_rows(source, CUSTOMER_REQUIRED_HEADERS,
               [{"account_number": "OK-1", "name": "Fine"},
                {"account_number": "HUGE-1", "name": "n" * 200_000}])  # fmt: skip
    before = counts(db)
    with pytest.raises(Refused) as caught:
        import_customers(db, source)
    assert "line 3" in str(caught.value) and "longer than" in str(caught.value)
    assert "quoting" not in str(caught.value)  # it is not a quoting problem
    assert counts(db) == before


# -- searching


SEARCH_NAMES = [
    "snake_case Ltd", "100% Cotton", 'The "Quoted" Co', "Star*Bright", "Back\\slash Inc",
    "AND OR NOT Partners", "NEAR(a b) Group", "x^y Labs", "name:colon", "a_b", "Plain Sailing",
    "O'Brien & Sons", "Smith [/] Ltd", "[bold]Bold[/] Trading", "Zoë Ångström", "Straße GmbH",
    "שלום Ltd", "Happy 🙂 Co", "percent%sign", "under__score", "C:\\path\\file", "col: value",
    "-dash start", "+plus start", "(paren) Co", "semi;colon", "tab-ish ' quote", "Ünïcödé",
    "%%%", "___",
]  # fmt: skip
SEARCH_ALPHABET = "ab co_%*\\\"'^:()-+;&[]/ANDORNEAR 0123ëöß🙂"


@pytest.fixture
def search_data(db) -> tuple[WindowQuery, dict[int, dict[str, str]]]:
    """Customers with hostile names, emails, references and postal codes; for each, the
    raw values of the columns quick search looks at."""
    repo = CustomerRepository(db)
    values: dict[int, dict[str, str]] = {}
    for i, name in enumerate(SEARCH_NAMES):
        account = f"Q{i:02d}"
        ref = ("REF_%" if i % 3 == 0 else "ref*" if i % 3 == 1 else 'r"f') + str(i)
        postal = ("N1 %" if i % 2 else "AB_12") + str(i)
        email = f"user{i}@example.com" if i % 4 else None
        c = repo.create(CustomerIn(account_number=account, name=name, email=email,
                                   references=[ref], ship_to_postal_code=postal))  # fmt: skip
        values[c.id] = {"name": name, "email": email or "", "phone": "", "type_name": "",
                        "postal": postal, "refs": f"{account} {ref}"}  # fmt: skip
    return WindowQuery(db.conn, customer_spec()), values


def found(query: WindowQuery, flt: Filter) -> set[int]:
    rows = query.window(flt, None, ["name"], 0, 1000)
    assert query.count(flt) == len(rows)
    return {row[0] for row in rows}


def quick_search_expected(term: str, field: str, values: dict[int, dict[str, str]]) -> set[int]:
    """The documented quick search, in Python: folded "contains" for 3+ characters, word
    starts for one or two letters or digits, literal "contains" for other short text."""
    needle = fold(term).strip()
    if not needle:
        return set(values)
    out = set()
    for cid, columns in values.items():
        texts = [fold(v) for k, v in columns.items() if field in ("any", k)]
        if len(needle) >= 3 or not re.fullmatch(r"[^\W_]+", needle):
            hit = any(needle in text for text in texts)
        else:
            hit = any(w.startswith(needle) for t in texts for w in re.findall(r"[^\W_]+", t))
        if hit:
            out.add(cid)
    return out


def substrings(texts: list[str]) -> st.SearchStrategy[str]:
    return st.sampled_from(texts).flatmap(
        lambda t: st.tuples(st.integers(0, len(t)), st.integers(1, 6)).map(
            lambda ij: t[ij[0] : ij[0] + ij[1]]
        )
    )


terms = st.one_of(
    substrings(SEARCH_NAMES),
    st.text(alphabet=SEARCH_ALPHABET, max_size=6),
    st.sampled_from(['"', '""', "%", "_", "*", "\\", "^", ":", "name:", "NEAR", "AND", "OR",
                     "NOT", "a*", '"a', "(", ")", "-", "+", "a_", "0%", "' OR 1=1 --"]),
)  # fmt: skip


@settings(FAST, max_examples=200)
@given(term=terms, field=st.sampled_from(["any", "name", "refs", "postal"]))
def test_quick_search_is_literal(search_data, term: str, field: str) -> None:
    """Quick search with quotes, wildcards and FTS operators finds exactly what a literal
    (folded) check in Python finds; it never raises."""
    query, values = search_data
    flt = Filter(search=term, search_field=field)
    assert found(query, flt) == quick_search_expected(term, field, values), repr(term)


def ascii_lower(text: str) -> str:
    """SQLite's LIKE and NOCASE fold ASCII letters only."""
    return text.translate(str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz"))


LIKE_CHECKS = {
    "contains": lambda name, v: v in name,
    "not_contains": lambda name, v: v not in name,
    "starts": lambda name, v: name.startswith(v),
    "ends": lambda name, v: name.endswith(v),
    "eq": lambda name, v: name == v,
}


@settings(FAST, max_examples=200)
@given(term=terms, op=st.sampled_from(sorted(LIKE_CHECKS)))
def test_advanced_search_is_literal(search_data, term: str, op: str) -> None:
    """Advanced conditions on the name bind the value: ``%``, ``_`` and ``\\`` match
    themselves, as a Python check with SQLite's ASCII case folding says."""
    assume(op != "eq" or term)
    query, values = search_data
    check = LIKE_CHECKS[op]
    expected = {cid for cid, v in values.items()
                if check(ascii_lower(v["name"]), ascii_lower(term))}  # fmt: skip
    assert found(query, Filter(conditions=(Condition("name", op, term),))) == expected, repr(term)


def test_an_older_row_that_todays_rules_refuse_still_reads(db) -> None:
    """Rows written before the rules (or by another tool) with control characters, an
    email the check rejects and an over-long tag: ``get`` reads them as stored instead of
    raising, so the form and Customer Info open; saving them again applies the rules."""
    repo = CustomerRepository(db)
    c = repo.create(CustomerIn(account_number="OLD-1", name="Old Ltd", tags=["ok"]))
    with write_tx(db) as conn:
        conn.execute(
            "UPDATE customers SET name = ?, email = ?, bill_to_city = ?, mandate_date = ?"
            " WHERE id = ?",
            ("\x1b[31mOld\x1b[0m Ltd", "bob@localhost", "\x07city", "2024-13-45", c.id),
        )
        conn.execute("INSERT INTO tags(name) VALUES (?)", ("t" * 300,))
        conn.execute("INSERT INTO customer_tags(customer_id, tag) VALUES (?, ?)", (c.id, "t" * 300))
    stored = repo.get(c.id)
    assert (stored.name, stored.email, stored.bill_to_city) == (
        "\x1b[31mOld\x1b[0m Ltd", "bob@localhost", "\x07city")  # fmt: skip
    assert sorted(stored.tags) == sorted(["ok", "t" * 300])
    assert stored.mandate_date is None  # not text: a broken date is not passed on
    assert repo.find_by_account("OLD-1") == stored
    with pytest.raises(ValidationError) as caught:
        CustomerIn.model_validate(stored.model_dump(include=set(CustomerIn.model_fields)))
    assert {"name", "email", "bill_to_city", "tags"} <= {
        f for f, _ in errors_by_field(caught.value)
    }
