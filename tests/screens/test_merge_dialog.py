"""The Merge dialog: choose the Primary, read the preview (cards removed!), confirm or cancel."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Label, OptionList, Static

from tests.factories import customer
from xoro_tui.app import XoroApp
from xoro_tui.data.customers.customer_repo import CustomerRepository
from xoro_tui.data.customers.merge import MergeResult
from xoro_tui.data.models.entities import CardIn
from xoro_tui.data.store.connection import write_tx
from xoro_tui.screens.customers.merge_dialog import MergeDialog

STAMP = "2024-01-01T00:00:00+00:00"


def add_doc(db, customer_id: int, doc_type: str = "invoice") -> int:
    with write_tx(db) as conn:
        n = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        return conn.execute(
            "INSERT INTO documents(doc_type, number, customer_id, doc_date, currency, total,"
            " balance, created_at) VALUES (?, ?, ?, '2024-01-01', 'USD', 100, 100, ?)",
            (doc_type, f"D-{n + 1}", customer_id, STAMP),
        ).lastrowid


def add_card(db, customer_id: int, last4: str, brand: str = "Visa") -> None:
    CustomerRepository(db).add_card(
        customer_id, CardIn(brand=brand, last4=last4, exp_month=1, exp_year=2030)
    )


def rendered(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def open_dialog(app: XoroApp, pilot, ids: list[int]) -> list[MergeResult | None]:
    results: list[MergeResult | None] = []
    await pilot.pause()
    app.push_screen(MergeDialog(ids), results.append)
    await pilot.pause()
    return results


async def test_merge_three_with_preview_then_confirm(db, db_path: Path) -> None:
    p = customer(db, name="Primary Co", phone="555 0100")
    a = customer(db, name="Alpha", email="alpha@example.com", sales_rep="Ann")
    b = customer(db, name="Beta")
    docs = [add_doc(db, a.id), add_doc(db, a.id, "sales_order"), add_doc(db, b.id)]
    add_card(db, p.id, "1111")
    add_card(db, a.id, "2222", "Mastercard")
    add_card(db, b.id, "3333")
    app = XoroApp(db, db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        results = await open_dialog(app, pilot, [a.id, p.id, b.id])
        dialog = app.screen
        assert isinstance(dialog, MergeDialog)
        options = dialog.query_one("#customers", OptionList)
        assert options.has_focus and options.option_count == 3
        await pilot.press("down", "enter")  # the second one listed is the primary
        await pilot.pause()
        assert dialog.primary_id == p.id
        text = rendered(dialog, "#preview-text")
        assert "Documents: 3 (2 invoice, 1 sales order)" in text
        assert "Refunds: 0" in text and "Communications: 0" in text
        assert "WILL BE REMOVED: Mastercard …2222" in text
        assert "WILL BE REMOVED: Visa …3333" in text
        assert "1111" not in text
        assert "Kept: the primary's 1 saved card(s)." in text
        assert "Only the primary customer's saved cards are kept" in text
        assert f"Email: alpha@example.com ← {a.account_number}" in text
        assert f"Phone: 555 0100 ← {p.account_number}" in text
        # nothing has changed yet
        assert db.conn.execute("SELECT count(*) FROM saved_cards").fetchone()[0] == 3

        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, MergeDialog)

    [result] = results
    assert isinstance(result, MergeResult)
    assert result.primary_id == p.id and sorted(result.secondary_ids) == sorted([a.id, b.id])
    states = dict(db.conn.execute("SELECT id, state FROM customers").fetchall())
    assert states[a.id] == states[b.id] == "merged" and states[p.id] == "active"
    owners = {
        d: db.conn.execute("SELECT customer_id FROM documents WHERE id = ?", (d,)).fetchone()[0]
        for d in docs
    }
    assert set(owners.values()) == {p.id}
    assert [c.last4 for c in CustomerRepository(db).cards(p.id)] == ["1111"]
    assert db.conn.execute("SELECT count(*) FROM saved_cards").fetchone()[0] == 1


async def test_back_then_cancel_changes_nothing(db, db_path: Path) -> None:
    p = customer(db, name="Primary Co")
    a = customer(db, name="Alpha")
    add_card(db, a.id, "2222")
    app = XoroApp(db, db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        results = await open_dialog(app, pilot, [p.id, a.id])
        dialog = app.screen
        await pilot.press("enter")
        await pilot.pause()
        assert "WILL BE REMOVED" in rendered(dialog, "#preview-text")
        await pilot.press("b")
        await pilot.pause()
        assert dialog.query_one("#customers", OptionList).has_focus
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, MergeDialog)
    assert results == [None]
    assert db.conn.execute("SELECT count(*) FROM merges").fetchone()[0] == 0
    states = {s for (s,) in db.conn.execute("SELECT state FROM customers")}
    assert states == {"active"}
    assert db.conn.execute("SELECT count(*) FROM saved_cards").fetchone()[0] == 1


async def test_ctrl_g_cancels_from_the_preview(db, db_path: Path) -> None:
    p, a = customer(db), customer(db)
    app = XoroApp(db, db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        results = await open_dialog(app, pilot, [p.id, a.id])
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+g")
        await pilot.pause()
    assert results == [None]
    assert db.conn.execute("SELECT count(*) FROM merges").fetchone()[0] == 0


async def test_hostile_names_are_shown_literally(db, db_path: Path) -> None:
    p = customer(db, name="Smith [/] Ltd")
    a = customer(db, name="[bold]ACME[/] [red]x")
    add_card(db, a.id, "2222", "[link=http://x]Visa[/link]")
    app = XoroApp(db, db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_dialog(app, pilot, [p.id, a.id])
        dialog = app.screen
        options = dialog.query_one("#customers", OptionList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(2)]
        assert "Smith [/] Ltd" in prompts[0]
        assert "[bold]ACME[/] [red]x" in prompts[1]
        await pilot.press("enter")
        await pilot.pause()
        text = rendered(dialog, "#preview-text")
        assert "Primary: " in text and "Smith [/] Ltd" in text
        assert "[bold]ACME[/] [red]x" in text
        assert "[link=http://x]Visa[/link] …2222" in text


async def test_a_refused_merge_shows_the_message(db, db_path: Path) -> None:
    p, a = customer(db), customer(db, name="Gone Ltd")
    CustomerRepository(db).delete(a.id, a.version)
    app = XoroApp(db, db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        results = await open_dialog(app, pilot, [p.id, a.id])
        dialog = app.screen
        await pilot.press("enter")
        await pilot.pause()
        error = str(dialog.query_one("#error", Label).render())
        assert "cannot be merged" in error
        assert isinstance(app.screen, MergeDialog) and results == []


async def test_picking_other_values_by_keyboard_and_undo_restores_every_field(
    db, db_path: Path
) -> None:
    from xoro_tui.data.customers.customer_writes import snapshot
    from xoro_tui.data.customers.merge_fields import MERGE_FIELDS
    from xoro_tui.screens.customers.customer_info import CustomerInfo
    from xoro_tui.screens.customers.merge_picker import FieldPicker
    from xoro_tui.screens.lists.results_screen import ResultsScreen

    p = customer(db, name="Primary Co", email="p@example.com", phone="555 0100")
    a = customer(db, name="Alpha Ltd", email="a@example.com", phone="555 0199", sales_rep="Ann")
    before = {c.id: snapshot(db.conn, c.id) for c in (p, a)}
    app = XoroApp(db, db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        results = await open_dialog(app, pilot, [p.id, a.id])
        dialog = app.screen
        await pilot.press("enter")  # the first listed is the primary
        await pilot.pause()
        picker = dialog.query_one("#choices", FieldPicker)
        assert picker.has_focus and [c.key for c in picker.choices] == ["name", "email", "phone"]
        row = str(picker.get_option_at_index(1).prompt)
        assert "● p@example.com" in row and "○ a@example.com" in row
        text = rendered(dialog, "#preview-text")
        assert f"Email: p@example.com ← {p.account_number}" in text
        # keep Primary Co's name, take Alpha's email (→) and phone (Enter)
        await pilot.press("down", "right", "down", "enter")
        await pilot.pause()
        assert "● a@example.com" in str(picker.get_option_at_index(1).prompt)
        text = rendered(dialog, "#preview-text")
        assert f"Email: a@example.com ← {a.account_number}" in text
        assert f"Phone: 555 0199 ← {a.account_number}" in text
        assert f"Name: Primary Co ← {p.account_number}" in text
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(results[0], MergeResult)
        merged = CustomerRepository(db).get(p.id)
        assert (merged.name, merged.email, merged.phone, merged.sales_rep) == (
            "Primary Co", "a@example.com", "555 0199", "Ann",
        )  # fmt: skip

        centre = app.screen
        centre.open_info(p.id)  # as the row menu's Customer Info does
        await pilot.pause()
        assert isinstance(app.screen, CustomerInfo)
        await pilot.press("U")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert str(app.screen.title).endswith("Primary Co")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is centre
        assert str(centre.query_one("#status", Static).render()).startswith("2 of 2 customers")
    for c in (p, a):
        after = snapshot(db.conn, c.id)
        assert {f: after[f] for f in MERGE_FIELDS} == {f: before[c.id][f] for f in MERGE_FIELDS}
        assert after["state"] == "active"


async def test_the_preview_names_the_renamed_sites(db, db_path: Path) -> None:
    p = customer(db, name="Primary Co", ship_to_line1="1 P St")
    a = customer(db, name="Alpha", ship_to_line1="2 A Rd")
    app = XoroApp(db, db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_dialog(app, pilot, [p.id, a.id])
        dialog = app.screen
        await pilot.press("enter")
        await pilot.pause()
        text = " ".join(rendered(dialog, "#preview-text").split())
        assert f"site Default of {a.account_number} is renamed Default ({a.account_number})" in text
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
    names = sorted(s.name for s in CustomerRepository(db).sites(p.id))
    assert names == ["Default", f"Default ({a.account_number})"]
