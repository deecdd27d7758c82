"""The generated-data seed: deterministic, valid by construction, searchable, safe to kill."""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from xoro_tui.data.customers.customer_repo import CustomerRepository
from xoro_tui.data.models.entities import CardIn, CustomerIn, RefundIn
from xoro_tui.data.search.folding import fold
from xoro_tui.data.search.search_sync import SEARCH_COLUMNS
from xoro_tui.data.seed import seeder as seed_mod
from xoro_tui.data.seed.seeder import seed_database, temporary_paths
from xoro_tui.data.store.errors import Refused
from xoro_tui.data.store.migrations import LATEST
from xoro_tui.data.store.opening import open_database
from xoro_tui.data.store.sequences import next_account_number, take

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 5, 10)
SIZE = 2000
DATA_TABLES = ("customers", "sites", "customer_tags", "customer_brands", "customer_references",
               "saved_cards", "documents", "document_lines", "refunds", "refund_lines", "sequences",
               "refund_accounts", "customer_fts", "refund_fts")  # fmt: skip


def connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    conn.create_function("xoro_fold", 1, fold, deterministic=True)
    return conn


#: seeding by worker processes starts processes: left out by `make test-quick`
@pytest.fixture(scope="module", params=["inline", pytest.param("parallel", marks=pytest.mark.slow)])
def seeded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 2,000 + 2,000 seed, built in this process and (with a low threshold) by workers."""
    path = tmp_path_factory.mktemp(request.param) / "seed.sqlite"
    with pytest.MonkeyPatch.context() as patch:
        if request.param == "parallel":
            patch.setattr(seed_mod, "PARALLEL_FROM", 100)
        stats = seed_database(path, customers=SIZE, refunds=SIZE, seed=3, today=TODAY)
    assert (stats.customers, stats.refunds) == (SIZE, SIZE)
    assert stats.documents > SIZE * 0.8 and stats.cards > SIZE * 0.2
    return path


def dump(path: Path) -> dict[str, list[tuple]]:
    with connect(path) as conn:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in DATA_TABLES}


def test_same_seed_same_rows_and_another_seed_other_rows(seeded: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.sqlite"
    seed_database(again, customers=SIZE, refunds=SIZE, seed=3, today=TODAY)
    assert dump(again) == dump(seeded)
    other = tmp_path / "other.sqlite"
    seed_database(other, customers=SIZE, refunds=SIZE, seed=4, today=TODAY)
    assert dump(other)["customers"] != dump(seeded)["customers"]


def test_sample_validates_through_the_models(seeded: Path) -> None:
    conn = connect(seeded)
    conn.row_factory = sqlite3.Row
    for row in conn.execute("SELECT * FROM customers WHERE id % 7 = 0"):
        site = conn.execute(
            "SELECT * FROM sites WHERE customer_id = ? AND is_default = 1", (row["id"],)
        ).fetchone()
        data = {k: v for k, v in dict(row).items() if k in CustomerIn.model_fields}
        data |= {
            f"ship_to_{k}": site[k]
            for k in ("line1", "line2", "city", "state", "postal_code", "country")
        }
        for field, table, column in (("tags", "customer_tags", "tag"), ("brands", "customer_brands", "brand"),
                                     ("references", "customer_references", "reference")):  # fmt: skip
            data[field] = [
                r[0]
                for r in conn.execute(
                    f"SELECT {column} FROM {table} WHERE customer_id = ?", (row["id"],)
                )
            ]
        model = CustomerIn.model_validate(data)
        assert model.email == row["email"] and model.name == row["name"]
    refunds = conn.execute(
        "SELECT r.*, c.account_number AS customer_account_number, d.number AS source_document "
        "FROM refunds r JOIN customers c ON c.id = r.customer_id "
        "LEFT JOIN documents d ON d.id = r.source_document_id WHERE r.id % 5 = 0"
    ).fetchall()
    assert refunds
    for row in refunds:
        RefundIn.model_validate({k: v for k, v in dict(row).items() if k in RefundIn.model_fields})
    for row in conn.execute("SELECT * FROM saved_cards"):
        CardIn.model_validate({k: v for k, v in dict(row).items() if k in CardIn.model_fields})


def test_names_vary_like_real_ones(seeded: Path) -> None:
    names = [r[0] for r in connect(seeded).execute("SELECT name FROM customers")]
    first_words = Counter(name.split()[0] for name in names)
    word, count = first_words.most_common(1)[0]
    assert count / len(names) <= 0.025, (word, count)
    assert len(first_words) > 300
    assert any(not name.isascii() for name in names)  # accents and other scripts
    assert any(
        any("\u0370" <= ch <= "\u04ff" or "\u3040" <= ch <= "\u9fff" for ch in n) for n in names
    )


def test_cheque_numbers_unique_per_account_and_sequences_move_past(seeded: Path) -> None:
    conn = connect(seeded)
    assert not conn.execute(
        "SELECT refund_account, cheque_number FROM refunds WHERE cheque_number IS NOT NULL "
        "GROUP BY 1, 2 HAVING count(*) > 1"
    ).fetchall()
    for account, next_number in conn.execute(
        "SELECT name, next_cheque_number FROM refund_accounts"
    ):
        used = conn.execute(
            "SELECT max(cheque_number) FROM refunds WHERE refund_account = ?", (account,)
        ).fetchone()[0]
        assert used is None or next_number > used
    assert not conn.execute(
        "SELECT count(*) FROM refunds WHERE payment_method = 'Cheque' AND cheque_number IS NOT NULL "
        "AND status IN ('Draft', 'Pending Approval', 'Approved')"
    ).fetchone()[0]
    assert not conn.execute(
        "SELECT count(*) FROM refunds WHERE cheque_number IS NULL AND payment_method = 'Cheque' "
        "AND status IN ('Printed', 'Issued', 'Cleared')"
    ).fetchone()[0]
    assert not conn.execute(
        "SELECT count(*) FROM refunds WHERE payment_method != 'Cheque' AND cheque_number IS NOT NULL"
    ).fetchone()[0]
    numbers = {
        name: value for name, value in conn.execute("SELECT name, next_value FROM sequences")
    }
    assert numbers["refund"] == SIZE + 1 and numbers["account_number"] == SIZE + 1
    for doc_type, prefix in (
        ("customer_deposit", "DEP"),
        ("credit_memo", "CM"),
        ("invoice", "INV"),
    ):
        top = conn.execute(
            "SELECT max(number) FROM documents WHERE doc_type = ?", (doc_type,)
        ).fetchone()[0]
        assert top.startswith(prefix + "-") and numbers[doc_type] > int(top.split("-")[1])


def test_refunds_are_consistent_with_their_sources(seeded: Path) -> None:
    conn = connect(seeded)
    assert conn.execute("SELECT min(amount) FROM refunds").fetchone()[0] > 0
    assert not conn.execute(
        "SELECT d.id FROM documents d JOIN refunds r ON r.source_document_id = d.id GROUP BY d.id "
        "HAVING sum(CASE WHEN r.status != 'Voided' THEN r.amount ELSE 0 END) > d.total "
        "OR max(r.amount) > d.total OR d.balance != d.total - sum(CASE WHEN r.status != 'Voided' THEN r.amount ELSE 0 END) "
        "OR d.customer_id != max(r.customer_id) OR d.currency != max(r.currency)"
    ).fetchall()
    assert conn.execute(
        "SELECT count(DISTINCT status), count(DISTINCT payment_method) FROM refunds"
    ).fetchone() == (7, 6)
    assert {r[0] for r in conn.execute("SELECT DISTINCT currency FROM refunds")} >= {
        "USD",
        "EUR",
        "GBP",
    }
    assert not conn.execute(
        "SELECT count(*) FROM refunds WHERE (status IN ('Draft', 'Pending Approval') AND approved_by IS NOT NULL)"
        " OR (status = 'Voided') != (void_reason IS NOT NULL) OR approved_by = created_by"
    ).fetchone()[0]
    assert not conn.execute(
        "SELECT count(*) FROM refunds r JOIN refund_lines l ON l.refund_id = r.id WHERE l.amount != r.amount"
    ).fetchone()[0]
    assert conn.execute("SELECT count(*) FROM refund_lines").fetchone()[0] == SIZE
    low, high = conn.execute("SELECT min(refund_date), max(refund_date) FROM refunds").fetchone()
    assert low >= (TODAY - dt.timedelta(days=3 * 366)).isoformat() and high <= TODAY.isoformat()


def test_search_tables_are_what_the_triggers_would_write(seeded: Path) -> None:
    conn = connect(seeded)
    columns = ", ".join(SEARCH_COLUMNS)  # every column the search view makes
    for query in (
        f"SELECT id, {columns} FROM customer_search_source EXCEPT SELECT rowid, {columns} FROM customer_fts",
        f"SELECT rowid, {columns} FROM customer_fts EXCEPT SELECT id, {columns} FROM customer_search_source",
        "SELECT * FROM refund_search_source EXCEPT SELECT rowid, * FROM refund_fts",
        "SELECT rowid, * FROM refund_fts EXCEPT SELECT * FROM refund_search_source",
    ):
        assert conn.execute(f"SELECT count(*) FROM ({query})").fetchone()[0] == 0, query
    for table in ("customer_fts", "customer_words", "refund_fts"):
        conn.execute(f"INSERT INTO {table}({table}) VALUES ('integrity-check')")
    customer_id, name = conn.execute("SELECT id, name FROM customers WHERE id = 1234").fetchone()
    phrase = '"' + fold(name).replace('"', '""') + '"'
    assert customer_id in [
        r[0] for r in conn.execute("SELECT rowid FROM customer_fts WHERE name MATCH ?", (phrase,))
    ]
    word = fold(name).split()[0][:2]
    found = conn.execute(
        "SELECT rowid FROM customer_words WHERE name MATCH ?", (f'"{word}" *',)
    ).fetchall()
    assert (customer_id,) in found


def test_one_audit_row_for_the_whole_run(seeded: Path) -> None:
    rows = (
        connect(seeded)
        .execute("SELECT table_name, record_key, action, changes FROM audit_log")
        .fetchall()
    )
    assert len(rows) == 1
    assert rows[0][:3] == ("database", "seed.sqlite", "seed")
    assert '"customers": [null, 2000]' in rows[0][3]


def test_opens_and_works_with_the_app(seeded: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.sqlite"
    copy.write_bytes(seeded.read_bytes())
    db = open_database(copy)
    try:
        assert db.conn.execute("PRAGMA user_version").fetchone()[0] == LATEST
        assert db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        with db.conn:
            assert next_account_number(db.conn) == f"C-{SIZE + 1:06d}"
            assert take(db.conn, "refund") == SIZE + 1
        repo = CustomerRepository(db)
        made = repo.create(
            CustomerIn(account_number="NEW-1", name="Quokka Unique Ltd", email="q@quokka.example")
        )
        assert [made.id] == [
            r[0]
            for r in db.conn.execute("SELECT rowid FROM customer_fts WHERE name MATCH 'quokka'")
        ]
        for table in ("customer_fts", "customer_words", "refund_fts"):
            db.conn.execute(f"INSERT INTO {table}({table}) VALUES ('integrity-check')")
        assert db.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        db.conn.close()


def test_refuses_an_existing_target(tmp_path: Path) -> None:
    target = tmp_path / "there.sqlite"
    target.write_bytes(b"precious")
    with pytest.raises(Refused):
        seed_database(target, customers=10, refunds=10)
    assert target.read_bytes() == b"precious"


def test_stale_temporary_files_are_removed(tmp_path: Path) -> None:
    target = tmp_path / "fresh.sqlite"
    for stale in temporary_paths(target):
        stale.write_bytes(b"left by a killed seed")
    seed_database(target, customers=50, refunds=50, today=TODAY)
    assert [p for p in temporary_paths(target) if p.exists()] == []
    assert open_database(target).conn.execute("SELECT count(*) FROM customers").fetchone()[0] == 50


@pytest.mark.slow  # a child process seeding 400,000 customers, killed mid-way
def test_a_killed_seed_leaves_no_database(tmp_path: Path) -> None:
    target = tmp_path / "killed.sqlite"
    code = (
        "from pathlib import Path; from xoro_tui.data.seed.seeder import seed_database; "
        f"seed_database(Path({str(target)!r}), customers=400_000, refunds=400_000, "
        "progress=lambda stage, done, total: print(stage, done, flush=True))"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-c", code], env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    first = child.stdout.readline()  # the first chunk of customers is in: mid-way through
    assert first.startswith("customers"), first
    assert temporary_paths(target)[0].exists()
    child.send_signal(signal.SIGKILL)
    child.wait()
    child.stdout.close()
    assert not target.exists()
    # the helpers notice their parent is gone and stop: wait until none holds a file open
    deadline = time.monotonic() + 60
    while held_open(temporary_paths(target)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not held_open(temporary_paths(target)), "a helper outlived its parent"
    assert not target.exists()
    seed_database(target, customers=30, refunds=30, today=TODAY)
    assert target.exists() and [p for p in temporary_paths(target) if p.exists()] == []


def held_open(paths: tuple[Path, ...]) -> bool:
    """Whether any process of ours has one of ``paths`` (or its journal) open."""
    prefixes = tuple(str(p) for p in paths)
    for fds in Path("/proc").glob("[0-9]*/fd"):
        try:
            links = [os.readlink(fd) for fd in fds.iterdir()]
        except OSError:  # another user's process, or one that just ended
            continue
        if any(link.startswith(prefixes) for link in links):
            return True
    return False


def test_progress_is_reported_at_a_modest_rate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(seed_mod, "CHUNK", 1000)
    calls: list[tuple[str, int, int]] = []
    seed_database(tmp_path / "p.sqlite", customers=10_000, refunds=10, today=TODAY,
                  progress=lambda stage, done, total: calls.append((stage, done, total)))  # fmt: skip
    assert 5 < len(calls) < 100
    assert ("customers", 10_000, 10_000) in calls
    assert all(0 <= done <= total for _, done, total in calls)
