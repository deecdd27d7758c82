"""Shared fixtures: a real database file per test, and short busy timeouts."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("XORO_TUI_BUSY_TIMEOUT_MS", "5000")

#: folders whose tests start processes, load the machine, log in as other users or run a
#: PostgreSQL server: `make test-quick` leaves them out for the edit loop; `make test` (CI)
#: runs everything
SLOW_FOLDERS = ("robustness", "app", "pg")
TESTS = Path(__file__).parent


def pytest_configure(config: pytest.Config) -> None:
    """The side-by-side report of changed screenshots (tests/snapshots) goes beside the
    SVGs, ignored by git, not into whatever folder pytest was started from."""
    if config.getoption("--snapshot-report", None) == "snapshot_report.html":
        report = Path(__file__).parent / "snapshots" / "snapshot_report.html"
        config.option.snapshot_report = str(report)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        folders = Path(str(item.fspath)).relative_to(TESTS).parts[:-1]
        if any(folder in SLOW_FOLDERS for folder in folders):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Keep logs, demo databases and exports out of the real home directory."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XORO_TUI_EXPORTS", str(home / "exports"))
    monkeypatch.delenv("XORO_TUI_DB", raising=False)
    monkeypatch.delenv("XORO_TUI_GROUP", raising=False)


@pytest.fixture(scope="session")
def pg_cluster():
    """A private PostgreSQL cluster for this test process (see tests/pg_cluster.py)."""
    from tests.pg_cluster import session_cluster

    yield from session_cluster()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "xoro.sqlite"


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A new database at the latest schema, made once per test process."""
    from xoro_tui.data.store.opening import open_database

    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    open_database(path, create=True).conn.close()
    return path.read_bytes()


def database_from(template: bytes, path: Path) -> Any:
    """A migrated database at ``path``: the template's bytes (a copy takes a few ms, a
    migration a tenth of a second or more)."""
    from xoro_tui.data.store.connection import create_private_file
    from xoro_tui.data.store.opening import open_database

    create_private_file(path)
    path.write_bytes(template)
    return open_database(path)


@pytest.fixture
def db(db_path: Path, migrated_template: bytes):
    """A new migrated database per test: the template's bytes, not a migration each time."""
    database = database_from(migrated_template, db_path)
    yield database
    database.conn.close()


async def settle(app: Any, pilot: Any, *, rounds: int = 10) -> None:
    """Wait until the app has nothing left to do: its workers have finished (a newer search
    cancelling an older one is part of that) and the screen has handled its messages and
    repainted. Waits on the app, never on the clock."""
    from textual.worker import WorkerCancelled

    for _ in range(rounds):
        await pilot.pause()
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:
            continue
        await pilot.pause()
        if not any(worker.is_running for worker in app.workers):  # none started meanwhile
            return


async def wait_until(pilot: Any, condition: Callable[[], object], *, timeout: float = 30) -> None:
    """Let the app run until ``condition()`` holds; fail after ``timeout`` seconds (a limit
    on a hang, not a wait: it returns as soon as the condition holds)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"still not true after {timeout} s: {condition}")
        await pilot.pause(0.01)  # a poll interval: the app runs meanwhile


def cpu_seconds(pid: int) -> float:
    """CPU time a process has used so far (user and system, from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _runnable(pid: int) -> bool:
    """Whether the process is running or waiting for a CPU (a loaded machine starves it)."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "R"


def pty_idle(session: Any, *, quiet: float = 0.1, limit: float = 60.0) -> None:
    """Wait until an app in a pseudo-terminal (a ``bench.harness.Session``) has finished
    what it was doing: for ``quiet`` seconds it has written nothing and used (almost) no
    CPU, and it is not waiting for a CPU. Quiet output alone is not enough on a loaded
    machine, where a screen that takes a second of CPU to build may write nothing for
    longer than any fixed quiet time. Output ends a look at once and starts the next."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        start, before = time.monotonic(), cpu_seconds(session.pid)
        while time.monotonic() - start < quiet and session.last < start:
            time.sleep(0.01)  # a poll interval: the window in which CPU use is counted
        if session.last >= start:
            continue  # it wrote meanwhile: look again from now
        used = cpu_seconds(session.pid) - before
        if used <= quiet / 4 and not _runnable(session.pid):
            return
    raise AssertionError(f"the app was still busy after {limit} s")
