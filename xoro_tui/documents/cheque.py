"""Cheques as a PDF, on the stock of each refund account (see
:mod:`xoro_tui.data.refunds.cheque_layouts`): a voucher page with the cheque on top, in
the middle or at the bottom and a stub in each other third, or wallet cheques, three a
page with their stubs at the left; each field moved by the account's offsets. An
alignment page prints the layout with sample values, a millimetre ruler and each field's
position, on blank paper to hold over the stock.

Pure: plain :class:`ChequeData` in, a file out. Every user text is plain text
(``markdown=False``) in the registered fonts, with characters no font has shown as a
placeholder (see :mod:`xoro_tui.documents.fonts`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from xoro_tui.data.models import money
from xoro_tui.data.refunds.cheque_layouts import ChequeLayout
from xoro_tui.documents.fonts import FAMILY, PAGE_SIZES, FontReport, stamp_reprint
from xoro_tui.documents.pdf_file import write_pdf
from xoro_tui.documents.print_data import ChequeData, mask_account, user_text
from xoro_tui.documents.words import cheque_words

if TYPE_CHECKING:
    from fpdf import FPDF

#: the page's left and right margins (as :func:`new_pdf` sets them)
MARGIN = 12.0
#: where the stock's thirds start their printing (mm below the third's top edge)
INSET = 6.0
#: the space left blank at the foot of each third
FOOT = 4.0
#: a wallet cheque's stub, at its left
WALLET_STUB = 58.0
RED = (190, 30, 30)
GREY = (90, 90, 90)


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float


def standard_positions(w: float, h: float) -> dict[str, tuple[float, float, float]]:
    """Each field's (x, y, width) in a cheque box of ``w`` × ``h`` mm, before offsets."""
    return {
        "number": (w - 60, 0.0, 60.0),
        "date": (w - 60, 7.0, 60.0),
        "payee": (0.0, 24.0, w - 58),
        "amount": (w - 52, 23.5, 52.0),
        "words": (0.0, 36.0, w),
        "address": (4.0, 47.0, w * 0.5),
        "memo": (0.0, h - 14, w * 0.45),
        "signature": (w - 70, h - 9, 70.0),
    }


def page_mm(page_size: str) -> tuple[float, float]:
    size = PAGE_SIZES.get(str(page_size).strip().lower())
    if size is None:
        raise ValueError(f"unknown page size {page_size!r}; use Letter or A4")
    return (215.9, 279.4) if str(size).lower() == "letter" else (210.0, 297.0)


def cheque_boxes(layout: ChequeLayout, page_size: str) -> tuple[list[Box], list[Box]]:
    """The cheque boxes and stub boxes of one page of ``layout``'s stock (page mm)."""
    width, height = page_mm(layout.page_size or page_size)
    third = height / 3
    left, inner = MARGIN, width - 2 * MARGIN
    if layout.stock == "wallet":
        cheques = [
            Box(left + WALLET_STUB, i * third + INSET, inner - WALLET_STUB, third - INSET - FOOT)
            for i in range(3)
        ]
        stubs = [
            Box(left, i * third + INSET, WALLET_STUB - 6, third - INSET - FOOT) for i in range(3)
        ]
        return cheques, stubs
    at = {"top": 0, "middle": 1, "bottom": 2}[layout.stock]
    boxes = [Box(left, i * third + INSET, inner, third - INSET - FOOT) for i in range(3)]
    return [boxes[at]], [b for i, b in enumerate(boxes) if i != at]


def field_positions(layout: ChequeLayout, box: Box) -> dict[str, tuple[float, float, float]]:
    """Each field's page position (x, y, width) in mm on the cheque ``box``, offsets applied."""
    out: dict[str, tuple[float, float, float]] = {}
    for name, (x, y, w) in standard_positions(box.w, box.h).items():
        dx, dy = layout.offset(name)
        out[name] = (box.x + x + dx, box.y + y + dy, w)
    return out


def figures(amount_minor: int, currency: str) -> str:
    """The amount in figures as printed: ``"1,250.50 USD"``."""
    return f"{money.display(amount_minor, currency)} {currency.upper()}"


def write_cheques(
    items: Sequence[ChequeData],
    path: Path,
    page_size: str = "Letter",
    *,
    on_warning: Callable[[str], None] | None = None,
    layouts: Mapping[str, ChequeLayout] | None = None,
) -> Path:
    """Write the cheques into one PDF at ``path`` (owner-only) and return the path: each on
    its account's stock (``layouts`` by account name; cheque on top when none), a voucher
    cheque a page, wallet cheques three a page.

    ``on_warning`` gets one sentence when some text cannot print fully (no CJK font).
    """
    if not items:
        raise ValueError("no cheques to print")
    page_mm(page_size)
    text = "\n".join(user_text(item) for item in items)
    found = {k.casefold(): v for k, v in (layouts or {}).items()}

    def draw(pdf: FPDF, fonts: FontReport) -> None:
        slot, last = 0, None
        for item in items:
            layout = found.get((item.account or "").casefold()) or ChequeLayout(item.account or "")
            cheques, stubs = cheque_boxes(layout, page_size)
            same_sheet = layout.stock == "wallet" and last is layout and 0 < slot < len(cheques)
            if not same_sheet:
                pdf.add_page(format=_format(layout.page_size or page_size))
                slot = 0
            last = layout
            box = cheques[slot]
            draw_cheque(pdf, fonts, item, box, layout)
            if layout.stock == "wallet":
                _stub(pdf, fonts, item, stubs[slot], "Stub", narrow=True)
            else:
                for stub, title in zip(
                    stubs, ("Payee copy - detach and keep", "File copy"), strict=True
                ):
                    _stub(pdf, fonts, item, stub, title)
            slot += 1

    title = "Cheques" if len(items) > 1 else "Cheque"
    return write_pdf(path, page_size, title, draw, text=text, on_warning=on_warning)


def _format(page_size: str) -> str:
    return str(PAGE_SIZES[str(page_size).strip().lower()])


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


def draw_cheque(
    pdf: FPDF, fonts: FontReport, item: ChequeData, box: Box, layout: ChequeLayout
) -> None:
    """One cheque in ``box``: company and bank at its head (not moved), every other field
    at its place (:func:`field_positions`)."""
    t = fonts.printable
    at = field_positions(layout, box)
    left, top, width = box.x, box.y, box.w
    pdf.set_draw_color(120, 120, 120)
    pdf.rect(left - 3, top - 2, width + 6, box.h + 2)

    # company header (left), bank (middle): printed where the stock has them
    pdf.set_xy(left, top)
    company = _fit(pdf, t(item.company_name), width * 0.55, "B", 12)
    pdf.cell(width * 0.55, 6, company, new_x="LEFT", new_y="NEXT")
    pdf.set_font(FAMILY, "", 7.5)
    for line in list(item.company_address_lines)[:3]:
        pdf.cell(width * 0.55, 3.6, t(line), new_x="LEFT", new_y="NEXT")
    bank = " · ".join(p for p in (t(item.bank_name or ""), mask_account(item.bank_account)) if p)
    if bank:
        pdf.set_font(FAMILY, "", 7.5)
        pdf.set_xy(left, top + 17)
        pdf.cell(width * 0.55, 4, _fit(pdf, bank, width * 0.55, "", 7.5))

    # cheque number, date, REPRINT (right)
    x, y, w = at["number"]
    number = "" if item.cheque_number is None else str(item.cheque_number)
    pdf.set_font(FAMILY, "B", 11)
    pdf.set_xy(x, y)
    pdf.cell(w, 6, f"No. {t(number)}", align="R")
    x, y, w = at["date"]
    pdf.set_font(FAMILY, "", 9)
    pdf.set_xy(x, y)
    pdf.cell(w, 5, f"Date  {item.date.isoformat()}", align="R")
    if item.reprint:
        pdf.set_xy(x + w - 28, y + 6)
        pdf.set_font(FAMILY, "B", 10)
        pdf.set_text_color(*RED)
        pdf.set_draw_color(*RED)
        pdf.cell(28, 6, "REPRINT", border=1, align="C")
        pdf.set_text_color(0, 0, 0)
        pdf.set_draw_color(120, 120, 120)

    # pay to the order of … and the amount box
    x, y, w = at["payee"]
    _label(pdf, x, y - 3.5, "PAY TO THE ORDER OF")
    payee = _fit(pdf, t(item.payee), w, "B", 12, smallest=7)
    pdf.set_xy(x, y)
    pdf.cell(w, 7, payee, border="B")
    x, y, w = at["amount"]
    amount = f"**{figures(item.amount_minor, item.currency)}**"
    _fit(pdf, amount, w - 2, "B", 11, smallest=6)  # 10**15 minor units fit at 6 pt
    pdf.set_xy(x, y)
    pdf.cell(w, 8, amount, border=1, align="L")

    # the amount in words, padded with a rule so nothing can be added after it
    x, y, w = at["words"]
    words = cheque_words(item.amount_minor, item.currency)
    pdf.set_xy(x, y)
    if _fit(pdf, words + " ***", w - 4, "", 10, smallest=7).endswith("***"):
        pdf.cell(w, 6, words + " ***", border="B")
    else:  # never cut the amount in words: two smaller lines instead
        pdf.set_font(FAMILY, "", 7)
        pdf.multi_cell(w, 3, words + " ***", border="B", align="L")
    _label(pdf, x, y + 6.3, "AMOUNT IN WORDS")

    # payee address (window-envelope position), memo, signature
    x, y, w = at["address"]
    pdf.set_font(FAMILY, "", 8.5)
    pdf.set_xy(x, y)
    for line in list(item.payee_address_lines)[:4]:
        pdf.cell(w, 3.8, t(line), new_x="LEFT", new_y="NEXT")

    x, y, w = at["memo"]
    memo = t(item.memo or "")
    if item.refund_number:
        memo = f"{memo}  (refund {t(item.refund_number)})".strip()
    memo = _fit(pdf, memo, w, "", 8.5)
    pdf.set_xy(x, y)
    pdf.cell(w, 5, memo, border="B")
    _label(pdf, x, y + 5.3, "MEMO")
    x, y, w = at["signature"]
    pdf.line(x, y, x + w, y)
    _label(pdf, x, y + 0.3, "AUTHORISED SIGNATURE")
    if item.reprint:
        stamp_reprint(pdf, left, top, width, box.h)


def _stub(
    pdf: FPDF, fonts: FontReport, item: ChequeData, box: Box, title: str, *, narrow: bool = False
) -> None:
    """A voucher stub: the cheque's details for the payee's or the company's records."""
    t = fonts.printable
    left, y, width = box.x, box.y, box.w
    with pdf.local_context():
        pdf.set_dash_pattern(dash=1.5, gap=1.5)
        pdf.set_draw_color(150, 150, 150)
        if narrow:
            pdf.line(left + width + 3, y - 3, left + width + 3, y + box.h)
        else:
            pdf.line(left - 3, y - 3, left + width + 3, y - 3)
    pdf.set_xy(left, y)
    pdf.set_font(FAMILY, "B", 9)
    head = f"{t(item.company_name)} - {title}" if item.company_name and not narrow else title
    pdf.cell(width - 30, 5, _fit(pdf, head, width - 30, "B", 9))
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
    label_w = 17 if narrow else 26
    pdf.set_y(y + 7)
    for name, value in rows:
        if not value:
            continue
        pdf.set_x(left)
        pdf.set_font(FAMILY, "", 7 if narrow else 8)
        pdf.set_text_color(90, 90, 90)
        pdf.cell(label_w, 5, name)
        pdf.set_text_color(0, 0, 0)
        value = _fit(pdf, value, width - label_w, "B" if name in ("Payee", "Amount") else "", 9)
        pdf.cell(width - label_w, 5, value, new_x="LMARGIN", new_y="NEXT")


# --- the alignment page ----------------------------------------------------------------

SAMPLE = ChequeData(
    payee="SAMPLE PAYEE NAME",
    date=dt.date(2000, 1, 31),
    amount_minor=123456,
    currency="USD",
    payee_address_lines=("Address line 1", "Address line 2", "City, ST 00000"),
    memo="Alignment test - not a cheque",
    cheque_number="000000",
    bank_name="Bank name",
    bank_account="0000",
    refund_number="RF-000000",
    company_name="Company name",
    company_address_lines=("Company address",),
)


def write_alignment(layouts: Sequence[ChequeLayout], path: Path, page_size: str = "Letter") -> Path:
    """One page per layout: every field with a sample value where it prints, a cross at
    each field's place labelled with its position in mm from the page's top-left corner,
    and rulers along the top and left edges. Print it on blank paper and hold it over the
    stock: a field that is off by so many mm is moved by that many with an offset."""
    if not layouts:
        raise ValueError("no layout to print")

    def draw(pdf: FPDF, fonts: FontReport) -> None:
        for layout in layouts:
            pdf.add_page(format=_format(layout.page_size or page_size))
            cheques, stubs = cheque_boxes(layout, page_size)
            _rulers(pdf)
            sample = dataclasses.replace(SAMPLE, account=layout.account)
            for box in cheques:
                draw_cheque(pdf, fonts, sample, box, layout)
                _marks(pdf, layout, box)
            for box in stubs:
                _stub(pdf, fonts, sample, box, "Stub", narrow=layout.stock == "wallet")
            _notes(pdf, layout, stubs[0] if layout.stock != "wallet" else None)

    return write_pdf(path, page_size, "Cheque alignment test", draw)


def _rulers(pdf: FPDF) -> None:
    """Millimetre ticks along the top and left edges, numbered every 10 mm."""
    with pdf.local_context():
        pdf.set_draw_color(*GREY)
        pdf.set_text_color(*GREY)
        pdf.set_line_width(0.1)
        pdf.set_font(FAMILY, "", 5)
        for mm in range(0, int(pdf.w) + 1, 5):
            pdf.line(mm, 0, mm, 3 if mm % 10 else 5)
            if mm % 20 == 0 and mm:
                pdf.text(mm + 0.4, 6.5, str(mm))
        for mm in range(0, int(pdf.h) + 1, 5):
            pdf.line(0, mm, 3 if mm % 10 else 5, mm)
            if mm % 20 == 0 and mm:
                pdf.text(0.6, mm - 0.6, str(mm))


def _marks(pdf: FPDF, layout: ChequeLayout, box: Box) -> None:
    """A small cross at each field's place, with its name and position in mm."""
    with pdf.local_context():
        pdf.set_draw_color(*RED)
        pdf.set_text_color(*RED)
        pdf.set_line_width(0.15)
        pdf.set_font(FAMILY, "", 4.5)
        for name, (x, y, _) in field_positions(layout, box).items():
            pdf.line(x - 1.5, y, x + 1.5, y)
            pdf.line(x, y - 1.5, x, y + 1.5)
            dx, dy = layout.offset(name)
            moved = f" ({dx:+g},{dy:+g})" if (dx, dy) != (0, 0) else ""
            pdf.text(x + 0.8, y - 0.6, f"{name} {x:.1f},{y:.1f}{moved}")


def _notes(pdf: FPDF, layout: ChequeLayout, where: Box | None) -> None:
    from xoro_tui.data.refunds.cheque_layouts import describe

    lines = [
        f"ALIGNMENT TEST - {layout.account or 'refund account'}: print on blank paper, "
        "hold it over the cheque stock against the light.",
        describe(layout),
        "Each red cross is a field's place, in mm from the page's top-left corner. "
        "If a field is off, move it by that many mm:",
        f'xoro-tui cheques --account "{layout.account}" --offset FIELD=RIGHT,DOWN (admin)',
    ]
    with pdf.local_context():
        pdf.set_font(FAMILY, "", 7)
        pdf.set_text_color(*GREY)
        if where is not None:
            x, y = where.x, where.y + where.h - 4 * len(lines)
        else:
            x, y = MARGIN, pdf.h - 4 - 4 * len(lines)
        for i, line in enumerate(lines):
            pdf.text(x, y + i * 4, line)
