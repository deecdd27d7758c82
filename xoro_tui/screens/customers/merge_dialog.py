"""Customer Merge: choose the Primary, read what will happen, then confirm.

Step 1 lists the checked customers and asks for the Primary; step 2 shows the
:func:`~xoro_tui.data.customers.merge.merge_preview` (what moves, which fields come from where, and
which saved cards are removed) BEFORE anything is written, and for each field the customers
disagree on lets the user pick the value the merged customer keeps (the primary's by default). The merge itself runs in a
thread worker on its own connection, so a customer with a long history does not freeze
the screen."""

from __future__ import annotations

from typing import Any

import sqlite_utils
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, ContentSwitcher, Label, OptionList, Static
from textual.widgets.option_list import Option

from xoro_tui.actions.registry import bindings
from xoro_tui.data.customers.customer_repo import CustomerRepository
from xoro_tui.data.customers.merge import MergePreview, MergeResult, merge, merge_preview
from xoro_tui.data.store.errors import DataError
from xoro_tui.screens.app_access import xoro_app
from xoro_tui.screens.customers.merge_picker import FieldPicker, field_title, shown_value
from xoro_tui.screens.dialogs.dialog import Dialog
from xoro_tui.screens.write_worker import run_write
from xoro_tui.widgets.key_bar import KeyBar
from xoro_tui.widgets.safe_text import safe_text


def _customer_line(parts: list[Any]) -> Text:
    """account  name  email  phone, each cleaned, blanks left out."""
    line = Text()
    for index, part in enumerate(p for p in parts if p not in (None, "")):
        if index:
            line.append("  ")
        line.append(safe_text(part, "bold" if index == 0 else ""))
    return line


def preview_text(p: MergePreview, picks: dict[str, int] | None = None) -> Text:
    """The whole preview as one Text; user data only ever enters through safe_text.

    ``picks`` are the field picker's (group key → customer id)."""
    out = Text()

    def line(*parts: str | Text) -> None:
        for part in parts:
            out.append(part)
        out.append("\n")

    line(Text("Primary: ", "bold"), safe_text(p.primary[1]), "  ", safe_text(p.primary[2]))
    line(Text("Merged into it (they leave the Customer Centre):", "bold"))
    for _, account, name in p.secondaries:
        line("  ", safe_text(account), "  ", safe_text(name))
    line()
    line(Text("Moves to the primary", "bold"))
    total_docs = sum(p.documents.values())
    by_type = ", ".join(
        f"{n} {doc_type.replace('_', ' ')}" for doc_type, n in sorted(p.documents.items())
    )
    line(f"  Documents: {total_docs}" + (f" ({by_type})" if by_type else ""))
    line(f"  Refunds: {p.refunds}")
    line(f"  Deposits: {p.deposits}")
    line(f"  Communications: {p.communications}")
    line(f"  Sites: {p.sites}")
    for account, old, new in p.site_renames:
        line("    site ", safe_text(old), " of ", safe_text(account), " is renamed ",
             safe_text(new), " (the primary has a site of that name)")  # fmt: skip
    for title, values in (("References", p.references), ("Tags", p.tags), ("Brands", p.brands)):
        shown = safe_text(" | ".join(values)) if values else Text("none")
        line(f"  {title} (the primary will hold): ", shown)
    line()
    line(Text("The merged record takes", "bold"))
    fields = p.merged_fields(picks)
    if not fields:
        line("  (no field has a value)")
    for field, (value, account) in fields.items():
        line(f"  {field_title(field)}: ", safe_text(shown_value(field, value)), " ← ",
             safe_text(account))  # fmt: skip
    line()
    line(Text("Saved cards", "bold"))
    if p.cards_removed:
        for account, card in p.cards_removed:
            line(
                Text("  WILL BE REMOVED: ", "bold red"), safe_text(card), " of ", safe_text(account)
            )
    else:
        line("  The other customers have no saved cards: none will be removed.")
    kept = f"{p.cards_kept} saved card(s)" if p.cards_kept else "no saved cards"
    line(f"  Kept: the primary's {kept}.")
    out.append(
        "  Only the primary customer's saved cards are kept. Every saved card of the other "
        "customers is removed from the system and does not come back if the merge is undone."
    )
    return out


class MergeDialog(Dialog[MergeResult | None]):
    """Merge two or more customers into the chosen Primary.

    Dismisses with the :class:`MergeResult`, or ``None`` when cancelled."""

    DEFAULT_CSS = """
    MergeDialog > Vertical { width: 96%; max-width: 110; height: 92%; }
    MergeDialog .title { text-style: bold; height: 1; }
    MergeDialog ContentSwitcher { height: 1fr; }
    MergeDialog #step-primary, MergeDialog #step-preview { height: 1fr; }
    MergeDialog #customers { height: 1fr; }
    MergeDialog #preview { height: 1fr; min-height: 4; border: round $panel; }
    MergeDialog #choices { height: auto; max-height: 40%; }
    MergeDialog #choices-title { height: auto; }
    MergeDialog #error { color: $error; height: auto; }
    MergeDialog #status { height: auto; color: $text-muted; }
    """
    BINDINGS = bindings("MergeDialog")

    def __init__(self, customer_ids: list[int]) -> None:
        super().__init__()
        self.customer_ids = list(dict.fromkeys(int(i) for i in customer_ids))
        self.primary_id: int | None = None
        self.preview: MergePreview | None = None
        self.running = False

    @property
    def db(self) -> sqlite_utils.Database:
        return xoro_app(self).db

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Merge customers", classes="title")
            with ContentSwitcher(initial="step-primary"):
                with Vertical(id="step-primary"):
                    yield Label(
                        "Choose the Primary customer (Enter picks); the others merge into it."
                    )
                    yield OptionList(*self._options(), id="customers")
                with Vertical(id="step-preview"):
                    yield Label("Nothing has changed yet. Read this, then Merge (ctrl+s).")
                    yield Label(
                        "Where they differ, ← → picks the value kept (Tab moves on):",
                        id="choices-title",
                    )
                    yield FieldPicker(id="choices")
                    yield VerticalScroll(Static(id="preview-text"), id="preview", can_focus=True)
                    with Horizontal(id="buttons"):
                        yield Button("Merge", variant="error", id="confirm")
                        yield Button("Back (b)", id="back")
                        yield Button("Cancel", id="cancel")
            yield Label("", id="status")
            yield Label("", id="error")
        yield KeyBar()

    def _options(self) -> list[Option]:
        repo = CustomerRepository(self.db)
        options: list[Option] = []
        for cid in self.customer_ids:
            try:
                c = repo.get(cid)
            except DataError:
                options.append(Option(Text(f"customer {cid} (not found)"), id=str(cid)))
                continue
            parts = [c.account_number, c.name, c.email, c.phone]
            options.append(Option(_customer_line(parts), id=str(cid)))
        return options

    def on_mount(self) -> None:
        self.query_one("#customers", OptionList).focus()

    @property
    def step(self) -> str:
        switcher = self.query(ContentSwitcher)
        return (switcher.first().current if switcher else None) or "step-primary"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("confirm", "back"):
            return self.step == "step-preview" and not self.running
        return True

    def _error(self, message: str) -> None:
        self.query_one("#error", Label).update(safe_text(message))

    @on(OptionList.OptionSelected, "#customers")
    def _primary_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is None:
            return
        primary = int(event.option.id)
        others = [c for c in self.customer_ids if c != primary]
        try:
            preview = merge_preview(self.db, primary, others)
        except DataError as exc:
            self._error(str(exc))
            return
        self._error("")
        self.primary_id, self.preview = primary, preview
        picker = self.query_one("#choices", FieldPicker)
        picker.set_choices(preview.choices)
        picker.display = self.query_one("#choices-title").display = bool(preview.choices)
        self.query_one("#preview-text", Static).update(preview_text(preview))
        self.query_one(ContentSwitcher).current = "step-preview"
        self.refresh_bindings()
        (picker if preview.choices else self.query_one("#preview", VerticalScroll)).focus()

    @on(FieldPicker.Picked)
    def _picked(self, event: FieldPicker.Picked) -> None:
        event.stop()
        if self.preview is not None:
            picks = event.picker.picks()
            self.query_one("#preview-text", Static).update(preview_text(self.preview, picks))

    def action_back(self) -> None:
        if self.running:
            return
        self._error("")
        self.query_one(ContentSwitcher).current = "step-primary"
        self.refresh_bindings()
        self.query_one("#customers", OptionList).focus()

    def action_cancel(self) -> None:
        if self.running:
            self.query_one("#status", Label).update("The merge is running; it cannot be stopped.")
            return
        self.dismiss(None)

    def action_confirm(self) -> None:
        if self.running or self.primary_id is None or self.step != "step-preview":
            return
        self.running = True
        self.refresh_bindings()
        for button in self.query(Button):
            button.disabled = True
        self._error("")
        self.query_one("#status", Label).update("Merging…")
        secondaries = [c for c in self.customer_ids if c != self.primary_id]
        picks = self.query_one("#choices", FieldPicker).picks()
        primary_id = self.primary_id
        run_write(self, lambda db: merge(db, primary_id, secondaries, picks),
                  self._done, self._failed, group="merge", exclusive=True)  # fmt: skip

    def _failed(self, message: str) -> None:
        self.running = False
        for button in self.query(Button):
            button.disabled = False
        self.query_one("#status", Label).update("")
        self._error(f"Nothing was merged: {message}")
        self.refresh_bindings()

    def _done(self, result: MergeResult) -> None:
        self.running = False
        self.dismiss(result)

    @on(Button.Pressed)
    def _button(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "confirm":
            self.action_confirm()
        elif event.button.id == "back":
            self.action_back()
        else:
            self.action_cancel()
