"""The command line: one clear line and a non-zero exit for every failure, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from xoro_tui import __version__
from xoro_tui.data.store.migrations import LATEST
from xoro_tui.data.store.opening import open_database


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "xoro_tui", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def assert_one_clear_line(result: subprocess.CompletedProcess[str], fragment: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert fragment in lines[0]


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"xoro-tui {__version__}"


@pytest.mark.parametrize("command", ["check", "audit", "backup --out /tmp/nowhere.sqlite"])
def test_commands_refuse_a_missing_database(tmp_path: Path, command: str) -> None:
    missing = tmp_path / "typo.sqlite"
    result = run(*command.split(), "--db", str(missing))
    assert_one_clear_line(result, "no database at")
    assert not missing.exists()


def test_import_refuses_a_missing_database_without_create(tmp_path: Path) -> None:
    csv = tmp_path / "c.csv"
    csv.write_text("account_number,name\n")
    missing = tmp_path / "typo.sqlite"
    result = run("import", "customers", str(csv), "--db", str(missing))
    assert_one_clear_line(result, "--create")
    assert not missing.exists()


def test_not_a_database(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.sqlite"
    bogus.write_text("hello, this is a text file\n" * 200)
    assert_one_clear_line(run("check", "--db", str(bogus)), "not a SQLite database")


def test_newer_database(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    db = open_database(path, create=True)
    db.conn.execute(f"PRAGMA user_version = {LATEST + 5}")
    db.conn.close()
    assert_one_clear_line(run("check", "--db", str(path)), "newer xoro-tui")


def test_bad_arguments_are_one_line() -> None:
    result = run("seed", "--customers", "many", "--refunds", "1", "--db", "/tmp/x.sqlite")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "not a whole number" in result.stderr


def test_check_says_ok(tmp_path: Path) -> None:
    path = tmp_path / "ok.sqlite"
    open_database(path, create=True).conn.close()
    result = run("check", "--db", str(path))
    assert result.returncode == 0
    assert result.stdout.strip() == "ok"


def test_database_from_the_environment(tmp_path: Path) -> None:
    path = tmp_path / "env.sqlite"
    open_database(path, create=True).conn.close()
    result = run("check", env={"XORO_TUI_DB": str(path)})
    assert result.returncode == 0, result.stderr


def test_demo_and_seed_create_missing_folders(tmp_path: Path) -> None:
    from xoro_tui.data.seed.demo import create_demo

    demo = tmp_path / "new" / "folder" / "demo.sqlite"
    create_demo(demo)
    assert demo.exists()
    seeded = tmp_path / "other" / "seed.sqlite"
    result = run("seed", "--db", str(seeded), "--customers", "50", "--refunds", "20")
    assert result.returncode == 0, result.stderr
    assert seeded.exists()


@pytest.mark.parametrize(
    ("args", "env", "said"),
    [
        (("--db", "postgresql://app:s3cret@db.example/xoro?sslmode=require", "check"), {},
         "cannot connect to postgresql://app:***@db.example/xoro?sslmode=require"),
        (("check", "--db", "postgres://app:s3cret@/xoro?host=/run/pg"), {},
         "cannot connect to postgres://app:***@/xoro?host=/run/pg"),
        (("check",), {"XORO_TUI_DB": "postgresql://app:s3cret@db.example/xoro"},
         "cannot connect to postgresql://app:***@db.example/xoro"),
        (("cheques", "--account", "Main", "--db", "https://app:s3cret@x/y"), {},
         "give the path of a database file"),
        (("check", "--db", "mysql://app:s3cret@h/y"), {}, "give the path of a database file"),
    ],
)  # fmt: skip
def test_a_url_is_never_taken_for_a_folder(
    tmp_path: Path, args: tuple[str, ...], env: dict[str, str], said: str
) -> None:
    """``postgresql://…`` once made a folder named ``postgresql:`` with a SQLite file in it;
    now it is a PostgreSQL database (here one that cannot be reached), and a URL of any
    other scheme is refused. The password is never shown."""
    result = subprocess.run(
        [sys.executable, "-m", "xoro_tui", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env={**os.environ, **env},
    )
    assert_one_clear_line(result, said)
    assert "s3cret" not in result.stderr + result.stdout
    assert "***" in result.stderr
    assert list(tmp_path.iterdir()) == []
