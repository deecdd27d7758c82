"""Print Cheque and Print Refund Customer Deposit for one or many refunds: take the numbers in
the data layer (one transaction per refund), then write one PDF off the UI thread."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from xoro_tui.data.customers.customer_repo import CustomerRepository
from xoro_tui.data.customers.sales_documents import DocumentRepository
from xoro_tui.data.models.choices import DOCUMENT_TITLE
from xoro_tui.data.models.entities import Refund
from xoro_tui.data.refunds.refund_repo import RefundRepository
from xoro_tui.data.store import clock
from xoro_tui.data.store.errors import DataError
from xoro_tui.settings_env import env_settings


def company() -> tuple[str, list[str]]:
    settings = env_settings()
    address = settings.company_address
    return settings.company_name, [line.strip() for line in address.split("|") if line.strip()]


@dataclass
class PrintJob:
    kind: str  # "cheque" | "deposit_receipt"
    items: list  # ChequeData | ReceiptData
    refused: list[str]
    path: Path | None = None
    #: (account, number) of each new cheque: reserved, awaiting confirmation
    reserved: list[tuple[str, int]] = field(default_factory=list)
    #: each refund account's cheque layout, by name
    layouts: dict = field(default_factory=dict)


def _addresses(db: sqlite_utils.Database, customer_id: int) -> tuple[list[str], list[str]]:
    from xoro_tui.documents.print_data import address_lines

    customer = CustomerRepository(db).get(customer_id)
    bill = address_lines(
        customer.bill_to_line1,
        customer.bill_to_line2,
        customer.bill_to_city,
        customer.bill_to_state,
        customer.bill_to_postal_code,
        customer.bill_to_country,
    )
    ship = address_lines(
        customer.ship_to_line1,
        customer.ship_to_line2,
        customer.ship_to_city,
        customer.ship_to_state,
        customer.ship_to_postal_code,
        customer.ship_to_country,
    )
    return bill, ship


def prepare_cheques(db: sqlite_utils.Database, refund_ids: Sequence[int]) -> PrintJob:
    """Reserve each refund's cheque number in the account's register (or find it again for
    a reprint), in the order given; the new ones await confirmation that they printed."""
    from xoro_tui.data.refunds.cheque_desk import ChequeDesk
    from xoro_tui.data.refunds.cheque_register import entry_row
    from xoro_tui.documents.print_data import ChequeData

    repo = RefundRepository(db)
    desk = ChequeDesk(db, repo.user)
    accounts = {name: (bank, number) for name, bank, number, _ in repo.refund_accounts()}
    name, address = company()
    items, refused, reserved = [], [], []
    for refund_id in refund_ids:
        try:
            refund = repo.get(refund_id)
            refund, cheque_number, reprint = desk.print_cheque(refund.id, refund.version)
        except DataError as exc:
            refused.append(f"{_number(repo, refund_id)}: {exc}")
            continue
        account = refund.refund_account or ""
        if not reprint:
            reserved.append((account, cheque_number))
        line = entry_row(db.conn, account, cheque_number)
        # the cheque's date is the day it first printed (a reprint keeps it)
        dated = line["cheque_date"] if line and line["cheque_date"] else None
        bank, bank_account = accounts.get(account, (None, None))
        bill, ship = _addresses(db, refund.customer_id)
        items.append(
            ChequeData(
                payee=refund.customer_name,
                date=dt.date.fromisoformat(dated) if dated else clock.today(),
                amount_minor=refund.amount,
                currency=refund.currency,
                payee_address_lines=bill or ship,
                memo=refund.memo,
                cheque_number=cheque_number,
                bank_name=bank,
                bank_account=bank_account,
                refund_number=refund.refund_number,
                reprint=reprint,
                company_name=name,
                company_address_lines=address,
                account=account,
            )
        )
    from xoro_tui.data.refunds.cheque_layouts import layouts

    found = layouts(db.conn, [item.account or "" for item in items])
    return PrintJob("cheque", items, refused, reserved=reserved, layouts=found)


def prepare_receipts(db: sqlite_utils.Database, refund_ids: Sequence[int]) -> PrintJob:
    from xoro_tui.documents.print_data import ReceiptData

    repo = RefundRepository(db)
    documents = DocumentRepository(db)
    name, address = company()
    items, refused = [], []
    for refund_id in refund_ids:
        try:
            refund: Refund = repo.get(refund_id)
            reprint = repo.log_deposit_receipt_print(refund.id)
        except DataError as exc:
            refused.append(f"{_number(repo, refund_id)}: {exc}")
            continue
        source = documents.get(refund.source_document_id) if refund.source_document_id else None
        bill, ship = _addresses(db, refund.customer_id)
        items.append(
            ReceiptData(
                refund_number=refund.refund_number,
                refund_date=refund.refund_date,
                amount_minor=refund.amount,
                currency=refund.currency,
                customer_name=refund.customer_name,
                payment_method=refund.payment_method.value,
                customer_account_number=refund.customer_account_number,
                bill_to_lines=bill,
                ship_to_lines=ship,
                source_title=DOCUMENT_TITLE[source.doc_type] if source else "Overpayment",
                source_number=source.number if source else None,
                source_date=source.doc_date if source else None,
                source_total_minor=source.total if source else None,
                source_remaining_minor=documents.remaining(source.id) if source else None,
                lines=[(line.description or "", line.amount) for line in repo.lines(refund.id)],
                refund_account=refund.refund_account,
                cheque_number=refund.cheque_number,
                memo=refund.memo,
                reference=refund.reference,
                status=refund.status.value,
                reprint=reprint,
                company_name=name,
                company_address_lines=address,
            )
        )
    return PrintJob("deposit_receipt", items, refused)


def _number(repo: RefundRepository, refund_id: int) -> str:
    try:
        return repo.get(refund_id).refund_number
    except DataError:
        return f"refund {refund_id}"


def write_job(job: PrintJob, page_size: str, warnings: list[str]) -> Path:
    """Write the PDF (slow: call it from a worker thread)."""
    from xoro_tui.documents.print_data import default_path

    if not job.items:
        raise DataError("nothing to print: " + "; ".join(job.refused))
    first = job.items[0]
    # a reprint gets its own file: it must not replace the PDF of the original print
    again = "-reprint" if all(item.reprint for item in job.items) else ""
    if job.kind == "cheque":
        from xoro_tui.documents.cheque import write_cheques

        tag = str(first.cheque_number) if len(job.items) == 1 else f"{len(job.items)}-cheques"
        path = _unused(default_path("cheque", f"{tag}-{dt.date.today().isoformat()}{again}"))
        return write_cheques(
            job.items, path, page_size, on_warning=warnings.append, layouts=job.layouts
        )
    from xoro_tui.documents.refund_receipt import write_receipts

    tag = first.refund_number if len(job.items) == 1 else f"{len(job.items)}-receipts"
    path = _unused(default_path("refund-receipt", f"{tag}-{dt.date.today().isoformat()}{again}"))
    return write_receipts(job.items, path, page_size, on_warning=warnings.append)


def _unused(path: Path) -> Path:
    """``path``, or ``name-2.pdf``, ``name-3.pdf``… when an earlier print has that name."""
    candidate, n = path, 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        n += 1
    return candidate
