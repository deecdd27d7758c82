"""Word (.docx) with python-docx: a title, the filter, and one real table, built in memory.

The table's rows are parsed from WordprocessingML text, a row at a time: python-docx's
``add_row`` / ``cell.text`` costs about ten times as much per cell. The header row is
marked to repeat on every page. Memory is the XML tree's, about 0.8 KB a cell.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from xoro_tui.documents.export_formats import layout
from xoro_tui.documents.export_formats.common import Options, clean, width

#: characters XML 1.0 refuses even after control characters became spaces
_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")
LANDSCAPE_FROM_COLUMNS = 7
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_RIGHT = '<w:pPr><w:jc w:val="right"/></w:pPr>'


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _escape(text: str) -> str:
    text = _xml_text(text)
    if "&" in text or "<" in text or ">" in text:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text


#: twips: 1/20 point. A character of the body font is taken as 0.55 em (Calibri's digits
#: are 0.51 em), a cell's left and right margins as Word's default 108 twips each
CHAR_EM = 0.55
CELL_PAD = 216
MARGIN_CM = 1.5
#: the narrowest column, in characters of the body font
MIN_CHARS = 10
MAX_TEXT_CHARS = 40
MAX_WORD_CHARS = 20


def _twips_per_char(size_pt: float) -> float:
    return size_pt * 20 * CHAR_EM


def _widths(spool: layout.Spool, size_pt: float) -> tuple[list[float], list[float]]:
    """Each column's natural and smallest width in twips, from its content (see layout)."""
    per_char = _twips_per_char(size_pt)
    natural: list[float] = []
    minimum: list[float] = []
    for column in spool.columns:
        title = width(column.title)
        head_word = int(layout.longest_word(column.title, width))
        if column.atom:
            content = column.max_width + 1
            head = title if title <= 24 else head_word
            wide: float = max(content, head, MIN_CHARS)
            small: float = max(content, min(head_word, MAX_WORD_CHARS), MIN_CHARS)
        else:
            texts = [t for t in column.sample if t] or column.widest
            content = max((width(t) for t in [*texts, *column.widest[:1]]), default=0)
            words = max((layout.longest_word(t, width) for t in texts), default=0)
            small = max(min(max(words, head_word), MAX_WORD_CHARS), MIN_CHARS)
            wide = max(min(max(content, title), MAX_TEXT_CHARS), small)
        natural.append(wide * per_char + CELL_PAD)
        minimum.append(min(small, wide) * per_char + CELL_PAD)
    return natural, minimum


def write_docx(
    path: Path,
    header: list[str],
    rows: Iterator[Sequence[Any]],
    kinds: list[str],
    options: Options,
) -> None:
    """A title, the filter and one table per panel of columns (see ``layout``).

    Column widths are fixed from the content (no column narrower than ``MIN_CHARS``
    characters); identifiers, amounts and dates do not wrap. When the columns are wider
    than a landscape page they are split into several tables, one after the other, each
    repeating the key columns. A list with a currency column ends with its totals.
    """
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_BREAK
    from docx.shared import Cm, Pt

    with layout.Spool(header, kinds, rows) as spool:
        document = Document()
        size_pt = 8 if len(header) > 6 else 10
        document.styles["Normal"].font.size = Pt(size_pt)
        section = document.sections[0]
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(MARGIN_CM))
        margins = 2 * Cm(MARGIN_CM).twips
        page_width, page_height = section.page_width, section.page_height
        assert page_width is not None and page_height is not None  # the template sets both
        portrait = page_width.twips - margins
        landscape = page_height.twips - margins
        natural, minimum = _widths(spool, size_pt)
        plan = layout.plan(natural, minimum, portrait, landscape, layout.key_columns(spool.header))
        if plan.landscape or len(header) >= LANDSCAPE_FROM_COLUMNS:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = section.page_height, section.page_width
        if options.title:
            document.add_heading(_xml_text(clean(options.title)), level=1)
            document.core_properties.title = _xml_text(clean(options.title))[:255]
        if options.filter_text:
            document.add_paragraph(_xml_text(clean(options.filter_text)))
        if plan.split:
            document.add_paragraph(_xml_text(layout.describe_split(spool, plan, tables=True)))
        atoms = [c.atom for c in spool.columns]
        right = [c.right for c in spool.columns]
        for number, panel in enumerate(plan.panels):
            if number:
                document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
                document.add_paragraph(
                    _xml_text(f"Columns, part {number + 1} of {len(plan.panels)}")
                )
            table = _table(document, spool.header, panel, atoms)
            _fill_rows(table, spool.rows(), panel, atoms, right)
        totals = spool.totals()
        if totals:
            document.add_paragraph("Totals per currency").runs[0].bold = True
            head = spool.totals_header()
            rows_ = [[t.currency, f"{t.rows:,}", *t.sums] for t in totals]
            per_char = _twips_per_char(size_pt)
            panel = [
                (i, (max(width(r[i]) for r in [head, *rows_]) + 2) * per_char + CELL_PAD)
                for i in range(len(head))
            ]
            table = _table(document, head, panel, [True] * len(head))
            _fill_rows(
                table, iter(rows_), panel, [True] * len(head), [False] + [True] * len(rows_[0][1:])
            )
        document.save(str(path))


def _table(
    document: Any, header: Sequence[str], panel: list[tuple[int, float]], atoms: list[bool]
) -> Any:
    """A fixed-layout table with the panel's column widths and a repeating header row."""
    from docx.oxml.ns import qn
    from lxml import etree

    table = document.add_table(rows=1, cols=len(panel))
    table.style = "Table Grid"
    table.autofit = False
    tbl = table._tbl
    tbl_pr = tbl.tblPr
    layout_el = etree.SubElement(tbl_pr, qn("w:tblLayout"))
    layout_el.set(qn("w:type"), "fixed")
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is not None:
        tbl_w.set(qn("w:type"), "dxa")
        tbl_w.set(qn("w:w"), str(int(sum(w for _, w in panel))))
    for grid_col, (_, size) in zip(tbl.tblGrid.findall(qn("w:gridCol")), panel, strict=True):
        grid_col.set(qn("w:w"), str(int(size)))
    head = table.rows[0]
    head._tr.get_or_add_trPr().append(etree.Element(qn("w:tblHeader")))
    for cell, (i, size) in zip(head.cells, panel, strict=True):
        cell.width = int(size) * 635  # EMU per twip
        cell.paragraphs[0].add_run(_xml_text(header[i])).bold = True
    return table


def _fill_rows(
    table: Any,
    rows: Iterator[Sequence[str]],
    panel: list[tuple[int, float]],
    atoms: list[bool],
    right: list[bool],
) -> None:
    from lxml import etree

    tbl = table._tbl
    opening = f'<w:tr xmlns:w="{_W}">'
    props = [
        f'<w:tcPr><w:tcW w:w="{int(size)}" w:type="dxa"/>{"<w:noWrap/>" if atoms[i] else ""}'
        "</w:tcPr>"
        for i, size in panel
    ]
    for cells_ in rows:
        cells = [opening]
        for (i, _), prop in zip(panel, props, strict=True):
            text = cells_[i]
            if not text:
                cells.append(f"<w:tc>{prop}<w:p/></w:tc>")
                continue
            space = ' xml:space="preserve"' if text[0] == " " or text[-1] == " " else ""
            cells.append(
                f"<w:tc>{prop}<w:p>{_RIGHT if right[i] else ''}<w:r><w:t{space}>"
                f"{_escape(text)}</w:t></w:r></w:p></w:tc>"
            )
        cells.append("</w:tr>")
        tbl.append(etree.fromstring("".join(cells)))
