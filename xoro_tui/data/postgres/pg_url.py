"""A PostgreSQL connection URI given as ``--db`` or ``$XORO_TUI_DB``, its password masked.

Any libpq URI is accepted (``postgresql://`` or ``postgres://``, several hosts, ``?sslmode=``,
``?host=/socket/dir``, ``?passfile=``): libpq itself parses it when connecting. The object's
text (``str()``, f-strings, ``repr()``) is always the masked form, so no message, log line or
traceback can show the password; only :attr:`PgUrl.conninfo` holds it, for ``connect``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

SCHEMES = ("postgresql", "postgres")
MASK = "***"

_SCHEME = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://", re.DOTALL)
#: the password in ``user:password@``: everything from the first colon up to the last ``@``
#: before the path (a password may hold ``@`` or ``:`` when percent-encoding was forgotten)
_USERINFO = re.compile(r"^(?P<user>[^/?#:@]*):(?P<password>[^/?#]*)@")
_PASSWORD_PARAM = re.compile(r"(?P<key>(?:^|[?&])password=)[^&#]*", re.IGNORECASE)


def url_scheme(text: str) -> str | None:
    """The scheme of a value shaped like a URL (``scheme://…``), lower case, else None."""
    match = _SCHEME.match(text.strip())
    return match["scheme"].lower() if match else None


def mask_password(text: str) -> str:
    """``text`` with the password of a URL (in its user part or a ``password=`` parameter)
    replaced by ``***``."""
    match = _SCHEME.match(text)
    if match is None:
        return text
    rest = text[match.end() :]
    head, sep, query = rest.partition("?")
    head = _USERINFO.sub(lambda m: f"{m['user']}:{MASK}@", head)
    if sep:
        query = _PASSWORD_PARAM.sub(lambda m: f"{m['key']}{MASK}", query)
    return f"{match['scheme']}://{head}{sep}{query}"


def passwords_in(text: str) -> list[str]:
    """The passwords a URL holds (to blank them out of a message that quotes the URL)."""
    match = _SCHEME.match(text)
    if match is None:
        return []
    head, _, query = text[match.end() :].partition("?")
    found = [m["password"] for m in _USERINFO.finditer(head)]
    found += [m.group(0).split("=", 1)[1] for m in _PASSWORD_PARAM.finditer(query)]
    return [p for p in found if p]


def hide_passwords(url: str, message: str) -> str:
    """``message`` (a driver's error text, say) with every password of ``url`` masked."""
    for password in sorted(passwords_in(url), key=len, reverse=True):
        message = message.replace(password, MASK)
    return mask_password(message) if url_scheme(message) else message


@dataclass(frozen=True)
class PgUrl:
    """A PostgreSQL database named by a libpq URI."""

    conninfo: str = field(repr=False)

    @classmethod
    def parse(cls, text: str) -> PgUrl:
        """Check ``text`` the way libpq will read it; ``ValueError`` (password masked) if not."""
        text = text.strip()
        if url_scheme(text) not in SCHEMES:
            raise ValueError(f"{mask_password(text)}: not a postgresql:// URL")
        from psycopg import conninfo

        try:
            conninfo.conninfo_to_dict(text)
        except Exception as exc:  # noqa: BLE001 - psycopg's ProgrammingError, libpq's words
            reason = hide_passwords(text, str(exc).strip().splitlines()[0] if str(exc) else "")
            raise ValueError(
                f"{mask_password(text)}: not a usable PostgreSQL URL ({reason or 'unreadable'})"
            ) from None
        return cls(text)

    @property
    def masked(self) -> str:
        return mask_password(self.conninfo)

    @property
    def dbname(self) -> str:
        from psycopg import conninfo

        return str(conninfo.conninfo_to_dict(self.conninfo).get("dbname") or "")

    def __str__(self) -> str:
        return self.masked

    def __repr__(self) -> str:
        return f"PgUrl({self.masked!r})"

    def expanduser(self) -> PgUrl:
        """Like ``Path.expanduser``: callers that treat a location as a path may call it."""
        return self
