"""Generated refunds with their source deposits and credit memos, and other sales documents.

Refund and document numbers grow with their dates, as they would in a real ledger, so the
generator is sequential: it keeps the per-type document counters and one cheque counter per
refund account. Customers are picked through the pure per-customer facts of
:mod:`seed_customers` (country, deleted, creation date), never by reading them back.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from xoro_tui.data.models.choices import DOCUMENT_PREFIX, DocumentType, PaymentMethod, RefundStatus
from xoro_tui.data.seed import seed_names as N
from xoro_tui.data.seed.seed_customers import REFUND_YEARS, Plan, country_of, is_deleted, times

#: (name, bank, account, first cheque number)
REFUND_ACCOUNTS = (
    ("Operating Account", "First National Bank", "****4821", 1001),
    ("Refunds Clearing", "First National Bank", "****7730", 5001),
    ("EUR Account", "Banque Européenne", "FR76 **** **** 0192", 20001),
)
#: minor units of each currency per US cent
RATES = {"USD": 1.0, "EUR": 0.92, "GBP": 0.79, "CAD": 1.36, "SEK": 10.5, "JPY": 1.5}
DOCUMENT_COLUMNS = ("id", "doc_type", "number", "customer_id", "site_id", "doc_date", "due_date",
                    "currency", "terms", "memo", "reference", "method", "total", "balance",
                    "status", "created_by", "created_at")  # fmt: skip
LINE_COLUMNS = ("document_id", "line_no", "item", "description", "quantity", "rate", "amount")
REFUND_COLUMNS = ("id", "refund_number", "customer_id", "refund_date", "amount", "currency",
                  "status", "refund_account", "payment_method", "cheque_number",
                  "source_document_id", "memo", "reference", "void_reason", "created_by",
                  "approved_by", "print_count", "created_at", "updated_at")  # fmt: skip
REFUND_LINE_COLUMNS = ("refund_id", "line_no", "description", "amount")

T = TypeVar("T")
S = RefundStatus
_RECENT = ((S.DRAFT, 22), (S.PENDING_APPROVAL, 22), (S.APPROVED, 18), (S.PRINTED, 12),
           (S.ISSUED, 16), (S.CLEARED, 4), (S.VOIDED, 6))  # fmt: skip
_MONTHS = ((S.DRAFT, 4), (S.PENDING_APPROVAL, 6), (S.APPROVED, 8), (S.PRINTED, 8),
           (S.ISSUED, 46), (S.CLEARED, 22), (S.VOIDED, 6))  # fmt: skip
_OLD = ((S.DRAFT, 1), (S.PENDING_APPROVAL, 1), (S.APPROVED, 1), (S.PRINTED, 1), (S.ISSUED, 8),
        (S.CLEARED, 80), (S.VOIDED, 8))  # fmt: skip
P = PaymentMethod
_METHODS = ((P.CHEQUE, 35), (P.ACH, 20), (P.BANK_TRANSFER, 15), (P.CREDIT_CARD, 15),
            (P.CASH, 5), (P.STORE_CREDIT, 10))  # fmt: skip
_OTHER_TYPES = ((DocumentType.INVOICE, 40), (DocumentType.SALES_RECEIPT, 20),
                (DocumentType.ESTIMATE, 20), (DocumentType.SALES_ORDER, 20))  # fmt: skip


def _table(weights: tuple) -> tuple[str, ...]:
    """Each value (as plain text) repeated by its weight: one ``random()`` picks from it."""
    return tuple(str(value.value) for value, weight in weights for _ in range(weight))


_STATUS_RECENT, _STATUS_MONTHS, _STATUS_OLD = _table(_RECENT), _table(_MONTHS), _table(_OLD)
_METHOD = _table(_METHODS)
_OTHER = _table(_OTHER_TYPES)
_UNAPPROVED = frozenset({S.DRAFT.value, S.PENDING_APPROVAL.value})
_PRINTED = frozenset({S.PRINTED.value, S.ISSUED.value, S.CLEARED.value})
_BANK = frozenset({P.CHEQUE.value, P.ACH.value, P.BANK_TRANSFER.value})
_PREFIX = {t.value: p for t, p in DOCUMENT_PREFIX.items()}
_DEPOSIT_METHODS = ("Credit Card", "Cheque", "Bank Transfer", "ACH")
_RECEIPT_METHODS = ("Credit Card", "Cash", "Cheque", "Bank Transfer")


@dataclass
class DocumentRows:
    documents: list[tuple] = field(default_factory=list)
    lines: list[tuple] = field(default_factory=list)
    refunds: list[tuple] = field(default_factory=list)
    refund_lines: list[tuple] = field(default_factory=list)
    #: set on the last chunk: sequence name -> next value, and account -> next cheque number
    sequences: dict[str, int] | None = None
    cheques: dict[str, int] | None = None


class DocumentMaker:
    """Makes refunds (in date order) and then other documents; one instance, one pass."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.rng = random.Random(f"{plan.seed}:documents")
        self.rnd = self.rng.random
        self.days, self.clock = plan.days, times()
        self.doc_id = 0
        self.numbers = {t.value: 0 for t in DocumentType}
        self.cheques = {name: first - 1 for name, _, _, first in REFUND_ACCOUNTS}
        self.out = DocumentRows()

    def pick(self, seq: Sequence[T]) -> T:
        return seq[int(self.rnd() * len(seq))]

    def stamp(self, day: int, earliest: int = 28800, spread: int = 36000) -> str:
        """A timestamp on day offset ``day``, in office hours by default."""
        return self.days[day] + self.clock[earliest + int(self.rnd() * spread)]

    def customer_for(self, day: int) -> int:
        """A live customer already created on day offset ``day``."""
        newest, seed, rnd = self.plan.newest_customer_by(day), self.plan.seed, self.rnd
        i = 1
        for _ in range(20):
            i = 1 + int(rnd() * newest)
            if not is_deleted(seed, i):
                break
        return i

    def amount(self, currency: str) -> int:
        r, rnd = self.rnd(), self.rnd
        cents = (
            500 + rnd() * 19500
            if r < 0.5
            else (2e4 + rnd() * 18e4 if r < 0.87 else 2e5 + rnd() * 18e5)
        )
        if currency == "JPY":
            return max(10, round(cents * 1.5 / 10) * 10)
        minor = int(cents * RATES.get(currency, 1.0))
        return max(100, minor - minor % 100) if rnd() < 0.3 else max(1, minor)

    def document(self, doc_type: str, customer: int, day: int, currency: str, total: int,
                 balance: int, status: str, due: str | None = None, terms: str | None = None,
                 memo: str | None = None, reference: str | None = None,
                 method: str | None = None) -> tuple[int, str]:  # fmt: skip
        self.doc_id += 1
        self.numbers[doc_type] += 1
        number = f"{_PREFIX[doc_type]}-{self.numbers[doc_type]:06d}"
        self.out.documents.append((
            self.doc_id, doc_type, number, customer, customer, self.days[day], due, currency,
            terms, memo, reference, method, total, balance, status, self.pick(N.CREATED_BY),
            self.stamp(day),
        ))  # fmt: skip
        return self.doc_id, number

    def flush(self) -> DocumentRows:
        out, self.out = self.out, DocumentRows()
        return out

    def refunds(self, chunk: int) -> Iterator[DocumentRows]:
        """Every refund, about nine in ten with a source deposit or credit memo (some sources
        refunded twice), then the other documents; the last chunk carries the totals."""
        plan, rnd = self.plan, self.rnd
        count, span, offset = plan.refunds, 365 * REFUND_YEARS - 1, plan.refund_offset
        j = 1
        while j <= count:
            customer = self.customer_for(offset + (j - 1) * span // count)
            currency = country_of(plan.seed, customer).currency
            pair = j < count and rnd() < 0.1
            amounts = [self.amount(currency) for _ in range(2 if pair else 1)]
            total = None
            if pair or rnd() < 0.88:
                total = sum(amounts) + (0 if rnd() < 0.6 else int(sum(amounts) * rnd()))
            days = [offset + (j - 1) * span // count, offset + j * span // count]
            self.refund_group(j, customer, currency, days, amounts, total)
            j += len(amounts)
            if len(self.out.refunds) >= chunk:
                yield self.flush()
        if plan.other_documents:
            yield self.flush()
            yield from self.other_documents(chunk)
        last = self.flush()
        last.sequences = {name: n + 1 for name, n in self.numbers.items()}
        last.sequences["refund"] = count + 1
        last.sequences["account_number"] = plan.customers + 1
        last.cheques = {name: n + 1 for name, n in self.cheques.items()}
        yield last

    def refund_group(self, j: int, customer: int, currency: str, days: list[int],
                     amounts: list[int], total: int | None) -> None:  # fmt: skip
        """Refunds ``j``, ``j+1``… of one customer, all from one source document of ``total``
        (if any): the source's balance is its total less the refunds that are not voided."""
        rows = [
            self.refund(j + k, customer, currency, days[k], amount)
            for k, amount in enumerate(amounts)
        ]
        doc_id = number = None
        if total is not None:
            live = sum(r[4] for r in rows if r[6] != "Voided")
            doc_day = max(days[0] - int(self.rnd() * 90), self.plan.created_day(customer))
            if self.rnd() < 0.45:
                doc_type, memo, method = (
                    "customer_deposit",
                    "Deposit received",
                    self.pick(_DEPOSIT_METHODS),
                )
            else:
                doc_type, memo, method = "credit_memo", self.pick(N.REFUND_MEMOS), None
            balance = total - live
            doc_id, number = self.document(
                doc_type, customer, doc_day, currency, total, balance,
                "Open" if balance > 0 else "Closed", memo=memo, method=method,
            )  # fmt: skip
            if self.plan.lines:
                self.out.lines.append((doc_id, 1, None, memo, "1", total, total))
        refunds, lines = self.out.refunds.append, self.out.refund_lines.append
        for row in rows:
            refunds(row if doc_id is None else (*row[:10], doc_id, *row[11:]))
            if self.plan.lines:
                lines(
                    (row[0], 1, f"Refund of {number}" if number else "Overpayment refund", row[4])
                )

    def refund(self, j: int, customer: int, currency: str, day: int, amount: int) -> tuple:
        rnd, pick = self.rnd, self.pick
        age = len(self.days) - 1 - day
        status = pick(_STATUS_RECENT if age <= 21 else _STATUS_MONTHS if age <= 90 else _STATUS_OLD)
        method = pick(_METHOD)
        if method != "Cheque" and status == "Printed":
            status = "Issued"
        account: str | None = None
        if method != "Store Credit":
            if currency == "EUR" and method in _BANK:
                account = "EUR Account"
            elif method == "Credit Card" or (method == "Cheque" and rnd() < 0.25):
                account = "Refunds Clearing"
            else:
                account = "Operating Account"
        cheque = None
        if (
            method == "Cheque"
            and account is not None
            and (status in _PRINTED or (status == "Voided" and rnd() < 0.6))
        ):
            self.cheques[account] += 1
            cheque = self.cheques[account]
        approved = None
        if status not in _UNAPPROVED and (status != "Voided" or cheque or rnd() < 0.5):
            approved = pick(N.APPROVERS)
        created = self.stamp(day, 28800, 32400)
        updated = created
        if approved is not None:
            updated = max(created, self.stamp(min(len(self.days) - 1, day + int(rnd() * 20))))
        memo = pick(N.REFUND_MEMOS) if rnd() < 0.7 else None
        return (
            j, f"RF-{j:06d}", customer, self.days[day], amount, currency, status, account,
            method, cheque, None, memo, f"RMA-{int(rnd() * 10**6):06d}" if rnd() < 0.3 else None,
            pick(N.VOID_REASONS) if status == "Voided" else None, pick(N.CREATED_BY), approved,
            (2 if rnd() < 0.1 else 1) if cheque else 0, created, updated,
        )  # fmt: skip

    def other_documents(self, chunk: int) -> Iterator[DocumentRows]:
        """Invoices (some with open balances), sales receipts, estimates and sales orders."""
        plan, rnd, pick = self.plan, self.rnd, self.pick
        count, span, offset = plan.other_documents, 365 * REFUND_YEARS - 1, plan.refund_offset
        today = len(self.days) - 1
        for k in range(count):
            day = offset + k * span // count
            customer = self.customer_for(day)
            currency = country_of(plan.seed, customer).currency
            rate = RATES.get(currency, 1.0)
            doc_type = pick(_OTHER)
            lines = []
            for line_no in range(1, 2 + int(rnd() * 4)):
                item, description, price = pick(N.PRODUCTS)
                quantity = 1 + int(rnd() * 12)
                unit = max(1, round(price * rate / 100)) if currency == "JPY" else int(price * rate)
                lines.append((line_no, item, description, str(quantity), unit, unit * quantity))
            total = sum(line[-1] for line in lines)
            terms, age = pick(N.PAYMENT_TERMS), today - day
            due = method = None
            if doc_type == "invoice":
                due = (
                    plan.customer_start + dt.timedelta(days=day + N.TERM_DAYS[terms])
                ).isoformat()
                r = rnd()
                balance = (
                    total if (age < 75 and r < 0.7) or r < 0.04 else (total // 2 if r < 0.1 else 0)
                )
                status = "Open" if balance else "Paid"
            elif doc_type == "sales_receipt":
                balance, status, method = 0, "Paid", pick(_RECEIPT_METHODS)
            else:
                balance, status = 0, ("Open" if age < 45 else "Closed")
            reference = f"PO-{int(rnd() * 10**6):06d}" if rnd() < 0.4 else None
            doc_id, _ = self.document(doc_type, customer, day, currency, total, balance, status,
                                      due=due, terms=terms, reference=reference, method=method)  # fmt: skip
            self.out.lines.extend((doc_id, *line) for line in lines)
            if len(self.out.documents) >= chunk:
                yield self.flush()
