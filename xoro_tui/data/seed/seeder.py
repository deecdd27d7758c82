"""Deterministic generated data at any size, written into a new database file only.

A million customers and a million refunds (with documents, cards and deposits) take well
under three minutes on two cores because: the file is built beside the target with no
journal and no sync, in large transactions of ``executemany``; indexes and triggers come
after the bulk load; the search rows are folded in Python while generating (for ASCII,
folding is ``str.lower``) rather than by the ``xoro_fold`` SQL function; and the documents
and the full-text indexes are built by two more processes at the same time (see
:mod:`seed_parts`). Small seeds (the demo) do the same steps in this process.

The database appears at the target path only when complete (a rename without replacing),
so a killed seed leaves nothing there; the next run removes its temporary files.
"""

from __future__ import annotations

import datetime as dt
import gc
import multiprocessing
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from pathlib import Path

from xoro_tui.data.customers import customer_money
from xoro_tui.data.search import search_sync
from xoro_tui.data.seed import seed_names as N
from xoro_tui.data.seed.seed_customers import (
    CARD_COLUMNS,
    CUSTOMER_COLUMNS,
    SITE_COLUMNS,
    Plan,
    customer_chunk,
)
from xoro_tui.data.seed.seed_parts import (
    CHUNK,
    DOCUMENT_TABLES,
    SearchBuilder,
    copy_documents,
    copy_search,
    documents_worker,
    insert,
    open_fast,
    search_worker,
    write_documents,
)
from xoro_tui.data.seed.seed_refunds import REFUND_ACCOUNTS
from xoro_tui.data.store import audit
from xoro_tui.data.store.clock import today as clock_today
from xoro_tui.data.store.connection import create_private_file, file_mode, secure_file
from xoro_tui.data.store.errors import Refused
from xoro_tui.data.store.migrations import (
    MIGRATIONS,
    record,
    v1_indexes,
    v1_tables,
    v11_tables,
    v36_tables,
)

Progress = Callable[[str, int, int], None]
#: migrations the seed applies in part: the search tables stay empty (their rows are copied in)
_SEED_APPLY = {11: v11_tables, 36: v36_tables}
#: from this many customers plus refunds, the helper files are built by other processes
PARALLEL_FROM = 60_000


@dataclass(frozen=True)
class SeedStats:
    customers: int
    refunds: int
    documents: int
    cards: int
    seconds: float


def temporary_paths(path: Path) -> tuple[Path, Path, Path]:
    """The file being built and the two helper files, all beside the target."""
    return tuple(
        path.with_name(f"{path.name}.{suffix}")
        for suffix in ("seeding", "seeding-documents", "seeding-search")
    )  # type: ignore[return-value]


def seed_database(
    path: Path,
    *,
    customers: int,
    refunds: int,
    seed: int = 1,
    progress: Progress | None = None,
    today: dt.date | None = None,
) -> SeedStats:
    """Write generated customers, refunds, documents and cards into a NEW database at ``path``.

    Refuses (:class:`Refused`) when ``path`` exists. ``today`` anchors every date (default:
    the clock's today), so the same seed on the same day gives the same rows. Above 100,000
    refunds, deposits, credit memos and refunds get no lines (other documents keep theirs).
    """
    plan = Plan(seed, customers, refunds, today or clock_today(), other_documents=customers // 8,
                lines=refunds <= 100_000)  # fmt: skip
    return build(Path(path), plan, progress=progress)


def build(
    path: Path,
    plan: Plan,
    *,
    progress: Progress | None = None,
    extras: Callable[[sqlite3.Connection, Plan], None] | None = None,
) -> SeedStats:
    """The seed itself. ``extras`` (the demo's hand-written rows) runs when every index,
    trigger and search row is in place, so whatever it inserts is indexed by the triggers."""
    if plan.customers < 1 or plan.refunds < 0:
        raise Refused("a seed needs at least one customer and no negative counts")
    if path.exists() or path.is_symlink():
        raise Refused(f"{path} already exists; the seed only writes a new database")
    path.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    report = progress or (lambda stage, done, total: None)
    temporary = temporary_paths(path)
    _remove(temporary)  # a killed seed's temporaries go first
    # the helper processes create their files through SQLite: the umask keeps them private
    umask = os.umask(0o007 if file_mode() & 0o060 else 0o077)
    collecting = gc.isenabled()
    gc.disable()  # millions of new tuples: the cyclic collector would rescan them again and again
    try:
        with _helpers(plan, temporary[1], temporary[2]) as helpers:
            stats = _build(temporary[0], path.name, plan, helpers, report, extras, started)
        secure_file(temporary[0])
        _move_into_place(temporary[0], path)
    except BaseException:
        _remove(temporary)
        raise
    finally:
        os.umask(umask)
        if collecting:
            gc.enable()
    _remove(temporary)
    return replace(stats, seconds=time.monotonic() - started)


class _Helpers:
    """The documents and search helpers, in other processes or (small seeds) in this one."""

    def __init__(self, plan: Plan, documents: Path, search: Path) -> None:
        self.documents, self.search = documents, search
        self.parallel = plan.customers + plan.refunds >= PARALLEL_FROM
        self.processes: list[multiprocessing.process.BaseProcess] = []
        if not self.parallel:
            write_documents(documents, plan)
            self.builder = SearchBuilder(search)
            return
        context = multiprocessing.get_context(
            "fork"
        )  # the children run no threads, no I/O but SQLite
        worker = context.Process(
            target=documents_worker, args=(str(documents), plan, os.getpid()), daemon=True
        )
        worker.start()
        inbox, self.outbox = context.Pipe(duplex=False)
        searcher = context.Process(
            target=search_worker, args=(str(search), inbox, self.outbox), daemon=True
        )
        searcher.start()
        inbox.close()
        self.processes = [worker, searcher]

    def send(self, message: tuple) -> None:
        if self.parallel:
            self.outbox.send(message)
        else:
            self.builder.handle(message)

    def wait(self, index: int) -> None:
        if self.parallel:
            process = self.processes[index]
            process.join()
            if process.exitcode != 0:
                name = ("documents", "search")[index]
                raise RuntimeError(f"building the {name} failed (exit code {process.exitcode})")

    def stop(self) -> None:
        for process in self.processes:
            if process.is_alive():
                process.kill()
            process.join()
        if self.parallel:
            self.outbox.close()


@contextmanager
def _helpers(plan: Plan, documents: Path, search: Path) -> Iterator[_Helpers]:
    helpers = _Helpers(plan, documents, search)
    try:
        yield helpers
    finally:
        helpers.stop()


def _build(building: Path, name: str, plan: Plan, helpers: _Helpers, report: Progress,
           extras: Callable[[sqlite3.Connection, Plan], None] | None, started: float) -> SeedStats:  # fmt: skip
    create_private_file(building)
    conn = open_fast(building)
    try:
        conn.execute("BEGIN")
        v1_tables(conn)
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        _lookups(conn)
        helpers.send(("ddl", _latest_ddl("customer_fts", "customer_words")))
        _customers(conn, plan, helpers, report)
        report("documents", 0, 1)
        helpers.wait(0)  # then the refund search is built while the indexes are
        helpers.send(("refunds", str(helpers.documents), _latest_ddl("refund_fts")[0]))
        report("documents", 1, 1)
        report("indexes", 0, 1)
        v1_indexes(conn)  # before the documents arrive: they are a third of the rows
        for migration in MIGRATIONS[1:]:  # on no refunds yet: migration 2 fills no search
            _SEED_APPLY.get(migration.version, migration.apply)(conn)
        for migration in MIGRATIONS:
            record(conn, migration)
        triggers = _suspend_triggers(conn, [table for table, _ in DOCUMENT_TABLES])
        copy_documents(conn, helpers.documents)
        for statement in triggers:
            conn.execute(statement)
        customer_money.rebuild(conn)  # the copy came in with the triggers set aside
        _print_log(conn)
        _cheque_register(conn)
        conn.execute("COMMIT")
        report("indexes", 1, 1)
        report("search", 0, 1)
        helpers.wait(1)
        copy_search(conn, helpers.search)
        report("search", 1, 1)
    finally:
        conn.close()
    conn = open_fast(building)  # nothing FTS5 cached before the search copy is used again
    try:
        conn.execute("BEGIN")
        if extras is not None:
            extras(conn, plan)
        stats = _stats(conn, time.monotonic() - started)
        audit.record(conn, "database", name, "seed", {
            "seed": (None, plan.seed), "customers": (None, stats.customers),
            "refunds": (None, stats.refunds), "documents": (None, stats.documents),
            "cards": (None, stats.cards),
        })  # fmt: skip
        conn.execute("COMMIT")
        conn.execute("PRAGMA journal_mode = WAL")
    finally:
        conn.close()
    return stats


def _latest_ddl(*tables: str) -> list[str]:
    """How the migrations create ``tables`` (read from an empty database in memory)."""
    conn = open_fast(Path(":memory:"))
    try:
        for migration in MIGRATIONS:
            migration.apply(conn)
        return _ddl(conn, *tables)
    finally:
        conn.close()


def _ddl(conn: sqlite3.Connection, *tables: str) -> list[str]:
    """The statements that created ``tables``, so a helper file gets the very same tables."""
    return [
        conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (t,)).fetchone()[0]
        for t in tables
    ]


def _suspend_triggers(conn: sqlite3.Connection, tables: list[str]) -> list[str]:
    """Drop the triggers on ``tables`` (the copy brings its own search rows)."""
    marks = ", ".join("?" * len(tables))
    return search_sync.drop_triggers(conn, f"tbl_name IN ({marks})", tuple(tables))


def _remove(paths: tuple[Path, ...]) -> None:
    for path in paths:
        for each in (path, *(path.with_name(path.name + s) for s in ("-journal", "-wal", "-shm"))):
            with suppress(OSError):
                each.unlink(missing_ok=True)


def _move_into_place(building: Path, path: Path) -> None:
    """Rename without replacing: a file that appeared at ``path`` meanwhile is kept."""
    try:
        os.link(building, path)
    except FileExistsError:
        raise Refused(f"{path} appeared while seeding; the seed did not replace it") from None
    except OSError:  # no hard links on this file system
        if path.exists():
            raise Refused(f"{path} appeared while seeding; the seed did not replace it") from None
        os.replace(building, path)
        return
    building.unlink()


def _lookups(conn: sqlite3.Connection) -> None:
    for table, names in (
        ("customer_types", N.CUSTOMER_TYPES), ("sales_reps", N.SALES_REPS),
        ("payment_terms", N.PAYMENT_TERMS), ("customer_groups", N.CUSTOMER_GROUPS),
        ("order_types", N.ORDER_TYPES), ("shipping_terms", N.SHIPPING_TERMS),
        ("payment_methods", N.DEFAULT_PAYMENT_METHODS), ("tags", N.TAGS), ("brands", N.BRANDS),
    ):  # fmt: skip
        conn.executemany(f"INSERT INTO {table}(name) VALUES (?)", [(n,) for n in names])
    conn.executemany(
        "INSERT INTO refund_accounts(name, bank_name, bank_account, next_cheque_number) VALUES (?, ?, ?, ?)",
        REFUND_ACCOUNTS,
    )


def _customers(conn: sqlite3.Connection, plan: Plan, helpers: _Helpers, report: Progress) -> None:
    """Customers and everything hanging off them; their search rows go to the search helper."""
    extra_sites: list[tuple] = []
    for first in range(1, plan.customers + 1, CHUNK):
        last = min(plan.customers, first + CHUNK - 1)
        rows = customer_chunk(plan, first, last)
        helpers.send(("customers", rows.search))
        insert(conn, "customers", CUSTOMER_COLUMNS, rows.customers)
        insert(conn, "sites", SITE_COLUMNS, rows.sites)
        insert(conn, "customer_tags", ("customer_id", "tag"), rows.tags)
        insert(conn, "customer_brands", ("customer_id", "brand"), rows.brands)
        insert(conn, "customer_references", ("customer_id", "reference"), rows.references)
        insert(conn, "saved_cards", CARD_COLUMNS, rows.cards)
        extra_sites.extend(rows.extra_sites)
        report("customers", last, plan.customers)
    helpers.send(("words",))
    insert(conn, "sites", SITE_COLUMNS[1:], extra_sites)


def _print_log(conn: sqlite3.Connection) -> None:
    """One print-log row per cheque print (the second one a reprint), when the schema has one."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'print_log'").fetchone() is None:
        return
    for reprint, printed in ((0, 0), (1, 1)):
        conn.execute(
            "INSERT INTO print_log(refund_id, kind, cheque_number, reprint, at, user) "
            "SELECT id, 'cheque', cheque_number, ?, updated_at, coalesce(approved_by, created_by) "
            "FROM refunds WHERE cheque_number IS NOT NULL AND print_count > ?",
            (reprint, printed),
        )


def _cheque_register(conn: sqlite3.Connection) -> None:
    """The generated cheque numbers are history in each account's register."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'cheque_register'").fetchone():
        from xoro_tui.data.refunds.cheque_register import backfill_imported

        backfill_imported(conn)


def _stats(conn: sqlite3.Connection, seconds: float) -> SeedStats:
    def count(table: str) -> int:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    return SeedStats(
        count("customers"), count("refunds"), count("documents"), count("saved_cards"), seconds
    )
