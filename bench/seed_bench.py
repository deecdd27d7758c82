"""Time a seed: wall clock, CPU of this process and its helpers, per stage, and the file size.

    python bench/seed_bench.py [--customers 1000000] [--refunds 1000000] [--path /tmp/seed.sqlite]

The contract is 1,000,000 customers + 1,000,000 refunds in under three minutes on a
two-core machine. The load average is printed too: other work on the machine slows the
wall clock but not the CPU seconds.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from xoro_tui.data.seed.seeder import seed_database  # noqa: E402


def cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--refunds", type=int, default=1_000_000)
    parser.add_argument("--path", type=Path, default=Path("/tmp/xoro-seed-bench.sqlite"))
    args = parser.parse_args()
    args.path.unlink(missing_ok=True)
    started = time.monotonic()
    last: list[str] = [""]

    def progress(stage: str, done: int, total: int) -> None:
        if stage != last[0] or done == total:
            print(
                f"{time.monotonic() - started:7.1f} s  {stage} {done:,}/{total:,}", file=sys.stderr
            )
            last[0] = stage

    print(f"load average before: {os.getloadavg()}", file=sys.stderr)
    stats = seed_database(
        args.path, customers=args.customers, refunds=args.refunds, progress=progress
    )
    wall = time.monotonic() - started
    print(f"load average after: {os.getloadavg()}", file=sys.stderr)
    print(
        f"{stats.customers:,} customers, {stats.refunds:,} refunds, {stats.documents:,} documents, "
        f"{stats.cards:,} cards: {wall:.1f} s wall, {cpu():.1f} s CPU (with helpers), "
        f"{args.path.stat().st_size / 1e6:,.0f} MB"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
