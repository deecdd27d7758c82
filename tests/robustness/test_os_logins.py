"""Real OS logins sharing one database, as the product is deployed.

Two throwaway logins in a throwaway group run the real commands and the real app in a
pseudo-terminal (``runuser``), with a Python they can read: the test's own interpreter may
live in root's private home, and its clone under a private folder, so the package and its
dependencies are copied to a world-readable folder and run by the system's Python.
Needs root (CI runs as root); elsewhere the tests skip and say why.
"""

from __future__ import annotations

import grp
import os
import secrets
import shutil
import stat
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bench.harness import Session

ROOT = Path(__file__).resolve().parents[2]
SYSTEM_PYTHON = Path("/usr/bin/python3")
#: what the copied environment leaves out: test and build tools the commands never import
_NOT_NEEDED = {"pip", "setuptools", "hypothesis", "_pytest", "visidata", "importlinter", "grimp"}


def _why_not() -> str | None:
    if os.geteuid() != 0:
        return "needs root to create throwaway logins (CI runs as root)"
    for tool in ("useradd", "groupadd", "userdel", "groupdel", "runuser"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed"
    if not SYSTEM_PYTHON.exists():
        return "no system Python at /usr/bin/python3 for the logins to run"
    probe = subprocess.run(
        [str(SYSTEM_PYTHON), "-c", "import sys; print(sys.version_info[:2])"],
        capture_output=True,
        text=True,
    )
    if probe.stdout.strip() != str(tuple(sys.version_info[:2])):
        return f"the system Python is {probe.stdout.strip()}, the suite's {sys.version_info[:2]}"
    return None


pytestmark = pytest.mark.skipif(_why_not() is not None, reason=_why_not() or "")


@dataclass
class Logins:
    group: str
    a: str
    b: str
    top: Path  # world-traversable: the copied package and the shared folders
    pythonpath: str

    def env(self, user: str, *, group: bool = True) -> dict[str, str]:
        home = self.top / "homes" / user
        env = {
            "PATH": "/usr/bin:/bin",
            "HOME": str(home),
            "XDG_DATA_HOME": str(home / "data"),
            "XORO_TUI_EXPORTS": str(home / "exports"),
            "PYTHONPATH": self.pythonpath,
            "PYTHONDONTWRITEBYTECODE": "1",
            "XORO_TUI_BUSY_TIMEOUT_MS": "10000",
            "LANG": "C.UTF-8",
        }
        if group:
            env["XORO_TUI_GROUP"] = self.group
        return env

    def command(self, user: str, *args: str, group: bool = True) -> list[str]:
        assignments = [f"{k}={v}" for k, v in self.env(user, group=group).items()]
        return ["runuser", "-u", user, "--", "env", "-i", f"--chdir={self.top}",
                *assignments, str(SYSTEM_PYTHON), "-m", "xoro_tui", *args]  # fmt: skip

    def run(self, user: str, *args: str, group: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            self.command(user, *args, group=group), capture_output=True, text=True, timeout=120
        )


def _copy_environment(top: Path) -> str:
    """The package and its dependencies where any login can read them."""
    site = Path(sysconfig.get_paths()["purelib"])
    target_site = top / "site"
    shutil.copytree(
        site,
        target_site,
        ignore=lambda folder, names: [
            n
            for n in names
            if n.split("-")[0] in _NOT_NEEDED or n.endswith(".pth") or "__editable__" in n
        ],
    )
    shutil.copytree(ROOT / "xoro_tui", top / "src" / "xoro_tui")
    for folder, dirs, names in os.walk(top):
        for name in dirs:
            os.chmod(Path(folder) / name, 0o755)
        for name in names:
            path = Path(folder) / name
            os.chmod(path, stat.S_IMODE(path.stat().st_mode) | 0o444)
    return f"{top / 'src'}:{target_site}"


@pytest.fixture(scope="module")
def logins() -> Iterator[Logins]:
    tag = secrets.token_hex(3)
    group, a, b = f"xtg{tag}", f"xta{tag}", f"xtb{tag}"
    top = Path(tempfile.mkdtemp(prefix="xoro-logins-", dir="/tmp"))
    os.chmod(top, 0o755)
    made: list[list[str]] = []
    try:
        subprocess.run(["groupadd", group], check=True)
        made.append(["groupdel", group])
        for user in (a, b):
            subprocess.run(["useradd", "-M", "-N", "-g", "users", "-G", group, "-s",
                            "/usr/sbin/nologin", user], check=True)  # fmt: skip
            made.insert(0, ["userdel", user])
        pythonpath = _copy_environment(top)
        for user in (a, b):
            home = top / "homes" / user
            home.mkdir(parents=True)
            shutil.chown(home, user, "users")
            os.chmod(home, 0o700)
        yield Logins(group, a, b, top, pythonpath)
    finally:
        for undo in made:
            subprocess.run(undo, capture_output=True)
        shutil.rmtree(top, ignore_errors=True)


def _mode_and_group(path: Path) -> tuple[str, str]:
    info = path.stat()
    return f"{stat.S_IMODE(info.st_mode):04o}", grp.getgrgid(info.st_gid).gr_name


def _open_centre(logins: Logins, user: str, db: Path, *, group: bool = True) -> Session:
    session = Session(logins.command(user, "--db", str(db), group=group), size=(120, 40))
    session.wait_for(lambda screen: "customers" in screen and " of " in screen, timeout=60)
    return session


def _quit(session: Session) -> None:
    """ctrl+q, and wait for the app (and runuser around it) to end."""
    session.send("ctrl+q")
    deadline = time.monotonic() + 20
    while session.proc.isalive() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not session.proc.isalive(), "the app did not quit on ctrl+q"
    session.close()


def _csv(path: Path, account: str, name: str) -> Path:
    from xoro_tui.data.models.entities import CUSTOMER_REQUIRED_HEADERS

    values = {"account_number": account, "name": name, "currency": "USD"}
    header = list(CUSTOMER_REQUIRED_HEADERS)
    line = ",".join(values.get(column, "") for column in header)
    path.write_text(",".join(header) + "\n" + line + "\n", encoding="utf-8")
    os.chmod(path, 0o644)
    return path


def test_init_makes_a_shared_folder_and_refuses_an_existing_database(logins: Logins) -> None:
    parent = logins.top / "init-check"
    parent.mkdir()
    os.chmod(parent, 0o1777)  # like /srv or /tmp: the login may make its folder there
    folder = parent / "shared"
    db = folder / "xoro.sqlite"
    made = logins.run(logins.a, "init", "--db", str(db), "--group", logins.group,
                      "--admin", logins.a)  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert f"folder:   {folder}" in made.stdout and "mode 2770" in made.stdout
    assert f"group {logins.group}" in made.stdout and f"admin:    {logins.a}" in made.stdout
    assert _mode_and_group(folder) == ("2770", logins.group)
    assert _mode_and_group(db) == ("0660", logins.group)
    again = logins.run(logins.a, "init", "--db", str(db), "--group", logins.group,
                       "--admin", logins.a)  # fmt: skip
    assert again.returncode == 1
    assert again.stderr.strip().splitlines() == [f"xoro-tui: {db} exists already; "
                                                 "init only makes a new database"]  # fmt: skip


def test_two_logins_share_one_file_in_any_order(logins: Logins) -> None:
    """A has the Centre open while B starts it, saves, lists, exports and backs up; A quits
    and B goes on; A runs a command without XORO_TUI_GROUP and B still works."""
    folder = logins.top / "shared"
    db = folder / "xoro.sqlite"
    init = subprocess.run([sys.executable, "-m", "xoro_tui", "init", "--db", str(db),
                           "--group", logins.group, "--admin", logins.a],
                          capture_output=True, text=True, cwd=ROOT)  # fmt: skip
    assert init.returncode == 0, init.stderr
    added = logins.run(logins.a, "users", "add", logins.b, "--role", "clerk", "--db", str(db))
    assert added.returncode == 0, added.stderr
    inbox = logins.top / "inbox"
    inbox.mkdir(exist_ok=True)
    os.chmod(inbox, 0o755)

    a_app = _open_centre(logins, logins.a, db)
    try:
        b_app = _open_centre(logins, logins.b, db)
        _quit(b_app)
        saved = logins.run(logins.b, "import", "customers", str(_csv(inbox / "b1.csv", "B-1",
                           "Saved by B")), "--db", str(db))  # fmt: skip
        assert saved.returncode == 0, saved.stderr
        listed = logins.run(logins.b, "users", "list", "--db", str(db))
        assert listed.returncode == 0, listed.stderr
        assert f"{logins.b}\tclerk" in listed.stdout
        export = folder / "b-export.csv"
        exported = logins.run(logins.b, "export", "customers", "--format", "csv",
                              "--out", str(export), "--db", str(db))  # fmt: skip
        assert exported.returncode == 0, exported.stderr
        assert _mode_and_group(export) == ("0660", logins.group)
        backup = folder / "b-backup.sqlite"
        backed = logins.run(logins.b, "backup", "--out", str(backup), "--db", str(db))
        assert backed.returncode == 0, backed.stderr
        assert _mode_and_group(backup) == ("0660", logins.group)
        for suffix in ("-wal", "-shm"):
            companion = Path(f"{db}{suffix}")
            if companion.exists():
                assert _mode_and_group(companion) == ("0660", logins.group)
    finally:
        _quit(a_app)

    again = logins.run(logins.b, "import", "customers", str(_csv(inbox / "b2.csv", "B-2",
                       "After A quit")), "--db", str(db))  # fmt: skip
    assert again.returncode == 0, again.stderr
    audited = logins.run(logins.a, "audit", "--db", str(db), group=False)
    assert audited.returncode == 0, audited.stderr
    assert "B-2" in audited.stdout
    for suffix in ("-wal", "-shm"):
        companion = Path(f"{db}{suffix}")
        if companion.exists():
            assert _mode_and_group(companion) == ("0660", logins.group)
    b_app = _open_centre(logins, logins.b, db, group=False)
    try:
        still = logins.run(logins.b, "import", "customers", str(_csv(inbox / "b3.csv", "B-3",
                           "Still working")), "--db", str(db))  # fmt: skip
        assert still.returncode == 0, still.stderr
    finally:
        _quit(b_app)
    checked = logins.run(logins.a, "check", "--db", str(db))
    assert (checked.returncode, checked.stdout.strip()) == (0, "ok"), checked.stdout


def test_roles_hold_for_commands_and_the_first_admin(logins: Logins) -> None:
    folder = logins.top / "roles"
    folder.mkdir()
    shutil.chown(folder, logins.a, logins.group)
    os.chmod(folder, 0o2770)
    db = folder / "xoro.sqlite"
    made = logins.run(logins.a, "import", "customers", str(_csv(logins.top / "r.csv", "R-1",
                      "Role test")), "--db", str(db), "--create")  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert _mode_and_group(db) == ("0660", logins.group)
    # no roles yet: B may write the file, but only its owner (A) or root gives the first role
    grab = logins.run(logins.b, "users", "add", logins.b, "--role", "admin", "--db", str(db))
    assert grab.returncode == 1
    assert "only the database file's owner or root" in grab.stderr
    first = logins.run(logins.a, "users", "add", logins.a, "--role", "admin", "--db", str(db))
    assert first.returncode == 0, first.stderr
    logins.run(logins.a, "users", "add", logins.b, "--role", "clerk", "--db", str(db))
    for args in (("purge",), ("settings", "retention-days", "1")):
        refused = logins.run(logins.b, *args, "--db", str(db))
        assert refused.returncode == 1, refused.stdout
        assert "needs the admin role" in refused.stderr
    sneaky = logins.run(logins.b, "users", "add", "x\x1b]52;c;aGk=\x07", "--role", "clerk",
                        "--db", str(db))  # fmt: skip
    assert sneaky.returncode == 1
    assert "\x1b" not in sneaky.stderr + sneaky.stdout
