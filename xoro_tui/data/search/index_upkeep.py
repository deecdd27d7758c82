"""Keeping the full-text indexes quick to write: merging moved out of users' saves.

FTS5 stores an index as segments; every write transaction adds a small one, and by
default the writer that adds a segment also merges: a little of a running merge each
time (``automerge``), all of it at once when a level holds too many segments
(``crisismerge``). On a million customers a merge that takes in a 300 MB segment then
lands in some user's save, and that save holds the write lock for seconds while every
other user waits.

Here the writers merge nothing (``automerge`` 0), the emergency merge comes only after
many unmerged segments (it merges the newest, smallest level), and :func:`merge_step`
does the merging as short write transactions of a few pages each, run by every open app
in the background (:class:`IndexUpkeep`) and by the import command when it is done. A
seed merges what it wrote into one segment (:func:`lift_bulk_segments`); a seed, an
import and the upgrade of an older file then move large segments up to level 3, where
saves' merging reaches them only after some 65,000 saves (:func:`raise_large_segments`).
The planner statistics FTS5's shadow tables got while empty are replaced too: with them,
SQLite deleted each merged segment by scanning the whole index (a tenth of a second or
more per segment, at a million customers).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable

import sqlite_utils

from xoro_tui.data.search import fts_structure
from xoro_tui.data.store.connection import connect, database_file, is_postgres, write_tx

#: every full-text table of the schema
SEARCH_TABLES: tuple[str, ...] = ("customer_fts", "customer_words", "refund_fts")
#: no merge work in the writer's transaction; the emergency merge only after this many
#: segments on the newest level; a background merge once a level holds this many
SETTINGS: tuple[tuple[str, int], ...] = (("automerge", 0), ("crisismerge", 1000), ("usermerge", 16))
#: the rows the planner is told each index has (any large number gives the right plans)
SHADOW_ROWS = 1_000_000
#: pages of merge work per write transaction (a few milliseconds)
STEP_PAGES = 16
#: the pause between two steps while there is merging to do, so others get the lock
STEP_PAUSE = 0.02
#: how often an idle app looks for merging to do
IDLE_PAUSE = 5.0
#: steps between two checkpoints of the write-ahead log (see :func:`merge_pending`)
CHECKPOINT_EVERY = 8
#: a segment this large is kept off the low levels (see :func:`raise_large_segments`): 16
#: merge steps; an import of about 1,600 customers (measured at a million: 1,000 rows
#: left 162 trigram pages on level 0, 10,000 rows 2,160 pages and 181 steps)
LIFT_FROM_PAGES = 16 * STEP_PAGES
#: the lowest level for large segments: a segment reaches it from the saves only once
#: 4,096 of theirs are merged (``usermerge ** 3``), and the level is merged when it holds
#: 16 segments, after some 65,000 saves
LIFT_TO_LEVEL = 3


def tune(conn: sqlite3.Connection) -> None:
    """Give every search table the merge settings above (they are stored in the file)."""
    for table in SEARCH_TABLES:
        for name, value in SETTINGS:
            conn.execute(f"INSERT INTO {table}({table}, rank) VALUES (?, ?)", (name, value))


def fix_shadow_statistics(conn: sqlite3.Connection) -> None:
    """Replace what ``ANALYZE`` recorded about FTS5's shadow tables by "many rows".

    They are analysed while empty (a new database, a seed before its search is copied
    in); told "two rows", the planner deletes a merged segment's pages by scanning the
    whole index instead of seeking their range of ids. Deleting the figures is not
    enough: a connection that loaded them keeps the old estimate.
    """
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone()
    if exists is None:
        return
    shadows = [f"{t}_{s}" for t in SEARCH_TABLES for s in ("data", "idx", "content", "docsize")]
    marks = ", ".join("?" * len(shadows))
    conn.execute(f"DELETE FROM sqlite_stat1 WHERE tbl IN ({marks})", shadows)
    conn.executemany(
        "INSERT INTO sqlite_stat1(tbl, idx, stat) VALUES (?, NULL, ?)",
        [(f"{t}_data", str(SHADOW_ROWS)) for t in SEARCH_TABLES],
    )
    conn.execute("ANALYZE sqlite_schema")  # this connection reloads the figures


def lift_bulk_segments(
    conn: sqlite3.Connection, table: str, column: str, *, contentless: bool = False
) -> None:
    """After a bulk load: the table's segments merged into one, a level above the newest.

    A bulk load leaves its large segments on the newest level, the one every later save
    adds to: the first merge there takes them in, and a save may have to finish it.
    ``optimize`` puts its one segment a level up, where small segments reach it only
    after hundreds of saves (merged in the background, in steps). It does nothing to a
    single segment, so a placeholder row is indexed first and deleted afterwards.
    """
    conn.execute(f"INSERT INTO {table}(rowid, {column}) VALUES (-1, 'zzzz')")
    conn.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")
    if contentless:
        conn.execute(f"INSERT INTO {table}({table}, rowid, {column}) VALUES ('delete', -1, 'zzzz')")
    else:
        conn.execute(f"DELETE FROM {table} WHERE rowid = -1")


def raise_large_segments(
    conn: sqlite3.Connection, min_pages: int = LIFT_FROM_PAGES, floor: int = LIFT_TO_LEVEL
) -> list[str]:
    """Every search table's large segments moved up to level ``floor``, without merging
    anything (inside the caller's write transaction); the tables changed.

    A bulk write leaves its segment on level 0, the level saves add to, and the 16th
    save after it makes the background merge it again with the saves' small ones:
    hundreds of steps, each taking the write lock while saves wait. A seed's ``optimize``
    leaves its segment on level 1, merged again after 256 saves. ``optimize`` of the
    whole index would cost 100 s at a million customers. Instead the levels move up
    (:meth:`fts_structure.Structure.raised`): one record rewritten per table, the order
    searches read segments in unchanged, so every search gives what it gave.
    """
    changed: list[str] = []
    for table in SEARCH_TABLES:
        structure = fts_structure.read(conn, table)
        moved = structure.raised(min_pages, floor) if structure is not None else None
        if moved is not None:
            fts_structure.write(conn, table, moved)
            changed.append(table)
    return changed


def lift_after_import(db: sqlite_utils.Database) -> list[str]:
    """:func:`raise_large_segments` after an import has committed; the tables changed.

    Written from a connection of its own where there is a file, so that every
    connection, ``db``'s too, rereads the structure (see :func:`fts_structure.write`).
    """
    if is_postgres(db):
        return []  # no FTS5 segments there: the trigram indexes keep themselves
    if not any(_has_large_low_segment(db.conn, table) for table in SEARCH_TABLES):
        return []  # a small import: no connection opened
    path = database_file(db)
    own = connect(path) if path is not None else None
    try:
        with write_tx(own or db) as conn:
            return raise_large_segments(conn)
    finally:
        if own is not None:
            own.conn.close()


def _has_large_low_segment(conn: sqlite3.Connection, table: str) -> bool:
    structure = fts_structure.read(conn, table)
    return structure is not None and structure.raised(LIFT_FROM_PAGES, LIFT_TO_LEVEL) is not None


def merge_step(
    db: sqlite_utils.Database,
    table: str,
    pages: int = STEP_PAGES,
    held: list[float] | None = None,
) -> bool:
    """Up to ``pages`` pages of merge work on ``table`` in one short write transaction;
    True when there was work (so there may be more). ``held`` gets the seconds the
    write lock was held."""
    with write_tx(db) as conn:
        locked = time.perf_counter()
        before = conn.total_changes
        conn.execute(f"INSERT INTO {table}({table}, rank) VALUES ('merge', ?)", (pages,))
        # FTS5 writes at least two rows when it merged anything
        worked = conn.total_changes - before >= 2
    if held is not None:
        held.append(time.perf_counter() - locked)
    return worked


def merge_pending(
    db: sqlite_utils.Database,
    *,
    pages: int = STEP_PAGES,
    pause: float = STEP_PAUSE,
    stop: Callable[[], bool] = lambda: False,
    held: list[float] | None = None,
) -> int:
    """Merge in steps until no table has merging due (or ``stop()``); the number of steps.
    ``held`` gets how long each step held the write lock."""
    if is_postgres(db):
        return 0  # no FTS5 segments on PostgreSQL
    steps = 0
    busy = list(SEARCH_TABLES)
    while busy and not stop():
        for table in list(busy):
            if stop():
                break
            if merge_step(db, table, pages, held):
                steps += 1
                if steps % CHECKPOINT_EVERY == 0:
                    checkpoint(db)
                if pause:
                    time.sleep(pause)
            else:
                busy.remove(table)
    if steps:
        checkpoint(db)
    return steps


def checkpoint(db: sqlite_utils.Database) -> None:
    """Copy the log into the file here, not in a user's save.

    Merging writes many pages to the write-ahead log; whichever commit takes it past
    SQLite's threshold copies it back and syncs the file, and that may be a save waiting
    on a busy disk for seconds. A passive checkpoint takes no write lock.
    """
    db.conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()


def checkpoint_all(db: sqlite_utils.Database, limit: float = 5.0) -> bool:
    """Passive checkpoints until the whole log is in the file (True), or ``limit`` seconds.

    One passive checkpoint stops at the oldest snapshot another connection still reads;
    what it leaves is copied by the commit that next takes the log past SQLite's
    threshold, which after a large import is someone's save (0.65 s at a million
    customers). Asking again once those readers have moved on takes no lock either."""
    if is_postgres(db):
        return True  # PostgreSQL's own checkpointer does this
    deadline = time.monotonic() + limit
    while True:
        _busy, logged, copied = db.conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        if logged < 0 or copied >= logged:
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.02)


class IndexUpkeep:
    """An app's background merging, on its own connection, until :meth:`stop`."""

    def __init__(
        self, open_db: Callable[[], sqlite_utils.Database], idle_pause: float = IDLE_PAUSE
    ) -> None:
        self._open = open_db
        self._idle_pause = idle_pause
        self._stopping = threading.Event()
        #: seconds each step held the write lock (kept for the benchmark; a few KB a day)
        self.held: list[float] = []
        self.errors: list[Exception] = []

    def stop(self) -> None:
        self._stopping.set()

    def run(self, on_error: Callable[[Exception], None] = lambda exc: None) -> None:
        """Merge what is due, then look again every ``idle_pause`` seconds."""
        db = self._open()
        # its commits leave the log to the explicit checkpoints in merge_pending, which
        # take no lock, instead of copying it back inside a step
        db.conn.execute("PRAGMA wal_autocheckpoint = 0")
        try:
            while not self._stopping.is_set():
                try:
                    merge_pending(db, stop=self._stopping.is_set, held=self.held)
                except sqlite3.Error as exc:  # locked past the timeout (a long import)
                    self.errors.append(exc)
                    on_error(exc)
                self._stopping.wait(self._idle_pause)
        finally:
            db.conn.close()
