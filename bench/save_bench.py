"""Single-customer saves on a million customers, and how long each held the write lock.

    python -m bench.save_bench DB [--saves 1000] [--import-rows 100000] [--no-upkeep]
                                  [--work COPY]

Works on a copy of ``DB`` (beside it or at ``COPY``, removed afterwards): 1,000 saves of
the customer form through :class:`CustomerRepository` on the database as seeded, then a
CSV import of 100,000 new customers, then 1,000 saves again. An app's background index
upkeep runs throughout on its own connection, as it does in every open app; its steps
are timed too (an idle look for work counts as a step). Each row notes the machine's
load, and after the import the pages left on the level saves add to are shown.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import sqlite_utils

from xoro_tui.data.customers.customer_repo import CustomerRepository
from xoro_tui.data.models.entities import CUSTOMER_REQUIRED_HEADERS, CustomerIn
from xoro_tui.data.store.connection import connect
from xoro_tui.data.store.errors import NotFound
from xoro_tui.data.store.opening import open_database
from xoro_tui.data.transfer.csv_format import write_csv
from xoro_tui.data.transfer.importer import import_customers

T = TypeVar("T")


class LockClock:
    """Times how long a connection holds the write lock: from the first statement after
    ``BEGIN IMMEDIATE`` (the lock is then held) until the timed call returns."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self._begun = False
        self.acquired: float | None = None
        db.conn.set_trace_callback(self._trace)

    def _trace(self, statement: str) -> None:
        if self._begun and self.acquired is None:
            self.acquired = time.perf_counter()
        if statement.startswith("BEGIN IMMEDIATE"):
            self._begun = True

    def time(self, call: Callable[[], T]) -> tuple[T, float, float]:
        """``call()``, its wall time and how long it held the lock (0 if it wrote nothing)."""
        self._begun, self.acquired = False, None
        start = time.perf_counter()
        result = call()
        end = time.perf_counter()
        return result, end - start, end - self.acquired if self.acquired else 0.0


@dataclass
class Figures:
    saves: list[float] = field(default_factory=list)
    holds: list[float] = field(default_factory=list)
    #: the machine's load when the saves were done
    load: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.saves)

    @property
    def p99(self) -> float:
        ordered = sorted(self.saves)
        return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]

    @property
    def worst(self) -> float:
        return max(self.saves)

    @property
    def longest_hold(self) -> float:
        return max(self.holds)

    def summary(self) -> str:
        if not self.saves:
            return "no saves"
        return (
            f"median {self.median * 1000:.1f} ms, p99 {self.p99 * 1000:.1f} ms, "
            f"worst {self.worst * 1000:.0f} ms (save {self.saves.index(self.worst) + 1}), "
            f"lock held at most {self.longest_hold * 1000:.0f} ms"
            + (f" ({self.load})" if self.load else "")
        )


def save_customers(db: sqlite_utils.Database, count: int, seed: int) -> Figures:
    """``count`` form saves of random active customers, each changing the name."""
    repo = CustomerRepository(db)
    clock = LockClock(db)
    highest = db.conn.execute("SELECT max(id) FROM customers").fetchone()[0]
    rng = random.Random(seed)
    figures = Figures()
    while len(figures.saves) < count:
        try:
            customer = repo.get(rng.randint(1, highest))
        except NotFound:  # purged after its days in Deleted customers: ids have gaps
            continue
        if customer.state != "active":
            continue
        fields = customer.model_dump(include=set(CustomerIn.model_fields))
        stem = customer.name.rsplit(" ~", 1)[0][:240]
        fields["name"] = f"{stem} ~{len(figures.saves)}"
        data = CustomerIn.model_validate(fields)
        _, wall, held = clock.time(lambda c=customer, d=data: repo.update(c.id, c.version, d))
        figures.saves.append(wall)
        figures.holds.append(held)
    db.conn.set_trace_callback(None)
    return figures


def write_import_file(db: sqlite_utils.Database, path: Path, rows: int) -> None:
    """``rows`` new customers (new account numbers, copied details) as an import file."""
    columns = list(CUSTOMER_REQUIRED_HEADERS)
    selects = {
        "tags": "''",
        "is_active": "''",
        "account_number": "'IMP-' || printf('%07d', c.id)",
        "name": "c.name || ' (imported)'",
        "sales_rep": "c.sales_rep",
        "payment_terms": "c.payment_terms",
        "customer_group": "c.customer_group",
        **{f"ship_to_{k}": f"s.{k}" for k in ("line1", "city", "state", "postal_code", "country")},
    }
    sql = ", ".join(selects.get(c, f"c.{c}") for c in columns)
    cursor = db.conn.execute(
        f"SELECT {sql} FROM customers c LEFT JOIN sites s ON s.customer_id = c.id "
        "AND s.is_default = 1 WHERE c.state = 'active' ORDER BY c.id LIMIT ?",
        (rows,),
    )
    write_csv(path, columns, cursor)


class Upkeep:
    """The background index upkeep an open app runs, in a thread of its own."""

    def __init__(self, path: Path) -> None:
        from xoro_tui.data.search import index_upkeep  # not in older versions (--no-upkeep)

        self.upkeep = index_upkeep.IndexUpkeep(lambda: connect(path), idle_pause=0.2)
        self._thread = threading.Thread(target=self.upkeep.run, daemon=True)

    @contextmanager
    def running(self) -> Iterator[Upkeep]:
        self._thread.start()
        try:
            yield self
        finally:
            self.upkeep.stop()
            self._thread.join()

    def summary(self) -> str:
        holds = self.upkeep.held
        if not holds:
            return "no merge steps"
        waits = (
            f"; {len(self.upkeep.errors)} waits for the lock gave up" if self.upkeep.errors else ""
        )
        return (
            f"{len(holds)} merge steps, lock held median {statistics.median(holds) * 1000:.1f} ms, "
            f"at most {max(holds) * 1000:.0f} ms{waits}"
        )


@dataclass
class SaveBench:
    fresh: Figures
    after_import: Figures
    import_seconds: float
    upkeep: str


def run(
    path: Path,
    saves: int = 1000,
    import_rows: int = 100_000,
    upkeep: bool = True,
    work: Path | None = None,
) -> SaveBench:
    """The whole measurement on a copy of ``path`` (at ``work``, beside it by default)."""
    work = work or path.with_name(f"{path.stem}-saves.sqlite")
    csv_path = work.with_name(f"{work.stem}-import.csv")
    _remove(work)
    shutil.copyfile(path, work)
    _sync(work)
    try:
        db = open_database(work)
        background = Upkeep(work) if upkeep else None
        with background.running() if background else _nothing():
            fresh = save_customers(db, saves, seed=1)
            fresh.load = load()
            print(f"saves on the seeded database: {fresh.summary()}", file=sys.stderr)
            write_import_file(db, csv_path, import_rows)
            started = time.perf_counter()
            report = import_customers(db, csv_path)
            import_seconds = time.perf_counter() - started
            if not report.ok:
                raise RuntimeError(f"the import failed: {report.format_errors()[:3]}")
            print(f"after the import: {newest_level(db)}", file=sys.stderr)
            after = save_customers(db, saves, seed=2)
            after.load = load()
        db.conn.close()
        return SaveBench(
            fresh, after, import_seconds, background.summary() if background else "off"
        )
    finally:
        _remove(work)
        csv_path.unlink(missing_ok=True)


def newest_level(db: sqlite_utils.Database) -> str:
    """Pages on each search index's level 0, the one single saves add to."""
    from xoro_tui.data.search import fts_structure, index_upkeep  # not in older versions

    shown = []
    for table in index_upkeep.SEARCH_TABLES:
        structure = fts_structure.read(db.conn, table)
        pages = structure.levels[0].pages if structure and structure.levels else 0
        shown.append(f"{table} {pages:,}")
    return "pages on the level saves add to: " + ", ".join(shown)


def load() -> str:
    """The machine's load (the figures vary with it)."""
    one, five, _ = os.getloadavg()
    return f"load {one:.1f}/{five:.1f}"


def _sync(path: Path) -> None:
    """Write the fresh copy out first: else the first checkpoint, in some save, syncs 2 GB
    of copied pages and times the disk rather than the save."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def _nothing() -> Iterator[None]:
    yield None


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("db", type=Path)
    parser.add_argument("--saves", type=int, default=1000)
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--no-upkeep", action="store_true")
    parser.add_argument("--work", type=Path, help="where the copy goes (beside DB by default)")
    args = parser.parse_args()
    result = run(args.db, args.saves, args.import_rows, upkeep=not args.no_upkeep, work=args.work)
    print(f"saves on the seeded database: {result.fresh.summary()}")
    print(f"import of {args.import_rows:,} customers: {result.import_seconds:.1f} s")
    print(f"saves after the import: {result.after_import.summary()}")
    print(f"background upkeep: {result.upkeep}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
