"""The refund search table: every text column the Refund Centre shows, folded, in one
trigram index (``refund_fts``, from the view ``refund_search_source``, ``schema_v36.sql``).

Columns with a handful of values (currency, status, payment method, refund account) are
not in it: the values a search names are looked up through those columns' own indexes
(see :mod:`xoro_tui.data.search.few_values`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from xoro_tui.data.search import search_sync

Progress = Callable[[str, int, int], None]
#: refunds indexed per statement while the table is rebuilt (a progress step)
BUILD_CHUNK = 50_000

#: the columns of ``refund_fts`` (the quick search's chooser offers each one)
REFUND_SEARCH_COLUMNS: tuple[str, ...] = (
    "refund_number", "customer", "cheque_number", "reference",
    "memo", "void_reason", "created_by", "approved_by",
)  # fmt: skip
_COLUMNS = ", ".join(REFUND_SEARCH_COLUMNS)


def drop(conn: sqlite3.Connection) -> None:
    """Drop the refund search table, its source view and the triggers that fill it."""
    search_sync.drop_triggers(conn, "sql LIKE '%refund_fts%'")
    conn.execute("DROP VIEW IF EXISTS refund_search_source")
    conn.execute("DROP TABLE IF EXISTS refund_fts")


def build(conn: sqlite3.Connection, progress: Progress | None = None) -> None:
    """Fill ``refund_fts`` from scratch inside the caller's write transaction: the refunds
    in id order, in chunks (``progress`` gets ``(stage, done, total)`` after
    each), in large segments then merged into one. At a million refunds: 41 to 49 s of
    indexing and 6 s of merging on the shared benchmark machine.

    ``optimize`` leaves the segment on level 1 and FTS5 reads the structure afresh after
    it, so :func:`index_upkeep.raise_large_segments` may move it further up in the same
    transaction (a row indexed or deleted after it would be flushed with FTS5's older
    copy of the structure, undoing the move)."""
    hashsize = "INSERT INTO refund_fts(refund_fts, rank) VALUES ('hashsize', ?)"
    conn.execute(hashsize, (search_sync.BULK_HASHSIZE,))
    try:
        conn.execute("DELETE FROM refund_fts")
        low, high = conn.execute("SELECT min(id), max(id) FROM refunds").fetchone()
        if low is None:
            return
        total = high - low + 1
        for first in range(low, high + 1, BUILD_CHUNK):
            conn.execute(
                f"INSERT INTO refund_fts(rowid, {_COLUMNS}) SELECT id, {_COLUMNS} "
                "FROM refund_search_source WHERE id >= ? AND id < ? ORDER BY id",
                (first, first + BUILD_CHUNK),
            )
            if progress is not None:
                progress("upgrade: refund search", min(first + BUILD_CHUNK, high + 1) - low, total)
        conn.execute("INSERT INTO refund_fts(refund_fts) VALUES ('optimize')")
    finally:
        conn.execute(hashsize, (search_sync.DEFAULT_HASHSIZE,))
