"""One PDF file from start to end: the set-up every printed document shares.

Cheques, the cheque alignment page and refund receipts each draw their own pages; the
rest is the same for all of them and lives here: a millimetre page of the chosen size
with the fonts for its user text (:func:`~xoro_tui.documents.fonts.new_pdf`), the page
breaks, one sentence for the caller when some text cannot print fully (no CJK font),
and the file written owner-only (:func:`~xoro_tui.documents.print_data.write_private`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from xoro_tui.documents.fonts import FontReport, new_pdf
from xoro_tui.documents.print_data import write_private

if TYPE_CHECKING:
    from fpdf import FPDF


def write_pdf(
    path: Path,
    page_size: str,
    title: str,
    draw: Callable[[FPDF, FontReport], object],
    *,
    text: str | None = None,
    break_margin: float | None = None,
    on_warning: Callable[[str], None] | None = None,
) -> Path:
    """Draw a PDF with ``draw(pdf, fonts)`` and write it at ``path``; return the path.

    ``text`` is all the user text it holds (the fonts are chosen for it, and
    ``on_warning`` hears when some of it cannot print fully); ``break_margin``: a new page
    starts that many mm above the bottom edge (None: the drawing places its pages itself).
    """
    pdf, fonts = new_pdf(page_size, title, text)
    if break_margin is None:
        pdf.set_auto_page_break(False)
    else:
        pdf.set_auto_page_break(True, margin=break_margin)
    draw(pdf, fonts)
    if on_warning is not None and text is not None and (message := fonts.warning(text)):
        on_warning(message)
    return write_private(Path(path), bytes(pdf.output()))
