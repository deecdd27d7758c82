"""Export benchmark (not a test): N rows x 15 columns to CSV and .xlsx, seconds and peak memory.

Each format runs in a subprocess of its own so that ``ru_maxrss`` is that export's peak;
``cpu s`` (user + system) is the honest figure on a busy machine, where wall time is not.
Rows come from a database: ``--db PATH``, else one made once in ``bench/data/`` with
``xoro_tui.data.seed.seeder.seed_database`` when it exists, else bulk-loaded here. With
``--synthetic`` they are generated in memory instead (the database read is then not
part of the time).

    python bench/export_bench.py [--rows 1000000] [--formats csv,xlsx] [--db PATH] [--synthetic]
    python bench/export_bench.py --synthetic --rows 50000 --formats docx,xls,pdf  # memory

Targets for 1,000,000 rows: CSV < 8 s, xlsx < 120 s, peak memory < 300 MB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
TARGETS = {"csv": 8.0, "xlsx": 120.0}
MEMORY_TARGET_MB = 300.0
COLUMNS = (
    "account_number", "name", "type_name", "email", "phone", "ship_to_postal_code",
    "ship_to_city", "ship_to_country", "sales_rep", "payment_terms", "customer_group",
    "tags", "is_active", "portal_status", "updated_at",
)  # fmt: skip
SYNTHETIC_KINDS = [
    "text", "text", "lookup", "text", "text", "text", "text", "text", "lookup",
    "lookup", "number", "money", "bool", "date", "date",
]  # fmt: skip
NAMES = ("Smith & Sons", "Zoë Ångström", "Ελληνική Εταιρεία", "日本語の会社", "=1+1 Ltd", "Müller")


def _pool() -> list[tuple[Any, ...]]:
    start = dt.date(2020, 1, 1)
    pool = []
    for i in range(997):
        day = start + dt.timedelta(days=i * 7 % 2000)
        pool.append(
            (
                f"C-{100000 + i}",
                f"{NAMES[i % len(NAMES)]} {i}",
                ("Retail", "Wholesale", "Online")[i % 3],
                f"customer{i}@example.com",
                f"+44 20 5555 {i % 10000:04d}",
                f"SW{i % 20} {i % 9}AB",
                ("London", "Paris", "Athens", "Tokyo")[i % 4],
                ("GB", "FR", "GR", "JP")[i % 4],
                ("Ann", "Bob", "Chloé")[i % 3],
                ("Net 30", "Net 60", "Due on receipt")[i % 3],
                i % 1000,
                f"{(i * 37) % 100000}.{i % 100:02d}",
                i % 5 != 0,
                day.isoformat(),
                f"{day.isoformat()}T10:{i % 60:02d}:00+00:00",
            )
        )
    return pool


def synthetic(rows: int) -> tuple[list[str], Iterator[tuple[Any, ...]], list[str]]:
    """Rows shaped like a customer list (text, lookups, a number, money, a flag, dates),
    cycled from a pool so that making them costs little next to writing them."""
    header = [f"Column {i + 1}" for i in range(len(SYNTHETIC_KINDS))]
    pool = _pool()

    def generate() -> Iterator[tuple[Any, ...]]:
        for i in range(rows):
            yield (f"C-{100000 + i}", *pool[i % 997][1:])

    return header, generate(), list(SYNTHETIC_KINDS)


def built_database(rows: int) -> Path:
    """A database of ``rows`` customers (default site, tags) bulk-loaded for the benchmark,
    when there is no seed module: the search index is left empty (nothing here searches)."""
    sys.path.insert(0, str(ROOT))
    from xoro_tui.data.store.opening import open_database

    path = DATA / f"export-bulk-{rows}.sqlite"
    if path.exists():
        return path
    DATA.mkdir(parents=True, exist_ok=True)
    print(f"building {rows:,} customers into {path} …", file=sys.stderr)
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    conn = open_database(partial, create=True).conn
    triggers = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'customers'"
    ).fetchall()
    for (name,) in triggers:
        conn.execute(f'DROP TRIGGER "{name}"')
    conn.execute("BEGIN")
    for table, names in (
        ("customer_types", ("Retail", "Wholesale", "Online")),
        ("sales_reps", ("Ann", "Bob", "Chloé")),
        ("payment_terms", ("Net 30", "Net 60", "Due on receipt")),
        ("customer_groups", ("A", "B")),
        ("tags", ("vip", "export", "new")),
    ):
        conn.executemany(f"INSERT INTO {table}(name) VALUES (?)", [(n,) for n in names])
    stamp = "2026-01-02T10:20:30+00:00"
    pool = _pool()
    for first in range(0, rows, 50_000):
        ids = range(first + 1, min(first + 50_000, rows) + 1)
        conn.executemany(
            "INSERT INTO customers(id, account_number, name, type_name, email, phone, sales_rep,"
            " payment_terms, customer_group, is_active, portal_status, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (i, f"C-{100000 + i}", f"{p[1]}-{i}", p[2], f"c{i}@example.com", p[4], p[8],
                 p[9], ("A", "B")[i % 2], int(p[12]), ("Active", None)[i % 2], stamp, stamp)
                for i in ids
                for p in (pool[i % 997],)
            ),
        )  # fmt: skip
        conn.executemany(
            "INSERT INTO sites(customer_id, name, line1, city, postal_code, country, is_default,"
            " created_at) VALUES (?, 'Default', ?, ?, ?, ?, 1, ?)",
            (
                (i, f"{i} High Street", p[6], p[5], p[7], stamp)
                for i in ids
                for p in (pool[i % 997],)
            ),
        )
        conn.executemany(
            "INSERT INTO customer_tags(customer_id, tag) VALUES (?, ?)",
            ((i, ("vip", "export", "new")[i % 3]) for i in ids),
        )
    conn.execute("COMMIT")
    conn.close()
    partial.rename(path)
    return path


def seeded_database(rows: int) -> Path | None:
    """``bench/data/export-N.sqlite`` made with ``xoro-tui seed``, or None when there is no
    seed module. In a subprocess: a worker forked from a big parent starts with its
    parent's peak RSS in ``ru_maxrss``."""
    try:
        import xoro_tui.data.seed.seeder  # noqa: F401
    except ImportError:
        return None
    path = DATA / f"export-{rows}.sqlite"
    if not path.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        print(f"seeding {rows:,} customers into {path} …", file=sys.stderr)
        subprocess.run(
            [sys.executable, "-m", "xoro_tui", "seed", "--db", str(path),
             "--customers", str(rows), "--refunds", "0"],
            check=True, cwd=ROOT,
        )  # fmt: skip
    return path


def worker(fmt: str, rows: int, db: str | None, out_dir: Path) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    from xoro_tui.documents.exports import MEMORY_LIMITS, export_rows

    MEMORY_LIMITS.clear()  # the benchmark measures where the limits should be
    started = time.monotonic()
    if db:
        from xoro_tui.data.customers.customer_list import customer_spec
        from xoro_tui.data.search.list_query import Filter
        from xoro_tui.data.store.opening import open_database
        from xoro_tui.documents.export_sources import list_export

        database = open_database(db)
        header, source, kinds = list_export(database, customer_spec(), Filter(), None, COLUMNS)

        def limited() -> Iterator[tuple[Any, ...]]:
            for n, row in enumerate(source):
                if n >= rows:
                    return
                yield row

        data: Iterator[tuple[Any, ...]] = limited()
    else:
        header, data, kinds = synthetic(rows)
    path = out_dir / f"bench.{fmt}"
    result = export_rows(header, data, kinds, path, fmt, title="Benchmark", total=None)
    seconds = time.monotonic() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "format": fmt,
        "rows": result.rows,
        "seconds": round(seconds, 2),
        "cpu": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_mb": round(usage.ru_maxrss / 1024, 1),
        "size_mb": round(path.stat().st_size / 1e6, 1),
        "source": "database" if db else "synthetic",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--formats", default="csv,xlsx")
    parser.add_argument("--db", help="a seeded database to export customers from")
    parser.add_argument("--synthetic", action="store_true", help="never use a database")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--out-dir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.rows, args.db, Path(args.out_dir))))
        return 0
    db = None
    if not args.synthetic:
        db = args.db or seeded_database(args.rows) or built_database(args.rows)
    print(f"{args.rows:,} rows x 15 columns, rows from {'database ' + str(db) if db else 'memory'}")
    print(
        f"{'format':<7}{'rows':>11}{'seconds':>10}{'cpu s':>8}{'peak MB':>10}{'file MB':>10}  target"
    )
    failed = False
    with tempfile.TemporaryDirectory(dir=DATA if DATA.is_dir() else None) as out_dir:
        for fmt in args.formats.split(","):
            command = [sys.executable, __file__, "--worker", fmt, "--rows", str(args.rows)]
            command += ["--out-dir", out_dir] + (["--db", str(db)] if db else [])
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                print(f"{fmt:<7} failed: {done.stderr.strip().splitlines()[-1:]}")
                failed = True
                continue
            r = json.loads(done.stdout.strip().splitlines()[-1])
            target = TARGETS.get(fmt)
            ok = r["peak_mb"] < MEMORY_TARGET_MB and (target is None or r["seconds"] < target)
            failed |= not ok
            goal = f"< {target:g} s, " if target else ""
            print(
                f"{fmt:<7}{r['rows']:>11,}{r['seconds']:>10.2f}{r['cpu']:>8.1f}{r['peak_mb']:>10.1f}"
                f"{r['size_mb']:>10.1f}  {goal}< {MEMORY_TARGET_MB:g} MB {'ok' if ok else 'MISSED'}"
            )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
