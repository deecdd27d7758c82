"""The Customer Centre's header actions on the checked customers: Merge, Batch Update,
Batch Delete, Validate Portal Emails, Credit Card Report, Portal Invitations, Direct Debit,
and the Deleted customers view. Each refuses clearly when nothing suitable is checked.

:data:`ACTIONS` names every action (declared in the action registry) and its handler; the
Centre opens them as a menu and
hands :class:`CustomerActions` the list screen and its ``after_write`` (re-read the list
after a change), so this module needs nothing of the Centre's own."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from xoro_tui.actions.registry import actions_of
from xoro_tui.data.store.errors import DataError
from xoro_tui.screens.app_access import xoro_app
from xoro_tui.widgets.safe_text import plain

if TYPE_CHECKING:
    from xoro_tui.screens.lists.list_screen import ListScreen

#: the actions menu in the action registry
MENU_SCOPE = "CustomerCentre.actions_menu"
#: more customers than this are refused up front by the per-customer actions
PER_CUSTOMER_LIMIT = 5_000


class CustomerActions:
    """Carries out one header action on the checked rows of ``screen`` (the Customer
    Centre's list, which owns the table and the prompt); ``after_write`` re-reads the list
    after a change, keeping the cursor on the given customer (None: where it is)."""

    def __init__(self, screen: ListScreen, after_write: Callable[[int | None], None]) -> None:
        self.screen = screen
        self.after_write = after_write

    @property
    def db(self):  # noqa: ANN201 - sqlite_utils.Database
        return xoro_app(self.screen).db

    def run(self, action: str) -> None:
        """Run the action of :data:`ACTIONS` with this id (an unknown id does nothing)."""
        entry = _BY_ID.get(action)
        if entry is None:
            return
        try:
            entry.handler(self)
        except DataError as exc:
            self.screen.notify(plain(str(exc)), severity="error", markup=False, timeout=8)

    def _checked(
        self, minimum: int = 1, limit: int | None = PER_CUSTOMER_LIMIT
    ) -> list[int] | None:
        count = self.screen.checked_count()
        if count < minimum:
            need = "at least two customers" if minimum == 2 else "one or more customers"
            self.screen.notify(f"Check {need} first (space checks a row, * checks all)",
                               severity="warning", timeout=5)  # fmt: skip
            return None
        if limit is not None and count > limit:
            self.screen.notify(f"This action handles at most {limit:,} customers at once; "
                               "narrow the filter", severity="error", timeout=8)  # fmt: skip
            return None
        return self.screen.checked_ids()

    def do_import(self) -> None:
        from xoro_tui.screens.dialogs.import_screen import open_import

        open_import(self.screen, "customers")

    def do_merge(self) -> None:
        from xoro_tui.screens.customers.merge_dialog import MergeDialog

        ids = self._checked(minimum=2, limit=50)
        if ids is None:
            return

        def done(result) -> None:  # noqa: ANN001 - MergeResult | None
            if result is not None:
                self.screen.table.selection.clear()
                self.after_write(result.primary_id)
                self.screen.notify(f"Merged {len(result.secondary_ids)} customer(s) into the "
                                   "primary; Customer Info can undo it", timeout=5)  # fmt: skip

        self.screen.app.push_screen(MergeDialog(ids), done)

    def do_batch_update(self) -> None:
        from xoro_tui.screens.customers.batch_update_dialog import BatchUpdateDialog

        count = self.screen.checked_count()
        if count == 0:
            self._checked()
            return

        def done(result) -> None:  # noqa: ANN001 - BatchResult | None
            if result is not None:
                self.after_write(None)
                self.screen.notify(f"{plain(result.description)}: {result.changed:,} changed "
                                   "(z in the actions menu undoes it)", markup=False, timeout=6)  # fmt: skip

        self.screen.app.push_screen(BatchUpdateDialog(self.screen.checked_id_batches, count), done)

    def do_batch_delete(self) -> None:
        from xoro_tui.data.customers.deletion import batch_delete, batch_delete_preview
        from xoro_tui.data.store.app_settings import retention_days

        count = self.screen.checked_count()
        if count == 0:
            self._checked()
            return
        sample = self.screen.checked_ids(limit=200_000)
        customers, related = batch_delete_preview(self.db, sample)
        going = ", ".join(f"{n:,} {k.replace('_', ' ')}" for k, n in related.items() if n)
        # the prompt wraps the question: every kind of record that goes is named
        question = (
            f"Delete {customers:,} customer(s)"
            + (f" with {going}" if going else "")
            + f"? Restorable for {retention_days(self.db.conn)} days."
        )

        def answer(yes: bool) -> None:
            if yes:
                self._delete(batch_delete)

        self.screen.prompt.ask(question, answer)

    def _delete(self, batch_delete) -> None:  # noqa: ANN001
        try:
            deleted = batch_delete(self.db, self.screen.checked_id_batches())
        except DataError as exc:
            self.screen.notify(plain(str(exc)), severity="error", markup=False, timeout=8)
            return
        self.screen.table.selection.clear()
        self.after_write(None)
        self.screen.notify(f"Deleted {deleted:,} customer(s), financial records kept; "
                           "x in the actions menu shows them", timeout=5)  # fmt: skip

    def do_validate_portal(self) -> None:
        ids = self._checked()
        if ids is not None:
            self.screen.notify(f"Checking {len(ids):,} portal email(s)…", timeout=3)
            self.screen.run_worker(
                lambda: self._validate(ids), thread=True, group="portal", exclusive=True
            )

    def _validate(self, ids: list[int]) -> None:
        """Runs in a worker thread on its own connection."""
        from xoro_tui.data.mail.portal import validate_portal_emails
        from xoro_tui.data.store.opening import open_database

        db = open_database(xoro_app(self.screen).db_path)
        try:
            results = validate_portal_emails(db, ids)
        finally:
            db.conn.close()
        lines = [
            f"{r.status:<10} {r.account_number:<12} {r.name[:30]:<30} "
            f"{r.portal_email or '—'}" + (f"  ({r.reason})" if r.reason else "")
            for r in sorted(results, key=lambda r: (r.status != "Invalid", r.status, r.name))
        ]
        counts: dict[str, int] = {}
        for r in results:
            counts[r.status] = counts.get(r.status, 0) + 1
        summary = ", ".join(f"{n:,} {s.lower()}" for s, n in sorted(counts.items()))
        self.screen.app.call_from_thread(self._show, "Portal email check", lines, summary)

    def _show(self, title: str, lines: list[str], summary: str = "") -> None:
        from xoro_tui.screens.lists.results_screen import ResultsScreen

        self.after_write(None)
        self.screen.app.push_screen(ResultsScreen(title, lines, summary))

    def do_card_report(self) -> None:
        from xoro_tui.screens.customers.card_report import CardReport

        ids = (
            self.screen.checked_ids(limit=PER_CUSTOMER_LIMIT) if self.screen.checked_count() else []
        )
        self.screen.app.push_screen(CardReport(ids or None))

    def do_portal_invitation(self) -> None:
        from xoro_tui.data.mail.portal import send_portal_invitations

        ids = self._checked()
        if ids is None:
            return
        result = send_portal_invitations(self.db, ids)
        skipped = [f"{s.account_number:<12} {s.name[:30]:<30} {s.reason}" for s in result.skipped]
        self._report_mail("Portal Invitations", result.sent, result.outbox_ids, skipped)

    def do_direct_debit(self) -> None:
        """Customers whose request is already waiting (Requested) are named and asked
        about before the request goes to them again; Active mandates are always skipped."""
        from xoro_tui.data.mail.portal import already_requested

        ids = self._checked()
        if ids is None:
            return
        already = already_requested(self.db, ids)
        requested = [c for c in already if c.mandate_status == "Requested"]
        if not requested:
            self._direct_debit(ids, resend=False)
            return
        named = ", ".join(c.account_number for c in requested[:8])
        more = f" and {len(requested) - 8:,} more" if len(requested) > 8 else ""
        active = len(already) - len(requested)
        question = (
            f"{len(requested):,} already have a Direct Debit request waiting ({named}{more})"
            + (f"; {active:,} with an Active mandate are skipped" if active else "")
            + ". Send those the request again?"
        )
        self.screen.prompt.ask(question, lambda yes: self._direct_debit(ids, resend=yes))

    def _direct_debit(self, ids: list[int], resend: bool) -> None:
        from xoro_tui.data.mail.portal import request_direct_debit

        try:
            result = request_direct_debit(self.db, ids, resend=resend)
        except DataError as exc:
            self.screen.notify(plain(str(exc)), severity="error", markup=False, timeout=8)
            return
        skipped = [f"{s.account_number:<12} {s.name[:30]:<30} {s.reason}" for s in result.skipped]
        self._report_mail("Direct Debit requests", result.requested, result.outbox_ids, skipped)

    def _report_mail(
        self,
        title: str,
        queued: list[tuple[int, str, str]],
        outbox_ids: dict[int, int],
        skipped: list[str],
    ) -> None:
        """The results list: "sent" only for messages the SMTP server took, "queued" for
        those waiting in the outbox. With SMTP set up, delivery runs first in a worker."""
        from xoro_tui.data.mail.outbox import SmtpSettings

        settings = SmtpSettings.from_env()
        if not queued or settings is None:
            lines = [f"queued   {account:<12} {to}" for _, account, to in queued]
            lines += [f"skipped  {line}" for line in skipped]
            text = f"{len(queued):,} queued, {len(skipped):,} skipped"
            if queued:
                text += "; SMTP is not configured, so the messages wait in the outbox"
            self._show(title, lines, text)
            return
        self.screen.notify(f"Sending {len(queued):,} message(s)…", timeout=3)
        self.screen.run_worker(
            lambda: self._deliver_and_report(title, queued, outbox_ids, skipped, settings),
            thread=True, group="outbox", exclusive=True,
        )  # fmt: skip

    def _deliver_and_report(self, title, queued, outbox_ids, skipped, settings) -> None:  # noqa: ANN001
        """Runs in a worker thread on its own connection."""
        from xoro_tui.data.mail.outbox import deliver, statuses
        from xoro_tui.data.store.opening import open_database

        try:
            db = open_database(xoro_app(self.screen).db_path)
            try:
                deliver(db, settings)
                found = statuses(db, list(outbox_ids.values()))
            finally:
                db.conn.close()
        except (DataError, sqlite3.Error) as exc:  # the messages stay queued: say so
            found, trouble = {}, f"; delivery could not run ({exc})"
        else:
            trouble = ""
        lines, sent = [], 0
        for cid, account, to in queued:
            status, error = found.get(outbox_ids.get(cid, -1), ("queued", None))
            if status == "sent":
                sent += 1
                lines.append(f"sent     {account:<12} {to}")
            else:
                lines.append(f"queued   {account:<12} {to}" + (f"  ({error})" if error else ""))
        lines += [f"skipped  {line}" for line in skipped]
        waiting = len(queued) - sent
        text = f"{sent:,} sent, {waiting:,} queued, {len(skipped):,} skipped"
        if waiting:
            text += f"{trouble}; the queued ones wait in the outbox and are tried again later"
        self.screen.app.call_from_thread(self._show, title, lines, text)

    def do_deliver(self) -> None:
        self.deliver(report=True)

    def deliver(self, report: bool = False) -> None:
        """Send the outbox in a worker thread; retries of failed messages happen here too."""
        self.screen.run_worker(
            lambda: self._deliver(report), thread=True, group="outbox", exclusive=True
        )

    def _deliver(self, report: bool) -> None:
        from xoro_tui.data.mail.outbox import SmtpSettings, deliver
        from xoro_tui.data.store.opening import open_database

        db = open_database(xoro_app(self.screen).db_path)
        try:
            result = deliver(db, SmtpSettings.from_env())
        finally:
            db.conn.close()
        if report or result.sent or result.failed:
            message = result.message or f"{result.sent} sent, {result.failed} failed"
            self.screen.app.call_from_thread(self.screen.notify, message, timeout=6)

    def do_deleted(self) -> None:
        from xoro_tui.screens.customers.deleted_customers import DeletedCustomers

        self.screen.app.push_screen(DeletedCustomers(), lambda _: self.after_write(None))

    def do_undo_batch(self) -> None:
        from xoro_tui.data.customers.batch import last_batches, undo_batch

        batches = [b for b in last_batches(self.db, 5) if not b.undone_at]
        if not batches:
            self.screen.notify("No Batch Update to undo", timeout=4)
            return
        batch = batches[0]

        def answer(yes: bool) -> None:
            if not yes:
                return
            try:
                result = undo_batch(self.db, batch.batch_id)
            except DataError as exc:
                self.screen.notify(plain(str(exc)), severity="error", markup=False)
                return
            self.after_write(None)
            removed = "".join(
                f"; removed {plain(v)}, which it had added" for v in result.removed_lookups
            )
            self.screen.notify(f"Undone: {result.changed:,} customer(s) restored{removed}",
                               markup=False, timeout=5)  # fmt: skip

        self.screen.prompt.ask(f"Undo '{plain(batch.description)}' of {batch.at[:16]}?", answer)


@dataclass(frozen=True)
class HeaderAction:
    """One entry of the actions menu: ``id`` comes back from the menu, ``key`` picks it
    (the default; the user's own key is applied when the menu opens)."""

    id: str
    label: str
    key: str
    handler: Callable[[CustomerActions], None]


#: the menu entry id (the registry's ``customers.menu.<id>``) -> what it does
_HANDLERS: dict[str, Callable[[CustomerActions], None]] = {
    "merge": CustomerActions.do_merge,
    "batch_update": CustomerActions.do_batch_update,
    "batch_delete": CustomerActions.do_batch_delete,
    "validate_portal": CustomerActions.do_validate_portal,
    "card_report": CustomerActions.do_card_report,
    "portal_invitation": CustomerActions.do_portal_invitation,
    "direct_debit": CustomerActions.do_direct_debit,
    "deleted": CustomerActions.do_deleted,
    "undo_batch": CustomerActions.do_undo_batch,
    "deliver": CustomerActions.do_deliver,
    "import": CustomerActions.do_import,
}
#: every header action, in menu order, as the action registry declares them
ACTIONS = tuple(
    HeaderAction(a.handler, a.label, a.key, _HANDLERS[a.handler]) for a in actions_of(MENU_SCOPE)
)
_BY_ID = {a.id: a for a in ACTIONS}
