"""The Refund Centre's quick search at scale: the count and first window of a search read
in the data layer, and the last key typed to the narrowed count on the screen.

    python -m bench.refund_search_bench --db PATH [--term WORD ...] [--field any] [--runs 3]

A benchmark, not a test: it prints figures. The default terms are a common customer word,
a rare refund reference, a memo word and a user name; the screen rows type them into the
Refund Centre's search box (Any Field) as ``bench.__main__`` does on the Customer Centre.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench.harness import Session

APP = [sys.executable, "-m", "xoro_tui"]
#: a common term, a rare one, a memo word, a creator's login, a two-letter search
TERMS = ("smith", "rma-480929", "goodwill", "jsmith", "zz")
Row = tuple[str, list[float], str, str]


def data_rows(db: Path, terms: tuple[str, ...], field: str, runs: int) -> list[Row]:
    """Per term: the count, then the first 40 rows as the Centre reads them after it."""
    from bench.harness import open_db
    from xoro_tui.data.refunds.refund_list import refund_spec
    from xoro_tui.data.search.list_query import Filter, WindowQuery

    conn = open_db(db).conn
    out: list[Row] = []
    for term in terms:
        flt = Filter(search=term, search_field=field)
        counts, windows, total = [], [], 0
        for _ in range(runs):
            query = WindowQuery(conn, refund_spec())
            start = time.perf_counter()
            total = query.count(flt)
            counts.append(time.perf_counter() - start)
            start = time.perf_counter()
            query.window(flt, None, ["refund_number", "customer", "memo"], 0, 40, total)
            windows.append(time.perf_counter() - start)
        out.append((f"count '{term}' ({field}: {total:,})", counts, "s", "—"))
        out.append((f"first window '{term}'", windows, "s", "—"))
    conn.close()
    return out


def shows(count: int | None, total: int) -> Callable[[str], bool]:
    """``count of total refunds``, not while still counting (any count when None)."""
    shown = r"[\d,]+" if count is None else f"{count:,}"
    needle = re.compile(rf"(?<![\d,]){shown} of {total:,} refunds(?! \(counting\))")
    return lambda screen: needle.search(screen) is not None and "counting" not in screen


def screen_rows(db: Path, terms: tuple[str, ...], runs: int) -> list[Row]:
    """Type all but the last letter, then time the last key to the narrowed count."""
    from bench.harness import open_db
    from xoro_tui.data.refunds.refund_list import refund_spec
    from xoro_tui.data.search.list_query import Filter, WindowQuery

    conn = open_db(db).conn
    query = WindowQuery(conn, refund_spec())
    total = query.count(Filter())
    expected = {term: query.count(Filter(search=term)) for term in terms}
    conn.close()
    session = Session([*APP, "--db", str(db)], size=(120, 40))
    out: list[Row] = []
    try:
        session.wait_for(lambda s: " customers" in s, timeout=120)
        session.settle(quiet=1.0)
        session.send("R")
        session.wait_for(shows(total, total), timeout=60)
        session.settle(quiet=1.0)
        for term in terms:
            times = []
            for _ in range(runs):
                session.send("/")
                session.settle(quiet=0.3)
                for ch in term[:-1]:
                    session.send(ch)
                session.settle(quiet=0.8)
                start = time.monotonic()
                session.send(term[-1])
                times.append(session.wait_for(shows(expected[term], total), 60, since=start))
                session.send("escape")
                session.settle(quiet=0.3)
                session.send("x")
                session.wait_for(shows(total, total), timeout=60)
                session.settle(quiet=0.3)
            out.append((f"screen: last key of '{term}' to {expected[term]:,}", times, "s", "—"))
    finally:
        session.close()
    return out


def fmt(values: list[float], unit: str) -> str:
    if not values:
        return "—"
    if unit == "s":
        return f"median {statistics.median(values) * 1000:,.1f} ms (max {max(values) * 1000:,.1f})"
    return f"median {statistics.median(values):,.0f} {unit}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--term", action="append", help="a term to search (repeatable)")
    parser.add_argument("--field", default="any", help="the chooser's field key")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-screen", action="store_true")
    args = parser.parse_args()
    terms = tuple(args.term or TERMS)
    rows = data_rows(args.db, terms, args.field, args.runs)
    if not args.skip_screen:
        rows += screen_rows(args.db, terms, args.runs)
    for label, values, unit, target in rows:
        print(f"{label:<52} {fmt(values, unit):<34} {target}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
