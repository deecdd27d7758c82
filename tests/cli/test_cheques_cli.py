"""``xoro-tui cheques``: the register printed, a new book started by an admin, refused for a
clerk in one line, and ``check`` finding a gap. Roles come from the OS login."""

from __future__ import annotations

from pathlib import Path

import pytest

import xoro_tui.data.store.clock as clock_module
import xoro_tui.data.store.users as users_module
from tests.cli.test_cli_basics import assert_one_clear_line, run
from tests.conftest import database_from
from tests.factories import customer
from xoro_tui.cli import main
from xoro_tui.data.models.choices import RefundStatus
from xoro_tui.data.refunds.cheque_desk import ChequeDesk
from xoro_tui.data.refunds.refund_repo import RefundRepository, RefundUpdate
from xoro_tui.data.store.clock import os_user
from xoro_tui.data.store.opening import open_database
from xoro_tui.data.store.users import UserRepository

S = RefundStatus


def act_as(monkeypatch: pytest.MonkeyPatch, user: str) -> None:
    monkeypatch.setattr(clock_module, "os_user", lambda: user)
    monkeypatch.setattr(users_module, "os_user", lambda: user)


@pytest.fixture
def printed_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, migrated_template: bytes) -> Path:
    """This OS login is an admin, carl a clerk, alice an approver; on Main, cheque 1001
    printed for Alpha Ltd and 1002 spoiled (then printed again on 1003)."""
    path = tmp_path / "cheques.sqlite"
    db = database_from(migrated_template, path)
    me = os_user()
    act_as(monkeypatch, me)
    users = UserRepository(db)
    users.add(me, "admin")
    users.add("alice", "approver")
    users.add("carl", "clerk")
    RefundRepository(db, user=me).add_refund_account("Main", "First Bank", "123-456", 1001)
    ids = []
    for name in ("Alpha Ltd", "Beta <b>KK</b>\x1b[31m"):
        carl = RefundRepository(db, user="carl")
        refund = carl.create(customer(db, name=name.replace("\x1b", "")).id, amount=12345,
                             currency="USD", refund_date="2024-05-01", payment_method="Cheque",
                             refund_account="Main")  # fmt: skip
        refund = carl.update(refund.id, refund.version, RefundUpdate(status=S.PENDING_APPROVAL))
        alice = RefundRepository(db, user="alice")
        ids.append(alice.update(refund.id, refund.version, RefundUpdate(status=S.APPROVED)))
    desk = ChequeDesk(db, "alice")
    desk.print_cheque(ids[0].id, ids[0].version, confirm=True)
    desk.print_cheque(ids[1].id, ids[1].version)
    back = desk.spoil("Main", 1002, "paper jam")
    desk.print_cheque(back.id, back.version, confirm=True)
    db.conn.close()
    return path


def test_the_register_prints_every_number(printed_db: Path) -> None:
    result = run("cheques", "--account", "main", "--db", str(printed_db))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:3] == [
        "Cheque register of Main",
        lines[1],
        "Next cheque number: 1004",
    ]
    assert lines[1].startswith("Book from 1001: started ") and "first cheque printed" in lines[1]
    table = [line.split() for line in lines[4:]]
    assert table[0] == ["Number", "Refund", "Payee", "Amount", "Status", "Date", "Who", "Reason"]
    statuses = [(row[0], next(w for w in row if w in ("printed", "spoiled"))) for row in table[1:]]
    assert statuses == [("1001", "printed"), ("1002", "spoiled"), ("1003", "printed")]
    assert "paper jam" in lines[6] and "alice" in lines[6] and "123.45 USD" in lines[6]
    assert "\x1b" not in result.stdout


def test_an_admin_starts_a_new_book(printed_db: Path) -> None:
    result = run("cheques", "--account", "Main", "--start", "2000", "--db", str(printed_db),
                 "--reason", "new box")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Main: new cheque book from 2000; 1004-1999 recorded as skipped"
    shown = run("cheques", "--account", "Main", "--db", str(printed_db)).stdout
    assert "Next cheque number: 2000" in shown
    skipped = [line for line in shown.splitlines() if "skipped" in line and "1004-1999" in line]
    assert len(skipped) == 1 and os_user() in skipped[0] and "new box" in skipped[0]
    assert run("check", "--db", str(printed_db)).stdout.strip() == "ok"
    again = run("cheques", "--account", "Main", "--start", "1500", "--db", str(printed_db))
    assert_one_clear_line(again, "start it at 2000 or above")


def test_a_clerk_may_read_the_register_but_not_start_a_book(
    printed_db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    act_as(monkeypatch, "carl")
    code = main(["cheques", "--account", "Main", "--start", "5000", "--db", str(printed_db)])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.err.strip() == (
        "xoro-tui: starting a cheque book needs the admin role (carl is a clerk)"
    )
    assert main(["cheques", "--account", "Main", "--db", str(printed_db)]) == 0
    assert "Next cheque number: 1004" in capsys.readouterr().out


def test_unknown_account_and_check_finding_a_gap(printed_db: Path) -> None:
    assert_one_clear_line(
        run("cheques", "--account", "Nope", "--db", str(printed_db)), "no refund account named Nope"
    )
    db = open_database(printed_db)
    db.conn.execute("DELETE FROM cheque_register WHERE number = 1002")
    db.conn.close()
    result = run("check", "--db", str(printed_db))
    assert result.returncode == 1
    assert "cheque register Main: 1002 never printed, spoiled, voided nor skipped (a gap)" in (
        result.stdout
    )
