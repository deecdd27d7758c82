"""Fonts for the PDFs: DejaVu Sans (shipped with the package) plus a system CJK font.

DejaVu Sans covers Latin with accents, Greek and Cyrillic. Chinese and Japanese need a
CJK font, which is far too big to ship; the system's is found with
``fc-list :lang=zh file`` (never ``fc-match``, which answers DejaVu when there is none)
and registered as fpdf2's fallback font. ``$XORO_TUI_CJK_FONT`` names a font file
directly and wins over fc-list.

fpdf2 silently drops a glyph no registered font has, so :meth:`FontReport.printable`
replaces such characters with a visible placeholder before the text is written.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from xoro_tui.settings_env import env_settings

if TYPE_CHECKING:
    from fpdf import FPDF

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
REGULAR = FONT_DIR / "DejaVuSans.ttf"
BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"
FAMILY = "DejaVu"
CJK_FAMILY = "CJK"
#: what replaces a character no registered font can draw (DejaVu has it)
PLACEHOLDER = "\u25a1"
CJK_HINT = "install fonts-droid-fallback (Debian/Ubuntu) for Chinese/Japanese/Korean text"

#: preferred CJK fonts, best first; any other fc-list answer comes after these
_PREFERRED = ("DroidSansFallbackFull", "DroidSansFallback", "NotoSansCJK", "wqy", "ukai")
_EXTENSION_RANK = {".ttf": 0, ".otf": 1, ".ttc": 2, ".otc": 3}


@dataclass
class FontReport:
    """Which fonts a PDF got, and what to tell the user about the missing ones."""

    family: str = FAMILY
    cjk_font: Path | None = None
    cjk_error: str | None = None
    #: whether the text needs more than DejaVu has (when False no CJK font was looked for)
    cjk_needed: bool = True
    _cmaps: list[Mapping[int, int]] = field(default_factory=list, repr=False)

    @property
    def has_cjk(self) -> bool:
        return self.cjk_font is not None

    @property
    def missing_cjk_message(self) -> str | None:
        """One sentence for the user when Chinese/Japanese/Korean text cannot print."""
        if self.cjk_font is not None or not self.cjk_needed:
            return None
        if self.cjk_error:
            return f"the CJK font could not be used ({self.cjk_error}); {CJK_HINT}"
        return f"no CJK font found: {CJK_HINT}"

    def warning(self, text: str) -> str | None:
        """What to tell the user about ``text`` printing incompletely, or None."""
        missing = self.missing_characters(text)
        if not missing:
            return None
        if self.cjk_font is None and self.cjk_needed:
            return (
                f"{missing} cannot be drawn and print as {PLACEHOLDER}; {self.missing_cjk_message}"
            )
        return f"no font has {missing!r}; they print as {PLACEHOLDER}"

    def can_draw(self, char: str) -> bool:
        code = ord(char)
        return any(code in cmap for cmap in self._cmaps)

    def printable(self, text: str | None) -> str:
        """``text`` with each character no registered font has replaced by a placeholder."""
        if not text:
            return ""
        if not self._cmaps:
            return text
        return "".join(
            ch if ch in "\n\t" or ord(ch) < 0x20 or self.can_draw(ch) else PLACEHOLDER
            for ch in text
        )

    def missing_characters(self, text: str) -> str:
        """The distinct characters of ``text`` that would print as the placeholder."""
        seen: dict[str, None] = {}
        for ch in text:
            if ch not in "\n\t" and ord(ch) >= 0x20 and self._cmaps and not self.can_draw(ch):
                seen[ch] = None
        return "".join(seen)


def _rank(path: str) -> tuple[int, int, str]:
    name = Path(path).name
    preferred = next(
        (i for i, p in enumerate(_PREFERRED) if p.lower() in name.lower()), len(_PREFERRED)
    )
    return preferred, _EXTENSION_RANK.get(Path(path).suffix.lower(), 9), path


@functools.cache
def find_cjk_font() -> Path | None:
    """The best CJK font file on this system, or None; asked of fontconfig once per run."""
    override = env_settings().cjk_font
    if override is not None:
        return override if override.is_file() else None
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        result = subprocess.run(
            [fc_list, ":lang=zh", "file"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if result.returncode != 0:
        return None
    files: list[str] = []
    for line in result.stdout.splitlines():
        path = line.strip().rstrip(":").strip()
        if path and Path(path).suffix.lower() in _EXTENSION_RANK and Path(path).is_file():
            files.append(path)
    if not files:
        return None
    return Path(min(files, key=_rank))


def setup_fonts(pdf: FPDF, *, text: str | None = None, cjk: bool = True) -> FontReport:
    """Register DejaVu Sans (regular and bold) and, when found, a CJK fallback font.

    Parsing a CJK font costs about a second, so when ``text`` (all the user text the
    PDF will hold) is given, the CJK font is looked for only if DejaVu cannot draw some
    of it. ``cjk=False`` never looks (tests use it to see the no-CJK behaviour).
    The PDF prints either way; the report says what is missing.
    """
    pdf.add_font(FAMILY, "", str(REGULAR))
    pdf.add_font(FAMILY, "B", str(BOLD))
    report = FontReport()
    report._cmaps = [_cmap(pdf, FAMILY, ""), _cmap(pdf, FAMILY, "B")]
    report.cjk_needed = text is None or bool(report.missing_characters(text))
    found = find_cjk_font() if cjk and report.cjk_needed else None
    if found is not None:
        try:
            pdf.add_font(CJK_FAMILY, "", str(found))
        except Exception as exc:  # a font fpdf2 cannot parse must not stop the print
            report.cjk_error = f"{found.name}: {exc}"
        else:
            pdf.set_fallback_fonts([CJK_FAMILY], exact_match=False)
            report.cjk_font = found
            report._cmaps.append(_cmap(pdf, CJK_FAMILY, ""))
    pdf.set_font(FAMILY, size=10)
    return report


def _cmap(pdf: FPDF, family: str, style: str) -> Mapping[int, int]:
    """The code point → glyph map fpdf2 parsed (fonts are keyed by lower-case family + style)."""
    font = pdf.fonts[family.lower() + style]
    return getattr(font, "cmap", None) or {}


PAGE_SIZES = {"letter": "Letter", "a4": "A4"}


def new_pdf(
    page_size: str = "Letter", title: str = "", text: str | None = None
) -> tuple[FPDF, FontReport]:
    """A portrait millimetre PDF of ``page_size`` ("Letter" or "A4") with the fonts set up.

    ``text`` is all the user text the PDF will hold (see :func:`setup_fonts`).
    """
    from fpdf import FPDF

    size = PAGE_SIZES.get(str(page_size).strip().lower())
    if size is None:
        raise ValueError(f"unknown page size {page_size!r}; use Letter or A4")
    pdf = FPDF(orientation="P", unit="mm", format=size)
    pdf.set_creator("xoro-tui")
    if title:
        pdf.set_title(title)
    pdf.set_margins(12, 12, 12)
    report = setup_fonts(pdf, text=text)
    return pdf, report


def stamp_reprint(pdf: FPDF, x: float, y: float, w: float, h: float) -> None:
    """A large translucent diagonal "REPRINT" across the box, over what is already there."""
    with pdf.local_context(fill_opacity=0.22):
        pdf.set_font(FAMILY, "B", 54)
        pdf.set_text_color(200, 30, 30)
        cx, cy = x + w / 2, y + h / 2
        with pdf.rotation(18, cx, cy):
            width = pdf.get_string_width("REPRINT")
            pdf.set_xy(cx - width / 2, cy - 10)
            pdf.cell(width, 20, "REPRINT", align="C")
