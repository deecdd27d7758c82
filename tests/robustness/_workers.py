"""Code that runs in child processes (``multiprocessing`` spawn) for the robustness tests.

Kept apart from the test modules so that a spawned child imports it by its plain name
(``tests.robustness._workers``) without importing pytest's test module machinery.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

#: sales reps the batch updates choose from (created before the run)
REPS = ("Ann Batch", "Bob Batch", "Cy Batch", "Di Batch")
#: the weights of what a simulated user does next
ACTIONS = {"edit": 40, "refund": 20, "batch": 8, "merge": 10, "import": 6, "print": 8}


def _wal_size(db_path: str) -> int:
    """Bytes in a SQLite file's WAL (0 for a PostgreSQL URL: there is no such file)."""
    wal = Path(f"{db_path}-wal")
    return wal.stat().st_size if wal.exists() else 0


# -- many users


def user_session(index: int, db_path: str, plan: dict[str, Any], out: str, barrier: Any) -> None:
    """One user for ``plan['seconds']``: form saves with a version, refund saves, batch
    updates, merges and undos of its own customer pairs, the shared import, and cheque
    printing; writes what was accepted and refused to ``out`` as JSON."""
    from pydantic import BaseModel

    from xoro_tui.data.customers.batch import batch_update
    from xoro_tui.data.customers.customer_repo import CustomerRepository
    from xoro_tui.data.customers.merge import merge, undo_merge
    from xoro_tui.data.models.entities import CustomerIn
    from xoro_tui.data.refunds.refund_repo import RefundRepository, RefundUpdate
    from xoro_tui.data.store.errors import StaleEdit
    from xoro_tui.data.store.opening import open_database
    from xoro_tui.data.transfer.importer import import_customers, import_refunds

    rng = random.Random(1000 + index)
    result: dict[str, Any] = {
        "index": index, "actions": 0, "edits": [], "stale_edits": [], "refunds": [],
        "stale_refunds": [], "batches": [], "merges": [], "undos": [], "imports": 0,
        "cheques": [], "stale_other": 0, "locked": 0, "errors": [],
    }  # fmt: skip
    db = open_database(db_path)
    customers = CustomerRepository(db)
    refunds = RefundRepository(db, user=f"user{index}")
    fields = set(CustomerIn.model_fields)
    pairs: list[dict[str, Any]] = [
        {"primary": p, "secondary": s, "merge_id": None} for p, s in plan["pairs"][str(index)]
    ]
    to_print: list[int] = list(plan["cheques"][str(index)])
    names, weights = list(ACTIONS), list(ACTIONS.values())
    barrier.wait()
    deadline = time.monotonic() + plan["seconds"]
    seq = 0
    while time.monotonic() < deadline:
        seq += 1
        action = rng.choices(names, weights)[0]
        token = f"u{index}-{seq}"
        try:
            if action == "edit":
                cid = rng.choice(plan["edit_ids"])
                shown = customers.get(cid)
                form: BaseModel = CustomerIn.model_validate(shown.model_dump(include=fields))
                form = form.model_copy(update={"bill_to_line2": token})
                time.sleep(rng.uniform(0, 0.004))  # the user types
                try:
                    saved = customers.update(cid, shown.version, form)  # type: ignore[arg-type]
                except StaleEdit:
                    result["stale_edits"].append([cid, token])
                else:
                    if saved.version != shown.version + 1 or saved.bill_to_line2 != token:
                        result["errors"].append(f"edit {token}: saved {saved.version}")
                    result["edits"].append([cid, token])
            elif action == "refund":
                rid = rng.choice(plan["refund_ids"])
                shown_refund = refunds.get(rid)
                time.sleep(rng.uniform(0, 0.004))
                try:
                    refunds.update(rid, shown_refund.version, RefundUpdate(memo=token))
                except StaleEdit:
                    result["stale_refunds"].append([rid, token])
                else:
                    result["refunds"].append([rid, token])
            elif action == "batch":
                done = batch_update(db, "sales_rep", rng.choice(REPS), [plan["batch_ids"]])
                result["batches"].append([done.batch_id, done.changed])
            elif action == "merge":
                pair = rng.choice(pairs)
                if pair["merge_id"] is None:
                    merged = merge(db, pair["primary"], [pair["secondary"]])
                    pair["merge_id"] = merged.merge_id
                    result["merges"].append(merged.merge_id)
                else:
                    undo_merge(db, pair["merge_id"])
                    result["undos"].append(pair["merge_id"])
                    pair["merge_id"] = None
            elif action == "import":
                for run, source in ((import_customers, plan["customers_csv"]),
                                    (import_refunds, plan["refunds_csv"])):  # fmt: skip
                    report = run(db, source)
                    if report.errors:
                        result["errors"].append(f"import {source}: {report.format_errors()}")
                result["imports"] += 1
            elif action == "print" and to_print:
                rid = to_print.pop(0)
                shown_refund = refunds.get(rid)
                try:
                    _, number, _ = refunds.take_cheque_number(rid, shown_refund.version)
                except StaleEdit:
                    result["stale_other"] += 1
                else:
                    result["cheques"].append([rid, number])
            else:
                continue
            result["actions"] += 1
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                result["locked"] += 1
            result["errors"].append(f"{action} {token}: {exc!r}")
        except Exception as exc:  # noqa: BLE001 - every other failure is reported, not hidden
            result["errors"].append(f"{action} {token}: {exc!r}")
    result["pairs"] = pairs
    db.conn.close()
    Path(out).write_text(json.dumps(result), encoding="utf-8")


# -- killed in the middle


def _watch(conn: Any, seen: Callable[[str], None]) -> None:
    """Call ``seen(sql)`` as each statement starts: SQLite's trace callback; on PostgreSQL a
    wrapper around the connection's ``execute`` and ``executemany``, the one seam every
    repository's statements pass through (pg_connection.py)."""
    if isinstance(conn, sqlite3.Connection):
        conn.set_trace_callback(seen)
        return
    for name in ("execute", "executemany"):
        setattr(conn, name, _seen_first(seen, getattr(conn, name)))


def _seen_first(seen: Callable[[str], None], run: Callable[..., Any]) -> Callable[..., Any]:
    def watched(sql: str, *args: Any) -> Any:
        seen(sql)
        return run(sql, *args)

    return watched


def _backend_pid(conn: Any) -> int | None:
    """The server process of a PostgreSQL session (None on SQLite)."""
    raw = getattr(conn, "raw", None)
    return None if raw is None else int(raw.info.backend_pid)


def _track(conn: Any, db_path: str, pipe: Any, arg: dict[str, Any], open_tx: Any) -> None:
    """Before each statement, set ``open_tx`` to 1 while a transaction is open and its
    COMMIT (or ROLLBACK) not yet sent, else 0: read after the kill, it says whether the kill
    landed inside a transaction. With ``arg['pattern']``, when the ``nth`` statement
    containing it starts, tell the parent (whether a transaction is open, the WAL size, the
    server process) and wait to be killed there."""
    pattern, nth, seen = arg.get("pattern"), arg.get("nth", 1), 0

    def statement(sql: str) -> None:
        nonlocal seen
        ending = sql.lstrip().upper().startswith(("COMMIT", "ROLLBACK", "END"))
        open_tx.value = 0 if ending else int(conn.in_transaction)
        if pattern and pattern in sql:
            seen += 1
            if seen == nth:
                pipe.send(("inside", conn.in_transaction, _wal_size(db_path), _backend_pid(conn)))
                time.sleep(120)

    _watch(conn, statement)


def killable(kind: str, db_path: str, pipe: Any, arg: dict[str, Any], open_tx: Any) -> None:
    """Do one action (or loop over many) until the parent kills this process.

    ``db_path`` is a SQLite file or a PostgreSQL URL. ``arg['pattern']`` stops inside the
    transaction at that statement (the ``nth`` one); without it the action runs in a loop
    and the parent kills after a random delay, then reads ``open_tx`` (see :func:`_track`).
    On SQLite a small page cache spills uncommitted pages into the WAL on the way.
    """
    from xoro_tui.data.customers.batch import batch_update
    from xoro_tui.data.customers.merge import merge, undo_merge
    from xoro_tui.data.refunds.refund_repo import RefundRepository
    from xoro_tui.data.store.opening import open_database

    if kind == "seed":
        _seed(db_path, pipe, arg)
        return
    db = open_database(db_path)
    db.conn.execute("PRAGMA cache_size = 10")  # nothing on PostgreSQL
    _track(db.conn, db_path, pipe, arg, open_tx)
    pipe.send(("started", _wal_size(db_path)))
    if kind == "merge":
        merge(db, arg["primary"], [arg["secondary"]])
    elif kind == "merge-loop":
        merged: dict[int, int] = dict(arg.get("merged", {}))  # primary → its merge, if merged
        while True:
            for primary, secondary in arg["pairs"]:
                if primary in merged:
                    undo_merge(db, merged.pop(primary))
                else:
                    merged[primary] = merge(db, primary, [secondary]).merge_id
    elif kind == "batch":
        batch_update(db, "sales_rep", arg["value"], [arg["ids"]])
    elif kind in ("cheque", "cheque-loop"):
        refunds = RefundRepository(db)
        for rid in arg["ids"]:
            refunds.take_cheque_number(rid, refunds.get(rid).version)
    pipe.send(("finished", _wal_size(db_path)))
    time.sleep(120)


def _seed(target: str, pipe: Any, arg: dict[str, Any]) -> None:
    from xoro_tui.data.seed.seeder import seed_database

    def progress(stage: str, done: int, total: int) -> None:
        if (stage, done) == (arg["stage"], arg["done"]):
            pipe.send(("inside", stage, os.getpid()))
            time.sleep(120)

    pipe.send(("started", 0))
    seed_database(Path(target), customers=arg["customers"], refunds=arg["refunds"],
                  progress=progress)  # fmt: skip
    pipe.send(("finished", 0))
    time.sleep(120)
