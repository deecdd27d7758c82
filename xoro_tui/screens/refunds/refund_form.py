"""Update Refund: the pop-up form of the Refund Centre.

Editable: what the refund policy (:mod:`xoro_tui.data.refunds.policy`) lets this login
change now — everything while Draft or Pending Approval; from Approved the amount, payment
method and refund account are locked (ctrl+b, Return to Pending Approval, unlocks them);
Issued, Cleared and Voided refunds change only their memo — and the status moves the
lifecycle and this user's roles allow. When Approved is not offered the form says why.
A save after someone else changed the refund is refused with what changed, and the form
offers to reload without throwing the input away unasked. The cheque number is never
typed: it comes from the account's cheque register when the cheque prints."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static

from xoro_tui.actions.registry import bindings
from xoro_tui.data.models import money
from xoro_tui.data.models.choices import PaymentMethod, RefundStatus
from xoro_tui.data.models.entities import Refund, errors_by_field
from xoro_tui.data.refunds import policy
from xoro_tui.data.refunds.lifecycle import moves_for_user
from xoro_tui.data.refunds.refund_repo import RefundRepository, RefundUpdate
from xoro_tui.data.store.drafts import DraftRepository
from xoro_tui.data.store.errors import DataError, Invalid, NotFound, Refused, StaleEdit
from xoro_tui.screens.app_access import xoro_app
from xoro_tui.screens.dialogs.dialog import Dialog
from xoro_tui.screens.dialogs.form_support import (
    clear_errors,
    field_row,
    recheck_field,
    show_errors,
    stale_lines,
    stop_blinking,
    values_of,
)
from xoro_tui.screens.dialogs.inline_confirm import InlineConfirm
from xoro_tui.screens.dialogs.unsaved import UnsavedGuard
from xoro_tui.widgets.key_bar import KeyBar
from xoro_tui.widgets.safe_text import plain, safe_text

FIELDS = (
    "refund_date",
    "status",
    "amount",
    "payment_method",
    "refund_account",
    "cheque_number",
    "reference",
    "memo",
    "void_reason",
)
DRAFT_FORM = "refund_form"
#: the fields' names as the form shows them, for the stale-edit refusal
TITLES = {
    "refund_date": "Refund date",
    "status": "Status",
    "amount": "Amount",
    "payment_method": "Payment method type",
    "refund_account": "Refund account",
    "cheque_number": "Cheque number",
    "reference": "Reference",
    "memo": "Memo",
    "void_reason": "Void reason",
}


class RefundForm(UnsavedGuard, Dialog[Refund | None]):
    DEFAULT_CSS = """
    RefundForm > Vertical { width: 90%; max-width: 100; height: 92%; }
    RefundForm #conflict { color: $warning; width: 1fr; height: auto; display: none; }
    RefundForm #policy-note { color: $text-muted; height: auto; }
    """
    BINDINGS = bindings("RefundForm")
    draft_form = DRAFT_FORM

    def __init__(self, refund_id: int, returned: Refund | None = None) -> None:
        super().__init__()
        self.refund_id = refund_id
        self.refund: Refund | None = None
        #: set once this form sent the refund back to Pending Approval: even a cancel
        #: then reports a change, so the Centre refreshes its row
        self.returned = returned

    @property
    def repo(self) -> RefundRepository:
        return RefundRepository(xoro_app(self).db)

    def compose(self) -> ComposeResult:
        self.refund = self.repo.get(self.refund_id)
        refund = self.refund
        accounts = [name for name, *_ in self.repo.refund_accounts()]
        user, users = self.repo.user, self.repo.users
        moves = moves_for_user(refund, user, users)
        statuses = [refund.status, *[m for m in moves if m != refund.status]]
        self.open_fields = policy.editable(refund, user, users)
        if RefundStatus.VOIDED in moves:
            self.open_fields |= {"void_reason"}
        editable_amount = "amount" in self.open_fields
        with Vertical():
            yield Static(
                safe_text(
                    f"Update Refund {refund.refund_number} — {refund.customer_name} "
                    f"({refund.customer_account_number})"
                ),
                markup=False,
            )
            yield Label("", id="conflict")
            yield Static(self.policy_note(moves), id="policy-note", markup=False)
            with VerticalScroll():
                yield from field_row("Refund date (YYYY-MM-DD)",
                                     Input(refund.refund_date.isoformat(), id="refund_date"),
                                     "refund_date")  # fmt: skip
                yield from field_row(
                    "Status (only the moves you may make)",
                    Select(
                        [(s.value, s.value) for s in statuses],
                        value=refund.status.value,
                        allow_blank=False,
                        id="status",
                    ),  # fmt: skip
                    "status",
                )
                yield from field_row(
                    f"Amount in {refund.currency}"
                    + ("" if editable_amount else " (fixed once approved)"),
                    Input(
                        money.plain(refund.amount, refund.currency),
                        id="amount",
                        disabled=not editable_amount,
                    ),  # fmt: skip
                    "amount",
                )
                yield from field_row(
                    "Payment method type",
                    Select(
                        [(m.value, m.value) for m in PaymentMethod],
                        value=refund.payment_method.value,
                        allow_blank=False,
                        id="payment_method",
                    ),  # fmt: skip
                    "payment_method",
                )
                yield from field_row(
                    "Refund account",
                    Select(
                        [(a, a) for a in accounts],
                        value=refund.refund_account
                        if refund.refund_account in accounts
                        else Select.NULL,
                        id="refund_account",
                    ),  # fmt: skip
                    "refund_account",
                )
                yield from field_row(
                    "Cheque number (never typed: printing takes the next one from the "
                    "account's cheque register)",
                    Input(
                        str(refund.cheque_number or ""),
                        id="cheque_number",
                        restrict=r"\d*",
                        disabled=True,
                    ),  # fmt: skip
                    "cheque_number",
                )
                yield from field_row("Reference", Input(plain(refund.reference or ""), id="reference"),
                                     "reference")  # fmt: skip
                yield from field_row("Memo", Input(plain(refund.memo or ""), id="memo"), "memo")
                yield from field_row("Void reason (when voiding)",
                                     Input(plain(refund.void_reason or ""), id="void_reason"),
                                     "void_reason")  # fmt: skip
            yield Label("", classes="error", id="error-form")
            yield InlineConfirm(id="confirm")
            with Horizontal(id="buttons"):
                yield Button("Save", variant="primary", id="save")
                yield Button("Cancel", id="cancel")
        yield KeyBar()

    def policy_note(self, moves: list[RefundStatus]) -> str:
        """Why some fields are locked and why Approved is not offered, in a line each."""
        assert self.refund is not None
        refund, repo = self.refund, self.repo
        lines: list[str] = []
        reason = policy.why_not_edit(refund, repo.user, repo.users)
        if reason:
            lines.append(f"Read-only for you: {reason}")
        elif refund.status in policy.READ_ONLY:
            lines.append(f"{refund.status.value}: only the memo changes")
        elif refund.status in (RefundStatus.APPROVED, RefundStatus.PRINTED):
            fixed = policy.locked(refund.status)
            words = ", ".join(policy.WORDS[f] for f in policy.FIELDS if f in fixed)
            lines.append(f"Locked once {refund.status.value.lower()}: {words}")
            if refund.status is RefundStatus.APPROVED:
                lines[-1] += " (ctrl+b Return to Pending Approval to change them)"
        if RefundStatus.APPROVED not in moves:
            why = policy.why_not_approve(refund, repo.user, repo.users)
            if why:
                lines.append(f"Approved is not offered: {why}")
        return "\n".join(lines)

    def on_mount(self) -> None:
        stop_blinking(self)
        note = self.query_one("#policy-note", Static)
        note.display = bool(str(note.render()).strip())
        for field in FIELDS:
            if field == "status":
                continue
            if field not in self.open_fields:
                self.query_one(f"#{field}").disabled = True
        drafts = DraftRepository(xoro_app(self).db)
        draft = drafts.get(DRAFT_FORM, str(self.refund_id))
        if draft:
            data, when = draft
            for field, value in data.items():
                found = self.query(f"#{field}")
                if found and isinstance(found.first(), Input) and value:
                    found.first(Input).value = str(value)
            drafts.discard(DRAFT_FORM, str(self.refund_id))
            self.notify(f"Restored the input you had on {when[:16]} when the link dropped",
                        timeout=6)  # fmt: skip
        first = next((w for w in self.query(".field Input, .field Select") if not w.disabled), None)
        if first is not None:
            first.focus()

    @staticmethod
    def shown_values(refund: Refund) -> dict[str, str]:
        """The refund's values as the form's fields show them."""
        return {
            "refund_date": refund.refund_date.isoformat(),
            "status": refund.status.value,
            "amount": money.plain(refund.amount, refund.currency),
            "payment_method": refund.payment_method.value,
            "refund_account": refund.refund_account or "",
            "cheque_number": str(refund.cheque_number or ""),
            "reference": plain(refund.reference or ""),
            "memo": plain(refund.memo or ""),
            "void_reason": plain(refund.void_reason or ""),
        }

    def changes(self) -> dict[str, Any]:
        """Only what the user changed goes to the repository."""
        assert self.refund is not None
        now = values_of(self, FIELDS)
        before = self.shown_values(self.refund)
        return {k: (v if v != "" else None) for k, v in now.items() if v != before.get(k)}

    def action_save(self) -> None:
        assert self.refund is not None
        clear_errors(self)
        changes = self.changes()
        if not changes:
            self.dismiss(self.returned)
            return
        try:
            update = RefundUpdate(**changes)
        except ValidationError as exc:
            show_errors(self, errors_by_field(exc))
            return
        try:
            # Voiding goes through update too, so the other fields changed with it are
            # saved rather than silently dropped (update checks the move and the reason).
            saved = self.repo.update(self.refund.id, self.refund.version, update)
        except Invalid as exc:
            show_errors(self, [(exc.field, exc.reason)])
            return
        except StaleEdit as exc:
            self._show_stale(exc)
            return
        except (Refused, NotFound, DataError) as exc:
            show_errors(self, [("form", str(exc))])
            return
        self.dismiss(saved)

    def _show_stale(self, exc: StaleEdit) -> None:
        """Not saved: each field the other user changed, theirs and yours, and ctrl+r."""
        assert self.refund is not None
        try:
            theirs = self.shown_values(self.repo.get(self.refund.id))
        except DataError:
            theirs = {}
        fields = stale_lines(TITLES, self.shown_values(self.refund), theirs,
                             values_of(self, FIELDS))  # fmt: skip
        who = sorted({line.split(": ", 1)[0].split(" ", 2)[-1] for line in exc.changes})
        heading = f"Not saved: {exc}"
        if who:
            heading += f" (changed by {', '.join(who)})"
        body = "\n".join(fields or exc.changes or ["(no details)"])
        conflict = self.query_one("#conflict", Label)
        conflict.update(safe_text(f"{heading}\n{body}\n"
                                  "ctrl+r reloads their version (your input here is then replaced)"))  # fmt: skip
        conflict.display = True

    def action_reload(self) -> None:
        """Re-read the refund; the user's input goes only because they asked for it.

        The new form inherits this one's result callback, so the Centre still hears
        about the save. It must be taken before ``pop_screen``, which drops it."""
        callback = self._result_callbacks[-1].callback if self._result_callbacks else None
        self.app.pop_screen()
        self.app.push_screen(RefundForm(self.refund_id, self.returned), callback)

    # -- closing: Escape asks before throwing changes away (UnsavedGuard)
    def draft_key(self) -> str:
        return str(self.refund_id)

    @property
    def has_unsaved_changes(self) -> bool:
        return self.refund is not None and bool(self.changes())

    def close_discarded(self) -> None:
        self.dismiss(self.returned)

    def action_cancel(self) -> None:
        self.ask_before_closing()

    @on(Input.Changed)
    @on(Select.Changed)
    def _recheck(self, event: Input.Changed | Select.Changed) -> None:
        """A shown error goes as soon as its field is valid (by the model a save uses)."""
        field = event.control.id or ""
        errors: dict[str, str] = {}
        try:
            RefundUpdate(**self.changes())
        except ValidationError as exc:
            for name, reason in errors_by_field(exc):
                errors.setdefault(name, reason)
        recheck_field(self, field, errors)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Return to Pending Approval is offered for an Approved refund (and a Printed one,
        whose refusal says to void the cheque first), not for one it cannot apply to."""
        if action == "return_to_pending":
            status = self.refund.status if self.refund is not None else None
            return True if status in (RefundStatus.APPROVED, RefundStatus.PRINTED) else None
        return True

    def action_return_to_pending(self) -> None:
        """Ask why, then send the Approved refund back to Pending Approval and reload."""
        from xoro_tui.screens.refunds.refund_dialogs import AskText

        assert self.refund is not None
        refund = self.refund
        try:
            policy.check_return_to_pending(refund, self.repo.user, self.repo.users)
        except Refused as exc:
            show_errors(self, [("form", str(exc))])
            return

        def done(reason: str | None) -> None:
            if reason is None:
                return
            try:
                self.returned = self.repo.return_to_pending(refund.id, refund.version, reason)
            except Invalid as exc:
                show_errors(self, [("form", f"{exc.field}: {exc.reason}")])
                return
            except DataError as exc:
                show_errors(self, [("form", str(exc))])
                return
            self.notify(
                f"{plain(refund.refund_number)} is Pending Approval again", markup=False, timeout=4
            )
            self.action_reload()

        self.app.push_screen(
            AskText(f"Why does {plain(refund.refund_number)} go back to Pending Approval?",
                    "reason"),
            done,
        )  # fmt: skip

    def keep_draft(self) -> None:
        """Called on a dropped link: keep what was typed, save nothing."""
        if self.changes():
            DraftRepository(xoro_app(self).db).save(
                DRAFT_FORM, str(self.refund_id), values_of(self, FIELDS)
            )

    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.action_cancel()
