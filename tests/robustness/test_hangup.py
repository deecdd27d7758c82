"""A dropped terminal never leaves a process behind.

The app runs in a real pseudo-terminal, started three ways: directly (it is the session
leader and gets SIGHUP), through ``make run`` (``make`` is the leader, gets the SIGHUP and
waits for its child without passing it on) and under a shell that ignores SIGHUP and stays
alive (the app hears no signal at all). A customer form is opened and typed into, then the
terminal's master side is closed, as a dropped SSH link or a killed tmux session does.
The app must be gone within 5 seconds, having used under a second of CPU since the close
(no loop spinning on the dead terminal), and the typed input is offered back on the next
start.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bench.harness import Session
from xoro_tui.data.seed.seeder import seed_database
from xoro_tui.data.store.drafts import DraftRepository
from xoro_tui.data.store.opening import open_database

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux")

VENV = Path(sys.prefix)
XORO_TUI = VENV / "bin" / "xoro-tui"
TYPED = "Hangup42"
EXIT_LIMIT = 5.0
CPU_LIMIT = 1.0


def direct(db: Path) -> list[str]:
    return [str(XORO_TUI), "--db", str(db)]


def make_run(db: Path) -> list[str]:
    """``make run`` with this venv, taken as installed: no reinstall inside a test."""
    return ["make", "-s", "-o", f"{VENV}/.installed", "run", f"VENV={VENV}", f"ARGS=--db {db}"]


def hup_ignoring_parent(db: Path) -> list[str]:
    """A shell that ignores SIGHUP (its child inherits that) and waits for the app: the
    ``exit`` after it keeps the shell from exec-ing the app in its place."""
    return ["sh", "-c", 'trap "" HUP; "$@"; exit $?', "sh", *direct(db)]


ROUTES: dict[str, Callable[[Path], list[str]]] = {
    "direct": direct,
    "make-run": make_run,
    "hup-ignoring-parent": hup_ignoring_parent,
}


def _environment() -> dict[str, str]:
    return {"HOME": os.environ["HOME"], "XDG_DATA_HOME": os.environ["XDG_DATA_HOME"]}


def _tree(pid: int) -> list[int]:
    """``pid`` and every process below it."""
    found = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in children:
            found += _tree(int(child))
    return found


def _cpu(pid: int) -> float:
    """Seconds of CPU used by ``pid`` and the children it has already waited for."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    utime, stime, cutime, cstime = (int(v) for v in fields[11:15])
    return (utime + stime + cutime + cstime) / os.sysconf("SC_CLK_TCK")


def _name_of(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ").strip()
    except OSError:
        return "?"


def _open_form_and_type(session: Session) -> None:
    session.wait_for(lambda screen: " of " in screen and "customers" in screen, timeout=90)
    session.send("enter")
    session.wait_for(lambda screen: "Edit customer" in screen, timeout=60)
    session.settle(quiet=0.5)  # the name field takes the focus after the form is drawn
    session.send(*TYPED)
    session.wait_for(lambda screen: TYPED in screen, timeout=30)


def _hang_up(session: Session) -> tuple[float, float, int]:
    """Close the master side; (seconds until the started process was gone, CPU seconds the
    whole tree used after the close, its wait status)."""
    top = session.pid
    tree = _tree(top)
    before = sum(_cpu(pid) for pid in tree)
    closed = time.monotonic()
    session.close_master()
    while True:
        pid, status, usage = os.wait4(top, os.WNOHANG)
        elapsed = time.monotonic() - closed
        if pid == top:
            session.proc.terminated = True
            # wait4 counts the process and every descendant it waited for
            return elapsed, usage.ru_utime + usage.ru_stime - before, status
        if elapsed > EXIT_LIMIT + 5:
            left = {p: _name_of(p) for p in _tree(top)}
            for p in reversed(list(left)):
                os.kill(p, 9)
            os.waitpid(top, 0)
            pytest.fail(f"still running {elapsed:.1f} s after the terminal closed: {left}")
        time.sleep(0.02)


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    path = tmp_path / "xoro.sqlite"
    seed_database(path, customers=30, refunds=5, seed=7)
    return path


@pytest.mark.parametrize("route", list(ROUTES))
def test_a_closed_terminal_ends_the_app_and_keeps_the_draft(seeded: Path, route: str) -> None:
    if route == "make-run" and (shutil.which("make") is None or not XORO_TUI.exists()):
        pytest.skip("needs make and the xoro-tui script in this venv")
    session = Session(ROUTES[route](seeded), size=(100, 30), env=_environment())
    try:
        _open_form_and_type(session)
    except BaseException:
        session.close()
        raise
    elapsed, cpu, status = _hang_up(session)
    print(f"{route}: gone after {elapsed:.2f} s, {cpu:.2f} s of CPU after the close")
    assert elapsed < EXIT_LIMIT
    assert cpu < CPU_LIMIT
    if route != "make-run":  # make itself dies of the SIGHUP it got
        assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 129

    db = open_database(seeded, create=False)
    try:
        drafts = db.conn.execute("SELECT form, record_key FROM form_drafts").fetchall()
        assert len(drafts) == 1, drafts
        form, key = drafts[0]
        draft = DraftRepository(db).get(form, key)
        assert draft is not None and any(TYPED in str(v) for v in draft[0].values())
    finally:
        db.conn.close()

    again = Session(direct(seeded), size=(100, 30), env=_environment())
    try:
        again.wait_for(lambda screen: " of " in screen and "customers" in screen, timeout=90)
        again.send("enter")
        again.wait_for(lambda screen: "Restored the input" in screen and TYPED in screen,
                       timeout=60)  # fmt: skip
    finally:
        again.close()
