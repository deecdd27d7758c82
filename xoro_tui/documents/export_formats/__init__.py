"""One writer per export format, imported lazily so a CSV export never loads XlsxWriter.

Every writer module has ``write(path, header, rows, kinds, options) -> None``: it writes
the whole file at ``path`` (a private temporary file the caller renames when complete)
and consumes ``rows`` once, in order.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from xoro_tui.documents.export_formats.common import Options

#: a writer returns None, or warnings for the user (characters no font could draw)
Writer = Callable[[Path, list[str], Iterator[Sequence[Any]], list[str], Options], list[str] | None]

_MODULES: dict[str, str] = {
    "csv": "text_formats",
    "txt": "text_formats",
    "xlsx": "xlsx",
    "xls": "xls",
    "docx": "word",
    "pdf": "pdf",
}


def writer_for(fmt: str) -> Writer:
    module = importlib.import_module(f"{__name__}.{_MODULES[fmt]}")
    return getattr(module, f"write_{fmt}")
