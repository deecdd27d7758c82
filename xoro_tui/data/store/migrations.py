"""Numbered schema migrations, recorded in the database and run under a write lock.

Many app instances may start on the same file at once: each takes ``BEGIN IMMEDIATE``
and re-reads the schema version inside it, so only the first one migrates and the
others find the work done.
"""

from __future__ import annotations

import contextvars
import functools
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import resources

import sqlite_utils

from xoro_tui.data.customers import customer_money
from xoro_tui.data.refunds.cheque_register import backfill_imported
from xoro_tui.data.search import index_upkeep, refund_search, search_sync
from xoro_tui.data.store.clock import now_iso
from xoro_tui.data.store.connection import write_tx
from xoro_tui.data.store.currencies import minor_units_case, sync_currencies
from xoro_tui.data.store.errors import DatabaseOpenError

Progress = Callable[[str, int, int], None]
#: where a long migration reports ``(stage, done, total)``: what :func:`migrate` was given
_progress: contextvars.ContextVar[Progress | None] = contextvars.ContextVar(
    "migration_progress", default=None
)


def sql_statements(script: str) -> Iterator[str]:
    """Split a script into statements (``executescript`` would commit our transaction)."""
    buffer = ""
    for line in script.splitlines(keepends=True):
        if not buffer and (not line.strip() or line.lstrip().startswith("--")):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            yield buffer.strip()
            buffer = ""
    if buffer.strip():
        yield buffer.strip()


@functools.cache
def script(name: str) -> str:
    """The text of one of the package's schema scripts (read once per process)."""
    return resources.files("xoro_tui.data.store").joinpath(name).read_text(encoding="utf-8")


def run_script(conn: sqlite3.Connection, name: str, **parts: str) -> None:
    """Run a schema script; ``{name}`` in it is replaced by ``parts[name]`` (SQL written
    from Python, e.g. a CASE from money.py's currency table)."""
    text = script(name)
    for key, sql in parts.items():
        text = text.replace("{" + key + "}", sql)
    for statement in sql_statements(text):
        conn.execute(statement)


def v1_tables(conn: sqlite3.Connection) -> None:
    run_script(conn, "schema_v1.sql")


def v1_indexes(conn: sqlite3.Connection) -> None:
    run_script(conn, "schema_v1_indexes.sql")
    for trigger in search_sync.customer_search_triggers_v1():
        conn.execute(trigger)


def v1(conn: sqlite3.Connection) -> None:
    v1_tables(conn)
    v1_indexes(conn)


def v2(conn: sqlite3.Connection) -> None:
    run_script(conn, "schema_v2.sql")


def v3(conn: sqlite3.Connection) -> None:
    run_script(conn, "schema_v3.sql")


def v4(conn: sqlite3.Connection) -> None:
    run_script(conn, "schema_v4.sql")


def v5(conn: sqlite3.Connection) -> None:
    run_script(conn, "schema_v5.sql")


def v6(conn: sqlite3.Connection) -> None:
    run_script(conn, "schema_v6.sql")


def v7(conn: sqlite3.Connection) -> None:
    run_script(conn, "schema_v7.sql")


def v8(conn: sqlite3.Connection) -> None:
    """Saves merge no search segments: see :mod:`xoro_tui.data.search.index_upkeep`."""
    index_upkeep.fix_shadow_statistics(conn)
    index_upkeep.tune(conn)


def v9(conn: sqlite3.Connection) -> None:
    run_script(conn, "schema_v9.sql")
    backfill_imported(conn)


def v10(conn: sqlite3.Connection) -> None:
    """Each customer's money: see :mod:`xoro_tui.data.customers.customer_money`."""
    run_script(conn, "schema_v10.sql", minor_units_case=minor_units_case("currency"))
    customer_money.install(conn)


def v11_tables(conn: sqlite3.Connection) -> None:
    """The customer search tables, their source view and triggers, with every text column;
    empty (a seed copies its own search rows in)."""
    search_sync.drop_triggers(conn, "sql LIKE '%customer_fts%'")
    conn.execute("DROP VIEW customer_search_source")
    conn.execute("DROP TABLE customer_fts")
    conn.execute("DROP TABLE customer_words")
    run_script(conn, "schema_v11.sql")
    for trigger in search_sync.customer_search_triggers():
        conn.execute(trigger)
    index_upkeep.fix_shadow_statistics(conn)
    index_upkeep.tune(conn)


def v11(conn: sqlite3.Connection) -> None:
    """Search every text column: the customer search tables rebuilt with all of them."""
    v11_tables(conn)
    search_sync.build_customer_search(conn)
    for table, contentless in (("customer_fts", False), ("customer_words", True)):
        index_upkeep.lift_bulk_segments(conn, table, "name", contentless=contentless)


def v13(conn: sqlite3.Connection) -> None:
    """A Batch Update notes the lookup values it created; its undo removes those unused."""
    conn.execute("ALTER TABLE batches ADD COLUMN created_lookups TEXT")


def v14(conn: sqlite3.Connection) -> None:
    run_script(conn, "schema_v14.sql")


def v34(conn: sqlite3.Connection) -> None:
    """The quick search finds refunds by currency and refund account (columns with a
    handful of values, filtered on the values the typed text names): their indexes."""
    conn.execute("CREATE INDEX IF NOT EXISTS refunds_currency ON refunds(currency)")
    conn.execute("CREATE INDEX IF NOT EXISTS refunds_account ON refunds(refund_account)")


def v35(conn: sqlite3.Connection) -> None:
    """Large search segments three levels up: see
    :func:`xoro_tui.data.search.index_upkeep.raise_large_segments`."""
    index_upkeep.raise_large_segments(conn)


def v36_tables(conn: sqlite3.Connection) -> None:
    """The refund search table, its source view and triggers, with every text column the
    Refund Centre shows; empty (a seed copies its own search rows in)."""
    refund_search.drop(conn)
    run_script(conn, "schema_v36.sql")
    index_upkeep.tune(conn)
    index_upkeep.fix_shadow_statistics(conn)


def v36(conn: sqlite3.Connection) -> None:
    """Refunds found by memo, void reason, creator and approver: the refund search table
    rebuilt with them (once: 1M refunds in about a minute, reported to ``progress``), its
    large segment then kept off the levels saves merge (as migration 35 did for the others)."""
    v36_tables(conn)
    refund_search.build(conn, _progress.get())
    index_upkeep.raise_large_segments(conn)


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    apply: Callable[[sqlite3.Connection], None]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "foundation: customers, documents, refunds, audit, search", v1),
    Migration(2, "refund search and merge, batch and deletion journals", v2),
    Migration(3, "saved reports, form drafts, print log, outbox retries", v3),
    Migration(4, "indexes for the Centre's windows and planner statistics", v4),
    Migration(5, "an index on every foreign key, so deletes do not scan child tables", v5),
    Migration(6, "settings of the whole database: the retention period", v6),
    Migration(7, "the audit log allows one change: masking a card number (redact)", v7),
    Migration(8, "search indexes merged in the background, not in users' saves", v8),
    Migration(9, "a cheque register and cheque books per refund account", v9),
    Migration(10, "each customer's open balance, unapplied credits and last activity", v10),
    Migration(11, "customers found by every text column; phone numbers by their digits", v11),
    Migration(13, "batch updates note the lookup values they created (undo removes them)", v13),
    Migration(14, "import mappings saved by name; cheque layouts per refund account", v14),
    Migration(15, "a currencies table: each code's exponent, from money.py", sync_currencies),
    Migration(34, "refunds found by currency and refund account: their indexes", v34),
    Migration(35, "large search segments kept above the levels saves merge often", v35),
    Migration(36, "refunds found by memo, void reason, created by and approved by", v36),
)
LATEST = MIGRATIONS[-1].version


def schema_version(db: sqlite_utils.Database) -> int:
    return int(db.conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(
    db: sqlite_utils.Database, *, upto: int = LATEST, progress: Progress | None = None
) -> int:
    """Bring the schema to ``upto``; return the version found before. Refuse newer files.
    A migration that rebuilds a large table reports to ``progress`` as it goes."""
    found = schema_version(db)
    if found > LATEST:
        raise DatabaseOpenError(
            f"this database was written by a newer xoro-tui (schema {found}, this one knows "
            f"{LATEST}); upgrade xoro-tui to open it"
        )
    if found >= upto:
        return found
    token = _progress.set(progress)
    try:
        with write_tx(db) as conn:
            current = schema_version(db)
            if current == 0:
                conn.execute(
                    "CREATE TABLE IF NOT EXISTS schema_migrations ("
                    "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
                )
            for migration in MIGRATIONS:
                if current < migration.version <= upto:
                    migration.apply(conn)
                    record(conn, migration)
    except sqlite3.OperationalError as exc:
        if "readonly" in str(exc):
            raise DatabaseOpenError(
                "the database needs an upgrade but the file is read-only; "
                "open it once with write access"
            ) from None
        raise
    finally:
        _progress.reset(token)
    return found


def record(conn: sqlite3.Connection, migration: Migration) -> None:
    conn.execute(
        "INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)",
        (migration.version, migration.name, now_iso()),
    )
    conn.execute(f"PRAGMA user_version = {migration.version}")
