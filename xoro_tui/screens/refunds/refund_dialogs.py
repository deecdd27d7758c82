"""Small modal dialogs: one line of text (a void reason) and the refund filters."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Select

from xoro_tui.actions.registry import bindings
from xoro_tui.data.models.choices import PaymentMethod
from xoro_tui.screens.dialogs.dialog import Dialog
from xoro_tui.screens.dialogs.form_support import (
    field_row,
    recheck_field,
    show_errors,
    stop_blinking,
)
from xoro_tui.screens.dialogs.inline_confirm import InlineConfirm
from xoro_tui.screens.dialogs.unsaved import UnsavedGuard


class AskText(UnsavedGuard, Dialog[str | None]):
    """One required line of text; Enter accepts, Escape or ctrl+g cancel."""

    DEFAULT_CSS = """
    AskText > Vertical { width: 70; }
    """
    BINDINGS = bindings("AskText")

    def __init__(self, question: str, field: str = "answer") -> None:
        super().__init__()
        self.question = question
        self.field = field

    def compose(self) -> ComposeResult:
        with Vertical():
            yield from field_row(self.question, Input(id=self.field), self.field)
            yield InlineConfirm(id="confirm")

    def on_mount(self) -> None:
        stop_blinking(self)
        self.query_one(Input).focus()
        self.mark_unchanged()

    @on(Input.Submitted)
    def _done(self, event: Input.Submitted) -> None:
        self.action_save()

    @on(Input.Changed)
    def _recheck(self, event: Input.Changed) -> None:
        recheck_field(self, self.field, {} if event.value.strip() else {self.field: "missing"})

    def action_save(self) -> None:
        value = self.query_one(f"#{self.field}", Input).value.strip()
        if not value:
            show_errors(self, [(self.field, "missing")])
            return
        self.dismiss(value)

    def action_cancel(self) -> None:
        self.ask_before_closing()


@dataclass(frozen=True)
class RefundFilters:
    date_from: str | None
    date_to: str | None
    payment_method: str | None


class RefundFilterDialog(UnsavedGuard, Dialog[RefundFilters | None]):
    """Date range and payment method; Enter in the last field applies."""

    DEFAULT_CSS = """
    RefundFilterDialog > Vertical { width: 70; }
    """
    BINDINGS = bindings("RefundFilterDialog")

    def __init__(self, current: RefundFilters) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Refund filters (empty = any)")
            yield from field_row("From date (YYYY-MM-DD)",
                                 Input(self.current.date_from or "", id="date_from"), "date_from")  # fmt: skip
            yield from field_row("To date (YYYY-MM-DD)",
                                 Input(self.current.date_to or "", id="date_to"), "date_to")  # fmt: skip
            yield from field_row(
                "Payment method",
                Select(
                    [(m.value, m.value) for m in PaymentMethod],
                    value=self.current.payment_method or Select.NULL,
                    prompt="Any",
                    id="payment_method",
                ),  # fmt: skip
                "payment_method",
            )
            yield InlineConfirm(id="confirm")

    def on_mount(self) -> None:
        stop_blinking(self)
        self.query_one("#date_from", Input).focus()
        self.mark_unchanged()

    def save_from_prompt(self) -> None:
        self.action_apply()

    @on(Input.Changed)
    def _recheck(self, event: Input.Changed) -> None:
        """A date's error goes as soon as the date is valid (or empty)."""
        text = event.value.strip()
        try:
            if text:
                dt.date.fromisoformat(text)
        except ValueError:
            return
        recheck_field(self, event.input.id or "", {})

    @on(Input.Submitted)
    def action_apply(self) -> None:
        values: dict[str, str | None] = {}
        for field in ("date_from", "date_to"):
            text = self.query_one(f"#{field}", Input).value.strip()
            if text:
                try:
                    dt.date.fromisoformat(text)
                except ValueError:
                    show_errors(
                        self, [(field, f"{text!r} is not a date: write a date like 2026-11-23")]
                    )
                    return
            values[field] = text or None
        method = self.query_one("#payment_method", Select).value
        self.dismiss(
            RefundFilters(
                values["date_from"],
                values["date_to"],
                None if method is Select.NULL else str(method),
            )
        )

    def action_cancel(self) -> None:
        self.ask_before_closing()
