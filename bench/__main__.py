"""`make bench`: the real app in a pseudo-terminal on 1,000,000 customers and 1,000,000
refunds, beside VisiData on a CSV of the same customers. A benchmark, not a test: it prints
a table of every target with median, min and max over several runs.

    python -m bench [--customers N] [--refunds N] [--runs N] [--quick]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench.harness import ROOT, Session, open_db

DATA = ROOT / "bench" / "data"
APP = [sys.executable, "-m", "xoro_tui"]
Row = tuple[str, list[float], str, str]


def ensure_database(customers: int, refunds: int) -> Path:
    path = DATA / f"bench-{customers}-{refunds}.sqlite"
    if not path.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        print(f"seeding {path.name} …", file=sys.stderr)
        subprocess.run(
            [*APP, "seed", "--db", str(path), "--customers", str(customers),
             "--refunds", str(refunds), "--seed", "7"],
            check=True,
        )  # fmt: skip
    return path


def active_customers(db_path: Path) -> int:
    """What the Centre's status line counts (the seed also makes a few deleted customers)."""
    from bench.harness import open_db

    db = open_db(db_path)
    return int(
        db.conn.execute("SELECT count(*) FROM customers WHERE state = 'active'").fetchone()[0]
    )


def common_first_word(db_path: Path) -> tuple[str, int]:
    """The most frequent first word of customer names, and how many names match it."""
    from bench.harness import open_db
    from xoro_tui.data.customers.customer_list import customer_spec
    from xoro_tui.data.search.list_query import Filter, WindowQuery

    db = open_db(db_path)
    rows = db.conn.execute(
        "SELECT substr(name, 1, instr(name || ' ', ' ') - 1) AS w, count(*) FROM "
        "(SELECT name FROM customers LIMIT 200000) GROUP BY w ORDER BY 2 DESC LIMIT 1"
    ).fetchone()
    word = rows[0]
    count = WindowQuery(db.conn, customer_spec()).count(Filter(search=word))
    return word, count


def common_term_count(db: Path | str, word: str) -> int:
    """How many customers the quick search for ``word`` finds."""
    from xoro_tui.data.customers.customer_list import customer_spec
    from xoro_tui.data.search.list_query import Filter, WindowQuery

    return WindowQuery(open_db(db).conn, customer_spec()).count(Filter(search=word))


def status_shows(count: int, total: int, noun: str = "customers") -> Callable[[str], bool]:
    """The status line reads ``count of total`` (``0 of`` is not the end of ``1,740 of``)."""
    needle = re.compile(rf"(?<![\d,]){count:,} of {total:,} {noun}")
    return lambda screen: needle.search(screen) is not None


def start_app(db: Path, *, low: bool = False, size: tuple[int, int] = (120, 40)) -> Session:
    args = [*APP, "--db", str(db)]
    if low:
        args.append("--low-bandwidth")
    return Session(args, size=size)


def measure_start(
    db: Path, total: int, runs: int, low: bool = False
) -> tuple[list[float], list[float]]:
    times, first_bytes = [], []
    for _ in range(runs):
        session = start_app(db, low=low)
        try:
            shown = status_shows(total, total)
            times.append(session.wait_for(shown, timeout=60, since=session.started))
            session.settle(quiet=1.0)
            first_bytes.append(float(session.size()))
        finally:
            session.close()
    return times, first_bytes


def measure_search(session: Session, term: str, expect: int, total: int, runs: int) -> list[float]:
    """Type all but the last character, then time the last key to the narrowed count."""
    times = []
    for _ in range(runs):
        session.send("x")
        session.wait_for(status_shows(total, total), timeout=30)
        session.send("/")
        session.settle(quiet=0.3)
        for ch in term[:-1]:
            session.send(ch)
        session.settle(quiet=0.6)
        start = time.monotonic()
        session.send(term[-1])
        times.append(session.wait_for(status_shows(expect, total), timeout=30, since=start))
        session.send("escape")
        session.settle(quiet=0.3)
    session.send("x")
    session.wait_for(status_shows(total, total), timeout=30)
    return times


def measure_sort(session: Session, runs: int) -> list[float]:
    """``s`` on a column: time until the header shows the new sort arrow and rows repaint."""
    times = []
    session.send("right", "right")
    session.settle(quiet=0.4)

    def header(screen: str) -> str:
        return next((line for line in screen.splitlines() if "Account #" in line), "")

    for _ in range(runs):
        before = header(session.text())
        start = time.monotonic()
        session.send("s")
        changed = lambda s, b=before: header(s) != b  # noqa: E731
        times.append(session.wait_for(changed, timeout=30, since=start))
        session.settle(quiet=0.3, limit=5)
    return times


CONDITIONS_VIEW = "bench-conditions"


def ensure_conditions_view(db_path: Path) -> tuple[int, int]:
    """A saved view of two conditions (Type Name is Retail, Customer Name starts with B):
    where it stands in the view chooser, and how many customers it shows."""
    from bench.harness import open_db
    from xoro_tui.data.customers.customer_list import DEFAULT_COLUMNS, customer_spec
    from xoro_tui.data.models.views import ConditionModel, View
    from xoro_tui.data.search.list_query import WindowQuery
    from xoro_tui.data.store.ui_settings import SettingsRepository

    db = open_db(db_path)
    repo = SettingsRepository(db)
    view = View(
        columns=list(DEFAULT_COLUMNS),
        conditions=[
            ConditionModel(field="type_name", op="eq", value="Retail"),
            ConditionModel(field="name", op="starts", value="B"),
        ],
    )
    repo.save_view("customers", CONDITIONS_VIEW, view, make_active=False)
    spec = customer_spec()
    count = WindowQuery(db.conn, spec).count(view.to_filter(spec.fields))
    return repo.views("customers").index(CONDITIONS_VIEW), count


def forget_active_view(db_path: Path) -> None:
    """Choosing a view makes it open next time: the next start must see the whole list."""
    from bench.harness import open_db
    from xoro_tui.data.store.ui_settings import SettingsRepository

    SettingsRepository(open_db(db_path)).put("customers", "active_view", None)


def measure_conditions(
    session: Session, index: int, count: int, total: int, runs: int
) -> tuple[list[float], list[float]]:
    """Choose the two-condition view: seconds to its first screen of rows, and to its count."""
    first_screen = re.compile(
        rf"at least [\d,]+ of {total:,} customers \(counting\)|(?<![\d,]){count:,} of {total:,}"
    )
    counted = status_shows(count, total)
    firsts, counts = [], []
    for _ in range(runs):
        session.send("V")
        session.settle(quiet=0.3)
        session.send("home", *["down"] * index)
        session.settle(quiet=0.3)
        start = time.monotonic()
        session.send("enter")
        firsts.append(
            session.wait_for(lambda s: first_screen.search(s) is not None, timeout=30, since=start)
        )
        counts.append(session.wait_for(counted, timeout=30, since=start))
        session.send("x")
        session.wait_for(status_shows(total, total), timeout=30)
        session.settle(quiet=0.3)
    return firsts, counts


def visidata_figures(csv_path: Path, rows: int, runs: int) -> dict[str, list[float]]:
    vd = shutil.which("vd") or str(Path(sys.executable).with_name("vd"))
    if not Path(vd).exists():
        return {}
    out: dict[str, list[float]] = {"first": [], "bytes_first": [], "down": [], "pagedown": []}
    for _ in range(runs):
        session = Session([vd, str(csv_path)], size=(120, 40))
        try:
            out["first"].append(
                session.wait_for(lambda s: "C-" in s, timeout=120, since=session.started)
            )
            session.settle(quiet=0.3, limit=1.0)  # the rest of that first screen
            out["bytes_first"].append(float(session.size()))
            # it loads on in the background, repainting its progress: keys are measured
            # once it has loaded (its status counts every row), when they write alone
            session.wait_for(lambda s: f"{rows} rows" in s, timeout=300)
            session.settle(quiet=1.0, limit=60)
            out["down"].append(statistics.median(session.bytes_for("down") for _ in range(3)))
            out["pagedown"].append(
                statistics.median(session.bytes_for("pagedown") for _ in range(3))
            )
        finally:
            session.send("q", "q")
            time.sleep(0.3)
            if session.proc.isalive():
                session.proc.terminate(force=True)
    return out


#: the 15 columns of the export target: the Centre's own and five ship-to fields
EXPORT_VIEW = "bench-15"
EXPORT_COLUMNS = [
    "account_number", "name", "type_name", "email", "phone", "ship_to_postal_code",
    "ship_to_city", "ship_to_state", "ship_to_country", "ship_to_line1", "bill_to_line1",
    "bill_to_city", "sales_rep", "payment_terms", "is_active",
]  # fmt: skip


def ensure_export_view(db_path: Path) -> None:
    """A saved view of 15 columns sorted by name, for this user (the export command's)."""
    from bench.harness import open_db
    from xoro_tui.data.models.views import View
    from xoro_tui.data.store.ui_settings import SettingsRepository

    view = View(columns=EXPORT_COLUMNS, sort=("name", False))
    SettingsRepository(open_db(db_path)).save_view(
        "customers", EXPORT_VIEW, view, make_active=False
    )


def export_figures(db: Path, fmt: str, view: str | None = EXPORT_VIEW) -> tuple[float, float]:
    """Seconds and peak MB of ``xoro-tui export customers`` (the view's 15 columns, or
    every field of the import's header when ``view`` is None)."""
    out = DATA / f"export.{fmt}"
    out.unlink(missing_ok=True)
    command = [*APP, "export", "customers", "--format", fmt, "--out", str(out), "--db", str(db)]
    if view:
        command += ["--view", view]
    code = (
        "import resource, subprocess, sys, time; t = time.monotonic(); "
        f"r = subprocess.run({command!r}); "
        "print(time.monotonic() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    seconds, peak = result.stdout.split()[-2:]
    return float(seconds), float(peak)


def save_rows(db: Path) -> list[Row]:
    """1,000 single-customer saves as seeded and again after a 100,000-row import, with
    an app's background index upkeep running (on a copy of the database); the machine's
    load beside the median, as the figures vary with it."""
    from bench.save_bench import run

    result = run(db)
    rows: list[Row] = []
    for when, figures in (
        ("seeded", result.fresh),
        ("after a 100,000-row import", result.after_import),
    ):
        rows += [
            (f"1,000 saves ({when}): median", [figures.median], "s", f"— ({figures.load})"),
            (f"1,000 saves ({when}): p99", [figures.p99], "s", "< 50 ms"),
            (f"1,000 saves ({when}): worst", [figures.worst], "s", "< 250 ms"),
            (f"1,000 saves ({when}): write lock held", [figures.longest_hold], "s", "< 100 ms"),
        ]
    rows.append(
        ("the 100,000-row import", [result.import_seconds], "s", f"upkeep: {result.upkeep}")
    )
    return rows


def fmt(values: list[float], unit: str) -> str:
    if not values:
        return "n/a"
    scale, suffix = (1000, " ms") if unit == "s" else (1, "")
    med, lo, hi = statistics.median(values), min(values), max(values)
    if unit == "s":
        return f"{med * scale:,.0f}{suffix} ({lo * scale:,.0f}–{hi * scale:,.0f})"
    return f"{med:,.0f}{suffix} ({lo:,.0f}–{hi:,.0f})"


def measure(db: Path | str, args: argparse.Namespace, word: str) -> list[Row]:
    """Every row of the table for one database (a SQLite file or a PostgreSQL URL)."""
    postgres = str(db).startswith("postgres")
    total = active_customers(db)
    word_count = common_term_count(db, word)
    view_index, view_count = ensure_conditions_view(db)
    rows: list[Row] = []
    start_times, first_bytes = measure_start(db, total, args.runs)
    rows.append(("start to first paint with count", start_times, "s", "< 700 ms"))
    rows.append(("bytes of the first screen", first_bytes, "B", "< 24,000"))
    _, first_low = measure_start(db, total, args.runs, low=True)
    rows.append(("bytes of the first screen (low bandwidth)", first_low, "B", "< 12,000"))

    session = start_app(db)
    try:
        session.wait_for(status_shows(total, total), timeout=60)
        session.settle(quiet=1.0)
        # the last key takes the list from the common term's matches to none
        no_match = f"{word.lower()}q"
        rows.append(
            (
                f"quick search, no match ({no_match})",
                measure_search(session, no_match, 0, total, args.runs),
                "s",
                "< 50 ms",
            )
        )
        rows.append((f"quick search, common term ({word}, {word_count:,})",
                     measure_search(session, word.lower(), word_count, total, args.runs), "s", "< 50 ms"))  # fmt: skip
        firsts, counts = measure_conditions(session, view_index, view_count, total, args.runs)
        rows.append(("advanced filter (two conditions) to first screen", firsts, "s", "< 150 ms"))
        rows.append(("advanced filter (two conditions) to its count", counts, "s", "< 1 s"))
        rows.append(
            ("sort change to first screen", measure_sort(session, args.runs), "s", "< 150 ms")
        )
        session.send("home")
        downs = [float(session.bytes_for("down")) for _ in range(args.runs * 3)]
        rows.append(("bytes per cursor move", downs, "B", "< 400"))
        pages = [float(session.bytes_for("pagedown")) for _ in range(args.runs)]
        rows.append(("bytes per PageDown", pages, "B", "< 5,500"))
        opens, closes = [], []
        for _ in range(args.runs):
            opens.append(float(session.bytes_for("m")))
            closes.append(float(session.bytes_for("escape", quiet=0.6)))
        rows.append(("bytes to open the row menu", opens, "B", "< 3,000"))
        rows.append(("bytes to close the row menu", closes, "B", "< 3,000"))
        session.settle(quiet=1.0)
        before = session.size()
        time.sleep(10)
        rows.append(("bytes idle 10 s (table focused)", [float(session.size() - before)], "B", "0"))
        session.send("/")
        session.settle(quiet=1.0)
        before = session.size()
        time.sleep(10)
        rows.append(
            ("bytes idle 10 s (search focused)", [float(session.size() - before)], "B", "0")
        )
        session.send("escape")
        rows.append(
            ("resident memory after scrolling and searching", [session.rss_mb()], "MB", "< 150 MB")
        )
    finally:
        session.close()
        forget_active_view(db)

    low = start_app(db, low=True)
    try:
        low.wait_for(status_shows(total, total), timeout=60)
        low.settle(quiet=1.0)
        pages = [float(low.bytes_for("pagedown")) for _ in range(args.runs)]
        rows.append(("bytes per PageDown (low bandwidth)", pages, "B", "< 4,900"))
        before = low.size()
        time.sleep(10)
        rows.append(("bytes idle 10 s (low bandwidth)", [float(low.size() - before)], "B", "0"))
    finally:
        low.close()

    small = start_app(db, size=(80, 24))
    try:
        small.wait_for(status_shows(total, total), timeout=60)
        small.settle(quiet=1.0)
        rows.append(("80x24: bytes of the first screen", [float(small.size())], "B", "—"))
        rows.append(("80x24: bytes per cursor move", [float(small.bytes_for("down"))], "B", "—"))
    finally:
        small.close()

    # moving the focus, a search typed at 20 and 150 ms, one typed in a burst on a slow link
    from bench.focus_bench import rows as focus_rows

    rows.extend(focus_rows(db, word.lower()[:5], args.runs))
    # the money columns: sort and filter on Open Balance, the totals line
    from bench.money_bench import rows as money_rows

    rows.extend(money_rows(db, total, args.runs))
    if not args.skip_saves and not postgres:  # it times saves on a copy of the SQLite file
        rows.extend(save_rows(db))

    if not args.skip_export:
        ensure_export_view(db)
        plans = (
            ("csv", EXPORT_VIEW, args.runs, "< 8 s, < 300 MB"),
            ("xlsx", EXPORT_VIEW, 1, "< 120 s, < 300 MB"),
            ("csv", None, 1, "—"),
        )
        for fmt_name, view, runs, target in plans:
            what = f"{len(EXPORT_COLUMNS)} columns" if view else "all 34 fields"
            try:
                figures = [export_figures(db, fmt_name, view) for _ in range(runs)]
                peak = max(p for _, p in figures)
                rows.append((f"export {total:,} customers x {what} to {fmt_name} (s)",
                             [s for s, _ in figures], "s", f"{target}; peak {peak:,.0f} MB"))  # fmt: skip
            except Exception as exc:  # noqa: BLE001 - a benchmark reports, it does not stop
                rows.append((f"export {what} to {fmt_name}", [], "x", f"failed: {exc}"))

    return rows


def print_table(rows: list[Row], pg_rows: list[Row] | None) -> None:
    """The table; with ``--engine postgres``, PostgreSQL's figures beside SQLite's."""
    print()
    if pg_rows is None:
        print(f"{'what':<58} {'xoro-tui median (min–max)':<30} target")
    else:
        print(f"{'what':<58} {'SQLite median (min–max)':<28} {'PostgreSQL':<28} target")
    theirs = {label: (values, unit) for label, values, unit, _ in pg_rows or []}
    for label, values, unit, target in rows:
        shown = f"{values[0]:,.1f} s" if unit == "x" and values else fmt(values, unit)
        if pg_rows is None:
            print(f"{label:<58} {shown:<30} {target}")
            continue
        other = theirs.get(label)
        pg_shown = "—" if other is None else fmt(*other)
        print(f"{label:<58} {shown:<28} {pg_shown:<28} {target}")


def main() -> int:
    parser = argparse.ArgumentParser(description="xoro-tui benchmark")
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--refunds", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--engine", choices=("sqlite", "postgres"), default="sqlite",
                        help="postgres: the same table on PostgreSQL, beside SQLite's")  # fmt: skip
    parser.add_argument("--skip-visidata", action="store_true")
    parser.add_argument("--skip-export", action="store_true")
    parser.add_argument("--skip-saves", action="store_true")
    args = parser.parse_args()

    db = ensure_database(args.customers, args.refunds)
    total = active_customers(db)
    word, _ = common_first_word(db)
    rows = measure(db, args, word)
    start_times = next(v for label, v, _, _ in rows if label == "start to first paint with count")
    first_bytes = next(v for label, v, _, _ in rows if label == "bytes of the first screen")
    pg_rows: list[Row] | None = None
    if args.engine == "postgres":
        from bench.pg_bench import postgres_target

        with postgres_target(db) as target:
            pg_rows = measure(target.url, args, word)
        copied = [target.copy_seconds] if target.copy_seconds is not None else []
        rows.append((f"copy {args.customers:,} customers + {args.refunds:,} refunds "
                     "SQLite → PostgreSQL", copied, "s", "(made once; —: copied before)"))  # fmt: skip

    vd_rows: dict[str, list[float]] = {}
    if not args.skip_visidata:
        csv_path = DATA / "export.csv"
        if not csv_path.exists():
            export_figures(db, "csv", None)
        vd_rows = visidata_figures(csv_path, total, max(1, args.runs - 1))

    print_table(rows, pg_rows)
    if vd_rows:
        print()
        print("VisiData on a CSV of the same customers (ratio = xoro-tui / VisiData):")
        ours = {
            "first": start_times,
            "bytes_first": first_bytes,
            "down": next(v for label, v, _, _ in rows if label == "bytes per cursor move"),
            "pagedown": next(v for label, v, _, _ in rows if label == "bytes per PageDown"),
        }
        labels = {"first": "first rows on screen (s)", "bytes_first": "bytes of the first screen",
                  "down": "bytes per cursor move", "pagedown": "bytes per PageDown"}  # fmt: skip
        for key, values in vd_rows.items():
            if not values:
                continue
            theirs = statistics.median(values)
            mine = statistics.median(ours[key])
            ratio = mine / theirs if theirs else float("nan")
            print(
                f"  {labels[key]:<30} VisiData {theirs:,.2f}   xoro-tui {mine:,.2f}   ratio {ratio:.2f}"
            )
    figures = {r[0]: r[1] for r in rows}
    if pg_rows is not None:
        figures.update({f"PostgreSQL: {r[0]}": r[1] for r in pg_rows})
    (DATA / "last-bench.json").write_text(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
