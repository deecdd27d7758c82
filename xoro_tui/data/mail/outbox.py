"""The outbox: messages are queued inside the action's transaction and delivered later.

:func:`deliver` never holds a write transaction while it talks to SMTP: it claims a batch
in one short transaction (a lease in ``next_attempt_at``, so two instances delivering at
once do not send a message twice), sends without a transaction, and writes each outcome
in its own short transaction. A failed message is retried with a growing backoff.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import smtplib
import sqlite3
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Literal

import sqlite_utils

from xoro_tui.data.store.clock import now_iso
from xoro_tui.data.store.connection import write_tx
from xoro_tui.data.store.rows import inserted_id
from xoro_tui.settings_env import EnvSettings

TlsMode = Literal["tls", "starttls", "none"]
#: after this many failed attempts a message stays failed until someone resends it
MAX_ATTEMPTS = 8
#: how long a claimed message is left alone by other deliverers
LEASE = dt.timedelta(minutes=10)
SMTP_TIMEOUT_S = 20


def queue(
    conn: sqlite3.Connection,
    to: str,
    subject: str,
    body: str,
    attachment_path: str | Path | None = None,
    kind: str | None = None,
) -> int:
    """Queue one message (inside the caller's transaction); returns the outbox id."""
    cursor = conn.execute(
        "INSERT INTO outbox(to_address, subject, body, attachment_path, kind, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (to, subject, body, str(attachment_path) if attachment_path else None, kind, now_iso()),
    )
    return inserted_id(cursor)


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    tls: TlsMode = "starttls"
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    from_address: str = "xoro-tui@localhost"

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> SmtpSettings | None:
        """``XORO_TUI_SMTP_HOST``, ``_PORT``, ``_TLS`` (true/false/starttls), ``_USER``,
        ``_PASSWORD``, ``_FROM``; None when no host is set."""
        settings = EnvSettings.from_environ(env)
        host = settings.smtp_host
        if not host:
            return None
        raw_tls = settings.smtp_tls
        tls: TlsMode = {"true": "tls", "1": "tls", "yes": "tls", "ssl": "tls", "tls": "tls",
                        "false": "none", "0": "none", "no": "none", "none": "none"
                        }.get(raw_tls, "starttls")  # type: ignore[assignment]  # fmt: skip
        default_port = {"tls": 465, "starttls": 587, "none": 25}[tls]
        user = settings.smtp_user
        return cls(
            host=host,
            port=default_port if settings.smtp_port is None else settings.smtp_port,
            tls=tls,
            user=user,
            password=settings.smtp_password,
            from_address=settings.smtp_from or user or "xoro-tui@localhost",
        )


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    waiting: int = 0  # still in the outbox after this run (queued, or failed and retried later)
    errors: list[str] = field(default_factory=list)
    message: str = ""


def backoff(attempts: int) -> dt.timedelta:
    """2, 4, 8 … minutes after each failure, at most a day."""
    return min(dt.timedelta(minutes=2**attempts), dt.timedelta(days=1))


def _due(now: str) -> tuple[str, tuple[str, str]]:
    return (
        "((status = 'queued' AND (next_attempt_at IS NULL OR next_attempt_at <= ?)) OR "
        "(status = 'failed' AND next_attempt_at IS NOT NULL AND next_attempt_at <= ?))",
        (now, now),
    )


def waiting(db: sqlite_utils.Database) -> int:
    """Messages not yet sent that will still be tried."""
    return int(db.conn.execute(
        "SELECT count(*) FROM outbox WHERE status = 'queued' OR "
        "(status = 'failed' AND next_attempt_at IS NOT NULL)"
    ).fetchone()[0])  # fmt: skip


def statuses(db: sqlite_utils.Database, ids: list[int]) -> dict[int, tuple[str, str | None]]:
    """outbox id → (status, last error) of these messages: "sent" only once really sent."""
    import json

    return {
        int(i): (str(status), error)
        for i, status, error in db.conn.execute(
            "SELECT id, status, last_error FROM outbox WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps([int(i) for i in ids]),),
        )
    }


def _claim(db: sqlite_utils.Database, limit: int) -> list[tuple]:
    now = dt.datetime.now(dt.UTC)
    where, args = _due(now.isoformat(timespec="seconds"))
    lease = (now + LEASE).isoformat(timespec="seconds")
    with write_tx(db) as conn:
        rows = conn.execute(
            f"SELECT id, to_address, subject, body, attachment_path, attempts FROM outbox "
            f"WHERE {where} ORDER BY id LIMIT ?",
            (*args, limit),
        ).fetchall()
        conn.executemany(
            "UPDATE outbox SET next_attempt_at = ? WHERE id = ?", [(lease, r[0]) for r in rows]
        )
    return rows


def _message(settings: SmtpSettings, to: str, subject: str, body: str, path: str | None):
    msg = EmailMessage()
    msg["From"] = settings.from_address
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(body)
    if path:
        data = Path(path).read_bytes()  # a missing file fails this message only
        mime = mimetypes.guess_type(path)[0] or "application/octet-stream"
        main, sub = mime.split("/", 1)
        msg.add_attachment(data, maintype=main, subtype=sub, filename=Path(path).name)
    return msg


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    if settings.tls == "tls":
        server: smtplib.SMTP = smtplib.SMTP_SSL(
            settings.host, settings.port, timeout=SMTP_TIMEOUT_S,
            context=ssl.create_default_context(),
        )  # fmt: skip
    else:
        server = smtplib.SMTP(settings.host, settings.port, timeout=SMTP_TIMEOUT_S)
        if settings.tls == "starttls":
            server.starttls(context=ssl.create_default_context())
    if settings.user:
        server.login(settings.user, settings.password or "")
    return server


def _outcome(db: sqlite_utils.Database, outbox_id: int, attempts: int, error: str | None) -> None:
    with write_tx(db) as conn:
        if error is None:
            conn.execute(
                "UPDATE outbox SET status = 'sent', sent_at = ?, attempts = ?, last_error = NULL,"
                " next_attempt_at = NULL WHERE id = ?",
                (now_iso(), attempts + 1, outbox_id),
            )
            return
        retry = None
        if attempts + 1 < MAX_ATTEMPTS:
            retry = (dt.datetime.now(dt.UTC) + backoff(attempts + 1)).isoformat(timespec="seconds")
        conn.execute(
            "UPDATE outbox SET status = 'failed', attempts = ?, last_error = ?, next_attempt_at = ?"
            " WHERE id = ?",
            (attempts + 1, error[:1000], retry, outbox_id),
        )


def deliver(
    db: sqlite_utils.Database, settings: SmtpSettings | None = None, *, limit: int = 100
) -> DeliveryReport:
    """Send what is due (queued, and failed whose retry time has come), at most ``limit``."""
    settings = settings or SmtpSettings.from_env()
    report = DeliveryReport()
    if settings is None:
        report.waiting = waiting(db)
        report.message = f"SMTP is not configured; {report.waiting} messages wait in the outbox"
        return report
    server: smtplib.SMTP | None = None
    unreachable: str | None = None  # the server could not be reached: fail the rest alike
    try:
        for outbox_id, to, subject, body, path, attempts in _claim(db, limit):
            error = unreachable
            try:
                msg = _message(settings, to, subject, body, path)
            except (OSError, ValueError) as exc:  # e.g. the attachment is gone: this one only
                error = error or f"cannot build the message: {exc}"
            if error is None and server is None:
                server, unreachable = _open(settings)
                error = unreachable
            if error is None and server is not None:
                try:
                    server.send_message(msg)
                except (OSError, smtplib.SMTPException) as exc:
                    error = f"{type(exc).__name__}: {exc}"
                    if not isinstance(exc, smtplib.SMTPRecipientsRefused | smtplib.SMTPDataError):
                        _close(server)  # reconnect for the next message
                        server = None
            _outcome(db, outbox_id, attempts, error)
            if error is None:
                report.sent += 1
            else:
                report.failed += 1
                report.errors.append(f"{to}: {error}")
    finally:
        _close(server)
    report.waiting = waiting(db)
    report.message = f"Sent {report.sent}, failed {report.failed}; {report.waiting} waiting"
    return report


def _open(settings: SmtpSettings) -> tuple[smtplib.SMTP | None, str | None]:
    """A connected server, or the reason it cannot be reached."""
    try:
        return _connect(settings), None
    except (OSError, smtplib.SMTPException) as exc:
        return None, f"cannot reach {settings.host}:{settings.port}: {exc}"


def _close(server: smtplib.SMTP | None) -> None:
    if server is not None:
        try:
            server.quit()
        except (OSError, smtplib.SMTPException):
            server.close()
