"""PDF with fpdf2: the title and filter on top, a table whose header row repeats on every
page, page numbers, Unicode text, landscape when the columns need it; built in memory.

Cells are drawn with ``FPDF.text`` and cut with … to their column: fpdf2's ``table()``
wraps every cell and costs about 15 ms a row, ten times as much.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from fpdf import FPDF

from xoro_tui.documents import fonts
from xoro_tui.documents.export_formats.common import NUMERIC_KINDS, Options, clean, human, peek

SAMPLE_ROWS = 500
FONT_SIZE = 7.5
ROW_HEIGHT = 4.6
MARGIN = 10.0
PAD = 1.2
MAX_COLUMN_MM = 70.0


class _ListPDF(FPDF):
    def __init__(self, options: Options, header: list[str], right: list[bool]) -> None:
        super().__init__(unit="mm", format="A4")
        self.options = options
        self.columns = header
        self.right = right
        self.widths: list[float] = []
        self.family = fonts.FAMILY
        self.bold = "B"
        self.report = fonts.setup_fonts(self)
        self._base_cmap = getattr(self.fonts[fonts.FAMILY.lower()], "cmap", None) or {}
        self._char_widths: dict[tuple[str, str, float], dict[str, float]] = {}
        self.set_auto_page_break(False)
        self.set_creator("xoro-tui")
        if options.title:
            self.set_title(clean(options.title))

    def header(self) -> None:
        top = MARGIN
        if self.page_no() == 1:
            self.set_font(self.family, self.bold, 13)
            if self.options.title:
                self.say(MARGIN, top + 4, clean(self.options.title), self.usable)
                top += 7
            if self.options.filter_text:
                self.set_font(self.family, "", 8.5)
                self.say(MARGIN, top + 3, clean(self.options.filter_text), self.usable)
                top += 6
        self.set_font(self.family, self.bold, FONT_SIZE)
        self.set_fill_color(225, 228, 235)
        self.rect(MARGIN, top, sum(self.widths), ROW_HEIGHT + 0.6, style="F")
        self.draw_row(self.columns, top + 0.3)
        self.set_y(top + ROW_HEIGHT + 0.6)
        self.set_font(self.family, "", FONT_SIZE)

    def footer(self) -> None:
        self.set_font(self.family, "", 7)
        # a cell, not text(): only cells replace the {nb} alias with the page count
        self.set_xy(self.w - MARGIN - 40, self.h - 8.5)
        self.cell(40, 4, f"Page {self.page_no()} of {{nb}}", align="R")
        if self.options.title:
            self.say(MARGIN, self.h - 6, clean(self.options.title), self.usable / 2)

    @property
    def usable(self) -> float:
        return self.w - 2 * MARGIN

    def measure(self, text: str) -> float:
        """``get_string_width`` from a per-character cache: the same, forty times cheaper."""
        key = (self.font_family, self.font_style, self.font_size_pt)
        cache = self._char_widths.get(key)
        if cache is None:
            cache = self._char_widths[key] = {}
        total = 0.0
        for ch in text:
            w = cache.get(ch)
            if w is None:
                w = cache[ch] = self.get_string_width(ch)
            total += w
        return total

    def fit(self, text: str, room: float) -> str:
        """``text`` cut with … to ``room`` millimetres."""
        if self.measure(text) <= room:
            return text
        low, high = 0, len(text)
        while low < high:
            mid = (low + high + 1) // 2
            if self.measure(text[:mid] + "…") <= room:
                low = mid
            else:
                high = mid - 1
        return text[:low].rstrip() + "…"

    def unicode_text(self, text: str) -> tuple[str, str]:
        """The text and the family to draw it in. ``text()`` knows no fallback fonts: a cell
        DejaVu cannot draw goes wholly to the CJK font, or gets visible placeholders."""
        report = self.report
        if report.has_cjk and any(ord(ch) not in self._base_cmap for ch in text):
            return report.printable(text), fonts.CJK_FAMILY
        return report.printable(text), self.font_family

    def say(self, x: float, y: float, text: str, room: float, right: bool = False) -> None:
        """Draw ``text`` cut to ``room`` mm at (x, y) (its right end at x + room if right)."""
        family, style = self.font_family, self.font_style
        use = family
        if not text.isascii():
            text, use = self.unicode_text(text)
            if use != family:
                self.set_font(use, "", self.font_size_pt)
        text = self.fit(text, room)
        self.text(x + room - self.measure(text) if right else x, y, text)
        if use != family:
            self.set_font(family, style, self.font_size_pt)

    def width_of(self, text: str) -> float:
        """The width ``text`` takes drawn by :meth:`say` (in the CJK font when it needs it)."""
        if text.isascii():
            return self.measure(text)
        family, style = self.font_family, self.font_style
        text, use = self.unicode_text(text)
        if use == family:
            return self.measure(text)
        self.set_font(use, "", self.font_size_pt)
        size = self.measure(text)
        self.set_font(family, style, self.font_size_pt)
        return size

    def draw_row(self, texts: Sequence[str], y: float) -> None:
        x = MARGIN
        base = y + ROW_HEIGHT - 1.3
        for text, size, right in zip(texts, self.widths, self.right, strict=True):
            if text:
                self.say(x + PAD, base, text, size - 2 * PAD, right)
            x += size


def _natural_widths(pdf: _ListPDF, header: list[str], sample: list[list[str]]) -> list[float]:
    pdf.set_font(pdf.family, pdf.bold, FONT_SIZE)
    widths = [min(pdf.get_string_width(h), 30.0) for h in header]
    pdf.set_font(pdf.family, "", FONT_SIZE)
    for row in sample:
        for i, text in enumerate(row):
            if text and len(text) * 1.8 > widths[i]:
                widths[i] = max(widths[i], pdf.width_of(text))
    return [min(w, MAX_COLUMN_MM) + 2 * PAD for w in widths]


def write_pdf(
    path: Path,
    header: list[str],
    rows: Iterator[Sequence[Any]],
    kinds: list[str],
    options: Options,
) -> None:
    texts = [human(k) for k in kinds]
    header = [clean(" ".join(h.split())) for h in header]
    pdf = _ListPDF(options, header, [k in NUMERIC_KINDS for k in kinds])
    raw, rows = peek(rows, SAMPLE_ROWS)
    sample = [[f(v) for f, v in zip(texts, row, strict=True)] for row in raw]
    natural = _natural_widths(pdf, header, sample)
    portrait = 210 - 2 * MARGIN
    orientation = "P" if sum(natural) <= portrait else "L"
    room = portrait if orientation == "P" else 297 - 2 * MARGIN
    # landscape only when the columns need it: then they fill its width
    scale = room / sum(natural) if orientation == "L" else 1.0
    pdf.widths = [w * scale for w in natural]
    bottom = 297 - MARGIN - 4 if orientation == "P" else 210 - MARGIN - 4
    pdf.add_page(orientation=orientation)
    line_end = MARGIN + sum(pdf.widths)
    pdf.set_draw_color(200, 200, 200)
    pdf.set_line_width(0.1)
    y = pdf.get_y()
    for values in rows:
        if y + ROW_HEIGHT > bottom:
            pdf.add_page(orientation=orientation)
            pdf.set_draw_color(200, 200, 200)
            y = pdf.get_y()
        pdf.draw_row([f(v) for f, v in zip(texts, values, strict=True)], y)
        y += ROW_HEIGHT
        pdf.line(MARGIN, y, line_end, y)
    pdf.output(str(path))
