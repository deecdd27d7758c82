"""Emailing a written file says "sent" only when the SMTP server took that message."""

from __future__ import annotations

from pathlib import Path

from tests.data.test_outbox_smtp import smtp  # noqa: F401 - the fixture
from xoro_tui.data.mail.mail_files import email_file
from xoro_tui.data.mail.outbox import SmtpSettings


def test_sent_with_a_server_queued_without_one(db, smtp, tmp_path: Path, monkeypatch) -> None:  # noqa: F811
    path = tmp_path / "export.csv"
    path.write_text("a,b\n", encoding="utf-8")
    for name in ("HOST", "PORT", "TLS"):
        monkeypatch.delenv(f"XORO_TUI_SMTP_{name}", raising=False)
    assert email_file(db, "ann@example.com", path, "Export").startswith(
        "queued for ann@example.com; SMTP is not configured"
    )
    inbox, settings, _ = smtp()
    monkeypatch.setattr(SmtpSettings, "from_env", classmethod(lambda cls, env=None: settings))
    assert email_file(db, "bob@example.com", path, "Export") == "sent to bob@example.com"
    unreachable = SmtpSettings("127.0.0.1", 1, tls="none")
    monkeypatch.setattr(SmtpSettings, "from_env", classmethod(lambda cls, env=None: unreachable))
    message = email_file(db, "cy@example.com", path, "Export")
    assert message.startswith("queued for cy@example.com: ") and "tried again later" in message
    assert sorted(to for tos, _ in inbox.messages for to in tos) == [
        "ann@example.com",
        "bob@example.com",
    ]
