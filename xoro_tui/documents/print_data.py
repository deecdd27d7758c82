"""Plain data a cheque or a refund receipt is printed from.

The screens (or the CLI) fill these from the database; the PDF writers never touch SQL,
so they can be tested with literals. Amounts are integers in the currency's minor unit.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path

from xoro_tui.config import exports_dir
from xoro_tui.data.store.connection import file_mode, secure_file


@dataclass(frozen=True)
class ChequeData:
    """One cheque: one page of the cheque PDF."""

    payee: str
    date: dt.date
    amount_minor: int
    currency: str
    payee_address_lines: Sequence[str] = ()
    memo: str | None = None
    cheque_number: int | str | None = None
    bank_name: str | None = None
    #: the full number may be given; only its last 4 digits are ever printed
    bank_account: str | None = None
    refund_number: str | None = None
    reprint: bool = False
    company_name: str = ""
    company_address_lines: Sequence[str] = ()
    #: the refund account, whose cheque layout it prints on
    account: str | None = None


@dataclass(frozen=True)
class ReceiptData:
    """A Refund Customer Deposit receipt (or the refund of a credit memo)."""

    refund_number: str
    refund_date: dt.date
    amount_minor: int
    currency: str
    customer_name: str
    payment_method: str
    customer_account_number: str | None = None
    bill_to_lines: Sequence[str] = ()
    ship_to_lines: Sequence[str] = ()
    #: the document refunded: "Customer Deposit" or "Credit Memo"
    source_title: str = "Customer Deposit"
    source_number: str | None = None
    source_date: dt.date | None = None
    source_total_minor: int | None = None
    #: what is left of the document after this and the other non-voided refunds
    source_remaining_minor: int | None = None
    #: (description, amount in minor units); empty means one line for the refund itself
    lines: Sequence[tuple[str, int]] = field(default_factory=tuple)
    refund_account: str | None = None
    cheque_number: int | str | None = None
    memo: str | None = None
    reference: str | None = None
    status: str | None = None
    reprint: bool = False
    company_name: str = ""
    company_address_lines: Sequence[str] = ()


def user_text(item: ChequeData | ReceiptData) -> str:
    """Every piece of text in ``item``, joined: what the fonts have to be able to draw."""
    parts: list[str] = []
    for f in fields(item):
        value = getattr(item, f.name)
        if isinstance(value, str):
            parts.append(value)
        elif isinstance(value, (list, tuple)):
            parts.extend(v if isinstance(v, str) else str(v[0]) for v in value)
    return "\n".join(parts)


def address_lines(
    line1: str | None = None,
    line2: str | None = None,
    city: str | None = None,
    state: str | None = None,
    postal_code: str | None = None,
    country: str | None = None,
) -> list[str]:
    """Address fields as printed lines, empty parts left out.

    ``address_lines(**{k[8:]: v for k, v in row.items() if k.startswith("bill_to_")})``
    turns a customer row's ``bill_to_*`` columns into lines; a site row works directly.
    """
    place = " ".join(p for p in (city and f"{city},", state, postal_code) if p)
    if place.endswith(","):
        place = place[:-1]
    return [p.strip() for p in (line1, line2, place, country) if p and p.strip()]


def mask_account(account: str | None) -> str:
    """Only the last 4 digits of a bank account number: ``"••••6789"``; ``""`` for none."""
    if not account:
        return ""
    digits = "".join(ch for ch in account if ch.isdigit())
    tail = digits[-4:] if digits else account.strip()[-4:]
    return f"\u2022\u2022\u2022\u2022{tail}"


def default_path(kind: str, number: object, directory: Path | None = None) -> Path:
    """``exports_dir()/cheque-1001.pdf`` (kind ``"cheque"``, number ``1001``) and the like.

    The directory is created owner-only (0o700) when missing; characters that do not
    belong in a file name are replaced by ``_``.
    """
    folder = Path(directory) if directory is not None else exports_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    safe = re.sub(r"[^\w.-]+", "_", f"{kind}-{number}").strip("._") or kind
    return folder / f"{safe}.pdf"


def write_private(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` readable by its owner only (0o600, 0o660 with a group).

    The bytes go to a new file created with that mode and then replace ``path``, so
    a reader never sees a half-written PDF and an old file's looser mode is not kept.
    """
    path = Path(path)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, file_mode())
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        secure_file(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path
