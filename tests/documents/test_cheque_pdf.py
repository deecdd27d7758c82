"""Cheque and receipt PDFs: the text is there, in any script, and the file is private."""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path

import pytest
from pypdf import PdfReader

from xoro_tui.documents import fonts
from xoro_tui.documents.cheque import write_cheques
from xoro_tui.documents.print_data import (
    ChequeData,
    ReceiptData,
    address_lines,
    default_path,
    mask_account,
)
from xoro_tui.documents.refund_receipt import write_receipts
from xoro_tui.documents.words import amount_in_words, cheque_words


def _cheque(**changes: object) -> ChequeData:
    values: dict[str, object] = {
        "payee": "Acme Supplies Inc.",
        "payee_address_lines": ["1 Main Street", "Springfield, IL 62701"],
        "date": dt.date(2024, 5, 1),
        "amount_minor": 125050,
        "currency": "USD",
        "memo": "Deposit refund",
        "cheque_number": 1001,
        "bank_name": "First National Bank",
        "bank_account": "021000021-123456789",
        "refund_number": "RF-000042",
        "company_name": "Xoro Demo Trading Ltd",
        "company_address_lines": ["100 Market Street", "San Francisco, CA 94105"],
    }
    values.update(changes)
    return ChequeData(**values)  # type: ignore[arg-type]


def _receipt(**changes: object) -> ReceiptData:
    values: dict[str, object] = {
        "refund_number": "RF-000042",
        "refund_date": dt.date(2024, 5, 3),
        "amount_minor": 75000,
        "currency": "EUR",
        "customer_name": "Zoë Müller GmbH",
        "customer_account_number": "C-00123",
        "payment_method": "Cheque",
        "bill_to_lines": address_lines("Hauptstraße 5", None, "Berlin", None, "10115", "Germany"),
        "ship_to_lines": address_lines("Lager 2", None, "Hamburg", None, "20095", "Germany"),
        "source_number": "DEP-000012",
        "source_date": dt.date(2024, 3, 1),
        "source_total_minor": 100000,
        "source_remaining_minor": 25000,
        "lines": [("Refund of unused deposit", 75000)],
        "cheque_number": 1001,
        "company_name": "Xoro Demo Trading Ltd",
    }
    values.update(changes)
    return ReceiptData(**values)  # type: ignore[arg-type]


def _text(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def _squash(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize(
    ("payee", "minor", "currency"),
    [
        ("Acme Supplies Inc.", 125050, "USD"),
        ("Kyoto Trading KK", 250000, "JPY"),
        ("Ζωή Παπαδοπούλου", 9900, "EUR"),
        ("Иван Петров и Ко", 123456, "UAH"),
    ],
)
def test_cheque_shows_payee_amount_and_number(
    tmp_path: Path, payee: str, minor: int, currency: str
) -> None:
    path = write_cheques(
        [_cheque(payee=payee, amount_minor=minor, currency=currency)], tmp_path / "c.pdf"
    )
    (text,) = _text(path)
    assert payee in text
    assert cheque_words(minor, currency) in _squash(text)
    assert "1001" in text
    assert "REPRINT" not in text
    assert "6789" in text and "123456789" not in text  # only the last 4 digits


def test_cjk_payee(tmp_path: Path) -> None:
    if fonts.find_cjk_font() is None:
        pytest.skip("install fonts-droid-fallback (no CJK font found by fc-list)")
    warnings: list[str] = []
    payee = "株式会社 東京商事"
    path = write_cheques(
        [_cheque(payee=payee, amount_minor=250000, currency="JPY", memo="返金 退款")],
        tmp_path / "c.pdf",
        on_warning=warnings.append,
    )
    (text,) = _text(path)
    assert payee in text and "返金 退款" in text
    assert "Two hundred and fifty thousand yen" in text
    assert warnings == []


def test_without_a_cjk_font_the_pdf_still_prints_with_placeholders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XORO_TUI_CJK_FONT", str(tmp_path / "no-such-font.ttf"))
    fonts.find_cjk_font.cache_clear()
    try:
        warnings: list[str] = []
        path = write_cheques(
            [_cheque(payee="東京 Trading")], tmp_path / "c.pdf", on_warning=warnings.append
        )
    finally:
        fonts.find_cjk_font.cache_clear()
    (text,) = _text(path)
    assert f"{fonts.PLACEHOLDER}{fonts.PLACEHOLDER} Trading" in text
    assert len(warnings) == 1 and "fonts-droid-fallback" in warnings[0]


def test_font_report_without_cjk() -> None:
    from fpdf import FPDF

    report = fonts.setup_fonts(FPDF(), cjk=False)
    assert report.printable("Ωμέγα Привет 東") == f"Ωμέγα Привет {fonts.PLACEHOLDER}"
    assert "fonts-droid-fallback" in (report.missing_cjk_message or "")


def test_several_cheques_one_per_page_and_reprint(tmp_path: Path) -> None:
    items = [
        _cheque(cheque_number=1001),
        _cheque(cheque_number=1002, payee="Beta Ltd", reprint=True),
    ]
    pages = _text(write_cheques(items, tmp_path / "c.pdf", page_size="A4"))
    assert len(pages) == 2
    assert "1001" in pages[0] and "REPRINT" not in pages[0]
    assert "1002" in pages[1] and "Beta Ltd" in pages[1] and "REPRINT" in pages[1]


def test_bad_page_size_and_empty_batch(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="page size"):
        write_cheques([_cheque()], tmp_path / "c.pdf", page_size="Legal")
    with pytest.raises(ValueError):
        write_cheques([], tmp_path / "c.pdf")


def test_receipt_contents(tmp_path: Path) -> None:
    path = write_receipts([_receipt(reprint=True)], tmp_path / "r.pdf")
    text = _squash("\n".join(_text(path)))
    for expected in (
        "Refund Customer Deposit",
        "Zoë Müller GmbH",
        "Hauptstraße 5",
        "Hamburg, 20095",
        "DEP-000012",
        "1,000.00 EUR",
        "250.00 EUR",  # the remaining balance
        "750.00 EUR",
        "Cheque",
        "REPRINT",
    ):
        assert expected in text, expected
    assert amount_in_words(75000, "EUR")[1:] in text


def test_long_receipt_flows_onto_more_pages(tmp_path: Path) -> None:
    lines = [(f"Line {i}", 100) for i in range(80)]
    path = write_receipts([_receipt(lines=lines, amount_minor=8000)], tmp_path / "r.pdf")
    pages = _text(path)
    assert len(pages) >= 2
    assert "Line 79" in "".join(pages)


def test_files_are_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cheque = write_cheques([_cheque()], tmp_path / "c.pdf")
    receipt = write_receipts([_receipt()], tmp_path / "r.pdf")
    assert stat.S_IMODE(cheque.stat().st_mode) == 0o600
    assert stat.S_IMODE(receipt.stat().st_mode) == 0o600
    os.chmod(cheque, 0o644)  # a reprint over a loose old file tightens it again
    write_cheques([_cheque()], cheque)
    assert stat.S_IMODE(cheque.stat().st_mode) == 0o600
    monkeypatch.setenv("XORO_TUI_GROUP", "no-such-group-xoro")
    shared = write_cheques([_cheque()], tmp_path / "g.pdf")
    assert stat.S_IMODE(shared.stat().st_mode) == 0o660
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_default_path(tmp_path: Path) -> None:
    path = default_path("cheque", 1001)
    assert path == Path(os.environ["XORO_TUI_EXPORTS"]) / "cheque-1001.pdf"
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert default_path("receipt", "RF/1 2", tmp_path / "x").name == "receipt-RF_1_2.pdf"


def test_mask_account() -> None:
    assert mask_account("021000021-123456789") == "\u2022\u2022\u2022\u20226789"
    assert mask_account(None) == ""
