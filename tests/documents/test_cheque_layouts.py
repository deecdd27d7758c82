"""Cheque layouts: each stock (voucher cheque on top, middle or bottom, wallet) and an
account's offsets put the payee and the amount where the layout says, as read back from
the PDF by ``pdftotext -bbox`` and seen in the page rendered by ``pdftoppm``; the
alignment page marks each field's place; only an admin changes a layout; a refund with no
source document prints as what it is."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

import xoro_tui.data.store.clock as clock_module
import xoro_tui.data.store.users as users_module
from xoro_tui.cli import main
from xoro_tui.data.refunds import cheque_layouts
from xoro_tui.data.refunds.cheque_layouts import ChequeLayout
from xoro_tui.data.refunds.refund_repo import RefundRepository
from xoro_tui.data.store.errors import Invalid, Refused
from xoro_tui.data.store.users import UserRepository
from xoro_tui.documents.cheque import (
    SAMPLE,
    cheque_boxes,
    field_positions,
    write_alignment,
    write_cheques,
)
from xoro_tui.documents.print_data import ReceiptData
from xoro_tui.documents.refund_receipt import write_receipts

pytestmark = pytest.mark.skipif(
    not (shutil.which("pdftotext") and shutil.which("pdftoppm")), reason="needs poppler-utils"
)

PT = 25.4 / 72  # mm per PostScript point
#: fpdf's cell padding: text starts this far right of a cell's left edge
PAD = 1.0
#: how far a field may be from where the layout puts it
CLOSE_MM = 1.5


def words(pdf: Path, page: int = 1) -> list[tuple[str, float, float, float, float]]:
    """(word, x0, y0, x1, y1) in mm from the page's top-left corner, by pdftotext -bbox."""
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    found = re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
        html,
    )
    return [
        (w, float(a) * PT, float(b) * PT, float(c) * PT, float(d) * PT) for a, b, c, d, w in found
    ]


def first(pdf: Path, word: str, page: int = 1, within=None) -> tuple[float, float, float, float]:  # noqa: ANN001
    """Where ``word`` is on the page, in mm (the first inside the box ``within``)."""
    for w, *box in words(pdf, page):
        inside = within is None or (
            within.x <= box[0] <= within.x + within.w and within.y <= box[1] <= within.y + within.h
        )
        if w == word and inside:
            return tuple(box)  # type: ignore[return-value]
    raise AssertionError(f"{word!r} not in {pdf.name}")


def render(pdf: Path, tmp_path: Path, page: int = 1) -> Image.Image:
    """The page as pixels, 1 px per point (72 dpi)."""
    stem = tmp_path / f"{pdf.stem}-{page}"
    subprocess.run(["pdftoppm", "-r", "72", "-png", "-singlefile", "-f", str(page), "-l",
                    str(page), str(pdf), str(stem)], check=True)  # fmt: skip
    return Image.open(f"{stem}.png").convert("RGB")


def ink_near(image: Image.Image, x_mm: float, y_mm: float, w_mm: float, h_mm: float,
             red: bool = False) -> int:  # fmt: skip
    """Pixels of ink (or of red) in the rectangle, in mm."""
    box = [round(v / PT) for v in (x_mm, y_mm, x_mm + w_mm, y_mm + h_mm)]
    count = 0
    crop = image.crop(box)
    for r, g, b in (crop.getpixel((x, y)) for y in range(crop.height) for x in range(crop.width)):
        if (red and r > 150 and g < 110 and b < 110) or (not red and r + g + b < 300):
            count += 1
    return count


def cheque(**changes: object):  # noqa: ANN201
    values = {"payee": "Acme Supplies Inc.", "cheque_number": 1001, "account": "Main",
              "memo": "Deposit refund", **changes}  # fmt: skip
    return dataclasses.replace(SAMPLE, **values)


@pytest.mark.parametrize("stock", ["top", "middle", "bottom", "wallet"])
@pytest.mark.parametrize("paper", ["Letter", "A4"])
def test_each_stock_puts_payee_and_amount_where_the_layout_says(
    tmp_path: Path, stock: str, paper: str
) -> None:
    layout = ChequeLayout("Main", stock, paper, {"payee": (4.0, -2.5), "amount": (-3.0, 1.5)})
    items = [cheque(), cheque(cheque_number=1002, payee="Second Payee")]
    pdf = write_cheques(items, tmp_path / f"{stock}.pdf", "Letter", layouts={"main": layout})
    boxes, stubs = cheque_boxes(layout, "Letter")  # the layout's own paper wins
    at = field_positions(layout, boxes[0])
    payee = first(pdf, "Acme", within=boxes[0])
    assert abs(payee[0] - (at["payee"][0] + PAD)) < CLOSE_MM
    assert abs((payee[1] + payee[3]) / 2 - (at["payee"][1] + 3.5)) < CLOSE_MM  # 7 mm line
    amount = first(pdf, "**1,234.56", within=boxes[0])
    assert abs(amount[0] - (at["amount"][0] + PAD)) < CLOSE_MM
    assert abs((amount[1] + amount[3]) / 2 - (at["amount"][1] + 4)) < CLOSE_MM  # 8 mm box
    # the offsets moved them from the standard place
    standard = field_positions(ChequeLayout("Main", stock, paper), boxes[0])
    assert at["payee"][0] - standard["payee"][0] == pytest.approx(4.0)
    assert at["amount"][1] - standard["amount"][1] == pytest.approx(1.5)
    # where the stock has the cheque: top, middle or bottom third, or the wallet's right
    height = 279.4 if paper == "Letter" else 297.0
    third = {"top": 0, "middle": 1, "bottom": 2, "wallet": 0}[stock]
    assert third * height / 3 < payee[1] < (third + 1) * height / 3
    if stock == "wallet":
        assert payee[0] > 60 and "Second" in {w for w, *_ in words(pdf, 1)}  # 2 a sheet
        assert len(stubs) == 3
    else:
        assert "Second" in {w for w, *_ in words(pdf, 2)}  # one voucher a page
        assert len(stubs) == 2
    image = render(pdf, tmp_path)
    assert image.size == (round(215.9 / PT), round(height / PT)) or paper == "A4"
    assert ink_near(image, at["payee"][0], at["payee"][1], 40, 7) > 50
    assert ink_near(image, at["amount"][0], at["amount"][1], 40, 8) > 50
    if stock != "wallet":  # the other thirds are stubs, with the payee on them
        stub_payee = [b for w, *b in words(pdf) if w == "Acme" and b[1] > payee[3] + 20
                      or w == "Acme" and b[3] < payee[1] - 20]  # fmt: skip
        assert len(stub_payee) == 2


@pytest.mark.parametrize("stock", ["top", "middle", "bottom", "wallet"])
def test_alignment_page_marks_every_field_where_it_prints(tmp_path: Path, stock: str) -> None:
    layout = ChequeLayout("Main", stock, "Letter", {"payee": (3.0, -1.0)})
    pdf = write_alignment([layout], tmp_path / f"align-{stock}.pdf")
    text = " ".join(w for w, *_ in words(pdf))
    assert "ALIGNMENT TEST" in text and "SAMPLE PAYEE NAME" in text
    box = cheque_boxes(layout, "Letter")[0][0]
    at = field_positions(layout, box)
    payee = first(pdf, "SAMPLE", within=box)
    assert abs(payee[0] - (at["payee"][0] + PAD)) < CLOSE_MM
    amount = first(pdf, "**1,234.56", within=box)
    assert abs(amount[0] - (at["amount"][0] + PAD)) < CLOSE_MM
    # each field's label gives its place in mm, offset included
    x, y, _ = at["payee"]
    assert f"{x:.1f},{y:.1f}" in text and "(+3,-1)" in text
    image = render(pdf, tmp_path)
    for name, (x, y, _) in at.items():
        assert ink_near(image, x - 1.5, y - 1.5, 3, 3, red=True) > 3, f"no cross at {name}"
    # the rulers: ticks along the top edge
    assert ink_near(image, 0, 0, 200, 3) > 40


def test_the_layout_is_admins_and_audited(db, monkeypatch: pytest.MonkeyPatch) -> None:
    RefundRepository(db).add_refund_account("Main", "First Bank", "123-456", 1001)
    users = UserRepository(db)
    boss = clock_module.os_user()
    users.add(boss, "admin")
    users.add("carl", "clerk")
    wanted = ChequeLayout("main", "bottom", "A4", {"payee": (2.0, -1.5)})
    with pytest.raises(Refused, match="needs the admin role .carl is a clerk"):
        cheque_layouts.save(db, wanted, user="carl")
    saved = cheque_layouts.save(db, wanted, user=boss)
    assert saved.version == 1 and saved.account == "Main"
    got = cheque_layouts.get(db.conn, "MAIN")
    assert (got.stock, got.page_size, got.offset("payee")) == ("bottom", "A4", (2.0, -1.5))
    with pytest.raises(Refused, match="changed by someone else"):
        cheque_layouts.save(db, wanted, user=boss)  # version 0: stale
    with pytest.raises(Invalid, match="at most 50 mm"):
        cheque_layouts.save(db, dataclasses.replace(got, offsets={"memo": (60, 0)}), user=boss)
    with pytest.raises(Invalid, match="no cheque field 'logo'"):
        cheque_layouts.save(db, dataclasses.replace(got, offsets={"logo": (1, 0)}), user=boss)
    row = db.conn.execute(
        "SELECT user, action, changes FROM audit_log WHERE table_name = 'cheque_layouts'"
    ).fetchall()
    assert len(row) == 1 and row[0][:2] == (boss, "insert") and "offset_payee" in row[0][2]
    assert cheque_layouts.parse_offset("Payee=2,-1.5") == ("payee", (2.0, -1.5))
    with pytest.raises(Invalid, match="FIELD=RIGHT,DOWN"):
        cheque_layouts.parse_offset("payee=2")


def test_cli_sets_the_layout_and_writes_the_alignment_page(
    db, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:  # noqa: ANN001
    RefundRepository(db).add_refund_account("Main", "First Bank", "123-456", 1001)
    code = main(["cheques", "--db", str(db_path), "--account", "main", "--layout", "middle",
                 "--page-size", "A4", "--offset", "payee=2,-1.5"])  # fmt: skip
    assert code == 0
    assert "cheque in the middle" in capsys.readouterr().out
    out = tmp_path / "align.pdf"
    assert main(["cheques", "--db", str(db_path), "--account", "Main", "--alignment",
                 "--out", str(out)]) == 0  # fmt: skip
    layout = cheque_layouts.get(db.conn, "Main")
    at = field_positions(layout, cheque_boxes(layout, "A4")[0][0])
    payee = first(out, "SAMPLE", within=cheque_boxes(layout, "A4")[0][0])
    assert abs(payee[0] - (at["payee"][0] + PAD)) < CLOSE_MM
    assert 297 / 3 < payee[1] < 2 * 297 / 3  # the middle third of an A4 page
    # a clerk may print the page but not change the layout
    users = UserRepository(db)
    users.add(clock_module.os_user(), "admin")
    users.add("carl", "clerk")
    monkeypatch.setattr(clock_module, "os_user", lambda: "carl")
    monkeypatch.setattr(users_module, "os_user", lambda: "carl")
    assert main(["cheques", "--db", str(db_path), "--account", "Main", "--layout", "top"]) != 0
    assert "needs the admin role" in capsys.readouterr().err
    assert cheque_layouts.get(db.conn, "Main").stock == "middle"


def test_a_refund_with_no_source_says_what_it_is(tmp_path: Path) -> None:
    receipt = ReceiptData(
        refund_number="RF-000077", refund_date=dt.date(2024, 5, 3), amount_minor=4200,
        currency="USD", customer_name="Walk-in Customer", payment_method="Cheque",
        source_title="Overpayment",
    )  # fmt: skip
    path = write_receipts([receipt], tmp_path / "r.pdf")
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    squashed = " ".join(text.split())
    assert "Overpayment Refund" in squashed
    assert "Refund Overpayment" not in squashed
    assert "Refund of deposit" not in squashed and "deposit" not in squashed.replace(
        "no deposit or credit memo", ""
    )
    assert "no deposit or credit memo is refunded" in squashed
    assert "Overpayment refund 42.00" in squashed
    assert "Remaining balance" not in squashed  # no empty source table
