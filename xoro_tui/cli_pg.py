"""The command line's PostgreSQL commands: ``init`` on a URL, and ``copy`` between engines.

Kept apart from cli.py so that opening the app on a SQLite file imports none of it.
"""

from __future__ import annotations

import argparse
import sys

from xoro_tui.data.store.pg_url import PgUrl
from xoro_tui.visible_text import plain


def init_postgres_command(args: argparse.Namespace, url: PgUrl) -> int:
    """``xoro-tui init --db URL --admin LOGIN [--app-role ROLE]``, run with the database
    owner's credentials: the schema, the first admin and (optionally) the app role's rights."""
    from xoro_tui.data.store.pg_schema import grant_app_role, init_postgres

    if args.group:
        print(
            "xoro-tui: --group does not apply to a PostgreSQL database (its access is its "
            "roles'); leave it out",
            file=sys.stderr,
        )
        return 2
    version = init_postgres(url, args.admin)
    print(f"database: {url} (schema {version}, made)")
    if args.app_role:
        grant_app_role(url, args.app_role)
        print(plain(f"app role: {args.app_role} (reads and writes; the audit log only read "
                    "and appended to)"))  # fmt: skip
    print(plain(f"admin:    {args.admin.strip()}"))
    print(f"set XORO_TUI_DB={url} for the app's users (the password in a PGPASSFILE)")
    return 0
