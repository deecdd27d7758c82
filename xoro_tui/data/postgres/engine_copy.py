"""Every table from one database to another, SQLite to PostgreSQL and back, checked.

What a table is (its columns, without the generated ones; its key) is read from the SQLite
side through sqlite-utils (schema_info.py): both sides have the same schema version, so
the SQLite schema describes the PostgreSQL one too. Rows stream from the source and are
written in one transaction on the target (``COPY`` on PostgreSQL), foreign keys checked at
the commit. Each table gets a row count and a checksum on both sides, compared at the end:
the checksum is order-free (the sum of each row's SHA-256), because the engines sort text
differently.

Tables SQLite's triggers keep (each customer's money) are written last and replace what
the triggers made meanwhile, so the target holds the source's rows exactly.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from xoro_tui.data.search.pg_search_doc import CHILD_TABLES, FILL
from xoro_tui.data.search.pg_search_doc import TABLE as SEARCH_TABLE
from xoro_tui.data.store.connection import is_postgres, write_tx
from xoro_tui.data.store.errors import Refused, StorageError

#: tables a new database holds rows in before any user works in it: what migrations and
#: ``init`` write (lookups, schema versions, the first admin and its audit row)
STARTER_TABLES = ("schema_migrations", "payment_method_types", "currencies", "users", "audit_log")
#: tables the money triggers fill from the others: copied last, replacing the triggers' rows
DERIVED_TABLES = ("customer_balances", "customer_money_totals", "customer_money")
#: tables whose rows fire those triggers: on PostgreSQL they are set aside during the copy
#: (the derived tables come from the source anyway), which makes a million rows minutes
#: quicker; the copy's transaction holds the tables, so no one writes meanwhile
TRIGGERING_TABLES = ("customers", "documents", "refunds", "customer_balances", *CHILD_TABLES)
BATCH = 2_000

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class TableSpec:
    name: str
    columns: tuple[str, ...]

    def select(self) -> str:
        cols = ", ".join(f'"{c}"' for c in self.columns)
        return f'SELECT {cols} FROM "{self.name}"'


@dataclass
class TableResult:
    name: str
    source_rows: int = 0
    target_rows: int = 0
    source_sum: str = ""
    target_sum: str = ""

    @property
    def agrees(self) -> bool:
        return self.source_rows == self.target_rows and self.source_sum == self.target_sum


def table_specs(sqlite_conn: sqlite3.Connection) -> list[TableSpec]:
    """Every application table of a SQLite database, parents before children, the derived
    ones last."""
    from xoro_tui.data.store.schema_info import schema_of, user_tables

    tables = [
        TableSpec(t.name, tuple(c.name for c in t.columns))
        for t in user_tables(schema_of(sqlite_conn))
    ]
    derived = [t for name in DERIVED_TABLES for t in tables if t.name == name]
    return [t for t in tables if t.name not in DERIVED_TABLES] + derived


def describing_schema(db: Any) -> tuple[list[TableSpec], Callable[[], None]]:
    """The table specs for ``db``: from its own file on SQLite, from a SQLite database
    migrated in memory on PostgreSQL. Returns them and a function that frees what it used."""
    if not is_postgres(db):
        return table_specs(db.conn), lambda: None
    from xoro_tui.data.store.connection import connect
    from xoro_tui.data.store.migrations import migrate

    memory = connect(":memory:")
    migrate(memory)
    return table_specs(memory.conn), memory.conn.close


# --- checksums ------------------------------------------------------------------------------


def _canonical(value: Any) -> bytes:
    if value is None:
        return b"\x00N"
    if isinstance(value, bool):
        return b"i%d" % int(value)
    if isinstance(value, int):
        return b"i%d" % value
    if isinstance(value, float):
        return b"i%d" % int(value) if value.is_integer() else b"f" + repr(value).encode()
    if isinstance(value, bytes | bytearray | memoryview):
        return b"b" + bytes(value).hex().encode()
    return b"s" + str(value).encode("utf-8", "surrogatepass")


def row_hash(row: tuple[Any, ...]) -> int:
    digest = hashlib.sha256(b"\x1f".join(_canonical(v) for v in row)).digest()
    return int.from_bytes(digest, "big")


class Checksum:
    """An order-free checksum: the sum of every row's SHA-256, modulo 2**256."""

    def __init__(self) -> None:
        self.total = 0
        self.rows = 0

    def add(self, row: tuple[Any, ...]) -> None:
        self.total = (self.total + row_hash(row)) % (1 << 256)
        self.rows += 1

    def hexdigest(self) -> str:
        return f"{self.total:064x}"[:16]


# --- reading -------------------------------------------------------------------------------


def count_rows(db: Any, table: str) -> int:
    return int(db.conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])


def stream(db: Any, spec: TableSpec) -> Iterator[tuple[Any, ...]]:
    """Every row of a table, in batches, without holding the table in memory."""
    if is_postgres(db):
        raw = db.conn.raw
        with raw.transaction(), raw.cursor(name=f"copy_{spec.name}") as cursor:
            cursor.itersize = BATCH
            cursor.execute(spec.select())
            yield from cursor
        return
    cursor = db.conn.execute(spec.select())
    while batch := cursor.fetchmany(BATCH):
        yield from batch


def checksum(db: Any, spec: TableSpec) -> Checksum:
    summed = Checksum()
    for row in stream(db, spec):
        summed.add(tuple(row))
    return summed


# --- the target ----------------------------------------------------------------------------


def non_empty_tables(db: Any, specs: list[TableSpec]) -> list[str]:
    """Tables of ``db`` holding more than a new database does (see STARTER_TABLES)."""
    busy = [s.name for s in specs if s.name not in STARTER_TABLES and count_rows(db, s.name)]
    if count_rows(db, "users") > 1:
        busy.append("users")
    # SQLite's audit log cannot be emptied (its triggers): a target file must have none
    kept = "" if is_postgres(db) else " OR 1 = 1"
    others = db.conn.execute(f"SELECT count(*) FROM audit_log WHERE table_name != 'users'{kept}")
    if others.fetchone()[0]:
        busy.append("audit_log")
    return busy


def _write_pg(conn: Any, spec: TableSpec, rows: Iterator[tuple[Any, ...]], tick: Callable[[], None]) -> None:  # fmt: skip
    cols = ", ".join(f'"{c}"' for c in spec.columns)
    with (
        conn.raw.cursor() as cursor,
        cursor.copy(f'COPY "{spec.name}" ({cols}) FROM STDIN') as copy,
    ):
        for row in rows:
            copy.write_row(row)
            tick()


def _write_sqlite(conn: Any, spec: TableSpec, rows: Iterator[tuple[Any, ...]], tick: Callable[[], None]) -> None:  # fmt: skip
    cols = ", ".join(f'"{c}"' for c in spec.columns)
    marks = ", ".join("?" for _ in spec.columns)
    sql = f'INSERT INTO "{spec.name}" ({cols}) VALUES ({marks})'
    batch: list[tuple[Any, ...]] = []
    for row in rows:
        batch.append(tuple(row))
        tick()
        if len(batch) >= BATCH:
            conn.executemany(sql, batch)
            batch.clear()
    if batch:
        conn.executemany(sql, batch)


def _clear(conn: Any, table: str, postgres: bool) -> None:
    """Empty a target table in the copy's transaction (its starter rows, or the rows a
    trigger made); on PostgreSQL the audit log's guard is lifted for it, as its owner."""
    if postgres and table == "audit_log":
        conn.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_delete")
        conn.execute("DELETE FROM audit_log")
        conn.execute("ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_delete")
        return
    if count_rows_conn(conn, table):
        conn.execute(f'DELETE FROM "{table}"')


def _drop_plain_indexes(conn: Any) -> list[tuple[str, str]]:
    """Drop the indexes no constraint needs (the trigram and sort indexes), returning what
    makes them again, with each one's table: PostgreSQL builds an index once, after the
    load, many times quicker than it keeps one up to date row by row (a million customers'
    trigram indexes: minutes). Keys and unique constraints stay, so the copy is checked as
    it goes."""
    rows = conn.raw.execute(
        "SELECT i.relname, t.relname, pg_get_indexdef(i.oid) FROM pg_index x"
        " JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid"
        " JOIN pg_namespace n ON n.oid = t.relnamespace"
        " WHERE n.nspname = current_schema()"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)"
    ).fetchall()
    for name, _, _ in rows:
        conn.raw.execute(f'DROP INDEX "{name}"')
    return [(table, definition) for _, table, definition in rows]


def _derived_triggers(conn: Any, switch: str) -> None:
    """Set aside (``DISABLE``) or restore (``ENABLE``) the triggers keeping derived rows
    (the money summary, Any Field's search text), as the owner."""
    for table in TRIGGERING_TABLES:
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?"
            " AND (name LIKE 'customer_money_%' OR name LIKE 'customer_search_%')",
            (table,),
        ).fetchall():
            conn.execute(f'ALTER TABLE "{table}" {switch} TRIGGER "{name}"')


def _finish_pg(conn: Any, rebuilt: list[tuple[str, str]], specs: list[TableSpec]) -> None:
    """After the load on PostgreSQL: what was set aside for it, back in the same transaction."""
    # the foreign keys are checked now (every table is in), so that no check is pending on
    # a table whose indexes are built or triggers restored
    conn.execute("SET CONSTRAINTS ALL IMMEDIATE")
    # Any Field's search text, every customer at once, reads each customer's sites, tags,
    # references and brands through their indexes (without them: a scan of each table per
    # customer, which at a million customers never ends); its own index is built after it
    for table, statement in rebuilt:
        if table != SEARCH_TABLE:
            conn.raw.execute(statement)
    conn.raw.execute(FILL)
    for table, statement in rebuilt:
        if table == SEARCH_TABLE:
            conn.raw.execute(statement)
    _derived_triggers(conn, "ENABLE")
    _reset_identities(conn, specs)


def count_rows_conn(conn: Any, table: str) -> int:
    return int(conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])


def _reset_identities(conn: Any, specs: list[TableSpec]) -> None:
    """After rows with their ids, PostgreSQL's id sequences continue above the highest."""
    for spec in specs:
        if "id" not in spec.columns:
            continue
        conn.execute(
            "SELECT setval(pg_get_serial_sequence(?, 'id'), coalesce(max(id), 0) + 1, false) "
            f"FROM \"{spec.name}\" WHERE pg_get_serial_sequence(?, 'id') IS NOT NULL",
            (spec.name, spec.name),
        )


def copy_database(source: Any, target: Any, *, progress: Progress | None = None) -> list[TableResult]:  # fmt: skip
    """Copy every table of ``source`` into ``target`` (which must be new: refused
    otherwise), in one transaction on the target; the counts and checksums of both sides."""
    specs, free = describing_schema(source if not is_postgres(source) else target)
    try:
        return _copy(source, target, specs, progress)
    finally:
        free()


def _copy(source: Any, target: Any, specs: list[TableSpec], progress: Progress | None) -> list[TableResult]:  # fmt: skip
    busy = non_empty_tables(target, specs)
    if busy:
        raise Refused(
            "the target is not empty (rows in " + ", ".join(busy[:5])
            + (", …" if len(busy) > 5 else "") + "); copy only fills a new database"
        )  # fmt: skip
    postgres = is_postgres(target)
    results = [TableResult(s.name, source_rows=count_rows(source, s.name)) for s in specs]
    total = sum(r.source_rows for r in results)
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress is not None and done % 500 == 0:
            progress("copying", done, total)

    with write_tx(target) as conn:
        conn.execute(
            "SET CONSTRAINTS ALL DEFERRED" if postgres else "PRAGMA defer_foreign_keys = ON"
        )
        for spec in specs:
            _clear(conn, spec.name, postgres)
        if postgres:
            _derived_triggers(conn, "DISABLE")
            rebuilt = _drop_plain_indexes(conn)
        for spec, result in zip(specs, results, strict=True):
            if spec.name in DERIVED_TABLES:
                _clear(conn, spec.name, postgres)
            summed = Checksum()

            def counted(spec: TableSpec = spec, summed: Checksum = summed) -> Iterator[tuple[Any, ...]]:  # fmt: skip
                for row in stream(source, spec):
                    summed.add(tuple(row))
                    yield row

            (_write_pg if postgres else _write_sqlite)(conn, spec, counted(), tick)
            result.source_sum = summed.hexdigest()
            result.source_rows = summed.rows
        if postgres:
            _finish_pg(conn, rebuilt, specs)
    if progress is not None:
        progress("copying", total, total)
    for spec, result in zip(specs, results, strict=True):
        summed = checksum(target, spec)
        result.target_rows, result.target_sum = summed.rows, summed.hexdigest()
        if progress is not None:
            progress("checking", results.index(result) + 1, len(results))
    return results


__all__ = ["StorageError", "TableResult", "copy_database"]
