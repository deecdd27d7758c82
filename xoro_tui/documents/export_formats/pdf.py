"""PDF with fpdf2: the title and filter on top, a table whose header row repeats on every
page, page numbers, Unicode text; built in memory. Nothing is cut (see ``layout``):
identifiers, amounts, dates and counts are as wide as their widest value, other text
wraps, the page turns landscape when the columns need it, and a list wider than a
landscape page is split into panels that repeat the key columns.

Cells are drawn with ``FPDF.text``: fpdf2's ``table()`` wraps every cell and costs about
15 ms a row, ten times as much. Characters no font can draw are counted, and the writer
returns one warning naming them (and the font package to install for CJK).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from fpdf import FPDF

from xoro_tui.documents import fonts
from xoro_tui.documents.export_formats import layout
from xoro_tui.documents.export_formats.common import Options, clean

FONT_SIZE = 7.5
LINE = 3.3
ROW_PAD = 1.3
MARGIN = 10.0
PAD = 1.2
MAX_COLUMN_MM = 70.0
#: the narrowest a wrapping text column gets, and the widest its longest word asks
MIN_TEXT_MM = 12.0
MAX_WORD_MM = 30.0
#: an atom header wider than this wraps at its words instead of widening the column
HEADER_FULL_MM = 24.0
PORTRAIT_ROOM = 210 - 2 * MARGIN
LANDSCAPE_ROOM = 297 - 2 * MARGIN


class _ListPDF(FPDF):
    def __init__(self, options: Options) -> None:
        super().__init__(unit="mm", format="A4")
        self.options = options
        self.family = fonts.FAMILY
        self.bold = "B"
        self.report = fonts.setup_fonts(self)
        self._base_cmap = getattr(self.fonts[fonts.FAMILY.lower()], "cmap", None) or {}
        self._char_widths: dict[tuple[str, str, float], dict[str, float]] = {}
        self.missing: dict[str, None] = {}
        self.missing_cells = 0
        self._seen: set[str] = set()
        #: the columns of the current page: (index, width) and their header lines
        self.panel: list[tuple[int, float]] | None = None
        self.panel_no = 0
        self.panels = 1
        self.head_lines: list[list[str]] = []
        self.head_height = 0.0
        self.note = ""
        self.right: list[bool] = []
        self.set_auto_page_break(False)
        self.set_creator("xoro-tui")
        if options.title:
            self.set_title(clean(options.title))

    def title_block(self, usable: float) -> list[tuple[str, float, str, float]]:
        """The first page's title, filter and note as (line, size, style, step) lines."""
        out: list[tuple[str, float, str, float]] = []
        for text, size, step in (
            (self.options.title, 13.0, 7.0),
            (self.options.filter_text, 8.5, 5.0),
            (self.note, 8.0, 4.5),
        ):
            if not text:
                continue
            style = self.bold if size == 13.0 else ""
            self.set_font(self.family, style, size)
            out.extend(
                (line, size, style, step)
                for line in layout.wrap(clean(text), usable, self.width_of)
            )
        self.set_font(self.family, "", FONT_SIZE)
        return out

    def title_height(self, usable: float) -> float:
        lines = self.title_block(usable)
        return sum(step for *_, step in lines) + (1.5 if lines else 0.0)

    def header(self) -> None:
        top = MARGIN
        if self.page_no() == 1:
            for line, size, style, step in self.title_block(self.usable):
                self.set_font(self.family, style, size)
                self.say(MARGIN, top + step - 1.5, line)
                top += step
            top += 1.5 if top > MARGIN else 0.0
        if self.panel is not None:
            self.set_font(self.family, self.bold, FONT_SIZE)
            self.set_fill_color(225, 228, 235)
            self.rect(MARGIN, top, sum(w for _, w in self.panel), self.head_height, style="F")
            self.draw_lines(self.head_lines, top)
            top += self.head_height
        self.set_y(top)
        self.set_font(self.family, "", FONT_SIZE)

    def footer(self) -> None:
        self.set_font(self.family, "", 7)
        # a cell, not text(): only cells replace the {nb} alias with the page count
        part = f" · columns {self.panel_no + 1} of {self.panels}" if self.panels > 1 else ""
        self.set_xy(self.w - MARGIN - 70, self.h - 8.5)
        self.cell(70, 4, f"Page {self.page_no()} of {{nb}}{part}", align="R")
        if self.options.title:
            self.say(MARGIN, self.h - 6, self.fit(clean(self.options.title), self.usable / 2))

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
        """``text`` cut with … to ``room`` mm: only for the running title in the footer."""
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

    def runs(self, text: str) -> list[tuple[str, str]]:
        """``text`` as (family, run) pieces: ``text()`` knows no fallback fonts, so the
        characters DejaVu lacks are drawn in the CJK font, run by run, and those no font
        has become visible placeholders (remembered for the warning)."""
        family = self.font_family
        if text.isascii():
            return [(family, text)]
        report = self.report
        printable = report.printable(text)
        if printable != text and text not in self._seen:
            self._seen.add(text)
            self.missing_cells += 1
            for ch in report.missing_characters(text):
                self.missing.setdefault(ch, None)
        if not report.has_cjk:
            return [(family, printable)]
        base = self._base_cmap
        out: list[tuple[str, str]] = []
        for ch in printable:
            use = family if ord(ch) in base or ch == " " else fonts.CJK_FAMILY
            if out and out[-1][0] == use:
                out[-1] = (use, out[-1][1] + ch)
            else:
                out.append((use, ch))
        return out

    def say(self, x: float, y: float, text: str, right_edge: float | None = None) -> None:
        """Draw ``text`` whole at (x, y), or ending at ``right_edge`` when given."""
        if text.isascii():
            if right_edge is not None:
                x = right_edge - self.measure(text)
            self.text(x, y, text)
            return
        family, style, size = self.font_family, self.font_style, self.font_size_pt
        pieces = self.runs(text)
        if right_edge is not None:
            x = right_edge - self._runs_width(pieces)
        for use, run in pieces:
            if use != family:
                self.set_font(use, "", size)
            self.text(x, y, run)
            x += self.measure(run)
            if use != family:
                self.set_font(family, style, size)

    def _runs_width(self, pieces: list[tuple[str, str]]) -> float:
        family, style, size = self.font_family, self.font_style, self.font_size_pt
        total = 0.0
        for use, run in pieces:
            if use == family:
                total += self.measure(run)
            else:
                self.set_font(use, "", size)
                total += self.measure(run)
                self.set_font(family, style, size)
        return total

    def width_of(self, text: str) -> float:
        """The width ``text`` takes drawn by :meth:`say` (CJK runs in the CJK font)."""
        if text.isascii():
            return self.measure(text)
        seen, cells, missing = set(self._seen), self.missing_cells, dict(self.missing)
        size = self._runs_width(self.runs(text))
        # measuring is not drawing: only drawn text counts towards the warning
        self._seen, self.missing_cells, self.missing = seen, cells, missing
        return size

    def wrapped(self, cells: Sequence[str], atoms: Sequence[bool]) -> list[list[str]]:
        """Each cell of the current panel as its lines."""
        assert self.panel is not None
        out: list[list[str]] = []
        for i, size in self.panel:
            text = cells[i]
            out.append([text] if atoms[i] else layout.wrap(text, size - 2 * PAD, self.width_of))
        return out

    def draw_lines(self, lines: Sequence[Sequence[str]], y: float) -> None:
        assert self.panel is not None
        x = MARGIN
        for (i, size), cell in zip(self.panel, lines, strict=True):
            base = y + ROW_PAD / 2 + LINE - 0.75
            for line in cell:
                if line:
                    self.say(x + PAD, base, line, x + size - PAD if self.right[i] else None)
                base += LINE
            x += size


def height(lines: Sequence[Sequence[str]]) -> float:
    return max((len(c) for c in lines), default=1) * LINE + ROW_PAD


def _widths(pdf: _ListPDF, spool: layout.Spool) -> tuple[list[float], list[float]]:
    """Each column's natural and smallest width in mm (padding included)."""
    natural: list[float] = []
    minimum: list[float] = []
    for column in spool.columns:
        pdf.set_font(pdf.family, pdf.bold, FONT_SIZE)
        title = pdf.width_of(column.title)
        head_word = layout.longest_word(column.title, pdf.width_of)
        pdf.set_font(pdf.family, "", FONT_SIZE)
        if column.atom:
            content = max((pdf.width_of(t) for t in column.widest), default=0.0) * 1.02
            head = title if title <= HEADER_FULL_MM else min(head_word, MAX_WORD_MM)
            size = max(content, min(head, max(content, MAX_WORD_MM)), 4.0)
            natural.append(size + 2 * PAD)
            minimum.append(max(content, min(head_word, MAX_WORD_MM), 4.0) + 2 * PAD)
            continue
        texts = [t for t in column.sample if t] or column.widest
        content = max((pdf.width_of(t) for t in texts), default=0.0)
        content = max(content, *(pdf.width_of(t) for t in column.widest[:1]), 0.0)
        words = max((layout.longest_word(t, pdf.width_of) for t in texts), default=0.0)
        small = max(min(max(words, head_word), MAX_WORD_MM), MIN_TEXT_MM)
        wide = max(min(max(content, title), MAX_COLUMN_MM), small)
        natural.append(wide + 2 * PAD)
        minimum.append(min(small, wide) + 2 * PAD)
    return natural, minimum


def write_pdf(
    path: Path,
    header: list[str],
    rows: Iterator[Sequence[Any]],
    kinds: list[str],
    options: Options,
) -> list[str]:
    with layout.Spool(header, kinds, rows) as spool:
        pdf = _ListPDF(options)
        pdf.right = [c.right for c in spool.columns]
        atoms = [c.atom for c in spool.columns]
        natural, minimum = _widths(pdf, spool)
        keys = layout.key_columns(spool.header)
        plan = layout.plan(natural, minimum, PORTRAIT_ROOM, LANDSCAPE_ROOM, keys)
        orientation = "L" if plan.landscape else "P"
        if plan.split:
            pdf.note = layout.describe_split(spool, plan)
        pdf.panels = len(plan.panels)
        pdf.set_font(pdf.family, pdf.bold, FONT_SIZE)
        heads = []
        for panel in plan.panels:
            pdf.panel = panel
            heads.append(pdf.wrapped(spool.header, [False] * len(spool.header)))
        pdf.set_font(pdf.family, "", FONT_SIZE)
        head_height = max(height(h) for h in heads)
        bottom = (210 if plan.landscape else 297) - MARGIN - 4

        def start(panel_no: int) -> None:
            pdf.panel_no = panel_no
            pdf.panel = plan.panels[panel_no]
            pdf.head_lines = heads[panel_no]
            pdf.head_height = head_height
            pdf.add_page(orientation=orientation)
            pdf.set_draw_color(200, 200, 200)
            pdf.set_line_width(0.1)

        page: list[tuple[list[list[list[str]]], float]] = []
        used = 0.0
        first = True

        def flush() -> None:
            nonlocal first
            for panel_no, panel in enumerate(plan.panels):
                start(panel_no)
                y = pdf.get_y()
                end = MARGIN + sum(w for _, w in panel)
                for lines, row_height in page:
                    pdf.draw_lines(lines[panel_no], y)
                    y += row_height
                    pdf.line(MARGIN, y, end, y)
                pdf.set_y(y)
            first = False

        room = None
        for cells in spool.rows():
            lines = []
            for panel in plan.panels:
                pdf.panel = panel
                lines.append(pdf.wrapped(cells, atoms))
            row_height = max(height(c) for c in lines)
            if room is None:
                room = _room(pdf, plan, head_height, bottom, orientation, first=True)
            if page and used + row_height > room:
                flush()
                page, used = [], 0.0
                room = _room(pdf, plan, head_height, bottom, orientation, first=False)
            page.append((lines, row_height))
            used += row_height
        if page or first:
            flush()
        totals = spool.totals()
        if totals:
            _draw_totals(pdf, spool.totals_header(), totals, bottom, orientation)
        pdf.output(str(path))
        return _warnings(pdf)


def _room(
    pdf: _ListPDF, plan: layout.Plan, head: float, bottom: float, orientation: str, first: bool
) -> float:
    """The height rows get on the next page (the first page also holds the title)."""
    if not first:
        return bottom - MARGIN - head
    usable = LANDSCAPE_ROOM if plan.landscape else PORTRAIT_ROOM
    return bottom - MARGIN - pdf.title_height(usable) - head


def _draw_totals(
    pdf: _ListPDF, header: list[str], totals: list[layout.Total], bottom: float, orientation: str
) -> None:
    table = [header] + [[t.currency, f"{t.rows:,}", *t.sums] for t in totals]
    pdf.set_font(pdf.family, pdf.bold, FONT_SIZE)
    widths = [max(pdf.width_of(row[i]) for row in table) + 2 * PAD + 4 for i in range(len(header))]
    needed = (len(table) + 2) * (LINE + ROW_PAD)
    y = pdf.get_y()
    if y + needed > bottom:
        pdf.panel = None
        pdf.add_page(orientation=orientation)
        y = pdf.get_y()
    pdf.panel = [(i, w) for i, w in enumerate(widths)]
    pdf.right = [False] + [True] * (len(header) - 1)
    y += 4
    pdf.say(MARGIN, y, "Totals per currency")
    y += 2
    for n, row in enumerate(table):
        pdf.set_font(pdf.family, pdf.bold if n == 0 else "", FONT_SIZE)
        pdf.draw_lines([[c] for c in row], y)
        y += LINE + ROW_PAD
        pdf.line(MARGIN, y, MARGIN + sum(widths), y)


def _is_cjk(ch: str) -> bool:
    name = unicodedata.name(ch, "")
    return name.startswith(
        ("CJK", "HANGUL", "HIRAGANA", "KATAKANA", "IDEOGRAPHIC", "BOPOMOFO", "FULLWIDTH")
    )


def _warnings(pdf: _ListPDF) -> list[str]:
    """One sentence when characters printed as placeholders, naming them and the fix."""
    if not pdf.missing:
        return []
    chars = "".join(list(pdf.missing)[:24]) + ("…" if len(pdf.missing) > 24 else "")
    cells = f"{pdf.missing_cells:,} distinct value{'s' if pdf.missing_cells != 1 else ''}"
    message = (
        f"{cells} have characters no installed font can draw; they print as "
        f"{fonts.PLACEHOLDER}: {chars}"
    )
    if any(_is_cjk(ch) for ch in pdf.missing) and not pdf.report.has_cjk:
        message += f" ({fonts.CJK_HINT})"
    return [message]
