"""Refund Customer Deposit receipts as a PDF, one receipt per page (or more, for long ones).

Pure: plain :class:`ReceiptData` in, a file out; all user text is plain text in the
registered fonts (see :mod:`xoro_tui.documents.fonts`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, cast

from xoro_tui.data.models import money
from xoro_tui.documents.fonts import FAMILY, FontReport, stamp_reprint
from xoro_tui.documents.pdf_file import write_pdf
from xoro_tui.documents.print_data import ReceiptData, user_text
from xoro_tui.documents.words import amount_in_words

if TYPE_CHECKING:
    from fpdf import FPDF

RED = (190, 30, 30)
GREY = (90, 90, 90)
SHADE = (238, 238, 238)


#: the title and line of a refund with no source document: it pays back an overpayment
NO_SOURCE_TITLE = "Overpayment Refund"
NO_SOURCE_LINE = "Overpayment refund"
NO_SOURCE_NOTE = (
    "Refund of an overpayment on the customer's account: no deposit or credit memo is refunded."
)


def has_source(item: ReceiptData) -> bool:
    return bool(item.source_number)


def title_of(item: ReceiptData) -> str:
    """``"Refund Customer Deposit"``, ``"Refund Credit Memo"``, or, with no source
    document, ``"Overpayment Refund"``."""
    if not has_source(item):
        return NO_SOURCE_TITLE
    return f"Refund {item.source_title}"


def write_receipts(
    items: Sequence[ReceiptData],
    path: Path,
    page_size: str = "Letter",
    *,
    on_warning: Callable[[str], None] | None = None,
) -> Path:
    """Write the receipts into one PDF at ``path`` (owner-only) and return the path.

    ``on_warning`` gets one sentence when some text cannot print fully (no CJK font).
    """
    if not items:
        raise ValueError("no receipts to print")
    text = "\n".join(user_text(item) for item in items)

    def draw(pdf: FPDF, fonts: FontReport) -> None:
        for item in items:
            pdf.add_page()
            first = pdf.page
            _receipt(pdf, fonts, item)
            if item.reprint:
                last = pdf.page
                for page in range(first, last + 1):
                    pdf.page = page
                    stamp_reprint(pdf, pdf.l_margin, 50, pdf.epw, 120)
                pdf.page = last

    return write_pdf(path, page_size, title_of(items[0]), draw, text=text, break_margin=15,
                     on_warning=on_warning)  # fmt: skip


def _amount(minor: int | None, currency: str) -> str:
    return "" if minor is None else f"{money.display(minor, currency)} {currency.upper()}"


def _grey(pdf: FPDF, size: float = 7.5) -> None:
    pdf.set_font(FAMILY, "", size)
    pdf.set_text_color(*GREY)


def _black(pdf: FPDF, style: str = "", size: float = 9.5) -> None:
    pdf.set_font(FAMILY, style, size)
    pdf.set_text_color(0, 0, 0)


def _receipt(pdf: FPDF, fonts: FontReport, item: ReceiptData) -> None:
    t = fonts.printable
    left, right = pdf.l_margin, pdf.w - pdf.r_margin
    width = right - left
    half = width / 2
    top = pdf.t_margin

    # header: company (left), title and refund number (right)
    pdf.set_xy(left, top)
    _black(pdf, "B", 14)
    pdf.multi_cell(half, 6.5, t(item.company_name), new_x="LEFT", new_y="NEXT")
    _black(pdf, "", 8.5)
    for line in item.company_address_lines:
        pdf.multi_cell(half, 4, t(line), new_x="LEFT", new_y="NEXT")
    bottom = pdf.get_y()

    pdf.set_xy(left + half, top)
    _black(pdf, "B", 15)
    pdf.cell(half, 7, title_of(item), align="R", new_x="LEFT", new_y="NEXT")
    for name, value in (
        ("Refund No.", t(item.refund_number)),
        ("Date", item.refund_date.isoformat()),
        ("Status", t(item.status or "")),
    ):
        if value:
            _black(pdf, "B" if name == "Refund No." else "", 9.5)
            pdf.cell(half, 5, f"{name}  {value}", align="R", new_x="LEFT", new_y="NEXT")
    if item.reprint:
        pdf.set_x(right - 30)
        _black(pdf, "B", 11)
        pdf.set_text_color(*RED)
        pdf.set_draw_color(*RED)
        pdf.cell(30, 7, "REPRINT", border=1, align="C", new_x="LEFT", new_y="NEXT")
        pdf.set_draw_color(0, 0, 0)
    y = max(bottom, pdf.get_y()) + 6

    # customer and addresses
    pdf.set_draw_color(180, 180, 180)
    pdf.line(left, y - 2, right, y - 2)
    pdf.set_xy(left, y)
    _grey(pdf)
    pdf.cell(width, 4, "CUSTOMER", new_x="LEFT", new_y="NEXT")
    _black(pdf, "B", 11)
    name = t(item.customer_name)
    if item.customer_account_number:
        name += f"  ({t(item.customer_account_number)})"
    pdf.multi_cell(width, 5.5, name, new_x="LEFT", new_y="NEXT")
    y = pdf.get_y() + 2
    ends = []
    for column, (label, lines) in enumerate(
        (("BILL TO", item.bill_to_lines), ("SHIP TO", item.ship_to_lines))
    ):
        x = left + column * half
        pdf.set_xy(x, y)
        _grey(pdf)
        pdf.cell(half, 4, label, new_x="LEFT", new_y="NEXT")
        _black(pdf, "", 9.5)
        for line in lines or ["-"]:
            pdf.multi_cell(half - 4, 4.6, t(line), new_x="LEFT", new_y="NEXT")
        ends.append(pdf.get_y())
    y = max(ends) + 5

    # the deposit (or credit memo) refunded; with none, a sentence that says so
    pdf.set_xy(left, y)
    if not has_source(item):
        _grey(pdf)
        pdf.cell(width, 4, "REFUNDED", new_x="LEFT", new_y="NEXT")
        _black(pdf, "", 9.5)
        pdf.multi_cell(width, 5, NO_SOURCE_NOTE, new_x="LEFT", new_y="NEXT")
        pdf.ln(6)
        pdf.set_fill_color(*SHADE)
    else:
        _source_table(pdf, item, width, t)

    # lines and total
    _black(pdf, "B", 8.5)
    pdf.cell(width - 45, 6, "Description", border=1, fill=True)
    pdf.cell(45, 6, f"Amount ({item.currency.upper()})", border=1, fill=True, align="R")
    pdf.ln()
    default = f"Refund of {item.source_number}" if has_source(item) else NO_SOURCE_LINE
    entries: list[tuple[str, int]] = list(item.lines) or [(default, item.amount_minor)]
    _black(pdf, "", 9.5)
    for description, amount in entries:
        rows = cast(
            "list[str]", pdf.multi_cell(width - 45, 6, t(description), dry_run=True, output="LINES")
        )
        height = 6 * max(1, len(rows))
        top_rule = ""
        if pdf.get_y() + height > pdf.page_break_trigger:
            pdf.add_page()
            top_rule = "T"  # the table continues on a new page: close it at the top
        y = pdf.get_y()
        pdf.multi_cell(
            width - 45, 6, t(description), border="LRB" + top_rule, new_x="RIGHT", new_y="TOP"
        )
        pdf.set_xy(left + width - 45, y)
        figures = money.display(amount, item.currency)
        pdf.cell(45, height, figures, border="RB" + top_rule, align="R")
        pdf.set_xy(left, y + height)
    _black(pdf, "B", 10.5)
    pdf.cell(width - 45, 8, "Refund total", align="R")
    pdf.cell(45, 8, _amount(item.amount_minor, item.currency), border="B", align="R")
    pdf.ln(9)
    _black(pdf, "", 8.5)
    words = amount_in_words(item.amount_minor, item.currency)
    pdf.multi_cell(
        width, 4.5, f"Amount in words: {words[0].upper()}{words[1:]}.", new_x="LEFT", new_y="NEXT"
    )
    pdf.ln(4)

    # how the money went back
    _grey(pdf)
    pdf.cell(width, 4, "REFUND METHOD", new_x="LEFT", new_y="NEXT")
    details = (
        ("Payment method", t(item.payment_method)),
        ("Refund account", t(item.refund_account or "")),
        ("Cheque No.", "" if item.cheque_number is None else t(str(item.cheque_number))),
        ("Reference", t(item.reference or "")),
        ("Memo", t(item.memo or "")),
    )
    for label, value in details:
        if not value:
            continue
        pdf.set_x(left)
        _grey(pdf, 8.5)
        pdf.cell(32, 5.5, label)
        _black(pdf, "", 9.5)
        pdf.multi_cell(width - 32, 5.5, value, new_x="LMARGIN", new_y="NEXT")

    # signatures, kept together at the bottom when there is room
    y = max(pdf.get_y() + 18, pdf.h - pdf.b_margin - 22)
    if y + 10 > pdf.h - pdf.b_margin:
        pdf.add_page()
        y = pdf.t_margin + 18
    pdf.set_draw_color(0, 0, 0)
    for column, label in enumerate(("Received by (customer)", "Authorised by")):
        x = left + column * (half + 8)
        pdf.line(x, y, x + half - 8, y)
        pdf.set_xy(x, y + 1)
        _grey(pdf)
        pdf.cell(half - 8, 4, label)
        pdf.set_xy(x, y + 6)
        pdf.cell(half - 8, 4, "Date")
    pdf.set_text_color(0, 0, 0)


def _source_table(pdf: FPDF, item: ReceiptData, width: float, t: Callable[[str], str]) -> None:
    """The deposit or credit memo refunded: number, date, original total, what is left."""
    _grey(pdf)
    pdf.cell(width, 4, f"{item.source_title.upper()} REFUNDED", new_x="LEFT", new_y="NEXT")
    columns = (
        ("Number", t(item.source_number or "")),
        ("Date", item.source_date.isoformat() if item.source_date else ""),
        ("Original total", _amount(item.source_total_minor, item.currency)),
        ("Remaining balance", _amount(item.source_remaining_minor, item.currency)),
    )
    quarter = width / 4
    pdf.set_fill_color(*SHADE)
    _black(pdf, "B", 8.5)
    for label, _ in columns:
        pdf.cell(quarter, 6, label, border=1, fill=True)
    pdf.ln()
    _black(pdf, "", 9.5)
    for _, value in columns:
        pdf.cell(quarter, 7, value or "-", border=1)
    pdf.ln(12)
