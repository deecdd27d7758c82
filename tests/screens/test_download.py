"""Download from the Centres: the visible columns of the filter or the checked rows, to a
private file that a real reader opens, then the email / scp dialog."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl

from tests.conftest import wait_until
from tests.factories import customer
from xoro_tui.app import XoroApp
from xoro_tui.screens.dialogs.print_dialog import PrintDialog
from xoro_tui.screens.lists.download_dialog import DownloadDialog


async def _export(app: XoroApp, pilot, keys: list[str]) -> Path:
    await pilot.press("d")
    await pilot.pause()
    dialog = app.screen
    assert isinstance(dialog, DownloadDialog)
    for key in keys:
        await pilot.press(key)
        await pilot.pause()
    path = Path(dialog.query_one("#path").value)
    await pilot.press("ctrl+s")
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(app.screen, PrintDialog), "the file dialog follows a finished export"
    return path


async def test_csv_of_the_current_filter_with_visible_columns(db, db_path: Path) -> None:
    customer(db, name="=1+1 Trading", email="a@example.com")
    customer(db, name="Smith [/] Ltd", email="b@example.com")
    app = XoroApp(db, db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        path = await _export(app, pilot, [])
        assert path.suffix == ".csv"
        assert path.stat().st_mode & 0o777 == 0o600
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
        assert rows[0][:2] == ["Account #", "Customer Name"]
        names = {r[1] for r in rows[1:]}
        assert names == {"'=1+1 Trading", "Smith [/] Ltd"}
        assert "scp " in str(app.screen.query_one("#scp").render())


async def test_csv_follows_the_sort_then_by_on_screen(db, db_path: Path) -> None:
    for name, city in [("Zeta", "Oslo"), ("Alpha", "Bergen"), ("Mira", "Oslo"),
                       ("Beta", "Oslo"), ("Kappa", None), ("Gamma", "Bergen")]:  # fmt: skip
        customer(db, name=name, bill_to_city=city)
    app = XoroApp(db, db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        screen.set_columns(["account_number", "name", "bill_to_city"])  # as the picker does
        await pilot.pause()
        await pilot.press("right", "right", "s")  # sort by Bill To City
        await app.workers.wait_for_complete()
        await pilot.press("left", "t")  # then by Customer Name
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.source.sort == ("bill_to_city", False)
        assert screen.source.then_by == ("name", False)
        path = await _export(app, pilot, [])
        rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
        assert rows[0][1:] == ["Customer Name", "Bill To City"]
        assert [r[1:] for r in rows[1:]] == [["Alpha", "Bergen"], ["Gamma", "Bergen"],
                                             ["Beta", "Oslo"], ["Mira", "Oslo"],
                                             ["Zeta", "Oslo"], ["Kappa", ""]]  # fmt: skip


async def test_only_the_checked_rows_to_xlsx(db, db_path: Path) -> None:
    for name in ("Alpha", "Beta", "Gamma"):
        customer(db, name=name)
    app = XoroApp(db, db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("space")
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, DownloadDialog)
        dialog.query_one("#format").value = "xlsx"
        dialog.query_one("#scope-checked").value = True
        await pilot.pause()
        path = Path(dialog.query_one("#path").value)
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        book = openpyxl.load_workbook(path, read_only=True)
        values = [row for row in book.active.iter_rows(values_only=True)]
        assert len(values) == 2
        assert values[1][1] == "Alpha"


async def test_overwrite_asks_first(db, db_path: Path) -> None:
    customer(db, name="Alpha")
    app = XoroApp(db, db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("d")
        await pilot.pause()
        dialog = app.screen
        path = Path(dialog.query_one("#path").value)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("keep me")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DownloadDialog)
        assert "exists" in str(app.screen.query_one("#error-path").render())
        assert path.read_text() == "keep me"
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert path.read_text(encoding="utf-8-sig").startswith("Account #")


async def test_pdf_with_characters_no_font_has_warns_and_names_them(
    db, db_path: Path, monkeypatch
) -> None:
    from xoro_tui.documents import fonts

    customer(db, name="東京 Trading")
    monkeypatch.setenv("XORO_TUI_CJK_FONT", str(db_path.parent / "no-such-font.ttf"))
    fonts.find_cjk_font.cache_clear()
    app = XoroApp(db, db_path)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("d")
            await pilot.pause()
            dialog = app.screen
            assert isinstance(dialog, DownloadDialog)
            dialog.query_one("#format").value = "pdf"
            await pilot.pause()
            await pilot.press("ctrl+s")

            def warned() -> bool:
                return any(
                    "東京" in n.message and "fonts-droid-fallback" in n.message
                    for n in app._notifications
                )

            await wait_until(pilot, warned)  # the export runs in a thread
    finally:
        fonts.find_cjk_font.cache_clear()
