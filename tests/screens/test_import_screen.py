"""The Import screen: from a file with someone else's headers to a saved mapping to rows in
the database, all from the keyboard; errors per row before anything is written; a
cancelled run leaves the database as it was."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

from tests.conftest import settle, wait_until
from xoro_tui.app import XoroApp
from xoro_tui.data.transfer import importer, saved_mappings
from xoro_tui.screens.dialogs.import_pickers import FieldPicker, NameDialog
from xoro_tui.screens.dialogs.import_screen import ImportScreen

SIZE = (120, 40)


def status(screen: ImportScreen) -> str:
    return str(screen.query_one("#status").render())


def count(db, sql: str = "SELECT count(*) FROM customers") -> int:  # noqa: ANN001
    return db.conn.execute(sql).fetchone()[0]


async def open_from_actions_menu(app: XoroApp, pilot) -> ImportScreen:  # noqa: ANN001
    await settle(app, pilot)
    await pilot.press("a")
    await pilot.pause()
    await pilot.press("i")
    await wait_until(pilot, lambda: isinstance(app.screen, ImportScreen))
    return app.screen  # type: ignore[return-value]


async def type_text(pilot, text: str) -> None:  # noqa: ANN001
    for ch in text:
        await pilot.press(ch if ch != " " else "space")


async def pick(app: XoroApp, pilot, row: int, field: str) -> None:  # noqa: ANN001
    screen = app.screen
    table = screen.query_one("#mapping")
    table.focus()
    table.move_cursor(row=row)
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, FieldPicker))
    await type_text(pilot, field)
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, ImportScreen))
    await settle(app, pilot)


async def test_file_to_saved_mapping_to_rows(db, db_path: Path, tmp_path: Path) -> None:
    source = tmp_path / "legacy export.csv"
    source.write_text(
        "Cust Ref,Customer Name,Mail,Notes\r\n"
        "L-1,Alpha Trading,alpha@example.com,first\r\n"
        "L-2,Beta Ltd,beta@example,second\r\n"
        "L-3,Gamma Co,gamma@example.com,third\r\n",
        encoding="utf-8",
    )
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_from_actions_menu(app, pilot)
        # the path completes: Tab takes the one file in the folder that starts so
        await type_text(pilot, str(tmp_path / "leg"))
        await wait_until(pilot, lambda: screen.query_one("#path")._suggestion == str(source))
        await pilot.press("tab")
        assert screen.query_one("#path").value == str(source)
        await pilot.press("enter")
        await settle(app, pilot)
        # guessed: Customer Name is the name; Cust Ref and Mail match nothing
        assert screen.shown is not None, status(screen)
        assert screen.shown.targets == [None, "name", None, None]
        assert "no account_number column" in (screen.shown.refusal or "")
        assert "Fix the mapping" in status(screen)

        await pick(app, pilot, 0, "account_number")
        await pick(app, pilot, 2, "email")
        assert screen.shown.targets == ["account_number", "name", "email", None]
        assert screen.shown.refusal is None
        # the errors per row, before anything is written, in the import's words
        lines = str(screen.query_one("#problem-lines").render())
        assert "row 2, column Mail (email): " in lines
        assert "1 column matched no field and was ignored: 'Notes'" in lines
        assert "3 rows checked, 1 with errors" in status(screen)
        rows = screen.query_one("#rows")
        assert rows.row_count == 3
        assert [str(c) for c in rows.get_row_at(0)] == [
            "1",
            "L-1",
            "Alpha Trading",
            "alpha@example.com",
        ]
        assert count(db) == 0

        # saved under a name, in the database
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, NameDialog))
        await type_text(pilot, "Legacy CRM")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ImportScreen))
        assert "Saved the mapping Legacy CRM" in status(screen)
        saved = saved_mappings.load(db, "legacy crm", "customers")
        assert saved.column_map == "Cust Ref=account_number,Mail=email"
        assert count(db, "SELECT count(*) FROM audit_log WHERE table_name = 'import_mappings'") == 1

        # with an error the run writes nothing; skipping invalid rows imports the others
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        await wait_until(pilot, lambda: "Nothing imported" in status(screen))
        assert count(db) == 0
        screen.query_one("#skip_invalid").value = True
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        await wait_until(pilot, lambda: "Imported customers" in status(screen))
        assert "2 added" in status(screen) and "1 skipped" in status(screen)
        assert "skipped row 2, column Mail (email)" in str(
            screen.query_one("#problem-lines").render()
        )
        await pilot.press("escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, ImportScreen)
    names = [r[0] for r in db.conn.execute("SELECT name FROM customers ORDER BY account_number")]
    assert names == ["Alpha Trading", "Gamma Co"]
    # the command line uses the saved mapping by name
    other = tmp_path / "more.csv"
    other.write_text("Cust Ref,Customer Name,Mail\nL-9,Delta,delta@example.com\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "xoro_tui", "import", "customers", str(other), "--db", str(db_path),
         "--mapping", "Legacy CRM"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "1 added" in done.stdout
    assert db.conn.execute(
        "SELECT email FROM customers WHERE account_number = 'L-9'"
    ).fetchone() == ("delta@example.com",)


async def test_cancel_leaves_the_database_as_it_was(
    db, db_path: Path, tmp_path: Path, monkeypatch
) -> None:  # noqa: ANN001
    source = tmp_path / "many.csv"
    lines = ["account_number,name"] + [f"M-{i:05d},Customer {i}" for i in range(1, 1201)]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # hold the import after 500 rows have been written in its transaction, until cancelled
    reached = threading.Event()
    tick = importer.Watch.tick

    def holding_tick(self, stage: str, done: int, total: int | None) -> None:  # noqa: ANN001
        if stage == "writing" and done == 500:
            reached.set()
            for _ in range(400):
                if self.cancelled is not None and self.cancelled():
                    break
                threading.Event().wait(0.05)
        tick(self, stage, done, total)

    monkeypatch.setattr(importer.Watch, "tick", holding_tick)
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_from_actions_menu(app, pilot)
        screen.query_one("#path").value = str(source)
        await pilot.press("enter")
        await settle(app, pilot)
        assert "1,200 rows checked, no errors" in status(screen)
        await pilot.press("ctrl+r")
        await wait_until(pilot, reached.is_set)
        assert "Writing" in status(screen)
        await pilot.press("escape")
        await settle(app, pilot)
        await wait_until(pilot, lambda: "Cancelled" in status(screen))
        assert "nothing was imported" in status(screen)
        assert isinstance(app.screen, ImportScreen), "escape during a run cancels, not closes"
    assert count(db) == 0
    assert count(db, "SELECT count(*) FROM audit_log WHERE table_name = 'customers'") == 0


async def test_refund_centre_actions_menu_and_palette_open_it(db, db_path: Path) -> None:
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f3")
        await settle(app, pilot)
        screen = await open_from_actions_menu(app, pilot)
        assert screen.kind == "refunds"
        assert screen.query_one("#historical").display
        await pilot.press("escape")
        await settle(app, pilot)
        commands = [c.title for c in app.get_system_commands(app.screen)]
        assert "Import customers" in commands and "Import refunds" in commands


async def test_a_login_without_a_role_is_told_and_no_screen_opens(
    db, db_path: Path, monkeypatch
) -> None:  # noqa: ANN001
    from xoro_tui.data.store import permissions
    from xoro_tui.data.store.users import UserRepository

    UserRepository(db).add("boss", "admin")
    monkeypatch.setattr(permissions, "os_user", lambda: "stranger")
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        assert not isinstance(app.screen, ImportScreen)
        messages = [str(n.message) for n in app._notifications]
        assert any("import customers needs the clerk role" in m for m in messages), messages


async def test_a_workbook_sheet_and_a_windows_1252_csv(db, db_path: Path, tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["Report title"])
    other = book.create_sheet("Customers")
    other.append(["Account #", "Customer Name"])
    other.append(["X-1", "Xylo GmbH"])
    workbook = tmp_path / "book.xlsx"
    book.save(workbook)
    legacy = tmp_path / "excel.csv"
    legacy.write_bytes("account_number,name\r\nW-1,Malmö Café\r\n".encode("cp1252"))
    app = XoroApp(db, db_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_from_actions_menu(app, pilot)
        screen.query_one("#path").value = str(workbook)
        screen.query_one("#sheet").value = "customers"
        screen.action_reload()
        await settle(app, pilot)
        assert screen.shown is not None and screen.shown.file_kind == "Excel (.xlsx)"
        assert [str(c) for c in screen.query_one("#rows").get_row_at(0)] == [
            "1",
            "X-1",
            "Xylo GmbH",
        ]
        screen.query_one("#sheet").value = ""
        screen.query_one("#path").value = str(legacy)
        screen.action_reload()
        await settle(app, pilot)
        lines = str(screen.query_one("#problem-lines").render())
        assert "excel.csv is not UTF-8: it was read as Windows-1252" in lines
        assert [str(c) for c in screen.query_one("#rows").get_row_at(0)] == [
            "1",
            "W-1",
            "Malmö Café",
        ]
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        await wait_until(pilot, lambda: "Imported customers: 1 added" in status(screen))
    assert count(db) == 1
