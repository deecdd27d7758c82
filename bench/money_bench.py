"""The Customer Centre's money columns at scale: sorting by Open Balance and the Advanced
Search ``Open Balance > 1000``, in the real app through a pseudo-terminal, and the SQL
beneath them (a window, a count, the totals line per currency).

    python -m bench.money_bench --db PATH [--runs N]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench.harness import Session

APP = [sys.executable, "-m", "xoro_tui"]
Row = tuple[str, list[float], str, str]
SORT_VIEW = "bench-money"
FILTER_VIEW = "bench-money-over-1000"
COLUMNS = ["account_number", "name", "open_balance", "unapplied", "last_activity", "sales_rep"]


def ensure_views(db_path: Path) -> tuple[int, int, int, str]:
    """Two saved views: the money columns, and the same with ``Open Balance > 1000``.
    Their places in the view chooser, the filter's count, and the first words the totals
    line shows for it."""
    from bench.harness import open_db
    from xoro_tui.data.customers.customer_list import customer_spec
    from xoro_tui.data.customers.customer_money import totals
    from xoro_tui.data.models.views import ConditionModel, View
    from xoro_tui.data.search.list_query import WindowQuery
    from xoro_tui.data.store.ui_settings import SettingsRepository
    from xoro_tui.screens.customers.money_cells import totals_parts

    db = open_db(db_path)
    repo = SettingsRepository(db)
    repo.save_view("customers", SORT_VIEW, View(columns=COLUMNS), make_active=False)
    over = View(columns=COLUMNS,
                conditions=[ConditionModel(field="open_balance", op="gt", value=1000.0)])  # fmt: skip
    repo.save_view("customers", FILTER_VIEW, over, make_active=False)
    spec = customer_spec()
    flt = over.to_filter(spec.fields)
    count = WindowQuery(db.conn, spec).count(flt)
    first_total = totals_parts(totals(db.conn, flt))[0][0]
    names = repo.views("customers")
    return names.index(SORT_VIEW), names.index(FILTER_VIEW), count, first_total


def shows(pattern: str) -> Callable[[str], bool]:
    needle = re.compile(pattern)
    return lambda screen: needle.search(screen) is not None


def choose_view(session: Session, index: int) -> float:
    session.send("V")
    session.settle(quiet=0.3)
    session.send("home", *["down"] * index)
    session.settle(quiet=0.3)
    start = time.monotonic()
    session.send("enter")
    return start


def app_rows(db: Path, total: int, runs: int) -> list[Row]:
    sort_index, filter_index, count, first_total = ensure_views(db)
    session = Session([*APP, "--db", str(db)], size=(120, 40))
    out: list[Row] = []
    everyone = shows(rf"(?<![\d,]){total:,} of {total:,} customers(?! \(counting)")
    try:
        session.wait_for(everyone, timeout=120)
        session.settle(quiet=1.0)
        choose_view(session, sort_index)
        session.wait_for(shows("Open Balance"), timeout=60)
        session.settle(quiet=1.0)
        session.send("right", "right")  # the column cursor onto Open Balance
        session.settle(quiet=0.5)
        ascending, descending = [], []
        for _ in range(runs):
            for arrow, into in (("▲", ascending), ("▼", descending)):
                start = time.monotonic()
                session.send("s")
                into.append(session.wait_for(shows(f"Open Balance {arrow}"), 60, since=start))
                session.settle(quiet=0.5, limit=10)
        out.append(("sort by Open Balance (currency, amount) to first screen", ascending, "s",
                    "< 150 ms"))  # fmt: skip
        out.append(("sort by Open Balance, descending, to first screen", descending, "s",
                    "< 150 ms"))  # fmt: skip
        session.send("x")
        session.settle(quiet=1.0)
        firsts, counts, sums = [], [], []
        first_screen = shows(rf"at least [\d,]+ of {total:,} customers \(counting\)"
                             rf"|(?<![\d,]){count:,} of {total:,}")  # fmt: skip
        counted = shows(rf"(?<![\d,]){count:,} of {total:,} customers(?! \(counting)")
        totals_shown = shows(re.escape(first_total))
        for _ in range(runs):
            start = choose_view(session, filter_index)
            firsts.append(session.wait_for(first_screen, timeout=60, since=start))
            counts.append(session.wait_for(counted, timeout=60, since=start))
            sums.append(session.wait_for(totals_shown, timeout=60, since=start))
            session.send("x")
            session.wait_for(everyone, timeout=60)
            session.settle(quiet=1.0)
        out.append((f"Open Balance > 1000 ({count:,}) to first screen", firsts, "s", "< 150 ms"))
        out.append(("Open Balance > 1000 to its count", counts, "s", "< 1 s"))
        out.append(("Open Balance > 1000 to its totals line", sums, "s", "< 1 s"))
    finally:
        session.close()
        from bench.harness import open_db
        from xoro_tui.data.store.ui_settings import SettingsRepository

        SettingsRepository(open_db(db)).put("customers", "active_view", None)
    return out


def sql_rows(db_path: Path, runs: int) -> list[Row]:
    """The queries beneath, on their own connection (what the count worker runs)."""
    from bench.harness import open_db
    from xoro_tui.data.customers import customer_money
    from xoro_tui.data.customers.customer_list import customer_spec
    from xoro_tui.data.search.list_query import Condition, Filter, WindowQuery

    db = open_db(db_path)
    spec = customer_spec()
    everyone = Filter()
    over = Filter(conditions=(Condition("open_balance", "gt", 1000.0),))
    total = WindowQuery(db.conn, spec).count(everyone)

    def timed(work: Callable[[WindowQuery], object]) -> list[float]:
        out = []
        for _ in range(runs):
            query = WindowQuery(db.conn, spec)  # no paging anchors from the run before
            start = time.perf_counter()
            work(query)
            out.append(time.perf_counter() - start)
        return out

    cols = COLUMNS
    middle = total // 2
    return [
        ("SQL: 60 rows sorted by Open Balance", timed(
            lambda q: q.window(everyone, ("open_balance", False), cols, 0, 60, total)), "s", "—"),
        ("SQL: 60 rows by Open Balance, descending", timed(
            lambda q: q.window(everyone, ("open_balance", True), cols, 0, 60, total)), "s", "—"),
        (f"SQL: 60 rows by Open Balance at row {middle:,}", timed(
            lambda q: q.window(everyone, ("open_balance", False), cols, middle, 60, total)),
         "s", "—"),
        ("SQL: 60 rows by Last Activity, newest first", timed(
            lambda q: q.window(everyone, ("last_activity", True), cols, 0, 60, total)), "s", "—"),
        ("SQL: count of Open Balance > 1000", timed(lambda q: q.count(over)), "s", "—"),
        ("SQL: Open Balance > 1000, 60 rows by name", timed(
            lambda q: q.window(over, ("name", False), cols, 0, 60, None)), "s", "—"),
        ("SQL: totals per currency, every customer", timed(
            lambda q: customer_money.totals(db.conn, everyone)), "s", "—"),
        ("SQL: totals per currency, Open Balance > 1000", timed(
            lambda q: customer_money.totals(db.conn, over)), "s", "—"),
        ("SQL: totals per currency, quick search 'smith'", timed(
            lambda q: customer_money.totals(db.conn, Filter(search="smith"))), "s", "—"),
    ]  # fmt: skip


def rows(db: Path, total: int, runs: int) -> list[Row]:
    return [*sql_rows(db, max(runs, 3)), *app_rows(db, total, runs)]


def main() -> int:
    from bench.__main__ import active_customers, fmt

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    for label, values, unit, target in rows(args.db, active_customers(args.db), args.runs):
        print(f"{label:<58} {fmt(values, unit):<30} {target}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
