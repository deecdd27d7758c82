"""Imports from what people have: other systems' customer files, spreadsheets, loose
headers, only the columns a record needs (headers from /work/shared/import-presets.md)."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.factories import customer
from xoro_tui.data.search.list_query import Filter
from xoro_tui.data.seed.seeder import seed_database
from xoro_tui.data.store.errors import Refused
from xoro_tui.data.store.opening import open_database
from xoro_tui.data.transfer.importer import ImportOptions, import_customers, import_refunds
from xoro_tui.data.transfer.mapping import split_address
from xoro_tui.documents import export_sources as sources
from xoro_tui.documents.exports import export_rows

QB_HEADER = (
    ",Active Status,Customer,Balance,Balance Total,Company,Mr./Ms./...,First Name,M.I.,"
    "Last Name,Primary Contact,Main Phone,Fax,Alt. Phone,Secondary Contact,Job Title,"
    "Main Email,Bill to 1,Bill to 2,Bill to 3,Bill to 4,Bill to 5,Ship to 1,Ship to 2,"
    "Ship to 3,Ship to 4,Ship to 5,Customer Type,Terms,Rep,Sales Tax Code,Tax item,"
    "Resale Num,Account No.,Credit Limit,Job Status,Job Type,Job Description,Start Date,"
    "Projected End,End Date"
)
QB_ROWS = [
    ",Active,ACME HARDWARE,1250.00,1250.00,Acme Hardware Inc,Mr.,John,Q,Smith,John Smith,"
    "(555) 201-3344,(555) 201-3345,,,Buyer,ap@acmehw.com; buyer@acmehw.com,Acme Hardware Inc,"
    '120 Main St,Suite 4,"Springfield, IL 62704",,Acme Hardware Inc,'
    'Dock 3 - 455 Industrial Pkwy,"Springfield, IL 62703",,,Wholesale,Net 30,JR,Tax,,'
    'R-88812,A1001,"5,000.00",,,,,,',
    ",Inactive,Rivera Maria,0.00,0.00,,Ms.,Maria,,Rivera,,787.686.6464,,,,,maria@example.com,"
    'Maria Rivera,Calle Luna 5,"Añasco PR, 00610",USA,,,,,,,Retail,Due on receipt,AB,,,,'
    ",,,,,,,,",
    ",Active,ACME HARDWARE:Warehouse job,0.00,0.00,Acme Hardware Inc,,,,,,,,,,,,,,,,,,,,,,,"
    ",,,,,,,,,,,,,",
]


def one(db, sql: str, args: tuple = ()) -> Any:
    return db.conn.execute(sql, args).fetchone()[0]


def customer_row(db, account: str) -> dict[str, Any]:
    cursor = db.conn.execute(
        "SELECT c.*, s.line1 AS ship_line1, s.city AS ship_city, s.state AS ship_state,"
        " s.postal_code AS ship_postal FROM customers c"
        " LEFT JOIN sites s ON s.customer_id = c.id AND s.is_default = 1"
        " WHERE c.account_number = ?",
        (account,),
    )
    return dict(zip([d[0] for d in cursor.description], cursor.fetchone(), strict=True))


def test_quickbooks_customer_list(db, tmp_path: Path) -> None:
    path = tmp_path / "qb.csv"
    path.write_text("\n".join([QB_HEADER, *QB_ROWS]) + "\n", encoding="utf-8")
    report = import_customers(db, path, options=ImportOptions(preset="quickbooks"))
    assert report.ok, report.format_errors()
    assert report.inserted == 2
    acme = customer_row(db, "A1001")
    assert acme["name"] == "Acme Hardware Inc" and acme["phone"] == "(555) 201-3344"
    assert acme["email"] == "ap@acmehw.com" and acme["sales_rep"] == "JR"
    assert (acme["bill_to_line1"], acme["bill_to_line2"]) == ("120 Main St", "Suite 4")
    assert (acme["bill_to_city"], acme["bill_to_state"], acme["bill_to_postal_code"]) == (
        "Springfield", "IL", "62704"
    )  # fmt: skip
    assert (acme["ship_line1"], acme["ship_city"], acme["ship_postal"]) == (
        "Dock 3 - 455 Industrial Pkwy", "Springfield", "62703"
    )  # fmt: skip
    refs = {r[0] for r in db.conn.execute("SELECT reference FROM customer_references")}
    assert "buyer@acmehw.com" in refs
    # no account number: the QuickBooks list name is the account; a person's name is joined
    maria = customer_row(db, "Rivera Maria")
    assert maria["name"] == "Maria Rivera" and maria["is_active"] == 0
    assert (maria["bill_to_city"], maria["bill_to_state"], maria["bill_to_postal_code"]) == (
        "Añasco", "PR", "00610"
    )  # fmt: skip
    assert maria["bill_to_country"] == "USA"
    # the job row is left out, the unknown columns are named once
    assert any("Balance" in w and "ignored" in w for w in report.warnings)
    assert any("1 row" in w for w in report.warnings)


def test_quickbooks_iif_customer_list(db, tmp_path: Path) -> None:
    header = (
        "!CUST\tNAME\tREFNUM\tTIMESTAMP\tBADDR1\tBADDR2\tBADDR3\tBADDR4\tBADDR5\tSADDR1\tSADDR2"
        "\tSADDR3\tSADDR4\tSADDR5\tPHONE1\tPHONE2\tFAXNUM\tEMAIL\tNOTE\tCONT1\tCONT2\tCTYPE"
        "\tTERMS\tTAXABLE\tSALESTAXCODE\tLIMIT\tRESALENUM\tREP\tTAXITEM\tNOTEPAD\tSALUTATION"
        "\tCOMPANYNAME\tFIRSTNAME\tMIDINIT\tLASTNAME\tHIDDEN"
    )
    row = (
        "CUST\tACME HARDWARE\t42\t1501191278\tAcme Hardware Inc\t120 Main St\tSpringfield, IL 62704"
        "\t\t\tAcme Hardware Inc\t455 Industrial Pkwy\tSpringfield, IL 62703\t\t\t(555) 201-3344"
        "\t\t(555) 201-3345\tap@acmehw.com\t\tJohn Smith\t\tWholesale\tNet 30\tY\tTax\t5000.00"
        "\tR-88812\tJR\tIL Sales Tax\t\tMr.\tAcme Hardware Inc\tJohn\tQ\tSmith\tN"
    )
    path = tmp_path / "customers.iif"
    text = "!HDR\tPROD\tVER\nHDR\tQuickBooks Desktop Pro\tVersion 27.0D\n" + header + "\n" + row
    path.write_text(text + "\n", encoding="utf-8")
    report = import_customers(db, path, options=ImportOptions(preset="quickbooks"))
    assert report.ok and report.inserted == 1, report.format_errors()
    acme = customer_row(db, "ACME HARDWARE")
    assert acme["name"] == "Acme Hardware Inc" and acme["is_active"] == 1
    assert acme["bill_to_line1"] == "120 Main St" and acme["bill_to_postal_code"] == "62704"
    assert acme["ship_line1"] == "455 Industrial Pkwy"


def test_odoo_contacts_export_with_a_delivery_address(db, tmp_path: Path) -> None:
    path = tmp_path / "res_partner.csv"
    path.write_text(
        '"id","name","ref","is_company","parent_id","type","street","street2","city",'
        '"state_id","zip","country_id","email","phone","category_id","user_id",'
        '"property_payment_term_id","active"\n'
        '"__export__.res_partner_42_1a2b3c4d","Acme Hardware Inc","A1001","True","","Contact",'
        '"120 Main St","Suite 4","Springfield","Illinois (US)","62704","United States",'
        '"ap@acmehw.com","+1 555-201-3344","Wholesale,VIP","Mitchell Admin","30 Days","True"\n'
        '"__export__.res_partner_57_9f8e7d6c","","","","Acme Hardware Inc","Delivery",'
        '"455 Industrial Pkwy","","Springfield","Illinois (US)","62703","United States",'
        '"","","","","","True"\n',
        encoding="utf-8",
    )
    report = import_customers(db, path, options=ImportOptions(preset="odoo"))
    assert report.ok and report.inserted == 1, report.format_errors()
    acme = customer_row(db, "A1001")
    assert acme["bill_to_state"] == "Illinois" and acme["bill_to_country"] == "United States"
    assert acme["ship_line1"] == "455 Industrial Pkwy" and acme["ship_postal"] == "62703"
    assert acme["sales_rep"] == "Mitchell Admin" and acme["payment_terms"] == "30 Days"
    tags = {r[0] for r in db.conn.execute("SELECT tag FROM customer_tags")}
    assert tags == {"Wholesale", "VIP"}


def test_erpnext_customer_export(db, tmp_path: Path) -> None:
    path = tmp_path / "Customer.csv"
    path.write_text(
        '"ID","Customer Name","Customer Type","Customer Group","Territory","Email Id",'
        '"Mobile No","Default Payment Terms Template","Sales Person (Sales Team)","Is Frozen",'
        '"Disabled"\n'
        '"Acme Hardware","Acme Hardware","Company","Commercial","United States",'
        '"ap@acmehw.com","+1-555-201-3344","Net 30","Jane Rivera",0,0\n'
        '"CUST-2024-00002","Beta Traders","Company","Commercial","United States","","","",'
        '"",1,1\n'
        '"","","","","","","","","Second Rep","",""\n',
        encoding="utf-8",
    )
    report = import_customers(db, path, options=ImportOptions(preset="erpnext"))
    assert report.ok and report.inserted == 2, report.format_errors()
    acme = customer_row(db, "Acme Hardware")
    assert acme["customer_group"] == "Commercial" and acme["sales_rep"] == "Jane Rivera"
    assert acme["is_active"] == 1 and acme["is_restricted"] == 0
    beta = customer_row(db, "CUST-2024-00002")
    assert beta["is_active"] == 0 and beta["is_restricted"] == 1
    assert any("Territory" in w for w in report.warnings)


def test_title_case_headers_and_the_apps_labels(db, tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text(
        "Account Number,Name,E-mail,Sales Rep\nC-10,Alpha Ltd,a@example.com,Ann\n",
        encoding="utf-8",
    )
    assert import_customers(db, path).inserted == 1
    path.write_text("Account #,Customer Name,Phone\nC-11,Beta Ltd,+1 555 0100\n", encoding="utf-8")
    assert import_customers(db, path).inserted == 1
    assert customer_row(db, "C-10")["email"] == "a@example.com"
    assert customer_row(db, "C-11")["name"] == "Beta Ltd"


def test_name_and_email_alone_need_number_new(db, tmp_path: Path) -> None:
    customer(db, account_number="C-100001", name="Existing Co", email="x@example.com")
    path = tmp_path / "people.csv"
    path.write_text(
        "name,email\nNew One,one@example.com\nExisting Co,x@example.com\n", encoding="utf-8"
    )
    with pytest.raises(Refused, match="--number-new"):
        import_customers(db, path)
    report = import_customers(db, path, options=ImportOptions(number_new=True))
    assert report.ok and report.inserted == 1
    assert report.format_skipped() == [
        "row 2: likely a duplicate of C-100001 (same name and email); skipped"
    ]
    number = one(db, "SELECT account_number FROM customers WHERE name = 'New One'")
    assert number.startswith("C-") and number != "C-100001"


def test_an_existing_customer_keeps_every_field_the_file_lacks(db, tmp_path: Path) -> None:
    customer(db, account_number="C-5", name="Old Name", email="keep@example.com", phone="+1 555")
    path = tmp_path / "rename.csv"
    path.write_text("Account #,Customer Name\nC-5,New Name\n", encoding="utf-8")
    report = import_customers(db, path)
    assert report.updated == 1
    got = customer_row(db, "C-5")
    assert (got["name"], got["email"], got["phone"]) == ("New Name", "keep@example.com", "+1 555")


def test_map_option_maps_any_header(db, tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text("Cust Code,Full Name,Colour\nK-1,Kappa Ltd,red\n", encoding="utf-8")
    options = ImportOptions(column_map="Cust Code=account_number, Full Name=name, Colour=ignore")
    report = import_customers(db, path, options=options)
    assert report.inserted == 1 and report.warnings == []
    with pytest.raises(Refused, match="not a field"):
        import_customers(db, path, options=ImportOptions(column_map="Cust Code=colour"))


def test_refund_with_only_the_columns_it_needs(db, tmp_path: Path) -> None:
    customer(db, account_number="C-1", name="Acme")
    path = tmp_path / "r.csv"
    path.write_text(
        "Account #,Date,Amount,Currency,Payment Method\nC-1,2026-11-23,1500.00,USD,ACH\n",
        encoding="utf-8",
    )
    report = import_refunds(db, path)
    assert report.ok and report.inserted == 1, report.format_errors()
    number, status = db.conn.execute("SELECT refund_number, status FROM refunds").fetchone()
    assert number.startswith("RF-") and status == "Draft"


def test_errors_say_the_format_expected(db, tmp_path: Path) -> None:
    customer(db, account_number="C-1", name="Acme")
    path = tmp_path / "r.csv"
    path.write_text(
        "customer_account_number,refund_date,amount,currency,payment_method\n"
        "C-1,02/09/2024,12.00,USD,ACH\n",
        encoding="utf-8",
    )
    report = import_refunds(db, path)
    assert report.format_errors() == [
        "row 1, column refund_date: a date like 2026-11-23; got 02/09/2024"
    ]
    path.write_text("Account #,Date,Amount,Currency,Payment Method\nC-1,2024-13-45,1,USD,ACH\n")
    (line,) = import_refunds(db, path).format_errors()
    assert line == "row 1, column Date (refund_date): a date like 2026-11-23; got 2024-13-45"


def test_missing_sources_are_one_summary_or_imported_without(db, tmp_path: Path) -> None:
    customer(db, account_number="C-1", name="Acme")
    path = tmp_path / "r.csv"
    rows = [f"RF-{n:06d},C-1,2026-11-23,10.00,USD,ACH,DEP-{n:06d}" for n in range(1, 41)]
    path.write_text(
        "refund_number,customer_account_number,refund_date,amount,currency,payment_method,"
        "source_document\n" + "\n".join(rows) + "\n",
        encoding="utf-8",
    )
    report = import_refunds(db, path)
    assert report.format_errors() == [
        "40 rows: source_document not found (first: RF-000001 → DEP-000001); "
        "import them without their source with --without-sources"
    ]
    assert one(db, "SELECT count(*) FROM refunds") == 0
    report = import_refunds(db, path, options=ImportOptions(without_sources=True))
    assert report.ok and report.inserted == 40 and report.without_source == 40
    assert one(db, "SELECT count(*) FROM refunds WHERE source_document_id IS NULL") == 40


def test_a_file_that_is_neither_csv_nor_excel_is_named(db, tmp_path: Path) -> None:
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    with pytest.raises(Refused, match="neither a CSV file nor an Excel workbook"):
        import_customers(db, path)


def test_address_split_variants() -> None:
    parts, extra = split_address(
        ["Acme", "1 Road", "Bldg 2", "Unit 3", "Springfield, IL  62704", "787.787.7733/787.743"],
        ["acme"],
    )
    assert parts == {
        "line1": "1 Road", "line2": "Bldg 2, Unit 3", "city": "Springfield", "state": "IL",
        "postal_code": "62704",
    }  # fmt: skip
    assert extra == ["787.787.7733/787.743"]
    parts, _ = split_address(["Bayamón, PR 00961"])
    assert parts == {"city": "Bayamón", "state": "PR", "postal_code": "00961"}
    parts, _ = split_address(["9 Rue", "Toronto ON M5V 2T6", "Canada"])
    assert parts["postal_code"] == "M5V 2T6" and parts["country"] == "Canada"


# --- this app's own spreadsheets round-trip ------------------------------------------------


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("own") / "s.db"
    seed_database(path, customers=300, refunds=300, seed=3)
    return path


def _export(db_path: Path, what: str, fmt: str, out: Path) -> Path:
    db = open_database(db_path)
    try:
        spec, sort, columns = sources.import_spec(what)
        header, rows, kinds = sources.list_export(db, spec, Filter(), sort, columns, titles=False)
        target = out / f"{what}.{fmt}"
        export_rows(header, rows, kinds, target, fmt, title=what.title())
    finally:
        db.conn.close()
    return target


@pytest.mark.parametrize("fmt", ["xlsx", "xls"])
def test_own_spreadsheet_exports_import_unchanged(seeded: Path, tmp_path: Path, fmt: str) -> None:
    db = open_database(seeded)
    try:
        for what, run in (("customers", import_customers), ("refunds", import_refunds)):
            path = _export(seeded, what, fmt, tmp_path)
            report = run(db, path)
            assert report.ok, report.format_errors()[:5]
            assert report.inserted == report.updated == 0
            assert report.unchanged > 250 and report.warnings == []
    finally:
        db.conn.close()


def test_cli_import_of_an_xlsx_sheet_with_a_preset(db, db_path: Path, tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Notes"
    sheet = book.create_sheet("Customers")
    sheet.append(["Customer Contact List"])
    sheet.append([])
    for line in csv.reader([QB_HEADER, QB_ROWS[0]]):
        sheet.append(line)
    path = tmp_path / "qb.xlsx"
    book.save(path)
    result = subprocess.run(
        [sys.executable, "-m", "xoro_tui", "import", "customers", str(path), "--db", str(db_path),
         "--preset", "quickbooks", "--sheet", "Customers"],
        capture_output=True, text=True, timeout=120, env=os.environ.copy(),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "customers: 1 added" in result.stdout
    assert "warning:" in result.stderr and "'Balance'" in result.stderr
    bad = subprocess.run(
        [sys.executable, "-m", "xoro_tui", "import", "customers", str(path), "--db", str(db_path),
         "--sheet", "Nope"],
        capture_output=True, text=True, timeout=120, env=os.environ.copy(),
    )  # fmt: skip
    assert bad.returncode != 0 and "no sheet 'Nope'" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_a_windows_1252_csv_imports_saying_so(db, db_path: Path, tmp_path: Path) -> None:
    """Excel on Windows saves "CSV" in Windows-1252: "Malmö" comes in whole, and the
    command line says which encoding it assumed; a file that is neither is refused plainly."""
    path = tmp_path / "excel.csv"
    text = "Account Number,Customer Name,City\r\nW-1,Café Nordström,Malmö\r\nW-2,Œuvre “Ltd”,Zürich\r\n"
    path.write_bytes(text.encode("cp1252"))
    done = subprocess.run(
        [sys.executable, "-m", "xoro_tui", "import", "customers", str(path), "--db", str(db_path),
         "--map", "City=bill_to_city"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "excel.csv is not UTF-8: it was read as Windows-1252" in done.stderr
    assert "2 added" in done.stdout
    rows = db.conn.execute(
        "SELECT name, bill_to_city FROM customers ORDER BY account_number"
    ).fetchall()
    assert rows == [("Café Nordström", "Malmö"), ("Œuvre “Ltd”", "Zürich")]

    bad = tmp_path / "neither.csv"
    bad.write_bytes(b"account_number,name\r\nN-1,ok\r\nN-2,\x81\x8d\r\n")
    done = subprocess.run(
        [sys.executable, "-m", "xoro_tui", "import", "customers", str(bad), "--db", str(db_path)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert "is neither UTF-8 nor Windows-1252 text (byte 0x81 on line 3)" in lines[0]
    assert "Traceback" not in done.stderr
    assert one(db, "SELECT count(*) FROM customers WHERE account_number LIKE 'N-%'") == 0
