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

from xoro_tui.documents.export_formats.common import NUMERIC_KINDS, Options, clean, human

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


def write_docx(
    path: Path,
    header: list[str],
    rows: Iterator[Sequence[Any]],
    kinds: list[str],
    options: Options,
) -> None:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt
    from lxml import etree

    document = Document()
    document.styles["Normal"].font.size = Pt(8 if len(header) > 6 else 10)
    section = document.sections[0]
    if len(header) >= LANDSCAPE_FROM_COLUMNS:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    if options.title:
        document.add_heading(_xml_text(clean(options.title)), level=1)
        document.core_properties.title = _xml_text(clean(options.title))[:255]
    if options.filter_text:
        document.add_paragraph(_xml_text(clean(options.filter_text)))

    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    head = table.rows[0]
    head._tr.get_or_add_trPr().append(etree.Element(qn("w:tblHeader")))
    for cell, title in zip(head.cells, header, strict=True):
        cell.paragraphs[0].add_run(_xml_text(clean(title))).bold = True

    tbl = table._tbl
    opening = f'<w:tr xmlns:w="{_W}">'
    columns = [(human(k), k in NUMERIC_KINDS) for k in kinds]
    for values in rows:
        cells = [opening]
        for (text_of, is_right), value in zip(columns, values, strict=True):
            text = text_of(value)
            if not text:
                cells.append("<w:tc><w:p/></w:tc>")
                continue
            space = ' xml:space="preserve"' if text[0] == " " or text[-1] == " " else ""
            cells.append(
                f"<w:tc><w:p>{_RIGHT if is_right else ''}<w:r><w:t{space}>"
                f"{_escape(text)}</w:t></w:r></w:p></w:tc>"
            )
        cells.append("</w:tr>")
        tbl.append(etree.fromstring("".join(cells)))
    document.save(str(path))
