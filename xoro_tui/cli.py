"""The command line: open the app, or seed, import, export, audit, back up, check, manage users.

Every failure prints one clear line on stderr and exits non-zero; never a traceback.
Textual is imported only when the app opens, after the terminal mode is settled
(Textual reads ``ESCDELAY`` once, when it is first imported).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from xoro_tui import __version__, cli_cheques
from xoro_tui.cli_types import database_file, db_path, existing_db
from xoro_tui.data.postgres.pg_url import PgUrl
from xoro_tui.visible_text import plain  # no dependency: imported before anything can fail

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="xoro-tui", description="XoroERP's Customer and Refund Centres.")
    parser.add_argument("--version", action="version", version=f"xoro-tui {__version__}")
    parser.add_argument("--db", type=database_file, help="database file (default: $XORO_TUI_DB)")
    parser.add_argument("--demo", action="store_true", help="open (or create) a demo database")
    parser.add_argument(
        "--low-bandwidth", action="store_true", help="fewer colours and bytes, for slow links"
    )
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    seed = sub.add_parser("seed", help="generate data into a new database")
    seed.add_argument("--db", type=database_file, required=True, dest="cmd_db")
    seed.add_argument("--customers", type=_count, required=True)
    seed.add_argument("--refunds", type=_count, required=True)
    seed.add_argument("--seed", type=int, default=1)

    imp = sub.add_parser("import", help="import customers or refunds from CSV, .xlsx or .xls")
    imp.add_argument("what", choices=["customers", "refunds"])
    imp.add_argument("file", type=Path)
    imp.add_argument("--db", type=database_file, dest="cmd_db")
    imp.add_argument("--create", action="store_true", help="create the database if missing")
    imp.add_argument("--skip-invalid", action="store_true")
    imp.add_argument(
        "--historical",
        action="store_true",
        help="refunds past Pending Approval, as records (with roles: an admin only)",
    )
    imp.add_argument("--sheet", help="the workbook's sheet to read (default: the first)")
    imp.add_argument("--map", dest="column_map", metavar='"Their Header=field,…"',
                     help="map the file's headers to fields (=ignore drops a column)")  # fmt: skip
    imp.add_argument("--preset", choices=["quickbooks", "odoo", "erpnext"],
                     help="the column names of that system's customer file")  # fmt: skip
    imp.add_argument("--mapping", metavar="NAME",
                     help="a mapping saved on the Import screen (--map and --preset add to it)")  # fmt: skip
    imp.add_argument("--number-new", action="store_true",
                     help="customers without an account number get the next free ones")  # fmt: skip
    imp.add_argument("--without-sources", action="store_true",
                     help="import refunds whose source document is missing without it")  # fmt: skip

    for name, help_text in (
        ("check", "run the integrity check"),
        ("purge", "purge deleted customers past the retention time"),
    ):
        p = sub.add_parser(name, help=help_text)
        p.add_argument("--db", type=database_file, dest="cmd_db")

    redact = sub.add_parser("redact", help="mask stored card numbers everywhere (admin)")
    redact.add_argument("--db", type=database_file, dest="cmd_db")

    audit = sub.add_parser("audit", help="print the audit log, newest first")
    audit.add_argument("--db", type=database_file, dest="cmd_db")
    audit.add_argument("--since")
    audit.add_argument("--user")
    audit.add_argument("--table")
    audit.add_argument("--limit", type=_count, default=100)

    backup = sub.add_parser("backup", help="consistent copy while others keep working")
    backup.add_argument("--db", type=database_file, dest="cmd_db")
    backup.add_argument("--out", type=Path, required=True)

    init = sub.add_parser(
        "init",
        help="set up a shared folder and database for a group (or a PostgreSQL database's "
        "schema), with its first admin",
    )
    init.add_argument("--db", type=database_file, required=True, dest="cmd_db")
    init.add_argument(
        "--group", help="the OS group whose members use the app (a database file only)"
    )
    init.add_argument("--admin", required=True, help="the login of the first admin")
    init.add_argument(
        "--app-role",
        help="PostgreSQL: the role the app connects as, given the rights it needs (not "
        "UPDATE or DELETE on the audit log)",
    )

    settings = sub.add_parser("settings", help="settings of the whole database (admin)")
    settings_sub = settings.add_subparsers(dest="setting", required=True, parser_class=_Parser)
    retention = settings_sub.add_parser(
        "retention-days", help="days deleted customers stay restorable"
    )
    retention.add_argument("days", type=_count)
    retention.add_argument("--db", type=database_file, dest="cmd_db")

    users = sub.add_parser("users", help="users and roles")
    users_sub = users.add_subparsers(dest="users_command", required=True, parser_class=_Parser)
    add = users_sub.add_parser("add")
    add.add_argument("name")
    add.add_argument("--role", choices=["clerk", "approver", "admin"], required=True)
    add.add_argument("--db", type=database_file, dest="cmd_db")
    lst = users_sub.add_parser("list")
    lst.add_argument("--db", type=database_file, dest="cmd_db")

    export = sub.add_parser("export", help="write a table to a file")
    export.add_argument("what", choices=["customers", "refunds", "cards"])
    export.add_argument(
        "--format", required=True, choices=["csv", "txt", "docx", "xls", "xlsx", "pdf"]
    )
    export.add_argument("--out", type=Path, required=True)
    export.add_argument("--search", default="")
    export.add_argument("--view")
    export.add_argument("--delimiter", choices=[",", ";"], default=",")
    export.add_argument("--db", type=database_file, dest="cmd_db")

    cli_cheques.add_parser(sub)
    from xoro_tui.cli_pg import add_copy_parser

    add_copy_parser(sub, database_file)
    return parser


def _count(text: str) -> int:
    try:
        value = int(text.replace(",", "").replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return value


def fail(message: str, code: int = EXIT_FAIL) -> int:
    say(f"xoro-tui: {message}", err=True)
    return code


def say(line: str, *, err: bool = False) -> None:
    """Print a line that may hold stored data: control characters show as placeholders
    (ESC as ␛), so no value can move the cursor, set the title or write the clipboard."""
    print(plain(line), file=sys.stderr if err else sys.stdout)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from xoro_tui.config import DatabaseLocationError
    from xoro_tui.data.store.errors import DataError

    try:
        handler = COMMANDS.get(args.command or "", open_app)
        return handler(args)
    except (DataError, DatabaseLocationError) as exc:
        return fail(str(exc))
    except KeyboardInterrupt:
        return fail("interrupted", 130)
    except OSError as exc:
        return fail(f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))
    except Exception as exc:  # noqa: BLE001 - the one place that turns any fault into a line
        from xoro_tui.errorlog import log_exception

        return fail(log_exception(exc, f"command {args.command or 'app'}"))


def open_app(args: argparse.Namespace) -> int:
    from xoro_tui import config
    from xoro_tui.terminal.mode import settle_terminal_mode

    low = args.low_bandwidth or config.env_low_bandwidth() or config.poor_terminal()
    settle_terminal_mode(low_bandwidth=low)
    path = db_path(args) if args.db else config.default_db_path(demo=args.demo)
    from xoro_tui.data.store.opening import open_database

    if isinstance(path, PgUrl):
        db = open_database(path)
        from xoro_tui.data.search.early_count import EarlyCount

        return _run_app(db, path, low, EarlyCount(path))  # the server counts meanwhile
    if not path.exists():
        if args.demo:
            from xoro_tui.data.seed.demo import create_demo

            print(f"xoro-tui: creating a demo database at {path}", file=sys.stderr)
            create_demo(path)
        else:
            print(f"xoro-tui: creating a new database at {path}", file=sys.stderr)
    from xoro_tui.progress import StderrProgress

    upgrade = StderrProgress() if sys.stderr.isatty() else None  # a long upgrade's bar
    db = open_database(path, create=True, progress=upgrade)
    if upgrade is not None and upgrade.shown:
        upgrade.done()
    from xoro_tui.data.search.early_count import EarlyCount

    early_count = EarlyCount(path)  # counts while Textual is imported
    return _run_app(db, path, low, early_count)


def _run_app(db, path, low: bool, early_count) -> int:  # noqa: ANN001 - the app's own types
    from xoro_tui.app import XoroApp

    app = XoroApp(db, path, low_bandwidth=low, early_count=early_count)
    app.run(mouse=not low)
    return app.return_code or 0


def cmd_seed(args: argparse.Namespace) -> int:
    from xoro_tui.data.seed.seeder import seed_database
    from xoro_tui.progress import StderrProgress

    path = db_path(args)
    if isinstance(path, PgUrl):
        return fail(
            f"seed makes a new SQLite file, not a PostgreSQL database ({path}); seed a file, "
            "then move it with xoro-tui copy --from PATH --to URL"
        )
    progress = StderrProgress()
    stats = seed_database(
        path, customers=args.customers, refunds=args.refunds, seed=args.seed, progress=progress
    )
    progress.done()
    print(
        f"created {path}: {stats.customers:,} customers, {stats.refunds:,} refunds, "
        f"{stats.documents:,} documents, {stats.cards:,} cards in {stats.seconds:.1f} s",
        file=sys.stderr,
    )
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from xoro_tui.data.store.opening import open_database
    from xoro_tui.data.store.permissions import require
    from xoro_tui.data.transfer.importer import ImportOptions, import_customers, import_refunds

    path = db_path(args)
    if isinstance(path, PgUrl):
        pass  # opened as it is: no command but init makes a PostgreSQL schema
    elif not path.exists() and not args.create:
        return fail(f"no database at {path} (check the path, or add --create to make one)")
    elif not path.exists():
        print(f"xoro-tui: creating a new database at {path}", file=sys.stderr)
    db = open_database(path, create=args.create and not isinstance(path, PgUrl))
    require(db, f"import {args.what}")
    preset, column_map = args.preset, args.column_map
    if args.mapping:
        from xoro_tui.data.transfer.saved_mappings import load

        saved = load(db, args.mapping, args.what)
        preset = preset or saved.preset
        column_map = ",".join(m for m in (saved.column_map, column_map) if m)
    options = ImportOptions(
        sheet=args.sheet, preset=preset, column_map=column_map or None,
        number_new=args.number_new, without_sources=args.without_sources,
    )  # fmt: skip
    if args.what == "customers":
        report = import_customers(db, args.file, skip_invalid=args.skip_invalid, options=options)
    else:
        report = import_refunds(
            db, args.file, skip_invalid=args.skip_invalid, historical=args.historical,
            options=options,
        )  # fmt: skip
    for line in report.format_warnings():
        say(f"xoro-tui: warning: {line}", err=True)
    if report.errors:
        for line in report.format_errors():
            say(line, err=True)
        print(f"nothing imported: {len(report.errors)} error(s)", file=sys.stderr)
        return EXIT_FAIL
    for line in report.format_skipped():
        say(f"skipped {line}", err=True)
    print(
        f"{args.what}: {report.inserted} added, {report.updated} updated, "
        f"{report.unchanged} unchanged, {len(report.skipped)} skipped"
        + (f", {report.without_source} without their source" if report.without_source else "")
    )
    _merge_search(db)
    return EXIT_OK


def _merge_search(db) -> None:  # noqa: ANN001 - a sqlite_utils.Database
    """An import leaves many new search segments: merge them now, in short steps that
    let others save in between, so that no later save has to (an open app would too)."""
    import sqlite3

    from xoro_tui.data.search.index_upkeep import merge_pending

    with contextlib.suppress(sqlite3.Error):  # busy or read-only: an open app merges later
        merge_pending(db)


def cmd_check(args: argparse.Namespace) -> int:
    from xoro_tui.data.store.maintenance import integrity_check

    problems = integrity_check(existing_db(args))
    if problems:
        for line in problems:
            say(line)
        return EXIT_FAIL
    print("ok")
    return EXIT_OK


def cmd_redact(args: argparse.Namespace) -> int:
    from xoro_tui.data.store.redaction import redact

    report = redact(existing_db(args))
    for line in report.problems:
        print(line, file=sys.stderr)
    for finding in report.masked:
        print(f"masked: {finding.line()}")
    print(f"masked {len(report.masked)} card number field(s)")
    return EXIT_FAIL if report.problems else EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    from xoro_tui.data.store.maintenance import backup

    location = db_path(args)
    if isinstance(location, PgUrl):
        from xoro_tui.cli_pg import backup_postgres

        existing_db(args).conn.close()  # refuses a database without the schema
        return backup_postgres(location, args.out)
    db = existing_db(args)
    backup(db, args.out)
    print(f"backed up to {args.out}")
    return EXIT_OK


def cmd_audit(args: argparse.Namespace) -> int:
    from xoro_tui.data.store.audit import format_line, query

    db = existing_db(args)
    for entry in query(
        db.conn, since=args.since, user=args.user, table=args.table, limit=args.limit
    ):
        say(format_line(entry))
    return EXIT_OK


def cmd_users(args: argparse.Namespace) -> int:
    from xoro_tui.data.store.permissions import require
    from xoro_tui.data.store.users import UserRepository

    db = existing_db(args)
    repo = UserRepository(db)
    if args.users_command == "add":
        require(db, "users add")
        repo.add(args.name, args.role)
        say(f"{args.name}: {args.role}")
        return EXIT_OK
    users = repo.list()
    if not users:
        print("no roles configured: single-user mode, everyone may do everything")
    for user in users:
        print(f"{plain(user.name)}\t{user.role}")
    return EXIT_OK


def cmd_init(args: argparse.Namespace) -> int:
    from xoro_tui.data.store.setup import init_shared

    location = db_path(args)
    if isinstance(location, PgUrl):
        from xoro_tui.cli_pg import init_postgres_command

        return init_postgres_command(args, location)
    if not args.group:
        return fail("init --group GROUP is needed for a database file (the OS group whose "
                    "members use the app)", EXIT_USAGE)  # fmt: skip
    made = init_shared(location, group=args.group, admin=args.admin)
    for line in made.describe():
        say(line)
    return EXIT_OK


def cmd_settings(args: argparse.Namespace) -> int:
    from xoro_tui.data.store.app_settings import set_retention_days
    from xoro_tui.data.store.permissions import require

    db = existing_db(args)
    require(db, "settings")
    set_retention_days(db, args.days)
    print(f"retention-days: {args.days}")
    return EXIT_OK


def cmd_purge(args: argparse.Namespace) -> int:
    from xoro_tui.data.customers.purge import purge_deleted
    from xoro_tui.data.store.app_settings import retention_days
    from xoro_tui.data.store.permissions import require

    db = existing_db(args)
    require(db, "purge")
    result = purge_deleted(db, retention_days(db.conn))
    print(f"purged {result.purged}, archived {result.archived} (kept for their financial history)")
    return EXIT_OK


def cmd_copy(args: argparse.Namespace) -> int:
    from xoro_tui.cli_pg import copy_command

    return copy_command(args)


def cmd_export(args: argparse.Namespace) -> int:
    from xoro_tui.documents.cli_export import run_export

    return run_export(existing_db(args), args)


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "seed": cmd_seed,
    "import": cmd_import,
    "check": cmd_check,
    "redact": cmd_redact,
    "backup": cmd_backup,
    "audit": cmd_audit,
    "users": cmd_users,
    "init": cmd_init,
    "settings": cmd_settings,
    "purge": cmd_purge,
    "export": cmd_export,
    "cheques": cli_cheques.run,
    "copy": cmd_copy,
}


if __name__ == "__main__":
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    raise SystemExit(main())
