"""Eight processes standing for two application servers (four sessions each, every one its
own connection) on one PostgreSQL database: they edit the same customers and print cheques
on one account at once. No update is lost and no cheque number is taken twice or skipped."""

from __future__ import annotations

import multiprocessing

from tests.data.test_cheque_register import approved
from tests.factories import customer
from xoro_tui.data.customers.customer_repo import CustomerRepository
from xoro_tui.data.models.entities import CustomerIn
from xoro_tui.data.refunds.refund_repo import RefundRepository

PROCESSES, EDITS, CHEQUES = 8, 6, 4


def _session(url_text: str, index: int, customer_ids: list[int], refund_ids: list[int], out) -> None:  # fmt: skip
    from xoro_tui.data.postgres.pg_url import PgUrl
    from xoro_tui.data.store.errors import StaleEdit
    from xoro_tui.data.store.opening import open_database

    db = open_database(PgUrl.parse(url_text))
    try:
        customers = CustomerRepository(db)
        done = 0
        while done < EDITS:  # each edit appends a mark to a shared customer's address
            target = customer_ids[(index + done) % len(customer_ids)]
            current = customers.get(target)
            line2 = f"{current.bill_to_line2 or ''}{index}."
            data = CustomerIn(account_number=current.account_number, name=current.name,
                              bill_to_line2=line2)  # fmt: skip
            try:
                customers.update(target, current.version, data)
                done += 1
            except StaleEdit:
                continue  # someone else saved first: read again, as a user would
        printing = RefundRepository(db, user=f"server{index // 4}-session{index}")
        numbers = []
        for refund_id in refund_ids:
            refund = printing.get(refund_id)
            _, number, _ = printing.take_cheque_number(refund.id, refund.version)
            numbers.append(number)
        out.put((index, numbers))
    except BaseException as exc:  # reported by the parent
        out.put((index, repr(exc)))
    finally:
        db.conn.close()


def test_eight_sessions_on_two_servers_lose_nothing(pg_db, pg_db_url) -> None:
    RefundRepository(pg_db, user="root").add_refund_account("Main", "First Bank", "1", 5001)
    shared = [customer(pg_db).id for _ in range(3)]
    refunds = [approved(pg_db, creator="carl", approver="alice").id for _ in range(PROCESSES * CHEQUES)]  # fmt: skip
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    workers = [
        context.Process(
            target=_session, args=(pg_db_url.conninfo, i, shared, refunds[i::PROCESSES], out)
        )  # fmt: skip
        for i in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    results = dict(out.get(timeout=300) for _ in workers)
    for worker in workers:
        worker.join(timeout=60)
    failures = {i: r for i, r in results.items() if isinstance(r, str)}
    assert failures == {}
    numbers = sorted(n for r in results.values() for n in r)
    assert numbers == list(range(5001, 5001 + PROCESSES * CHEQUES))  # no duplicate, no gap
    marks = "".join(CustomerRepository(pg_db).get(c).bill_to_line2 or "" for c in shared)
    assert sorted(marks.split(".")[:-1] if marks else []) == sorted(
        str(i) for i in range(PROCESSES) for _ in range(EDITS)
    )  # every edit of every session is there: 0 lost updates
