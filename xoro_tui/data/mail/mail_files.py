"""Email a file that was written on the server (an export, a cheque) through the outbox."""

from __future__ import annotations

from pathlib import Path

import sqlite_utils
from email_validator import EmailNotValidError, validate_email

from xoro_tui.data.store import audit
from xoro_tui.data.store.connection import write_tx
from xoro_tui.data.store.errors import Invalid, NotFound


def email_file(db: sqlite_utils.Database, address: str, path: Path, subject: str) -> str:
    """Queue the file as an attachment and try to deliver at once; say what happened."""
    from xoro_tui.data.mail.outbox import SmtpSettings, deliver, queue, statuses

    try:
        to = validate_email(address.strip(), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise Invalid("email", str(exc)) from None
    path = Path(path)
    if not path.is_file():
        raise NotFound(f"{path} is gone; write it again")
    with write_tx(db) as conn:
        message_id = queue(
            conn,
            to,
            subject,
            f"{subject}\n\nThe file {path.name} is attached.\n",
            attachment_path=str(path),
            kind="file",
        )
        audit.record(conn, "outbox", str(message_id), "insert", {"to": (None, to),
                     "attachment": (None, path.name)})  # fmt: skip
    settings = SmtpSettings.from_env()
    if settings is None:
        return f"queued for {to}; SMTP is not configured, so it waits in the outbox"
    report = deliver(db, settings, limit=10)
    status, error = statuses(db, [message_id]).get(message_id, ("queued", None))
    if status == "sent":
        return f"sent to {to}"
    return f"queued for {to}: {error or report.message}; it is tried again later"
