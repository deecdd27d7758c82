"""The outbox delivered through a real SMTP server (aiosmtpd on 127.0.0.1)."""

from __future__ import annotations

import datetime as dt
import socket
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from xoro_tui.data.mail import outbox
from xoro_tui.data.mail.outbox import SmtpSettings, deliver, queue
from xoro_tui.data.store.connection import write_tx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Inbox:
    """An aiosmtpd handler that keeps what arrives; ``refuse`` rejects every recipient."""

    def __init__(self, refuse: bool = False) -> None:
        self.messages: list = []
        self.refuse = refuse

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.messages.append(
            (envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default))
        )
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp():
    def start(refuse: bool = False) -> tuple[Inbox, SmtpSettings, Controller]:
        inbox = Inbox(refuse)
        port = free_port()
        controller = Controller(inbox, hostname="127.0.0.1", port=port)
        controller.start()
        started.append(controller)
        return (
            inbox,
            SmtpSettings("127.0.0.1", port, tls="none", from_address="ar@example.com"),
            controller,
        )

    started: list[Controller] = []
    yield start
    for controller in started:
        controller.stop()


def status(db, outbox_id: int) -> tuple:
    return db.conn.execute(
        "SELECT status, attempts, last_error, next_attempt_at, sent_at FROM outbox WHERE id = ?",
        (outbox_id,),
    ).fetchone()


def test_a_message_with_an_attachment_arrives(db, smtp, tmp_path: Path) -> None:
    inbox, settings, _ = smtp()
    pdf = tmp_path / "statement.pdf"
    pdf.write_bytes(b"%PDF-1.4 statement")
    with write_tx(db) as conn:
        first = queue(conn, "ann@example.com", "Your statement", "Attached.", pdf, kind="statement")
        queue(conn, "bob@example.com", "Hello", "No attachment.")
    report = deliver(db, settings)
    assert (report.sent, report.failed, report.waiting) == (2, 0, 0)
    assert status(db, first)[:2] == ("sent", 1) and status(db, first)[4]
    (to, msg), (to2, msg2) = inbox.messages
    assert to == ["ann@example.com"] and msg["Subject"] == "Your statement"
    assert msg["From"] == "ar@example.com"
    [part] = list(msg.iter_attachments())
    assert part.get_filename() == "statement.pdf"
    assert part.get_content() == b"%PDF-1.4 statement"
    assert to2 == ["bob@example.com"] and msg2.get_content().strip() == "No attachment."
    assert deliver(db, settings).sent == 0  # sent once only


def test_a_refused_connection_leaves_it_failed_and_retried_later(db, smtp) -> None:
    with write_tx(db) as conn:
        msg_id = queue(conn, "ann@example.com", "Hi", "Body")
    down = SmtpSettings("127.0.0.1", free_port(), tls="none")
    report = deliver(db, down)
    assert (report.sent, report.failed) == (0, 1)
    state, attempts, error, retry_at, _ = status(db, msg_id)
    assert (state, attempts) == ("failed", 1)
    assert "cannot reach 127.0.0.1" in error
    assert retry_at > dt.datetime.now(dt.UTC).isoformat()
    inbox, settings, _ = smtp()
    assert deliver(db, settings).sent == 0  # not yet: its retry time has not come
    with write_tx(db) as conn:
        conn.execute("UPDATE outbox SET next_attempt_at = '2000-01-01T00:00:00+00:00'")
    assert deliver(db, settings).sent == 1
    assert status(db, msg_id)[:3] == ("sent", 2, None)
    assert len(inbox.messages) == 1


def test_a_server_that_refuses_the_recipient_fails_the_message(db, smtp) -> None:
    _, settings, _ = smtp(refuse=True)
    with write_tx(db) as conn:
        msg_id = queue(conn, "nobody@example.com", "Hi", "Body")
    report = deliver(db, settings)
    assert report.failed == 1
    state, attempts, error, retry_at, _ = status(db, msg_id)
    assert (state, attempts) == ("failed", 1) and "550" in error and retry_at


def test_gives_up_after_max_attempts(db, smtp) -> None:
    with write_tx(db) as conn:
        msg_id = queue(conn, "ann@example.com", "Hi", "Body")
        conn.execute(
            "UPDATE outbox SET attempts = ? WHERE id = ?", (outbox.MAX_ATTEMPTS - 1, msg_id)
        )
    deliver(db, SmtpSettings("127.0.0.1", free_port(), tls="none"))
    assert status(db, msg_id)[3] is None  # no further retry
    assert outbox.waiting(db) == 0


def test_not_configured_leaves_them_queued(db, monkeypatch) -> None:
    monkeypatch.delenv("XORO_TUI_SMTP_HOST", raising=False)
    with write_tx(db) as conn:
        for _ in range(3):
            queue(conn, "ann@example.com", "Hi", "Body")
    report = deliver(db)
    assert report.message == "SMTP is not configured; 3 messages wait in the outbox"
    assert db.conn.execute("SELECT DISTINCT status FROM outbox").fetchall() == [("queued",)]


def test_settings_from_the_environment() -> None:
    assert SmtpSettings.from_env({}) is None
    s = SmtpSettings.from_env({"XORO_TUI_SMTP_HOST": "mail.example.com", "XORO_TUI_SMTP_TLS": "true",
                               "XORO_TUI_SMTP_USER": "ar@example.com", "XORO_TUI_SMTP_PASSWORD": "pw"})  # fmt: skip
    assert s is not None
    assert (s.port, s.tls, s.from_address, s.password) == (465, "tls", "ar@example.com", "pw")
    assert "pw" not in repr(s)
    s = SmtpSettings.from_env({"XORO_TUI_SMTP_HOST": "h", "XORO_TUI_SMTP_TLS": "false",
                               "XORO_TUI_SMTP_PORT": "2525", "XORO_TUI_SMTP_FROM": "x@y.z"})  # fmt: skip
    assert s is not None and (s.port, s.tls, s.from_address) == (2525, "none", "x@y.z")
    s = SmtpSettings.from_env({"XORO_TUI_SMTP_HOST": "h", "XORO_TUI_SMTP_TLS": "starttls"})
    assert s is not None and (s.port, s.tls) == (587, "starttls")
