"""Shared fixtures: a real database file per test, and short busy timeouts."""

from __future__ import annotations

import asyncio
import gc
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


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """``-m "not slow"`` (test-quick) does not import the slow folders' tests only to drop
    them: a second of every worker's start."""
    if config.getoption("markexpr") == "not slow" and collection_path.parent == TESTS:
        return collection_path.name in SLOW_FOLDERS or None
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        folders = Path(str(item.fspath)).relative_to(TESTS).parts[:-1]
        if any(folder in SLOW_FOLDERS for folder in folders):
            item.add_marker(pytest.mark.slow)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Leave what the imports made (Textual, the test libraries: some 190,000 objects) out of
    every later full garbage collection: the tests make and drop an app's worth of widgets
    each, so full collections are frequent, and each walked all of it again."""
    gc.collect()
    gc.freeze()
    # a test's objects live as long as its app: with a young generation of 10,000 rather
    # than 700 most of them die there, instead of being promoted and walked by full
    # collections (a third less time collecting)
    gc.set_threshold(10_000, 10, 10)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Keep logs, demo databases and exports out of the real home directory."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XORO_TUI_EXPORTS", str(home / "exports"))
    monkeypatch.delenv("XORO_TUI_DB", raising=False)
    monkeypatch.delenv("XORO_TUI_GROUP", raising=False)


@pytest.fixture(autouse=True)
def _keys_wait_on_the_app(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pilot's ``press`` waits on the app, not on the clock (see :func:`press_settled`)."""
    from textual.pilot import Pilot

    monkeypatch.setattr(Pilot, "press", press_settled)


async def press_settled(pilot: Any, *keys: str) -> None:
    """Press ``keys`` one after another, as Pilot does, each once the last has settled.

    Pilot waits twice per key for the process to look idle: two or more 20 ms looks each,
    most of the suite's time (134 ms a key with four workers on two cores). Here each key
    waits until every message pump of the app and its screen has handled what the key set
    off (the key gate's own test of "settled", ``key_order.settle``), as keys typed one by
    one reach the running app; the idle look is made once, after the last key, for what
    runs off the pumps (workers, timers)."""
    import unicodedata

    from textual import events
    from textual._wait import wait_for_idle
    from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key

    from xoro_tui.terminal import key_order

    app = pilot.app
    if not keys:
        return
    for key in keys:
        if key.startswith("wait:"):
            await asyncio.sleep(float(key.split(":")[1]) / 1000)
            continue
        if len(key) == 1 and not key.isalnum():
            key = _character_to_key(key)
        original = REPLACED_KEYS.get(key, key)
        try:
            char: str | None = unicodedata.lookup(_get_unicode_name_from_key(original))
        except KeyError:
            char = key if len(key) == 1 else None
        event = events.Key(key, char)
        event.set_sender(app)
        app.post_message(event)  # into the App's queue now (the driver's way is a loop later)
        await key_order.settle(app)
        await app._animator.wait_until_complete()
    await wait_for_idle(0)
    await pilot._wait_for_screen()


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
