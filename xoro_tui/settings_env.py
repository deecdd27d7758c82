"""Every ``XORO_TUI_*`` environment variable, read in one place.

A frozen dataclass over the environment: :func:`env_settings` reads ``os.environ`` afresh
on each call (tests and ``init`` change variables while the process runs), and no other
module reads an ``XORO_TUI_*`` variable itself. Standard library only, so the start-up
path imports no Pydantic. The settings users change inside the app live in the database
(``data/store/app_settings.py``, ``data/store/ui_settings.py``), not here.

=============================  ==========================================================
``XORO_TUI_DB``                the database file (``--db`` wins)
``XORO_TUI_EXPORTS``           the exports folder
``XORO_TUI_GROUP``             the shared group of a many-user deployment
``XORO_TUI_LOW_BANDWIDTH``     ``1``/``true``/``yes``: the slow-link mode
``XORO_TUI_BUSY_TIMEOUT_MS``   how long a writer waits for the lock (tests shorten it)
``XORO_TUI_RETENTION_DAYS``    lengthens the restore window of deleted customers
``XORO_TUI_PRINT_COMMAND``     print command template, e.g. ``lp -d {printer} {file}``
``XORO_TUI_CJK_FONT``          a font file for Chinese/Japanese/Korean text in PDFs
``XORO_TUI_COMPANY_NAME``      the company name on cheques and receipts
``XORO_TUI_COMPANY_ADDRESS``   its address, lines separated by ``|``
``XORO_TUI_SMTP_HOST``         the mail server (none: messages wait in the outbox)
``XORO_TUI_SMTP_PORT``         its port (default from the TLS mode)
``XORO_TUI_SMTP_TLS``          ``tls``, ``starttls`` or ``none``
``XORO_TUI_SMTP_USER``         login, when the server needs one
``XORO_TUI_SMTP_PASSWORD``     its password
``XORO_TUI_SMTP_FROM``         the sender address
=============================  ==========================================================
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

PREFIX = "XORO_TUI_"
DEFAULT_COMPANY_NAME = "XoroERP Customer Services"
TRUE_WORDS = frozenset({"1", "true", "yes"})


def _whole_number(raw: str) -> int | None:
    """A whole number written in digits, else None (the variable is then ignored)."""
    try:
        return int(raw) if raw.isdigit() else None
    except ValueError:  # digits int() does not read, such as "²"
        return None


def _path(raw: str) -> Path | None:
    return Path(raw).expanduser() if raw else None


@dataclass(frozen=True)
class EnvSettings:
    """What the ``XORO_TUI_*`` variables say; a field is None or empty where unset."""

    #: as written, stripped: :func:`xoro_tui.config.database_location` makes it a path
    #: (and refuses a URL, which a ``Path`` would quietly turn into a folder name)
    db: str = ""
    exports: Path | None = None
    #: the group's name or number, stripped; empty when no shared group is named
    group: str = ""
    low_bandwidth: bool = False
    busy_timeout_ms: int | None = None
    retention_days: int | None = None
    print_command: str = ""
    cjk_font: Path | None = None
    company_name: str = DEFAULT_COMPANY_NAME
    company_address: str = ""
    smtp_host: str = ""
    smtp_port: int | None = None
    #: as written, lower case; the mail module maps it to a TLS mode
    smtp_tls: str = "starttls"
    smtp_user: str | None = None
    smtp_password: str | None = field(default=None, repr=False)
    smtp_from: str | None = None

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> EnvSettings:
        env = os.environ if environ is None else environ

        def get(name: str, default: str = "") -> str:
            return env.get(PREFIX + name, default)

        return cls(
            db=get("DB").strip(),
            exports=_path(get("EXPORTS")),
            group=get("GROUP").strip(),
            low_bandwidth=get("LOW_BANDWIDTH").strip().lower() in TRUE_WORDS,
            busy_timeout_ms=_whole_number(get("BUSY_TIMEOUT_MS")),
            retention_days=_whole_number(get("RETENTION_DAYS").strip()),
            print_command=get("PRINT_COMMAND"),
            cjk_font=_path(get("CJK_FONT").strip()),
            company_name=get("COMPANY_NAME", DEFAULT_COMPANY_NAME),
            company_address=get("COMPANY_ADDRESS"),
            smtp_host=get("SMTP_HOST").strip(),
            smtp_port=_whole_number(get("SMTP_PORT").strip()),
            smtp_tls=get("SMTP_TLS", "starttls").strip().lower(),
            smtp_user=get("SMTP_USER") or None,
            smtp_password=get("SMTP_PASSWORD") or None,
            smtp_from=get("SMTP_FROM") or None,
        )


def env_settings() -> EnvSettings:
    """The variables as they are now."""
    return EnvSettings.from_environ()


def put(name: str, value: str) -> None:
    """Set ``XORO_TUI_<name>`` for this process and the ones it starts."""
    os.environ[PREFIX + name] = value


@contextmanager
def overriding(name: str, value: str) -> Iterator[None]:
    """Set ``XORO_TUI_<name>`` for the length of a block, then put back what was there."""
    key = PREFIX + name
    previous = os.environ.get(key)
    os.environ[key] = value
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = previous
