"""The bench's PostgreSQL: the same 1M + 1M database as SQLite's, moved with ``xoro-tui copy``.

``XORO_TUI_BENCH_PG`` may name the owner's URL of a database on a server of your own (an
empty one is given the schema and the rows; one holding them is used as it is). Without
it the bench runs a private PostgreSQL server of its own in ``bench/data/pg/`` (as the
``postgres`` OS user when run as root, since PostgreSQL refuses root), kept between runs
so that the copy is made once, and stopped at the end of each run.

The copy is timed (``copy-seconds.json`` beside it): it is the "moving over" figure for
1M customers and 1M refunds.
"""

from __future__ import annotations

import json
import os
import pwd
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "bench" / "data" / "pg"
PORT = 54329
APP = [sys.executable, "-m", "xoro_tui"]


@dataclass
class PgTarget:
    url: str  # the owner's URL the app and the commands get
    copy_seconds: float | None  # how long the SQLite → PostgreSQL copy took, if made


def _bin_dir() -> Path:
    from xoro_tui.data.postgres.pg_programs import server_bin_dir

    found = server_bin_dir()
    if found is None:
        raise SystemExit("make bench ENGINE=postgres needs PostgreSQL 15+ (Debian's postgresql)")
    return found


def _as_server_user(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _run(command: list[str]) -> None:
    done = subprocess.run(_as_server_user(command), capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{command[0]} failed: {done.stderr.strip() or done.stdout.strip()}")


def _socket_url(database: str) -> str:
    return (
        f"postgresql://postgres@/{database}?host={quote(str(BASE / 'sock'), safe='')}&port={PORT}"
    )


@contextmanager
def private_server() -> Iterator[None]:
    """Start (making it the first time) the bench's own server; stop it afterwards."""
    bin_dir = _bin_dir()
    data = BASE / "data"
    if not (data / "PG_VERSION").exists():
        (BASE / "sock").mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            entry = pwd.getpwnam("postgres")
            for path in (BASE, BASE / "sock"):
                os.chown(path, entry.pw_uid, entry.pw_gid)
        _run([str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
              "-E", "UTF8", "--locale=C.UTF-8"])  # fmt: skip
        (data / "pg_hba.conf").write_text("local all all trust\n")
    status = subprocess.run(
        _as_server_user([str(bin_dir / "pg_ctl"), "-D", str(data), "status"]), capture_output=True
    )
    if status.returncode == 0:  # already running (started by hand): use it, leave it running
        yield
        return
    options = (
        f"-p {PORT} -k {BASE / 'sock'} -c listen_addresses='' -c shared_buffers=512MB "
        "-c work_mem=32MB -c maintenance_work_mem=256MB -c max_wal_size=4GB"
    )
    _run([str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(BASE / "server.log"),
          "-o", options, "-w", "-t", "120", "start"])  # fmt: skip
    try:
        yield
    finally:
        _run([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"])


def _has_rows(url: str) -> bool:
    import psycopg

    with psycopg.connect(url) as conn:
        found = conn.execute("SELECT to_regclass('customers') IS NOT NULL").fetchone()
        if not found or not found[0]:
            return False
        count = conn.execute("SELECT count(*) FROM customers").fetchone()
        return bool(count and count[0])


def _fill(url: str, sqlite_path: Path) -> float:
    """``init`` and ``copy`` from the SQLite bench file: the copy's seconds."""
    import psycopg

    from xoro_tui.data.store.clock import os_user

    with psycopg.connect(url) as conn:
        empty = conn.execute("SELECT to_regclass('customers') IS NULL").fetchone()
    if empty and empty[0]:
        subprocess.run([*APP, "init", "--db", url, "--admin", os_user()], check=True)
    print(f"copying {sqlite_path.name} to PostgreSQL (once) …", file=sys.stderr)
    started = time.monotonic()
    subprocess.run([*APP, "copy", "--from", str(sqlite_path), "--to", url], check=True)
    seconds = time.monotonic() - started
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")  # fresh statistics, as a DBA would after a load
    return seconds


@contextmanager
def postgres_target(sqlite_path: Path) -> Iterator[PgTarget]:
    """The PostgreSQL database holding what ``sqlite_path`` holds, while the bench runs."""
    times = BASE / "copy-seconds.json"
    given = os.environ.get("XORO_TUI_BENCH_PG", "").strip()
    if given:
        seconds = None if _has_rows(given) else _fill(given, sqlite_path)
        yield PgTarget(given, seconds)
        return
    with private_server():
        name = sqlite_path.stem.replace("-", "_")
        url = _socket_url(name)
        import psycopg

        with psycopg.connect(_socket_url("postgres"), autocommit=True) as conn:
            if (
                conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
                is None
            ):
                conn.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
        recorded = json.loads(times.read_text()) if times.exists() else {}
        if not _has_rows(url):
            recorded[name] = _fill(url, sqlite_path)
            times.write_text(json.dumps(recorded))
        yield PgTarget(url, recorded.get(name))
