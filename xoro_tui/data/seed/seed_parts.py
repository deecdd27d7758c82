"""The parts of a seed built in files of their own, possibly by other processes.

On two cores the seed is bound by work SQLite does in C (the trigram index above all), so
it runs three writers at once, each on its own file: the seeding process loads customers
into the database; a documents worker writes refunds and documents into one helper file;
a search worker builds the three full-text tables into another, from the folded rows the
seeding process sends it. The seeding process then copies the helper files in: plain
tables with ``INSERT … SELECT``, the full-text tables as their shadow tables (``_data``,
``_idx``, ``_content``, ``_docsize``, ``_config``), which is all FTS5 stores; the tests
run FTS5's integrity check and compare every search row with the views that define them.
"""

from __future__ import annotations

import gc
import os
import queue
import sqlite3
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path

from xoro_tui.data.search import index_upkeep
from xoro_tui.data.search.folding import fold
from xoro_tui.data.search.refund_search import REFUND_SEARCH_COLUMNS
from xoro_tui.data.search.search_sync import SEARCH_COLUMNS
from xoro_tui.data.seed.seed_customers import Plan, fold_text
from xoro_tui.data.seed.seed_refunds import (
    DOCUMENT_COLUMNS,
    LINE_COLUMNS,
    REFUND_COLUMNS,
    REFUND_LINE_COLUMNS,
    DocumentMaker,
)

CHUNK = 25_000
DOCUMENT_TABLES: tuple[tuple[str, tuple[str, ...]], ...] = (("documents", DOCUMENT_COLUMNS), ("document_lines", LINE_COLUMNS),
                   ("refunds", REFUND_COLUMNS), ("refund_lines", REFUND_LINE_COLUMNS))  # fmt: skip
SEARCH_TABLES = ("customer_fts", "customer_words", "refund_fts")
_SHADOWS = ("data", "idx", "content", "docsize", "config")
_FTS_DEFAULT_HASHSIZE = 1024 * 1024
_FTS_BUILD_HASHSIZE = 256 * 1024 * 1024  # fewer, larger segments while bulk loading


def open_fast(path: Path) -> sqlite3.Connection:
    """A connection for bulk loading a private file: no journal, no sync, a large cache."""
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -1000000")  # 1 GB
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA threads = 2")  # CREATE INDEX may sort on two cores
    conn.create_function("xoro_fold", 1, fold, deterministic=True)
    return conn


def insert(
    conn: sqlite3.Connection, table: str, columns: tuple[str, ...], rows: list[tuple]
) -> None:
    if rows:
        marks = ", ".join("?" * len(columns))
        conn.executemany(f"INSERT INTO {table}({', '.join(columns)}) VALUES ({marks})", rows)


# --- refunds and documents ---------------------------------------------------------------


def write_documents(path: Path, plan: Plan, wanted: Callable[[], bool] = lambda: True) -> None:
    """Generate the refunds and documents into ``path``, with the final sequence values and
    cheque numbers in a ``seed_totals`` table. Stops as soon as ``wanted()`` turns false."""
    conn = open_fast(path)
    try:
        conn.execute("BEGIN")
        for table, columns in DOCUMENT_TABLES:
            conn.execute(f"CREATE TABLE {table}({', '.join(columns)})")
        conn.execute("CREATE TABLE seed_totals(kind TEXT, name TEXT, value INTEGER)")
        for rows in DocumentMaker(plan).refunds(CHUNK):
            if not wanted():
                raise SystemExit(1)
            for (table, columns), batch in zip(
                DOCUMENT_TABLES,
                (rows.documents, rows.lines, rows.refunds, rows.refund_lines),
                strict=True,
            ):
                insert(conn, table, columns, batch)
            for kind, values in (("sequence", rows.sequences), ("cheque", rows.cheques)):
                for name, value in (values or {}).items():
                    conn.execute("INSERT INTO seed_totals VALUES (?, ?, ?)", (kind, name, value))
        conn.execute("COMMIT")
    finally:
        conn.close()


def documents_worker(path: str, plan: Plan, parent: int) -> None:
    """A forked process; gives up as soon as the seeding process is gone."""
    gc.disable()
    write_documents(Path(path), plan, wanted=lambda: os.getppid() == parent)


def copy_documents(conn: sqlite3.Connection, path: Path) -> None:
    """Copy the documents file in, and move the sequences and cheque numbers past it."""
    conn.execute("ATTACH DATABASE ? AS generated", (str(path),))
    for table, columns in DOCUMENT_TABLES:
        names = ", ".join(columns)
        conn.execute(f"INSERT INTO main.{table}({names}) SELECT {names} FROM generated.{table}")
    for kind, name, value in conn.execute(
        "SELECT kind, name, value FROM generated.seed_totals"
    ).fetchall():
        if kind == "sequence":
            conn.execute("INSERT INTO sequences(name, next_value) VALUES (?, ?)", (name, value))
        else:
            conn.execute(
                "UPDATE refund_accounts SET next_cheque_number = ? WHERE name = ?", (value, name)
            )
    conn.execute("COMMIT")  # DETACH is refused inside a transaction
    conn.execute("DETACH DATABASE generated")
    conn.execute("BEGIN")


# --- search ------------------------------------------------------------------------------


class SearchBuilder:
    """Builds the search tables in ``path``: messages arrive in this order —
    ``("ddl", [create customer_fts, create customer_words])``, ``("customers", rows)`` any
    number of times, ``("words",)``, ``("refunds", documents_path, create refund_fts)``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.conn = open_fast(path)
        self.conn.execute("BEGIN")
        self.names: list[str] = [""]  # folded customer names by id (ids run 1, 2, 3, …)

    def handle(self, message: tuple) -> None:
        kind = message[0]
        if kind == "ddl":
            for statement in message[1]:
                self._create(statement)
        elif kind == "customers":
            rows = message[1]
            insert(self.conn, "customer_fts", ("rowid", *SEARCH_COLUMNS), rows)
            self.names.extend(row[1] for row in rows)
        elif kind == "words":
            columns = ", ".join(SEARCH_COLUMNS)
            self.conn.execute(
                f"INSERT INTO customer_words(rowid, {columns}) SELECT rowid, {columns} FROM customer_fts"
            )
            index_upkeep.lift_bulk_segments(self.conn, "customer_fts", "name")
            index_upkeep.lift_bulk_segments(self.conn, "customer_words", "name", contentless=True)
        elif kind == "refunds":
            self._create(message[2])
            self._refunds(Path(message[1]))
            index_upkeep.lift_bulk_segments(self.conn, "refund_fts", "refund_number")
            self.close()

    def _create(self, statement: str) -> None:
        self.conn.execute(statement)
        table = statement.split("TABLE", 1)[1].split()[0]
        self.conn.execute(
            f"INSERT INTO {table}({table}, rank) VALUES ('hashsize', {_FTS_BUILD_HASHSIZE})"
        )

    def _refunds(self, documents: Path) -> None:
        """The rows ``refund_search_source`` gives: the folded account and name of a
        customer is its folded account, a space and its folded name."""
        self.conn.execute("ATTACH DATABASE ? AS generated", (f"file:{documents}?mode=ro",))
        names = self.names
        cursor = self.conn.cursor().execute(
            "SELECT id, refund_number, customer_id, cheque_number, reference, memo,"
            " void_reason, created_by, approved_by FROM generated.refunds"
        )
        while batch := cursor.fetchmany(CHUNK):
            rows = [
                (rid, number.lower(), f"c-{customer:06d} {names[customer]}",
                 "" if cheque is None else str(cheque), fold_text(reference), fold_text(memo),
                 fold_text(void), fold_text(creator), fold_text(approver))
                for rid, number, customer, cheque, reference, memo, void, creator, approver
                in batch
            ]  # fmt: skip
            insert(self.conn, "refund_fts", ("rowid", *REFUND_SEARCH_COLUMNS), rows)

    def close(self) -> None:
        for table in SEARCH_TABLES:
            self.conn.execute(
                f"INSERT INTO {table}({table}, rank) VALUES ('hashsize', {_FTS_DEFAULT_HASHSIZE})"
            )
        index_upkeep.tune(self.conn)  # copied in with the tables (their settings are rows)
        self.conn.execute("COMMIT")
        self.conn.close()
        # once FTS5 has written everything out, on a connection that never cached it
        conn = open_fast(self.path)
        try:
            conn.execute("BEGIN")
            index_upkeep.raise_large_segments(conn)
            conn.execute("COMMIT")
        finally:
            conn.close()


def search_worker(path: str, inbox: Connection, outbox: Connection) -> None:
    """A forked process: builds the search file from what arrives on ``inbox``; ends when
    the refunds message is handled, or (with an error) when the seeding process is gone.

    A thread receives while the main thread indexes: a pipe holds little, so without it
    the seeding process would wait for every chunk to be indexed before sending the next.
    """
    gc.disable()
    outbox.close()  # our copy of the sending end: without it, a dead parent means EOF here
    received: queue.SimpleQueue[tuple | None] = queue.SimpleQueue()

    def receive() -> None:
        try:
            while True:
                message = inbox.recv()
                received.put(message)
                if message[0] == "refunds":
                    return
        except EOFError:
            received.put(None)

    threading.Thread(target=receive, daemon=True).start()
    builder = SearchBuilder(Path(path))
    while (message := received.get()) is not None:
        builder.handle(message)
        if message[0] == "refunds":
            return
    raise SystemExit(1)


def copy_search(conn: sqlite3.Connection, path: Path) -> None:
    """Replace the (empty) search tables by the ones built in ``path``.

    Only the shadow tables are written, in a transaction of their own; the caller reopens
    its connection afterwards, so no FTS5 state cached before the copy is used again.
    """
    conn.execute("ATTACH DATABASE ? AS search", (str(path),))
    conn.execute("BEGIN")
    theirs = {
        r[0] for r in conn.execute("SELECT name FROM search.sqlite_master WHERE type = 'table'")
    }
    ours = {r[0] for r in conn.execute("SELECT name FROM main.sqlite_master WHERE type = 'table'")}
    for table in SEARCH_TABLES:
        for suffix in _SHADOWS:
            name = f"{table}_{suffix}"
            if name in ours and name in theirs:
                conn.execute(f"DELETE FROM main.{name}")
                conn.execute(f"INSERT INTO main.{name} SELECT * FROM search.{name}")
            elif name in ours or name in theirs:
                raise RuntimeError(f"the search file and the database disagree about {name}")
    conn.execute("COMMIT")
    conn.execute("DETACH DATABASE search")
