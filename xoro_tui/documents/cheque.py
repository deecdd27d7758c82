"""Cheques as a PDF: one voucher cheque per page, cheque on top and two stubs below.

Pure: plain :class:`ChequeData` in, a file out. Every user text is plain text
(``markdown=False``) in the registered fonts, with characters no font has shown as a
placeholder (see :mod:`xoro_tui.documents.fonts`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from xoro_tui.data.models import money
from xoro_tui.documents.fonts import FAMILY, FontReport, new_pdf, stamp_reprint
from xoro_tui.documents.print_data import ChequeData, mask_account, user_text, write_private
from xoro_tui.documents.words import cheque_words

if TYPE_CHECKING:
    from fpdf import FPDF

#: height of the cheque itself, the top third of a Letter page
CHEQUE_HEIGHT = 89.0
RED = (190, 30, 30)


def figures(amount_minor: int, currency: str) -> str:
    """The amount in figures as printed: ``"1,250.50 USD"``."""
    return f"{money.display(amount_minor, currency)} {currency.upper()}"


def write_cheques(
    items: Sequence[ChequeData],
    path: Path,
    page_size: str = "Letter",
    *,
    on_warning: Callable[[str], None] | None = None,
) -> Path:
    """Write one cheque per page into one PDF at ``path`` (owner-only) and return the path.

    ``on_warning`` gets one sentence when some text cannot print fully (no CJK font).
    """
    if not items:
        raise ValueError("no cheques to print")
    text = "\n".join(user_text(item) for item in items)
    pdf, fonts = new_pdf(page_size, "Cheques" if len(items) > 1 else "Cheque", text)
    pdf.set_auto_page_break(False)
    for item in items:
        pdf.add_page()
        _cheque(pdf, fonts, item)
        _stub(pdf, fonts, item, CHEQUE_HEIGHT + 6, "Payee copy - detach and keep")
        _stub(pdf, fonts, item, CHEQUE_HEIGHT + 6 + (pdf.h - CHEQUE_HEIGHT - 6) / 2, "File copy")
    if on_warning is not None and (message := fonts.warning(text)):
        on_warning(message)
    return write_private(Path(path), bytes(pdf.output()))


def _fit(pdf: FPDF, text: str, width: float, style: str, size: float, smallest: float = 6) -> str:
    """Set the largest font size ≤ ``size`` at which ``text`` fits in ``width``; return the
    text, cut short with "…" if it does not fit even at ``smallest``."""
    pdf.set_font(FAMILY, style, size)
    while size > smallest and pdf.get_string_width(text) > width:
        size -= 0.5
        pdf.set_font(FAMILY, style, size)
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text + "…"


def _label(pdf: FPDF, x: float, y: float, text: str) -> None:
    pdf.set_font(FAMILY, "", 6.5)
    pdf.set_text_color(90, 90, 90)
    pdf.set_xy(x, y)
    pdf.cell(text=text)
    pdf.set_text_color(0, 0, 0)


def _cheque(pdf: FPDF, fonts: FontReport, item: ChequeData) -> None:
    t = fonts.printable
    left, right = pdf.l_margin, pdf.w - pdf.r_margin
    width = right - left
    top = 8.0
    pdf.set_draw_color(120, 120, 120)
    pdf.rect(left - 3, top - 2, width + 6, CHEQUE_HEIGHT - top)

    # company header (left) and cheque number, date, REPRINT (right)
    pdf.set_xy(left, top)
    company = _fit(pdf, t(item.company_name), width * 0.55, "B", 12)
    pdf.cell(width * 0.55, 6, company, new_x="LEFT", new_y="NEXT")
    pdf.set_font(FAMILY, "", 7.5)
    for line in list(item.company_address_lines)[:3]:
        pdf.cell(width * 0.55, 3.6, t(line), new_x="LEFT", new_y="NEXT")

    number = "" if item.cheque_number is None else str(item.cheque_number)
    pdf.set_font(FAMILY, "B", 11)
    pdf.set_xy(right - 60, top)
    pdf.cell(60, 6, f"No. {t(number)}", align="R", new_x="LEFT", new_y="NEXT")
    pdf.set_font(FAMILY, "", 9)
    pdf.set_x(right - 60)
    pdf.cell(60, 5, f"Date  {item.date.isoformat()}", align="R", new_x="LEFT", new_y="NEXT")
    if item.reprint:
        pdf.set_x(right - 28)
        pdf.set_font(FAMILY, "B", 10)
        pdf.set_text_color(*RED)
        pdf.set_draw_color(*RED)
        pdf.cell(28, 6, "REPRINT", border=1, align="C")
        pdf.set_text_color(0, 0, 0)
        pdf.set_draw_color(120, 120, 120)

    # bank
    bank = " · ".join(p for p in (t(item.bank_name or ""), mask_account(item.bank_account)) if p)
    if bank:
        pdf.set_font(FAMILY, "", 7.5)
        pdf.set_xy(left + width * 0.55, top + 1)
        pdf.cell(width * 0.45 - 62, 4, bank, align="C")

    # pay to the order of … and the amount box
    y = top + 24
    _label(pdf, left, y - 3.5, "PAY TO THE ORDER OF")
    box_w = 52.0
    payee_w = width - box_w - 6
    payee = _fit(pdf, t(item.payee), payee_w, "B", 12, smallest=7)
    pdf.set_xy(left, y)
    pdf.cell(payee_w, 7, payee, border="B")
    amount = f"**{figures(item.amount_minor, item.currency)}**"
    _fit(pdf, amount, box_w - 2, "B", 11, smallest=6)  # 10**15 minor units fit at 6 pt
    pdf.set_xy(right - box_w, y - 0.5)
    pdf.cell(box_w, 8, amount, border=1, align="R")

    # the amount in words, padded with a rule so nothing can be added after it
    y += 12
    words = cheque_words(item.amount_minor, item.currency)
    pdf.set_xy(left, y)
    if _fit(pdf, words + " ***", width - 4, "", 10, smallest=7).endswith("***"):
        pdf.cell(width, 6, words + " ***", border="B")
    else:  # never cut the amount in words: two smaller lines instead
        pdf.set_font(FAMILY, "", 7)
        pdf.multi_cell(width, 3, words + " ***", border="B", align="L")
    _label(pdf, left, y + 6.3, "AMOUNT IN WORDS")

    # payee address (window-envelope position), memo, signature
    y += 11
    pdf.set_font(FAMILY, "", 8.5)
    pdf.set_xy(left + 4, y)
    for line in list(item.payee_address_lines)[:4]:
        pdf.cell(width * 0.5, 3.8, t(line), new_x="LEFT", new_y="NEXT")

    y = CHEQUE_HEIGHT - 14
    memo = t(item.memo or "")
    if item.refund_number:
        memo = f"{memo}  (refund {t(item.refund_number)})".strip()
    memo = _fit(pdf, memo, width * 0.45, "", 8.5)
    pdf.set_xy(left, y)
    pdf.cell(width * 0.45, 5, memo, border="B")
    _label(pdf, left, y + 5.3, "MEMO")
    pdf.line(right - 70, y + 5, right, y + 5)
    _label(pdf, right - 70, y + 5.3, "AUTHORISED SIGNATURE")
    if item.reprint:
        stamp_reprint(pdf, left, top, width, CHEQUE_HEIGHT - top)


def _stub(pdf: FPDF, fonts: FontReport, item: ChequeData, y: float, title: str) -> None:
    """A voucher stub: the cheque's details for the payee's or the company's records."""
    t = fonts.printable
    left, right = pdf.l_margin, pdf.w - pdf.r_margin
    width = right - left
    with pdf.local_context():
        pdf.set_dash_pattern(dash=1.5, gap=1.5)
        pdf.set_draw_color(150, 150, 150)
        pdf.line(left - 3, y - 3, right + 3, y - 3)
    pdf.set_xy(left, y)
    pdf.set_font(FAMILY, "B", 9)
    head = f"{t(item.company_name)} - {title}" if item.company_name else title
    pdf.cell(width - 30, 5, head)
    if item.reprint:
        pdf.set_text_color(*RED)
        pdf.cell(30, 5, "REPRINT", align="R")
        pdf.set_text_color(0, 0, 0)
    rows = [
        ("Cheque No.", "" if item.cheque_number is None else t(str(item.cheque_number))),
        ("Date", item.date.isoformat()),
        ("Payee", t(item.payee)),
        ("Amount", figures(item.amount_minor, item.currency)),
        ("Refund", t(item.refund_number or "")),
        ("Memo", t(item.memo or "")),
        (
            "Bank",
            " · ".join(p for p in (t(item.bank_name or ""), mask_account(item.bank_account)) if p),
        ),
    ]
    pdf.set_y(y + 7)
    for name, value in rows:
        if not value:
            continue
        pdf.set_x(left)
        pdf.set_font(FAMILY, "", 8)
        pdf.set_text_color(90, 90, 90)
        pdf.cell(26, 5, name)
        pdf.set_text_color(0, 0, 0)
        value = _fit(pdf, value, width - 26, "B" if name in ("Payee", "Amount") else "", 9)
        pdf.cell(width - 26, 5, value, new_x="LMARGIN", new_y="NEXT")
