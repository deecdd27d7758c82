"""Exports read back by programs nobody on the team wrote: every ID and amount is whole.

A seeded database of a couple of thousand customers and refunds is exported through the
command line's own code; the PDF is read with ``pdftotext -layout`` (poppler), the text
file as text and the Word file with python-docx.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from xoro_tui.data.models import money
from xoro_tui.data.search.list_query import Filter
from xoro_tui.data.seed.seeder import seed_database
from xoro_tui.data.store.opening import open_database
from xoro_tui.documents import export_sources as sources
from xoro_tui.documents.exports import export_rows

ROWS = 2_000
needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"
)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("seeded") / "s.db"
    seed_database(path, customers=ROWS, refunds=ROWS, seed=7)
    return path


def export(db_path: Path, what: str, fmt: str, out: Path) -> Path:
    db = open_database(db_path)
    try:
        spec, sort, columns = sources.import_spec(what)
        header, rows, kinds = sources.list_export(db, spec, Filter(), sort, columns, titles=False)
        target = out / f"{what}.{fmt}"
        export_rows(header, rows, kinds, target, fmt, title=what.title())
    finally:
        db.conn.close()
    return target


def pdf_text(path: Path) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return result.stdout


def tokens(text: str) -> set[str]:
    return set(text.split())


def refund_facts(db_path: Path) -> tuple[list[str], list[str], list[str]]:
    conn = sqlite3.connect(db_path)
    try:
        rows = conn.execute("SELECT refund_number, amount, currency, cheque_number FROM refunds")
        ids, amounts, cheques = [], [], []
        for number, amount, currency, cheque in rows:
            ids.append(number)
            amounts.append(money.display(amount, currency))
            if cheque is not None:
                cheques.append(str(cheque))
        return ids, amounts, cheques
    finally:
        conn.close()


def totals(db_path: Path) -> dict[str, str]:
    conn = sqlite3.connect(db_path)
    sums: dict[str, int] = defaultdict(int)
    for amount, currency in conn.execute("SELECT amount, currency FROM refunds"):
        sums[currency] += amount
    conn.close()
    return {code: money.display(total, code) for code, total in sums.items()}


def account_numbers(db_path: Path) -> list[str]:
    conn = sqlite3.connect(db_path)
    try:
        sql = "SELECT account_number FROM customers WHERE state = 'active'"
        return [r[0] for r in conn.execute(sql)]
    finally:
        conn.close()


def assert_refunds_whole(text: str, db_path: Path) -> None:
    ids, amounts, cheques = refund_facts(db_path)
    words = tokens(text)
    assert "…" not in text
    assert [i for i in ids if i not in words] == []
    assert [a for a in amounts if a not in words] == []
    assert [c for c in cheques if c not in words] == []
    # grouped: at least some amounts are in the thousands, and they carry a separator
    assert any(re.fullmatch(r"\d{1,3}(,\d{3})+\.\d\d", a) for a in amounts)
    # the totals per currency close the file
    tail = text[text.index("Totals per currency") :]
    for code, total in totals(db_path).items():
        line = next(line for line in tail.splitlines() if line.split()[:1] == [code])
        assert line.split()[-1] == total


@needs_pdftotext
def test_refund_pdf_shows_every_number_and_amount_whole(seeded: Path, tmp_path: Path) -> None:
    from pypdf import PdfReader

    path = export(seeded, "refunds", "pdf", tmp_path)
    assert_refunds_whole(pdf_text(path), seeded)
    box = PdfReader(str(path)).pages[0].mediabox
    assert box.width > box.height  # 15 columns: landscape, filling the page


def test_refund_txt_shows_every_number_and_amount_whole(seeded: Path, tmp_path: Path) -> None:
    path = export(seeded, "refunds", "txt", tmp_path)
    text = path.read_text(encoding="utf-8")
    assert_refunds_whole(text, seeded)
    # amounts are right-aligned: every amount ends in the same terminal column
    lines = [line for line in text.splitlines() if line.startswith("RF-")]
    ends = {m.end() for line in lines if (m := re.search(r"\d\.\d\d(?= )", line))}
    assert len(ends) == 1


@needs_pdftotext
def test_customer_pdf_with_34_fields_splits_and_repeats_the_keys(
    seeded: Path, tmp_path: Path
) -> None:
    path = export(seeded, "customers", "pdf", tmp_path)
    text = pdf_text(path)
    words = tokens(text)
    numbers = account_numbers(seeded)
    assert [n for n in numbers if n not in words] == []
    assert "…" not in text
    assert "each set of rows is printed on" in text and "repeated on each" in text
    # every panel repeats the account number: each appears once per panel
    panels = int(re.search(r"printed on (\d+) pages", text).group(1))
    assert panels > 1
    assert text.count(numbers[0]) == panels
    # headers are whole too (wrapped at their words, never cut)
    for header in ("postal_", "default_", "mandate_"):
        assert header in text


def test_customer_txt_with_34_fields_keeps_every_value(seeded: Path, tmp_path: Path) -> None:
    path = export(seeded, "customers", "txt", tmp_path)
    text = path.read_text(encoding="utf-8")
    words = tokens(text)
    assert [n for n in account_numbers(seeded) if n not in words] == []
    assert "…" not in text


def test_customer_docx_with_34_fields_is_readable(seeded: Path, tmp_path: Path) -> None:
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn

    path = export(seeded, "customers", "docx", tmp_path)
    document = docx.Document(str(path))
    assert document.sections[0].orientation == WD_ORIENT.LANDSCAPE
    size = document.styles["Normal"].font.size.pt
    ten_characters = 10 * size * 0.5 * 20  # twips: a character is about half an em
    usable = document.sections[0].page_width.twips - 2 * document.sections[0].left_margin.twips
    seen: set[str] = set()
    for table in document.tables:
        grid = [int(g.get(qn("w:w"))) for g in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert min(grid) >= ten_characters
        assert sum(grid) <= usable + 1
        seen.update(row.cells[0].text for row in table.rows[1:])
    assert len(document.tables) > 1  # split into several tables, the keys repeated
    assert any("tables of different columns" in p.text for p in document.paragraphs)
    assert set(account_numbers(seeded)) <= seen


def test_refund_docx_ends_with_totals(seeded: Path, tmp_path: Path) -> None:
    import docx

    path = export(seeded, "refunds", "docx", tmp_path)
    document = docx.Document(str(path))
    assert "Totals per currency" in [p.text for p in document.paragraphs]
    last = document.tables[-1]
    got = {row.cells[0].text: row.cells[-1].text for row in last.rows[1:]}
    assert got == totals(seeded)
    amounts = {row.cells[3].text for row in document.tables[0].rows[1:]}
    _, expected, _ = refund_facts(seeded)
    assert set(expected) <= amounts


def test_grouped_amounts_keep_their_currency_decimals(tmp_path: Path) -> None:
    header = ["refund_number", "amount", "currency"]
    rows = [
        ("R-1", "18671.86", "USD"),
        ("R-2", "250000", "JPY"),
        ("R-3", "1234.567", "KWD"),
        ("R-4", "-1500.00", "USD"),
    ]
    path = tmp_path / "r.txt"
    export_rows(header, rows, ["text", "money", "text"], path, "txt")
    text = path.read_text(encoding="utf-8")
    for amount in ("18,671.86", "250,000", "1,234.567", "-1,500.00"):
        assert amount in text
    tail = text[text.index("Totals per currency") :]
    assert re.search(r"USD\s+2\s+17,171\.86", tail)
    assert Decimal("18671.86") - Decimal("1500.00") == Decimal("17171.86")


CJK_ROWS = [("C-1", "東京 Trading"), ("C-2", "Plain Ltd"), ("C-3", "Café ☃ 🪐")]


def _cjk_pdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, font: str) -> tuple[str, tuple]:
    from xoro_tui.documents import fonts

    monkeypatch.setenv("XORO_TUI_CJK_FONT", font)
    fonts.find_cjk_font.cache_clear()
    try:
        path = tmp_path / "cjk.pdf"
        result = export_rows(["account_number", "name"], CJK_ROWS, ["text", "text"], path, "pdf")
    finally:
        fonts.find_cjk_font.cache_clear()
    return pdf_text(path), result.warnings


@needs_pdftotext
def test_cjk_name_prints_with_the_installed_font(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xoro_tui.documents import fonts

    monkeypatch.delenv("XORO_TUI_CJK_FONT", raising=False)
    fonts.find_cjk_font.cache_clear()
    found = fonts.find_cjk_font()
    if found is None:
        pytest.skip("no CJK font installed (fonts-droid-fallback)")
    text, warnings = _cjk_pdf(tmp_path, monkeypatch, str(found))
    assert "東京 Trading" in text
    # the CJK font has no emoji: only those are named, with no font package to blame
    assert len(warnings) == 1 and "🪐" in warnings[0] and "東" not in warnings[0]
    assert "fonts-droid-fallback" not in warnings[0]


@needs_pdftotext
def test_cjk_name_without_the_font_is_named_with_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xoro_tui.documents import fonts

    text, warnings = _cjk_pdf(tmp_path, monkeypatch, str(tmp_path / "no-such-font.ttf"))
    assert f"{fonts.PLACEHOLDER * 2} Trading" in text
    (warning,) = warnings
    assert "東" in warning and "京" in warning and "🪐" in warning
    assert "2 distinct values" in warning and "fonts-droid-fallback" in warning


def test_cli_warns_about_characters_no_font_has(
    db, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import sys

    from tests.factories import customer

    customer(db, account_number="A-1", name="東京 Trading")
    env = {**os.environ, "XORO_TUI_CJK_FONT": str(tmp_path / "none.ttf")}
    out = tmp_path / "c.pdf"
    result = subprocess.run(
        [sys.executable, "-m", "xoro_tui", "export", "customers", "--format", "pdf",
         "--out", str(out), "--db", str(db_path)],
        capture_output=True, text=True, timeout=120, env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "warning:" in result.stderr and "東京" in result.stderr
    assert "fonts-droid-fallback" in result.stderr
