"""Exports in every format, read back with a real reader for each."""

from __future__ import annotations

import csv
import datetime as dt
import os
import stat
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.factories import customer
from xoro_tui.data.customers.customer_list import customer_spec
from xoro_tui.data.models.entities import CUSTOMER_FIELDS
from xoro_tui.data.search.list_query import Filter
from xoro_tui.data.store.errors import Refused
from xoro_tui.data.transfer.csv_format import unneutralise
from xoro_tui.documents import exports
from xoro_tui.documents.export_formats import xlsx as xlsx_format
from xoro_tui.documents.export_formats import xlsx_rows
from xoro_tui.documents.export_formats.common import width
from xoro_tui.documents.export_sources import import_spec, list_export
from xoro_tui.documents.exports import ExportCancelled, default_file_name, export_rows

HOSTILE = ["=1+1", "@SUM(A1)", "-2+3", "'=already", "Smith [/] Ltd", "Zoë Ångström",
           "Ελληνικά Α.Ε.", "日本語の会社"]  # fmt: skip
PHONE = "+44 20 5555 0106"
TYPED_HEADER = ["Name", "Cheque #", "Amount", "Date", "Changed", "Active", "Tags"]
TYPED_KINDS = ["text", "number", "money", "date", "date", "bool", "text"]
TYPED_ROWS = [
    ("=1+1", 1001, "1999.99", "2026-11-23", "2026-11-23T10:20:30+00:00", 1, "a|b"),
    ("Zoë", None, "-250.5", "2026-01-02", None, 0, None),
    ("日本語の会社", 7, "250000", "", "", None, "x"),
]


@pytest.fixture
def hostile(db):
    for i, name in enumerate(HOSTILE):
        customer(
            db,
            account_number=f"H-{i:02d}",
            name=name,
            phone=PHONE,
            email=f"h{i}@example.com",
            tags=["vip", "export"] if i % 2 else [],
            ship_to_city="Zürich" if i % 2 else "London",
            is_active=i != 3,
            mandate_date="2026-01-02" if i == 1 else None,
        )
    return db


def export_customers(db, path: Path, fmt: str, **kw) -> exports.ExportResult:
    spec, sort, columns = import_spec("customers")
    header, rows, kinds = list_export(
        db, spec, Filter(), sort, columns, titles=False, csv_cells=fmt == "csv"
    )
    return export_rows(header, rows, kinds, path, fmt, title="Customers", **kw)


def read_csv(path: Path, delimiter: str = ",") -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle, delimiter=delimiter))


def test_csv_has_bom_import_headers_and_neutralised_cells(hostile, tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    result = export_customers(hostile, path, "csv")
    assert result.rows == len(HOSTILE) and result.path == path
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in path.read_bytes()
    header, *rows = read_csv(path)
    assert header == list(CUSTOMER_FIELDS)
    by_account = {r[0]: dict(zip(header, r, strict=True)) for r in rows}
    names = [by_account[f"H-{i:02d}"]["name"] for i in range(len(HOSTILE))]
    assert names[:4] == ["'=1+1", "'@SUM(A1)", "'-2+3", "''=already"]
    assert names[4:] == HOSTILE[4:]
    assert [unneutralise(n) for n in names] == HOSTILE
    first = by_account["H-01"]
    assert first["phone"] == PHONE
    assert first["tags"] == "export|vip"
    assert first["is_active"] == "true" and by_account["H-03"]["is_active"] == "false"
    assert first["mandate_date"] == "2026-01-02"
    assert first["ship_to_city"] == "Zürich"


def test_csv_semicolon_and_typed_values(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    rows = [*TYPED_ROWS, ("a;b", -5, "-12.50", "2026-01-01", None, True, 'say "hi"\nbye')]
    export_rows(TYPED_HEADER, rows, TYPED_KINDS, path, "csv", delimiter=";")
    assert (
        path.read_bytes().splitlines()[0]
        == "\ufeffName;Cheque #;Amount;Date;Changed;Active;Tags".encode()
    )
    header, *read = read_csv(path, ";")
    assert read[0] == ["'=1+1", "1001", "1999.99", "2026-11-23", "2026-11-23T10:20:30+00:00",
                       "true", "a|b"]  # fmt: skip
    assert read[1][:3] == ["Zoë", "", "-250.5"] and read[1][5] == "false"
    assert read[3] == ["a;b", "-5", "-12.50", "2026-01-01", "", "true", 'say "hi"\nbye']


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(max_size=12), min_size=1, max_size=4), st.sampled_from([",", ";"]))
def test_csv_cells_come_back_exactly(tmp_path_factory, cells: list[str], delimiter: str) -> None:
    path = tmp_path_factory.mktemp("h") / "h.csv"
    header = [f"c{i}" for i in range(len(cells))]
    export_rows(header, [cells], ["text"] * len(cells), path, "csv", delimiter=delimiter)
    with open(path, encoding="utf-8-sig", newline="") as handle:
        read = list(csv.reader(handle, delimiter=delimiter))
    assert [unneutralise(c) for c in read[1]] == cells


@pytest.mark.parametrize("what", ["customers", "refunds"])
def test_csv_cells_from_sql_write_the_same_bytes(hostile, tmp_path: Path, what: str) -> None:
    """SQLite giving cells as CSV text (the fast path of a big export) changes no byte."""
    assert import_three_refunds(hostile, tmp_path) == 3
    spec, sort, columns = import_spec(what)
    paths = []
    for csv_cells in (False, True):
        header, rows, kinds = list_export(
            hostile, spec, Filter(), sort, columns, titles=False, csv_cells=csv_cells
        )
        paths.append(export_rows(header, rows, kinds, tmp_path / f"{csv_cells}.csv", "csv").path)
    assert paths[0].read_bytes() == paths[1].read_bytes()
    assert len(read_csv(paths[1])) > 1


def test_ship_to_columns_read_through_one_join_match_the_centre(hostile, tmp_path: Path) -> None:
    spec = customer_spec("active")
    columns = ["account_number", "ship_to_city", "ship_to_postal_code", "ship_to_line1"]
    header, rows, kinds = list_export(hostile, spec, Filter(), ("account_number", False), columns)
    exported = [tuple(r) for r in rows]
    sql = ", ".join(spec.fields[c].sql for c in columns)
    expected = hostile.conn.execute(
        f"SELECT {sql} FROM customers c WHERE c.state = 'active' ORDER BY c.account_number"
    ).fetchall()
    assert exported == expected
    assert {r[1] for r in exported} == {"Zürich", "London"}


def test_txt_is_an_aligned_table(hostile, tmp_path: Path) -> None:
    path = tmp_path / "c.txt"
    spec = customer_spec()
    columns = ["account_number", "name", "phone", "is_active"]
    header, rows, kinds = list_export(hostile, spec, Filter(), ("account_number", False), columns)
    long = [("X-1", "A" * 80 + "\x1b[31m", "+1 555", 1)]
    export_rows(header, [*rows, *long], kinds, path, "txt", title="Customers", filter_text="all")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[:2] == ["Customers", "all"]
    head = lines[3]
    assert head.split() == ["Account", "#", "Customer", "Name", "Phone", "Active"]
    start = head.index("Phone")
    data = lines[5:]
    records = [line for line in data if not line.startswith(" ")]
    # aligned in terminal columns: 日本語 takes two columns a character
    assert {width(line[: line.index(" +") + 1]) for line in records} == {start}
    assert data[0].startswith("H-00") and "=1+1" in data[0] and data[0].rstrip().endswith("Yes")
    # a long name wraps onto continuation lines under its column: nothing is cut
    last = data[data.index(records[-1]) :]
    name_at = head.index("Customer")
    assert "".join(line[name_at:start].strip() for line in last) == "A" * 80 + "[31m"
    assert "…" not in path.read_text(encoding="utf-8")
    assert "\x1b" not in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("fast", [True, False], ids=["fast-rows", "public-api"])
def test_xlsx_typed_cells_frozen_header_autofilter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fast: bool
) -> None:
    import openpyxl

    if not fast:
        monkeypatch.setattr(xlsx_rows, "supported", lambda sheet: False)
    path = tmp_path / "t.xlsx"
    export_rows(TYPED_HEADER, TYPED_ROWS, TYPED_KINDS, path, "xlsx", title="Refunds [x]")
    ws = openpyxl.load_workbook(path).worksheets[0]
    assert ws.title == "Refunds x"
    assert [c.value for c in ws[1]] == TYPED_HEADER and ws["A1"].font.b
    name, cheque, amount, day, changed, active, tags = ws[2]
    assert name.value == "=1+1" and name.data_type == "s"
    assert cheque.value == 1001 and cheque.data_type == "n"
    assert amount.value == pytest.approx(1999.99) and amount.number_format == "#,##0.00"
    assert day.value == dt.datetime(2026, 11, 23) and day.is_date
    assert changed.value == dt.datetime(2026, 11, 23, 10, 20, 30) and changed.is_date
    assert active.value is True and tags.value == "a|b"
    assert ws["C3"].value == pytest.approx(-250.5) and ws["C3"].number_format == "#,##0.0"
    assert ws["C4"].value == 250000 and ws["C4"].number_format == "#,##0"
    assert ws["F3"].value is False and ws["A4"].value == "日本語の会社" and ws["B3"].value is None
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:G4"


def test_xlsx_keeps_hostile_text_as_text_and_splits_sheets(
    hostile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import openpyxl

    monkeypatch.setattr(xlsx_format, "XLSX_SHEET_ROWS", 3)
    path = tmp_path / "c.xlsx"
    export_customers(hostile, path, "xlsx")
    book = openpyxl.load_workbook(path)
    assert [ws.title for ws in book.worksheets] == ["Customers", "Customers (2)", "Customers (3)"]
    names = [row[1] for ws in book.worksheets for row in ws.iter_rows(min_row=2, values_only=True)]
    assert names == HOSTILE
    assert all(ws["B2"].data_type == "s" for ws in book.worksheets)
    assert book.worksheets[0]["E2"].value == PHONE


def test_xls_typed_cells_and_sheets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import xlrd

    from xoro_tui.documents.export_formats import xls

    monkeypatch.setattr(xls, "XLS_SHEET_ROWS", 2)
    path = tmp_path / "t.xls"
    export_rows(TYPED_HEADER, TYPED_ROWS, TYPED_KINDS, path, "xls", title="Refunds")
    book = xlrd.open_workbook(str(path))
    assert book.nsheets == 2 and book.sheet_names() == ["Refunds", "Refunds (2)"]
    sheet = book.sheet_by_index(0)
    assert sheet.row_values(0) == TYPED_HEADER
    assert sheet.cell(1, 0).ctype == xlrd.XL_CELL_TEXT and sheet.cell_value(1, 0) == "=1+1"
    assert sheet.cell(1, 1).ctype == xlrd.XL_CELL_NUMBER and sheet.cell_value(1, 1) == 1001
    assert sheet.cell_value(1, 2) == pytest.approx(1999.99)
    assert sheet.cell(1, 3).ctype == xlrd.XL_CELL_DATE
    assert xlrd.xldate_as_datetime(sheet.cell_value(1, 3), book.datemode) == dt.datetime(
        2026, 11, 23
    )
    assert sheet.cell(1, 5).ctype == xlrd.XL_CELL_BOOLEAN
    assert book.sheet_by_index(1).row_values(0) == TYPED_HEADER
    assert book.sheet_by_index(1).cell_value(1, 0) == "日本語の会社"


def test_docx_has_a_real_table(hostile, tmp_path: Path) -> None:
    import docx

    path = tmp_path / "c.docx"
    export_customers(hostile, path, "docx", filter_text="Everything")
    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs]
    assert "Customers" in texts and "Everything" in texts
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells][:3] == ["account_number", "name", "type_name"]
    assert len(table.rows) == len(HOSTILE) + 1
    names = [row.cells[1].text for row in table.rows[1:]]
    assert names == HOSTILE
    assert table.rows[2].cells[4].text == PHONE


def test_pdf_repeats_the_header_and_numbers_pages(hostile, tmp_path: Path) -> None:
    from pypdf import PdfReader

    spec = customer_spec()
    columns = ["account_number", "name", "phone", "is_active"]
    header, rows, kinds = list_export(hostile, spec, Filter(), ("account_number", False), columns)
    many = [*rows] + [(f"Z-{i:03d}", f"Filler {i}", "", 1) for i in range(120)]
    path = tmp_path / "c.pdf"
    export_rows(header, many, kinds, path, "pdf", title="Customers", filter_text='Search "h"')
    pages = [p.extract_text() for p in PdfReader(str(path)).pages]
    assert len(pages) >= 3
    assert "Customers" in pages[0] and 'Search "h"' in pages[0]
    for number, text in enumerate(pages, start=1):
        assert "Account #" in text and "Customer Name" in text
        assert f"Page {number} of {len(pages)}" in text
    for name in HOSTILE[:7]:
        assert name in pages[0]


def test_pdf_turns_landscape_for_many_columns(hostile, tmp_path: Path) -> None:
    from pypdf import PdfReader

    path = tmp_path / "wide.pdf"
    export_customers(hostile, path, "pdf")
    box = PdfReader(str(path)).pages[0].mediabox
    assert box.width > box.height


@pytest.mark.parametrize("fmt", exports.FORMATS)
def test_files_are_private(
    hostile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    old = os.umask(0o000)
    try:
        path = tmp_path / "out" / f"c.{fmt}"
        export_customers(hostile, path, fmt)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        monkeypatch.setenv("XORO_TUI_GROUP", "no-such-group-here")
        export_customers(hostile, path, fmt)
        assert stat.S_IMODE(path.stat().st_mode) == 0o660
    finally:
        os.umask(old)
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


@pytest.mark.parametrize("fmt", ["docx", "xls", "pdf"])
def test_in_memory_formats_refuse_big_exports_before_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    monkeypatch.setitem(exports.MEMORY_LIMITS, fmt, 20)  # cells: 10 rows of 2 columns
    rows = [(f"r{i}", i) for i in range(11)]
    path = tmp_path / f"big.{fmt}"
    with pytest.raises(Refused, match=r"at most 10 rows.*CSV.*txt.*xlsx"):
        export_rows(["a", "b"], iter(rows), ["text", "number"], path, fmt, total=11)
    assert list(tmp_path.iterdir()) == []
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 3)
    with pytest.raises(Refused, match="at most 10 rows"):
        export_rows(["a", "b"], iter(rows), ["text", "number"], path, fmt)  # total unknown
    assert list(tmp_path.iterdir()) == []
    assert export_rows(["a", "b"], rows[:10], ["text", "number"], path, fmt, total=10).rows == 10


@pytest.mark.parametrize("fmt", exports.FORMATS)
def test_cancel_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 5)
    seen: list[tuple[int, int]] = []
    path = tmp_path / f"c.{fmt}"
    rows = ((f"row {i}", i) for i in range(50))
    with pytest.raises(ExportCancelled):
        export_rows(["a", "b"], rows, ["text", "number"], path, fmt, total=50,
                    progress=lambda d, t: seen.append((d, t)),
                    cancelled=lambda: len(seen) >= 2)  # fmt: skip
    assert seen == [(5, 50), (10, 50)]
    assert list(tmp_path.iterdir()) == []


def test_progress_and_result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 4)
    seen: list[tuple[int, int]] = []
    rows = [(str(i),) for i in range(10)]
    result = export_rows(["n"], rows, ["text"], tmp_path / "p.csv", "csv",
                         progress=lambda d, t: seen.append((d, t)))  # fmt: skip
    assert seen == [(4, 0), (8, 0), (10, 10)]
    assert result.rows == 10 and result.seconds >= 0


def test_default_file_name() -> None:
    day = dt.date(2026, 11, 23)
    assert default_file_name("customers", "Smith", "xlsx", day) == "customers-smith-2026-11-23.xlsx"
    assert default_file_name("refunds", "", "csv", day) == "refunds-2026-11-23.csv"
    assert default_file_name("customers", "Zoë & Sons / Ltd", "pdf", "2026-11-23") == (
        "customers-zoe-sons-ltd-2026-11-23.pdf"
    )
    long = default_file_name("customers", "a very long filter text about many things", "txt", day)
    assert long == "customers-a-very-long-filter-text-about-2026-11-23.txt"
    assert default_file_name("customers", "日本語", "csv", day) == "customers-2026-11-23.csv"


# --- round trips through the import ---------------------------------------------------------


def import_three_refunds(db, tmp_path: Path) -> int:
    from xoro_tui.data.transfer.importer import import_refunds

    customer(db, account_number="C-1", name="Acme")
    source = tmp_path / "in.csv"
    lines = [
        "refund_number,customer_account_number,refund_date,amount,currency,status,"
        "payment_method,refund_account,cheque_number,memo",
        "R-1,C-1,2024-05-01,1999.99,USD,Issued,Cheque,Main Bank,901,=HYPERLINK(x)",
        "R-2,C-1,2024-05-02,250000,JPY,Approved,Bank Transfer,,,",
        "R-3,C-1,2024-05-03,1.250,KWD,Draft,Cash,,,-note",
    ]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return import_refunds(db, source).inserted


def test_customer_csv_reimports_unchanged(hostile, tmp_path: Path) -> None:
    importer = pytest.importorskip("xoro_tui.data.transfer.importer")
    from xoro_tui.data.store.opening import open_database

    first = tmp_path / "first.csv"
    export_customers(hostile, first, "csv")
    report = importer.import_customers(hostile, first)
    assert report.ok and (report.inserted, report.updated) == (0, 0)
    assert report.unchanged == len(HOSTILE)
    fresh = open_database(tmp_path / "fresh.sqlite", create=True)
    assert importer.import_customers(fresh, first).inserted == len(HOSTILE)
    second = tmp_path / "second.csv"
    export_customers(fresh, second, "csv")
    assert second.read_bytes() == first.read_bytes()


def test_refund_csv_has_plain_amounts_and_reimports_unchanged(db, tmp_path: Path) -> None:
    importer = pytest.importorskip("xoro_tui.data.transfer.importer")
    from xoro_tui.data.models.entities import REFUND_FIELDS

    assert import_three_refunds(db, tmp_path) == 3
    spec, sort, columns = import_spec("refunds")
    header, rows, kinds = list_export(db, spec, Filter(), sort, columns, titles=False)
    out = tmp_path / "out.csv"
    export_rows(header, rows, kinds, out, "csv")
    head, *read = read_csv(out)
    assert head == list(REFUND_FIELDS)
    got = {r[0]: dict(zip(head, r, strict=True)) for r in read}
    assert [got[n]["amount"] for n in ("R-1", "R-2", "R-3")] == ["1999.99", "250000", "1.250"]
    assert got["R-1"]["memo"] == "'=HYPERLINK(x)" and got["R-3"]["memo"] == "'-note"
    assert got["R-1"]["refund_date"] == "2024-05-01" and got["R-1"]["cheque_number"] == "901"
    report = importer.import_refunds(db, out)
    assert report.ok and report.unchanged == 3, report.format_errors()


def test_docx_escapes_markup_and_keeps_typed_text(tmp_path: Path) -> None:
    import docx

    path = tmp_path / "t.docx"
    rows = [*TYPED_ROWS, ("<b>Tom & Jerry</b> ", -5, "-12.50", None, None, True, "\x07bell")]
    export_rows(TYPED_HEADER, rows, TYPED_KINDS, path, "docx", title="Typed")
    table = docx.Document(str(path)).tables[0]
    assert [c.text for c in table.rows[1].cells] == [
        "=1+1", "1001", "1,999.99", "2026-11-23", "2026-11-23 10:20", "Yes", "a|b"
    ]  # fmt: skip
    assert [c.text for c in table.rows[4].cells] == [
        "<b>Tom & Jerry</b> ", "-5", "-12.50", "", "", "Yes", " bell"
    ]  # fmt: skip


def test_xls_uses_a_handful_of_styles_and_fixed_row_heights(tmp_path: Path) -> None:
    """One XF record per distinct style (not one per cell), and rows whose height is set,
    so LibreOffice neither reads thousands of styles nor measures every row on opening."""
    import xlrd

    path = tmp_path / "many.xls"
    rows = [
        (f"Name {i}", i, f"{i}.{i % 100:02d}", "2026-11-23", "2026-11-23T10:20:30+00:00",
         i % 2, "a|b")
        for i in range(3000)
    ]  # fmt: skip
    export_rows(TYPED_HEADER, rows, TYPED_KINDS, path, "xls", title="Many")
    book = xlrd.open_workbook(str(path), formatting_info=True)
    sheet = book.sheet_by_index(0)
    used = {sheet.cell_xf_index(r, c) for r in range(sheet.nrows) for c in range(sheet.ncols)}
    assert len(used) <= 8
    assert len(book.xf_list) <= 16 + 8  # Excel's 16 built-in XFs and ours
    assert all(sheet.rowinfo_map[r].height_mismatch for r in (0, 1, sheet.nrows - 1))
