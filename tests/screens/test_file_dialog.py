"""The dialog after a file is written offers only what fits that file, named by its type."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from xoro_tui.app import XoroApp
from xoro_tui.screens.dialogs.print_dialog import PrintDialog
from xoro_tui.widgets.key_bar import KeyBar


@pytest.mark.parametrize(
    ("name", "kind", "printable"),
    [
        ("export.csv", "CSV file", False),
        ("export.xlsx", "Excel file", False),
        ("export.docx", "Word document", False),
        ("export.pdf", "PDF", True),
    ],
)
async def test_the_offer_fits_the_file_written(
    db, db_path: Path, tmp_path: Path, name: str, kind: str, printable: bool
) -> None:
    written = tmp_path / name
    written.write_bytes(b"%PDF-1.4\n" if printable else b"a,b\n")
    app = XoroApp(db, db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.push_screen(PrintDialog(written, "Exported"))
        await pilot.pause()
        dialog = app.screen
        assert dialog.query_one("#email", Input).placeholder == f"email the {kind} to…"
        assert bool(dialog.query("#printer")) is printable
        assert bool(dialog.query("#print")) is printable
        shown = dialog.query_one(KeyBar).keys()
        keys = [description for _, description in shown]
        assert ("Print" in keys) is printable
        await pilot.press("ctrl+s")  # does nothing for a file that cannot be printed
        await pilot.pause()
        assert app.screen is dialog
