"""The command line's PostgreSQL commands: ``init`` on a URL, and ``copy`` between engines.

Kept apart from cli.py so that opening the app on a SQLite file imports none of it.
"""

from __future__ import annotations

import argparse
import sys

from xoro_tui.data.postgres.pg_url import PgUrl
from xoro_tui.visible_text import plain


def init_postgres_command(args: argparse.Namespace, url: PgUrl) -> int:
    """``xoro-tui init --db URL --admin LOGIN [--app-role ROLE]``, run with the database
    owner's credentials: the schema, the first admin and (optionally) the app role's rights."""
    from xoro_tui.data.postgres.pg_schema import grant_app_role, init_postgres

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


def add_copy_parser(sub: argparse._SubParsersAction, location_type) -> None:  # noqa: ANN001
    copy = sub.add_parser(
        "copy", help="copy every table to a new database (SQLite file or PostgreSQL URL)"
    )
    copy.add_argument("--from", dest="source", type=location_type, required=True,
                      metavar="PATH_OR_URL", help="the database to copy")  # fmt: skip
    copy.add_argument("--to", dest="target", type=location_type, required=True,
                      metavar="PATH_OR_URL",
                      help="a new SQLite file, or a PostgreSQL database made by init")  # fmt: skip


def copy_command(args: argparse.Namespace) -> int:
    """``xoro-tui copy --from PATH_OR_URL --to PATH_OR_URL``: every table, with progress on
    stderr, then each table's row counts and checksums on both sides; exit 1 unless all
    agree. A target that holds data is refused and left as it was."""
    import time
    from pathlib import Path

    from xoro_tui.data.postgres.engine_copy import copy_database
    from xoro_tui.data.store.errors import Refused
    from xoro_tui.data.store.opening import open_database
    from xoro_tui.progress import StderrProgress

    source, target = args.source, args.target
    if str(source) == str(target) or (
        isinstance(source, Path) and isinstance(target, Path) and _same_file(source, target)
    ):
        raise Refused("--from and --to name the same database")
    started = time.monotonic()
    src = open_database(source, create=False)
    try:
        made = isinstance(target, Path) and not target.exists()
        dst = open_database(target, create=made)
        try:
            progress = StderrProgress()
            results = copy_database(src, dst, progress=progress)
            progress.done()
        finally:
            dst.conn.close()
    finally:
        src.conn.close()
    width = max(len(r.name) for r in results)
    total = 0
    for r in results:
        total += r.source_rows
        state = "ok" if r.agrees else "DIFFERS"
        print(f"{r.name:<{width}}  {r.source_rows:>10,} → {r.target_rows:>10,}  "
              f"{r.source_sum} {'=' if r.agrees else '≠'} {r.target_sum}  {state}")  # fmt: skip
    seconds = time.monotonic() - started
    bad = [r.name for r in results if not r.agrees]
    if bad:
        print(f"xoro-tui: the copy differs in {', '.join(bad)}", file=sys.stderr)
        return 1
    print(f"copied {total:,} rows in {len(results)} tables from {source} to {target} in "
          f"{seconds:.1f} s; every row count and checksum agrees")  # fmt: skip
    if not any(r.name == "users" and r.source_rows for r in results):
        print(f"note: {source} has no roles (single-user mode), nor has the copy now; give the "
              f"first admin with xoro-tui users add LOGIN --role admin --db {target}")  # fmt: skip
    return 0


def _same_file(a, b) -> bool:  # noqa: ANN001 - two paths
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def backup_postgres(url: PgUrl, out) -> int:  # noqa: ANN001 - a Path
    """``backup`` of a PostgreSQL database: ``pg_dump`` in its custom format (one consistent
    snapshot while others keep working), written beside ``out`` and renamed once whole."""
    import os
    import shutil
    import subprocess

    from xoro_tui.data.postgres.pg_url import hide_passwords
    from xoro_tui.data.store.errors import Refused, StorageError

    if out.exists() or out.is_symlink():
        raise Refused(f"{out} exists already; choose a new file name")
    if not out.parent.is_dir():
        raise Refused(f"no folder {out.parent} to write the backup in")
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise StorageError(
            "backup of a PostgreSQL database needs pg_dump (Debian: postgresql-client)"
        )
    partial = out.with_name(f".{out.name}.partial-{os.getpid()}")
    print(f"backing up {url} with pg_dump (custom format; restore with pg_restore)",
          file=sys.stderr)  # fmt: skip
    try:
        done = subprocess.run(
            [pg_dump, "--format=custom", f"--file={partial}", f"--dbname={url.conninfo}"],
            capture_output=True, text=True, timeout=24 * 3600,
        )  # fmt: skip
        if done.returncode != 0:
            why = (done.stderr.strip().splitlines() or ["failed"])[-1]
            raise StorageError(f"backup not written: pg_dump: {hide_passwords(url.conninfo, why)}")
        os.link(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    print(f"backed up to {out} (pg_dump custom format)")
    return 0
