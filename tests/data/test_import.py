"""CSV import of customers and refunds on real files and a real database."""

from __future__ import annotations

import csv
import json
import multiprocessing
from pathlib import Path
from typing import Any

import pytest

from xoro_tui.data.customers.customer_list import customer_spec
from xoro_tui.data.models.entities import CUSTOMER_REQUIRED_HEADERS, REFUND_REQUIRED_HEADERS
from xoro_tui.data.search.list_query import Filter, WindowQuery
from xoro_tui.data.store import clock
from xoro_tui.data.store.connection import is_postgres
from xoro_tui.data.store.errors import Refused
from xoro_tui.data.store.opening import open_database
from xoro_tui.data.transfer.csv_format import write_csv
from xoro_tui.data.transfer.importer import ImportReport, import_customers, import_refunds

C_HEADERS = list(CUSTOMER_REQUIRED_HEADERS)
R_HEADERS = list(REFUND_REQUIRED_HEADERS)


def cust(account: str, name: str = "Acme Ltd", **fields: str) -> dict[str, str]:
    return {"account_number": account, "name": name, "is_active": "true", **fields}


def refund(number: str, account: str = "C-1", **fields: str) -> dict[str, str]:
    base = {
        "refund_number": number,
        "customer_account_number": account,
        "refund_date": "2024-05-01",
        "amount": "12.50",
        "currency": "USD",
        "status": "Draft",
        "payment_method": "Cheque",
        "refund_account": "Main Bank",
    }
    return {**base, **fields}


def write(
    path: Path,
    headers: list[str],
    rows: list[dict[str, str]],
    *,
    delimiter: str = ",",
    bom: bool = False,
    crlf: bool = False,
) -> Path:
    """Raw cells, exactly as given (no neutralising), the way a hand-made file looks."""
    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter, lineterminator="\r\n" if crlf else "\n")
        writer.writerow(headers)
        for row in rows:
            writer.writerow([row.get(h, "") for h in headers])
    return path


def customers_file(tmp_path: Path, rows: list[dict[str, str]], extra: list[str] = ()) -> Path:
    return write(tmp_path / "customers.csv", C_HEADERS + list(extra), rows)


def refunds_file(tmp_path: Path, rows: list[dict[str, str]], extra: list[str] = ()) -> Path:
    return write(tmp_path / "refunds.csv", R_HEADERS + list(extra), rows)


def one(db, sql: str, args: tuple = ()) -> Any:
    return db.conn.execute(sql, args).fetchone()[0]


def row(db, sql: str, args: tuple = ()) -> dict[str, Any]:
    cursor = db.conn.execute(sql, args)
    return dict(zip([d[0] for d in cursor.description], cursor.fetchone(), strict=True))


def counts(db) -> dict[str, int]:
    tables = ("customers", "sites", "customer_tags", "customer_types", "sales_reps", "tags")
    tables += ("refunds", "refund_accounts", "audit_log")
    return {t: one(db, f"SELECT count(*) FROM {t}") for t in tables}


def audit_rows(db, table: str) -> list[tuple[str, str, dict]]:
    return [
        (key, action, json.loads(changes))
        for key, action, changes in db.conn.execute(
            "SELECT record_key, action, changes FROM audit_log WHERE table_name = ? ORDER BY id",
            (table,),
        )
    ]


@pytest.fixture
def seeded(db, tmp_path: Path):
    """Two customers, C-1 and C-2, to hang refunds on."""
    report = import_customers(db, customers_file(tmp_path, [cust("C-1"), cust("C-2", "Beta")]))
    assert report.inserted == 2
    return db


# --- customers ---------------------------------------------------------------------------


def test_customers_are_imported_with_lookups_created_once(db, tmp_path: Path) -> None:
    path = customers_file(
        tmp_path,
        [
            cust(
                "C-1",
                type_name="Retail",
                email="Ann@Example.com",
                phone="+44 20 5555 0106",
                ship_to_line1="1 High St",
                ship_to_city="Leeds",
                ship_to_postal_code="LS1 4AP",
                ship_to_country="GB",
                sales_rep="Bob",
                payment_terms="Net 30",
                customer_group="Gold",
                tags="VIP|new",
            ),
            cust("C-2", "Beta", type_name="retail", sales_rep="BOB", tags="vip", is_active="false"),
        ],
    )
    report = import_customers(db, path)
    assert (report.inserted, report.updated, report.unchanged, report.errors) == (2, 0, 0, [])
    first = row(db, "SELECT * FROM customers WHERE account_number = 'C-1'")
    assert first["type_name"] == "Retail" and first["sales_rep"] == "Bob"
    assert first["email"] == "Ann@example.com" and first["phone"] == "+44 20 5555 0106"
    assert first["is_active"] == 1
    second = row(db, "SELECT * FROM customers WHERE account_number = 'C-2'")
    assert (second["type_name"], second["sales_rep"], second["is_active"]) == ("Retail", "Bob", 0)
    assert one(db, "SELECT count(*) FROM customer_types") == 1
    assert one(db, "SELECT count(*) FROM sales_reps") == 1
    assert [r[0] for r in db.conn.execute("SELECT name FROM tags ORDER BY id")] == ["VIP", "new"]
    tags = db.conn.execute(
        "SELECT c.account_number, t.tag FROM customer_tags t JOIN customers c ON c.id = "
        "t.customer_id"
    ).fetchall()  # sorted here: a tag is compared case aside on PostgreSQL (citext)
    assert sorted(tags) == [("C-1", "VIP"), ("C-1", "new"), ("C-2", "VIP")]
    site = row(db, "SELECT * FROM sites WHERE customer_id = ?", (first["id"],))
    assert (site["line1"], site["postal_code"], site["is_default"]) == ("1 High St", "LS1 4AP", 1)
    assert [(k, a) for k, a, _ in audit_rows(db, "customers")] == [
        ("C-1", "insert"),
        ("C-2", "insert"),
    ]
    if is_postgres(db.conn):  # no search table there: the quick search reads the rows
        batches = WindowQuery(db.conn, customer_spec("active")).keys(Filter(search="ls1"))
        assert [key for keys in batches for key in keys] == [first["id"]]
        return
    hits = db.conn.execute("SELECT rowid FROM customer_fts WHERE customer_fts MATCH 'ls1'")
    assert [r[0] for r in hits] == [first["id"]]
    assert one(db, "SELECT count(*) FROM sqlite_master WHERE name = 'customers_search_insert'")


def test_bom_crlf_and_semicolons(db, tmp_path: Path) -> None:
    path = write(
        tmp_path / "semi.csv",
        C_HEADERS,
        [cust("C-1", "Smith, Jones; Partners", tags="a|b")],
        delimiter=";",
        bom=True,
        crlf=True,
    )
    assert path.read_bytes().startswith(b"\xef\xbb\xbfaccount_number;name;")
    report = import_customers(db, path)
    assert report.inserted == 1
    assert one(db, "SELECT name FROM customers") == "Smith, Jones; Partners"


def test_invalid_rows_are_reported_and_nothing_is_imported(db, tmp_path: Path) -> None:
    path = customers_file(
        tmp_path,
        [
            cust("C-1", type_name="Brand New Type", tags="fresh"),
            cust("C-2", email="not-an-email"),
            cust("C-3", ""),
            cust("C-4", is_active="maybe"),
        ],
    )
    before = counts(db)
    report = import_customers(db, path)
    assert not report.ok and report.inserted == 0
    assert [(r, c) for r, c, _ in report.errors] == [
        (2, "email"),
        (3, "name"),
        (4, "is_active"),
    ]
    lines = report.format_errors()
    assert lines[1] == "row 3, column name: missing"
    assert lines[2] == "row 4, column is_active: expected true/false, yes/no or 1/0"
    assert lines[0].startswith("row 2, column email: ")
    assert counts(db) == before


def test_skip_invalid_imports_the_good_rows(db, tmp_path: Path) -> None:
    rows = [cust("C-1"), cust("C-2", email="nope"), cust("C-3", ""), cust("C-4")]
    report = import_customers(db, customers_file(tmp_path, rows), skip_invalid=True)
    assert report.ok and report.inserted == 2
    assert [(r, c) for r, c, _ in report.skipped] == [(2, "email"), (3, "name")]
    assert report.format_skipped()[1] == "row 3, column name: missing"
    accounts = [r[0] for r in db.conn.execute("SELECT account_number FROM customers ORDER BY 1")]
    assert accounts == ["C-1", "C-4"]


def test_unknown_header_is_ignored_with_a_warning_naming_it(db, tmp_path: Path) -> None:
    path = customers_file(tmp_path, [cust("C-1")], extra=["colour"])
    report = import_customers(db, path)
    assert report.ok and report.inserted == 1
    assert len(report.warnings) == 1
    assert "'colour'" in report.warnings[0] and "ignored" in report.warnings[0]
    assert one(db, "SELECT count(*) FROM customers") == 1


def test_missing_required_header_is_refused_naming_it(db, tmp_path: Path) -> None:
    headers = [h for h in C_HEADERS if h != "name"]
    path = write(tmp_path / "c.csv", headers, [cust("C-1")])
    with pytest.raises(Refused, match="has no name column"):
        import_customers(db, path)
    headers = [h for h in R_HEADERS if h != "amount"]
    path = write(tmp_path / "r.csv", headers, [refund("RF-1")])
    with pytest.raises(Refused, match="has no amount column"):
        import_refunds(db, path)


def test_not_utf8_is_read_as_windows_1252_and_said(db, tmp_path: Path) -> None:
    """Issue #19: a CSV Excel saved in Windows-1252 imports; neither that nor UTF-8 is refused."""
    path = tmp_path / "latin1.csv"
    path.write_bytes((",".join(C_HEADERS) + "\nC-1,Caf\xe9\n").encode("latin-1"))
    report = import_customers(db, path, skip_invalid=True)
    assert any("is not UTF-8: it was read as Windows-1252" in w for w in report.warnings)
    path.write_bytes((",".join(C_HEADERS) + "\nC-1,Caf\x81\n").encode("latin-1"))
    with pytest.raises(Refused, match="is neither UTF-8 nor Windows-1252 text"):
        import_customers(db, path)


def test_row_with_wrong_cell_count(db, tmp_path: Path) -> None:
    path = tmp_path / "short.csv"
    path.write_text(",".join(C_HEADERS) + "\nC-1,Acme\n", encoding="utf-8")
    report = import_customers(db, path)
    assert report.format_errors() == [f"row 1: has 2 cells; the header has {len(C_HEADERS)}"]


def test_reserved_account_numbers_are_refused(seeded, tmp_path: Path) -> None:
    db = seeded
    db.conn.execute("UPDATE customers SET state = 'deleted' WHERE account_number = 'C-1'")
    db.conn.execute(
        "UPDATE customers SET state = 'merged', merged_into = "
        "(SELECT id FROM customers WHERE account_number = 'C-1') WHERE account_number = 'C-2'"
    )
    path = customers_file(tmp_path, [cust("c-1", "New"), cust("C-2", "New")])
    report = import_customers(db, path)
    assert report.format_errors() == [
        "row 1, column account_number: deleted; restore it first",
        "row 2, column account_number: merged into C-1",
    ]
    assert one(db, "SELECT count(*) FROM customers WHERE name = 'New'") == 0


def test_reimport_updates_without_duplicates_and_audits(db, tmp_path: Path) -> None:
    path = customers_file(tmp_path, [cust("C-1", sales_rep="Ann"), cust("C-2", "Beta")])
    import_customers(db, path)
    path = customers_file(tmp_path, [cust("c-1", sales_rep="Bob"), cust("C-2", "Beta")])
    report = import_customers(db, path)
    assert (report.inserted, report.updated, report.unchanged) == (0, 1, 1)
    assert one(db, "SELECT count(*) FROM customers") == 2
    stored = row(db, "SELECT * FROM customers WHERE account_number = 'C-1'")
    assert (stored["account_number"], stored["sales_rep"], stored["version"]) == ("C-1", "Bob", 2)
    assert audit_rows(db, "customers")[-1] == ("C-1", "update", {"sales_rep": ["Ann", "Bob"]})
    audits = one(db, "SELECT count(*) FROM audit_log")
    report = import_customers(db, path)
    assert (report.updated, report.unchanged) == (0, 2)
    assert one(db, "SELECT count(*) FROM audit_log") == audits


def test_columns_missing_from_the_file_keep_their_values(db, tmp_path: Path) -> None:
    path = customers_file(tmp_path, [cust("C-1", bill_to_city="York")], extra=["bill_to_city"])
    import_customers(db, path)
    report = import_customers(db, customers_file(tmp_path, [cust("C-1", "Renamed")]))
    assert report.updated == 1
    assert one(db, "SELECT bill_to_city FROM customers") == "York"


def test_empty_optional_cells_are_null(db, tmp_path: Path) -> None:
    extra = ["bill_to_line1", "mandate_date", "brands", "references"]
    import_customers(db, customers_file(tmp_path, [cust("C-1", email="", phone=" ")], extra))
    stored = row(db, "SELECT * FROM customers")
    for column in ("email", "phone", "type_name", "bill_to_line1", "mandate_date", "sales_rep"):
        assert stored[column] is None, column
    empties = one(
        db, "SELECT count(*) FROM customers WHERE email = '' OR phone = '' OR type_name = ''"
    )
    assert empties == 0
    assert one(db, "SELECT count(*) FROM sites") == 0
    assert one(db, "SELECT count(*) FROM customer_tags") == 0


def test_neutralised_cells_reimport_to_the_original(db, tmp_path: Path) -> None:
    names = ["=SUM(A1)", "-minus", "@home", "'=quoted", "+plus"]
    path = tmp_path / "export.csv"
    rows = [
        [f"C-{i}", name, None, None, "+44 20 5555 0106", None, None, None, None, None]
        + [None, None, None, ["=tag"], True]
        for i, name in enumerate(names)
    ]
    write_csv(path, C_HEADERS, rows)
    text = path.read_text(encoding="utf-8")
    assert ",'=SUM(A1)," in text and ",'-minus," in text and ",''=quoted," in text
    assert ",+44 20 5555 0106," in text
    assert import_customers(db, path).inserted == len(names)
    stored = [r[0] for r in db.conn.execute("SELECT name FROM customers ORDER BY id")]
    assert stored == names
    assert one(db, "SELECT name FROM tags") == "=tag"
    report = import_customers(db, path)
    assert report.unchanged == len(names)


def test_foreign_but_valid_values_are_stored_exactly(db, tmp_path: Path) -> None:
    values = [
        ("Smith [/] Ltd", "114 55"),
        ("[bold]x", "D02 X285"),
        ("=SUM(A1)", "100-0005"),
        ("Robert'); DROP TABLE customers;--", "LS1 4AP"),
        ("Ελληνική Εταιρεία Α.Ε.", "114 55"),
        ("株式会社テスト", "100-0005"),
    ]
    rows = [
        cust(f"C-{i}", name, ship_to_postal_code=postal, ship_to_city="x", ship_to_state="")
        for i, (name, postal) in enumerate(values)
    ]
    report = import_customers(db, customers_file(tmp_path, rows))
    assert report.inserted == len(values), report.format_errors()
    got = db.conn.execute(
        "SELECT c.name, s.postal_code, s.state FROM customers c JOIN sites s ON s.customer_id = c.id"
        " ORDER BY c.id"
    ).fetchall()
    assert got == [(name, postal, None) for name, postal in values]


def test_control_characters_in_a_name_are_refused(db, tmp_path: Path) -> None:
    report = import_customers(db, customers_file(tmp_path, [cust("C-1", "Acme\x07Ltd")]))
    assert report.format_errors() == [
        "row 1, column name: control characters are not allowed (U+0007)"
    ]


def test_unknown_fixed_list_value_lists_the_known_ones(db, tmp_path: Path) -> None:
    path = customers_file(tmp_path, [cust("C-1", portal_status="Sleeping")], ["portal_status"])
    report = import_customers(db, path)
    assert report.format_errors() == [
        "row 1, column portal_status: unknown value 'Sleeping'; use one of: Active, Invited, "
        "Inactive"
    ]


# --- refunds -----------------------------------------------------------------------------


def test_refunds_are_imported(seeded, tmp_path: Path) -> None:
    db = seeded
    path = refunds_file(
        tmp_path,
        [
            refund(
                "RF-000001",
                cheque_number="901",
                memo="first",
                status="Voided",
                void_reason="Duplicate",
            ),  # fmt: skip
            refund(
                "RF-000002",
                "c-2",
                amount="250000.00",
                currency="jpy",
                status="issued",
                payment_method="bank transfer",
                refund_account="MAIN BANK",
            ),
        ],
        extra=["void_reason", "created_by"],
    )
    report = import_refunds(db, path)
    assert (report.inserted, report.errors) == (2, [])
    first = row(db, "SELECT * FROM refunds WHERE refund_number = 'RF-000001'")
    assert (first["amount"], first["currency"], first["status"]) == (1250, "USD", "Voided")
    assert (first["cheque_number"], first["memo"], first["void_reason"]) == (
        901,
        "first",
        "Duplicate",
    )
    assert first["created_by"] == clock.os_user()  # a blank creator is the importing login
    second = row(db, "SELECT * FROM refunds WHERE refund_number = 'RF-000002'")
    assert (second["amount"], second["currency"], second["status"]) == (250000, "JPY", "Issued")
    assert (second["payment_method"], second["refund_account"]) == ("Bank Transfer", "Main Bank")
    assert one(db, "SELECT count(*) FROM refund_accounts") == 1
    assert one(db, "SELECT next_value FROM sequences WHERE name = 'refund_number'") == 3
    assert [(k, a) for k, a, _ in audit_rows(db, "refunds")] == [
        ("RF-000001", "import"),
        ("RF-000002", "import"),
    ]
    assert one(db, "SELECT next_cheque_number FROM refund_accounts") == 1001


def test_too_many_decimals_are_refused(seeded, tmp_path: Path) -> None:
    report = import_refunds(seeded, refunds_file(tmp_path, [refund("RF-1", amount="1.001")]))
    assert report.format_errors() == [
        "row 1, column amount: 1.001 has more decimals than USD allows (2)"
    ]


def test_unknown_customer_is_refused(seeded, tmp_path: Path) -> None:
    path = refunds_file(tmp_path, [refund("RF-1"), refund("RF-2", "C-123")])
    report = import_refunds(seeded, path)
    assert report.format_errors() == ["row 2, column customer_account_number: no customer C-123"]
    assert one(seeded, "SELECT count(*) FROM refunds") == 0
    assert one(seeded, "SELECT count(*) FROM refund_accounts") == 0


def test_cheque_number_collision_names_the_refund(seeded, tmp_path: Path) -> None:
    db = seeded
    issued = {"status": "Issued"}
    import_refunds(db, refunds_file(tmp_path, [refund("RF-000123", cheque_number="901", **issued)]))
    path = refunds_file(
        tmp_path,
        [
            refund("RF-2", cheque_number="901", refund_account="main bank", **issued),
            refund("RF-3", cheque_number="950", **issued),
            refund("RF-4", cheque_number="950", **issued),
            refund("RF-5", cheque_number="901", refund_account="Other Bank", **issued),
        ],
    )
    report = import_refunds(db, path)
    assert report.format_errors() == [
        "row 1, column cheque_number: already used by RF-000123",
        "row 3, column cheque_number: already used by RF-3",
    ]
    assert one(db, "SELECT count(*) FROM refunds") == 1
    report = import_refunds(db, path, skip_invalid=True)
    assert report.inserted == 2 and [r for r, _, _ in report.skipped] == [1, 3]
    numbers = [r[0] for r in db.conn.execute("SELECT refund_number FROM refunds ORDER BY id")]
    assert numbers == ["RF-000123", "RF-3", "RF-5"]


def test_import_never_moves_the_next_cheque_number(seeded, tmp_path: Path) -> None:
    from xoro_tui.data.refunds import cheque_register

    db = seeded
    issued = {"status": "Issued"}
    path = refunds_file(
        tmp_path,
        [
            refund("RF-1", cheque_number="900", **issued),
            refund("RF-2", cheque_number="10", **issued),
        ],
    )
    assert import_refunds(db, path).inserted == 2
    assert one(db, "SELECT next_cheque_number FROM refund_accounts") == 1001
    # an account with no book yet takes any unused historical number, and stays where it is
    path = refunds_file(tmp_path, [refund("RF-3", cheque_number="777777", **issued)])
    assert import_refunds(db, path).ok
    assert one(db, "SELECT next_cheque_number FROM refund_accounts") == 1001
    with db.conn:
        cheque_register.start_book(db.conn, "Main Bank", 800_000, "boss", "new stock")
    for cheque in ("800000", "900000"):
        path = refunds_file(tmp_path, [refund("RF-4", cheque_number=cheque, **issued)])
        assert import_refunds(db, path).format_errors() == [
            f"row 1, column cheque_number: cheque {cheque} on Main Bank is not below the "
            "current book's start (800000) and unused; to use higher numbers an admin starts "
            "a new book with: xoro-tui cheques --account 'Main Bank' --start N"
        ]
    assert one(db, "SELECT next_cheque_number FROM refund_accounts") == 800_000
    assert [row[:2] for row in audit_rows(db, "refund_accounts")] == [
        ("Main Bank", "insert"),
        ("Main Bank", "update"),
    ]


def test_source_document_must_be_this_customers_deposit_or_credit(seeded, tmp_path) -> None:
    db = seeded
    ids = dict(db.conn.execute("SELECT account_number, id FROM customers"))
    for doc_type, number, account in (
        ("customer_deposit", "DEP-000001", "C-1"),
        ("credit_memo", "CM-000001", "C-2"),
        ("invoice", "INV-000001", "C-1"),
    ):
        db.conn.execute(
            "INSERT INTO documents(doc_type, number, customer_id, doc_date, currency, created_at)"
            " VALUES (?, ?, ?, '2024-05-01', 'USD', 'x')",
            (doc_type, number, ids[account]),
        )
    path = refunds_file(
        tmp_path,
        [
            refund("RF-1", source_document="DEP-000001"),
            refund("RF-2", source_document="CM-000001"),
            refund("RF-3", source_document="INV-000001"),
            refund("RF-4", "C-2", source_document="cm-000001"),
        ],
        extra=["source_document"],
    )
    report = import_refunds(db, path)
    assert report.format_errors() == [
        "row 2, column source_document: not found",
        "row 3, column source_document: not found",
    ]
    report = import_refunds(db, path, skip_invalid=True)
    assert report.inserted == 2
    linked = db.conn.execute(
        "SELECT r.refund_number, d.number FROM refunds r JOIN documents d"
        " ON d.id = r.source_document_id ORDER BY r.id"
    ).fetchall()
    assert linked == [("RF-1", "DEP-000001"), ("RF-4", "CM-000001")]


def test_refund_reimport_updates_and_audits(seeded, tmp_path: Path) -> None:
    db = seeded
    import_refunds(db, refunds_file(tmp_path, [refund("RF-1"), refund("RF-2")]))
    path = refunds_file(tmp_path, [refund("rf-1", amount="20", status="Approved"), refund("RF-2")])
    report = import_refunds(db, path)
    assert (report.inserted, report.updated, report.unchanged) == (0, 1, 1)
    assert one(db, "SELECT count(*) FROM refunds") == 2
    stored = row(db, "SELECT * FROM refunds WHERE refund_number = 'RF-1'")
    assert (stored["amount"], stored["status"], stored["version"]) == (2000, "Approved", 2)
    assert audit_rows(db, "refunds")[-1] == (
        "RF-1",
        "import update",
        {"amount": ["12.50 USD", "20.00 USD"], "status": ["Draft", "Approved"]},
    )
    assert import_refunds(db, path).unchanged == 2


# --- two imports at once -----------------------------------------------------------------


def _import_in_child(db_path: str, csv_path: str, kind: str, start, results) -> None:
    db = open_database(db_path)
    start.wait()
    run = import_customers if kind == "customers" else import_refunds
    report: ImportReport = run(db, csv_path)
    results.put((report.inserted, report.updated, report.unchanged, report.errors))


def test_concurrent_imports_of_the_same_new_records(db, db_path: Path, tmp_path: Path) -> None:
    rows = [
        cust(f"C-{i}", f"Customer {i}", type_name=f"Type {i % 7}", sales_rep=f"Rep {i % 5}",
             tags=f"t{i % 3}|shared")
        for i in range(300)
    ]  # fmt: skip
    path = customers_file(tmp_path, rows)
    refunds_path = refunds_file(
        tmp_path,
        [refund(f"RF-{i}", f"C-{i}", refund_account=f"Acct {i % 4}") for i in range(300)],
    )
    context = multiprocessing.get_context("fork")
    for kind, csv_path in (("customers", path), ("refunds", refunds_path)):
        start, results = context.Barrier(2), context.Queue()
        workers = [
            context.Process(
                target=_import_in_child, args=(str(db_path), str(csv_path), kind, start, results)
            )
            for _ in range(2)
        ]
        for worker in workers:
            worker.start()
        outcomes = sorted(results.get(timeout=120) for _ in workers)
        for worker in workers:
            worker.join(timeout=60)
            assert worker.exitcode == 0
        assert outcomes == [(0, 0, 300, []), (300, 0, 0, [])]
    assert one(db, "SELECT count(*) FROM customers") == 300
    assert one(db, "SELECT count(*) FROM customer_types") == 7
    assert one(db, "SELECT count(*) FROM sales_reps") == 5
    assert one(db, "SELECT count(*) FROM tags") == 4
    assert one(db, "SELECT count(*) FROM refunds") == 300
    assert one(db, "SELECT count(*) FROM refund_accounts") == 4
    assert (
        one(
            db,
            "SELECT count(*) FROM audit_log WHERE action = 'insert' AND table_name != 'refund_accounts'",
        )
        == 600
    )
