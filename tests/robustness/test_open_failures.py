"""Opening a database that cannot be used, and writes the file cannot take.

Through the command line (``xoro-tui check`` and the app entry ``xoro-tui --db``) every
unusable file gives one clear line on stderr, a non-zero exit and never a traceback.
In the data layer, a write that fails for the file's sake (disk full, read-only) raises
a :class:`StorageError` with a sentence, and leaves the data as it was.

The machines run as root, which file permissions do not stop: the read-only and
unreadable cases run in a child that drops to ``nobody`` after importing what it needs
(the interpreter lives under ``/root``, which ``nobody`` cannot enter).
"""

from __future__ import annotations

import csv
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.factories import customer
from xoro_tui.data.customers.batch import batch_update
from xoro_tui.data.customers.customer_repo import CustomerRepository
from xoro_tui.data.models.entities import CUSTOMER_REQUIRED_HEADERS, CustomerIn
from xoro_tui.data.store.errors import DataError, StorageError
from xoro_tui.data.store.migrations import LATEST
from xoro_tui.data.store.opening import open_database
from xoro_tui.data.transfer.importer import import_customers

ROOT = Path(__file__).resolve().parents[2]
NOBODY = 65534
#: how long a locked file is waited for in these tests
SHORT_BUSY_MS = "300"
#: a child that drops to ``nobody`` cannot read the interpreter's files any more (nor the
#: package's, in a clone under a private folder), so it imports everything the command
#: line touches and reads the schema scripts first, then runs ``xoro_tui.cli.main``
_DROP_AND_RUN = (
    "import os, sys, argparse, contextvars, json, logging, traceback, sqlite3, platformdirs\n"
    "import importlib.metadata, importlib.readers, importlib.resources\n"
    "import sqlite_utils; sqlite_utils.Database(memory=True)\n"
    "import xoro_tui.cli, xoro_tui.config, xoro_tui.terminal.mode, xoro_tui.errorlog\n"
    "import xoro_tui.data.store.opening, xoro_tui.data.store.maintenance, xoro_tui.data.store.migrations\n"
    "for p in importlib.resources.files('xoro_tui.data.store').iterdir():\n"
    "    if p.name.endswith('.sql'): xoro_tui.data.store.migrations.script(p.name)\n"
    "if os.geteuid() == 0:\n"
    f"    os.setgroups([]); os.setgid({NOBODY}); os.setuid({NOBODY})\n"
    "raise SystemExit(xoro_tui.cli.main(sys.argv[1:]))\n"
)

# -- running the command line


def run_cli(*args: str, drop: bool = False, env: dict[str, str] | None = None):
    """``python -m xoro_tui ARGS`` (or, with ``drop``, the same ``main`` as ``nobody``)."""
    command = [sys.executable, "-c", _DROP_AND_RUN] if drop else [sys.executable, "-m", "xoro_tui"]
    return subprocess.run(
        [*command, *args],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        cwd=ROOT,
        env={**os.environ, "XORO_TUI_BUSY_TIMEOUT_MS": SHORT_BUSY_MS, **(env or {})},
    )


def assert_one_clear_line(result: subprocess.CompletedProcess, *expected: str) -> None:
    """Non-zero exit, exactly one ``xoro-tui: …`` line on stderr naming the cause, no traceback."""
    shown = f"stdout={result.stdout!r} stderr={result.stderr!r}"
    assert result.returncode != 0, shown
    assert "Traceback" not in result.stderr + result.stdout, shown
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, shown
    assert lines[0].startswith("xoro-tui: "), shown
    assert "Something went wrong" not in lines[0], f"the catch-all, not a reason: {shown}"
    for text in expected:
        assert text in lines[0], shown


ENTRIES = {
    "check": lambda path: ("check", "--db", str(path)),
    "app": lambda path: ("--db", str(path)),
}

# -- files


def make_database(path: Path, customers: int = 40) -> Path:
    """A real, migrated database with some customers, closed (no -wal or -shm left)."""
    db = open_database(path, create=True)
    for i in range(customers):
        customer(db, name=f"Customer {i:03d} " + "x" * 80)
    db.conn.close()
    assert not Path(f"{path}-wal").exists()
    return path


def make_old_schema(path: Path) -> Path:
    """A database one migration behind (schema 2), so opening it must write."""
    make_database(path, customers=3)
    conn = sqlite3.connect(path)
    for table in ("saved_reports", "form_drafts", "print_log"):
        conn.execute(f"DROP TABLE {table}")
    conn.execute("DELETE FROM schema_migrations WHERE version = 3")
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    return path


def pages_of(path: Path, name: str) -> list[int]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT pageno FROM dbstat WHERE name = ?", (name,)).fetchall()
    except sqlite3.OperationalError:
        pytest.skip("this SQLite has no dbstat table to find the pages to damage")
    finally:
        conn.close()
    return [r[0] for r in rows]


def damage(path: Path, pages: list[int], *, whole: bool) -> None:
    """Overwrite pages (wholly, or 400 bytes in the middle) with deterministic garbage."""
    conn = sqlite3.connect(path)
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    garbage = bytes((i * 131 + 17) % 256 for i in range(size))
    for page in pages:
        start = (page - 1) * size
        if whole:
            data[start : start + size] = garbage
        else:
            data[start + 200 : start + 600] = garbage[:400]
    path.write_bytes(bytes(data))


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A folder ``nobody`` can enter (pytest's own tmp folders are root-only)."""
    folder = Path(tempfile.mkdtemp(prefix="xoro-robust-"))
    os.chmod(folder, 0o755)
    home = folder / "home"
    home.mkdir()
    os.chmod(home, 0o777)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def nobody_env(shared_dir: Path) -> dict[str, str]:
    """Environment for the dropped child; skips when dropping privileges is not possible."""
    home = shared_dir / "home"
    env = {"HOME": str(home), "XDG_DATA_HOME": str(home / "data")}
    probe = run_cli("--version", drop=True, env=env)
    if probe.returncode != 0 or "xoro-tui" not in probe.stdout:
        pytest.skip(f"cannot run the command line as an unprivileged user: {probe.stderr[-300:]}")
    return env


# -- files that cannot be opened


def test_a_missing_database_is_refused_where_it_must_exist(tmp_path: Path) -> None:
    """check, audit and backup never create a file from a typo: one line, exit 1."""
    missing = tmp_path / "typo.sqlite"
    for args in (
        ("check", "--db", str(missing)),
        ("audit", "--db", str(missing)),
        ("backup", "--db", str(missing), "--out", str(tmp_path / "copy.sqlite")),
    ):
        assert_one_clear_line(run_cli(*args), "no database at", str(missing))
    assert not missing.exists()
    assert not (tmp_path / "copy.sqlite").exists()


@pytest.mark.parametrize("entry", ENTRIES)
def test_a_folder_or_a_file_that_is_not_sqlite(tmp_path: Path, entry: str) -> None:
    """A directory and a text file are named for what they are."""
    folder = tmp_path / "folder.sqlite"
    folder.mkdir()
    assert_one_clear_line(run_cli(*ENTRIES[entry](folder)), "is a directory")
    text = tmp_path / "notes.sqlite"
    text.write_text("these are not the pages you are looking for\n" * 200)
    assert_one_clear_line(run_cli(*ENTRIES[entry](text)), "is not a SQLite database")
    assert text.read_text().startswith("these are not")  # never converted or truncated


@pytest.mark.parametrize("entry", ENTRIES)
def test_a_damaged_schema_is_called_corrupt(tmp_path: Path, entry: str) -> None:
    """Garbage over the schema pages: SQLite's error text cannot even be decoded; the
    user still reads "corrupt ... restore it from a backup"."""
    path = make_database(tmp_path / "schema.sqlite", customers=200)
    schema_pages = [p for p in pages_of(path, "sqlite_schema") if p != 1]
    if not schema_pages:
        pytest.skip("the schema fits on page 1")
    damage(path, schema_pages, whole=False)
    assert_one_clear_line(run_cli(*ENTRIES[entry](path)), "corrupt", "backup")


@pytest.mark.parametrize("whole", [False, True], ids=["cells", "pages"])
def test_check_reports_damaged_data_pages(tmp_path: Path, whole: bool) -> None:
    """Damaged customer pages: ``check`` lists what SQLite found and exits 1 (the
    problems are its output, on stdout); never the catch-all or a traceback."""
    path = make_database(tmp_path / "data.sqlite", customers=200)
    damage(path, pages_of(path, "customers")[1:6], whole=whole)
    result = run_cli("check", "--db", str(path))
    shown = f"stdout={result.stdout!r} stderr={result.stderr!r}"
    assert result.returncode == 1, shown
    assert "Traceback" not in result.stdout + result.stderr, shown
    assert "Something went wrong" not in result.stderr, shown
    assert result.stdout.strip() and result.stdout.strip() != "ok", shown


@pytest.mark.parametrize("entry", ENTRIES)
def test_a_database_from_a_newer_version(tmp_path: Path, entry: str) -> None:
    path = make_database(tmp_path / "newer.sqlite", customers=2)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {LATEST + 1}")
    conn.close()
    assert_one_clear_line(run_cli(*ENTRIES[entry](path)), "newer xoro-tui", "upgrade")
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST + 1  # left alone
    conn.close()


@pytest.mark.parametrize("entry", ENTRIES)
def test_locked_longer_than_the_busy_timeout(tmp_path: Path, entry: str) -> None:
    """Another program holds the file exclusively (readers too): after the (shortened)
    busy timeout, one line says it is locked."""
    path = make_database(tmp_path / "locked.sqlite", customers=2)
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("PRAGMA locking_mode = EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
        holder.execute("INSERT INTO sequences(name, next_value) VALUES ('held', 1)")
        assert_one_clear_line(run_cli(*ENTRIES[entry](path)), "is locked by another program")
    finally:
        holder.execute("ROLLBACK")
        holder.close()


@pytest.mark.parametrize("entry", ENTRIES)
def test_an_upgrade_waiting_for_a_writer_past_the_timeout(tmp_path: Path, entry: str) -> None:
    """Readers may go on in WAL mode, but a file that needs a migration needs the write
    lock: held by someone else past the timeout, that is one line, and nothing migrated."""
    path = make_old_schema(tmp_path / "old.sqlite")
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        holder.execute("INSERT INTO sequences(name, next_value) VALUES ('held', 1)")
        assert_one_clear_line(run_cli(*ENTRIES[entry](path)), "is locked by another program")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
    conn.close()


@pytest.mark.parametrize("entry", ENTRIES)
def test_read_only_file_in_a_read_only_folder(
    shared_dir: Path, nobody_env: dict[str, str], entry: str
) -> None:
    """As an unprivileged user: the file and its folder are read-only, so SQLite cannot
    even make its shared-memory file: one line says so."""
    path = make_database(shared_dir / "ro.sqlite", customers=2)
    os.chmod(path, 0o444)
    result = run_cli(*ENTRIES[entry](path), drop=True, env=nobody_env)
    assert_one_clear_line(result, "is read-only")


@pytest.mark.parametrize("entry", ENTRIES)
def test_read_only_file_that_needs_an_upgrade(
    shared_dir: Path, nobody_env: dict[str, str], entry: str
) -> None:
    """The folder is writable (SQLite can share memory) but the file is not, and it needs
    a migration: one line asks to open it once with write access."""
    os.chmod(shared_dir, 0o1777)
    path = make_old_schema(shared_dir / "old-ro.sqlite")
    os.chmod(path, 0o444)
    result = run_cli(*ENTRIES[entry](path), drop=True, env=nobody_env)
    assert_one_clear_line(result, "needs an upgrade", "read-only")


def test_check_reads_a_read_only_file(shared_dir: Path, nobody_env: dict[str, str]) -> None:
    """Checking needs no write access: a read-only but current file checks ``ok``."""
    os.chmod(shared_dir, 0o1777)
    path = make_database(shared_dir / "ro-ok.sqlite", customers=2)
    os.chmod(path, 0o444)
    env = {**nobody_env, "XORO_TUI_BUSY_TIMEOUT_MS": "5000"}  # nothing holds it: no hurry
    result = run_cli("check", "--db", str(path), drop=True, env=env)
    assert (result.returncode, result.stdout.strip()) == (0, "ok"), (result.stdout, result.stderr)


@pytest.mark.parametrize("entry", ENTRIES)
def test_an_unreadable_file(shared_dir: Path, nobody_env: dict[str, str], entry: str) -> None:
    path = make_database(shared_dir / "secret.sqlite", customers=2)
    os.chmod(path, 0o000)
    result = run_cli(*ENTRIES[entry](path), drop=True, env=nobody_env)
    assert_one_clear_line(result, "cannot read", "permission denied")


# -- writes the file cannot take


def table_counts(db) -> dict[str, int]:
    tables = ("customers", "sites", "customer_tags", "customer_references", "audit_log",
              "batches", "batch_items", "customer_fts", "sales_reps", "tags")  # fmt: skip
    return {t: db.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


def big_customer(account: str) -> CustomerIn:
    return CustomerIn(
        account_number=account,
        name="Large " + "n" * 240,
        bill_to_line1="b" * 250,
        references=[f"{i:03d}" + "r" * 240 for i in range(60)],
        tags=[f"tag {i}" for i in range(30)],
    )


def write_customers_csv(path: Path, rows: list[dict[str, str]]) -> None:
    """A customers file with every required column (blank where a row gives none)."""
    headers = list(dict.fromkeys([*CUSTOMER_REQUIRED_HEADERS, *(k for r in rows for k in r)]))
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        writer.writerows([[row.get(h, "") for h in headers] for row in rows])


def fill_the_disk(db) -> None:
    """Cap the file at its current size: the next growth fails with SQLITE_FULL."""
    pages = db.conn.execute("PRAGMA page_count").fetchone()[0]
    db.conn.execute(f"PRAGMA max_page_count = {pages}")


def test_disk_full_during_a_save_import_and_batch(db, tmp_path: Path) -> None:
    """SQLite rolls the whole transaction back by itself on SQLITE_FULL; the data layer
    must still raise the real reason (not "cannot rollback - no transaction is active"),
    as a DataError a screen shows, with nothing half-saved; once there is room, the same
    connection works again."""
    repo = CustomerRepository(db)
    ids = [customer(db, name=f"Room {i}").id for i in range(30)]
    before = table_counts(db)
    fill_the_disk(db)

    with pytest.raises(StorageError) as caught:
        repo.create(big_customer("FULL-1"))
    assert isinstance(caught.value, DataError)
    assert "full" in str(caught.value) and "not saved" in str(caught.value)
    assert not db.conn.in_transaction

    source = tmp_path / "big.csv"
    write_customers_csv(source, [
        {"account_number": f"FULL-{i}", "name": f"Import {i} " + "i" * 200,
         "references": "|".join(f"{i}-{j}" + "r" * 200 for j in range(10)),
         "tags": f"import tag {i}"}
        for i in range(2, 60)
    ])  # fmt: skip
    with pytest.raises(StorageError, match="full"):
        import_customers(db, source)

    with pytest.raises(StorageError, match="full"):
        batch_update(db, "Sales Rep", "Rep " + "s" * 200, [ids])

    assert table_counts(db) == before
    db.conn.execute("PRAGMA max_page_count = 1073741823")
    assert repo.create(big_customer("FULL-1")).account_number == "FULL-1"


def test_read_only_connection_refuses_every_write_clearly(db) -> None:
    """A connection that may not write (``query_only``, as a read-only reopen behaves):
    save, create and batch raise StorageError naming read-only; the row is unchanged."""
    repo = CustomerRepository(db)
    c = customer(db, name="Steady Ltd")
    before = table_counts(db)
    db.conn.execute("PRAGMA query_only = ON")
    try:
        data = CustomerIn(account_number=c.account_number, name="Changed Ltd")
        for attempt in (
            lambda: repo.update(c.id, c.version, data),
            lambda: repo.create(CustomerIn(account_number="RO-1", name="New")),
            lambda: batch_update(db, "Sales Rep", "Ann", [[c.id]]),
        ):
            with pytest.raises(StorageError, match="read-only"):
                attempt()
            assert not db.conn.in_transaction
    finally:
        db.conn.execute("PRAGMA query_only = OFF")
    assert table_counts(db) == before
    assert (repo.get(c.id).name, repo.get(c.id).version) == ("Steady Ltd", c.version)
