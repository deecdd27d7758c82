"""The Batch Update dialog: column, value, the count BEFORE applying, apply in a worker."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Checkbox, Input, Label, RadioSet, Select

from tests.conftest import settle as settle_app
from tests.conftest import wait_until
from tests.factories import customer
from xoro_tui.app import XoroApp
from xoro_tui.data.customers import batch
from xoro_tui.data.customers.batch import BATCH_COLUMNS, BatchResult
from xoro_tui.data.customers.customer_repo import CustomerRepository
from xoro_tui.screens.customers.batch_update_dialog import BatchUpdateDialog


def label(screen, selector: str) -> str:
    return str(screen.query_one(selector, Label).render())


async def settle(app: XoroApp, pilot) -> None:
    """The count waits for a pause in typing (a timer), then runs in a worker: wait until
    no preview says it is counting and the app is idle."""

    def counting() -> bool:
        return any("Counting" in str(p.render()) for p in app.screen.query("#preview"))

    await settle_app(app, pilot)
    await wait_until(pilot, lambda: not counting())
    await settle_app(app, pilot)


async def open_dialog(app: XoroApp, pilot, ids: list[int]) -> list[BatchResult | None]:
    results: list[BatchResult | None] = []
    await pilot.pause()
    app.push_screen(BatchUpdateDialog(lambda: iter([list(ids)]), len(ids)), results.append)
    await settle(app, pilot)
    return results


async def choose_column(app: XoroApp, pilot, title: str) -> BatchUpdateDialog:
    dialog = app.screen
    assert isinstance(dialog, BatchUpdateDialog)
    dialog.query_one("#column", Select).value = title
    await settle(app, pilot)
    return dialog


async def test_the_columns_in_the_seeds_order(db, db_path: Path) -> None:
    a = customer(db)
    app = XoroApp(db, db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_dialog(app, pilot, [a.id])
        column = app.screen.query_one("#column", Select)
        assert column.has_focus
        assert [value for _, value in column._options] == list(BATCH_COLUMNS)
        # no value chosen yet: it says so instead of a count
        assert "Choose a Sales Rep" in label(app.screen, "#preview")


async def test_sales_rep_to_a_new_value(db, db_path: Path) -> None:
    people = [customer(db, sales_rep="Ann"), customer(db, sales_rep="Bob"), customer(db)]
    ids = [c.id for c in people]
    app = XoroApp(db, db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        results = await open_dialog(app, pilot, ids)
        dialog = app.screen
        options = [str(prompt) for prompt, _ in dialog.query_one("#value-select", Select)._options]
        assert "Ann" in options and "Bob" in options
        dialog.query_one("#value-new", Input).focus()
        await pilot.press(*"Zoe [b]")
        await settle(app, pilot)
        assert label(dialog, "#preview") == "3 of 3 customer(s) will change."
        reps = {r for (r,) in db.conn.execute("SELECT sales_rep FROM customers")}
        assert reps == {"Ann", "Bob", None}  # nothing written before Apply
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, BatchUpdateDialog)
    [result] = results
    assert isinstance(result, BatchResult) and result.changed == 3
    reps = {r for (r,) in db.conn.execute("SELECT sales_rep FROM customers")}
    assert reps == {"Zoe [b]"}
    assert db.conn.execute("SELECT count(*) FROM sales_reps WHERE name = 'Zoe [b]'").fetchone()[0]


async def test_sales_rep_picked_from_the_list_counts_only_changes(db, db_path: Path) -> None:
    people = [customer(db, sales_rep="Ann"), customer(db, sales_rep="Bob"), customer(db)]
    app = XoroApp(db, db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_dialog(app, pilot, [c.id for c in people])
        dialog = app.screen
        dialog.query_one("#value-select", Select).value = "Ann"
        await settle(app, pilot)
        assert label(dialog, "#preview") == "2 of 3 customer(s) will change."


async def test_tags_add_mode_adds_without_removing(db, db_path: Path) -> None:
    a = customer(db, tags=["vip"])
    b = customer(db, tags=["retail", "new"])
    c = customer(db, tags=["new"])
    app = XoroApp(db, db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        results = await open_dialog(app, pilot, [a.id, b.id, c.id])
        dialog = await choose_column(app, pilot, "Tags")
        assert dialog.query_one("#value-mode", RadioSet).pressed_button.id == "mode-add"
        assert "Existing Tags: new | retail | vip" in label(dialog, "#hint")
        dialog.query_one("#value-multi", Input).focus()
        await pilot.press(*"new | wholesale")
        await settle(app, pilot)
        assert label(dialog, "#preview") == "3 of 3 customer(s) will change."
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    assert results[0] is not None and results[0].changed == 3
    repo = CustomerRepository(db)
    assert repo.get(a.id).tags == ["new", "vip", "wholesale"]
    assert repo.get(b.id).tags == ["new", "retail", "wholesale"]
    assert repo.get(c.id).tags == ["new", "wholesale"]


async def test_is_active_checkbox_sets_false(db, db_path: Path) -> None:
    people = [customer(db), customer(db), customer(db, is_active=False)]
    app = XoroApp(db, db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        results = await open_dialog(app, pilot, [c.id for c in people])
        dialog = await choose_column(app, pilot, "Is Active")
        box = dialog.query_one("#value-bool", Checkbox)
        assert box.value is False and str(box.label) == "No"
        assert label(dialog, "#preview") == "2 of 3 customer(s) will change."
        box.focus()
        await pilot.press("enter")  # Yes
        await settle(app, pilot)
        assert str(box.label) == "Yes"
        assert label(dialog, "#preview") == "1 of 3 customer(s) will change."
        await pilot.press("enter")  # back to No
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    assert results[0] is not None and results[0].changed == 2
    assert {v for (v,) in db.conn.execute("SELECT is_active FROM customers")} == {0}


async def test_a_selection_over_the_limit_is_refused(db, db_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(batch, "MAX_BATCH", 1)
    people = [customer(db), customer(db)]
    app = XoroApp(db, db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        results = await open_dialog(app, pilot, [c.id for c in people])
        dialog = app.screen
        dialog.query_one("#value-new", Input).value = "Zoe"
        await settle(app, pilot)
        refusal = "Batch Update handles at most 1 customers at once; narrow the filter"
        assert refusal in label(dialog, "#error")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, BatchUpdateDialog)
        assert refusal in label(dialog, "#error")
        # even without the preview's warning, the data layer refuses as a whole
        dialog.last_preview = None
        dialog.action_apply()
        await settle(app, pilot)
        assert isinstance(app.screen, BatchUpdateDialog) and results == []
        assert refusal in label(dialog, "#error")
        assert not dialog.running
        await pilot.press("escape")  # a value was typed: Discard it
        await pilot.pause()
        assert dialog.unsaved_prompt.asks_unsaved
        await pilot.press("d")
        await pilot.pause()
    assert results == [None]
    assert {r for (r,) in db.conn.execute("SELECT sales_rep FROM customers")} == {None}
    assert db.conn.execute("SELECT count(*) FROM batches").fetchone()[0] == 0


async def test_apply_runs_in_a_worker_with_progress(db, db_path: Path, monkeypatch) -> None:
    import threading

    from textual.widgets import ProgressBar

    from xoro_tui.screens.customers import batch_update_dialog as module

    release = threading.Event()
    real = module.batch_update

    def slow(db, field, value, ids, *, mode, progress):
        progress(1, 2)
        assert release.wait(10)
        return real(db, field, value, ids, mode=mode, progress=progress)

    monkeypatch.setattr(module, "batch_update", slow)
    people = [customer(db), customer(db)]
    app = XoroApp(db, db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        results = await open_dialog(app, pilot, [c.id for c in people])
        dialog = app.screen
        dialog.query_one("#value-new", Input).value = "Zoe"
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        bar = dialog.query_one("#progress", ProgressBar)
        await wait_until(pilot, lambda: bar.progress == 1)
        assert dialog.running and bar.display and bar.total == 2 and bar.progress == 1
        await pilot.press("escape")  # refused while running: the UI still answers
        await pilot.pause()
        assert app.screen is dialog and "running" in label(dialog, "#error")
        release.set()
        await settle(app, pilot)
        assert app.screen is not dialog
    assert results[0] is not None and results[0].changed == 2


async def test_a_500_character_sales_rep_is_refused_on_the_field(db, db_path: Path) -> None:
    a = customer(db, sales_rep="Ann")
    app = XoroApp(db, db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        results = await open_dialog(app, pilot, [a.id])
        dialog = app.screen
        box = dialog.query_one("#value-new", Input)
        box.focus()
        box.value = "R" * 500
        await settle(app, pilot)
        message = label(dialog, "#value-error")
        assert message == "Sales Rep: at most 255 characters (this has 500)"
        assert box.has_class("-invalid")
        assert dialog.query_one("#value-error", Label).region.height >= 1  # on screen
        assert label(dialog, "#preview") == ""  # said once, under the field
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is dialog and results == []
        assert "at most 255 characters" in label(dialog, "#error")
        assert box.has_focus
        # fixing the value clears the message
        box.value = "Rae"
        await settle(app, pilot)
        assert label(dialog, "#value-error") == "" and not box.has_class("-invalid")
    assert CustomerRepository(db).get(a.id).sales_rep == "Ann"
    assert (
        db.conn.execute("SELECT count(*) FROM sales_reps WHERE length(name) > 255").fetchone()[0]
        == 0
    )


async def test_undo_from_the_centre_removes_the_sales_rep_it_created(db, db_path: Path) -> None:
    from xoro_tui.screens.customers.customer_centre import CustomerCentre
    from xoro_tui.widgets.prompt import ConfirmPrompt

    a, b = customer(db, sales_rep="Ann"), customer(db)
    app = XoroApp(db, db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        centre = app.screen
        assert isinstance(centre, CustomerCentre)
        await pilot.press("asterisk", "a", "u")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, BatchUpdateDialog)
        dialog.query_one("#value-new", Input).focus()
        await pilot.press(*"Zed Newrep")
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is centre
        assert db.conn.execute("SELECT count(*) FROM sales_reps WHERE name = 'Zed Newrep'"
                               ).fetchone()[0] == 1  # fmt: skip
        await pilot.press("a", "z")
        await pilot.pause()
        assert centre.query_one(ConfirmPrompt).is_open
        await pilot.press("y")
        await settle(app, pilot)
        assert any("removed Zed Newrep" in str(n.message) for n in app._notifications)
    assert CustomerRepository(db).get(a.id).sales_rep == "Ann"
    assert CustomerRepository(db).get(b.id).sales_rep is None
    assert db.conn.execute("SELECT count(*) FROM sales_reps WHERE name = 'Zed Newrep'"
                           ).fetchone()[0] == 0  # fmt: skip
    assert db.conn.execute("SELECT count(*) FROM sales_reps WHERE name = 'Ann'").fetchone()[0]
